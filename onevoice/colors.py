"""Colours: parsing CSS colours, CIELAB, CIEDE2000 distance and the nearest palette entry.

Pure functions on small frozen values. Distances are CIEDE2000 (Sharma, Wu and Dalal,
2005) between sRGB colours converted to CIELAB under D65.

Neutral colours: white, black, greys and near-greys (CIELAB chroma below
`NEUTRAL_CHROMA`) are the shared ground of every design: body text, page and card
backgrounds, hairlines. They carry no brand identity, so the brand check never judges
them, whatever the palette says; only chromatic colours must lie near a palette entry.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

import numpy as np
from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

NEUTRAL_CHROMA = 12.0
"""CIELAB chroma below which a colour reads as white, black or grey: cool UI greys such as
Tailwind gray-900 #111827 (11.5) are neutral, a muted teal #64a19d (21) is not."""

HEX_COLOR = r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
"""How a brand profile writes a colour: #RRGGBB or #RGB."""
_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")

NAMED_COLORS = {
    "black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
    "yellow": "#ffff00", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "maroon": "#800000",
    "purple": "#800080", "fuchsia": "#ff00ff", "lime": "#00ff00", "olive": "#808000", "navy": "#000080",
    "teal": "#008080", "aqua": "#00ffff", "orange": "#ffa500",
}  # fmt: skip

# sRGB primaries and the D65 reference white (2 degree observer).
_SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
_WHITE = np.array([0.95047, 1.0, 1.08883])


@dataclass(frozen=True)
class Lab:
    """A CIELAB colour (L* 0-100)."""

    l: float  # noqa: E741 - the standard name
    a: float
    b: float

    @property
    def chroma(self) -> float:
        return math.hypot(self.a, self.b)


@dataclass(frozen=True)
class Rgb:
    """An opaque sRGB colour, 0-255 per channel."""

    r: int
    g: int
    b: int

    @classmethod
    def parse(cls, text: str) -> Rgb:
        """`#1f4fd8`, `#fb0`, `1f4fd8` or `rgb(31, 79, 216)`; alpha is ignored."""
        value = text.strip()
        match = _HEX.fullmatch(value)
        if match:
            digits = match.group(1)
            if len(digits) == 3:
                digits = "".join(ch * 2 for ch in digits)
            return cls(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
        match = _RGB.fullmatch(value)
        if match:
            channels = [min(255, round(float(part))) for part in match.groups()[:3]]
            return cls(*channels)
        raise ValueError(f"'{text}' is not a colour: write #rrggbb, #rgb or rgb(r, g, b)")

    @classmethod
    def from_css(cls, value: str | None) -> Rgb | None:
        """A CSS or HTML colour (`#abc`, `rgb()`, `rgba()`, basic names); None: transparent or unknown."""
        if not value:
            return None
        value = value.strip().lower()
        value = NAMED_COLORS.get(value, value)
        match = _RGB.fullmatch(value)
        if match and match.group(4) is not None and float(match.group(4).rstrip("%")) == 0:
            return None  # fully transparent
        try:
            return cls.parse(value)
        except ValueError:
            return None

    @property
    def hex(self) -> str:
        return f"#{self.r:02x}{self.g:02x}{self.b:02x}"

    def lab(self) -> Lab:
        return _lab(self.r, self.g, self.b)

    @property
    def neutral(self) -> bool:
        """White, black or a grey: not a brand colour (see the module docstring)."""
        return self.lab().chroma < NEUTRAL_CHROMA

    def __str__(self) -> str:
        return self.hex


def _as_rgb(value: object) -> Rgb:
    if isinstance(value, Rgb):
        return value
    if isinstance(value, str):
        return Rgb.parse(value)
    raise ValueError(f"{value!r} is not a colour: write #rrggbb")


Color = Annotated[
    Rgb,
    PlainValidator(_as_rgb),
    PlainSerializer(lambda color: color.hex, return_type=str),
    WithJsonSchema({"type": "string", "pattern": HEX_COLOR}),
]
"""A field that holds a colour: an `Rgb` in Python, `#rrggbb` in JSON (findings.json), read back
as an `Rgb`. The report draws a swatch only for such a value, never for a string shaped like one."""


@lru_cache(maxsize=4096)
def _lab(r: int, g: int, b: int) -> Lab:
    """`Rgb.lab`, remembered: a page and its checks ask again and again for the same few colours."""
    return Lab(*(float(channel) for channel in srgb_to_lab(np.array([r, g, b]) / 255)))


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB channels in 0-1 (any array shape ending in 3) to CIELAB (same shape)."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ _SRGB_TO_XYZ.T / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def ciede2000(first: Lab, second: Lab) -> float:
    """The CIEDE2000 colour difference (kL = kC = kH = 1)."""
    mean_chroma = (first.chroma + second.chroma) / 2
    g = 0.5 * (1 - math.sqrt(mean_chroma**7 / (mean_chroma**7 + 25**7)))
    a1, a2 = (1 + g) * first.a, (1 + g) * second.a
    c1, c2 = math.hypot(a1, first.b), math.hypot(a2, second.b)
    h1 = math.degrees(math.atan2(first.b, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(second.b, a2)) % 360 if c2 else 0.0

    delta_l = second.l - first.l
    delta_c = c2 - c1
    if c1 * c2 == 0:
        delta_h_angle = 0.0
    elif abs(h2 - h1) <= 180:
        delta_h_angle = h2 - h1
    elif h2 - h1 > 180:
        delta_h_angle = h2 - h1 - 360
    else:
        delta_h_angle = h2 - h1 + 360
    delta_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(delta_h_angle) / 2)

    mean_l = (first.l + second.l) / 2
    mean_c = (c1 + c2) / 2
    if c1 * c2 == 0:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    elif h1 + h2 < 360:
        mean_h = (h1 + h2 + 360) / 2
    else:
        mean_h = (h1 + h2 - 360) / 2

    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    delta_theta = 30 * math.exp(-(((mean_h - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(mean_c**7 / (mean_c**7 + 25**7))
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c = 1 + 0.045 * mean_c
    s_h = 1 + 0.015 * mean_c * t
    r_t = -math.sin(math.radians(2 * delta_theta)) * r_c
    return math.sqrt(
        (delta_l / s_l) ** 2
        + (delta_c / s_c) ** 2
        + (delta_h / s_h) ** 2
        + r_t * (delta_c / s_c) * (delta_h / s_h)
    )


def distance(first: Rgb, second: Rgb) -> float:
    """CIEDE2000 between two sRGB colours."""
    return ciede2000(first.lab(), second.lab())
