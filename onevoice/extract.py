"""Page facts from HTML: the text blocks, links, images and meta a reader meets.

One pure implementation for every channel. In the browser, `capture/annotate.js`
first writes layout facts onto each element (`data-onevoice-box`, `-hidden`,
`-color`, `-bg`, `-font`, ...) and the serialised DOM comes here; saved HTML without
those annotations falls back to static signs (the `hidden` attribute, inline
`display:none`, `aria-hidden`, ...) and has no boxes. Everything returned is a
fact, never a verdict: `logo_hint` says why an image may be a logo, nothing more.
A link drawn only by an icon font that did not load (offline, a blocked CDN) is of zero
size but still visible, as a broken image is: it is on the page, only its glyph is not.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, TypeVar
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

from onevoice.colors import Rgb
from onevoice.facts import Band, Box, Image, Link, Meta, Region, TextBlock, TextRole, union_box
from onevoice.textmatch import name_words, readable

T = TypeVar("T")

MAX_NESTING = 100  # below this level only text is read (real pages nest a few dozen levels)
ANNOTATED = "data-onevoice-annotated"
ATTR = "data-onevoice-"

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p pre section "
    "summary table tbody td tfoot th thead tr ul".split()
)
SKIPPED_TAGS = frozenset(
    "head script style template svg math iframe object embed canvas video audio select textarea datalist".split()
)
INERT_TAGS = frozenset({"noscript", "template"})
CODE_TAGS = frozenset({"code", "pre", "kbd", "samp"})
HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}
BLOCK_DISPLAYS = frozenset(
    "block flex grid list-item table table-row table-cell table-caption flow-root table-row-group "
    "table-header-group table-footer-group".split()
)
INLINE_BLOCK_DISPLAYS = frozenset({"inline-block", "inline-flex", "inline-grid", "inline-table"})
INPUT_BUTTON_TYPES = frozenset({"submit", "button", "reset"})
FIELD_TAGS = ("input", "textarea", "select")
BUTTON_WORDS = frozenset({"btn", "button", "cta"})
BUTTON_WRAPPER_DEPTH = 2  # how far above a link its button background may be painted
TABLE_PARTS = frozenset("table thead tbody tfoot tr td th".split())
BAND_SPAN = 0.9  # a band spans at least this share of the width of what the page shows
BAND_EDGE = 0.2  # a top (bottom) band starts (ends) within this share of the shown height from its edge
BAND_HEIGHT = 0.5  # and is at most this share of the shown height high (more is the email's body, no band)
ICON_CLASS = re.compile(
    r"^(?:fa[a-z]?|bi|icon|icons|ion|ionicons|mdi|ti|la[bsr]?|glyphicon|socicon|feather|ri|bx|bxl|uil|si)-"
    r"(?!(?:\d+x|xs|sm|lg|fw|li|ul|stack|inverse|spin|pulse|border|pull|rotate|flip|layers)(?:-|$))[a-z0-9-]+$",
    re.I,
)  # icon-font names such as fa-twitter, bi-facebook (not size or layout modifiers such as fa-3x)
REGION_TAGS: dict[str, Region] = {
    "header": "header", "nav": "nav", "main": "main", "footer": "footer", "aside": "aside"
}  # fmt: skip
REGION_ROLES: dict[str, Region] = {
    "banner": "header",
    "navigation": "nav",
    "main": "main",
    "contentinfo": "footer",
    "complementary": "aside",
}
REGION_WORDS: dict[str, Region] = {
    "header": "header",
    "banner": "header",
    "masthead": "header",  # emails' header band (class="email-masthead")
    "nav": "nav",
    "navbar": "nav",
    "navigation": "nav",
    "menu": "nav",
    "footer": "footer",
    "sidebar": "aside",
    "aside": "aside",
}
SECTIONING_TAGS = frozenset({"article", "aside", "main", "nav", "section"})
HIDDEN_CLASSES = frozenset({"sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text"})
LOGO_WORD = re.compile(r"logo|brand|wordmark", re.I)
WORDMARK_MAX_WORDS = 5  # a wordmark is a name, not a sentence
HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php", "/home"})
SAME_PAGE_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True)
class PageFacts:
    """What one page (or email body) shows: the parts of a `Capture` that come from its HTML."""

    texts: tuple[TextBlock, ...]
    links: tuple[Link, ...]
    images: tuple[Image, ...]
    meta: Meta
    notes: tuple[str, ...] = ()  # what was read only in part
    fields: tuple[Box, ...] = ()  # form fields, whose placeholder or value the browser draws itself


def extract_page(html: str, base_url: str | None = None) -> PageFacts:
    """Text blocks, links, images and meta of `html`; relative URLs resolve against `base_url`."""
    soup = BeautifulSoup(html, "html.parser")
    for masked in soup.find_all(attrs={f"{ATTR}masked": "1"}):
        masked.decompose()
    deepest = _flatten_below(soup, MAX_NESTING)
    notes = (
        (f"the page nests elements {deepest} levels deep; below level {MAX_NESTING} only their text was read",)
        if deepest > MAX_NESTING
        else ()
    )
    base_tag = soup.find("base", href=True)
    if base_tag is not None:
        base_url = urljoin(base_url or "", str(base_tag["href"]).strip()) or None
    dom = _Dom(soup, base_url)
    meta = _meta(soup, dom)
    root = soup.body or soup
    texts = ([_title_block(meta.title)] if meta.title else []) + list(_TextWalker(dom).blocks(root))
    links = [_link(dom, anchor) for anchor in root.find_all(["a", "area"], href=True)]
    return PageFacts(
        texts=tuple(texts),
        links=tuple(links),
        images=tuple(_images(dom, root, meta)),
        meta=meta,
        notes=notes,
        fields=_field_boxes(dom, root),
    )


def _field_boxes(dom: _Dom, root: Tag) -> tuple[Box, ...]:
    """The boxes of the form fields a person sees: text the browser draws in them (a placeholder such
    as 'Enter email address...') is the page's own, also where the field sits on a photo."""
    fields = root.find_all(FIELD_TAGS)
    return tuple(box for field in fields if not dom.hidden(field) and (box := dom.box(field)) is not None)


