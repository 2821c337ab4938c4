"""Colour parsing, CIELAB and CIEDE2000 against the published Sharma, Wu and Dalal test data."""

from __future__ import annotations

import pytest

from checks.brand.palette import nearest, parse_palette
from onevoice.colors import Lab, Rgb, ciede2000, distance

# Pairs from Sharma, Wu, Dalal (2005), "The CIEDE2000 color-difference formula:
# implementation notes, supplementary test data", Table 1 (pair number in the comment).
SHARMA_PAIRS = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),  # 1
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),  # 2
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),  # 7: one achromatic colour
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),  # 13: hue angles either side of 180
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),  # 17
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),  # 18
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),  # 19
    ((50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0000),  # 21
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),  # 25
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),  # 34: near black
]


@pytest.mark.parametrize(("first", "second", "expected"), SHARMA_PAIRS)
def test_ciede2000_matches_the_published_test_data(first, second, expected):
    assert ciede2000(Lab(*first), Lab(*second)) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(Lab(*second), Lab(*first)) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#1F4FD8", Rgb(31, 79, 216)),
        ("#fb0", Rgb(255, 187, 0)),
        ("1f4fd8", Rgb(31, 79, 216)),
        ("rgb(31, 79, 216)", Rgb(31, 79, 216)),
        ("rgba(31 79 216 / 0.5)", Rgb(31, 79, 216)),
    ],
)
def test_parse_reads_css_colour_forms(text, expected):
    assert Rgb.parse(text) == expected


def test_parse_rejects_a_non_colour_with_the_forms_it_accepts():
    with pytest.raises(ValueError, match=r"'blue-ish' is not a colour: write #rrggbb"):
        Rgb.parse("blue-ish")


def test_lab_of_white_black_and_srgb_red():
    white, black, red = Rgb(255, 255, 255).lab(), Rgb(0, 0, 0).lab(), Rgb(255, 0, 0).lab()
    assert (white.l, white.a, white.b) == pytest.approx((100, 0, 0), abs=0.01)
    assert (black.l, black.a, black.b) == pytest.approx((0, 0, 0), abs=0.01)
    assert (red.l, red.a, red.b) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)


@pytest.mark.parametrize("hex_", ["#ffffff", "#000000", "#4d4d4d", "#f7f7f7", "#212529", "#111827", "#e9ecef"])
def test_whites_blacks_and_ui_greys_are_neutral(hex_):
    assert Rgb.parse(hex_).neutral


@pytest.mark.parametrize("hex_", ["#1f4fd8", "#ffb400", "#ffc0d0", "#64a19d", "#d84a38", "#0a1a3a"])
def test_brand_hues_pastels_and_dark_navies_are_not_neutral(hex_):
    assert not Rgb.parse(hex_).neutral


def test_nearest_names_the_closest_palette_entry_and_its_distance():
    palette = parse_palette({"primary": "#1F4FD8", "accent": "#FFB400"})
    near_primary = nearest(Rgb.parse("#2050d0"), palette)
    assert near_primary.name == "primary"
    assert near_primary.distance == pytest.approx(distance(Rgb.parse("#2050d0"), palette["primary"]))
    assert near_primary.distance < 2
    assert nearest(Rgb.parse("#e11d48"), palette).distance > 6
    assert near_primary.describe().startswith("primary #1f4fd8 (ΔE ")
    assert nearest(Rgb.parse("#1f4fd8"), {"#1f4fd8": palette["primary"]}).describe() == "#1f4fd8 (ΔE 0.0)"
