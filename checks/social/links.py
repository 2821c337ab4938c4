"""Which of a capture's links a reader takes for social links, and what each opens (or why none).

The accounts themselves (platforms, URL normalisation) are `onevoice.accounts`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from onevoice.api import Link, Platform, SocialAccount, classify_url, platform_from_hints, platform_of_host


@dataclass(frozen=True)
class SocialLink:
    """A link that a reader takes for a social link.

    `account` is the profile it opens; `problem` says why it opens none (a placeholder href,
    the platform's home page). With neither, it points elsewhere (a click-tracking redirect)
    and cannot be compared.
    """

    link: Link
    platform: str
    account: SocialAccount | None
    problem: str | None


def placeholder_problem(raw_href: str) -> str | None:
    """Why an href as written opens nothing: empty, `#...`, `javascript:`, a scheme with no host,
    or a platform address without its scheme (which resolves to a page of the same site)."""
    href = raw_href.strip()
    if not href:
        return "has an empty href"
    if href.startswith("#"):
        return f"href is '{href}', a placeholder"
    if href.lower().startswith("javascript:"):
        return f"href is '{href}', a script, not an address"
    if re.fullmatch(r"(?i)https?:/*", href):
        return f"href is '{href}' with no address"
    if _schemeless_platform(href) is not None:
        return f"href '{href}' has no https://, so it opens a page of this site"
    return None


def _schemeless_platform(href: str) -> Platform | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:|^[/.?#]", href, re.IGNORECASE):
        return None
    return platform_of_host(href.split("/", 1)[0])


# ---------------------------------------------------------------- links on a page


@dataclass(frozen=True)
class _Candidate:
    social: SocialLink
    strong: bool  # its own href names the platform; weak ones count only in a cluster


def _candidate(link: Link) -> _Candidate | None:
    raw = link.raw_href if link.raw_href is not None else link.href
    hinted = platform_from_hints((*link.hints, link.text))
    if link.raw_href is None and not link.href:
        # A control with no address (an app's button): its words say where it goes, no URL says which account.
        return _Candidate(SocialLink(link, hinted, None, None), strong=True) if hinted else None
    problem = placeholder_problem(raw)
    if problem is not None:
        written = _schemeless_platform(raw.strip())
        if written is not None:
            return _Candidate(SocialLink(link, written.name, None, problem), strong=True)
        return _Candidate(SocialLink(link, hinted, None, problem), strong=False) if hinted else None
    target = classify_url(link.href)
    if target.kind == "account" and target.account is not None:
        return _Candidate(SocialLink(link, target.account.platform, target.account, None), strong=True)
    if target.kind == "home" and target.platform is not None:
        problem = f"opens {target.platform}'s home page, not an account"
        return _Candidate(SocialLink(link, target.platform, None, problem), strong=False)
    if target.kind == "other" and hinted and urlsplit(link.href).scheme.lower() in ("http", "https"):
        return _Candidate(SocialLink(link, hinted, None, None), strong=False)  # e.g. a click-tracking redirect
    return None


def social_links(links: Sequence[Link]) -> tuple[SocialLink, ...]:
    """The social links among a page's links (in document order), hidden ones included.

    A link whose href opens an account is always one. A link that shows its platform only in
    its hints or text (a placeholder `#`, a tracking redirect, the platform's home page) is one
    only inside a cluster: a run of adjacent links in document order, each naming a platform,
    with at least two different platforms. Social icons come in rows; a lone "Facebook" among
    client logos or articles does not.
    """
    candidates = [_candidate(link) for link in links]
    chosen: list[SocialLink] = []
    run: list[_Candidate] = []
    for candidate in [*candidates, None]:
        if candidate is not None:
            run.append(candidate)
            continue
        clustered = len({c.social.platform for c in run}) >= 2
        chosen.extend(c.social for c in run if c.strong or clustered)
        run = []
    return tuple(chosen)
