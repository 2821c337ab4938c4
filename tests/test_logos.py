"""Logo hashing on golden images (tests/data/logos, drawn by make.py) and logo choice among images.

Why the mean of a DCT hash and a gradient hash: on the goldens, the DCT hash alone drifts
to 10 bits for the logo on a coloured background and the gradient hash alone to 6 for a
JPEG copy, while both stay near 30 for different logos; their mean keeps every rendering
of one logo within 6 and every other logo and icon of the corpus beyond 25.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import ImageDraw

from onevoice.facts import Image
from onevoice.errors import LogoError
from checks.brand.logos import choose_logo, score_logo
from onevoice.logohash import LogoHash, dct_hash, hash_file, ink, logo_hash

GOLDEN = Path(__file__).parent / "data" / "logos"
SAME_LOGO = ["logo@2x.png", "logo@0.5x.png", "logo.jpg", "logo-on-yellow.png", "logo-white-on-blue.png",
             "logo-transparent.png"]
DEFAULT_DISTANCE = 10


@pytest.fixture(scope="module")
def reference() -> LogoHash:
    return hash_file(GOLDEN / "logo.png")


@pytest.mark.parametrize("name", SAME_LOGO)
def test_renderings_of_the_logo_stay_close_to_it(reference, name):
    assert hash_file(GOLDEN / name) - reference <= 6


def test_a_different_logo_is_far(reference):
    assert hash_file(GOLDEN / "other-logo.png") - reference >= 25


def test_corpus_logos_and_icons_are_far_from_each_other_and_from_the_golden(corpus, reference):
    images = [corpus / "email-sendgrid-paste-welcome" / "img" / "paste-logo-light@2x.png",
              *sorted((corpus / "email-colorlib-elise" / "images").glob("00*.png"))]
    hashes = [reference, *(hash_file(path) for path in images)]
    assert len(hashes) == 5
    assert min(a - b for a, b in itertools.combinations(hashes, 2)) > 2 * DEFAULT_DISTANCE


def test_ink_trims_margins_so_padding_does_not_count():
    drawn = ink(PILImage.open(GOLDEN / "logo-on-yellow.png"))
    assert drawn.mode == "L"
    assert drawn.size[0] < PILImage.open(GOLDEN / "logo-on-yellow.png").size[0] - 40
    assert drawn.size[0] / drawn.size[1] == pytest.approx(200 / 64, rel=0.1)


def _shapes() -> list[PILImage.Image]:
    """Symmetric shapes (whose DCT cancels to exact zeros, where rounding decides ties) and asymmetric ones."""
    shapes = []
    for (width, height), colour in itertools.product([(64, 64), (120, 60), (33, 33), (200, 50)], ["#1f4fd8", "#e8a200"]):
        for draw in (
            lambda d: d.ellipse((width * 0.1, height * 0.1, width * 0.9, height * 0.9), fill=colour),
            lambda d: d.rectangle((width * 0.2, height * 0.2, width * 0.8, height * 0.8), fill=colour),
            lambda d: (d.rectangle((width * 0.45, 0, width * 0.55, height), fill=colour),
                       d.rectangle((0, height * 0.45, width, height * 0.55), fill=colour)),
            lambda d: d.polygon([(width / 2, 2), (width - 2, height - 2), (2, height - 2)], fill=colour),
            lambda d: d.text((2, height / 3), "ACME", fill=colour),
        ):
            image = PILImage.new("RGB", (width, height), "white")
            draw(ImageDraw.Draw(image))
            shapes.append(image)
    return shapes


def test_the_dct_hash_gives_the_bits_of_imagehash_phash():
    import imagehash

    drawn = [ink(image) for image in _shapes()] + [ink(PILImage.open(path)) for path in sorted(GOLDEN.glob("*.png"))]
    assert [str(dct_hash(image)) for image in drawn] == [str(imagehash.phash(image, hash_size=8)) for image in drawn]


def test_hash_has_a_hex_round_trip_and_subtraction_gives_the_distance(reference):
    other = hash_file(GOLDEN / "other-logo.png")
    text = str(other)
    assert len(text) == 32 and int(text, 16) >= 0
    assert LogoHash.from_hex(text) - other == 0
    assert LogoHash.from_hex(str(reference)) - other == reference - other
    with pytest.raises(ValueError, match="not a logo hash"):
        LogoHash.from_hex("abc")


def test_a_flat_image_shows_no_logo():
    with pytest.raises(LogoError, match="one flat colour"):
        logo_hash(PILImage.new("RGB", (120, 40), (31, 79, 216)))


def test_unusable_reference_files_say_what_to_do(tmp_path):
    (tmp_path / "logo.svg").write_text("<svg/>")
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(LogoError, match=r"logo\.svg: SVG logos cannot be compared; export the logo as PNG"):
        hash_file(tmp_path / "logo.svg")
    with pytest.raises(LogoError, match=r"gone\.png: logo file not found"):
        hash_file(tmp_path / "gone.png")
    with pytest.raises(LogoError, match=r"notes\.png: not an image"):
        hash_file(tmp_path / "notes.png")


def test_a_logo_file_is_hashed_once_per_version(tmp_path, monkeypatch):
    import onevoice.logohash

    hashed = []
    monkeypatch.setattr(onevoice.logohash, "logo_hash", lambda image: hashed.append(image.size) or logo_hash(image))
    logo = tmp_path / "logo.png"
    logo.write_bytes((GOLDEN / "logo.png").read_bytes())
    first = hash_file(logo)
    assert hash_file(logo) is first and len(hashed) == 1  # every journey of a run asks again

    logo.write_bytes((GOLDEN / "other-logo.png").read_bytes())  # the same path, another logo
    assert hash_file(logo) - first >= 25 and len(hashed) == 2


HEADER_LOGO = Image(kind="img", src="https://shop.test/img/mark.png", alt="Northwind", region="header",
                    link="https://shop.test/", box=(24, 16, 160, 48))
SOCIAL_ICON = Image(kind="img", src="https://cdn.test/004-twitter-logo.png", alt="Twitter", region="footer",
                    link="https://twitter.com/northwind", box=(300, 2000, 24, 24))
HERO = Image(kind="img", src="https://shop.test/img/hero.jpg", alt="", region="header", box=(0, 80, 1280, 600))


def test_the_header_logo_is_chosen_over_a_social_icon_named_logo():
    candidates = [score_logo(image, "Northwind", False) for image in (SOCIAL_ICON, HEADER_LOGO)]
    assert not candidates[0].qualifies
    assert choose_logo(candidates).image == HEADER_LOGO
    assert "links to a site root" in candidates[1].reasons


def test_position_alone_does_not_make_a_logo():
    unnamed = Image(kind="img", src="https://shop.test/a.png", region="header", box=(24, 16, 160, 48))
    assert choose_logo([score_logo(unnamed, "Northwind", False), score_logo(HERO, "Northwind", False)]) is None


def test_extraction_hint_or_a_reference_match_identifies_a_logo():
    unnamed = Image(kind="svg", region="header", box=(24, 16, 160, 48))
    assert choose_logo([score_logo(unnamed.model_copy(update={"logo_hint": "svg in header"}), None, False)])
    assert choose_logo([score_logo(unnamed, None, True)])


def test_a_navbar_brand_class_names_a_logo_and_the_topmost_wins_a_tie():
    top = Image(kind="img", src="/a.svg", hints=("navbar-brand",), region="nav", box=(0, 10, 100, 30))
    lower = top.model_copy(update={"box": (0, 120, 100, 30)})
    assert choose_logo([score_logo(lower, None, False), score_logo(top, None, False)]).image == top
