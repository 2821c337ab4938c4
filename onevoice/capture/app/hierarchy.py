"""App screen hierarchies: recognise the format from the content, read it into one tree of `Node`s.

Four formats, told apart by what the file holds, never by its name:

- `uiautomator2`: Appium's UiAutomator2 page source (Android), elements named by their class,
  `bounds="[x1,y1][x2,y2]"` in screen pixels, `displayed`;
- `uiautomator`: a raw `uiautomator dump` (Android), `<hierarchy><node class=...>` elements;
- `xcuitest`: Appium's XCUITest page source (iOS), `XCUIElementType*` elements with
  `x`/`y`/`width`/`height` in points, `visible`;
- `maestro`: the JSON of `maestro hierarchy` (Android or iOS), nodes with `attributes`
  (`bounds`, `text`, `accessibilityText`, `resource-id` ...) and `children`.

Pure: no screenshot, no judgement of what counts as visible (that is `onevoice.capture.app.screen`).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Literal

from onevoice.facts import Box
from onevoice.textmatch import readable

HierarchyFormat = Literal["uiautomator2", "uiautomator", "xcuitest", "maestro"]
FORMAT_NAMES = "Appium page source (UiAutomator2 or XCUITest), a uiautomator dump or a Maestro hierarchy JSON"

ANDROID_BOUNDS = re.compile(r"\[(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)\]\[(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)\]")
IDENTIFIER = re.compile(r"^[A-Za-z0-9]+(?:[_.\-][A-Za-z0-9]+)+$|^[a-z]+(?:[A-Z][a-z0-9]*)+$")
FALSE = frozenset({"false", "0", "no"})
MAX_DEPTH = 200  # nesting levels; real screens stay far below, a hostile file is refused


class HierarchyError(ValueError):
    """A hierarchy file that cannot be read, or is in no known format."""


@dataclass(frozen=True)
class Node:
    """One element of an app screen, in the hierarchy's own coordinates."""

    kind: str  # the short class or type name: TextView, Button, ImageView, StaticText, NavigationBar
    element_id: str  # resource-id / accessibility identifier ("" when none)
    text: str  # what the element displays: text, or value for iOS fields and static texts
    labels: tuple[str, ...]  # accessibility labels: content-desc, label, name, accessibilityText
    bounds: tuple[float, float, float, float] | None  # (x1, y1, x2, y2); None when not given
    shown: bool  # False when the format says so: displayed / visible / visible-to-user false
    clickable: bool
    children: tuple[Node, ...] = ()

    @property
    def box(self) -> Box | None:
        """(x, y, width, height), or None for absent, zero-size or inverted bounds."""
        if self.bounds is None:
            return None
        x1, y1, x2, y2 = self.bounds
        if x2 <= x1 or y2 <= y1:
            return None
        return (x1, y1, x2 - x1, y2 - y1)

    def walk(self):
        """This node and its descendants, in document (drawing) order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Hierarchy:
    format: HierarchyFormat
    root: Node
    width: float | None  # the screen's width in the hierarchy's units, when the format states it


def parse_hierarchy(content: bytes | str) -> Hierarchy:
    """The hierarchy in `content`, whatever its format; HierarchyError says what is wrong."""
    text = content.decode("utf-8-sig", errors="replace") if isinstance(content, bytes) else content
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise HierarchyError(f"the file is empty; expected {FORMAT_NAMES}")
    if stripped[0] in "{[":
        return _maestro(stripped)
    if stripped[0] != "<":
        raise HierarchyError(f"neither XML nor JSON; expected {FORMAT_NAMES}")
    try:
        root = ElementTree.fromstring(stripped.encode("utf-8"))
    except ElementTree.ParseError as exc:
        raise HierarchyError(f"not well-formed XML ({exc})") from None
    if root.tag == "AppiumAUT" or root.tag.startswith("XCUIElementType"):
        return _xcuitest(root)
    if root.tag == "hierarchy":
        if any(child.tag == "node" for child in root):
            return Hierarchy("uiautomator", _android(root, True, 0), _width_attribute(root))
        return Hierarchy("uiautomator2", _android(root, False, 0), _width_attribute(root))
    raise HierarchyError(f"an XML document with root <{root.tag}>; expected {FORMAT_NAMES}")


def _flag(value: object, default: bool = True) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in FALSE


def _short_kind(name: str) -> str:
    """`android.widget.TextView` -> `TextView`; `XCUIElementTypeStaticText` stays whole (it names the platform)."""
    return name.rsplit(".", 1)[-1] if name else ""


def _labels(*values: object) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        text = readable(str(value)) if value is not None else ""
        if text and text not in found:
            found.append(text)
    return tuple(found)


def _android_bounds(value: str | None) -> tuple[float, float, float, float] | None:
    match = ANDROID_BOUNDS.fullmatch((value or "").replace(" ", ""))
    return tuple(float(part) for part in match.groups()) if match else None  # type: ignore[return-value]


def _width_attribute(root: ElementTree.Element) -> float | None:
    try:
        return float(root.get("width", ""))
    except ValueError:
        return None


def _too_deep(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise HierarchyError(f"nested more than {MAX_DEPTH} levels deep; no screen is")


def _android(element: ElementTree.Element, raw_dump: bool, depth: int) -> Node:
    _too_deep(depth)
    children = tuple(_android(child, raw_dump, depth + 1) for child in element if not raw_dump or child.tag == "node")
    if element.tag == "hierarchy":
        return Node("hierarchy", "", "", (), None, True, False, children)
    attributes = element.attrib
    return Node(
        kind=_short_kind(attributes.get("class") or element.tag),
        element_id=attributes.get("resource-id", ""),
        text=readable(attributes.get("text", "")),
        labels=_labels(attributes.get("content-desc")),
        bounds=_android_bounds(attributes.get("bounds")),
        shown=_flag(attributes.get("displayed")) and _flag(attributes.get("visible-to-user")),
        clickable=_flag(attributes.get("clickable"), default=False),
        children=children,
    )


def _xcuitest(root: ElementTree.Element) -> Hierarchy:
    node = _ios(root, 0)
    application = next((n for n in node.walk() if n.kind == "XCUIElementTypeApplication" and n.box), None)
    return Hierarchy("xcuitest", node, application.box[2] if application else None)


def _ios(element: ElementTree.Element, depth: int) -> Node:
    _too_deep(depth)
    attributes = element.attrib
    kind = attributes.get("type") or element.tag
    try:
        x, y = float(attributes["x"]), float(attributes["y"])
        bounds = (x, y, x + float(attributes["width"]), y + float(attributes["height"]))
    except (KeyError, ValueError):
        bounds = None
    name, label, value = attributes.get("name", ""), attributes.get("label", ""), attributes.get("value", "")
    # `name` is the accessibility identifier when one is set, else the label: an identifier is not text.
    identifier = name if name and name != label and IDENTIFIER.match(name) else ""
    if kind in ("XCUIElementTypeApplication", "XCUIElementTypeWindow"):
        name = label = ""  # the app's name, not something the screen shows
    shown_value = value if kind in ("XCUIElementTypeStaticText", "XCUIElementTypeTextField",
                                    "XCUIElementTypeTextView", "XCUIElementTypeSearchField") else ""
    return Node(
        kind=kind,
        element_id=identifier,
        text=readable(shown_value),
        labels=_labels(label, "" if identifier else name),
        bounds=bounds,
        shown=_flag(attributes.get("visible")),
        clickable=kind in ("XCUIElementTypeButton", "XCUIElementTypeLink", "XCUIElementTypeCell",
                           "XCUIElementTypeTab"),
        children=tuple(_ios(child, depth + 1) for child in element),
    )


def _maestro(text: str) -> Hierarchy:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HierarchyError(f"not valid JSON ({exc})") from None
    except RecursionError:
        raise HierarchyError(f"nested more than {MAX_DEPTH} levels deep; no screen is") from None
    if not isinstance(data, dict) or not ({"attributes", "children"} & data.keys()):
        raise HierarchyError(f"JSON without a Maestro tree (no 'attributes' or 'children' at the top); "
                             f"expected {FORMAT_NAMES}")
    root = _maestro_node(data, depth=0)
    widths = [node.bounds[2] for node in root.walk() if node.bounds is not None]
    return Hierarchy("maestro", root, max(widths) if widths else None)


def _maestro_node(data: object, depth: int) -> Node:
    _too_deep(depth)
    if not isinstance(data, dict):
        raise HierarchyError(f"a Maestro node at depth {depth} is {type(data).__name__}, not an object")
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise HierarchyError(f"a Maestro node's 'attributes' at depth {depth} is not an object")
    children = data.get("children") or []
    if not isinstance(children, list):
        raise HierarchyError(f"a Maestro node's 'children' at depth {depth} is not a list")
    return Node(
        kind=_short_kind(str(attributes.get("class") or attributes.get("elementType") or "")),
        element_id=str(attributes.get("resource-id") or attributes.get("identifier") or ""),
        text=readable(str(attributes.get("text") or attributes.get("value") or "")),
        labels=_labels(attributes.get("accessibilityText"), attributes.get("content-desc"), attributes.get("title")),
        bounds=_android_bounds(str(attributes.get("bounds") or "")),
        shown=_flag(attributes.get("visible-to-user")) and _flag(attributes.get("visible")),
        clickable=_flag(data.get("clickable", attributes.get("clickable")), default=False),
        children=tuple(_maestro_node(child, depth + 1) for child in children),
    )
