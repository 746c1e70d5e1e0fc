"""The python-sci runtime: the data stack works, plots come back as PNG files, and the sandbox still holds.

These need the python-sci bundle (`runno-mcp install python-sci`, ~98 MB); `make install`
installs it, so CI runs them. Runs go through the shared engine: the first starts cold (seconds),
later ones take a pre-booted interpreter with numpy, pandas and matplotlib already imported.
"""

import io
import shutil
import struct
from pathlib import Path

import anyio
import pytest

from runno_mcp import AsyncSandbox, RunResult, _host_memory, langs
from runno_mcp.errors import InsufficientMemoryError, LanguageNotInstalledError
from runno_mcp.models import BinaryFile, StringFile

pytestmark = pytest.mark.sci

TIMEOUT = 120.0  # seconds: a cold start imports the whole stack, slowly on a loaded machine

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def file_bytes(result: RunResult, path: str) -> bytes:
    file = result.fs[path]
    if isinstance(file, BinaryFile):
        return file.content
    assert isinstance(file, StringFile)
    return file.content.encode()


async def run(sandbox: AsyncSandbox, code: str, **options: object) -> RunResult:
    with anyio.fail_after(TIMEOUT * 2):
        return await sandbox.run_code("python-sci", code, timeout=TIMEOUT, **options)  # type: ignore[arg-type]


async def test_pandas_reads_groups_and_writes_csv(sandbox: AsyncSandbox) -> None:
    code = (
        "import pandas as pd\n"
        "df = pd.read_csv('/sales.csv')\n"
        "out = df.groupby('region', as_index=False)['amount'].sum().sort_values('region')\n"
        "out.to_csv('/totals.csv', index=False)\n"
        "print(pd.__version__)\n"
    )
    files = {"/main.py": code, "/sales.csv": "region,amount\nnorth,10\nsouth,5\nnorth,7\nsouth,1\neast,2\n"}
    with anyio.fail_after(TIMEOUT * 2):
        result = await sandbox.run_fs("python-sci", "/main.py", files, timeout=TIMEOUT)
    assert (result.result_type, result.exit_code, result.stderr) == ("complete", 0, "")
    assert result.stdout == "3.0.6\n"
    totals = result.fs["/totals.csv"]
    assert isinstance(totals, StringFile)
    assert totals.content == "region,amount\neast,2\nnorth,17\nsouth,6\n"
    assert set(result.fs) == {"/totals.csv"}, "inputs and matplotlib's cache do not come back"


async def test_scikit_learn_recovers_known_coefficients(sandbox: AsyncSandbox) -> None:
    code = (
        "import numpy as np\n"
        "from sklearn.linear_model import LinearRegression\n"
        "rng = np.random.default_rng(0)\n"
        "X = rng.normal(size=(500, 3))\n"
        "y = X @ np.array([1.5, -2.0, 0.25]) + 4.0\n"
        "model = LinearRegression().fit(X, y)\n"
        "print(*np.round(model.coef_, 6), round(float(model.intercept_), 6))\n"
    )
    result = await run(sandbox, code)
    assert (result.result_type, result.exit_code) == ("complete", 0), result.stderr
    assert [float(x) for x in result.stdout.split()] == [1.5, -2.0, 0.25, 4.0]


async def test_scipy_and_numpy_compute_exact_answers(sandbox: AsyncSandbox) -> None:
    code = (
        "import numpy as np\n"
        "from scipy import integrate, stats\n"
        "print(round(integrate.quad(lambda x: x * x, 0, 3)[0], 9))\n"
        "print(round(float(stats.norm.cdf(0)), 9), int(np.linalg.det(np.array([[2, 1], [1, 3]])).round()))\n"
    )
    result = await run(sandbox, code)
    assert result.stdout == "9.0\n0.5 5\n", result.stderr


async def test_plt_show_returns_each_figure_as_a_png(sandbox: AsyncSandbox) -> None:
    code = (
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2, 3], [4, 1, 9]); plt.title('first'); plt.show()\n"
        "fig, ax = plt.subplots(figsize=(4, 3), dpi=50); ax.bar(['a', 'b'], [3, 5]); plt.show()\n"
        "print(plt.get_fignums())\n"
    )
    result = await run(sandbox, code)
    assert (result.result_type, result.exit_code, result.stdout) == ("complete", 0, "[]\n"), result.stderr
    assert set(result.fs) == {"/figures/figure_1.png", "/figures/figure_2.png"}
    first = file_bytes(result, "/figures/figure_1.png")
    assert png_size(first) == (640, 480)
    assert 5_000 < len(first) < 500_000
    assert png_size(file_bytes(result, "/figures/figure_2.png")) == (200, 150)


