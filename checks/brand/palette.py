"""A brand's palette, and the palette colour nearest to a colour shown."""

from __future__ import annotations

from dataclasses import dataclass

from onevoice.api import Rgb, distance


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
