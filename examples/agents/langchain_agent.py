"""An agent that answers a question by writing a program and running it in the sandbox.

    python examples/agents/langchain_agent.py

By default the "model" is a scripted stand-in, so the example runs offline and needs no API key: it
writes a Python program, reads the tool's answer, and replies with it. The tool calls, the sandbox and
the messages are all real. To use a real model instead, install its LangChain package and the
`langchain` package, set its API key, and name it:

    pip install langchain langchain-anthropic
    export ANTHROPIC_API_KEY=...
    RUNNO_AGENT_MODEL=anthropic:claude-sonnet-4-5 python examples/agents/langchain_agent.py

Any chat model that supports tool calling works (`openai:gpt-4.1`, `google_genai:gemini-2.5-flash`, ...).
The loop below uses only langchain-core; `langchain.agents.create_agent(model, tools=toolkit.get_tools())`
drives the same tools.
"""

import os
import sys
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from runno_mcp.models import RunResult
from runno_mcp.tools.langchain import RunnoToolkit

QUESTION = "What is the sum of the first 100 prime numbers?"
SYSTEM = "Answer with the help of the run_code tool: write a short program that prints the answer, then report it."
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


class ScriptedChatModel(BaseChatModel):
    """A stand-in for a real model: asks for one run_code call, then answers from the tool's result."""

    def bind_tools(
        self, tools: Sequence[Any], *, tool_choice: str | None = None, **kwargs: Any
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        last = messages[-1]
        if isinstance(last, ToolMessage) and isinstance(last.artifact, RunResult):
            reply = AIMessage(content=f"The sum of the first 100 prime numbers is {last.artifact.stdout.strip()}.")
        elif isinstance(last, ToolMessage):
            reply = AIMessage(content=f"The program did not run: {last.content}")
        else:
            call = {"name": "run_code", "args": {"language": "python", "code": PRIMES_PY}, "id": "call-1"}
            reply = AIMessage(content="", tool_calls=[call])
        return ChatResult(generations=[ChatGeneration(message=reply)])

    @property
    def _llm_type(self) -> str:
        return "scripted"


def load_model() -> BaseChatModel:
    """The model named by RUNNO_AGENT_MODEL, else the scripted stand-in."""
    name = os.environ.get(MODEL_ENV)
    if not name:
        return ScriptedChatModel()
    from langchain.chat_models import init_chat_model  # only needed for a real model

    return init_chat_model(name)


def run_agent(model: BaseChatModel, tools: list[BaseTool], question: str, max_turns: int = 8) -> str:
    """Let the model call tools until it answers in words; return that answer."""
    bound = model.bind_tools(tools)
    by_name = {tool.name: tool for tool in tools}
    messages: list[BaseMessage] = [SystemMessage(SYSTEM), HumanMessage(question)]
    for _ in range(max_turns):
        reply = bound.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            return reply.text
        for call in reply.tool_calls:
            tool = by_name.get(call["name"])
            if tool is None:
                known = ", ".join(by_name)
                messages.append(
                    ToolMessage(f"No tool {call['name']!r}; use {known}", tool_call_id=call["id"] or "", status="error")
                )
                continue
            # Invoked with the whole tool call, a tool returns a ToolMessage: text for the model,
            # the RunResult as its artifact. A caller's mistake comes back as status="error".
            message: ToolMessage = tool.invoke(call)
            print(f"[{call['name']}] {message.content}", file=sys.stderr)
            messages.append(message)
    raise RuntimeError(f"no answer after {max_turns} turns")


def main() -> str:
    with RunnoToolkit() as toolkit:
        answer = run_agent(load_model(), toolkit.get_tools(), QUESTION)
    print(answer)
    return answer


if __name__ == "__main__":
    main()
