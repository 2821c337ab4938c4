"""An app screen (screenshot + hierarchy) as the facts a page has: texts, tap targets, images.

What a person sees decides what counts. A node is left out when its bounds are zero-size or
inverted, when it lies outside the screen or its parent (scrolled away), when the hierarchy
marks it not displayed, or when a dialog, alert, sheet or drawer drawn after it covers it.
Boxes are in screenshot pixels: hierarchies in points (iOS) or from a resized screenshot are
scaled; an Android hierarchy that merely stops short of the screenshot (the navigation bar is
not in it, or only a dialog window is) is already in screenshot pixels.

The colours of buttons and bars are the screenshot's own pixels inside their boxes: the
most common colour is the ground, the clearly different one the text. Pure: no files, no device.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np
from PIL import Image as PILImage

from onevoice.capture.app.hierarchy import Hierarchy, Node
from onevoice.facts import Box, Image, Link, Region, TextBlock, TextRole
from onevoice.accounts import named_accounts
from onevoice.textmatch import name_words

MIN_SHOWN = 0.5  # share of a node's box that must be on screen and uncovered
SURFACE_WORDS = frozenset({"dialog", "alert", "popup", "drawer", "modal", "sheet", "bottomsheet", "popover"})
BAR_WORDS = ("toolbar", "actionbar", "appbar", "navigationbar", "tabbar", "bottomnavigation", "bottomnav",
             "bottombar", "tablayout", "tabs")
BAR_MAX_HEIGHT = 0.15  # share of the screen height a bar may take
BAR_MIN_WIDTH = 0.6  # share of the screen width a bar spans
ROW_MIN_ITEMS = 3  # tap targets side by side that make a row of tabs a bar
BUTTON_KINDS = re.compile(r"button|XCUIElementTypeLink|XCUIElementTypeTab$", re.IGNORECASE)
IMAGE_KINDS = re.compile(r"image", re.IGNORECASE)
LOGO_WORD = re.compile(r"logo|wordmark|brandmark", re.IGNORECASE)
CROP_MIN_SIDE = 12  # screenshot pixels: smaller images are dots and dividers
CROP_MAX_HEIGHT = 0.12  # share of the screen height: taller images are illustrations and photos, not logos
CROP_TOP = 0.4  # share of the screen height within which a logo sits, when nothing names it
COLOR_STEP = 16  # screenshot colours are grouped in steps of this per channel (JPEG noise, anti-aliasing)
SAMPLE_SIDE = 160  # colours are counted on at most this many pixels a side
INK_SHARE = 4  # a text colour is at least a quarter as common as the commonest colour that stands out
TEXT_CONTRAST = 96.0  # RGB distance from the ground at which a colour is the text's


@dataclass(frozen=True)
class ScreenFacts:
    texts: tuple[TextBlock, ...]
    links: tuple[Link, ...]
    images: tuple[Image, ...]


@dataclass
class _Shown:
    """A node as the screen shows it."""

    node: Node
    box: Box  # screenshot pixels, clipped to what is on screen
    order: int  # document (drawing) order
    end: int  # the order of its last descendant
    locator: str
    region: Region | None = None
    bar: Box | None = None
    hidden: bool = False
    said: frozenset[str] = field(default_factory=frozenset)  # texts its ancestors already show


def screen_scale(hierarchy: Hierarchy, size: tuple[int, int]) -> float:
    """Screenshot pixels per hierarchy unit."""
    boxes = [node.box for node in hierarchy.root.walk() if node.box is not None]
    if not boxes:
        return 1.0
    right = max(box[0] + box[2] for box in boxes)
    bottom = max(box[1] + box[3] for box in boxes)
    width = hierarchy.width or right
    fits = right <= size[0] + 1 and bottom <= size[1] + 1
    if hierarchy.format != "xcuitest" and fits and size[0] / width < 1.15:
        return 1.0  # Android bounds are screen pixels: a dialog window or a root without the navigation bar
    return size[0] / width


def _named(node: Node, words: frozenset[str] | tuple[str, ...]) -> bool:
    kind = node.kind.removeprefix("XCUIElementType")
    id_words = name_words(node.element_id.rsplit("/", 1)[-1])
    tokens = name_words(kind) + id_words
    joined = "".join(tokens)
    return any(word in tokens for word in words) or any(word in joined for word in words if len(word) > 6)


def _intersect(a: Box, b: Box) -> Box | None:
    left, top = max(a[0], b[0]), max(a[1], b[1])
    right, bottom = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return (left, top, right - left, bottom - top) if right > left and bottom > top else None


def _area(box: Box) -> float:
    return box[2] * box[3]


def _locator(node: Node, path: str) -> str:
    """How a reviewer finds the node again, in the steps' syntax (`id=`, `~label`, `text=`), else its
    path of kinds in the hierarchy."""
    if node.element_id:
        return f"id={node.element_id}"
    if node.labels:
        return f"~{node.labels[0]}"
    if node.text:
        return f"text={node.text}"
    return path


def shown_nodes(hierarchy: Hierarchy, size: tuple[int, int]) -> list[_Shown]:
    """The nodes a person sees on the screen, in drawing order, with boxes in screenshot pixels."""
    scale = screen_scale(hierarchy, size)
    screen: Box = (0.0, 0.0, float(size[0]), float(size[1]))
    shown: list[_Shown] = []
    surfaces: list[_Shown] = []
    counter = itertools.count()

    def visit(node: Node, clip: Box | None, path: str, drawer: bool) -> int:
        order = next(counter)
        box = node.box
        entry: _Shown | None = None
        if box is not None and clip is not None and node.shown:
            scaled = (box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale)
            visible = _intersect(scaled, clip)
            if visible is not None and _area(visible) >= MIN_SHOWN * _area(scaled):
                entry = _Shown(node, visible, order, order, _locator(node, path))
                shown.append(entry)
            clip = visible
        elif node.bounds is not None or not node.shown:
            clip = None  # degenerate bounds or not displayed: nothing inside is seen either
        end = order
        counts: dict[str, int] = {}
        # An Android DrawerLayout draws its first child as the page, the others as drawers over it.
        drawers = node.kind.endswith("DrawerLayout")
        for index, child in enumerate(node.children):
            counts[child.kind] = counts.get(child.kind, 0) + 1
            end = visit(child, clip, f"{path}/{child.kind or '*'}[{counts[child.kind]}]", drawers and index > 0)
        if entry is not None:
            entry.end = end
            if drawer or _named(node, SURFACE_WORDS):
                surfaces.append(entry)
        return end

    visit(hierarchy.root, screen, "/", False)
    for surface in surfaces:
        for entry in shown:
            if entry.order >= surface.order:
                break
            if entry.end >= surface.order:
                continue  # an ancestor of the surface
            covered = _intersect(entry.box, surface.box)
            if covered is not None and _area(covered) >= MIN_SHOWN * _area(entry.box):
                entry.hidden = True
    visible = [entry for entry in shown if not entry.hidden]
    _mark_bars(visible, size)
    _mark_said(visible)
    return visible


def _mark_bars(entries: list[_Shown], size: tuple[int, int]) -> None:
    """App bars, bottom navigation and tab bars: named so, or a row of tap targets, in a band at the top or bottom."""
    width, height = size
    for entry in entries:
        x, y, w, h = entry.box
        if w < BAR_MIN_WIDTH * width or h > BAR_MAX_HEIGHT * height:
            continue
        inside = [other for other in entries if entry.order < other.order <= entry.end]
        row = [other for other in inside if other.node.clickable and abs(other.box[1] - y) <= 0.25 * h]
        at_edge = y + h / 2 < height * 0.25 or y + h / 2 > height * 0.75
        if not (_named(entry.node, BAR_WORDS) or (at_edge and len(row) >= ROW_MIN_ITEMS)):
            continue
        region: Region = "header" if y + h / 2 < height / 2 else "nav"
        for member in (entry, *inside):
            if member.bar is None:
                member.bar, member.region = entry.box, region


def _mark_said(entries: list[_Shown]) -> None:
    """Each node learns the texts its ancestors show, so a button's label is not repeated by its inner text."""
    open_: list[_Shown] = []
    for entry in entries:
        while open_ and open_[-1].end < entry.order:
            open_.pop()
        entry.said = frozenset(text for ancestor in open_ for text in _texts(ancestor.node))
        open_.append(entry)


