"""The social-links check family: every touchpoint links the brand's accounts, and they work.

Which links are social links, and which account each opens, is `onevoice.accounts`;
this module judges them across the touchpoints (docs/rules.md):

- The expected account of a platform is the brand's declared one (`brand.social`); with
  none declared, the account most touchpoints link (`Consensus`; on a tie there is none, and
  every touchpoint linking the platform is a mismatch, named beside what the others link).
  JSON-LD `sameAs` counts as the page declaring those accounts: it votes, and a `sameAs` to
  another account is a mismatch; being invisible, it never makes a link present.
- The platforms a touchpoint must link: those declared in the brand profile plus the
  `required` option; with neither, a platform most of the *other* touchpoints link (even
  broken): the consensus of the others on whether they link it, which a tie never makes required.
- Hidden links do not count as present. One cause gives one finding: a platform whose only
  links are broken is `social.broken`; a link to another account is `social.mismatch`. An
  icon link whose icon font did not load is not hidden (see `onevoice.extract`): a placeholder
  one is `social.broken`, a working one is present.
- A touchpoint that links the expected account is not a mismatch even when it also links
  other accounts of the platform (staff profiles on an about page).
"""

from __future__ import annotations

import ipaddress
import os
import threading
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import ProxyHandler, Request, build_opener

from pydantic import BaseModel, ConfigDict, Field, field_validator

from checks.social.links import SocialLink, social_links
from onevoice.api import (
    Brand,
    Capture,
    Cell,
    CheckContext,
    CheckResult,
    Consensus,
    Evidence,
    Finding,
    Link,
    Matrix,
    PLATFORM_NAMES,
    SocialAccount,
    parse_account,
    platform_named,
    tokens,
    union_box,
)

RULES = {
    "social.missing": "a touchpoint has no visible link to a platform the brand uses (declared in brand.social, "
    "named in the `required` option, or, with neither, linked by most of the other touchpoints)",
    "social.mismatch": "a touchpoint links a platform, or declares it in JSON-LD sameAs, only to another account "
    "than the brand's (declared, or else the one most touchpoints link)",
    "social.broken": "a visible social link is empty, '#', 'javascript:', 'http://', written without its scheme, "
    "opens the platform's home page instead of an account, or answers HTTP >= 400 (loopback links always; "
    "remote ones with the `reachability` option)",
    "social.meta": "(warning) a web page lacks og:title, og:image or twitter:card, or its og:site_name does not "
    "name the brand, or its twitter:site is not the brand's x account",
}
REQUIRED_META = ("og:title", "og:image", "twitter:card")
PROBE_TIMEOUT = 5.0
PROBE_WORKERS = 8
# Statuses platforms give robots whatever the account: they prove nothing either way.
BOT_WALL_STATUSES = frozenset({401, 403, 429, 999})
USER_AGENT = "Mozilla/5.0 (compatible; onevoice link check)"


class SocialOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    required: tuple[str, ...] = Field(
        default=(), description="platforms every touchpoint must link, e.g. [facebook, linkedin, x, instagram]"
    )
    reachability: bool = Field(
        default=False, description="also ask remote social links for their HTTP status (loopback links always are)"
    )

    @field_validator("required")
    @classmethod
    def _known_platforms(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        resolved = []
        for name in names:
            platform = platform_named(name)
            if platform is None:
                raise ValueError(f"unknown platform '{name}'; use one of: {', '.join(PLATFORM_NAMES)}")
            resolved.append(platform)
        return tuple(dict.fromkeys(resolved))


@dataclass(frozen=True)
class Page:
    """The social facts of one touchpoint: its visible and hidden social links, its sameAs accounts."""

    links: tuple[SocialLink, ...]
    hidden: tuple[SocialLink, ...]
    same_as: tuple[SocialAccount, ...]

    def of(self, platform: str) -> tuple[SocialLink, ...]:
        return tuple(link for link in self.links if link.platform == platform)

    def working(self, platform: str) -> tuple[SocialLink, ...]:
        return tuple(link for link in self.of(platform) if link.problem is None)

    def broken(self, platform: str) -> tuple[SocialLink, ...]:
        return tuple(link for link in self.of(platform) if link.problem is not None)

    def accounts(self, platform: str) -> tuple[SocialAccount, ...]:
        found = [link.account for link in self.working(platform) if link.account is not None]
        return tuple(dict.fromkeys(found))

    def declared(self, platform: str) -> tuple[SocialAccount, ...]:
        return tuple(account for account in self.same_as if account.platform == platform)

    def platforms(self) -> set[str]:
        return {link.platform for link in self.links} | {account.platform for account in self.same_as}


class SocialCheck:
    name = "social"
    rules = RULES
    Options = SocialOptions

    def run(self, context: CheckContext) -> CheckResult:
        options = context.options if isinstance(context.options, SocialOptions) else SocialOptions()
        captures = context.ok_captures()
        found = {tp: social_links(capture.links) for tp, capture in captures.items()}
        problems = link_problems(_urls_to_probe(found.values(), options.reachability))
        pages = {tp: _page(found[tp], captures[tp], problems) for tp in captures}
        declared = brand_accounts(context.brand)
        judge = _Judge(pages, declared, options.required)
        findings = [*judge.findings(), *meta_findings(captures, context.brand, next(iter(judge.expected.get("x", ())), None))]
        failed = {tp: capture.error or "" for tp, capture in context.captures.items() if not capture.ok}
        return CheckResult(findings=tuple(findings), matrices=(judge.matrix(list(context.captures), failed),))


# ---------------------------------------------------------------- declarations


def brand_accounts(brand: Brand | None) -> dict[str, SocialAccount]:
    """The brand's declared accounts by platform; an entry that is no profile URL is an error."""
    accounts: dict[str, SocialAccount] = {}
    for key, url in (brand.social if brand else {}).items():
        account = parse_account(url)
        named = platform_named(key)
        if account is None or (named is not None and named != account.platform):
            raise ValueError(
                f"brand '{brand.name}' social.{key}: '{url}' is not the address of a {named or key} account; "
                f"write its profile URL, e.g. social: {{facebook: https://www.facebook.com/yourbrand}}"
            )
        accounts[account.platform] = account
    return accounts


# ---------------------------------------------------------------- judging links


def _first_links(pages: dict[str, Page], platform: str) -> tuple[tuple[str, SocialLink], ...]:
    """The first working `platform` link of the first two touchpoints that have one: for any
    touchpoint, the first of these that is not its own is the first link found elsewhere."""
    linked = ((tp, page.working(platform)) for tp, page in pages.items())
    return tuple(islice(((tp, links[0]) for tp, links in linked if links), 2))


class _Judge:
    def __init__(self, pages: dict[str, Page], declared: dict[str, SocialAccount], required: tuple[str, ...]):
        self.pages = pages
        self.declared = declared
        self.explicit = (*declared, *(p for p in required if p not in declared))
        seen = set().union(*(page.platforms() for page in pages.values())) if pages else set()
        self.platforms = (*self.explicit, *(p for p in PLATFORM_NAMES if p in seen and p not in self.explicit))
        accounts = {p: self._accounts(p) for p in self.platforms if p not in declared}
        # the accounts a touchpoint may link: the declared one, else those most touchpoints link
        self.expected = {p: (declared[p],) if p in declared else accounts[p].reference for p in self.platforms}
        self.tied = {p: votes for p, votes in accounts.items() if votes.standing == "tie"}
        # Each touchpoint casts one yes/no vote per platform, so what the others agree on depends only
        # on its own vote: worked out once per platform and vote, judging stays linear in touchpoints.
        self.others_link: dict[tuple[str, bool], bool] = {}
        for p in self.platforms:
            linked = Consensus.of({tp: [bool(page.of(p))] for tp, page in pages.items()})
            for tp, (vote,) in linked.shown.items():
                if (p, vote) not in self.others_link:
                    self.others_link[p, vote] = linked.without(tp).reference == (True,)
        self.first_links = {p: _first_links(pages, p) for p in self.platforms}

    def _accounts(self, platform: str) -> Consensus[SocialAccount]:
        """Each touchpoint's vote: the accounts it links or declares in JSON-LD sameAs."""
        return Consensus.of({tp: (*page.accounts(platform), *page.declared(platform)) for tp, page in self.pages.items()})

    def used(self, tp: str) -> tuple[str, ...]:
        """The platforms `tp` must link: those the other touchpoints' consensus links."""
        if self.explicit:
            return self.explicit
        return tuple(p for p in self.platforms if self.others_link[p, bool(self.pages[tp].of(p))])

    def findings(self) -> Iterable[Finding]:
        for tp, page in self.pages.items():
            used = self.used(tp)
            for platform in self.platforms:
                if page.broken(platform):
                    yield self._broken(tp, platform, page.broken(platform))
                mismatch = self._mismatch(tp, page, platform)
                if mismatch is not None:
                    yield mismatch
                if platform in used and not page.of(platform):
                    yield self._missing(tp, platform, page)

    def _url(self, platform: str) -> str | None:
        return " or ".join(account.url for account in self.expected[platform]) or None

    def _broken(self, tp: str, platform: str, broken: tuple[SocialLink, ...]) -> Finding:
        first = broken[0]
        count = f"{len(broken)} {platform} links are broken; the first" if len(broken) > 1 else f"the {platform} link"
        return Finding(
            check="social", rule="social.broken", severity="error", touchpoints=(tp,), subject=platform,
            message=f"{tp}: {count} {first.problem}",
            expected=self._url(platform), actual=[_written(link.link) for link in broken],
            evidence=tuple(_evidence(tp, link.link, link.problem) for link in broken),
        )  # fmt: skip

    def _mismatch(self, tp: str, page: Page, platform: str) -> Finding | None:
        expected, tied = self.expected[platform], self.tied.get(platform)
        linked, declared = page.accounts(platform), page.declared(platform)
        if expected:
            wrong_links = () if _any_of(expected, linked) else tuple(a for a in linked if a not in expected)
            wrong_declared = () if _any_of(expected, declared) else declared
            against = self._url(platform)
        elif tied is not None:  # on a tie every touchpoint that links or declares an account is named
            wrong_links, wrong_declared = linked, declared
            against = tied.grounds(f"the {platform} account", lambda account: account.url)
        else:
            return None
        if not wrong_links and not wrong_declared:
            return None
        others = list(dict.fromkeys(a.url for a in (*wrong_links, *wrong_declared)))
        where = "links" if wrong_links else "declares in JSON-LD sameAs"
        evidence = [
            _evidence(tp, link.link, link.account.url)
            for link in page.working(platform)
            if link.account is not None and link.account in wrong_links
        ]
        if wrong_declared:
            evidence.append(Evidence(touchpoint=tp, selector='script[type="application/ld+json"]', text=others[-1]))
        return Finding(
            check="social", rule="social.mismatch", severity="error", touchpoints=(tp,), subject=platform,
            message=f"{tp} {where} {platform} account {', '.join(others)}, not {against}",
            expected=self._url(platform), actual=others, evidence=tuple(evidence),
        )  # fmt: skip

    def _missing(self, tp: str, platform: str, page: Page) -> Finding:
        hidden = tuple(link for link in page.hidden if link.platform == platform)
        why = " (its only link is hidden)" if hidden else ""
        evidence = [_social_row(tp, page, platform)] + [_evidence(tp, link.link, "hidden") for link in hidden]
        elsewhere = next(((other, link) for other, link in self.first_links[platform] if other != tp), None)
        if elsewhere is not None:
            evidence.append(_evidence(elsewhere[0], elsewhere[1].link, "linked here"))
        return Finding(
            check="social", rule="social.missing", severity="error", touchpoints=(tp,), subject=platform,
            message=f"{tp} links to no {platform} account{why}",
            expected=self._url(platform), actual=None, evidence=tuple(evidence),
        )  # fmt: skip

    def matrix(self, columns: list[str], failed: dict[str, str]) -> Matrix:
        cells = {
            platform: {
                tp: Cell(status="error", detail=failed[tp]) if tp in failed else self._cell(self.pages[tp], platform)
                for tp in columns
            }
            for platform in self.platforms
        }
        return Matrix(
            id="social", title="Social accounts", rows=self.platforms, columns=tuple(columns),
            expected={p: self._url(p) for p in self.platforms}, cells=cells,
        )  # fmt: skip

    def _cell(self, page: Page, platform: str) -> Cell:
        expected = self.expected[platform]
        accounts, working, broken = page.accounts(platform), page.working(platform), page.broken(platform)
        also_broken = f"also {len(broken)} broken" if broken else None
        if agreed := next((account for account in accounts if account in expected), None):
            return Cell(status="ok", value=agreed.url, detail=also_broken)
        if accounts:
            out_of_line = expected or platform in self.tied
            return Cell(status="other" if out_of_line else "ok", value=accounts[0].url, detail=also_broken)
        if working:  # links we cannot read the account of, e.g. click-tracking redirects, an app's buttons
            link = working[0].link
            if not link.href:  # a control with no address: its words name the platform
                shown = link.text or ", ".join(link.hints)
                return Cell(status="ok", value=shown, detail="names the platform; no address says which account")
            return Cell(status="ok", value=link.href, detail="account not readable from the link")
        if broken:
            return Cell(status="broken", value=_written(broken[0].link), detail=broken[0].problem)
        hidden = any(link.platform == platform for link in page.hidden)
        return Cell(status="missing", detail="only hidden links" if hidden else None)


def _page(found: tuple[SocialLink, ...], capture: Capture, problems: dict[str, str | None]) -> Page:
    visible = tuple(
        replace(link, problem=problems[link.link.href]) if link.problem is None and problems.get(link.link.href) else link
        for link in found
        if link.link.visible
    )
    hidden = tuple(link for link in found if not link.link.visible)
    same_as = tuple(dict.fromkeys(a for url in capture.meta.same_as if (a := parse_account(url)) is not None))
    return Page(links=visible, hidden=hidden, same_as=same_as)


def _social_row(tp: str, page: Page, platform: str) -> Evidence:
    """Where `tp` shows its other social links (those of the region holding most of them): the row
    the platform is missing from. Just the touchpoint when it shows none."""
    placed = [link.link for link in page.links if link.link.box]
    if not placed:
        return Evidence(touchpoint=tp)
    region = Counter(link.region for link in placed).most_common(1)[0][0]
    row = [link for link in placed if link.region == region]
    return Evidence(
        touchpoint=tp,
        selector=", ".join(dict.fromkeys(link.selector for link in row if link.selector)) or None,
        box=union_box(link.box for link in row if link.box),
        text=f"no {platform} link among these",
    )


def _any_of(accounts: tuple[SocialAccount, ...], among: tuple[SocialAccount, ...]) -> bool:
    return any(account in among for account in accounts)


def _written(link: Link) -> str:
    return link.raw_href if link.raw_href is not None else link.href


def _evidence(tp: str, link: Link, text: str | None) -> Evidence:
    return Evidence(touchpoint=tp, selector=link.selector, box=link.box, text=text)


# ---------------------------------------------------------------- sharing meta tags


def meta_findings(
    captures: dict[str, Capture], brand: Brand | None, x_account: SocialAccount | None
) -> Iterable[Finding]:
    """`social.meta` for each web touchpoint: required tags missing, or naming another brand or x account."""
    for tp, capture in captures.items():
        if capture.channel != "web":
            continue
        tags = {f"og:{k}": v for k, v in capture.meta.og.items()} | {
            f"twitter:{k}": v for k, v in capture.meta.twitter.items()
        }
        missing = [name for name in REQUIRED_META if not tags.get(name, "").strip()]
        if missing:
            yield _meta_finding(
                tp, "tags", f"{tp} has no {', '.join(missing)} tag{'s' if len(missing) > 1 else ''} for link previews",
                expected=missing, actual=None, selector="head",
            )  # fmt: skip
        site_name = tags.get("og:site_name", "")
        if brand is not None and site_name and not _names(site_name, brand.name):
            yield _meta_finding(
                tp, "og:site_name", f"{tp}: og:site_name is '{site_name}', not the brand name '{brand.name}'",
                expected=brand.name, actual=site_name, selector='meta[property="og:site_name"]',
            )  # fmt: skip
        site = tags.get("twitter:site", "").strip()
        handle = _x_handle(site)
        if x_account is not None and site and handle != x_account.handle:
            yield _meta_finding(
                tp, "twitter:site", f"{tp}: twitter:site is '{site}', not the brand's x account @{x_account.handle}",
                expected=f"@{x_account.handle}", actual=site, selector='meta[name="twitter:site"]',
            )  # fmt: skip


def _meta_finding(tp: str, subject: str, message: str, expected: object, actual: object, selector: str) -> Finding:
    return Finding(
        check="social", rule="social.meta", severity="warning", touchpoints=(tp,), subject=subject,
        message=message, expected=expected, actual=actual,
        evidence=(Evidence(touchpoint=tp, selector=selector, text=str(actual) if actual else None),),
    )  # fmt: skip


def _names(text: str, name: str) -> bool:
    """Whether `text` contains the brand name as whole words, ignoring case and punctuation."""
    haystack, needle = tokens(text), tokens(name)
    return bool(needle) and any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


def _x_handle(value: str) -> str | None:
    if "/" in value:
        account = parse_account(value if "://" in value else f"https://{value}")
        return account.handle if account and account.platform == "x" else None
    return value.lstrip("@").lower() or None


# ---------------------------------------------------------------- reachability

_problems: dict[tuple[str | None, str], str | None] = {}
_problems_lock = threading.Lock()


def _urls_to_probe(found: Iterable[tuple[SocialLink, ...]], remote: bool) -> set[str]:
    return {
        link.link.href
        for links in found
        for link in links
        if link.link.visible and link.problem is None and _probeable(link.link.href, remote)
    }


def _probeable(url: str, remote: bool) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and (remote or is_loopback(parts.hostname))


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def link_problems(urls: Iterable[str]) -> dict[str, str | None]:
    """What is wrong with each URL ("answers HTTP 404"), or None; each URL is asked once per run
    (`RUN_ID`), HEAD then GET, in a bounded pool of threads."""
    run = os.environ.get("RUN_ID")
    urls = set(urls)
    with _problems_lock:
        todo = sorted(url for url in urls if (run, url) not in _problems)
    if todo:
        with ThreadPoolExecutor(max_workers=min(PROBE_WORKERS, len(todo))) as pool:
            answers = list(pool.map(probe, todo))
        with _problems_lock:
            _problems.update({(run, url): answer for url, answer in zip(todo, answers)})
    with _problems_lock:
        return {url: _problems[(run, url)] for url in urls}


def probe(url: str, timeout: float = PROBE_TIMEOUT) -> str | None:
    """Why `url` does not work ("answers HTTP 404", "does not answer (...)"), or None when it does
    or when the answer proves nothing (a platform's wall for robots)."""
    opener = build_opener(ProxyHandler({})) if is_loopback(urlsplit(url).hostname or "") else build_opener()
    problem: str | None = None
    for method in ("HEAD", "GET"):
        request = Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with opener.open(request, timeout=timeout):
                return None
        except HTTPError as error:
            problem = None if error.code in BOT_WALL_STATUSES else f"answers HTTP {error.code}"
        except (URLError, OSError, ValueError) as error:
            problem = f"does not answer ({getattr(error, 'reason', error)})"
    return problem
