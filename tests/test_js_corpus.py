"""The quickjs runtime runs `node file.js`-style programs as Node 20 runs them (docs/engine.md,
"JavaScript: the Node-shaped prelude").

Each program in tests/corpus/js runs in the real engine, with the corpus folder as its files, and
its stdout and exit code must equal what the host's real `node` printed, stored beside it as
`NAME.expected.json` (with its stdin, args and, for failing programs, a piece of its stderr).
tests/corpus/js/console_edge_cases.js holds the formatting edge cases. Regenerate expectations
with `python scripts/gen_js_corpus.py` after editing a program; the programs in
tests/corpus/js/unavailable need what the sandbox cannot give and must fail with our error.
The focused tests below pin console formatting, the ES2022-ES2025 built-ins Node 20 lacks (so the
corpus cannot hold them), require's errors, script-vs-module detection and stack line numbers.
"""

import json
from pathlib import Path
from typing import Any

import anyio
import pytest

from runno_mcp import AsyncSandbox

CORPUS = Path(__file__).parent / "corpus" / "js"
GENEROUS = 60.0  # seconds: a cold engine takes the quickjs snapshot on its first run
PROGRAMS = sorted(path for path in CORPUS.iterdir() if path.suffix in {".js", ".mjs"})
UNAVAILABLE = {path.stem: path.read_text(encoding="utf-8") for path in sorted((CORPUS / "unavailable").glob("*.js"))}


def corpus_files() -> dict[str, str]:
    """Every corpus file but the expectations, at its path under the corpus folder."""
    return {
        f"/{path.relative_to(CORPUS).as_posix()}": path.read_text(encoding="utf-8")
        for path in CORPUS.rglob("*")
        if path.is_file() and not path.name.endswith(".expected.json")
    }


async def run_js(sandbox: AsyncSandbox, code: str, **files: str) -> Any:
    """Run `code` as /main.js beside `files` (name -> text, written at /name)."""
    fs = {"/main.js": code, **{f"/{name}": text for name, text in files.items()}}
    with anyio.fail_after(GENEROUS):
        return await sandbox.run_fs("quickjs", "/main.js", fs, timeout=GENEROUS)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda path: path.stem)
async def test_a_corpus_program_prints_what_node_prints(sandbox: AsyncSandbox, program: Path) -> None:
    """stdout and the exit code equal real Node's; a failing program's stderr names its error."""
    expected = json.loads(program.with_name(f"{program.stem}.expected.json").read_text(encoding="utf-8"))
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_fs(
            "quickjs",
            f"/{program.name}",
            corpus_files(),
            stdin=expected.get("stdin"),
            args=expected.get("args", []),
            timeout=GENEROUS,
        )
    assert result.result_type == "complete", result
    assert result.stdout == expected["stdout"], result.stderr
    assert result.exit_code == expected["exit_code"], result.stderr
    assert expected.get("stderr_contains", "") in result.stderr


@pytest.mark.parametrize("code", UNAVAILABLE.values(), ids=UNAVAILABLE.keys())
async def test_a_program_needing_network_processes_or_threads_gets_our_error(sandbox: AsyncSandbox, code: str) -> None:
    """Requiring http, child_process, worker_threads or net fails at once with the reason."""
    result = await run_js(sandbox, code)
    assert (result.result_type, result.exit_code, result.stdout) == ("complete", 1, "")
    assert "ERR_UNAVAILABLE_IN_SANDBOX" in result.stderr or "in this sandbox:" in result.stderr
    assert "Cannot use module '" in result.stderr


@pytest.mark.parametrize(
    ("code", "stdout", "stderr"),
    [
        pytest.param("console.error({ a: [1] }); console.warn('w');", "", "{ a: [ 1 ] }\nw\n", id="error-warn-stderr"),
        pytest.param("console.assert(false);", "", "Assertion failed\n", id="assert-bare"),
        pytest.param("console.assert(0, 'msg %d', 5);", "", "Assertion failed: msg 5\n", id="assert-message"),
        pytest.param(
            "console.group('G'); console.info('x'); console.groupEnd(); console.debug('y');",
            "G\n  x\ny\n",
            "",
            id="group",
        ),
        pytest.param(
            "console.count('a'); console.count('a'); console.countReset('a'); console.count('a');",
            "a: 1\na: 2\na: 1\n",
            "",
            id="count",
        ),
        pytest.param(
            "console.log(new Error('boom').stack.split('\\n')[0]);", "Error: boom\n", "", id="error-stack-head"
        ),
        pytest.param(
            "console.log([new Map([['a', 1]])], Buffer.from('hi'));",
            "[ Map(1) { 'a' => 1 } ] <Buffer 68 69>\n",
            "",
            id="nested-map-buffer",
        ),
    ],
)
async def test_console_methods_write_where_node_writes(
    sandbox: AsyncSandbox, code: str, stdout: str, stderr: str
) -> None:
    """log/info/debug go to stdout, error/warn/assert to stderr, group indents, count counts."""
    result = await run_js(sandbox, code)
    assert (result.exit_code, result.stdout, result.stderr) == (0, stdout, stderr)


