"""Turning an email's references to its own parts (`cid:`) and, for a bare .html file, to
files beside it into data: URIs, so the render needs no network and no file access."""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

Resolver = Callable[[str], "str | None"]

LOCAL_FILE_LIMIT = 10 * 1024 * 1024  # larger files beside an .html are left unresolved

_ATTRIBUTE = re.compile(r"""(\s(?:src|background|poster)\s*=\s*)(["']?)([^"'\s>]+)\2""", re.IGNORECASE)
_CSS_URL = re.compile(r"""(url\(\s*)(["']?)([^"')]+)\2(\s*\))""", re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_LINK_HREF = re.compile(r"""(\shref\s*=\s*)(["']?)([^"'\s>]+)\2""", re.IGNORECASE)


def data_uri(content_type: str, payload: bytes) -> str:
    return f"data:{content_type};base64,{base64.b64encode(payload).decode('ascii')}"


def inline_references(html: str, resolve: Resolver) -> str:
    """`html` with every image, background and stylesheet reference that `resolve` knows replaced."""

    def replace(match: re.Match[str]) -> str:
        replacement = resolve(match.group(3))
        if replacement is None:
            return match.group(0)
        whole, offset = match.group(0), match.start(0)
        return whole[: match.start(3) - offset] + replacement + whole[match.end(3) - offset :]

    html = _ATTRIBUTE.sub(replace, html)
    html = _CSS_URL.sub(replace, html)
    return _LINK_TAG.sub(lambda tag: _LINK_HREF.sub(replace, tag.group(0)), html)


def cid_resolver(parts: Mapping[str, str]) -> Resolver:
    """Resolve `cid:ID` (and a part's Content-Location) from `parts`: id or location -> data: URI."""

    def resolve(reference: str) -> str | None:
        if reference[:4].lower() == "cid:":
            key = unquote(reference[4:]).strip("<>")
            return parts.get(key)
        return parts.get(reference)

    return resolve


def local_file_resolver(base_dir: Path) -> Resolver:
    """Resolve relative references to files under `base_dir` (never outside it)."""
    root = base_dir.resolve()

    def resolve(reference: str) -> str | None:
        split = urlsplit(reference)
        if split.scheme or split.netloc or not split.path or reference.startswith("#"):
            return None
        target = (root / unquote(split.path)).resolve()
        if not target.is_relative_to(root) or not target.is_file() or target.stat().st_size > LOCAL_FILE_LIMIT:
            return None
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return data_uri(content_type, target.read_bytes())

    return resolve


def first_of(*resolvers: Resolver) -> Resolver:
    def resolve(reference: str) -> str | None:
        for resolver in resolvers:
            found = resolver(reference)
            if found is not None:
                return found
        return None

    return resolve
