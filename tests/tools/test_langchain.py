"""The LangChain tools as an agent sees them: schemas, tool messages, errors, and a full agent loop."""

import base64
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Sequence
from typing import Any

import anyio
import pytest
from inline_snapshot import snapshot
from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from runno_mcp.models import RunResult
from runno_mcp.tools.langchain import RunCodeTool, RunFilesTool, RunnoToolkit
from tests.images_support import NOT_PNG, expected_bytes, writer_program

CALL_TIMEOUT = 60.0  # seconds: generous for a cold engine on a slow CI machine
RESERVED = {"runtime", "config", "callbacks", "run_manager"}  # LangChain swallows these argument names


@pytest.fixture(scope="module")
def toolkit() -> Iterator[RunnoToolkit]:
    with RunnoToolkit(default_timeout=30) as shared:  # room for a cold start on a busy machine
        yield shared


@pytest.fixture(scope="module")
def run_code(toolkit: RunnoToolkit) -> BaseTool:
    return toolkit.get_tools()[0]


@pytest.fixture(scope="module")
def run_fs(toolkit: RunnoToolkit) -> BaseTool:
    return toolkit.get_tools()[1]


async def ainvoke(tool: BaseTool, tool_input: dict[str, Any]) -> Any:
    with anyio.fail_after(CALL_TIMEOUT):
        return await tool.ainvoke(tool_input)


def tool_call(name: str, args: dict[str, Any], call_id: str = "call-1") -> dict[str, Any]:
    return {"type": "tool_call", "id": call_id, "name": name, "args": args}


def test_toolkit_offers_run_code_and_run_fs(toolkit: RunnoToolkit) -> None:
    """The toolkit's tools are named run_code and run_fs, with no argument LangChain reserves."""
    tools = toolkit.get_tools()
    assert [tool.name for tool in tools] == ["run_code", "run_fs"]
    for tool in tools:
        assert not RESERVED & set(tool.args)
        assert tool.response_format == "content_and_artifact"


def test_run_code_schema_as_a_model_sees_it() -> None:
    """bind_tools sends language (an enum of runtime ids and aliases), code, and optional stdin and timeout."""
    parameters = convert_to_openai_tool(RunCodeTool())["function"]["parameters"]
    for field in parameters["properties"].values():
        field.pop("description")
    assert parameters == snapshot(
        {
            "properties": {
                "language": {
                    "enum": [
                        "clang",
                        "clangpp",
                        "php-cgi",
                        "python",
                        "python-sci",
                        "quickjs",
                        "ruby",
                        "sqlite",
                        "c",
                        "c++",
                        "cpp",
                        "javascript",
                        "js",
                        "php",
                        "sql",
                    ],
                    "type": "string",
                },
                "code": {"type": "string"},
                "stdin": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
                "timeout": {"anyOf": [{"type": "number"}, {"type": "null"}], "default": None},
                "memory_limit_mb": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
                "compiler_flags": {
                    "anyOf": [{"items": {"type": "string"}, "maxItems": 64, "type": "array"}, {"type": "null"}],
                    "default": None,
                },
            },
            "required": ["language", "code"],
            "type": "object",
        }
    )


def test_run_fs_schema_as_a_model_sees_it() -> None:
    """run_fs takes files as a list of {path, content, encoding}, with the entry path among them."""
    parameters = convert_to_openai_tool(RunFilesTool())["function"]["parameters"]
    assert parameters["required"] == ["language", "entry_path", "files"]
    assert parameters["properties"]["files"]["items"]["required"] == ["path", "content"]
    assert parameters["properties"]["language"]["enum"] == [
        "clang",
        "clangpp",
        "php-cgi",
        "python",
        "python-sci",
        "quickjs",
        "ruby",
        "sqlite",
        "wasi",
        "c",
        "c++",
        "cpp",
        "javascript",
        "js",
        "php",
        "sql",
    ]


def test_invoke_with_plain_args_returns_the_text(run_code: BaseTool) -> None:
    """Invoked with plain arguments, the tool returns the compact text a model reads."""
    assert run_code.invoke({"language": "python", "code": "print(6 * 7)"}) == snapshot("""\
result: complete, exit code 0
--- stdout ---
42\
""")


def test_invoke_with_a_tool_call_returns_a_message_with_the_result(run_code: BaseTool) -> None:
    """Invoked with a ToolCall, the tool returns a ToolMessage whose artifact is the RunResult."""
    message = run_code.invoke(tool_call("run_code", {"language": "ruby", "code": "puts 6 * 7"}))
    assert isinstance(message, ToolMessage)
    assert (message.status, message.tool_call_id, message.name) == ("success", "call-1", "run_code")
    assert isinstance(message.artifact, RunResult)
    assert (message.artifact.result_type, message.artifact.stdout) == ("complete", "42\n")


