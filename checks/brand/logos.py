"""Which of a capture's images is its logo: a score from the signs that identify one.

The logo's perceptual hash is `onevoice.logohash`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from onevoice.api import Capture, Image, TextBlock, tokens


# Choosing the logo among a capture's images. Extraction's `logo_hint` is a hint, not a
# verdict: a candidate needs a sign that identifies it as the brand's logo (the hint, the
# word "logo" or the brand name in its alt/hints/file name, a link to a site root, a match
# with a reference) and enough score; position and size only rank and veto.

LOGO_SCORE = 3.0
SOCIAL_WORDS = ("facebook", "twitter", "instagram", "linkedin", "youtube", "pinterest", "tiktok", "whatsapp",
                "github", "rss", "social", "share")
ROOT_PATHS = ("", "/", "/index.html", "/index.htm", "/index.php", "/home")
TOP_OF_PAGE = 240.0  # CSS px: logos sit in the first screenful's header band
LOGO_MAX_HEIGHT = 250.0  # CSS px: taller images are heroes and banners
LOGO_MIN_SIDE = 12.0  # CSS px: smaller images are spacers, pixels and bullets


@dataclass(frozen=True)
class LogoCandidate:
    """An image scored as the touchpoint's logo, with the reasons for its score."""

    image: Image
    score: float
    reasons: tuple[str, ...]
    identified: bool  # at least one sign that names it a logo, beyond position

    @property
    def qualifies(self) -> bool:
        return self.identified and self.score >= LOGO_SCORE


def score_logo(image: Image, brand_name: str | None, matches_reference: bool) -> LogoCandidate:
    """How much `image` looks like the brand's logo on its touchpoint."""
    words = tokens(" ".join((image.alt, *image.hints, _file_name(image.src))))
    squashed = "".join(words)
    signs: list[tuple[float, str, bool]] = []  # (points, reason, identifying)
    if image.logo_hint:
        signs.append((3, f"extraction: {image.logo_hint}", True))
    if "logo" in squashed or "brand" in words:
        signs.append((2, "named a logo", True))
    brand = "".join(tokens(brand_name or ""))
    if brand and brand in squashed:
        signs.append((3, f"named {brand_name}", True))
    if image.link is not None and _is_site_root(image.link):
        signs.append((2, "links to a site root", True))
    if matches_reference:
        signs.append((4, "matches a reference logo", True))
    if image.region in ("header", "nav"):
        signs.append((2, f"in the {image.region}", False))
    elif image.region == "footer":
        signs.append((-1, "in the footer", False))
    if image.box is not None:
        x, y, width, height = image.box
        if y < TOP_OF_PAGE:
            signs.append((1, "at the top", False))
        if height > LOGO_MAX_HEIGHT:
            signs.append((-3, "as tall as a banner", False))
        if min(width, height) < LOGO_MIN_SIDE:
            signs.append((-10, "too small to show a logo", False))
    social = next((word for word in SOCIAL_WORDS if word in squashed), None)
    if social:
        signs.append((-4, f"a {social} icon", False))
    return LogoCandidate(
        image=image,
        score=sum(points for points, _, _ in signs),
        reasons=tuple(reason for _, reason, _ in signs),
        identified=any(identifying for _, _, identifying in signs),
    )


def choose_logo(candidates: list[LogoCandidate]) -> LogoCandidate | None:
    """The best qualifying candidate (highest score, then the topmost), or None: no logo shown."""
    qualifying = [candidate for candidate in candidates if candidate.qualifies]
    if not qualifying:
        return None
    return max(qualifying, key=lambda c: (c.score, -(c.image.box[1] if c.image.box else float("inf"))))


def _file_name(src: str | None) -> str:
    if not src or src.startswith("data:"):
        return ""
    return PurePosixPath(urlsplit(src).path).stem


def _is_site_root(href: str) -> bool:
    parts = urlsplit(href)
    return parts.scheme in ("http", "https", "") and bool(parts.netloc or parts.path) and parts.path in ROOT_PATHS


WORDMARK_BLOCKS = 3  # the brand's name among the first texts of a touchpoint stands where its logo would
_INBOX_ROLES = ("title", "subject", "preheader")


def find_wordmark(capture: Capture, brand_name: str | None) -> TextBlock | None:
    """The brand's name set as styled text in the logo's place, when the touchpoint shows one.

    A short visible text that extraction marks as a logo or brand (`.navbar-brand`, a class or id
    saying logo, a header link to the home page), else the brand's (or `og:site_name`'s) name in the
    header or nav, at the top of the page, or among its first texts.
    """
    shown = [block for block in capture.visible_texts() if block.role not in _INBOX_ROLES]
    marked = next((block for block in shown if block.logo_hint), None)
    if marked is not None:
        return marked
    names = {"".join(tokens(name)) for name in (brand_name, capture.meta.og.get("site_name")) if name and tokens(name)}
    for index, block in enumerate(shown):
        at_top = block.region in ("header", "nav") or index < WORDMARK_BLOCKS or (
            block.box is not None and block.box[1] < TOP_OF_PAGE
        )
        if at_top and "".join(tokens(block.text)) in names:
            return block
    return None