async def test_savefig_writes_where_the_program_asks(sandbox: AsyncSandbox) -> None:
    code = (
        "import io, os\n"
        "import matplotlib.pyplot as plt\n"
        "import pandas as pd\n"
        "df = pd.read_csv(io.StringIO('a,b\\n1,2\\n2,4\\n3,8\\n'))\n"
        "os.makedirs('/out')\n"
        "ax = df.plot(x='a', y='b'); ax.figure.savefig('/out/chart.png', dpi=72)\n"
    )
    result = await run(sandbox, code)
    assert result.result_type == "complete", result.stderr
    assert png_size(file_bytes(result, "/out/chart.png")) == (460, 345)


async def test_the_program_runs_as_main_with_its_own_argv_path_and_traceback(sandbox: AsyncSandbox) -> None:
    files = {
        "/app/main.py": (
            "import sys, helper\nprint(__name__, sys.argv, sys.path[0], helper.VALUE)\nraise ValueError('boom')\n"
        ),
        "/app/helper.py": "VALUE = 42\n",
    }
    with anyio.fail_after(TIMEOUT * 2):
        result = await sandbox.run_fs("python-sci", "/app/main.py", files, args=["x"], timeout=TIMEOUT)
    assert result.stdout == "__main__ ['/app/main.py', 'x'] /app 42\n"
    assert result.exit_code == 1
    assert result.stderr.startswith('Traceback (most recent call last):\n  File "/app/main.py", line 3')
    assert "sci_start" not in result.stderr and "runpy" not in result.stderr
    assert result.stderr.endswith("ValueError: boom\n")


async def test_runs_in_a_row_share_nothing(sandbox: AsyncSandbox) -> None:
    """Module state, globals and files a run leaves behind are gone in the next, pre-booted or not."""
    code = (
        "import os, numpy, pandas\n"
        "print(getattr(numpy, 'left', None), pandas.get_option('display.max_rows'), os.path.exists('/left.txt'))\n"
        "numpy.left = 1; pandas.set_option('display.max_rows', 3); open('/left.txt', 'w').close()\n"
    )
    outputs = [(await run(sandbox, code)).stdout for _ in range(3)]
    assert outputs == ["None 60 False\n"] * 3


async def test_no_network_no_host_files_no_host_environment(
    sandbox: AsyncSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = (
        "import os, socket, urllib.request\n"
        "try:\n    urllib.request.urlopen('http://127.0.0.1:9', timeout=2)\n"
        "except Exception as e:\n    print('net', type(e).__name__)\n"
        "print('passwd', os.path.exists('/etc/passwd'), 'secret' in os.environ)\n"
        "print(sorted(os.listdir('/')))\n"
    )
    monkeypatch.setenv("secret", "host value")
    result = await run(sandbox, code)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("net ") and lines[0] != "net None", result.stderr
    assert lines[1] == "passwd False False"
    assert lines[2] == "['dev', 'main.py', 'tmp', 'usr']"


async def test_a_timeout_stops_a_busy_loop_and_keeps_output(sandbox: AsyncSandbox) -> None:
    with anyio.fail_after(TIMEOUT * 2):
        result = await sandbox.run_code(
            "python-sci", "import numpy\nprint('started', flush=True)\nwhile True: numpy.ones(10).sum()\n", timeout=15
        )
    assert result.result_type == "timeout"
    assert result.stdout == "started\n"


async def test_memory_over_the_limit_is_a_memory_error_not_a_host_problem(sandbox: AsyncSandbox) -> None:
    code = (  # 800 MB, over the 512 MB default
        "import numpy\ntry:\n    numpy.ones(100_000_000)\nexcept MemoryError:\n    print('MemoryError')\n"
    )
    result = await run(sandbox, code)
    assert (result.result_type, result.stdout) == ("complete", "MemoryError\n"), result.stderr


async def test_list_runtimes_describes_python_sci(sandbox: AsyncSandbox) -> None:
    infos = {info.id: info for info in await sandbox.list_runtimes()}
    sci = infos["python-sci"]
    assert sci.version == "3.15.0"
    assert sci.optional is True
    assert {"numpy==2.5.2", "pandas==3.0.6", "matplotlib==3.11.2", "scikit-learn==1.9.1"} <= set(sci.preinstalled)
    assert infos["python"].optional is False and infos["python"].preinstalled == []


def test_png_size_reads_the_header() -> None:
    """The helper the plot tests lean on reads a real header (built here with zlib)."""
    import zlib

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * 3 for _ in range(2))
    header = struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(header)) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))
    data = PNG_SIGNATURE + chunk + zlib.compress(raw)
    assert png_size(io.BytesIO(data).read()) == (3, 2)