async def test_console_time_prints_a_label_and_milliseconds(sandbox: AsyncSandbox) -> None:
    """console.timeEnd prints `label: N.NNNms`, as Node does."""
    result = await run_js(sandbox, "console.time('t'); console.timeLog('t', 'mid'); console.timeEnd('t');")
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["t", "t"]
    assert lines[0].endswith("ms mid") and lines[1].endswith("ms")


BUILTINS_JS = r"""
const s = new Set([1, 2, 3]), t = new Set([3, 4]);
console.log([...s.union(t)], [...s.intersection(t)], [...s.difference(t)], [...s.symmetricDifference(t)]);
console.log(s.isSubsetOf(new Set([1, 2, 3, 4])), s.isSupersetOf(new Set([1])), s.isDisjointFrom(t));
console.log(JSON.stringify(Object.groupBy([1, 2, 3], (x) => (x % 2 ? "odd" : "even"))));
console.log([...Map.groupBy([1, 2, 3], (x) => x > 1)].map(([k, v]) => `${k}:${v}`).join(" "));
console.log([1, 2, 3].with(-1, 9), [1, 2, 3].toSpliced(1, 1, "a", "b"), [3, 1, 2].toReversed());
console.log(new Uint8Array([1, 2, 3]).toReversed(), new Int16Array([3, 1]).toSorted(), new Uint8Array([5]).with(0, 7));
console.log(Array.prototype.at.length, Array.prototype.findLast.name, Object.keys(Array.prototype).length);
console.log(new Error("e", { cause: 1 }).cause, new TypeError("t", { cause: "c" }).cause, "cause" in new Error("x"));
const { promise, resolve } = Promise.withResolvers();
promise.then((v) => console.log("withResolvers", v));
resolve(5);
Array.fromAsync((async function* () { yield 1; yield 2; })()).then((a) => console.log("fromAsync", a));
console.log(structuredClone(new Map([[1, { d: new Date(0) }]])).get(1).d.toISOString());
const cyc = { n: 1 }; cyc.self = cyc; const c2 = structuredClone(cyc); console.log(c2.self === c2, c2 !== cyc);
try { structuredClone(Symbol("s")); } catch (e) { console.log(e.name); }
console.log(new TextDecoder().decode(new TextEncoder().encode("h\u00e9")), "\ud800".toWellFormed().codePointAt(0));
"""
BUILTINS_STDOUT = (
    "[ 1, 2, 3, 4 ] [ 3 ] [ 1, 2 ] [ 1, 2, 4 ]\n"
    "true true false\n"
    '{"odd":[1,3],"even":[2]}\n'
    "false:1 true:2,3\n"
    "[ 1, 2, 9 ] [ 1, 'a', 'b', 3 ] [ 2, 1, 3 ]\n"
    "Uint8Array(3) [ 3, 2, 1 ] Int16Array(2) [ 1, 3 ] Uint8Array(1) [ 7 ]\n"
    "1 findLast 0\n"
    "1 c false\n"
    "1970-01-01T00:00:00.000Z\n"
    "true true\n"
    "DataCloneError\n"
    "h\u00e9 65533\n"
    "withResolvers 5\n"
    "fromAsync [ 1, 2 ]\n"
)


async def test_es2022_to_es2025_built_ins_behave_as_specified(sandbox: AsyncSandbox) -> None:
    """Set methods, groupBy, change-by-copy, Error cause, withResolvers, fromAsync, structuredClone, TextEncoder."""
    result = await run_js(sandbox, BUILTINS_JS)
    assert (result.exit_code, result.stdout, result.stderr) == (0, BUILTINS_STDOUT, "")


