.DEFAULT_GOAL := help
PYTHON ?= python
DENO ?= $(shell $(PYTHON) -c "import deno; print(deno.find_deno_bin())")
PY_PATHS = runno_mcp tests examples benchmarks scripts

.PHONY: install
install: ## Install the package and its dev tools into the current environment, then the language files and python-sci
	$(PYTHON) -m pip install --quiet "pip>=25.1"  # for --group
	$(PYTHON) -m pip install -e ".[mcp]" --group dev
	$(PYTHON) -m runno_mcp install
	$(PYTHON) -m runno_mcp install python-sci

.PHONY: format
format: ## Format Python and TypeScript
	$(PYTHON) -m ruff format $(PY_PATHS)
	$(PYTHON) -m ruff check --fix $(PY_PATHS)
	cd engine-ts && $(DENO) fmt

.PHONY: lint
lint: ## Lint Python (ruff) and TypeScript (deno lint, deno fmt --check)
	$(PYTHON) -m ruff format --check $(PY_PATHS)
	$(PYTHON) -m ruff check $(PY_PATHS)
	cd engine-ts && $(DENO) lint && $(DENO) fmt --check

.PHONY: typecheck
typecheck: ## Type-check Python (pyright strict) and TypeScript (deno check)
	$(PYTHON) -m pyright --pythonpath $(PYTHON)
	cd engine-ts && $(DENO) task check

.PHONY: test
test: ## Run the Python tests (real engine, real language files) and the engine's own tests
	$(PYTHON) -m pytest
	langs_dir="$$($(PYTHON) -c 'from runno_mcp import langs; print(langs.langs_dir())')" && \
		cd engine-ts && RUNNO_MCP_LANGS_DIR="$$langs_dir" $(DENO) task test

.PHONY: check
check: lint typecheck test ## Run every check CI runs

.PHONY: ci
ci: ## From a fresh clone: make .venv, install into it, run every check (what .ci/run runs)
	test -x .venv/bin/python || python3 -m venv .venv
	$(MAKE) install check PYTHON=.venv/bin/python

.PHONY: help
help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## .*$$' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'
