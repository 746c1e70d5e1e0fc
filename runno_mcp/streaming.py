"""Streaming a run: output chunks as the program writes them, then its `RunResult`.

Owns decoding each stream incrementally (a UTF-8 character split across two writes arrives
whole, and the chunks concatenate to the result's `stdout` / `stderr`) and the task that runs
the program while the caller iterates. The task lives in the sandbox's own task group, so a
caller that stops iterating early never leaves a cancel scope behind in its generator.
"""

import codecs
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Literal

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from runno_mcp.models import OutputCallback, RunResult

__all__ = ["OutputChunk", "RunStream", "StreamEvent"]

Stream = Literal["stdout", "stderr"]


@dataclass(frozen=True)
class OutputChunk:
    """Text the program wrote to one stream, in the order it wrote it."""

    stream: Stream
    text: str


StreamEvent = OutputChunk | RunResult
"""What a `RunStream` yields: chunks while the program runs, then its one `RunResult`."""

StartRun = Callable[[OutputCallback], Awaitable[RunResult]]


class RunStream:
    """Iterate a run as it happens: `OutputChunk`s, then the `RunResult` last.

    ```python
    async for event in sandbox.stream_code("python", code):
        if isinstance(event, OutputChunk):
            print(event.text, end="")
        else:
            result = event
    ```

    An error the run raises (a refused argument, a busy sandbox) is raised by the iteration.
    Leaving early (`break`, or `aclose()`) cancels the run; `async with` closes it for you.
    """

    def __init__(self, start: StartRun, task_group: anyio.abc.TaskGroup) -> None:
        self._start = start
        self._task_group = task_group
        self._send: MemoryObjectSendStream[StreamEvent | BaseException]
        self._receive: MemoryObjectReceiveStream[StreamEvent | BaseException]
        # Unbounded: output is already capped by max_output_bytes, and the run must never block on a slow reader.
        self._send, self._receive = anyio.create_memory_object_stream[StreamEvent | BaseException](math.inf)
        self._scope = anyio.CancelScope()
        self._started = False
        self._finished = False

    def __aiter__(self) -> "RunStream":
        return self

    async def __anext__(self) -> StreamEvent:
        if self._finished:
            raise StopAsyncIteration
        if not self._started:
            self._started = True
            self._task_group.start_soon(self._produce)
        try:
            event = await self._receive.receive()
        except anyio.EndOfStream:
            self._finish()
            raise StopAsyncIteration from None
        if isinstance(event, BaseException):
            self._finish()
            raise event
        if isinstance(event, RunResult):
            self._finish()
        return event

    async def aclose(self) -> None:
        """Stop the run if it is still going and free the stream."""
        self._scope.cancel()
        self._finish()

    def _finish(self) -> None:
        self._finished = True
        self._receive.close()
        if not self._started:
            self._send.close()  # no producer will ever close it

    async def __aenter__(self) -> "RunStream":
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _produce(self) -> None:
        decoders: dict[Stream, codecs.IncrementalDecoder] = {
            "stdout": codecs.getincrementaldecoder("utf-8")("replace"),
            "stderr": codecs.getincrementaldecoder("utf-8")("replace"),
        }

        def emit(stream: Stream, text: str) -> None:
            if text:
                try:
                    self._send.send_nowait(OutputChunk(stream, text))
                except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                    pass  # the caller stopped listening; the run is being cancelled

        def on_output(stream: Stream, chunk: bytes) -> None:
            emit(stream, decoders[stream].decode(chunk))

        with self._send, self._scope:
            outcome: StreamEvent | BaseException
            try:
                outcome = await self._start(on_output)
            except Exception as exc:  # delivered to the caller, who raises it from the iteration
                outcome = exc
            for stream, decoder in decoders.items():
                emit(stream, decoder.decode(b"", final=True))
            try:
                self._send.send_nowait(outcome)
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                pass
