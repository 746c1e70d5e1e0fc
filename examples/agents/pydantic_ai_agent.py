"""A Pydantic AI agent that answers a question by writing a program and running it with runno-mcp.

    python examples/agents/pydantic_ai_agent.py

Pydantic AI 2 connects to MCP servers with `MCPToolset` (1.x called it `MCPServerStdio`); here it
starts `python -m runno_mcp` over stdio, and the agent gets the server's tools. By default the model
is a scripted `FunctionModel`, so the example runs offline and needs no API key: it calls run_code with
a Python program, then answers with the program's output. The server, the tool call and the sandbox
are real. To use a real model instead, install its extra, set its API key, and name it:

    pip install "pydantic-ai-slim[mcp,anthropic]"
    export ANTHROPIC_API_KEY=...
    RUNNO_AGENT_MODEL=anthropic:claude-sonnet-4-5 python examples/agents/pydantic_ai_agent.py

Any model name Pydantic AI knows works (`openai:gpt-4.1`, `google-gla:gemini-2.5-flash`, ...).
"""

import os
import sys

import anyio
from fastmcp.client.transports import StdioTransport
from pydantic_ai import Agent
from pydantic_ai.mcp import MCPToolset
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart, ToolReturnPart
from pydantic_ai.models import Model
from pydantic_ai.models.function import AgentInfo, FunctionModel

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


def runno_toolset() -> MCPToolset:
    """The runno-mcp server over stdio, as a toolset; it starts when the agent is entered."""
    transport = StdioTransport(
        command=sys.executable,
        args=["-m", "runno_mcp"],
        # The child gets only a few safe variables besides these; pass on runno's own settings.
        env={
            "RUNNO_MCP_LOG_LEVEL": "WARNING",
            **{name: value for name, value in os.environ.items() if name.startswith("RUNNO_MCP_")},
        },
        keep_alive=False,  # stop the server when the agent is exited, not at interpreter exit
    )
    return MCPToolset(transport)


def stdout_of(content: object) -> str:
    """The program's output: the result's "stdout" when the server sent structured content, else its text."""
    match content:
        case {"stdout": str(stdout)}:
            return stdout.strip()
        case _:
            return str(content)


def scripted_model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    """A stand-in for a real model: asks for one run_code call, then answers from the tool's result."""
    returns = [part for part in messages[-1].parts if isinstance(part, ToolReturnPart)]
    if not returns:
        return ModelResponse(parts=[ToolCallPart("run_code", {"language": "python", "code": PRIMES_PY})])
    if returns[0].outcome != "success":
        return ModelResponse(parts=[TextPart(f"The program did not run: {returns[0].content}")])
    answer = f"The sum of the first 100 prime numbers is {stdout_of(returns[0].content)}."
    return ModelResponse(parts=[TextPart(answer)])


def load_model() -> Model | str:
    """The model named by RUNNO_AGENT_MODEL, else the scripted stand-in."""
    return os.environ.get(MODEL_ENV) or FunctionModel(scripted_model)


async def main() -> str:
    agent = Agent(load_model(), instructions=INSTRUCTIONS, toolsets=[runno_toolset()])
    async with agent:  # starts the server once, for every run inside
        result = await agent.run(QUESTION)
    print(result.output)
    return result.output


if __name__ == "__main__":
    anyio.run(main)
