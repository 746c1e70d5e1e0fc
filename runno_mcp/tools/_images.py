"""Which image files a run wrote go back to the model as images, under the operator's caps.

Owns the caps (how many images, bytes per image, bytes of all images of one call), the choice of
images within them, and the line per image the text block carries: attached, or why not and where
the file is instead. The images themselves are found by `RunResult.images`; the MCP and LangChain
tools wrap the chosen bytes in their own content blocks.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from runno_mcp.models import BinaryFile, RunImage, RunResult, StringFile, file_bytes

__all__ = [
    "DEFAULT_MAX_IMAGES",
    "DEFAULT_MAX_IMAGE_BYTES",
    "DEFAULT_MAX_TOTAL_IMAGE_BYTES",
    "Attachment",
    "ImageLimits",
    "attach_images",
    "format_bytes",
    "format_limit",
    "result_content",
]

DEFAULT_MAX_IMAGES = 4  # per call: plots of one analysis, not a gallery
DEFAULT_MAX_IMAGE_BYTES = 2 * 1024 * 1024  # per image: a large plot; model APIs refuse images past ~5 MB
DEFAULT_MAX_TOTAL_IMAGE_BYTES = 4 * 1024 * 1024  # per call: the images are also in the result's fs, base64


@dataclass(frozen=True)
class ImageLimits:
    """How many image files, and how many bytes, one call may send back as images."""

    max_images: int = DEFAULT_MAX_IMAGES
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES
    max_total_image_bytes: int = DEFAULT_MAX_TOTAL_IMAGE_BYTES


@dataclass(frozen=True)
class Attachment:
    """An image file chosen to go back as an image, with its bytes."""

    image: RunImage
    data: bytes


def attach_images(
    images: Sequence[RunImage], fs: dict[str, StringFile | BinaryFile], limits: ImageLimits, *, elsewhere: str
) -> tuple[list[Attachment], list[str]]:
    """The images to attach, in path order within the caps, and one line per image for the text block.

    An image over the per-image cap, past the count, or that would take the call past its total is
    left out; a smaller one after it may still fit. `elsewhere` says where a left-out file can still
    be found, for example "it is in structuredContent fs".
    """
    attached: list[Attachment] = []
    lines: list[str] = []
    total = 0
    for image in images:
        size = format_bytes(image.size_bytes)
        if image.size_bytes > limits.max_image_bytes:
            reason = f"over the limit of {format_limit(limits.max_image_bytes)} per image"
        elif len(attached) >= limits.max_images:
            noun = "image" if limits.max_images == 1 else "images"
            reason = f"the limit of {limits.max_images} {noun} per call is reached"
        elif total + image.size_bytes > limits.max_total_image_bytes:
            reason = f"it would take the call's images past {format_limit(limits.max_total_image_bytes)} together"
        else:
            attached.append(Attachment(image, file_bytes(fs[image.path])))
            total += image.size_bytes
            lines.append(f"image {image.path} ({_describe(image)}, {size}): attached below as image {len(attached)}")
            continue
        lines.append(f"image {image.path} ({_describe(image)}, {size}) not attached: {reason}; {elsewhere}")
    return attached, lines


def _describe(image: RunImage) -> str:
    if image.width is None or image.height is None:
        return image.mime_type
    return f"{image.mime_type}, {image.width}x{image.height}"


def format_bytes(size: int) -> str:
    """`size` for a reader: "512 bytes", "3.5 KiB", "2 MiB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KiB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MiB"


def format_limit(size: int) -> str:
    """A limit as the operator would write it: "2 MiB", "512 KiB", or exact bytes."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


def result_content(result: RunResult, limits: ImageLimits, *, elsewhere: str) -> tuple[str, list[Attachment]]:
    """What a tool answers a run with, for any framework: the text a model reads first, then the images
    to attach after it, within `limits`; `elsewhere` says where a left-out image still is."""
    attached, lines = attach_images(result.images, result.fs, limits, elsewhere=elsewhere)
    text = result.as_text()
    if lines:
        text += "\n--- images ---\n" + "\n".join(lines)
    return text, attached
