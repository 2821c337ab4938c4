"""What capture hands to the checks: one `Capture` per touchpoint.

Everything here is a fact about what a touchpoint showed, never a judgement. The
values are frozen and JSON round-trip (`Capture.model_dump_json()` /
`Capture.model_validate_json()`), so checks are tested on saved captures without a
browser. Boxes are `(x, y, width, height)` in the screenshot's pixels: CSS pixels in full-page
coordinates for pages and emails, device pixels for app screens.
Image paths (`screenshot`, `crop`) are relative to the run's artifact folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

Box = tuple[float, float, float, float]
Channel = Literal["web", "email", "app"]
Region = Literal["header", "nav", "main", "footer", "aside"]
Paint = Literal["gradient", "image", "translucent"]  # a background one colour does not describe
# A table band with a fill of its own that it sits in: spanning the content's width at its top or
# bottom (an email's header or footer band), or heading a table (a `<th>` row, a filled first row).
Band = Literal["top", "bottom", "table-header"]
TextRole = Literal["title", "heading", "cta", "nav", "footer", "body", "subject", "preheader"]


def union_box(boxes: Iterable[Box]) -> Box | None:
    """The smallest box that holds every one of `boxes`; None when there are none."""
    boxes = list(boxes)
    if not boxes:
        return None
    left, top = min(box[0] for box in boxes), min(box[1] for box in boxes)
    right, bottom = max(box[0] + box[2] for box in boxes), max(box[1] + box[3] for box in boxes)
    return (left, top, right - left, bottom - top)


class Fact(BaseModel):
    model_config = ConfigDict(frozen=True)


class TextBlock(Fact):
    """A run of text a reader sees as one piece: a heading, a paragraph, a button label."""

    text: str
    role: TextRole
    level: int | None = None  # heading level 1-6
    region: Region | None = None
    selector: str | None = None
    box: Box | None = None
    visible: bool = True  # False: display:none, visibility:hidden, zero size, off-screen, clipped
    color: str | None = None  # computed text colour, #rrggbb
    background: str | None = None  # effective background colour behind it, #rrggbb
    paint: Paint | None = None  # its own background is no single opaque colour: what paints it
    band: Band | None = None  # the filled table band it sits in, if any
    transparent: bool = False  # a CTA with no fill of its own (nor its button cell's): what shows behind it is around it
    font: str | None = None  # first family of the computed font stack
    font_size: float | None = None
    font_weight: int | None = None
    from_image: bool = False  # read by OCR from an image (its selector and region are the image's)
    confidence: float | None = None  # for text read from an image: the OCR's confidence, 0-1, of its least sure word
    code: tuple[str, ...] = ()  # the parts of `text` set as code (<code>, <pre>, <kbd>, <samp>)
    logo_hint: str | None = None  # why a short text may be the brand's wordmark (`.navbar-brand`, a home link)
    control: bool = False  # a form control's label: <button>, <input type=submit>


class Link(Fact):
    href: str  # absolute when it resolves, else as written
    raw_href: str | None = None  # the attribute as written ("" "#" "javascript:..." included); None: no href
    text: str = ""
    hints: tuple[str, ...] = ()  # aria-label, title, image alts and file names, icon classes
    region: Region | None = None
    selector: str | None = None
    box: Box | None = None
    visible: bool = True
    button: bool = False  # styled or marked up as a button / call to action
    color: str | None = None
    background: str | None = None
    paint: Paint | None = None
    band: Band | None = None  # as TextBlock.band
    transparent: bool = False  # as TextBlock.transparent (for a button)


class Image(Fact):
    kind: Literal["img", "svg", "background"]
    src: str | None = None  # absolute URL, data: URI, or None for inline SVG
    alt: str = ""
    hints: tuple[str, ...] = ()  # title, aria-label, class and id words, file name
    region: Region | None = None
    link: str | None = None  # href of the enclosing link
    selector: str | None = None
    box: Box | None = None
    visible: bool = True
    loaded: bool = True  # False: a broken image
    logo_hint: str | None = None  # why extraction thinks this may be a logo; None: no sign of it
    crop: str | None = None  # element screenshot of a logo candidate


class Meta(Fact):
    title: str = ""
    description: str = ""
    lang: str | None = None
    canonical: str | None = None
    og: dict[str, str] = {}  # og:title -> "title"
    twitter: dict[str, str] = {}  # twitter:card -> "card"
    same_as: tuple[str, ...] = ()  # JSON-LD sameAs
    theme_color: str | None = None


class EmailInfo(Fact):
    subject: str = ""
    preheader: str = ""
    sender: str = ""
    recipients: tuple[str, ...] = ()
    date: str | None = None
    message_id: str | None = None
    headers: dict[str, str] = {}
    text_part: str | None = None
    text_links: tuple[str, ...] = ()
    html: bool = True  # False: rendered from the plain-text part


class Capture(Fact):
    touchpoint: str
    channel: Channel
    device: str
    url: str | None = None
    viewport: tuple[int, int] | None = None
    page_size: tuple[int, int] | None = None
    screenshot: str | None = None
    texts: tuple[TextBlock, ...] = ()
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    meta: Meta = Meta()
    email: EmailInfo | None = None
    fonts_measured: bool = True  # False: the capture cannot tell fonts (an app screen is pixels and a hierarchy)
    error: str | None = None
    notes: tuple[str, ...] = ()  # what was captured only in part: a screenshot cut short, requests still loading
    attempts: int = 1
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def visible_texts(self) -> tuple[TextBlock, ...]:
        return tuple(block for block in self.texts if block.visible)
