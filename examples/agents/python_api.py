"""Run code from Python: one program, a program with a CSV file, stdin, and a timeout.

    python examples/agents/python_api.py

The first run installs the language files (about 50 MB, once) unless RUNNO_MCP_LANGS_DIR points at a
prepared folder.
"""

from runno_mcp import Sandbox

SALES_CSV = """region,amount
north,120
south,80
north,35
east,60
"""

TOTALS_PY = """
import csv
from collections import defaultdict

totals = defaultdict(int)
with open("/data/sales.csv", newline="") as f:
    for row in csv.DictReader(f):
        totals[row["region"]] += int(row["amount"])
with open("/totals.txt", "w") as out:
    for region, amount in sorted(totals.items()):
        print(f"{region}: {amount}", file=out)
print("regions:", len(totals))
"""


def main() -> None:
    with Sandbox() as sandbox:
        # One source file: the code becomes the runtime's entry file (/main.py here) and runs.
        result = sandbox.run_code("python", "print(sum(range(10)))")
        print("run_code:", result.result_type, result.exit_code, result.stdout.strip())

        # Several files: the program reads a CSV and writes a file, which comes back in result.fs.
        result = sandbox.run_fs("python", "/main.py", {"/main.py": TOTALS_PY, "/data/sales.csv": SALES_CSV})
        print("run_fs:", result.stdout.strip())
        print(result.fs["/totals.txt"].content, end="")

        # stdin: a C program reads two numbers; clang compiles, links and runs it within one timeout.
        adder = '#include <stdio.h>\nint main(void) { int a, b; scanf("%d %d", &a, &b); printf("%d\\n", a + b); }\n'
        result = sandbox.run_code("c", adder, stdin="3 4\n", timeout=30)
        print("stdin:", result.stdout.strip())

        # A timeout is a result, not an exception: the output printed so far is kept.
        result = sandbox.run_code("python", "print('working', flush=True)\nwhile True: pass", timeout=2)
        print("timeout:", result.result_type, repr(result.stdout))


if __name__ == "__main__":
    main()
