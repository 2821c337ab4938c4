"""Generate the small app screens of this folder: a screenshot and its hierarchy, written by hand
after the formats' documentation (Appium XCUITest page source, `maestro hierarchy` JSON).

Run from the repository root: `.venv/bin/python tests/data/app/make.py`. The screenshots draw
what the hierarchies describe: bars, buttons and the logo in the colours the tests expect.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
BLUE, AMBER, WHITE, INK, RED = "#1f4fd8", "#ffb400", "#ffffff", "#111827", "#e03131"


def golden_logos():
    """tests/data/logos/make.py: the brand's logo and another brand's, drawn the same way."""
    spec = importlib.util.spec_from_file_location("logos_make", HERE.parent / "logos" / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def draw_logo(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
    """The Quillory mark: a ring and two bars, in brand blue."""
    x, y, right, bottom = box
    height = bottom - y
    draw.ellipse((x + 4, y + 4, x + height - 4, bottom - 4), outline=BLUE, width=max(3, height // 8))
    draw.rectangle((x + height + 8, y + height // 4, right - 6, y + height // 4 + height // 6), fill=BLUE)
    draw.rectangle((x + height + 8, y + height // 2 + 4, right - 30, y + height // 2 + 4 + height // 6), fill=INK)


def ios(elements: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<AppiumAUT>\n'
        '  <XCUIElementTypeApplication type="XCUIElementTypeApplication" name="Quillory" label="Quillory" '
        'enabled="true" visible="true" accessible="false" x="0" y="0" width="320" height="568" index="0">\n'
        '    <XCUIElementTypeWindow type="XCUIElementTypeWindow" enabled="true" visible="true" accessible="false" '
        'x="0" y="0" width="320" height="568" index="0">\n'
        f"{elements}"
        "    </XCUIElementTypeWindow>\n  </XCUIElementTypeApplication>\n</AppiumAUT>\n"
    )


def element(kind: str, x: int, y: int, width: int, height: int, children: str = "", **attributes: str) -> str:
    given = " ".join(f'{name}="{value}"' for name, value in attributes.items())
    opened = (f'<XCUIElementType{kind} type="XCUIElementType{kind}" {given} enabled="true" '
              f'x="{x}" y="{y}" width="{width}" height="{height}"')
    attributes.setdefault("visible", "true")
    if "visible=" not in opened:
        opened += ' visible="true"'
    return f"{opened}>{children}</XCUIElementType{kind}>\n" if children else f"{opened}/>\n"


def ios_page(draw: ImageDraw.ImageDraw) -> str:
    """The home page of the iOS fixtures, drawn @2x; returns its elements (in points)."""
    draw.rectangle((0, 40, 640, 128), fill=BLUE)
    draw.text((280, 76), "Quillory", fill=WHITE)
    return element("NavigationBar", 0, 20, 320, 44, name="Quillory",
                   children=element("StaticText", 0, 20, 320, 44, name="Quillory", label="Quillory", value="Quillory"))


def ios_home() -> None:
    image = Image.new("RGB", (640, 1136), WHITE)
    draw = ImageDraw.Draw(image)
    bar = ios_page(draw)
    draw_logo(draw, (40, 200, 240, 280))
    draw.text((40, 320), "Launch campaigns your customers love", fill=INK)
    draw.rectangle((40, 440, 600, 540), fill=AMBER)
    draw.text((260, 484), "Start free trial", fill=INK)
    draw.text((40, 600), "Follow us on Instagram @quillory", fill=INK)
    draw.rectangle((40, 680, 240, 740), fill=BLUE)
    draw.text((100, 704), "Facebook", fill=WHITE)
    elements = (
        bar
        + element("Image", 20, 100, 100, 40, name="quillory-logo")
        + element("StaticText", 20, 150, 280, 30, name="Launch campaigns your customers love",
                  label="Launch campaigns your customers love", value="Launch campaigns your customers love")
        + element("Button", 20, 220, 280, 50, name="Start free trial", label="Start free trial",
                  children=element("StaticText", 20, 230, 280, 30, name="Start free trial",
                                   label="Start free trial", value="Start free trial"))
        + element("StaticText", 20, 280, 280, 20, name="Hidden promo", label="Hidden promo", value="Hidden promo",
                  visible="false")
        + element("StaticText", 20, 295, 280, 30, name="Follow us on Instagram @quillory",
                  label="Follow us on Instagram @quillory", value="Follow us on Instagram @quillory")
        + element("Button", 20, 340, 100, 30, name="Facebook", label="Facebook")
        + element("StaticText", 20, 700, 280, 30, name="Below the fold", label="Below the fold", value="Below the fold")
    )
    image.save(HERE / "ios-home.png")
    (HERE / "ios-home.xml").write_text(ios(elements), encoding="utf-8")


def ios_alert() -> None:
    image = Image.new("RGB", (640, 1136), WHITE)
    draw = ImageDraw.Draw(image)
    bar = ios_page(draw)
    draw.rectangle((0, 128, 640, 1136), fill="#7f7f7f")  # the dimmed page behind the alert
    draw.rectangle((60, 400, 580, 680), fill=WHITE)
    draw.text((200, 440), "Allow notifications?", fill=INK)
    alert = element("Alert", 30, 200, 260, 140, name="Allow notifications?", children=(
        element("StaticText", 40, 210, 240, 30, name="Allow notifications?", label="Allow notifications?",
                value="Allow notifications?")
        + element("Button", 30, 300, 130, 40, name="Don't Allow", label="Don't Allow")
        + element("Button", 160, 300, 130, 40, name="Allow", label="Allow")
    ))
    elements = bar + element("StaticText", 40, 250, 240, 30, name="Covered text", label="Covered text",
                             value="Covered text") + alert
    image.save(HERE / "ios-alert.png")
    (HERE / "ios-alert.xml").write_text(ios(elements), encoding="utf-8")


def maestro_node(bounds: str, children: list | None = None, clickable: bool = False, **attributes: str) -> dict:
    return {
        "attributes": {"bounds": bounds, "enabled": "true", **attributes},
        "children": children or [],
        "clickable": clickable,
        "enabled": True,
        "focused": False,
        "checked": False,
        "selected": False,
    }


def maestro_offer() -> None:
    image = Image.new("RGB", (720, 1280), WHITE)
    draw = ImageDraw.Draw(image)
    draw_logo(draw, (40, 60, 280, 140))
    draw.text((40, 220), "20% off your first order", fill=INK)
    draw.rectangle((40, 300, 680, 380), fill=BLUE)
    draw.text((320, 334), "Claim offer", fill=WHITE)
    tree = maestro_node("[0,0][720,1280]", [
        maestro_node("[0,0][720,1280]", children=[
            maestro_node("[40,60][280,140]", **{"class": "android.widget.ImageView", "accessibilityText": "Quillory logo",
                                                "resource-id": "com.quillory:id/logo"}),
            maestro_node("[40,200][680,260]", text="20% off your first order", **{"class": "android.widget.TextView"}),
            maestro_node("[40,300][680,380]", clickable=True, text="Claim offer",
                         **{"class": "android.widget.Button", "resource-id": "com.quillory:id/claim"}),
            maestro_node("[40,1400][680,1460]", text="Scrolled away", **{"class": "android.widget.TextView"}),
        ]),
    ])
    tree["attributes"] = {}
    image.save(HERE / "maestro-offer.png")
    (HERE / "maestro-offer.json").write_text(json.dumps(tree, indent=2) + "\n", encoding="utf-8")


def android_node(kind: str, bounds: tuple[int, int, int, int], children: str = "", **attributes: str) -> str:
    """One element of Appium's UiAutomator2 page source."""
    values = {"index": "0", "text": "", "resource-id": "", "class": f"android.widget.{kind}",
              "package": "com.northwind.app", "content-desc": "", "clickable": "false", "enabled": "true",
              "displayed": "true", **{name.replace("_", "-"): value for name, value in attributes.items()}}
    values["bounds"] = "[{},{}][{},{}]".format(*bounds)
    opened = f"<android.widget.{kind} " + " ".join(f"{name}={quoteattr(value)}" for name, value in values.items())
    return f"{opened}>{children}</android.widget.{kind}>" if children else f"{opened} />"


