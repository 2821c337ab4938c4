"""The Quillory app's screens for the demo: mock screens drawn in Chromium at phone size, saved as a
screenshot plus the UiAutomator2 hierarchy an Appium session would return for them.

Regenerate journeys/app/ with `python -m onevoice.demo.app` after changing the screens. The offer
screen carries the demo's app slip: it tags another Instagram account than the brand's.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from jinja2 import Environment, FileSystemLoader, select_autoescape

from onevoice.demo.content import QUILLORY

HERE = Path(__file__).parent
STATIC = HERE.parent / "site" / "static"
PACKAGE = "com.quillory.app"
VIEWPORT = {"width": 360, "height": 800}
SCALE = 3  # device pixels per CSS pixel: a 1080x2400 screen

# Every element of the template with data-class, nested as the page nests them, with its box in device pixels.
NODES_SCRIPT = """(scale) => {
  const node = (el) => {
    const r = el.getBoundingClientRect();
    const kids = [...el.querySelectorAll(':scope [data-class]')].filter(k => k.parentElement.closest('[data-class]') === el);
    const own = el.dataset.class === 'TextView' || el.dataset.class === 'Button';
    return {cls: el.dataset.class, id: el.dataset.id || '', desc: el.dataset.desc || '',
            text: own ? el.innerText.trim() : '', clickable: el.hasAttribute('data-clickable'),
            bounds: [r.left, r.top, r.right, r.bottom].map(v => Math.round(v * scale)), children: kids.map(node)};
  };
  return [...document.querySelectorAll('[data-class]')].filter(el => !el.parentElement.closest('[data-class]')).map(node);
}"""


@dataclass(frozen=True)
class Block:
    kind: str  # title | offer | button | social | text
    text: str = ""
    id: str = ""


@dataclass(frozen=True)
class Screen:
    name: str
    tab: str
    blocks: tuple[Block, ...]
    back: bool = False


SCREENS = (
    Screen("home", "Home", (
        Block("title", QUILLORY.tagline),
        Block("offer", QUILLORY.offer),
        Block("button", "Claim 20% off", "claim"),
        Block("text", "Follow us"),
        Block("social"),
    )),
    Screen("offer", "Shop", (
        Block("title", "Your first order"),
        Block("offer", QUILLORY.offer),
        Block("text", f"Use code {QUILLORY.promo_code} at checkout"),
        Block("button", "Copy code", "copy_code"),
        Block("text", "Tag your first page on Instagram @quillory.notebooks"),  # the slip: another account
        Block("social"),
    ), back=True),
)


def page_source(nodes: list[dict]) -> str:
    """Appium's UiAutomator2 page source for the nodes, under a full-screen FrameLayout."""
    width, height = VIEWPORT["width"] * SCALE, VIEWPORT["height"] * SCALE

    def element(node: dict, index: int, depth: int) -> str:
        kind = node["cls"]
        attributes = {
            "index": str(index), "package": PACKAGE, "class": f"android.widget.{kind}", "text": node["text"],
            "resource-id": node["id"], "content-desc": node["desc"], "checkable": "false", "checked": "false",
            "clickable": str(node["clickable"]).lower(), "enabled": "true", "focusable": str(node["clickable"]).lower(),
            "focused": "false", "long-clickable": "false", "password": "false", "scrollable": str(kind == "ScrollView").lower(),
            "selected": "false", "bounds": "[{},{}][{},{}]".format(*node["bounds"]), "displayed": "true",
        }
        opened = "  " * depth + f"<android.widget.{kind} " + " ".join(f"{k}={quoteattr(v)}" for k, v in attributes.items())
        if not node["children"]:
            return opened + " />\n"
        inner = "".join(element(child, i, depth + 1) for i, child in enumerate(node["children"]))
        return f"{opened}>\n{inner}{'  ' * depth}</android.widget.{kind}>\n"

    root = {"cls": "FrameLayout", "id": "", "desc": "", "text": "", "clickable": False,
            "bounds": [0, 0, width, height], "children": nodes}
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
            f'<hierarchy index="0" class="hierarchy" rotation="0" width="{width}" height="{height}">\n'
            f"{element(root, 0, 1)}</hierarchy>\n")


def asset(relative: str) -> str:
    """A file of the demo site's static folder as a data: URI (a page set as content loads no files)."""
    kind = {".svg": "image/svg+xml", ".woff2": "font/woff2"}[Path(relative).suffix]
    return f"data:{kind};base64,{base64.b64encode((STATIC / relative).read_bytes()).decode()}"


def render(folder: Path) -> list[Path]:
    """Draw every screen into `folder` as <name>.png and <name>.xml; returns the files written."""
    from playwright.sync_api import sync_playwright

    from onevoice.browser import choose_browser

    template = Environment(loader=FileSystemLoader(HERE), autoescape=select_autoescape()).get_template("screen.html.j2")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        choice = choose_browser(playwright.chromium.executable_path)
        browser = playwright.chromium.launch(executable_path=choice.executable, args=choice.launch_args)
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=SCALE)
        for screen in SCREENS:
            page.set_content(template.render(screen=screen, brand=QUILLORY, asset=asset))
            page.evaluate("document.fonts.ready")
            page.screenshot(path=str(folder / f"{screen.name}.png"))
            (folder / f"{screen.name}.xml").write_text(page_source(page.evaluate(NODES_SCRIPT, SCALE)), encoding="utf-8")
            written += [folder / f"{screen.name}.png", folder / f"{screen.name}.xml"]
        browser.close()
    return written
