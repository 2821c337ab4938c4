"""Social accounts, a value type: which platform a URL or a text names, which account it opens.

Pure functions over URLs and text (docs/journeys.md), shared by the capture of app screens
(labels that name an account) and the social check (which links are social links: `checks.social`).
Two URLs name the same account when their `SocialAccount`s are equal: scheme, `www.` / `m.` / `mobile.`, trailing
slash, query strings and fragments (tracking: `utm_*`, `fbclid`, `igshid`, ...) and the case
of the handle are ignored, and `twitter.com` is `x.com`. The path that identifies the account
is kept (`/company/x` on LinkedIn, `/@x`, `/channel/ID` or `/c/x` on YouTube). Share-intent
links (`/sharer`, `/intent/tweet`, `/shareArticle`, `/pin/create`, WhatsApp `send?text`) are
share buttons, never profile links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from onevoice.textmatch import tokens

Query = dict[str, list[str]]
AccountParser = Callable[[str, list[str], Query], "str | None"]

HANDLE = re.compile(r"^[\w.\-~+@]+$")
SHARE_WORDS = frozenset({"share", "sharing", "tweet", "retweet", "teilen", "partager", "compartir", "condividi"})
# "Continue with Facebook", "Sign up with Google", `fb_login_button`: signing in through a platform, not its account.
SIGN_IN = re.compile(r"\b(?:sign ?(?:in|up|on)|log ?(?:in|on)|oauth|auth|(?:continue|connect|register) (?:with|via|using))\b")
PROFILE_URL = re.compile(r"(?<![\w@.])(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s,;()<>\"']*)?", re.IGNORECASE)
HANDLE_IN_TEXT = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.]{0,29}[A-Za-z0-9_])")
# Sub-domains that serve the same accounts: www., m., mobile., and locale prefixes such as uk. or fr-fr.
SAME_SITE_LABEL = re.compile(r"^(?:www|m|mobile|web|mbasic|touch|old|new|api|[a-z]{2}(?:-[a-z]{2})?)$")


@dataclass(frozen=True)
class SocialAccount:
    """One account on one platform; equal accounts are the same account."""

    platform: str
    handle: str  # the account's path after the platform's canonical host: "northwind", "company/northwind", "@northwind"
    url: str  # the canonical profile URL


@dataclass(frozen=True)
class UrlTarget:
    """What an absolute URL opens, as far as social platforms go."""

    platform: str | None  # None: not a known social platform
    kind: Literal["account", "share", "home", "content", "other"]
    account: SocialAccount | None = None


# ---------------------------------------------------------------- account parsers


def _first_segment(
    reserved: Iterable[str] = (), nested: Iterable[str] = (), at: bool = False, keep_case: bool = False
) -> AccountParser:
    """The account is the first path segment (`/northwind`; with `at`, only `/@northwind`) or,
    after a `nested` prefix, the first two (`/company/northwind`); `reserved` first segments are
    pages of the platform, not accounts."""
    reserved_set, nested_set = frozenset(reserved), frozenset(nested)

    def parse(host: str, segments: list[str], query: Query) -> str | None:
        if not segments:
            return None
        first = segments[0].lower()
        if first in nested_set:
            if len(segments) < 2:
                return None
            second = segments[1] if keep_case else segments[1].lower()
            return f"{first}/{second.lstrip('@')}"
        if first in reserved_set or (at and not first.startswith("@")):
            return None
        return first if at else first.lstrip("@")

    return parse


def _facebook(host: str, segments: list[str], query: Query) -> str | None:
    lowered = [s.lower() for s in segments]
    if lowered[:1] == ["profile.php"]:
        ids = query.get("id", [])
        return ids[0] if ids and ids[0].isdigit() else None
    if lowered[:1] in (["pages"], ["people"]) and len(segments) >= 3 and segments[2].isdigit():
        return segments[2]
    return _first_segment(
        reserved=("home.php", "login", "login.php", "help", "policies", "privacy", "watch", "photo.php",
                  "permalink.php", "story.php", "plugins", "events", "marketplace", "hashtag", "search"),
        nested=("groups",),
    )(host, segments, query)


def _youtube(host: str, segments: list[str], query: Query) -> str | None:
    if host == "youtu.be" or not segments:
        return None  # youtu.be links are videos
    first = segments[0].lower()
    if first == "channel" and len(segments) >= 2:
        return f"channel/{segments[1]}"  # channel ids are case-sensitive
    if first in ("c", "user") and len(segments) >= 2:
        return f"{first}/{segments[1].lower()}"
    if first.startswith("@"):
        return first
    if first in ("watch", "embed", "shorts", "playlist", "results", "feed", "live", "hashtag", "redirect", "t"):
        return None
    return f"c/{first}"  # a legacy custom URL, youtube.com/northwind = youtube.com/c/northwind


def _whatsapp(host: str, segments: list[str], query: Query) -> str | None:
    phone = query.get("phone", [""])[0] if segments[:1] == ["send"] else (segments[0] if segments else "")
    digits = re.sub(r"\D", "", phone)
    return digits or None


def _mastodon(host: str, segments: list[str], query: Query) -> str | None:
    if segments and segments[0].startswith("@") and len(segments[0]) > 1:
        return f"{segments[0].lower()}@{host}"  # user@instance: the same name elsewhere is another account
    return None


def _reddit(host: str, segments: list[str], query: Query) -> str | None:
    if len(segments) >= 2 and segments[0].lower() in ("r", "user", "u"):
        kind = "r" if segments[0].lower() == "r" else "user"
        return f"{kind}/{segments[1].lower()}"
    return None


def _discord(host: str, segments: list[str], query: Query) -> str | None:
    if host == "discord.gg":
        return segments[0] if segments else None  # invite codes are case-sensitive
    if len(segments) >= 2 and segments[0].lower() == "invite":
        return segments[1]
    return None


def _snapchat(host: str, segments: list[str], query: Query) -> str | None:
    if len(segments) >= 2 and segments[0].lower() == "add":
        return f"add/{segments[1].lower()}"
    if segments and segments[0].startswith("@"):
        return f"add/{segments[0][1:].lower()}"
    return None


def _vimeo(host: str, segments: list[str], query: Query) -> str | None:
    handle = _first_segment(reserved=("channels", "groups", "ondemand", "watch", "search", "features"))(
        host, segments, query
    )
    return None if handle is None or handle.isdigit() else handle  # numeric paths are videos


# ---------------------------------------------------------------- the platform table


@dataclass(frozen=True)
class Platform:
    name: str
    hosts: tuple[str, ...]  # registrable domains; "pinterest.*" stands for any country domain
    base: str  # canonical profile URL = base + handle ("" when the handle is user@instance)
    parse: AccountParser
    share: tuple[str, ...] = ()  # path prefixes (lower case) of share intents
    keywords: tuple[str, ...] = ()  # words in labels, alt texts, file names and icon classes

    def url_of(self, handle: str) -> str:
        if not self.base:  # mastodon: "@user@instance"
            user, _, instance = handle.rpartition("@")
            return f"https://{instance}/{user}"
        return self.base + handle


PLATFORMS: tuple[Platform, ...] = (
    Platform("facebook", ("facebook.com", "fb.com", "fb.me"), "https://www.facebook.com/", _facebook,
             share=("sharer", "share", "dialog"), keywords=("facebook", "fb")),
    Platform("x", ("x.com", "twitter.com"), "https://x.com/",
             _first_segment(reserved=("intent", "share", "home", "search", "hashtag", "i", "explore", "settings",
                                      "login", "signup", "tos", "privacy", "messages", "notifications")),
             share=("intent", "share"), keywords=("twitter",)),
    Platform("linkedin", ("linkedin.com",), "https://www.linkedin.com/",
             _first_segment(reserved=("feed", "jobs", "login", "signup", "pulse", "learning", "help", "legal",
                                      "search", "posts", "sharearticle", "sharing", "cws"),
                            nested=("company", "in", "school", "showcase", "groups")),
             share=("sharearticle", "sharing", "cws/share"), keywords=("linkedin",)),
    Platform("instagram", ("instagram.com", "instagr.am"), "https://www.instagram.com/",
             _first_segment(reserved=("p", "reel", "reels", "tv", "explore", "accounts", "stories", "direct")),
             keywords=("instagram", "insta")),
    Platform("youtube", ("youtube.com", "youtu.be"), "https://www.youtube.com/", _youtube,
             keywords=("youtube", "yt")),
    Platform("tiktok", ("tiktok.com",), "https://www.tiktok.com/", _first_segment(at=True), keywords=("tiktok",)),
    Platform("pinterest", ("pinterest.*",), "https://www.pinterest.com/",
             _first_segment(reserved=("pin", "search", "ideas", "today", "business", "login")),
             share=("pin/create",), keywords=("pinterest",)),
    Platform("threads", ("threads.net", "threads.com"), "https://www.threads.com/", _first_segment(at=True),
             keywords=("threads",)),
    Platform("bluesky", ("bsky.app",), "https://bsky.app/", _first_segment(nested=("profile",)),
             share=("intent",), keywords=("bluesky", "bsky")),
    Platform("mastodon", ("mastodon.social", "mastodon.online", "mstdn.social", "fosstodon.org", "hachyderm.io",
                          "infosec.exchange", "mas.to", "techhub.social"), "", _mastodon,
             share=("share",), keywords=("mastodon",)),
    Platform("github", ("github.com",), "https://github.com/",
             _first_segment(reserved=("about", "features", "pricing", "login", "join", "marketplace", "explore",
                                      "topics", "sponsors", "settings", "security", "enterprise", "site")),
             keywords=("github",)),
    Platform("whatsapp", ("wa.me", "whatsapp.com"), "https://wa.me/", _whatsapp, keywords=("whatsapp",)),
    Platform("telegram", ("t.me", "telegram.me"), "https://t.me/", _first_segment(reserved=("share", "s")),
             share=("share",), keywords=("telegram",)),
    Platform("snapchat", ("snapchat.com",), "https://www.snapchat.com/", _snapchat, keywords=("snapchat",)),
    Platform("reddit", ("reddit.com",), "https://www.reddit.com/", _reddit, share=("submit",),
             keywords=("reddit",)),
    Platform("discord", ("discord.gg", "discord.com", "discordapp.com"), "https://discord.gg/", _discord,
             keywords=("discord",)),
    Platform("vimeo", ("vimeo.com",), "https://vimeo.com/", _vimeo, keywords=("vimeo",)),
    Platform("twitch", ("twitch.tv",), "https://www.twitch.tv/",
             _first_segment(reserved=("videos", "directory", "search", "downloads", "p")), keywords=("twitch",)),
    Platform("medium", ("medium.com",), "https://medium.com/", _first_segment(at=True)),
    Platform("googleplus", ("plus.google.com",), "https://plus.google.com/",
             _first_segment(reserved=("share", "u")), share=("share",),
             keywords=("googleplus", "google plus", "gplus")),
)
PLATFORM_BY_NAME = {platform.name: platform for platform in PLATFORMS}
PLATFORM_NAMES: tuple[str, ...] = tuple(PLATFORM_BY_NAME)
ALIASES = {"twitter": "x", "x.com": "x", "google+": "googleplus", "google-plus": "googleplus"}


def platform_named(name: str) -> str | None:
    """The platform a user means by `name` ("Twitter" -> "x"), or None when it is not one we know."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in PLATFORM_BY_NAME else None


