"""A brand's palette, the palette colour nearest to a colour shown, and colours read from a screenshot."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from onevoice.api import Box, Rgb, distance


@dataclass(frozen=True)
class PaletteMatch:
    """The palette entry nearest to a colour."""

    name: str
    color: Rgb
    distance: float

    def describe(self) -> str:
        """`primary #1f4fd8 (ΔE 2.1)`; the name is left out when it is the colour itself."""
        named = "" if self.name.casefold() == self.color.hex else f"{self.name} "
        return f"{named}{self.color.hex} (ΔE {self.distance:.1f})"


def parse_palette(colors: dict[str, str]) -> dict[str, Rgb]:
    """A brand profile's `colors:` mapping as parsed colours."""
    return {name: Rgb.parse(value) for name, value in colors.items()}


def nearest(color: Rgb, palette: dict[str, Rgb]) -> PaletteMatch:
    """The closest palette entry; the palette must not be empty."""
    if not palette:
        raise ValueError("nearest() needs at least one palette colour")
    return min(
        (PaletteMatch(name, entry, distance(color, entry)) for name, entry in palette.items()),
        key=lambda match: match.distance,
    )


EDGE_INSET = 3  # px from a box's edge to its sampled strip: past borders and anti-aliased corners
EDGE_WIDTH = 3  # px: the strip read at each end
SAME_FILL = 2.0  # ΔE within which both ends are one fill


def dominant_color(pixels: np.ndarray) -> Rgb | None:
    """The colour most of `pixels` (an H x W x 3 array) show: the mean of the most common 4-bit bucket.

    Text and icons over a fill are the minority of a button's pixels, so this is the fill.
    """
    flat = pixels.reshape(-1, 3).astype(int)
    if not len(flat):
        return None
    buckets = (flat >> 4) @ np.array([256, 16, 1])
    values, counts = np.unique(buckets, return_counts=True)
    chosen = flat[buckets == values[np.argmax(counts)]].mean(axis=0)
    return Rgb(*(int(round(channel)) for channel in chosen))


def sample_sides(pixels: np.ndarray, box: Box) -> dict[str, Rgb]:
    """The colour a person sees inside `box` of a screenshot, at each end of its longer side.

    For a gradient the two ends differ ("left", "right", or "top", "bottom"); for an image or a
    see-through layer they are usually one colour, reported once as "fill".
    """
    height, width = pixels.shape[:2]
    x, y, w, h = box
    left, top = max(int(x), 0), max(int(y), 0)
    right, bottom = min(int(math.ceil(x + w)), width), min(int(math.ceil(y + h)), height)
    if right - left < 2 or bottom - top < 2:
        return {}
    area = pixels[top:bottom, left:right]
    inset = min(EDGE_INSET, (min(right - left, bottom - top) - 1) // 2)
    if right - left >= bottom - top:  # the outermost columns, past any rounded corner: a gradient's stop colours
        ends = {"left": area[:, inset : inset + EDGE_WIDTH], "right": area[:, -inset - EDGE_WIDTH : len(area[0]) - inset]}
    else:
        ends = {"top": area[inset : inset + EDGE_WIDTH], "bottom": area[-inset - EDGE_WIDTH : len(area) - inset]}
    sampled = {side: color for side, part in ends.items() if (color := dominant_color(part)) is not None}
    if len(sampled) == 2 and distance(*sampled.values()) <= SAME_FILL:
        return {"fill": next(iter(sampled.values()))}
    return sampled
