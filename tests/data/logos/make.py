"""Draws the golden logo images of tests/test_logos.py: run `python tests/data/logos/make.py`.

One invented logo (a ringed mark and a bar wordmark) rendered the ways a page or an
email shows it: re-rendered at 2x and 0.5x, as JPEG, on a coloured background, as
its white variant on a brand-blue header bar, on a transparent canvas; and a different
logo. Shapes are drawn 4x larger and downsampled, as a browser anti-aliases.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
NAVY, ORANGE, WHITE = (11, 31, 77), (255, 150, 0), (255, 255, 255)
SUPERSAMPLE = 4


def brand_logo(width: int, ink=NAVY, accent=ORANGE, background=(255, 255, 255, 0)) -> Image.Image:
    """The brand's logo, `width` px wide (aspect 200:64), on `background` (RGBA)."""
    unit = width * SUPERSAMPLE / 200
    canvas = Image.new("RGBA", (round(200 * unit), round(64 * unit)), background)
    draw = ImageDraw.Draw(canvas)
    draw.ellipse(box(4, 4, 60, 60, unit), fill=ink)
    draw.ellipse(box(16, 16, 48, 48, unit), fill=background)
    draw.polygon([point(24, 40, unit), point(32, 22, unit), point(40, 40, unit)], fill=accent)
    letters = [(70, 14, 82), (88, 24, 100), (106, 14, 118), (124, 24, 136), (142, 8, 154), (160, 24, 172)]
    for left, top, right in letters:
        draw.rectangle(box(left, top, right, 50, unit), fill=ink)
    draw.rectangle(box(70, 54, 190, 58, unit), fill=accent)
    return canvas.resize((width, round(width * 64 / 200)), Image.LANCZOS)


def other_logo(width: int) -> Image.Image:
    """Another brand's logo, same size and palette: a diamond, dots and a lowercase rhythm."""
    unit = width * SUPERSAMPLE / 200
    canvas = Image.new("RGBA", (round(200 * unit), round(64 * unit)), (255, 255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    draw.polygon([point(32, 2, unit), point(62, 32, unit), point(32, 62, unit), point(2, 32, unit)], fill=NAVY)
    for left in (74, 100, 126):
        draw.ellipse(box(left, 30, left + 20, 50, unit), fill=ORANGE)
    for left, top in [(152, 10), (164, 30), (176, 18)]:
        draw.rectangle(box(left, top, left + 8, 50, unit), fill=NAVY)
    return canvas.resize((width, round(width * 64 / 200)), Image.LANCZOS)


def box(left: float, top: float, right: float, bottom: float, unit: float) -> tuple[float, float, float, float]:
    return (left * unit, top * unit, right * unit, bottom * unit)


def point(x: float, y: float, unit: float) -> tuple[float, float]:
    return (x * unit, y * unit)


def on(background: tuple[int, int, int], logo: Image.Image, margin: tuple[int, int]) -> Image.Image:
    """`logo` placed on a flat background with margins, as an element screenshot crops it."""
    canvas = Image.new("RGB", (logo.width + 2 * margin[0], logo.height + 2 * margin[1]), background)
    canvas.paste(logo, margin, logo)
    return canvas


def main() -> None:
    white = (255, 255, 255)
    on(white, brand_logo(200), (0, 0)).save(HERE / "logo.png")
    on(white, brand_logo(400), (6, 4)).save(HERE / "logo@2x.png")
    on(white, brand_logo(100), (2, 1)).save(HERE / "logo@0.5x.png")
    on(white, brand_logo(200), (8, 8)).save(HERE / "logo.jpg", quality=60)
    on((255, 236, 179), brand_logo(180), (30, 14)).save(HERE / "logo-on-yellow.png")
    on((31, 79, 216), brand_logo(160, ink=WHITE, accent=WHITE), (24, 18)).save(HERE / "logo-white-on-blue.png")
    brand_logo(240).save(HERE / "logo-transparent.png")
    other_logo(200).convert("RGB").save(HERE / "other-logo.png")


if __name__ == "__main__":
    main()
