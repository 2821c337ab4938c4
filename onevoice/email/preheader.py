"""The preheader: the preview text an inbox shows after the subject.

Senders usually put it in the first element of the body and hide it (display:none,
max-height:0, opacity:0, a 0-1 px font, mso-hide:all). Inboxes show the first text
of the body whatever its style, so when that first text is not in a hidden element,
the preview is the beginning of the body text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString, Script, Stylesheet, TemplateString

from onevoice.textmatch import readable

PREVIEW_LENGTH = 140  # characters an inbox shows of a body without a preheader

_ZERO = r"0(?:\.0+)?(?:px|pt|em|rem|%)?"
_END = r"\s*(?:!important)?\s*(?:;|$)"
_HIDDEN_STYLE = re.compile(
    rf"(?<![-\w])(?:display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all"
    rf"|max-height\s*:\s*{_ZERO}{_END}|opacity\s*:\s*{_ZERO}{_END}"
    rf"|font-size\s*:\s*(?:{_ZERO}|1px){_END})",
    re.IGNORECASE,
)
_NOT_TEXT = {"head", "title", "style", "script", "noscript", "template"}


def is_hidden(element: Tag) -> bool:
    """Whether the element's own markup hides it (inline style or the `hidden` attribute)."""
    return element.has_attr("hidden") or bool(_HIDDEN_STYLE.search(str(element.get("style") or "")))


def find_preheader(html: str | None, text: str | None = None) -> str:
    """The inbox preview of an email: its first hidden element's text, else the start of its body."""
    if html:
        body = _body(html)
        strings = list(_reader_strings(body))
        if strings:
            hidden = _outermost_hidden(strings[0][0], body)
            if hidden is not None:
                return readable(" ".join(text for _, text in _reader_strings(hidden)))
            return _preview(" ".join(text for _, text in strings))
    return _preview(text or "")


def _body(html: str) -> Tag:
    soup = BeautifulSoup(html, "html.parser")
    return soup.body or soup


def _reader_strings(root: Tag) -> Iterator[tuple[NavigableString, str]]:
    """(node, normalised text) of the text nodes under `root` a reader can see, in document order."""
    skipped = (PreformattedString, Stylesheet, Script, TemplateString)
    for node in root.descendants:
        if not isinstance(node, NavigableString) or isinstance(node, skipped):
            continue
        if node.parent is not None and node.parent.name in _NOT_TEXT:
            continue
        text = readable(node)
        if text:
            yield node, text


def _outermost_hidden(node: NavigableString, body: Tag) -> Tag | None:
    hidden = None
    for ancestor in node.parents:
        if ancestor is body:
            break
        if is_hidden(ancestor):
            hidden = ancestor
    return hidden


def _preview(text: str) -> str:
    text = readable(text)
    if len(text) <= PREVIEW_LENGTH:
        return text
    cut = text[:PREVIEW_LENGTH]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut
