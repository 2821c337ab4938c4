"""Reading an email (MIME message or bare .html file) into what a render needs: pure, no I/O
beyond the files beside a bare .html document."""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field
from email import errors as mime_errors
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html import unescape
from pathlib import Path

from onevoice.errors import EmailError
from onevoice.email.inline import Resolver, cid_resolver, data_uri, first_of, inline_references, local_file_resolver
from onevoice.email.plaintext import find_urls, text_to_html
from onevoice.email.preheader import find_preheader
from onevoice.email.stream import TooDeep, strip_attachment_bodies
from onevoice.textmatch import readable

# Labels browsers decode as windows-1252 (WHATWG Encoding), whatever the message claims.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_BROKEN_STRUCTURE = (
    mime_errors.NoBoundaryInMultipartDefect,
    mime_errors.StartBoundaryNotFoundDefect,
    mime_errors.MultipartInvariantViolationDefect,
)


@dataclass(frozen=True)
class ParsedEmail:
    subject: str
    sender: str
    recipients: tuple[str, ...]
    date: str | None
    message_id: str | None
    headers: dict[str, str] = field(hash=False)
    html: str  # what to render: the HTML part (CID images inlined), or the text part as <pre>
    text: str | None  # the plain-text part
    preheader: str
    has_html: bool  # False: `html` was made from the text part

    @property
    def text_links(self) -> tuple[str, ...]:
        return find_urls(self.text) if self.text else ()


def parse_email(raw: bytes, *, name: str = "the email", base_dir: Path | None = None) -> ParsedEmail:
    """Parse an .eml message or a bare HTML document; `name` says where it came from in errors.

    `base_dir`: resolve relative image and stylesheet references to files in this folder
    (for emails read from a file); None: leave them.
    """
    if _looks_like_html(raw):
        return parse_html_document(raw, base_dir=base_dir)
    try:
        kept = b"".join(strip_attachment_bodies(io.BytesIO(raw)))
    except TooDeep as error:
        raise EmailError(f"{name} cannot be read: {error}") from None
    message = BytesParser(policy=policy.default).parsebytes(kept)
    _check_structure(message, raw, name)
    html_part = message.get_body(preferencelist=("html",))
    text_part = message.get_body(preferencelist=("plain",))
    if html_part is None and text_part is None:
        raise EmailError(f"{name} has no text or HTML part to show (content type {message.get_content_type()})")
    text = _decode_text(text_part) if text_part is not None else None
    resolver: Resolver = cid_resolver(_inline_parts(message))
    if base_dir is not None:
        resolver = first_of(resolver, local_file_resolver(base_dir))
    if html_part is not None:
        payload = html_part.get_payload(decode=True) or b""
        html = inline_references(_decode_html(payload, html_part.get_content_charset()), resolver)
    else:
        html = text_to_html(text or "")
    return ParsedEmail(
        subject=readable(_header(message, "Subject")),
        sender=_header(message, "From"),
        recipients=_addresses(message, "To", "Cc"),
        date=_header(message, "Date") or None,
        message_id=_header(message, "Message-ID").strip() or None,
        headers=_header_map(message),
        html=html,
        text=text,
        preheader=find_preheader(html if html_part is not None else None, text),
        has_html=html_part is not None,
    )


def parse_html_document(raw: bytes, *, base_dir: Path | None = None) -> ParsedEmail:
    """A bare HTML file as an email: its <title> stands for the subject."""
    html = _decode_html(raw, None)
    if base_dir is not None:
        html = inline_references(html, local_file_resolver(base_dir))
    title = _TITLE.search(html)
    return ParsedEmail(
        subject=readable(unescape(title.group(1))) if title else "",
        sender="",
        recipients=(),
        date=None,
        message_id=None,
        headers={},
        html=html,
        text=None,
        preheader=find_preheader(html),
        has_html=True,
    )


def _looks_like_html(raw: bytes) -> bool:
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def _check_structure(message: EmailMessage, raw: bytes, name: str) -> None:
    if not message.keys():
        start = raw.lstrip()[:40].decode("utf-8", "replace").splitlines()[0] if raw.strip() else ""
        found = f"it starts with '{start}'" if start else "it is empty"
        raise EmailError(
            f"{name} is not an email: {found}; an .eml file begins with header lines such as "
            "'Subject: ...', an HTML file with '<'"
        )
    for part in message.walk():
        broken = [defect for defect in part.defects if isinstance(defect, _BROKEN_STRUCTURE)]
        if broken:
            problem = type(broken[0]).__name__.removesuffix("Defect")
            raise EmailError(f"{name} is a malformed MIME message: {problem} in its {part.get_content_type()} part")


def _header(message: EmailMessage, name: str) -> str:
    """The decoded header value ("" when absent); the raw value when it cannot be decoded."""
    try:
        value = message.get(name)
        return str(value) if value is not None else ""
    except (ValueError, TypeError, IndexError, AttributeError):
        raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), "")
        return " ".join(str(raw).split())


def _addresses(message: EmailMessage, *names: str) -> tuple[str, ...]:
    found: list[str] = []
    for name in names:
        try:
            found.extend(str(address) for address in getattr(message.get(name), "addresses", ()))
        except (ValueError, TypeError, IndexError, AttributeError):
            found.extend(part.strip() for part in _header(message, name).split(",") if part.strip())
    return tuple(found)


def _header_map(message: EmailMessage) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in message.items():
        headers[name] = f"{headers[name]}, {value}" if name in headers else str(value)
    return headers


def _inline_parts(message: EmailMessage) -> dict[str, str]:
    """Content-ID and Content-Location of each non-text leaf part -> its data: URI."""
    parts: dict[str, str] = {}
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() == "text":
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        uri = data_uri(part.get_content_type(), payload)
        content_id = (part.get("Content-ID") or "").strip().strip("<>")
        if content_id:
            parts[content_id] = uri
        location = (part.get("Content-Location") or "").strip()
        if location:
            parts[location] = uri
    return parts


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(payload: bytes, declared: str | None) -> str:
    codec = _codec(declared)
    if codec:
        return payload.decode(codec, errors="replace")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", errors="replace")


def _decode_text(part: EmailMessage) -> str:
    return _decode(part.get_payload(decode=True) or b"", part.get_content_charset())


def _decode_html(payload: bytes, declared: str | None) -> str:
    """HTML bytes as text: the MIME charset, else the document's <meta charset>, else UTF-8 or windows-1252."""
    if payload.startswith(b"\xef\xbb\xbf"):
        return payload[3:].decode("utf-8", errors="replace")
    if not _codec(declared):
        meta = _META_CHARSET.search(payload[:4096])
        declared = meta.group(1).decode("ascii") if meta else None
    return _decode(payload, declared)