def _flatten_below(soup: BeautifulSoup, level: int) -> int:
    """Replace what lies below `level` with its text, so that reading the page never runs out of
    stack; returns the deepest level found."""
    depths: dict[int, int] = {id(soup): 0}
    boundary: dict[int, Tag] = {}  # the elements at `level` with elements inside
    for tag in soup.descendants:  # parents come before their children
        if isinstance(tag, Tag):
            depth = depths[id(tag)] = depths[id(tag.parent)] + 1
            if depth == level + 1:
                boundary[id(tag.parent)] = tag.parent
    for tag in boundary.values():
        text = tag.get_text(" ")
        tag.clear()
        tag.append(text)
    return max(depths.values())


def resolve_url(raw: str, base_url: str | None) -> str:
    """`raw` resolved against `base_url` as a browser would; empty and host-less URLs stay as written."""
    raw = raw.strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme in SAME_PAGE_SCHEMES and not parts.netloc:
        return raw
    return urljoin(base_url, raw) if base_url else raw


def css_color(value: str | None) -> str | None:
    """`#rrggbb` from a CSS or HTML colour (`#abc`, `rgb()`, `rgba()`, basic names); None: transparent or unknown."""
    color = Rgb.from_css(value)
    return color.hex if color else None


def _title_block(title: str) -> TextBlock:
    return TextBlock(text=title, role="title", selector="title")


