"""Reading MIME messages without loading their attachments.

A message is read line by line; the bodies of parts that no renderer shows
(attachments, nested messages, images nothing can reference) are dropped as they
stream past, so a multi-MB attachment never sits in memory. Headers are kept, so
the part and its file name stay visible to a reader of the result. A message nested
deeper than MAX_DEPTH multiparts is refused (TooDeep) before any recursive parser sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import BinaryIO

from onevoice.errors import EmailError

_HEADER_PARSER = BytesParser(policy=policy.default)
MAX_DEPTH = 50  # multiparts inside multiparts; real mail nests a handful, Python's parser fails near 300


class TooDeep(EmailError):
    """A message whose multipart parts nest deeper than MAX_DEPTH."""

    def __init__(self) -> None:
        super().__init__(
            f"the message's multipart parts nest more than {MAX_DEPTH} levels deep, deeper than onevoice reads "
            "(real mail nests a handful)"
        )


def parse_headers(header_bytes: bytes) -> EmailMessage:
    """The header block of a message or part (no body), parsed."""
    return _HEADER_PARSER.parsebytes(header_bytes, headersonly=True)


def read_headers(stream: BinaryIO) -> EmailMessage:
    """The top-level headers of the message in `stream`, reading no further than they go."""
    lines = []
    for line in stream:
        if not line.strip(b"\r\n"):
            break
        lines.append(line)
    return parse_headers(b"".join(lines))


def shows_body(part_headers: EmailMessage) -> bool:
    """Whether a renderer may need this part's body: text, containers, referable images."""
    maintype = part_headers.get_content_maintype()
    if maintype == "multipart":
        return True
    referable = part_headers.get("Content-ID") is not None or part_headers.get("Content-Location") is not None
    if maintype == "image":
        return referable
    attachment = part_headers.get_content_disposition() == "attachment"
    return maintype == "text" and not attachment


def strip_attachment_bodies(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The message's lines with the bodies of unshown parts (see `shows_body`) left out."""
    boundaries: list[bytes] = []  # open multipart delimiters, outermost first
    in_headers = True
    header_lines: list[bytes] = []
    keep_body = True
    for line in lines:
        if in_headers:
            yield line
            if line.strip(b"\r\n"):
                header_lines.append(line)
                continue
            headers = parse_headers(b"".join(header_lines))
            header_lines = []
            in_headers = False
            keep_body = shows_body(headers)
            boundary = headers.get_boundary() if headers.get_content_maintype() == "multipart" else None
            if boundary:
                boundaries.append(b"--" + boundary.encode("ascii", "replace"))
                if len(boundaries) > MAX_DEPTH:
                    raise TooDeep()
            continue
        delimiter = _delimiter(line, boundaries)
        if delimiter is None:
            if keep_body:
                yield line
            continue
        yield line
        index, closing = delimiter
        if closing:
            del boundaries[index:]
            keep_body = True  # the epilogue of the enclosing multipart
        else:
            del boundaries[index + 1 :]
            in_headers = True


def _delimiter(line: bytes, boundaries: list[bytes]) -> tuple[int, bool] | None:
    """(index into `boundaries`, closing?) when `line` is one of their delimiter lines."""
    if not line.startswith(b"--") or not boundaries:
        return None
    stripped = line.rstrip()
    for index in range(len(boundaries) - 1, -1, -1):
        boundary = boundaries[index]
        if stripped == boundary:
            return index, False
        if stripped == boundary + b"--":
            return index, True
    return None


def read_message(stream: BinaryIO) -> bytes:
    """The message in `stream` with attachment bodies left out (see `strip_attachment_bodies`)."""
    return b"".join(strip_attachment_bodies(stream))
