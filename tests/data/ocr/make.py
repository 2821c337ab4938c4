"""Renders the labelled banner images of the OCR tests: run `python tests/data/ocr/make.py [dev|heldout|fresh|unseen]`.

Marketing banners drawn the way brands draw them: HTML and CSS rendered in Chromium,
then screenshotted. Half are "clean" (flat colours and soft gradients, dark on light
and white on dark); half are "busy" (text straight over photo-like textures made
here: multi-scale colour noise, bokeh blobs, stripes, sometimes with the text-shadow
designers add for legibility). Fonts vary between sans, serif, condensed and bold
display faces, sizes between small print and display headlines, layouts between one
and three lines. The words are offers with prices, percentages and promo codes, the
values that conflicts are made of.

Four sets, each with its own seed, fonts (families, weights, italics), wordings, banner sizes
and, past the first, capitals, letter-spacing and other photo-like backgrounds: `dev` (beside
this script), the banners the OCR's method was developed and tuned on; `heldout` and `fresh`
(in heldout/ and fresh/), each made before a change of the method and read once blind, whose
errors then guided that change; `unseen` (in unseen/), made after the last change and never
tuned on, the measure of what to expect of banners nobody here has seen.
`python tests/data/ocr/make.py SET` renders one.

Everything comes from a fixed seed per set, so the output is the same on every run with the
same fonts (the dev images were rendered when the photos' grain was not yet seeded: their
words, fonts and layouts are what this script draws, their grain differs). The fonts are
Debian's packages (fonts-roboto, fonts-lato, fonts-open-sans, fonts-ebgaramond,
fonts-league-spartan, fonts-crosextra-carlito, fonts-roboto-slab, fonts-dejavu,
fonts-liberation; for the held-out set also fonts-inter, fonts-cabin, fonts-karla,
fonts-manrope, fonts-bebas-neue, fonts-crosextra-caladea); a font that is missing falls
back to another face, so install them before regenerating. Writes
`clean-NN.png`, `busy-NN.jpg` (photographs travel as JPEG, artefacts included) and
`labels.json` ({file: {kind, font, size, lines}}: the lines as a person reads them).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
CODE_WORDS = ["SPRING", "WELCOME", "SAVE", "VIP", "SUMMER", "HELLO", "EXTRA", "FALL", "NEWYOU", "THANKS"]
CURRENCIES = ["$", "£", "€"]
LIGHT_BACKGROUNDS = ["#ffffff", "#f4efe6", "#fdf6d8", "#e8f1fb", "#f2f2f2", "#ffe9e3"]
DARK_BACKGROUNDS = ["#111827", "#1f4fd8", "#7a1130", "#0b3d2e", "#3a1c71", "#222222"]
DARK_INKS = ["#111111", "#1f2937", "#3b0a45", "#0b3d91"]
LIGHT_INKS = ["#ffffff", "#fff7d6", "#f0f9ff"]


@dataclass(frozen=True)
class BannerSet:
    """What one set of banners is drawn from. The held-out set's extras (italics, capitals,
    letter-spacing, other textures) are drawn from a second generator, so the dev set's draws,
    and with them its images, stay what they were."""

    folder: Path
    seed: int
    fonts: list[tuple[str, int, str, str]]  # (CSS family, weight, style, kind of face)
    sizes: list[tuple[int, int]]
    headlines: list[str]
    sublines: list[str]
    small_print: list[str]
    textures: tuple[str, ...] = ("photo",)  # busy backgrounds: names of TEXTURES
    capitals: float = 0.0  # share of banners set in capitals (text-transform)
    spacings: tuple[float, ...] = (0.0,)  # letter-spacing, in em
    per_kind: int = 20


DEV = BannerSet(
    folder=HERE,
    seed=20261130,
    fonts=[
        ("Roboto", 400, "normal", "sans"),
        ("Lato", 700, "normal", "sans"),
        ("Open Sans", 600, "normal", "sans"),
        ("Liberation Sans", 400, "normal", "sans"),
        ("EB Garamond", 400, "normal", "serif"),
        ("Liberation Serif", 700, "normal", "serif"),
        ("Roboto Slab", 400, "normal", "serif"),
        ("DejaVu Serif", 400, "normal", "serif"),
        ("Roboto Condensed", 400, "normal", "condensed"),
        ("Open Sans Condensed", 700, "normal", "condensed"),
        ("Liberation Sans Narrow", 700, "normal", "condensed"),
        ("League Spartan", 800, "normal", "display"),
        ("Lato", 900, "normal", "display"),
        ("Roboto", 900, "normal", "display"),
    ],
    sizes=[(600, 300), (600, 220), (640, 360), (800, 300), (375, 240), (320, 100), (480, 480)],
    headlines=[
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
    ],
    sublines=[
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
    ],
    small_print=[
        "Terms apply. Not valid with other offers.",
        "Excludes gift cards and sale items.",
        "Online only, while stocks last.",
        "Minimum spend {price}. One use per customer.",
    ],
)

HELDOUT = BannerSet(
    folder=HERE / "heldout",
    seed=4242,
    fonts=[
        ("Inter", 500, "normal", "sans"),
        ("Cabin", 400, "normal", "sans"),
        ("Karla", 400, "normal", "sans"),
        ("Manrope", 700, "normal", "sans"),
        ("Carlito", 400, "italic", "sans"),
        ("Open Sans", 300, "normal", "sans"),
        ("Caladea", 400, "normal", "serif"),
        ("EB Garamond", 600, "italic", "serif"),
        ("Roboto Slab", 700, "normal", "serif"),
        ("Roboto Condensed", 300, "normal", "condensed"),
        ("DejaVu Sans Condensed", 700, "normal", "condensed"),
        ("Bebas Neue", 400, "normal", "display"),
        ("Inter", 800, "normal", "display"),
        ("League Spartan", 600, "normal", "display"),
    ],
    sizes=[(300, 250), (728, 90), (970, 250), (1200, 400), (336, 280), (560, 280), (414, 300)],
    headlines=[
        "Get {pct} off today",
        "Deals from {price}",
        "Sale ends soon: {pct} off",
        "{price2} off orders over {price}",
        "Extra {pct} off outlet",
        "Cyber week: up to {pct} off",
        "Just {price} this month",
        "Two for {price}",
        "Last chance to save {pct}",
        "Spring refresh from {price}",
    ],
    sublines=[
        "Enter {code} at checkout",
        "Promo code {code}",
        "Free returns on orders over {price}",
        "Today only",
        "Discover the range",
        "Sign up and save {pct}",
        "Delivery from {price}",
        "While supplies last",
    ],
    small_print=[
        "Selected lines only. See site for details.",
        "Cannot be combined with any other offer.",
        "Valid until 12 January, UK only.",
        "Orders over {price} ship free.",
    ],
    textures=("photo", "foliage", "bands"),
    capitals=0.25,
    spacings=(0.0, 0.0, 0.04, 0.1),
)
FRESH = BannerSet(
    folder=HERE / "fresh",
    seed=777,
    fonts=[
        ("Lato", 300, "normal", "sans"),
        ("DejaVu Sans", 400, "normal", "sans"),
        ("Karla", 700, "normal", "sans"),
        ("Manrope", 400, "normal", "sans"),
        ("Cabin", 700, "italic", "sans"),
        ("Roboto", 500, "italic", "sans"),
        ("Caladea", 700, "normal", "serif"),
        ("Liberation Serif", 400, "italic", "serif"),
        ("Roboto Slab", 300, "normal", "serif"),
        ("Roboto Condensed", 700, "normal", "condensed"),
        ("Liberation Sans Narrow", 400, "normal", "condensed"),
        ("Bebas Neue", 700, "normal", "display"),
        ("Open Sans", 800, "normal", "display"),
        ("Inter", 900, "normal", "display"),
    ],
    sizes=[(600, 200), (320, 50), (468, 60), (650, 350), (1000, 300), (360, 640), (250, 250), (800, 450)],
    headlines=[
        "Hot deals from {price}",
        "Save up to {pct} today",
        "{pct} off new arrivals",
        "Starting at {price}",
        "Weekend offer: {price2} off",
        "Final hours: {pct} off",
        "Bundle and save {pct}",
        "Only {price} for members",
    ],
    sublines=[
        "Apply code {code} in your bag",
        "Use {code} online",
        "Code: {code}",
        "Free delivery over {price}",
        "In stores and online",
        "Members get {pct} more",
        "Ends tonight",
    ],
    small_print=[
        "Exclusions apply. Ends 3 March.",
        "Subject to availability.",
        "Min. order {price}. Online only.",
    ],
    textures=("photo", "foliage", "bands", "tiles"),
    capitals=0.2,
    spacings=(0.0, 0.02, 0.06),
)
UNSEEN = BannerSet(
    folder=HERE / "unseen",
    seed=9001,
    fonts=[
        ("Roboto", 300, "normal", "sans"),
        ("Lato", 400, "italic", "sans"),
        ("Open Sans", 400, "normal", "sans"),
        ("Carlito", 700, "normal", "sans"),
        ("Inter", 400, "normal", "sans"),
        ("Cabin", 500, "normal", "sans"),
        ("EB Garamond", 400, "normal", "serif"),
        ("DejaVu Serif", 700, "normal", "serif"),
        ("Caladea", 400, "italic", "serif"),
        ("Roboto Condensed", 400, "italic", "condensed"),
        ("DejaVu Sans Condensed", 400, "normal", "condensed"),
        ("League Spartan", 700, "normal", "display"),
        ("Manrope", 800, "normal", "display"),
        ("Bebas Neue", 400, "normal", "display"),
    ],
    sizes=[(640, 320), (300, 600), (728, 90), (540, 540), (1140, 380), (400, 200), (320, 480)],
    headlines=[
        "Savings of {pct} inside",
        "New lower price: {price}",
        "Clearance: up to {pct} off",
        "Gift sets from {price}",
        "{pct} off for new customers",
        "Treat yourself: {price2} off",
        "Rooms from {price} a night",
        "Everything {pct} off",
    ],
    sublines=[
        "Redeem code {code}",
        "Use promo code {code} by Sunday",
        "Shipping is on us",
        "Members use {code}",
        "Limited stock",
        "Orders over {price} ship free",
    ],
    small_print=[
        "Prices include VAT.",
        "Ends midnight Sunday. Exclusions apply.",
        "Spend {price} or more.",
    ],
    textures=("photo", "foliage", "bands", "tiles"),
    capitals=0.2,
    spacings=(0.0, 0.03, 0.08),
)
SETS = {"dev": DEV, "heldout": HELDOUT, "fresh": FRESH, "unseen": UNSEEN}


@dataclass(frozen=True)
class Banner:
    kind: str  # clean | busy
    font: str
    weight: int
    style: str
    face: str
    size: tuple[int, int]
    lines: tuple[str, ...]
    font_sizes: tuple[int, ...]
    ink: str
    background: str  # CSS background value
    shadow: bool
    align: str
    capitals: bool
    spacing: float

    @property
    def shown(self) -> tuple[str, ...]:
        """The lines as a person reads them: in capitals when set in capitals."""
        return tuple(line.upper() for line in self.lines) if self.capitals else self.lines


def fill(template: str, rng: random.Random) -> str:
    currency = rng.choice(CURRENCIES)
    price = f"{currency}{rng.choice([9, 12, 19, 25, 29, 49, 79, 99, 120, 249])}" + rng.choice(["", ".99", ".50", ""])
    cheaper = f"{currency}{rng.choice([5, 8, 10, 15, 39, 59])}" + rng.choice(["", ".99"])
    code = rng.choice(CODE_WORDS) + str(rng.choice([10, 15, 20, 25, 30, 40, 50, 2026]))
    return template.format(pct=f"{rng.choice([10, 15, 20, 25, 30, 35, 40, 50, 60, 70])}%", price=price, price2=cheaper,
                           code=code)  # fmt: skip


def photo_texture(width: int, height: int, rng: random.Random, dark: bool, grain: random.Random) -> Image.Image:
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
    return finished(base, dark, grain)


def foliage_texture(width: int, height: int, rng: random.Random, dark: bool, grain: random.Random) -> Image.Image:
    """Leaves or a crowd: hundreds of small, sharp, strongly coloured shapes, many the size of letters."""
    base = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(base)
    for _ in range(width * height // 250):
        size = rng.randrange(3, 22)
        x, y = rng.randrange(width), rng.randrange(height)
        box = (x, y, x + size, y + rng.randrange(3, 22))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.6 else draw.rectangle)(box, fill=colour)
    return finished(base.filter(ImageFilter.GaussianBlur(rng.choice([0, 0.8, 1.5]))), dark, grain)


def bands_texture(width: int, height: int, rng: random.Random, dark: bool, grain: random.Random) -> Image.Image:
    """Shelves, blinds or a skyline: horizontal bands of every width and colour, lines as long as text lines."""
    base = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(base)
    top = 0
    while top < height:
        bottom = top + rng.randrange(2, max(4, height // 6))
        draw.rectangle((0, top, width, bottom), fill=tuple(rng.randrange(256) for _ in range(3)))
        top = bottom
    for _ in range(rng.randrange(3, 12)):  # posts across the bands
        x = rng.randrange(width)
        draw.rectangle((x, 0, x + rng.randrange(2, 30), height), fill=tuple(rng.randrange(256) for _ in range(3)))
    return finished(base.filter(ImageFilter.GaussianBlur(rng.choice([0.5, 2, 4]))), dark, grain)


def tiles_texture(width: int, height: int, rng: random.Random, dark: bool, grain: random.Random) -> Image.Image:
    """A wall, a floor or a shelf of boxes: rectangles of mottled colours with dark joints between them."""
    base = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(base)
    tile_width, tile_height = rng.randrange(20, 90), rng.randrange(12, 50)
    for row, top in enumerate(range(0, height, tile_height)):
        shift = (row % 2) * tile_width // 2
        for left in range(-shift, width, tile_width):
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.rectangle((left, top, left + tile_width - 3, top + tile_height - 3), fill=colour)
    return finished(base.filter(ImageFilter.GaussianBlur(rng.choice([0.5, 1.5]))), dark, grain)


def finished(base: Image.Image, dark: bool, grain: random.Random) -> Image.Image:
    """A texture with the grain of a photo, squeezed into the luminance range that keeps text readable."""
    noise = bytes(min(255, max(0, round(grain.gauss(128, 40)))) for _ in range(base.width * base.height))
    base = Image.blend(base, Image.frombytes("L", base.size, noise).convert("RGB"), 0.12)
    low, high = (0.05, 0.6) if dark else (0.45, 1.0)  # the luminance range keeps the text readable to people
    return base.point(lambda value: round(255 * low + value * (high - low)))


TEXTURES = {"photo": photo_texture, "foliage": foliage_texture, "bands": bands_texture, "tiles": tiles_texture}




def gradient_css(rng: random.Random, dark: bool) -> str:
    pool = DARK_BACKGROUNDS if dark else LIGHT_BACKGROUNDS
    first, second = rng.sample(pool, 2)
    return f"linear-gradient({rng.randrange(0, 360)}deg, {first}, {second})"


def data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def banner(kind: str, number: int, rng: random.Random, variety: random.Random, spec: BannerSet) -> Banner:
    family, weight, style, face = spec.fonts[number % len(spec.fonts)]
    width, height = spec.sizes[rng.randrange(len(spec.sizes))]
    dark = rng.random() < 0.5
    line_count = 1 if height <= 100 else rng.choice([1, 2, 2, 3])
    lines = [fill(rng.choice(spec.headlines), rng)]
    if line_count >= 2:
        lines.append(fill(rng.choice(spec.sublines), rng))
    if line_count == 3:
        lines.append(fill(rng.choice(spec.small_print), rng))
    scale = min(width / 600, height / 220, 1.4)
    head = round(rng.choice([30, 38, 46, 56]) * scale)
    sizes = [max(18, head), max(16, round(head * 0.55)), max(14, round(head * 0.38))][: len(lines)]
    if kind == "clean":
        background = gradient_css(rng, dark) if rng.random() < 0.4 else rng.choice(DARK_BACKGROUNDS if dark else LIGHT_BACKGROUNDS)
    else:
        texture = TEXTURES[variety.choice(spec.textures)]
        background = f"url({data_uri(texture(width, height, rng, dark, variety))}) center/cover"
    return Banner(
        kind=kind,
        font=family,
        weight=weight,
        style=style,
        face=face,
        size=(width, height),
        lines=tuple(lines),
        font_sizes=tuple(sizes),
        ink=rng.choice(LIGHT_INKS if dark else DARK_INKS),
        background=background,
        shadow=kind == "busy" and rng.random() < 0.5,
        align=rng.choice(["left", "center"]),
        capitals=family == "Bebas Neue" or variety.random() < spec.capitals,  # Bebas Neue has capitals only
        spacing=variety.choice(spec.spacings),
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
  font-family: '{spec.font}'; font-weight: {spec.weight}; font-style: {spec.style}; text-align: {spec.align};
  {shadow} text-transform: {"uppercase" if spec.capitals else "none"}; letter-spacing: {spec.spacing}em;
  display: flex; flex-direction: column; justify-content: center; box-sizing: border-box;
  padding: 0 {round(width * 0.06)}px; line-height: 1.15; overflow: hidden; }}
</style></head><body><div id="banner">{paragraphs}</div></body></html>"""


async def render(specs: dict[str, Banner], folder: Path, choice) -> None:
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
                Image.open(io.BytesIO(png)).convert("RGB").save(folder / name, quality=85)
            else:
                (folder / name).write_bytes(png)
        await browser.close()


def label(spec: Banner) -> dict:
    style = "" if spec.style == "normal" else f" {spec.style}"
    return {"kind": spec.kind, "font": f"{spec.font} {spec.weight}{style} ({spec.face})", "size": list(spec.size),
            "lines": list(spec.shown)}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", choices=sorted(SETS), default="dev")
    spec = SETS[parser.parse_args(argv).set]
    rng, variety = random.Random(spec.seed), random.Random(spec.seed + 1)
    specs = {
        f"{kind}-{number:02d}.{'jpg' if kind == 'busy' else 'png'}": banner(kind, number, rng, variety, spec)
        for kind in ("clean", "busy")
        for number in range(spec.per_kind)
    }
    from onevoice.browser import choose_browser, playwright_chromium_path

    spec.folder.mkdir(exist_ok=True)
    asyncio.run(render(specs, spec.folder, choose_browser(playwright_chromium_path())))
    labels = {name: label(banner) for name, banner in specs.items()}
    (spec.folder / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
