"""An OpenAI Agents SDK agent that answers a question by writing a program and running it with runno-mcp.

    python examples/agents/openai_agents_agent.py

The SDK's `MCPServerStdio` starts `python -m runno_mcp` over stdio and gives the agent its tools. By
default the model is a scripted `Model` subclass, so the example runs offline and needs no API key: it
calls run_code with a Python program, then answers with the program's output. The server, the tool
call and the sandbox are real. Tracing is turned off, so nothing is uploaded. To use a real model,
set its API key and name it:

    export OPENAI_API_KEY=...
    RUNNO_AGENT_MODEL=gpt-4.1 python examples/agents/openai_agents_agent.py

Other providers go through LiteLLM: `pip install "openai-agents[litellm]"`, then
`RUNNO_AGENT_MODEL=litellm/anthropic/claude-sonnet-4-5` with that provider's key.
"""

import json
import os
import sys
from collections.abc import AsyncIterator

import anyio
from agents import (
    Agent,
    AgentOutputSchemaBase,
    Handoff,
    Model,
    ModelResponse,
    ModelSettings,
    ModelTracing,
    Runner,
    Tool,
    TResponseInputItem,
    Usage,
    set_tracing_disabled,
)
from agents.items import TResponseStreamEvent
from agents.mcp import MCPServerStdio
from openai.types.responses import ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputText
from openai.types.responses.response_prompt_param import ResponsePromptParam

QUESTION = "What is the sum of the first 100 prime numbers?"
INSTRUCTIONS = (
    "Answer with the help of the run_code tool: write a short program that prints the answer, then report it."
)
MODEL_ENV = "RUNNO_AGENT_MODEL"

PRIMES_PY = """\
primes = []
n = 2
while len(primes) < 100:
    if all(n % p for p in primes if p * p <= n):
        primes.append(n)
    n += 1
print(sum(primes))
"""


def runno_server() -> MCPServerStdio:
    """The runno-mcp server over stdio; it starts when entered."""
    return MCPServerStdio(
        {
            "command": sys.executable,
            "args": ["-m", "runno_mcp"],
            # The child gets only a few safe variables besides these; pass on runno's own settings.
            "env": {
                "RUNNO_MCP_LOG_LEVEL": "WARNING",
                **{name: value for name, value in os.environ.items() if name.startswith("RUNNO_MCP_")},
            },
        },
        name="runno",
        client_session_timeout_seconds=60,  # the SDK's default of 5 s is shorter than a first run
        use_structured_content=True,  # the tool output is the result's JSON: {"stdout": ..., "exit_code": ...}
    )


class ScriptedModel(Model):
    """A stand-in for a real model: asks for one run_code call, then answers from the tool's output."""

    async def get_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None,
        conversation_id: str | None,
        prompt: ResponsePromptParam | None,
    ) -> ModelResponse:
        match input:
            case [*_, {"type": "function_call_output", "output": str(output)}]:  # the result's JSON
                answer = f"The sum of the first 100 prime numbers is {json.loads(output)['stdout'].strip()}."
            case [*_, {"type": "function_call_output", "output": error}]:  # an error: the server's text blocks
                answer = f"The program did not run: {error}"
            case _:
                arguments = json.dumps({"language": "python", "code": PRIMES_PY})
                call = ResponseFunctionToolCall(
                    type="function_call", call_id="call-1", name="run_code", arguments=arguments
                )
                return ModelResponse(output=[call], usage=Usage(), response_id=None)
        text = ResponseOutputText(type="output_text", text=answer, annotations=[])
        message = ResponseOutputMessage(
            id="msg-1", type="message", role="assistant", status="completed", content=[text]
        )
        return ModelResponse(output=[message], usage=Usage(), response_id=None)

    def stream_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None,
        conversation_id: str | None,
        prompt: ResponsePromptParam | None,
    ) -> AsyncIterator[TResponseStreamEvent]:
        raise NotImplementedError("The scripted model does not stream: use Runner.run")


def load_model() -> Model | str:
    """The model named by RUNNO_AGENT_MODEL, else the scripted stand-in."""
    return os.environ.get(MODEL_ENV) or ScriptedModel()


async def main() -> str:
    set_tracing_disabled(True)  # the SDK uploads traces to OpenAI by default
    async with runno_server() as server:
        agent = Agent(name="runno", instructions=INSTRUCTIONS, model=load_model(), mcp_servers=[server])
        result = await Runner.run(agent, QUESTION)
    answer = str(result.final_output)
    print(answer)
    return answer


if __name__ == "__main__":
    anyio.run(main)
