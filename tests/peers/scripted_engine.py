"""A scripted stand-in for the engine, for what the real engine cannot be made to do.

It speaks our framing on stdin/stdout and misbehaves on cue: silence at startup, exiting
during the handshake, a torn frame, a garbage length, a run never answered, a wedged loop.
Behaviour tests use the real engine; this peer only exercises the Python side's handling
of a broken peer.

Usage: python scripted_engine.py MODE [ignored deno arguments...]
"""

import base64
import json
import struct
import sys
import time

HEADER = struct.Struct(">I")


def read_message() -> dict[str, object] | None:
    header = sys.stdin.buffer.read(4)
    if len(header) < 4:
        return None
    (size,) = HEADER.unpack(header)
    return json.loads(sys.stdin.buffer.read(size))


def write_raw(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def write_message(message: dict[str, object]) -> None:
    body = json.dumps(message).encode("utf-8")
    write_raw(HEADER.pack(len(body)) + body)


def initialize_result() -> dict[str, object]:
    runtimes = [{"id": name, "installed": True} for name in ("python", "quickjs")]
    return {"protocol_version": 1, "engine_version": "scripted", "deno_version": "0", "runtimes": runtimes}


def main() -> None:
    mode = sys.argv[1]
    if mode == "silent":  # never answers; waits for stdin to close
        sys.stdin.buffer.read()
        return
    if mode == "exit":
        print("Cannot start the engine: scripted failure", file=sys.stderr, flush=True)
        sys.exit(3)
    if mode == "old-protocol":
        request = read_message()
        assert request is not None
        result = {**initialize_result(), "protocol_version": 999}
        write_message({"jsonrpc": "2.0", "id": request["id"], "result": result})
        sys.stdin.buffer.read()
        return
    while (request := read_message()) is not None:
        method, request_id = request["method"], request.get("id")
        params = request.get("params")
        assert isinstance(params, dict)
        if method == "initialize":
            write_message({"jsonrpc": "2.0", "id": request_id, "result": initialize_result()})
        elif method == "shutdown":
            write_message({"jsonrpc": "2.0", "id": request_id, "result": {}})
            return
        elif method == "cancel":
            write_message({"jsonrpc": "2.0", "id": request_id, "result": {"cancelled": True}})
        elif method == "prepare":  # no snapshots here: every run boots
            write_message({"jsonrpc": "2.0", "id": request_id, "result": {"snapshot": False}})
        elif method == "run" and mode == "torn":
            write_raw(HEADER.pack(100) + b'{"jsonrpc"')
            return
        elif method == "run" and mode == "garbage":
            write_raw(b"\xff\xff\xff\xff" + b"x" * 16)
            time.sleep(30)
            return
        elif method == "run" and mode == "hang":
            continue  # never answers the run; only `cancel` and `shutdown`
        elif method == "run" and mode == "wedged":
            sys.stdin.buffer.read()  # stops answering anything at all
            return
        elif method == "run":  # "echo": the entry file's content comes back on stdout
            files = {file["path"]: file["content"] for file in params["files"]}  # pyright: ignore[reportUnknownVariableType]
            text = base64.b64decode(files[params["entry"]]).decode("utf-8")  # pyright: ignore[reportUnknownArgumentType]
            if params["stream_output"]:
                chunk = base64.b64encode(text.encode("utf-8")).decode("ascii")
                write_message(
                    {
                        "jsonrpc": "2.0",
                        "method": "output",
                        "params": {"run_id": request_id, "stream": "stdout", "chunk": chunk},
                    }
                )
            result: dict[str, object] = {
                "result_type": "complete",
                "exit_code": 0,
                "stdout": text,
                "stderr": "",
                "tty": text,
                "files": [],
                "truncated": False,
                "warnings": [],
                "duration_ms": 1,
                "error": None,
            }
            write_message({"jsonrpc": "2.0", "id": request_id, "result": result})
        else:
            error = {"code": -32601, "message": f'Cannot handle method "{method}": unknown method'}
            write_message({"jsonrpc": "2.0", "id": request_id, "error": error})


if __name__ == "__main__":
    main()