async def test_ainvoke_with_plain_args_returns_the_text(run_code: BaseTool) -> None:
    """The async path gives the same text as the blocking one."""
    text = await ainvoke(run_code, {"language": "js", "code": "console.log(6 * 7)"})
    assert text.endswith("--- stdout ---\n42")


async def test_ainvoke_with_a_tool_call_returns_a_message_with_the_result(run_fs: BaseTool) -> None:
    """run_fs through ainvoke: files in as utf-8 and base64, written files back in the artifact."""
    code = "data = open('/in.bin', 'rb').read()\nopen('/out.bin', 'wb').write(data[::-1])\nprint(open('/n.txt').read())"
    files = [
        {"path": "/main.py", "content": code},
        {"path": "/n.txt", "content": "forty-two"},
        {"path": "/in.bin", "content": base64.b64encode(b"\x00\xff\x10").decode(), "encoding": "base64"},
    ]
    message = await ainvoke(
        run_fs, tool_call("run_fs", {"language": "python", "entry_path": "/main.py", "files": files})
    )
    assert isinstance(message, ToolMessage) and isinstance(message.artifact, RunResult)
    assert message.artifact.stdout == "forty-two\n"
    assert message.artifact.fs["/out.bin"].content == b"\x10\xff\x00"
    assert "/out.bin (binary, 3 bytes)" in message.text


def test_stdin_and_timeout_arguments_reach_the_run(run_code: BaseTool) -> None:
    """stdin is what the program reads; timeout_seconds bounds the run."""
    message = run_code.invoke(
        tool_call("run_code", {"language": "python", "code": "print(input()[::-1])", "stdin": "abc\n"})
    )
    assert message.artifact.stdout == "cba\n"


@pytest.mark.parametrize(
    ("code", "timeout", "result_type", "exit_code"),
    [
        pytest.param("raise ValueError('boom')", 30, "complete", 1, id="exception"),
        pytest.param("while True: pass", 2, "timeout", None, id="timeout"),
    ],
)
def test_a_failing_program_is_a_normal_result(
    run_code: BaseTool, code: str, timeout: float, result_type: str, exit_code: int | None
) -> None:
    """A guest that fails or times out is a successful tool call the model can read, not an error."""
    message = run_code.invoke(tool_call("run_code", {"language": "python", "code": code, "timeout": timeout}))
    assert message.status == "success"
    assert (message.artifact.result_type, message.artifact.exit_code) == (result_type, exit_code)


@pytest.mark.parametrize(
    ("args", "text"),
    [
        pytest.param(
            {"language": "cobol", "code": "x"},
            'Cannot run "cobol": known runtimes are clang, clangpp, php-cgi, python, python-sci, quickjs, ruby, '
            "sqlite, wasi",
            id="unknown-language",
        ),
        pytest.param(
            {"language": "python", "code": "x", "timeout": 1000},
            "it must be more than 0 and at most 60 seconds",
            id="timeout-over-max",
        ),
        pytest.param(
            {"language": "python"},
            "Cannot run: fix these arguments and call again: code: Field required",
            id="missing-code",
        ),
    ],
)
def test_caller_mistakes_come_back_as_error_messages(run_code: BaseTool, args: dict[str, Any], text: str) -> None:
    """With handle_tool_error on (the default), a mistake is a ToolMessage with status "error"."""
    message = run_code.invoke(tool_call("run_code", args))
    assert message.status == "error"
    assert text in message.content


async def test_bad_files_come_back_as_error_messages(run_fs: BaseTool) -> None:
    """A bad base64 file or an entry not among the files says what to change."""
    args = {"language": "python", "entry_path": "/main.py", "files": [{"path": "/x.py", "content": "print(1)"}]}
    message = await ainvoke(run_fs, tool_call("run_fs", args))
    assert (message.status, message.content) == (
        "error",
        'Cannot run "/main.py": it is not among the files given (/x.py)',
    )
    args["files"] = [{"path": "/main.py", "content": "%%%", "encoding": "base64"}]
    message = await ainvoke(run_fs, tool_call("run_fs", args))
    assert message.status == "error" and 'Cannot decode file "/main.py"' in message.content


def test_caller_mistakes_raise_tool_exception_when_not_handled() -> None:
    """With handle_tool_error off, the mistake is raised as a ToolException for the caller to catch."""
    from langchain_core.tools import ToolException

    tool = RunCodeTool(handle_tool_error=False)
    with pytest.raises(ToolException, match='Cannot run "cobol"'):
        tool.invoke({"language": "cobol", "code": "x"})


