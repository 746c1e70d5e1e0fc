"""An agent that analyses a CSV in several tool calls, sharing variables through a live session.

    python examples/agents/langchain_session_agent.py

The toolkit is bound to one live session (`RunnoToolkit(session="live")`): every run_code call of the
model runs in the same Python interpreter, so what one call defines the next can use, and the model
never handles a session id. The program uploads the data before the agent starts and downloads the
report the agent wrote afterwards.

By default the model is a scripted stand-in (offline, no API key); set RUNNO_AGENT_MODEL as in
langchain_agent.py to use a real one.
"""

import os
import sys
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from runno_mcp.models import StringFile
from runno_mcp.tools.langchain import RunnoToolkit

sys.path.insert(0, str(Path(__file__).parent))  # the agent loop and model loading of langchain_agent.py
from langchain_agent import MODEL_ENV, ScriptedChatModel, load_model, run_agent

QUESTION = "Which region sold the most in /sales.csv? Write the answer to /report.txt."
SALES_CSV = "region,amount\nnorth,120\nsouth,80\nnorth,35\neast,60\n"

# What the scripted model does, one tool call per turn: load, aggregate, write the report.
SCRIPT = [
    "import csv\nrows = list(csv.DictReader(open('/sales.csv')))\nprint(len(rows), 'rows')",
    "totals = {}\nfor row in rows:\n    totals[row['region']] = totals.get(row['region'], 0) + int(row['amount'])\n"
    "print(totals)",
    "best = max(totals, key=totals.get)\nopen('/report.txt', 'w').write(f'{best}: {totals[best]}')\nprint(best)",
]


class ScriptedAnalyst(ScriptedChatModel):
    """A stand-in for a real model: one run_code call per step of SCRIPT, then an answer in words."""

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        done = [message for message in messages if isinstance(message, ToolMessage)]
        if len(done) < len(SCRIPT):
            code = SCRIPT[len(done)]
            call = {"name": "run_code", "args": {"language": "python", "code": code}, "id": f"call-{len(done)}"}
            reply = AIMessage(content="", tool_calls=[call])
        else:
            reply = AIMessage(content=f"The top region is {str(done[-1].content).splitlines()[-1]}.")
        return ChatResult(generations=[ChatGeneration(message=reply)])


def main() -> str:
    with RunnoToolkit(session="live") as toolkit:
        session = toolkit.bound_session()
        session.write_files({"/sales.csv": SALES_CSV})
        model = load_model() if os.environ.get(MODEL_ENV) else ScriptedAnalyst()
        answer = run_agent(model, toolkit.get_tools(), QUESTION)
        report = session.read_files(["/report.txt"])["/report.txt"]
    assert isinstance(report, StringFile)
    print(answer)
    print(f"/report.txt: {report.content}")
    return report.content


if __name__ == "__main__":
    main()