def _inline_style(tag: Tag) -> dict[str, str]:
    declarations = {}
    for declaration in str(tag.get("style") or "").split(";"):
        name, _, value = declaration.partition(":")
        if value:
            declarations[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return declarations


def _class_list(tag: Tag) -> list[str]:
    classes = tag.get("class") or []
    return classes.split() if isinstance(classes, str) else list(classes)


class _Dom:
    """Per-element facts of one parsed document: annotations when present, static signs otherwise."""

    def __init__(self, soup: BeautifulSoup, base_url: str | None) -> None:
        html = soup.find("html")
        self.annotated = isinstance(html, Tag) and html.has_attr(ANNOTATED)
        self.base_url = base_url
        self.id_counts = Counter(str(tag["id"]) for tag in soup.find_all(id=True))
        self._hidden: dict[int, bool] = {}
        self._region: dict[int, Region | None] = {}
        self._selector: dict[int, str] = {}
        self._background: dict[int, str | None] = {}
        self._button: dict[int, bool] = {}
        self._of_type: dict[int, tuple[dict[int, int], Counter[str]]] = {}
        self._text_children: dict[int, set[int]] = {}
        self._band: dict[int, Band | None] = {}
        self._soup = soup
        self._content: Box | None | bool = False  # False: not measured yet

    def hidden(self, tag: Tag) -> bool:
        return _once(self._hidden, tag, self._find_hidden)

    def _find_hidden(self, tag: Tag) -> bool:
        parent = tag.parent if isinstance(tag.parent, Tag) else None
        if tag.name in INERT_TAGS:
            own = True
        elif self.annotated and tag.has_attr(f"{ATTR}box"):
            own = tag.has_attr(f"{ATTR}hidden")
        else:
            own = _statically_hidden(tag)
        return own or (parent is not None and self._inherits_hidden(parent, tag))

    def collapsed(self, tag: Tag) -> bool:
        """Laid out where it stands but of zero size: hidden only because nothing inside it painted."""
        return self.annotated and tag.get(f"{ATTR}hidden") == "empty"

    def _inherits_hidden(self, parent: Tag, child: Tag) -> bool:
        # Annotations already account for ancestors; static signs and inert containers pass down.
        if self.annotated and child.has_attr(f"{ATTR}box"):
            return self._inert(parent)
        return self.hidden(parent)

    def _inert(self, tag: Tag) -> bool:
        return any(ancestor.name in INERT_TAGS for ancestor in (tag, *tag.parents) if isinstance(ancestor, Tag))

    def box(self, tag: Tag) -> Box | None:
        raw = tag.get(f"{ATTR}box")
        if not raw:
            return None
        try:
            x, y, width, height = (float(part) for part in str(raw).split())
        except ValueError:
            return None
        return (x, y, width, height)

    def is_block(self, tag: Tag) -> bool:
        display = str(tag.get(f"{ATTR}display") or "none")  # not rendered: judge by the tag
        if display == "none":
            return tag.name in BLOCK_TAGS
        return display in BLOCK_DISPLAYS or (display in INLINE_BLOCK_DISPLAYS and tag.name in BLOCK_TAGS)

    def region(self, tag: Tag) -> Region | None:
        """The innermost landmark around `tag`, except that a footer owns everything inside it, its
        navs included. Worked out from the nearest ancestor whose region is known, down."""
        chain: list[Tag] = []
        node = tag
        while isinstance(node, Tag) and node.name not in ("html", "[document]") and id(node) not in self._region:
            chain.append(node)
            node = node.parent
        region = self._region.get(id(node))
        for node in reversed(chain):
            own = _landmark(node)
            region = "footer" if "footer" in (own, region) else own or region
            self._region[id(node)] = region
        return region

    def selector(self, tag: Tag) -> str:
        return _once(self._selector, tag, self._build_selector)

    def _build_selector(self, tag: Tag) -> str:
        ident = tag.get("id")
        if ident and self.id_counts[str(ident)] == 1 and re.fullmatch(r"-?[A-Za-z_][\w-]*", str(ident)):
            return f"#{ident}"
        if tag.name in ("html", "body", "head") or not isinstance(tag.parent, Tag) or tag.parent.name == "[document]":
            return tag.name
        position, count = self._nth_of_type(tag)
        step = tag.name if count == 1 else f"{tag.name}:nth-of-type({position})"
        return f"{self.selector(tag.parent)} > {step}"

    def _nth_of_type(self, tag: Tag) -> tuple[int, int]:
        """`tag`'s 1-based position among its parent's children of its name, and their number.

        Counted once per parent: looking each child up among its siblings would be quadratic."""
        positions, counts = _once(self._of_type, tag.parent, _count_of_type)
        return positions[id(tag)], counts[tag.name]

    def background(self, tag: Tag) -> str | None:
        """The colour behind `tag`: annotated, or from inline styles and `bgcolor` of it and its ancestors."""
        if self.annotated and tag.has_attr(f"{ATTR}bg"):
            return str(tag[f"{ATTR}bg"]) or None
        return _once(self._background, tag, self._static_background)

    def _static_background(self, tag: Tag) -> str | None:
        style = _inline_style(tag)
        own = css_color(style.get("background-color")) or css_color(_first_color(style.get("background", "")))
        own = own or css_color(str(tag.get("bgcolor") or ""))
        parent = tag.parent if isinstance(tag.parent, Tag) else None
        return own or (self.background(parent) if parent is not None else None)

    def paint(self, tag: Tag) -> str | None:
        """What paints `tag`'s own background when one colour does not (annotated pages only)."""
        value = _annotation(tag, "paint") if self.annotated else None
        return value if value in ("gradient", "image", "translucent") else None

    def color(self, tag: Tag) -> str | None:
        if self.annotated:
            return _annotation(tag, "color")
        color = css_color(_inline_style(tag).get("color")) or css_color(str(tag.get("color") or ""))
        return color

    def font(self, tag: Tag) -> tuple[str | None, float | None, int | None]:
        if not self.annotated:
            family = _inline_style(tag).get("font-family") or str(tag.get("face") or "")
            return (_first_family(family), None, None)
        size, weight = _annotation(tag, "font-size"), _annotation(tag, "font-weight")
        return (
            _annotation(tag, "font"),
            float(size) if size else None,
            int(float(weight)) if weight else None,
        )

    def styled(self, tag: Tag) -> Tag:
        """`tag` or the first descendant carrying the text style annotations."""
        if not self.annotated or tag.has_attr(f"{ATTR}color"):
            return tag
        return tag.find(attrs={f"{ATTR}color": True}) or tag

    def is_button_link(self, anchor: Tag) -> bool:
        """A link marked up as a button (role, btn/button/cta class), or painted as one."""
        return _once(self._button, anchor, self._looks_like_button)

    def _looks_like_button(self, anchor: Tag) -> bool:
        if str(anchor.get("role") or "").lower() == "button":
            return True
        if any(word in BUTTON_WORDS for name in _class_list(anchor) for word in name_words(name)):
            return True
        return bool(readable(anchor.get_text())) and self.fill_owner(anchor) is not None

    def own_fill(self, tag: Tag) -> bool:
        """Whether `tag` paints a background of its own that differs from what surrounds it."""
        parent = tag.parent if isinstance(tag.parent, Tag) else None
        if parent is None:
            return False
        own = self.background(tag)
        painted = self.paint(tag) is not None and self.paint(parent) is None
        return painted or (own is not None and own != self.background(parent))

    def fill_owner(self, control: Tag) -> Tag | None:
        """The element that paints a control's button fill: the control, or a wrapper right around it
        (a bulletproof-button cell) showing no other text; None: the control has no fill of its own."""
        node: Tag = control
        for _ in range(BUTTON_WRAPPER_DEPTH + 1):
            if not isinstance(node.parent, Tag):
                return None
            if self.own_fill(node):
                return node
            if self._text_beside(node):
                return None
            node = node.parent
        return None

    def band(self, tag: Tag) -> Band | None:
        """The filled table band `tag` sits on: one spanning the content's width at its top or bottom,
        or heading a table (a `<th>` row, `<thead>`, a filled first row of a table with more rows)."""
        return _once(self._band, tag, self._find_band)

    def _find_band(self, tag: Tag) -> Band | None:
        parts = [node for node in (tag, *tag.parents) if isinstance(node, Tag) and node.name in TABLE_PARTS]
        found = next(((node, band) for node in parts if (band := self._band_of(node))), None)
        # Only a band whose fill is what shows behind `tag` (not a button's fill inside the band).
        shown = found is not None and self.background(found[0]) == self.background(tag)
        return found[1] if found and shown else None

    def _band_of(self, node: Tag) -> Band | None:
        if not self.own_fill(node) or self.paint(node) == "image":
            return None
        box, content = self.box(node), self.content()
        if box is not None and content is not None and box[2] >= BAND_SPAN * content[2] and box[3] <= BAND_HEIGHT * content[3]:
            if box[1] <= content[1] + BAND_EDGE * content[3]:
                return "top"
            if box[1] + box[3] >= content[1] + (1 - BAND_EDGE) * content[3]:
                return "bottom"
        return "table-header" if _heads_table(node) else None

    def content(self) -> Box | None:
        """The box around every visible element showing text of its own (annotated pages only)."""
        if self._content is False:
            boxes = [
                box
                for tag in self._soup.find_all(attrs={f"{ATTR}color": True})
                if not tag.has_attr(f"{ATTR}hidden") and (box := self.box(tag)) is not None and box[2] > 0 and box[3] > 0
            ]
            self._content = union_box(boxes)
        return self._content or None

    def _text_beside(self, tag: Tag) -> bool:
        """Whether `tag`'s parent shows text outside `tag`.

        Each parent's children are read once: reading the parent's whole text for each of many
        sibling links would be quadratic."""
        with_text = _once(self._text_children, tag.parent, _children_with_text)
        return len(with_text) > 1 or (bool(with_text) and id(tag) not in with_text)

    def url(self, raw: str) -> str:
        return resolve_url(raw, self.base_url)


def _once(known: dict[int, T], tag: Tag, compute: Callable[[Tag], T]) -> T:
    """`compute(tag)`, computed once per element of the document: `known` keeps it by the element's id."""
    key = id(tag)
    if key not in known:
        known[key] = compute(tag)
    return known[key]


def _count_of_type(parent: Tag) -> tuple[dict[int, int], Counter[str]]:
    """Each child element's 1-based position among the children of its name, and their numbers."""
    positions: dict[int, int] = {}
    counts: Counter[str] = Counter()
    for child in parent.children:
        if isinstance(child, Tag):
            counts[child.name] += 1
            positions[id(child)] = counts[child.name]
    return positions, counts


def _children_with_text(parent: Tag) -> set[int]:
    """The ids of `parent`'s children that show text."""
    types = parent.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
    return {
        id(child)
        for child in parent.children
        if readable(child.get_text(types=types) if isinstance(child, Tag) else child if type(child) in types else "")
    }


def _annotation(tag: Tag, name: str) -> str | None:
    value = tag.get(f"{ATTR}{name}")
    return str(value) if value else None


def _heads_table(node: Tag) -> bool:
    """A `<thead>`, a row of `<th>` cells or one of them, or the first row of a table with more rows."""
    if node.name in ("thead", "th"):
        return True
    row = node if node.name == "tr" else node.find_parent("tr") if node.name == "td" else None
    if row is None:
        return False
    cells = row.find_all(["td", "th"], recursive=False)
    if cells and all(cell.name == "th" for cell in cells):
        return True
    section = row.parent if isinstance(row.parent, Tag) and row.parent.name == "tbody" else None
    first = row.find_previous_sibling("tr") is None and (section is None or section.find_previous_sibling() is None)
    return first and row.find_next_sibling("tr") is not None and (node.name == "tr" or len(cells) == 1)


def _first_color(background: str) -> str:
    for token in background.split():
        if css_color(token):
            return token
    return ""


def _first_family(stack: str) -> str | None:
    first = stack.split(",")[0].strip().strip("'\"").strip()
    return first or None


def _statically_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    if tag.name == "input" and str(tag.get("type", "")).lower() == "hidden":
        return True
    if HIDDEN_CLASSES.intersection(_class_list(tag)):
        return True
    style = _inline_style(tag)
    if style.get("display") == "none" or style.get("visibility") == "hidden":
        return True
    if re.fullmatch(r"0*\.?0*", style.get("opacity", "1")):
        return True
    collapsed = re.fullmatch(r"0(px)?", style.get("max-height", "")) or re.fullmatch(r"0(px)?", style.get("height", ""))
    return bool(collapsed) and style.get("overflow") == "hidden"


def _landmark(node: Tag) -> Region | None:
    role = str(node.get("role") or "").lower()
    if role in REGION_ROLES:
        return REGION_ROLES[role]
    if node.name in REGION_TAGS:
        if node.name in ("header", "footer") and any(parent.name in SECTIONING_TAGS for parent in node.parents):
            return None  # an article's or section's own header/footer is not the page's
        return REGION_TAGS[node.name]
    for value in (*_class_list(node), str(node.get("id") or "")):
        for word in name_words(value):
            if word in REGION_WORDS:
                return REGION_WORDS[word]
    return None


@dataclass(frozen=True)
class _Piece:
    text: str
    hidden: bool
    source: Tag  # the child of the block that holds this text (or the block itself)
    link: Tag | None  # the link the text is in, if any
    code: bool = False  # set as code: inside <code>, <pre>, <kbd>, <samp>


class _TextWalker:
    """Text blocks as a reader sees them: inline markup merged, block boundaries and buttons kept apart."""

    def __init__(self, dom: _Dom) -> None:
        self.dom = dom

    def blocks(self, root: Tag) -> Iterator[TextBlock]:
        yield from self._block(root, flatten=False)

    def _block(self, block: Tag, flatten: bool) -> Iterator[TextBlock]:
        pieces: list[_Piece] = []
        code = any(tag.name in CODE_TAGS for tag in (block, *block.parents))
        for item in self._flow(block, block, self.dom.hidden(block), flatten, None, code):
            if isinstance(item, _Piece):
                pieces.append(item)
                continue
            yield from self._emit(block, pieces)
            pieces = []
            yield from item
        yield from self._emit(block, pieces)

    def _flow(
        self, block: Tag, node: Tag, hidden: bool, flatten: bool, link: Tag | None, code: bool
    ) -> Iterator[_Piece | Iterator[TextBlock]]:
        """Pieces of inline text under `node`, and (as iterators) the blocks nested in it, in document order."""
        for child in node.children:
            if isinstance(child, (Comment, CData, Declaration, Doctype, ProcessingInstruction)):
                continue
            source = node if node is block else _child_of(block, node)
            if isinstance(child, NavigableString):
                yield _Piece(str(child), hidden, source, link, code)
                continue
            if not isinstance(child, Tag) or child.name in SKIPPED_TAGS:
                continue
            if child.name == "br":
                yield _Piece(" ", hidden, source, link)
                continue
            if child.name == "input":
                if self._is_cta(child):
                    yield self._input_button(child)
                continue
            if self._is_cta(child) or (not flatten and (self.dom.is_block(child) or _heading_level(child))):
                yield self._block(child, flatten=flatten or self._is_cta(child) or _heading_level(child) is not None)
                continue
            inner_link = child if child.name == "a" and child.has_attr("href") else link
            yield from self._flow(
                block, child, self.dom.hidden(child), flatten, inner_link, code or child.name in CODE_TAGS
            )

    def _is_cta(self, tag: Tag) -> bool:
        if tag.name == "button":
            return True
        if tag.name == "input":
            return str(tag.get("type", "")).lower() in INPUT_BUTTON_TYPES
        if str(tag.get("role") or "").lower() == "button":
            return True
        return tag.name == "a" and tag.has_attr("href") and self.dom.is_button_link(tag)

    def _input_button(self, tag: Tag) -> Iterator[TextBlock]:
        label = readable(str(tag.get("value") or "")) or ("Reset" if tag.get("type") == "reset" else "Submit")
        yield self._text_block(tag, label, "cta", self.dom.hidden(tag))

    def _emit(self, block: Tag, pieces: list[_Piece]) -> Iterator[TextBlock]:
        for hidden in (False, True):
            chosen = [piece for piece in pieces if piece.hidden == hidden]
            for run in _split_link_list(chosen):
                text = readable("".join(piece.text for piece in run))
                if text:
                    anchor = _anchor(block, [piece for piece in run if piece.text.strip()])
                    level, code = _heading_level(block), _code_spans(run)
                    yield self._text_block(anchor, text, self._role(block), hidden, level=level, code=code)

    def _role(self, block: Tag) -> TextRole:
        if _heading_level(block):
            return "heading"
        if self._is_cta(block):
            return "cta"
        region = self.dom.region(block)
        if region in ("nav", "footer"):
            return region
        return "body"

    def _text_block(
        self, tag: Tag, text: str, role: TextRole, hidden: bool, level: int | None = None, code: tuple[str, ...] = ()
    ) -> TextBlock:
        styled = self.dom.styled(tag)
        font, size, weight = self.dom.font(styled)
        return TextBlock(
            text=text,
            role=role,
            level=level,
            region=self.dom.region(tag),
            selector=self.dom.selector(tag),
            box=self.dom.box(tag),
            visible=not hidden,
            color=self.dom.color(styled),
            background=self.dom.background(tag),
            paint=self.dom.paint(tag),
            band=self.dom.band(tag),
            transparent=role == "cta" and self.dom.fill_owner(tag) is None,
            font=font,
            font_size=size,
            font_weight=weight,
            code=code,
            logo_hint=self._wordmark_hint(tag, text),
            control=tag.name in ("button", "input"),
        )

    def _wordmark_hint(self, tag: Tag, text: str) -> str | None:
        """Why a short text may be set in the logo's place: a class or id saying logo or brand on it or
        its link (`.navbar-brand`), or a link to the home page in the header. A fact, never a verdict."""
        if len(text.split()) > WORDMARK_MAX_WORDS:
            return None
        link = tag if tag.name == "a" else tag.find_parent("a")
        for where, node in (("", tag), ("link ", link)):
            if node is None:
                continue
            for attribute in ("class", "id"):
                value = " ".join(_class_list(node)) if attribute == "class" else str(node.get("id") or "")
                if value and any(LOGO_WORD.search(word) for word in name_words(value)):
                    return f"{where}{attribute} '{value}' says logo"
        region = self.dom.region(tag)
        if link is not None and link.has_attr("href") and region in ("header", "nav"):
            if _is_home(self.dom.url(str(link["href"])), self.dom.base_url):
                return f"links to the home page from the {region}"
        return None


def _code_spans(pieces: list[_Piece]) -> tuple[str, ...]:
    """The text of each run of code pieces, normalised like the block's text."""
    spans: list[str] = []
    previous = False
    for piece in pieces:
        if piece.code and previous:
            spans[-1] += piece.text
        elif piece.code:
            spans.append(piece.text)
        previous = piece.code
    return tuple(span for span in (readable(span) for span in spans) if span)


def _split_link_list(pieces: list[_Piece]) -> list[list[_Piece]]:
    """A run made only of links and separators ("Home | About | Contact") is one block per link."""
    by_link: dict[int, list[_Piece]] = {}
    for piece in pieces:
        if piece.link is not None:
            by_link.setdefault(id(piece.link), []).append(piece)
    between = "".join(piece.text for piece in pieces if piece.link is None)
    if len(by_link) < 2 or any(character.isalnum() for character in between):
        return [pieces]
    return list(by_link.values())


def _child_of(block: Tag, node: Tag) -> Tag:
    """The child of `block` that contains `node`."""
    while node.parent is not block and isinstance(node.parent, Tag):
        node = node.parent
    return node


def _anchor(block: Tag, pieces: list[_Piece]) -> Tag:
    """The element a run of text belongs to: its single inline wrapper when it has one, else the block."""
    sources = {id(piece.source): piece.source for piece in pieces}
    if len(sources) != 1:
        return block
    return next(iter(sources.values()))


def _heading_level(tag: Tag) -> int | None:
    if tag.name in HEADING_TAGS:
        return HEADING_TAGS[tag.name]
    if str(tag.get("role") or "").lower() == "heading":
        level = str(tag.get("aria-level") or "2")
        return int(level) if level.isdigit() and 1 <= int(level) <= 6 else 2
    return None


def _link(dom: _Dom, anchor: Tag) -> Link:
    raw = str(anchor.get("href"))
    button = anchor.name == "a" and dom.is_button_link(anchor)
    visible_parts = [tag for tag in (anchor, *anchor.find_all(True)) if not dom.hidden(tag)]
    return Link(
        href=dom.url(raw),
        raw_href=raw,
        text=readable(anchor.get_text(" ") if anchor.name == "a" else str(anchor.get("alt") or "")),
        hints=_link_hints(anchor),
        region=dom.region(anchor),
        selector=dom.selector(anchor),
        box=_union_box(dom, visible_parts) if dom.annotated else None,
        visible=bool(visible_parts) or _unrendered_icon_link(dom, anchor),
        button=button,
        color=dom.color(dom.styled(anchor)),
        background=dom.background(anchor),
        paint=dom.paint(anchor),
        band=dom.band(anchor),
        transparent=button and dom.fill_owner(anchor) is None,
    )


def _unrendered_icon_link(dom: _Dom, anchor: Tag) -> bool:
    """A link drawn only by an icon font or icon script that did not load (offline, a blocked CDN).

    It has no size, yet it stands in the page where its icon belongs, among visible content:
    like a broken image, it is on the page (its href is still judged), not hidden by the author.
    """
    if not dom.collapsed(anchor) or readable(anchor.get_text()):
        return False
    tags = (anchor, *anchor.find_all(True))
    if not any(ICON_CLASS.match(name) for tag in tags for name in _class_list(tag)):
        return False
    container = anchor.parent
    while isinstance(container, Tag) and dom.collapsed(container):
        container = container.parent
    return isinstance(container, Tag) and not dom.hidden(container)


def _union_box(dom: _Dom, tags: list[Tag]) -> Box | None:
    return union_box(box for box in map(dom.box, tags) if box and box[2] > 0 and box[3] > 0)


def _link_hints(anchor: Tag) -> tuple[str, ...]:
    hints: list[str] = []
    for tag in (anchor, *anchor.find_all(True)):
        for name in ("aria-label", "title"):
            hints.append(str(tag.get(name) or ""))
        if tag.name == "img":
            hints.append(str(tag.get("alt") or ""))
            hints.append(_file_name(str(tag.get("src") or "")))
        if tag.name == "title":
            hints.append(tag.get_text())
        if tag.name == "use":
            hints.append(str(tag.get("href") or tag.get("xlink:href") or "").lstrip("#"))
        hints.extend(name for name in _class_list(tag) if ICON_CLASS.match(name))
        if tag.has_attr("data-icon"):
            hints.append(str(tag["data-icon"]))
    return _unique(hints)


def _unique(values: list[str]) -> tuple[str, ...]:
    cleaned = (readable(value) for value in values)
    return tuple(dict.fromkeys(value for value in cleaned if value))


def _file_name(src: str) -> str:
    if not src or src.startswith("data:"):
        return ""
    return unquote(PurePosixPath(urlsplit(src).path).name)


def _images(dom: _Dom, root: Tag, meta: Meta) -> Iterator[Image]:
    site_names = _site_names(meta)
    header_logo_taken = False
    for tag in root.find_all(True):
        if tag.name == "img":
            image = _img(dom, tag)
        elif tag.name == "svg" and tag.find_parent("svg") is None:
            image = _svg(dom, tag)
        else:
            image = _background_image(dom, tag)
        if image is None:
            continue
        first_in_header = not header_logo_taken and image.kind != "background" and image.region in ("header", "nav")
        header_logo_taken = header_logo_taken or first_in_header
        yield image.model_copy(update={"logo_hint": _logo_hint(dom, tag, image, site_names, first_in_header)})


def _placed(dom: _Dom, tag: Tag) -> dict[str, Any]:
    """Where an image's element stands: its region, the link around it, selector, box and visibility."""
    return {
        "region": dom.region(tag),
        "link": _enclosing_link(dom, tag),
        "selector": dom.selector(tag),
        "box": dom.box(tag),
        "visible": not dom.hidden(tag),
    }


def _enclosing_link(dom: _Dom, tag: Tag) -> str | None:
    anchor = tag.find_parent("a", href=True)
    return dom.url(str(anchor["href"])) if anchor is not None else None


def _img(dom: _Dom, tag: Tag) -> Image | None:
    raw = str(tag.get(f"{ATTR}src") or tag.get("src") or tag.get("data-src") or _first_srcset(tag) or "")
    if not raw:
        return None
    return Image(
        kind="img",
        src=dom.url(raw) if not raw.startswith("data:") else raw,
        alt=readable(str(tag.get("alt") or "")),
        hints=_image_hints(tag, raw),
        **_placed(dom, tag),
        loaded=tag.get(f"{ATTR}broken") != "1",
    )


def _first_srcset(tag: Tag) -> str:
    srcset = str(tag.get("srcset") or tag.get("data-srcset") or "")
    return srcset.split(",")[0].split()[0] if srcset.strip() else ""


def _svg(dom: _Dom, tag: Tag) -> Image:
    title = tag.find("title")
    hints = [title.get_text() if title else "", str(tag.get("aria-label") or "")]
    hints += [str(use.get("href") or use.get("xlink:href") or "").lstrip("#") for use in tag.find_all("use")]
    return Image(
        kind="svg",
        alt=readable(str(tag.get("aria-label") or (title.get_text() if title else ""))),
        hints=_unique(hints + _class_id_words(tag)),
        **_placed(dom, tag),
    )


def _background_image(dom: _Dom, tag: Tag) -> Image | None:
    raw = _annotation(tag, "bgimg")
    if raw is None and not dom.annotated:
        style = _inline_style(tag)
        match = re.search(r"url\(\s*['\"]?([^'\")]+)", style.get("background-image") or style.get("background", ""))
        raw = match.group(1) if match else (str(tag.get("background")) if tag.get("background") else None)
    if not raw:
        return None
    return Image(
        kind="background",
        src=dom.url(raw) if not raw.startswith("data:") else raw,
        hints=_image_hints(tag, raw),
        **_placed(dom, tag),
    )


def _class_id_words(tag: Tag) -> list[str]:
    return [*_class_list(tag), str(tag.get("id") or "")]


def _image_hints(tag: Tag, src: str) -> tuple[str, ...]:
    labels = [str(tag.get("title") or ""), str(tag.get("aria-label") or "")]
    return _unique([*labels, *_class_id_words(tag), _file_name(src)])


def _site_names(meta: Meta) -> set[str]:
    """og:site_name when the page gives one, else each part of a title like `Page | Site`."""
    names = [meta.og["site_name"]] if meta.og.get("site_name") else re.split(r"\s+[|\-–—:·»]\s+", meta.title)
    return {readable(name).casefold() for name in names if readable(name)}


def _logo_hint(dom: _Dom, tag: Tag, image: Image, site_names: set[str], first_in_header: bool) -> str | None:
    anchor = tag.find_parent("a")
    labelled = [
        ("alt", image.alt),
        ("title", str(tag.get("title") or "")),
        ("aria-label", str(tag.get("aria-label") or "")),
        ("file name", _file_name(image.src or "")),
        ("class", " ".join(_class_list(tag))),
        ("id", str(tag.get("id") or "")),
    ]
    if anchor is not None:
        labelled += [("link class", " ".join(_class_list(anchor))), ("link label", str(anchor.get("aria-label") or ""))]
    for where, value in labelled:
        if value and any(LOGO_WORD.search(word) for word in name_words(value)):
            return f"{where} '{value}' says logo"
    if image.alt and image.alt.casefold() in site_names:
        return f"alt '{image.alt}' is the site name"
    if image.link and _is_home(image.link, dom.base_url):
        return "links to the home page"
    if first_in_header:
        return f"first image in the {image.region}"
    return None


def _is_home(href: str, base_url: str | None) -> bool:
    target = urlsplit(href)
    if base_url:
        base = urlsplit(base_url)
        if target.scheme in SAME_PAGE_SCHEMES and base.scheme in SAME_PAGE_SCHEMES and target.netloc != base.netloc:
            return False
        return target.path in HOME_PATHS and not target.fragment
    return not target.netloc and target.path in HOME_PATHS | {"./", "."} and not target.fragment and bool(href)


def _meta(soup: BeautifulSoup, dom: _Dom) -> Meta:
    html = soup.find("html")
    title = next((tag for tag in soup.find_all("title") if tag.find_parent("svg") is None), None)
    og: dict[str, str] = {}
    twitter: dict[str, str] = {}
    description = ""
    theme_color = None
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or "").strip().lower()
        content = readable(str(tag.get("content") or ""))
        if key.endswith(("image", "url", "image:url", "image:secure_url")) and content:
            content = dom.url(content)
        if key.startswith("og:"):
            og.setdefault(key[3:], content)
        elif key.startswith("twitter:"):
            twitter.setdefault(key[8:], content)
        elif key == "description" and not description:
            description = content
        elif key == "theme-color" and theme_color is None:
            theme_color = css_color(content) or content or None
    canonical = soup.find("link", rel=lambda rel: rel and "canonical" in rel, href=True)
    return Meta(
        title=readable(title.get_text()) if title else "",
        description=description,
        lang=str(html.get("lang")) if isinstance(html, Tag) and html.get("lang") else None,
        canonical=dom.url(str(canonical["href"])) if canonical else None,
        og=og,
        twitter=twitter,
        same_as=_same_as(soup),
        theme_color=theme_color,
    )


def _same_as(soup: BeautifulSoup) -> tuple[str, ...]:
    found: list[str] = []

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "sameAs":
                    found.extend([value] if isinstance(value, str) else [v for v in value if isinstance(v, str)])
                else:
                    collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    for script in soup.find_all("script", type=lambda kind: kind and kind.strip().lower() == "application/ld+json"):
        try:
            collect(json.loads(script.get_text()))
        except (ValueError, TypeError):
            continue
    return _unique(found)
