"""`follow:` a link found in an earlier capture (an email's CTA, usually) to open it as a web touchpoint.

Such a link is untrusted: whoever wrote the email or page chose it. It opens only `http` and
`https` (`file:`, `view-source:`, `chrome:`, `data:`, `javascript:`, ... are refused), unlike a
`url:` the journey's author wrote.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from onevoice.facts import Capture, Link
from onevoice.patterns import compiled
from onevoice.textmatch import normalize

WEB_SCHEMES = ("http", "https")

_UNFOLLOWABLE = re.compile(r"^(?:$|#|javascript:|mailto:|tel:|https?://$)", re.IGNORECASE)


def scheme_of(url: str) -> str:
    """The URL's scheme, lowercase ("" for a relative URL)."""
    return urlsplit(url.strip()).scheme.lower()


def is_web_url(url: str) -> bool:
    """An absolute http or https URL with a host: the only kind a followed link may open."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def _pattern(link: str) -> re.Pattern[str] | None:
    """`/regex/` as a compiled pattern; None for plain text."""
    try:
        return compiled(link)
    except re.error as exc:
        raise ValueError(f"follow link {link}: not a valid regular expression ({exc})") from exc


def _match_kind(candidate: Link, link: str, pattern: re.Pattern[str] | None) -> int | None:
    """0: the visible text matches, 1: an accessible name (aria-label, image alt) does, 2: the href does."""
    labels = [candidate.text, *candidate.hints]
    if pattern is not None:
        if pattern.search(candidate.text or ""):
            return 0
        if any(pattern.search(hint) for hint in candidate.hints):
            return 1
        return 2 if pattern.search(candidate.href) else None
    wanted = normalize(link)
    if normalize(labels[0]) == wanted:
        return 0
    if any(normalize(hint) == wanted for hint in labels[1:]):
        return 1
    return 2 if link and link in candidate.href else None


def find_link(capture: Capture, link: str) -> Link | None:
    """The link of `capture` that `link` names: its text (normalised as messages are), an
    accessible name, or a substring of / `/regex/` over its href. Text beats href; visible,
    button and followable links beat the others; then the first in the page."""
    pattern = _pattern(link)
    ranked = []
    for position, candidate in enumerate(capture.links):
        kind = _match_kind(candidate, link, pattern)
        if kind is not None:
            followable = is_web_url(candidate.href) and not _UNFOLLOWABLE.match(
                candidate.raw_href if candidate.raw_href is not None else candidate.href
            )
            ranked.append(((kind, not candidate.visible, not followable, not candidate.button, position), candidate))
    return min(ranked, key=lambda pair: pair[0])[1] if ranked else None
