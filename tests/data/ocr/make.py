"""Renders the labelled banner images of the OCR tests: run `python tests/data/ocr/make.py`.

Marketing banners drawn the way brands draw them: HTML and CSS rendered in Chromium,
then screenshotted. Half are "clean" (flat colours and soft gradients, dark on light
and white on dark); half are "busy" (text straight over photo-like textures made
here: multi-scale colour noise, bokeh blobs, stripes, sometimes with the text-shadow
designers add for legibility). Fonts vary between sans, serif, condensed and bold
display faces, sizes between small print and display headlines, layouts between one
and three lines. The words are offers with prices, percentages and promo codes, the
values that conflicts are made of.

Everything comes from a fixed seed, so the output is the same on every run with the
same fonts. The fonts are Debian's packages (fonts-roboto, fonts-lato, fonts-open-sans,
fonts-ebgaramond, fonts-league-spartan, fonts-crosextra-carlito, fonts-roboto-slab,
fonts-dejavu, fonts-liberation); a font that is missing falls back to another face,
so install them before regenerating. Writes `clean-NN.png`, `busy-NN.jpg` (photographs
travel as JPEG, artefacts included) and
`labels.json` ({file: {kind, font, size, lines}}) beside this script.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
SEED = 20261130
PER_KIND = 20

# (CSS family, weight, kind of face)
FONTS = [
    ("Roboto", 400, "sans"),
    ("Lato", 700, "sans"),
    ("Open Sans", 600, "sans"),
    ("Liberation Sans", 400, "sans"),
    ("EB Garamond", 400, "serif"),
    ("Liberation Serif", 700, "serif"),
    ("Roboto Slab", 400, "serif"),
    ("DejaVu Serif", 400, "serif"),
    ("Roboto Condensed", 400, "condensed"),
    ("Open Sans Condensed", 700, "condensed"),
    ("Liberation Sans Narrow", 700, "condensed"),
    ("League Spartan", 800, "display"),
    ("Lato", 900, "display"),
    ("Roboto", 900, "display"),
]
SIZES = [(600, 300), (600, 220), (640, 360), (800, 300), (375, 240), (320, 100), (480, 480)]
CODE_WORDS = ["SPRING", "WELCOME", "SAVE", "VIP", "SUMMER", "HELLO", "EXTRA", "FALL", "NEWYOU", "THANKS"]
CURRENCIES = ["$", "£", "€"]
HEADLINES = [
    "Save {pct} this weekend",
    "{pct} off everything",
    "Up to {pct} off sitewide",
    "Now only {price}",
    "Members save an extra {pct}",
    "Plans from {price}/mo",
    "Was {price} now {price2}",
    "Buy one, get one free",
    "The winter sale is here",
    "Flash sale: {pct} off",
    "Everything under {price}",
    "Take {pct} off your order",
]
SUBLINES = [
    "Use code {code} at checkout",
    "Code {code}",
    "Free shipping over {price}",
    "Ends Sunday at midnight",
    "Shop the new collection",
    "Only while stocks last",
    "With code {code} today",
    "Gift cards from {price}",
    "Order before Friday",
    "Offer ends 31 December",
]
SMALL_PRINT = [
    "Terms apply. Not valid with other offers.",
    "Excludes gift cards and sale items.",
    "Online only, while stocks last.",
    "Minimum spend {price}. One use per customer.",
]
LIGHT_BACKGROUNDS = ["#ffffff", "#f4efe6", "#fdf6d8", "#e8f1fb", "#f2f2f2", "#ffe9e3"]
DARK_BACKGROUNDS = ["#111827", "#1f4fd8", "#7a1130", "#0b3d2e", "#3a1c71", "#222222"]
DARK_INKS = ["#111111", "#1f2937", "#3b0a45", "#0b3d91"]
LIGHT_INKS = ["#ffffff", "#fff7d6", "#f0f9ff"]


@dataclass(frozen=True)
class Banner:
    kind: str  # clean | busy
    font: str
    weight: int
    face: str
    size: tuple[int, int]
    lines: tuple[str, ...]
    font_sizes: tuple[int, ...]
    ink: str
    background: str  # CSS background value
    shadow: bool
    align: str


def fill(template: str, rng: random.Random) -> str:
    currency = rng.choice(CURRENCIES)
    price = f"{currency}{rng.choice([9, 12, 19, 25, 29, 49, 79, 99, 120, 249])}" + rng.choice(["", ".99", ".50", ""])
    cheaper = f"{currency}{rng.choice([5, 8, 10, 15, 39, 59])}" + rng.choice(["", ".99"])
    code = rng.choice(CODE_WORDS) + str(rng.choice([10, 15, 20, 25, 30, 40, 50, 2026]))
    return template.format(pct=f"{rng.choice([10, 15, 20, 25, 30, 35, 40, 50, 60, 70])}%", price=price, price2=cheaper,
                           code=code)  # fmt: skip


def photo_texture(width: int, height: int, rng: random.Random, dark: bool) -> Image.Image:
    """A photo-like background: smooth colour noise at three scales, blobs of light, fine grain."""
    layers = []
    for cells, weight in ((4, 0.5), (16, 0.3), (64, 0.2)):
        small = Image.new("RGB", (cells, max(2, cells * height // width)))
        small.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(small.width * small.height)])
        layers.append((small.resize((width, height), Image.BICUBIC), weight))
    base = layers[0][0]
    for layer, weight in layers[1:]:
        base = Image.blend(base, layer, weight / (weight + 0.5))
    blobs = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(blobs)
    for _ in range(rng.randrange(8, 20)):
        radius = rng.randrange(max(8, width // 30), max(12, width // 6))
        x, y = rng.randrange(width), rng.randrange(height)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=tuple(rng.randrange(256) for _ in range(3)))
    if rng.random() < 0.4:
        step = rng.randrange(12, 40)
        for offset in range(-height, width, step):
            draw.line((offset, height, offset + height, 0), fill=tuple(rng.randrange(256) for _ in range(3)), width=3)
    base = Image.blend(base, blobs.filter(ImageFilter.GaussianBlur(rng.choice([1, 3, 6]))), 0.45)
    grain = Image.effect_noise((width, height), 40).convert("RGB")
    base = Image.blend(base, grain, 0.12)
    low, high = (0.05, 0.6) if dark else (0.45, 1.0)  # the luminance range keeps the text readable to people
    return base.point(lambda value: round(255 * low + value * (high - low)))


def gradient_css(rng: random.Random, dark: bool) -> str:
    pool = DARK_BACKGROUNDS if dark else LIGHT_BACKGROUNDS
    first, second = rng.sample(pool, 2)
    return f"linear-gradient({rng.randrange(0, 360)}deg, {first}, {second})"


def data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def banner(kind: str, number: int, rng: random.Random) -> Banner:
    family, weight, face = FONTS[number % len(FONTS)]
    width, height = SIZES[rng.randrange(len(SIZES))]
    dark = rng.random() < 0.5
    line_count = 1 if height <= 100 else rng.choice([1, 2, 2, 3])
    lines = [fill(rng.choice(HEADLINES), rng)]
    if line_count >= 2:
        lines.append(fill(rng.choice(SUBLINES), rng))
    if line_count == 3:
        lines.append(fill(rng.choice(SMALL_PRINT), rng))
    scale = min(width / 600, height / 220, 1.4)
    head = round(rng.choice([30, 38, 46, 56]) * scale)
    sizes = [max(18, head), max(16, round(head * 0.55)), max(14, round(head * 0.38))][: len(lines)]
    if kind == "clean":
        background = gradient_css(rng, dark) if rng.random() < 0.4 else rng.choice(DARK_BACKGROUNDS if dark else LIGHT_BACKGROUNDS)
    else:
        background = f"url({data_uri(photo_texture(width, height, rng, dark))}) center/cover"
    return Banner(
        kind=kind,
        font=family,
        weight=weight,
        face=face,
        size=(width, height),
        lines=tuple(lines),
        font_sizes=tuple(sizes),
        ink=rng.choice(LIGHT_INKS if dark else DARK_INKS),
        background=background,
        shadow=kind == "busy" and rng.random() < 0.5,
        align=rng.choice(["left", "center"]),
    )


def html(spec: Banner) -> str:
    width, height = spec.size
    shadow = "text-shadow: 0 1px 3px rgba(0,0,0,.6);" if spec.shadow else ""
    paragraphs = "".join(
        f'<p style="font-size:{size}px; margin:0 0 {round(size * 0.3)}px">{line}</p>'
        for line, size in zip(spec.lines, spec.font_sizes)
    )
    return f"""<!doctype html><html><head><style>
