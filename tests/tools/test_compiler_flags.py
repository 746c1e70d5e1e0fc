"""`compiler_flags`: a C or C++ run's own flags reach the compiler (and `-l` the linker) through every
surface, and flags that would move the output, the target or the sysroot are refused with the rule."""

import json

import pytest
from mcp import Client
from pydantic import ValidationError

from runno_mcp import AsyncSandbox
from runno_mcp.errors import InvalidRequestError
from runno_mcp.models import RunOptions
from runno_mcp.tools.langchain import RunCodeTool

from ..test_cli import runno
from .test_mcp import call, text_of

pytestmark = pytest.mark.slow

C_MACROS = '#include <stdio.h>\n#include <math.h>\nint main(void) { printf("%s %d %.4f\\n", WORD, N, sqrt(2.0)); }\n'
CPP_OPTIONAL = (
    "#include <iostream>\n#include <optional>\n"
    'int main() { std::optional<int> x = 3; std::cout << x.value_or(0) << "\\n"; }\n'
)


async def test_macros_optimisation_warnings_and_a_library_reach_clang(sandbox: AsyncSandbox) -> None:
    flags = ['-DWORD="hi"', "-DN=7", "-O0", "-Wall", "-lm"]
    result = await sandbox.run_code("c", C_MACROS, compiler_flags=flags, timeout=60)
    assert (result.stdout, result.exit_code, result.failed_step) == ("hi 7 1.4142\n", 0, None), result.stderr


async def test_a_standard_flag_reaches_clangpp(sandbox: AsyncSandbox) -> None:
    result = await sandbox.run_code("cpp", CPP_OPTIONAL, compiler_flags=["-std=c++17"], timeout=60)
    assert (result.stdout, result.exit_code) == ("3\n", 0), result.stderr


async def test_a_warning_turned_error_fails_the_compile_step(sandbox: AsyncSandbox) -> None:
    code = "int main(void) { int unused; return 0; }\n"
    result = await sandbox.run_code("c", code, compiler_flags=["-Werror", "-Wunused-variable"], timeout=60)
    assert (result.failed_step, result.exit_code) == ("compile", 1)
    assert "unused variable 'unused'" in result.stderr


async def test_a_library_the_sysroot_lacks_is_named_by_the_linker(sandbox: AsyncSandbox) -> None:
    result = await sandbox.run_code("c", "int main(void) { return 0; }\n", compiler_flags=["-lcurl"], timeout=60)
    assert result.failed_step == "link" and "-lcurl" in result.stderr


@pytest.mark.parametrize(
    "flag",
    [
        "-o",
        "-o/tmp/x",
        "-c",
        "-E",
        "-S",
        "--sysroot=/x",
        "-isysroot/x",
        "-resource-dir=/x",
        "--target=wasm64-wasi",
        "-target",
        "-Wl,--export=main",
        "-Wa,-x",
        "-Xclang",
        "-Xlinker",
        "-mllvm",
        "-fplugin=/x.so",
        "-fprofile-generate",
        "-fexceptions",
        "-save-temps",
        "-MF/x",
        "@/flags.txt",
        "-D N",
        "-Irelative",
        "main.c",
    ],
)
def test_flags_that_would_move_the_output_target_or_sysroot_are_refused(flag: str) -> None:
    with pytest.raises(ValidationError, match="is not one the sandbox passes on"):
        RunOptions(compiler_flags=[flag])


@pytest.mark.parametrize(
    "flag",
    ["-std=c++20", "-std=gnu17", "-O3", "-Os", "-DX", "-DX=a b", "-UNDEBUG", "-Wall", "-Wno-unused", "-w", "-g"]
    + ["-pedantic-errors", "-fno-rtti", "-fwrapv", "-ffast-math", "-lm", "-lc++", "-I/include"],
)
def test_everyday_flags_are_taken(flag: str) -> None:
    assert RunOptions(compiler_flags=[flag]).compiler_flags == [flag]


async def test_a_refused_flag_is_a_clear_request_error_and_so_is_a_runtime_that_does_not_compile(
    sandbox: AsyncSandbox,
) -> None:
    with pytest.raises(InvalidRequestError, match=r"'-Wl,--export=all' is not one .* -std=, -O<level>"):
        await sandbox.run_code("c", "int main(void) {}", compiler_flags=["-Wl,--export=all"])
    with pytest.raises(InvalidRequestError, match="only runtimes that compile the program take them"):
        await sandbox.run_code("python", "print(1)", compiler_flags=["-O2"])


async def test_the_mcp_tool_passes_compiler_flags(stdio_client: Client) -> None:
    arguments = {"language": "c", "code": C_MACROS, "compiler_flags": ['-DWORD="mcp"', "-DN=2", "-lm"]}
    result = await call(stdio_client, "run_code", arguments)
    assert not result.is_error and "mcp 2 1.4142" in text_of(result)
    refused = await call(stdio_client, "run_code", {"language": "c", "code": C_MACROS, "compiler_flags": ["-o"]})
    assert refused.is_error and "is not one the sandbox passes on" in text_of(refused)


def test_the_langchain_tool_passes_compiler_flags() -> None:
    tool = RunCodeTool()
    try:
        text = tool.invoke({"language": "c", "code": C_MACROS, "compiler_flags": ['-DWORD="lc"', "-DN=3", "-lm"]})
    finally:
        tool.close()
    assert "lc 3 1.4142" in text


def test_the_command_line_passes_compiler_flags() -> None:
    done = runno("run", "c", "-c", C_MACROS, '--compiler-flag=-DWORD="cli"', "--compiler-flag=-DN=4", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stdout"] == "cli 4 1.4142\n"