class ToolCallingFakeModel(GenericFakeChatModel):
    """langchain-core's scripted chat model, made to accept tools as a real one does."""

    def bind_tools(
        self, tools: Sequence[Any], *, tool_choice: str | None = None, **kwargs: Any
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self


def test_an_agent_loop_runs_the_code_and_reads_the_answer(toolkit: RunnoToolkit) -> None:
    """langchain's create_agent calls run_code for the model and hands the program's output back."""
    agents = pytest.importorskip("langchain.agents")
    call = {"name": "run_code", "args": {"language": "python", "code": "print(sum(range(101)))"}, "id": "call-1"}
    model = ToolCallingFakeModel(
        messages=iter([AIMessage(content="", tool_calls=[call]), AIMessage(content="The sum is 5050.")])
    )
    agent = agents.create_agent(model, tools=toolkit.get_tools())
    state = agent.invoke({"messages": [("user", "What is 1 + 2 + ... + 100?")]})
    tool_messages = [message for message in state["messages"] if isinstance(message, ToolMessage)]
    assert len(tool_messages) == 1
    assert tool_messages[0].status == "success"
    assert tool_messages[0].artifact.stdout == "5050\n"
    assert state["messages"][-1].content == "The sum is 5050."


async def test_concurrent_async_calls_share_the_toolkit_sandbox(run_code: BaseTool) -> None:
    """Several ainvoke calls in flight at once each get their own result from the one engine."""
    outputs: dict[int, str] = {}

    async def run(index: int) -> None:
        message = await ainvoke(
            run_code, tool_call("run_code", {"language": "python", "code": f"print({index})"}, f"call-{index}")
        )
        outputs[index] = message.artifact.stdout

    async with anyio.create_task_group() as tg:
        for index in range(6):
            tg.start_soon(run, index)
    assert outputs == {index: f"{index}\n" for index in range(6)}


def test_a_toolkit_never_closed_leaves_no_engine_running() -> None:
    """A script that uses the tools and exits without closing them leaves no engine process behind."""
    if not os.path.isdir("/proc/self/task"):
        pytest.skip("reads child processes from /proc")
    script = textwrap.dedent(
        """
        import os
        from runno_mcp.tools.langchain import RunnoToolkit

        tools = RunnoToolkit().get_tools()
        print(tools[0].invoke({"language": "python", "code": "print(1)"}).splitlines()[-1])
        children = set()
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as f:
                children.update(f.read().split())
        print(" ".join(sorted(children)))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    last_output, children = done.stdout.splitlines()
    assert last_output == "1"
    assert children, "the engine should have been a child process"
    for pid in children.split():
        assert not os.path.exists(f"/proc/{pid}"), f"engine process {pid} outlived the script"


async def test_cancelling_ainvoke_stops_the_run() -> None:
    """A cancelled async call ends its run in the engine: with one slot, the next call runs at once.

    The endless run asks for 100 s; had cancelling left it running, the next call would wait for it.
    """
    tool = RunCodeTool(max_concurrency=1, max_timeout=100, default_timeout=30)
    try:
        await ainvoke(tool, {"language": "python", "code": "pass"})  # the engine is up and warm
        with anyio.move_on_after(2):
            await tool.ainvoke({"language": "python", "code": "while True: pass", "timeout": 100})
        with anyio.fail_after(30):
            text = await tool.ainvoke({"language": "python", "code": "print('next')"})
        assert text.endswith("--- stdout ---\nnext")
    finally:
        await anyio.to_thread.run_sync(tool.close)


def test_a_toolkit_bound_to_a_live_session_keeps_files_and_variables_between_calls() -> None:
    """The model never sees a session id: the program uploads a CSV, three tool calls share its variables,
    and the program reads the file the last call wrote."""
    with RunnoToolkit(default_timeout=30, session="live") as toolkit:
        run_code, run_fs = toolkit.get_tools()
        toolkit.bound_session().write_files({"/cities.csv": "city,population\nLyon,522000\nParis,2103000\n"})
        load = "import csv\nrows = list(csv.DictReader(open('/cities.csv')))"
        assert run_code.invoke({"language": "python", "code": load}).startswith("result: complete, exit code 0")
        message = run_code.invoke(tool_call("run_code", {"language": "python", "code": "print(len(rows))"}))
        assert message.artifact.stdout == "2\n"
        save = {"path": "/save.py", "content": "open('/top.txt', 'w').write(rows[-1]['city'])"}
        run_fs.invoke({"language": "python", "entry_path": "/save.py", "files": [save]})
        [top] = toolkit.bound_session().read_files(["/top.txt"]).values()
        assert top.content == "Paris"


async def test_a_toolkit_bound_to_a_file_session_shares_files_across_languages() -> None:
    async with RunnoToolkit(default_timeout=30, session="files") as toolkit:
        run_code = toolkit.get_tools()[0]
        with anyio.fail_after(CALL_TIMEOUT):
            await run_code.ainvoke({"language": "ruby", "code": "File.write('/n.txt', '21')"})
            message = await run_code.ainvoke(
                tool_call("run_code", {"language": "python", "code": "print(int(open('/n.txt').read()) * 2)"})
            )
        assert message.artifact.stdout == "42\n"


def test_a_toolkit_without_a_session_keeps_nothing_and_says_so() -> None:
    with RunnoToolkit(default_timeout=30) as toolkit:
        run_code = toolkit.get_tools()[0]
        run_code.invoke({"language": "python", "code": "open('/n.txt', 'w').write('1')"})
        message = run_code.invoke(
            tool_call("run_code", {"language": "python", "code": "import os\nprint(os.path.exists('/n.txt'))"})
        )
        assert message.artifact.stdout == "False\n"
        with pytest.raises(ValueError, match='session="files" or "live"'):
            toolkit.bound_session()


IMAGE_PNGS = {"/plot.png": (3, 2), "/wide.png": (20, 4)}
IMAGE_OTHERS: dict[str, bytes | str] = {"/fake.png": NOT_PNG}


async def test_the_artifact_lists_image_files_and_the_text_names_them(run_code: BaseTool) -> None:
    """By default the model reads text naming each image file, and the artifact holds the images and their bytes."""
    code = writer_program(IMAGE_PNGS, IMAGE_OTHERS)
    message = await ainvoke(run_code, tool_call("run_code", {"language": "python", "code": code}))
    assert isinstance(message, ToolMessage) and isinstance(message.artifact, RunResult)
    written = expected_bytes(IMAGE_PNGS, IMAGE_OTHERS)
    result = message.artifact
    assert [(image.path, image.width, image.height) for image in result.images] == [
        ("/plot.png", 3, 2),
        ("/wide.png", 20, 4),
    ]
    assert {path: result.fs[path].content for path in ("/plot.png", "/wide.png")} == {
        path: written[path] for path in ("/plot.png", "/wide.png")
    }
    assert isinstance(message.content, str)
    assert f"/plot.png (image/png, 3x2, {len(written['/plot.png'])} bytes)" in message.content
    assert f"/fake.png (text, {len(NOT_PNG)} bytes)" in message.content
    assert "come back as images" not in run_code.description  # the model is not promised what it will not see


@pytest.mark.parametrize("images_in_content", [False, True])
def test_tool_descriptions_stay_under_700_characters(images_in_content: bool) -> None:
    """A tool's description goes with every model request; the details are in docs/tools.md."""
    for tool in (RunCodeTool(images_in_content=images_in_content), RunFilesTool(images_in_content=images_in_content)):
        assert len(tool.description) < 700, (tool.name, len(tool.description))


async def test_images_in_content_sends_image_blocks_within_the_caps() -> None:
    """With images_in_content, the content is a text block then standard image blocks with the exact bytes;
    an image past max_images stays in the artifact, and the text says so."""
    async with RunnoToolkit(default_timeout=30, images_in_content=True, max_images=1) as images_toolkit:
        tool = images_toolkit.get_tools()[0]
        assert "come back as images" in tool.description
        code = writer_program(IMAGE_PNGS, IMAGE_OTHERS)
        message = await ainvoke(tool, tool_call("run_code", {"language": "python", "code": code}))
    assert isinstance(message, ToolMessage) and isinstance(message.artifact, RunResult)
    written = expected_bytes(IMAGE_PNGS, IMAGE_OTHERS)
    assert isinstance(message.content, list)
    text, *images = message.content
    assert isinstance(text, dict) and text["type"] == "text"
    blocks = [block for block in images if isinstance(block, dict)]
    assert [(block["type"], block["mime_type"], base64.b64decode(block["base64"])) for block in blocks] == [
        ("image", "image/png", written["/plot.png"])
    ]
    assert len(blocks) == len(images)
    assert text["text"].endswith(
        f"--- images ---\nimage /plot.png (image/png, 3x2, {len(written['/plot.png'])} bytes): attached below as "
        f"image 1\nimage /wide.png (image/png, 20x4, {len(written['/wide.png'])} bytes) not attached: the limit of "
        "1 image per call is reached; it is in the tool message's artifact"
    )
    assert [image.path for image in message.artifact.images] == ["/plot.png", "/wide.png"]