# ---------------------------------------------------------------- URLs


def platform_of_host(host: str) -> Platform | None:
    labels = host.lower().rstrip(".").split(".")
    for start in range(len(labels) - 1):
        if start and not SAME_SITE_LABEL.match(labels[start - 1]):
            break
        domain = ".".join(labels[start:])
        for platform in PLATFORMS:
            if any(_domain_matches(domain, pattern) for pattern in platform.hosts):
                return platform
    return None


def _domain_matches(domain: str, pattern: str) -> bool:
    if pattern.endswith(".*"):  # any country domain: pinterest.co.uk, pinterest.de
        name, _, suffix = domain.partition(".")
        return name == pattern[:-2] and re.fullmatch(r"(?:com?\.)?[a-z]{2,3}", suffix) is not None
    return domain == pattern


def classify_url(url: str) -> UrlTarget:
    """What an absolute http(s) URL opens: an account, a share intent, a platform's home page,
    other content of a platform (a post, a video), or something that is not a social platform."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return UrlTarget(None, "other")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return UrlTarget(None, "other")
    platform = platform_of_host(host)
    if platform is None:
        return UrlTarget(None, "other")
    path = parts.path
    if path.strip("/") == "" and parts.fragment.startswith("!/"):  # twitter.com/#!/handle
        path = parts.fragment[1:]
    segments = [unquote(s) for s in path.split("/") if s]
    query = parse_qs(parts.query)
    if _is_share(platform, segments, query):
        return UrlTarget(platform.name, "share")
    if not segments:
        return UrlTarget(platform.name, "home")
    handle = platform.parse(host.lower(), segments, query)
    if handle is None or not all(HANDLE.match(part) for part in handle.split("/")):
        return UrlTarget(platform.name, "content")
    return UrlTarget(platform.name, "account", SocialAccount(platform.name, handle, platform.url_of(handle)))


def _is_share(platform: Platform, segments: list[str], query: Query) -> bool:
    path = "/".join(s.lower() for s in segments)
    if any(path == prefix or path.startswith((prefix + "/", prefix + ".")) for prefix in platform.share):
        return True
    if platform.name == "whatsapp":  # wa.me/?text=... and send?text=... share; a phone number is an account
        return "text" in query and not _whatsapp("", segments, query)
    return False


def parse_account(url: str) -> SocialAccount | None:
    """The account a profile URL opens, or None (not a platform, a share intent, a post ...)."""
    return classify_url(url).account


# ---------------------------------------------------------------- hints


def platform_from_hints(texts: Iterable[str]) -> str | None:
    """The one platform named by a link's labels, alt texts, file names and icon classes
    (`fab fa-twitter`, `bi-facebook`, `social_linkedin.png`); None when none or several are
    named, or when the words say it is a share or sign-in button."""
    found: set[str] = set()
    for text in texts:
        said = tokens(text)
        if SHARE_WORDS.intersection(said) or SIGN_IN.search(" ".join(said)):
            return None
        if said in (["x"], ["x", "com"]):
            found.add("x")
        joined = f" {' '.join(said)} "
        found.update(p.name for p in PLATFORMS for word in p.keywords if f" {word} " in joined)
    return found.pop() if len(found) == 1 else None


IDENTITY_PROVIDERS = ("google", "apple", "microsoft", "amazon", "paypal", "github")


def signs_in_with(text: str) -> bool:
    """Whether a button's text signs in through another company ("Continue with Facebook", "Sign in
    with Google"): such a button wears that company's colours, not the brand's."""
    joined = f" {' '.join(tokens(text))} "
    named = any(f" {word} " in joined for p in PLATFORMS for word in p.keywords)
    return bool(SIGN_IN.search(joined.strip())) and (named or any(f" {word} " in joined for word in IDENTITY_PROVIDERS))


def named_accounts(text: str) -> tuple[SocialAccount, ...]:
    """The accounts a text names where no link says it (an app screen's labels): a profile URL
    written out (`instagram.com/northwind`), or an `@handle` beside the one platform it names
    ("Follow us on Instagram @northwind")."""
    found: list[SocialAccount] = []
    for match in PROFILE_URL.finditer(text):
        written = match.group(0).rstrip(".!?:")
        account = parse_account(written if "://" in written else f"https://{written}")
        if account is not None:
            found.append(account)
    platform = platform_from_hints([HANDLE_IN_TEXT.sub(" ", PROFILE_URL.sub(" ", text))])
    if platform is not None and platform != "mastodon":
        for match in HANDLE_IN_TEXT.finditer(text):
            account = parse_account(PLATFORM_BY_NAME[platform].url_of(match.group(1)))
            if account is not None:
                found.append(account)
    return tuple(dict.fromkeys(found))