async def test_an_engine_thrown_error_is_still_an_instance_of_the_replaced_constructors(sandbox: AsyncSandbox) -> None:
    """Errors the engine throws keep `instanceof` with Error and TypeError, whose constructors now take `cause`."""
    code = (
        "try { null.x; } catch (e) {\n"
        "  console.log(e instanceof TypeError, e instanceof Error, e.constructor === TypeError);\n"
        "}\n"
        "class MyErr extends RangeError {}\nconst m = new MyErr('m');\n"
        "console.log(m instanceof MyErr, m instanceof RangeError, m instanceof Error,"
        " Object.getPrototypeOf(MyErr) === RangeError);"
    )
    result = await run_js(sandbox, code)
    assert (result.exit_code, result.stdout) == (0, "true true true\ntrue true true true\n")


async def test_an_unknown_package_fails_as_in_node_and_says_npm_is_unavailable(sandbox: AsyncSandbox) -> None:
    """require('lodash') throws Node's MODULE_NOT_FOUND error, plus a sentence on npm packages."""
    code = "try { require('lodash'); } catch (e) { console.log(e.code); console.log(e.message); }"
    result = await run_js(sandbox, code)
    lines = result.stdout.splitlines()
    assert lines[:4] == ["MODULE_NOT_FOUND", "Cannot find module 'lodash'", "Require stack:", "- /main.js"]
    assert "npm packages cannot be installed in this sandbox" in lines[4]


@pytest.mark.parametrize(
    ("module", "reason"),
    [
        pytest.param("http", "there is no network", id="http"),
        pytest.param("node:https", "there is no network", id="https"),
        pytest.param("child_process", "no other processes", id="child_process"),
        pytest.param("worker_threads", "there are no threads", id="worker_threads"),
        pytest.param("node:dgram", "there is no network", id="dgram"),
    ],
)
async def test_a_module_the_sandbox_cannot_give_throws_a_coded_error(
    sandbox: AsyncSandbox, module: str, reason: str
) -> None:
    """The error has code ERR_UNAVAILABLE_IN_SANDBOX and names the module and why, in one line."""
    code = f"try {{ require({module!r}); }} catch (e) {{ console.log(e.code); console.log(e.message); }}"
    result = await run_js(sandbox, code)
    code_line, message = result.stdout.splitlines()
    assert code_line == "ERR_UNAVAILABLE_IN_SANDBOX"
    assert module.removeprefix("node:") in message and reason in message


async def test_node_prefixed_and_plain_builtin_names_are_the_same_module(sandbox: AsyncSandbox) -> None:
    """require('node:fs') and require('fs') return one object; fs/promises is fs.promises."""
    code = "console.log(require('node:fs') === require('fs'), require('fs/promises') === require('fs').promises);"
    result = await run_js(sandbox, code)
    assert result.stdout == "true true\n"


@pytest.mark.parametrize(
    ("code", "stdout"),
    [
        pytest.param(
            "x = 1; console.log(x, typeof module, this === module.exports);", "1 object true\n", id="sloppy-script"
        ),
        pytest.param(
            "'use strict';\ntry { y = 1; } catch (e) { console.log(e.name); }", "ReferenceError\n", id="use-strict"
        ),
        pytest.param(
            "import * as std from 'std';\nconsole.log(typeof std.open, this, typeof module);",
            "function undefined undefined\n",
            id="import-makes-a-module",
        ),
        pytest.param("export const a = 1;\nconsole.log(this);", "undefined\n", id="export-makes-a-module"),
        pytest.param(
            "const exportsLike = 1;\nexports.x = exportsLike;\nconsole.log(module.exports);",
            "{ x: 1 }\n",
            id="exports-is-not-export",
        ),
        pytest.param("console.log(1);\nreturn;\nconsole.log(2);", "1\n", id="top-level-return"),
        pytest.param("const v = await Promise.resolve(3);\nconsole.log(v);", "3\n", id="top-level-await-script"),
    ],
)
async def test_scripts_and_modules_are_told_apart_as_node_does(sandbox: AsyncSandbox, code: str, stdout: str) -> None:
    """A file with import/export statements is a module; any other is a sloppy CommonJS script."""
    result = await run_js(sandbox, code)
    assert (result.exit_code, result.stdout) == (0, stdout), result.stderr


async def test_an_mjs_entry_fails_with_a_rename_hint(sandbox: AsyncSandbox) -> None:
    """The engine's module loader reads only .js files: an .mjs entry says to rename it."""
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_fs("quickjs", "/app.mjs", {"/app.mjs": "console.log(1);"}, timeout=GENEROUS)
    assert result.exit_code == 1
    assert "rename '/app.mjs' to .js" in result.stderr