body {{ margin: 0; }}
#banner {{ width: {width}px; height: {height}px; background: {spec.background}; color: {spec.ink};
  font-family: '{spec.font}'; font-weight: {spec.weight}; text-align: {spec.align}; {shadow}
  display: flex; flex-direction: column; justify-content: center; box-sizing: border-box;
  padding: 0 {round(width * 0.06)}px; line-height: 1.15; overflow: hidden; }}
</style></head><body><div id="banner">{paragraphs}</div></body></html>"""


async def render(specs: dict[str, Banner], choice) -> None:
    from playwright.async_api import async_playwright

    from onevoice.browser import launch

    async with async_playwright() as playwright:
        browser = await launch(playwright, choice)
        page = await browser.new_page()
        for name, spec in specs.items():
            await page.set_content(html(spec))
            await page.evaluate("document.fonts.ready")
            png = await page.locator("#banner").screenshot()
            if name.endswith(".jpg"):  # photographs travel as JPEG, with its artefacts
                Image.open(io.BytesIO(png)).convert("RGB").save(HERE / name, quality=85)
            else:
                (HERE / name).write_bytes(png)
        await browser.close()


def main() -> None:
    rng = random.Random(SEED)
    specs = {
        f"{kind}-{number:02d}.{'jpg' if kind == 'busy' else 'png'}": banner(kind, number, rng)
        for kind in ("clean", "busy")
        for number in range(PER_KIND)
    }
    from onevoice.browser import choose_browser, playwright_chromium_path

    asyncio.run(render(specs, choose_browser(playwright_chromium_path())))
    labels = {
        name: {"kind": spec.kind, "font": f"{spec.font} {spec.weight} ({spec.face})", "size": list(spec.size),
               "lines": list(spec.lines)}
        for name, spec in specs.items()
    }  # fmt: skip
    (HERE / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
