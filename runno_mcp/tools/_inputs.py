"""The arguments both tool layers share: the language enum, and a file as JSON carries it.

Owns `CodeLanguage`/`AnyLanguage` (a string whose schema lists the runtime ids and their aliases,
checked by the sandbox), `FileInput` ({path, content, encoding}), and turning
files into the `fs` mapping the sandbox takes, refusing duplicate paths and bad base64 with a
message that says what to change.
"""

import base64
import binascii
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, Field, WithJsonSchema

from runno_mcp.errors import InvalidRequestError
from runno_mcp.models import RUNTIMES
from runno_mcp.tools import _descriptions

__all__ = ["AnyLanguage", "CodeLanguage", "FileInput", "decode_files", "payload_bytes"]

# The schema's enum lists every name the sandbox accepts, runtime ids then aliases, so a model that
# writes "js" or "cpp" is not told otherwise; the sandbox still checks, and answers an unknown name
# with the list of known ones for clients that do not validate against the schema.
CodeLanguage = Annotated[
    str, WithJsonSchema({"type": "string", "enum": _descriptions.accepted_names(_descriptions.code_languages())})
]
"""A language `run_code` takes: every runtime whose program is source text."""
AnyLanguage = Annotated[str, WithJsonSchema({"type": "string", "enum": _descriptions.accepted_names(RUNTIMES)})]
"""A language `run_fs` takes: every runtime, `wasi` included."""


class FileInput(BaseModel):
    """One file to put in the sandbox before the run."""

    path: str = Field(description=_descriptions.FILE_PATH)
    content: str = Field(description=_descriptions.FILE_CONTENT)
    encoding: Literal["utf-8", "base64"] = Field(default="utf-8", description=_descriptions.FILE_ENCODING)


def decode_files(files: Sequence[FileInput]) -> dict[str, str | bytes]:
    """Return the files as the sandbox's `fs` mapping, base64 content decoded to bytes.

    Raises:
        InvalidRequestError: a path is given twice, or base64 content does not decode.
    """
    fs: dict[str, str | bytes] = {}
    for file in files:
        if file.path in fs:
            raise InvalidRequestError(f'Cannot run: file "{file.path}" is listed twice; give each path once')
        if file.encoding == "utf-8":
            fs[file.path] = file.content
            continue
        try:
            fs[file.path] = base64.b64decode(file.content, validate=True)
        except binascii.Error as exc:
            raise InvalidRequestError(
                f'Cannot decode file "{file.path}": its content is not valid base64 ({exc}); '
                'send text with encoding "utf-8" instead'
            ) from exc
    return fs


def payload_bytes(*parts: str | bytes | None) -> int:
    """The size in bytes of what a call sends: code, stdin, file contents."""
    total = 0
    for part in parts:
        if isinstance(part, bytes):
            total += len(part)
        elif part is not None:
            total += len(part.encode("utf-8", "surrogatepass"))
    return total
