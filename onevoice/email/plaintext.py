"""Plain-text email bodies: the links in them, and an HTML rendering like a mail client's."""

from __future__ import annotations

import html
import re

_URL = re.compile(r"""(?:https?://|mailto:|www\.)[^\s<>"']+""", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>'\""


def find_urls(text: str) -> tuple[str, ...]:
    """The URLs written in `text`, in order, without trailing punctuation or duplicates."""
    found: dict[str, None] = {}
    for match in _URL.finditer(text):
        found.setdefault(_trim(match.group(0)), None)
    return tuple(found)


def _trim(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def text_to_html(text: str) -> str:
    """A text part as a mail client shows it: preformatted, wrapped, its URLs clickable."""
    pieces, position = [], 0
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        pieces.append(html.escape(text[position : match.start()]))
        href = url if not url.lower().startswith("www.") else f"http://{url}"
        pieces.append(f'<a href="{html.escape(href)}">{html.escape(url)}</a>')
        position = match.start() + len(url)
    pieces.append(html.escape(text[position:]))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        '<pre style="white-space: pre-wrap; word-wrap: break-word; font-family: monospace; margin: 8px">'
        f"{''.join(pieces)}</pre></body></html>"
    )