def _texts(node: Node) -> tuple[str, ...]:
    """What a node says: its text, then labels that add something to it (images' labels are their alt)."""
    if _is_image(node):
        return ()
    said = [node.text] if node.text else []
    said += [label for label in node.labels if label.casefold() not in {s.casefold() for s in said}]
    return tuple(said)


def _is_image(node: Node) -> bool:
    """A picture: an image element with no text of its own (an image *button* is a button)."""
    return bool(IMAGE_KINDS.search(node.kind)) and not _is_button(node) and not node.text and not node.children


def _is_button(node: Node) -> bool:
    return bool(BUTTON_KINDS.search(node.kind))


# ---------------------------------------------------------------- colours


def _palette(screenshot: PILImage.Image, box: Box) -> list[tuple[int, tuple[int, int, int]]]:
    """The colours inside `box`, most common first: pixels grouped in steps of COLOR_STEP per
    channel, each group given the mean colour of its pixels.

    Counted on every n-th pixel (no resampling, which would blend thin text into its ground)."""
    x, y, w, h = box
    crop = screenshot.crop((round(x), round(y), round(x + w), round(y + h))).convert("RGB")
    step = max(1, max(crop.size) // SAMPLE_SIDE)
    pixels = np.asarray(crop, dtype=np.int32)[::step, ::step].reshape(-1, 3)
    if not len(pixels):
        return []
    groups = pixels // COLOR_STEP
    keys = (groups[:, 0] * 256 + groups[:, 1]) * 256 + groups[:, 2]
    _, members, counts = np.unique(keys, return_inverse=True, return_counts=True)
    members = members.reshape(-1)
    sums = np.stack([np.bincount(members, weights=pixels[:, channel], minlength=len(counts)) for channel in range(3)], 1)
    means = np.round(sums / counts[:, None]).astype(int)
    order = np.argsort(-counts, kind="stable")
    return [(int(counts[i]), (int(means[i][0]), int(means[i][1]), int(means[i][2]))) for i in order]


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def ground_and_ink(screenshot: PILImage.Image, box: Box) -> tuple[str | None, str | None]:
    """The ground colour of `box` and the colour drawn on it (None when nothing stands out).

    The ground is the most common colour. Anti-aliased text spreads over blends between its
    colour and the ground's; the text's own colour is the far end of them, so the ink is the
    colour farthest from the ground among those about as common as the commonest contrasting one.
    """
    colors = _palette(screenshot, box)
    if not colors:
        return None, None
    ground = colors[0][1]

    def away(rgb: tuple[int, int, int]) -> float:
        return sum((a - b) ** 2 for a, b in zip(rgb, ground)) ** 0.5

    contrasting = [(count, rgb) for count, rgb in colors[1:] if away(rgb) >= TEXT_CONTRAST]
    if not contrasting:
        return _hex(ground), None
    common = [rgb for count, rgb in contrasting if count * INK_SHARE >= contrasting[0][0]]
    return _hex(ground), _hex(max(common, key=away))


# ---------------------------------------------------------------- facts


def screen_facts(hierarchy: Hierarchy, screenshot: PILImage.Image) -> ScreenFacts:
    """The texts, tap targets and images a person sees on the screen."""
    entries = shown_nodes(hierarchy, screenshot.size)
    bars: dict[Box, str | None] = {}
    texts: list[TextBlock] = []
    links: list[Link] = []
    images: list[Image] = []
    first_header_image = True
    for entry in entries:
        node = entry.node
        bar_ground = None
        if entry.bar is not None:
            if entry.bar not in bars:
                bars[entry.bar] = ground_and_ink(screenshot, entry.bar)[0]
            bar_ground = bars[entry.bar]
        if _is_image(node):
            image = _image(entry, first_header_image)
            first_header_image = first_header_image and image.region != "header"
            images.append(image)
            if node.clickable and node.labels:
                links.append(Link(href="", raw_href=None, hints=_hints(node), region=entry.region,
                                  selector=entry.locator, box=entry.box))
            continue
        said = [text for text in _texts(node) if text not in entry.said]
        button = _is_button(node)
        role = _role(entry, button)
        color, background = None, bar_ground
        if said and role in ("cta", "heading"):  # the colours the brand check judges (a bar's is its ground)
            background, color = ground_and_ink(screenshot, entry.box)
            if entry.bar is not None and not button:
                background = bar_ground
        for text in said:
            texts.append(TextBlock(text=text, role=role, region=entry.region, selector=entry.locator, box=entry.box,
                                   color=color, background=background))
        # A tap target goes nowhere a URL says, unless its words name an account; a text naming one links it.
        accounts = [account.url for text in said for account in named_accounts(text)]
        control = (node.clickable or button) and bool(said or node.labels)
        for href in accounts or ([""] if control else []):
            links.append(Link(href=href, raw_href=None, text=" ".join(said), hints=_hints(node),
                              region=entry.region, selector=entry.locator, box=entry.box, button=button,
                              color=color if said else None, background=background))
    return ScreenFacts(tuple(texts), tuple(links), tuple(images))


def _role(entry: _Shown, button: bool) -> TextRole:
    if button:
        return "cta"
    if entry.region == "header":
        return "nav" if entry.node.clickable else "heading"
    if entry.region == "nav":
        return "nav"
    return "body"


def _hints(node: Node) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in (*node.labels, node.element_id.rsplit("/", 1)[-1]) if value))


def _image(entry: _Shown, first_header_image: bool) -> Image:
    node = entry.node
    x, _, w, _ = entry.box
    alt = " ".join(node.labels)
    logo_hint = next((f"{where} '{value}' says logo" for where, value in (("label", alt), ("id", node.element_id))
                      if value and LOGO_WORD.search(value)), None)
    bar = entry.bar
    if logo_hint is None and first_header_image and bar is not None and x + w / 2 < bar[0] + bar[2] * 2 / 3:
        logo_hint = "first image in the app bar"
    return Image(kind="img", src=None, alt=alt, hints=_hints(node), region=entry.region, selector=entry.locator,
                 box=entry.box, logo_hint=logo_hint)


def may_be_logo(image: Image, screen_height: int) -> bool:
    """Whether to crop an image of the screen to compare it with the logo: something names it a
    logo, or it sits in a bar, or, logo-sized, near the top (a wordmark with no label)."""
    if image.box is None or not image.visible:
        return False
    x, y, width, height = image.box
    if image.logo_hint is not None or image.region is not None:
        return True
    return min(width, height) >= CROP_MIN_SIDE and height <= CROP_MAX_HEIGHT * screen_height and (
        y + height <= CROP_TOP * screen_height
    )