async def test_without_the_bundle_a_run_says_how_to_install_it(tmp_path: Path) -> None:
    """A language folder with only the main files: python-sci is refused with the command that installs it."""
    manifest = langs.load_manifest()
    for name in manifest.files:
        if not langs.is_built(manifest, name):  # the built SQLite shell stays in the derived folder
            shutil.copy(langs.langs_dir() / name, tmp_path / name)
    async with AsyncSandbox(langs_dir=tmp_path, install=False, snapshot_ahead=()) as sandbox:
        assert "python-sci" not in {info.id for info in await sandbox.list_runtimes()}
        with pytest.raises(LanguageNotInstalledError, match='run "runno-mcp install python-sci"'):
            await sandbox.run_code("python-sci", "print(1)")
        assert (await sandbox.run_code("python", "print(1)")).stdout == "1\n"


def test_the_host_memory_reading_is_real() -> None:
    available = _host_memory.available_mb()
    assert available is not None and 0 < available < 10_000_000


async def test_too_little_free_memory_is_a_clear_error_and_other_runtimes_still_run(
    sandbox: AsyncSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the reading of /proc/meminfo is replaced: the check, the error and the engine are real."""
    monkeypatch.setattr(_host_memory, "available_mb", lambda: 300.0)
    with pytest.raises(InsufficientMemoryError, match=r"needs about 600 MB .* 300 MB available"):
        await sandbox.run_code("python-sci", "print(1)")
    assert (await sandbox.run_code("python", "print(1)")).stdout == "1\n"


@pytest.mark.network
async def test_a_pure_python_package_is_importable_beside_the_data_stack() -> None:
    """packages= works for python-sci too: resolved for Python 3.15, mounted before the stdlib zip."""
    code = "import humanize, pandas\nprint(humanize.intcomma(int(pandas.Series([1234000, 567]).sum())))\n"
    async with AsyncSandbox(allow_packages=True, snapshot_ahead=()) as sandbox:
        with anyio.fail_after(TIMEOUT * 2):
            result = await sandbox.run_code("python-sci", code, packages=["humanize"], timeout=TIMEOUT)
        assert (result.stdout, result.exit_code) == ("1,234,567\n", 0), result.stderr
        assert result.fs == {}
        infos = {info.id: info for info in await sandbox.list_runtimes()}
        assert infos["python-sci"].packages_allowed and not infos["ruby"].packages_allowed


async def test_the_end_of_a_program_is_what_python_main_py_shows(sandbox: AsyncSandbox) -> None:
    """python-sci skips Py_Finalize's teardown of the data stack, but not what a program can see of its end:
    atexit handlers, __del__, files left open (in the program and in its own modules) flushed."""
    files = {
        "/main.py": (
            "import atexit, helper\n"
            "class Noisy:\n    def __del__(self):\n        print('del ran')\n"
            "keep = Noisy()\n"
            "f = open('/left-open.txt', 'w'); f.write('flushed at exit')\n"
            "atexit.register(lambda: print('atexit ran'))\n"
            "helper.start()\n"
            "print('main done')\n"
        ),
        "/helper.py": "def start():\n    global h\n    h = open('/helper.txt', 'w'); h.write('helper data')\n",
    }
    with anyio.fail_after(TIMEOUT * 2):
        result = await sandbox.run_fs("python-sci", "/main.py", files, timeout=TIMEOUT)
    assert (result.stdout, result.exit_code) == ("main done\natexit ran\ndel ran\n", 0), result.stderr
    contents = {path: file_bytes(result, path) for path in result.fs}
    assert contents == {"/left-open.txt": b"flushed at exit", "/helper.txt": b"helper data"}


@pytest.mark.parametrize(
    ("code", "exit_code", "stderr"),
    [
        ("import sys; sys.exit('bad thing')", 1, "bad thing\n"),
        ("raise SystemExit(3)", 3, ""),
        ("x = (1,\n", 1, "  File \"/main.py\", line 1\n    x = (1,\n        ^\nSyntaxError: '(' was never closed\n"),
    ],
)
async def test_exit_statuses_and_syntax_errors_read_as_in_python(
    sandbox: AsyncSandbox, code: str, exit_code: int, stderr: str
) -> None:
    result = await run(sandbox, code)
    assert (result.result_type, result.exit_code, result.stderr) == ("complete", exit_code, stderr)