@pytest.mark.parametrize(
    ("code", "files", "location"),
    [
        pytest.param(
            "const a = 1;\n\nfunction f() {\n  throw new Error('here');\n}\nf();\n", {}, "/main.js:4", id="entry"
        ),
        pytest.param("#!/usr/bin/env node\nnull.x;\n", {}, "/main.js:2", id="after-hashbang"),
        pytest.param(
            "require('./lib.js').boom();\n",
            {"lib.js": "\n\nexports.boom = () => {\n  null.y;\n};\n"},
            "/lib.js:4",
            id="required-module",
        ),
        pytest.param(
            "import { boom } from './lib.js';\nboom();\n",
            {"lib.js": "export function boom() {\n  null.z;\n}\n"},
            "/lib.js:2",
            id="es-module",
        ),
    ],
)
async def test_an_uncaught_error_names_its_file_and_line(
    sandbox: AsyncSandbox, code: str, files: dict[str, str], location: str
) -> None:
    """The stack names the program's own file and line, never <evalScript>, and the run exits 1."""
    result = await run_js(sandbox, code, **files)
    assert result.exit_code == 1
    assert location in result.stderr
    assert "<evalScript>" not in result.stderr and "<input>" not in result.stderr


async def test_an_error_in_a_timer_exits_1_after_earlier_output(sandbox: AsyncSandbox) -> None:
    """A throw inside a timer callback prints the error with its stack and ends the run with status 1."""
    result = await run_js(sandbox, "console.log('a');\nsetTimeout(() => {\n  throw new RangeError('late');\n}, 1);\n")
    assert (result.exit_code, result.stdout) == (1, "a\n")
    assert "RangeError: late" in result.stderr and "/main.js:3" in result.stderr


async def test_process_exit_in_a_timer_runs_exit_handlers_and_stops(sandbox: AsyncSandbox) -> None:
    """process.exit(code) from a timer runs 'exit' listeners, flushes output and ends with that code."""
    code = (
        "process.on('exit', (c) => console.log('bye', c));\n"
        "setTimeout(() => { process.exit(5); }, 1);\n"
        "setInterval(() => {}, 1000);"
    )
    result = await run_js(sandbox, code)
    assert (result.exit_code, result.stdout) == (5, "bye 5\n")


async def test_stdin_is_read_lazily_so_quickjs_std_still_reads_it(sandbox: AsyncSandbox) -> None:
    """A program that reads stdin through std gets all of it: the prelude reads none unless asked."""
    code = "import * as std from 'std';\nconsole.log(std.in.getline());"
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_fs(
            "quickjs", "/main.js", {"/main.js": code}, stdin="first\nsecond\n", timeout=GENEROUS
        )
    assert result.stdout == "first\n"


async def test_process_argv_and_env_are_node_shaped(sandbox: AsyncSandbox) -> None:
    """argv starts with node's path and the entry; args that look like options reach the program."""
    code = "console.log(JSON.stringify(process.argv), process.env.GREETING, process.version.startsWith('v20'));"
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_fs(
            "quickjs", "/main.js", {"/main.js": code}, args=["--flag", "x"], env={"GREETING": "hi"}, timeout=GENEROUS
        )
    assert result.stdout == '["/usr/local/bin/node","/main.js","--flag","x"] hi true\n'


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("async function main() {\n  throw new Error('lost');\n}\nmain();\n", id="call-statement"),
        pytest.param("(async () => {\n  await null;\n  throw new Error('lost');\n})();\n", id="async-iife"),
        pytest.param(
            "const job = { async run() { throw new Error('lost'); } };\njob.run()\n", id="method-no-semicolon"
        ),
        pytest.param("const v = await Promise.resolve(1);\nPromise.reject(new Error('lost'));\n", id="top-level-await"),
    ],
)
async def test_a_rejection_nobody_handles_exits_1_with_the_error(sandbox: AsyncSandbox, code: str) -> None:
    """A promise whose rejection no one keeps ends the run with status 1 and the error on stderr, as in Node."""
    result = await run_js(sandbox, code)
    assert result.exit_code == 1
    assert "Error: lost" in result.stderr


async def test_marking_floating_calls_leaves_strings_and_continued_chains_alone(sandbox: AsyncSandbox) -> None:
    """A call line inside a template literal is text, and a chain continued on the next line keeps its catch."""
    code = (
        "const text = `\nmain();\n`;\n"
        "async function main() { throw new Error('handled'); }\n"
        "main()\n  .catch((e) => console.log('caught', e.message));\n"
        "console.log(JSON.stringify(text), /x(/.source === undefined);\n"
    ).replace("/x(/", "/x\\(/")
    result = await run_js(sandbox, code)
    assert (result.exit_code, result.stdout) == (0, '"\\nmain();\\n" false\ncaught handled\n'), result.stderr
