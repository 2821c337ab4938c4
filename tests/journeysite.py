"""A small, consistent brand site written into a folder, for tests that run whole journeys."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Northwind">
<meta property="og:image" content="/logo.png"><meta name="twitter:card" content="summary">
<style>
  body {{ font-family: Arial, sans-serif; margin: 0; color: #111827; }}
  header, footer {{ padding: 16px; background: #ffffff; }}
  main {{ padding: 16px; }}
  .cta {{ background: #1f4fd8; color: #ffffff; padding: 12px 20px; display: inline-block; text-decoration: none; }}
</style></head>
<body>
<header><a href="/"><img src="logo.png" alt="Northwind logo" width="120" height="40"></a></header>
<main>
  <h1>{headline}</h1>
  <p>{offer}</p>
  <a class="cta" href="offer.html">Claim it now</a>
</main>
<footer>
  <a href="https://www.facebook.com/northwind">Facebook</a>
  <a href="https://x.com/northwind">X</a>
</footer>
</body></html>
"""


def write_logo(path: Path) -> Path:
    image = Image.new("RGB", (240, 80), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 72, 72), fill="#1f4fd8")
    draw.rectangle((90, 28, 230, 52), fill="#111827")
    image.save(path)
    return path


def write_site(
    folder: Path,
    headline: str = "Launch campaigns your customers love",
    offer: str = "20% off your first order",
) -> Path:
    """index.html and offer.html saying the same things, with a logo; returns `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    write_logo(folder / "logo.png")
    for name, title in (("index.html", "Northwind"), ("offer.html", "Northwind offer")):
        (folder / name).write_text(PAGE.format(title=title, headline=headline, offer=offer), encoding="utf-8")
    return folder


def write_journey(path: Path, base_url: str, touchpoints: str, extra: str = "", name: str | None = None) -> Path:
    """A journey file: `touchpoints` is the YAML list under `touchpoints:` (indented two spaces)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"name: {name or path.stem}\nbase_url: {base_url}\ntouchpoints:\n{touchpoints}{extra}"
    path.write_text(text, encoding="utf-8")
    return path
