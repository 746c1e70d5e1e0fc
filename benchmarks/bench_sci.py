"""python-sci: cold start, warm pandas / scikit-learn / plot calls, and what a booted interpreter costs in memory.

Run from the repository root after `runno-mcp install python-sci`:

    python benchmarks/bench_sci.py            # 10 warm calls per row
    python benchmarks/bench_sci.py --runs 30

"Warm" is a call that takes a pre-booted interpreter (numpy, pandas, matplotlib, scipy.stats and
sklearn.linear_model imported before the request). The gap between calls gives the pool time to
boot the next one (~5 s of one core); calls closer together than that wait for the boot. The
target comes from the data-science issue: a pandas call answers in under a second warm.
"""

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench import Table, rss_mb

from runno_mcp import AsyncSandbox

PANDAS = (
    "import pandas as pd, io\n"
    "df = pd.read_csv(io.StringIO('a,b\\n1,2\\n1,3\\n2,5\\n'))\n"
    "print(df.groupby('a')['b'].sum().to_dict())\n"
)
SKLEARN = (
    "import numpy as np\n"
    "from sklearn.linear_model import LinearRegression\n"
    "rng = np.random.default_rng(0)\n"
    "X = rng.normal(size=(2000, 5)); y = X @ np.arange(1.0, 6.0) + 0.5\n"
    "print(np.round(LinearRegression().fit(X, y).coef_, 3).tolist())\n"
)
PLOT = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [4, 1, 9]); plt.show()\n"
CHECKS = {
    "pandas read_csv + groupby": (PANDAS, "{1: 5, 2: 5}\n"),
    "scikit-learn fit (2,000 x 5)": (SKLEARN, "[1.0, 2.0, 3.0, 4.0, 5.0]\n"),
    "matplotlib plot -> PNG": (PLOT, ""),
}
WARM_TARGET_MS = 1000
COLD_TARGET_MS = 10_000


async def timed(sandbox: AsyncSandbox, code: str, expected: str) -> float:
    started = time.perf_counter()
    result = await sandbox.run_code("python-sci", code, timeout=120)
    elapsed = (time.perf_counter() - started) * 1000
    if result.stdout != expected or result.exit_code != 0:
        raise RuntimeError(f"python-sci printed {result.stdout!r}, stderr {result.stderr[-500:]!r}")
    return elapsed


async def main_async(args: argparse.Namespace) -> None:
    table = Table()
    async with AsyncSandbox(preboot={"python": 1, "python-sci": args.pool}) as sandbox:
        pid = sandbox.engine_pid
        assert pid is not None
        await asyncio.sleep(2.0)
        before = rss_mb(pid)
        cold = await timed(sandbox, PANDAS, CHECKS["pandas read_csv + groupby"][1])
        await asyncio.sleep(args.boot_wait)  # the pool boots its interpreters
        booted = rss_mb(pid)
        for what, (code, expected) in CHECKS.items():
            samples: list[float] = []
            for _ in range(args.runs):
                samples.append(await timed(sandbox, code, expected))
                await asyncio.sleep(args.gap)
            table.add_latency(f"python-sci warm: {what}", samples, WARM_TARGET_MS)
        back_to_back = [await timed(sandbox, PANDAS, CHECKS["pandas read_csv + groupby"][1]) for _ in range(args.runs)]
        table.add_latency("python-sci pandas, back to back (pool refills)", back_to_back, WARM_TARGET_MS)
        table.add_value("python-sci first call (cold, nothing booted)", cold, "ms", COLD_TARGET_MS)
        table.add_value(f"engine RSS added by {args.pool} booted python-sci", booted - before, "MB", 600 * args.pool)
    table.print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="calls per warm row (default 10)")
    parser.add_argument("--gap", type=float, default=7.0, help="idle seconds between warm calls (default 7)")
    parser.add_argument("--pool", type=int, default=1, help="python-sci interpreters kept booted (default 1)")
    parser.add_argument("--boot-wait", type=float, default=15.0, help="seconds to let the pool boot (default 15)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