def android_screen(name: str, logo: Image.Image, offer: str, cta_color: str, lines: list[str], sign_in: bool) -> None:
    """An app screen of the invented brand: an app bar with its logo, an offer, a button, social lines."""
    image = Image.new("RGB", (720, 1280), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 48, 720, 200), fill=BLUE)
    image.paste(logo, (32, 76), logo)
    draw.text((40, 260), offer, fill=INK)
    draw.rectangle((40, 360, 680, 450), fill=cta_color)
    draw.text((300, 398), "Claim offer", fill=INK)
    nodes = [
        android_node("LinearLayout", (0, 48, 720, 200), resource_id="com.northwind.app:id/toolbar",
                     children=android_node("ImageView", (32, 76, 32 + logo.width, 76 + logo.height))),
        android_node("TextView", (40, 240, 680, 300), text=offer),
        android_node("Button", (40, 360, 680, 450), text="Claim offer", clickable="true"),
    ]
    for number, line in enumerate(lines):
        top = 520 + number * 80
        draw.text((40, top + 20), line, fill=INK)
        nodes.append(android_node("TextView", (40, top, 680, top + 60), text=line))
    if sign_in:
        draw.rectangle((40, 1000, 680, 1090), fill=BLUE)
        draw.text((250, 1038), "Continue with Facebook", fill=WHITE)
        nodes.append(android_node("Button", (40, 1000, 680, 1090), text="Continue with Facebook", clickable="true",
                                  resource_id="com.northwind.app:id/facebook_login"))
    root = android_node("FrameLayout", (0, 0, 720, 1280), children="".join(nodes))
    xml = ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
           f'<hierarchy index="0" class="hierarchy" rotation="0" width="720" height="1280">{root}</hierarchy>\n')
    image.save(HERE / f"{name}.png")
    (HERE / f"{name}.xml").write_text(xml, encoding="utf-8")


def brand_screens() -> None:
    """The check cases: a consistent screen (the brand's white logo variant in its dark app bar)
    and a screen with slips (another logo, an off-palette button, another offer, a sign-in button)."""
    logos = golden_logos()
    white = logos.brand_logo(240, ink=logos.WHITE, accent=logos.WHITE)
    (HERE / "brand").mkdir(exist_ok=True)
    logos.brand_logo(400, ink=logos.WHITE, accent=logos.WHITE).save(HERE / "brand" / "logo-white.png")
    android_screen("app-consistent", white, "20% off your first order", AMBER,
                   ["Follow us on Instagram @northwind"], sign_in=False)
    other = logos.other_logo(240).convert("RGBA")
    android_screen("app-slips", other, "15% off your first order", RED, ["Find a store near you"], sign_in=True)


if __name__ == "__main__":
    ios_home()
    ios_alert()
    maestro_offer()
    brand_screens()
