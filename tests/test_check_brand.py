"""The brand check on hand-built captures: each rule fires on its case and not on its look-alike."""

from __future__ import annotations

import re

import shutil
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from checks.brand.check import BrandCheck
from onevoice.facts import Capture, Image, Link, TextBlock
from onevoice.api import Rgb, distance
from onevoice.errors import LogoError
from onevoice.model import Brand, Journey, Touchpoint
from onevoice.registry import CheckContext, registered_checks

GOLDEN = Path(__file__).parent / "data" / "logos"
PALETTE = {"primary": "#1F4FD8", "accent": "#FFB400"}


def header_logo(crop: str | None, **changes) -> Image:
    image = Image(kind="img", src="https://shop.test/logo.png", alt="Northwind", region="header",
                  link="https://shop.test/", selector="header img.logo", box=(20, 12, 180, 58),
                  logo_hint="image in the header linked to the home page", crop=crop)
    return image.model_copy(update=changes)


def capture(touchpoint: str, channel: str = "web", **facts) -> Capture:
    return Capture(touchpoint=touchpoint, channel=channel, device="Desktop Chrome", **facts)


def run(captures: list[Capture], artifacts: Path, brand: Brand | None, **options) -> tuple[list, dict]:
    journey = Journey(
        name="brand test",
        touchpoints=tuple(
            Touchpoint(id=c.touchpoint, url="/") if c.channel == "web"
            else Touchpoint(id=c.touchpoint, channel="email", email={"source": "file", "path": "x.eml"})
            for c in captures
        ),
    )
    context = CheckContext(
        journey=journey,
        brand=brand,
        messages=(),
        captures={c.touchpoint: c for c in captures},
        options=BrandCheck.Options.model_validate(options),
        artifacts=artifacts,
    )
    result = BrandCheck().run(context)
    return list(result.findings), {matrix.id: matrix for matrix in result.matrices}


@pytest.fixture
def crops(tmp_path: Path) -> Path:
    """The artifact folder, holding the golden logos as element screenshots under screens/."""
    (tmp_path / "screens").mkdir()
    for name in ("logo-on-yellow.png", "logo@0.5x.png", "logo-white-on-blue.png", "other-logo.png"):
        shutil.copyfile(GOLDEN / name, tmp_path / "screens" / name)
    return tmp_path


def rules(findings) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((f.rule, f.touchpoints) for f in findings)


def test_brand_is_registered_with_its_options():
    assert registered_checks()["brand"] is BrandCheck
    assert BrandCheck.Options.model_validate({"logo_distance": 4}).logo_distance == 4
    with pytest.raises(ValidationError):
        BrandCheck.Options.model_validate({"logo_distence": 4})


# ---------------------------------------------------------------- logo


def test_a_different_logo_is_a_mismatch_and_scaled_or_recoloured_renderings_are_not(crops):
    brand = Brand(name="Northwind", logo=(str(GOLDEN / "logo.png"), str(GOLDEN / "logo-transparent.png")))
    findings, matrices = run(
        [
            capture("home", images=(header_logo("screens/logo-on-yellow.png"),)),
            capture("home-mobile", images=(header_logo("screens/logo@0.5x.png"),)),
            capture("welcome", "email", images=(header_logo("screens/other-logo.png"),)),
        ],
        crops,
        brand,
    )
    logo_findings = [f for f in findings if f.rule.startswith("brand.logo")]
    assert rules(logo_findings) == [("brand.logo_mismatch", ("welcome",))]
    mismatch = logo_findings[0]
    assert mismatch.actual.startswith("logo.png (distance ")  # the file it shows, as a reviewer knows it
    distance = int(re.search(r"\(distance (\d+)\)$", mismatch.actual).group(1))
    assert distance >= 25 and mismatch.expected in ("logo.png", "logo-transparent.png")
    assert mismatch.evidence[0].selector == "header img.logo"
    cells = matrices["logo"].cells["logo"]
    assert [cells[tp].status for tp in ("home", "home-mobile", "welcome")] == ["ok", "ok", "other"]
    assert cells["home"].image == "screens/logo-on-yellow.png" and len(cells["home"].value) == 32
    assert matrices["logo"].expected["logo"] == "logo.png, logo-transparent.png"


def test_the_logo_distance_option_is_the_largest_distance_that_matches(crops):
    brand = Brand(name="Northwind", logo=(str(GOLDEN / "logo.png"),))
    findings, _ = run([capture("home", images=(header_logo("screens/logo-on-yellow.png"),))], crops, brand,
                      logo_distance=0)
    assert rules(findings) == [("brand.logo_mismatch", ("home",))]


def test_no_logo_candidate_is_logo_missing_even_with_social_icons_and_a_hero(crops):
    icon = Image(kind="img", src="https://cdn.test/004-twitter-logo.png", alt="Twitter", region="footer",
                 link="https://twitter.com/northwind", box=(300, 900, 24, 24))
    hero = Image(kind="img", src="https://shop.test/hero.jpg", region="main", box=(0, 80, 1280, 600))
    findings, matrices = run([capture("home", images=(icon, hero))], crops, Brand(name="Northwind"))
    assert rules(findings) == [("brand.logo_missing", ("home",))]
    assert matrices["logo"].cells["logo"]["home"].status == "missing"


def wordmark(text: str, **changes) -> TextBlock:
    block = TextBlock(text=text, role="nav", region="nav", selector="nav a.navbar-brand", box=(20, 10, 160, 30),
                      logo_hint="class 'navbar-brand' says logo")  # fmt: skip
    return block.model_copy(update=changes)


def test_a_text_wordmark_is_the_logo_and_a_short_text_that_is_none_is_not(crops):
    brand = Brand(name="Start Bootstrap")
    findings, matrices = run([capture("home", texts=(wordmark("Start Bootstrap"),))], crops, brand)
    assert findings == []
    assert matrices["logo"].cells["logo"]["home"].value == "wordmark 'Start Bootstrap'"
    # the same words without a logo's place (no hint, far down the page) are no wordmark
    plain = wordmark("Start Bootstrap", logo_hint=None, role="body", region="main", box=(20, 900, 160, 30))
    later = [TextBlock(text=f"Section {n}", role="heading", box=(0, 300 + n, 10, 10)) for n in range(3)]
    findings, _ = run([capture("home", texts=(*later, plain))], crops, brand)
    assert rules(findings) == [("brand.logo_missing", ("home",))]


def test_the_brand_name_at_the_top_of_an_email_is_its_wordmark(crops):
    name = TextBlock(text="Elise", role="body", selector="td > div > a", box=(250, 40, 100, 30))
    preheader = TextBlock(text="Up to 50% off", role="preheader", visible=False)
    findings, matrices = run([capture("sale", "email", texts=(preheader, name))], crops, Brand(name="Elise"))
    assert findings == [] and matrices["logo"].cells["logo"]["sale"].status == "ok"


def test_only_a_wordmark_where_logo_images_are_declared_is_a_warning_with_both_in_evidence(crops):
    brand = Brand(name="Northwind", logo=(str(GOLDEN / "logo.png"),))
    home = capture("home", images=(header_logo("screens/logo@0.5x.png"),))
    mail = capture("welcome", "email", texts=(wordmark("Northwind", selector="td.masthead a"),))
    findings, _ = run([home, mail], crops, brand)
    (finding,) = findings
    assert (finding.rule, finding.severity, finding.touchpoints) == ("brand.logo_mismatch", "warning", ("welcome",))
    assert "only the wordmark 'Northwind'" in finding.message and "logo.png" in finding.message
    assert [(e.touchpoint, e.text) for e in finding.evidence] == [("welcome", "Northwind"), ("home", "logo.png")]


def test_no_logo_declared_and_none_shown_anywhere_is_one_warning_for_the_journey(crops):
    captures = [capture(tp) for tp in ("home", "about", "welcome")]
    findings, _ = run(captures, crops, Brand(name="Northwind"))
    (finding,) = findings
    assert (finding.rule, finding.severity, finding.touchpoints) == (
        "brand.logo_missing", "warning", ("home", "about", "welcome")
    )
    # one touchpoint showing a logo makes the others' missing logo an error each
    captures[0] = capture("home", images=(header_logo("screens/logo@0.5x.png"),))
    findings, _ = run(captures, crops, Brand(name="Northwind"))
    assert [(f.rule, f.severity, f.touchpoints) for f in findings] == [
        ("brand.logo_missing", "error", ("about",)), ("brand.logo_missing", "error", ("welcome",))
    ]


def test_a_logo_image_that_did_not_load_is_logo_missing_pointing_at_it(crops):
    broken = header_logo(None, loaded=False)
    findings, matrices = run([capture("welcome", "email", images=(broken,))], crops, Brand(name="Northwind"))
    assert rules(findings) == [("brand.logo_missing", ("welcome",))]
    assert "did not load" in findings[0].message and findings[0].evidence[0].selector == "header img.logo"
    assert matrices["logo"].cells["logo"]["welcome"].status == "broken"


def test_a_working_logo_is_preferred_to_a_broken_one(crops):
    broken = header_logo(None, loaded=False)
    footer = header_logo("screens/logo@0.5x.png", region="footer", box=(20, 1800, 90, 29), selector="footer img")
    findings, _ = run([capture("home", images=(broken, footer))], crops,
                      Brand(name="Northwind", logo=(str(GOLDEN / "logo.png"),)))
    assert [f for f in findings if f.rule.startswith("brand.logo")] == []


def test_without_references_the_odd_logo_out_is_the_mismatch(crops):
    findings, matrices = run(
        [
            capture("home", images=(header_logo("screens/logo-on-yellow.png"),)),
            capture("landing", images=(header_logo("screens/other-logo.png"),)),
            capture("welcome", "email", images=(header_logo("screens/logo-white-on-blue.png"),)),
        ],
        crops,
        None,
    )
    assert rules(findings) == [("brand.logo_mismatch", ("landing",))]
    assert findings[0].expected == "the logo of home, welcome"


def test_without_references_two_different_logos_tie_and_both_are_named(crops):
    findings, matrices = run(
        [
            capture("home", images=(header_logo("screens/logo-on-yellow.png"),)),
            capture("landing", images=(header_logo("screens/other-logo.png"),)),
        ],
        crops,
        None,
    )
    assert rules(findings) == [("brand.logo_mismatch", ("home",)), ("brand.logo_mismatch", ("landing",))]
    home = next(f for f in findings if f.touchpoints == ("home",))
    assert home.expected == "the logo of landing (no logo is shown by most touchpoints)"
    assert matrices["logo"].expected["logo"] is None


def test_an_unusable_reference_logo_is_an_error_naming_the_file(crops, tmp_path):
    (tmp_path / "logo.svg").write_text("<svg/>")
    with pytest.raises(LogoError, match=r"logo\.svg: SVG logos cannot be compared"):
        run([capture("home")], crops, Brand(name="Northwind", logo=(str(tmp_path / "logo.svg"),)))


# ---------------------------------------------------------------- colours


def cta(text: str, background: str, selector: str, visible: bool = True) -> TextBlock:
    return TextBlock(text=text, role="cta", region="main", selector=selector, box=(0, 300, 160, 44),
                     color="#ffffff", background=background, visible=visible)


def test_off_palette_colours_give_one_finding_per_colour_and_element_kind(tmp_path):
    page = capture(
        "home",
        texts=(
            cta("Buy now", "#2050d0", "a.btn-primary"),  # within tolerance of primary
            cta("Claim 20% off", "#e11d48", "a.promo"),
            cta("Shop the sale", "#e11d48", "button.sale"),
            cta("Secret deal", "#22c55e", "a.hidden-deal", visible=False),
            TextBlock(text="Spring sale", role="heading", level=1, color="#111111", background="#ffffff"),
            TextBlock(text="Menu", role="nav", region="header", color="#ffffff", background="#7c3aed",
                      selector="header nav"),
            TextBlock(text="Welcome", role="subject", color="#e11d48"),
        ),
        links=(
            Link(href="https://shop.test/a", text="Read more", color="#0d6efd", selector="main a"),
            Link(href="https://shop.test/", text="", color="#0000ee", selector="header a.logo"),  # image only
            Link(href="https://shop.test/b", text="Shop the sale", button=True, color="#ffffff",
                 background="#e11d48", selector="button.sale"),
        ),
    )
    findings, matrices = run([page], tmp_path, Brand(name="Northwind", colors=PALETTE))
    by_subject = {f.subject: f for f in findings if f.rule == "brand.color"}
    assert set(by_subject) == {"cta #e11d48", "bar #7c3aed", "link #0d6efd"}
    promo = by_subject["cta #e11d48"]
    assert [e.selector for e in promo.evidence] == ["a.promo", "button.sale"]
    assert promo.actual == "#e11d48" and promo.severity == "error" and promo.touchpoints == ("home",)
    assert "nearest" in promo.message and "ΔE" in promo.message
    assert "2 calls to action in #e11d48 ('Claim 20% off', 'Shop the sale')" in promo.message
    colors = matrices["colors"]
    assert colors.cells["#2050d0"]["home"].status == "ok"
    assert colors.cells["#e11d48"]["home"].status == "other"
    assert colors.cells["#e11d48"]["home"].swatch == Rgb.parse("#e11d48")
    assert colors.expected["#2050d0"] == "#1f4fd8"
    assert "#111111" not in colors.cells and "#22c55e" not in colors.cells


def test_without_a_palette_the_odd_cta_colour_out_is_a_warning(tmp_path):
    findings, _ = run(
        [
            capture("home", texts=(cta("Buy", "#1f4fd8", "a.buy"),)),
            capture("home-mobile", texts=(cta("Buy", "#2251d6", "a.buy"),)),
            capture("welcome", "email", texts=(cta("Buy", "#e11d48", "a.buy"),
                                               TextBlock(text="Hi", role="heading", color="#7c3aed"))),
        ],
        tmp_path,
        Brand(name="Northwind"),
    )
    colors = [f for f in findings if f.rule == "brand.color"]
    assert [(f.touchpoints, f.subject, f.severity) for f in colors] == [(("welcome",), "cta #e11d48", "warning")]


def test_without_a_palette_a_tie_of_cta_colours_names_every_touchpoint_and_gives_no_reference(tmp_path):
    findings, _ = run(
        [
            capture("home", texts=(cta("Buy", "#1f4fd8", "a.buy"),)),
            capture("welcome", "email", texts=(cta("Buy", "#e11d48", "a.buy"),)),
        ],
        tmp_path,
        Brand(name="Northwind"),
    )
    colors = sorted((f.touchpoints, f.subject, f.expected) for f in findings if f.rule == "brand.color")
    assert colors == [(("home",), "cta #1f4fd8", None), (("welcome",), "cta #e11d48", None)]
    welcome = next(f for f in findings if f.touchpoints == ("welcome",))
    assert "not the CTA colours most touchpoints share (there is none: #1f4fd8 on home; #e11d48 on welcome)" in (
        welcome.message
    ) and "ΔE" not in welcome.message


# ---------------------------------------------------------------- fonts


def text(words: str, font: str, role: str = "body", visible: bool = True) -> TextBlock:
    return TextBlock(text=words, role=role, font=font, visible=visible, selector=f"{role}-{words[:4]}")


def test_fonts_outside_the_brand_give_one_finding_per_touchpoint_and_font(tmp_path):
    page = capture(
        "home",
        texts=(
            text("Spring sale", "inter", role="heading"),
            text("Body copy", '"Helvetica Neue", Arial, sans-serif'),
            text("Legal", "Georgia"),
            text("More legal", "georgia"),
            text("Fallback", "sans-serif"),
            text("Hidden", "Comic Sans MS", visible=False),
            text("Subject line", "Papyrus", role="subject"),
        ),
    )
    findings, matrices = run([page], tmp_path, Brand(name="Northwind", fonts=("Inter", "Helvetica Neue")))
    fonts = {f.subject: f for f in findings if f.rule == "brand.font"}
    assert set(fonts) == {"georgia", "sans-serif"}
    assert len(fonts["georgia"].evidence) == 2 and fonts["georgia"].expected == ["Inter", "Helvetica Neue"]
    assert matrices["fonts"].cells["Helvetica Neue"]["home"].status == "ok"
    assert matrices["fonts"].cells["Georgia"]["home"].status == "other"


def test_without_brand_fonts_the_odd_font_out_is_a_warning_and_generic_families_pass(tmp_path):
    findings, _ = run(
        [
            capture("home", texts=(text("Hello", "Inter"),)),
            capture("home-mobile", texts=(text("Hello", "Inter"),)),
            capture("welcome", "email", texts=(text("Hello", "Georgia"), text("Small", "sans-serif"))),
        ],
        tmp_path,
        None,
    )
    fonts = [f for f in findings if f.rule == "brand.font"]
    assert [(f.touchpoints, f.subject, f.severity) for f in fonts] == [(("welcome",), "georgia", "warning")]


def test_without_brand_fonts_a_tie_names_every_touchpoint_and_gives_no_reference(tmp_path):
    findings, matrices = run(
        [capture("home", texts=(text("Hello", "Inter"),)), capture("welcome", "email", texts=(text("Hello", "Georgia"),))],
        tmp_path,
        None,
    )
    fonts = sorted((f.touchpoints, f.subject, f.expected) for f in findings if f.rule == "brand.font")
    assert fonts == [(("home",), "inter", None), (("welcome",), "georgia", None)]
    assert matrices["fonts"].cells["Inter"]["home"].status == "other"


def test_failed_captures_are_not_judged(tmp_path):
    failed = capture("home", error="net::ERR_CONNECTION_REFUSED")
    findings, matrices = run([failed], tmp_path, Brand(name="Northwind", colors=PALETTE, fonts=("Inter",)))
    assert findings == []
    assert matrices["logo"].cells["logo"]["home"].status == "error"


def test_a_form_control_not_inheriting_the_page_font_is_reported_as_such(tmp_path):
    def block(text: str, font: str, control: bool = False) -> TextBlock:
        role = "cta" if control else "body"
        return TextBlock(text=text, role=role, font=font, control=control, selector=f"p.{text[:3]}", box=(0, 0, 9, 9))

    page = [block("Welcome to Acme", "Inter"), block("Sign up today", "Inter")]
    button = block("Sign up", "Arial", control=True)
    for brand in (Brand(name="Acme"), Brand(name="Acme", fonts=("Inter",))):
        findings, matrices = run([capture("signup", texts=(*page, button))], tmp_path, brand)
        (finding,) = [f for f in findings if f.rule == "brand.font"]
        assert finding.subject == "form control arial" and finding.touchpoints == ("signup",)
        assert "do not inherit the page's font" in finding.message and "'Sign up'" in finding.message
        assert matrices["fonts"].cells["Arial"]["signup"].value == "form controls"
    # the look-alikes: a button that inherits the page's font, and one set in the page's heading font
    findings, _ = run([capture("signup", texts=(*page, block("Sign up", "Inter", control=True)))], tmp_path, Brand(name="Acme"))
    assert [f for f in findings if f.rule == "brand.font"] == []
    heading = TextBlock(text="Join us", role="heading", font="Varela Round", selector="h1", box=(0, 0, 9, 9))
    findings, _ = run([capture("signup", texts=(*page, heading, block("Sign up", "Varela Round", control=True)))],
                      tmp_path, Brand(name="Acme"))  # fmt: skip
    assert [f.subject for f in findings if f.rule == "brand.font"] == []


def gradient_screenshot(artifacts: Path, left: str, right: str) -> str:
    """A 400 x 200 screenshot: white, with a 200 x 40 button at (100, 80) going from `left` to `right`."""
    from PIL import Image as PILImage

    pixels = np.full((200, 400, 3), 255, dtype=np.uint8)
    start, end = (np.array([color.r, color.g, color.b]) for color in (Rgb.parse(left), Rgb.parse(right)))
    for column in range(200):
        pixels[80:120, 100 + column] = start + (end - start) * column / 199
    pixels[95:105, 180:220] = 255  # the label's white text
    (artifacts / "screens").mkdir(exist_ok=True)
    PILImage.fromarray(pixels).save(artifacts / "screens" / "home.png")
    return "screens/home.png"


def gradient_cta(**changes) -> TextBlock:
    block = TextBlock(text="Start free trial", role="cta", selector="a.btn-gradient", box=(100, 80, 200, 40),
                      color="#ffffff", background="#ffffff", paint="gradient")  # fmt: skip
    return block.model_copy(update=changes)


def test_a_gradient_button_is_judged_by_the_colours_people_see_at_each_side(tmp_path):
    brand = Brand(name="Northwind", colors=PALETTE)
    shot = gradient_screenshot(tmp_path, "#1f4fd8", "#e11d48")  # primary into an off-palette pink
    findings, _ = run([capture("home", texts=(gradient_cta(),), screenshot=shot)], tmp_path, brand)
    (finding,) = [f for f in findings if f.rule == "brand.color"]  # the right side: the primary's side is fine
    assert distance(Rgb.parse(finding.actual), Rgb.parse("#e11d48")) < 10
    assert "read from the screenshot at the right of its gradient" in finding.message
    assert finding.evidence[0].text == f"call to action {finding.actual}: Start free trial"
    # the look-alike: a gradient from one palette colour to the other
    shot = gradient_screenshot(tmp_path, "#1f4fd8", "#ffb400")
    findings, _ = run([capture("home", texts=(gradient_cta(),), screenshot=shot)], tmp_path, brand)
    assert [f for f in findings if f.rule == "brand.color"] == []


def test_the_screenshot_is_read_down_to_the_lowest_painted_element_only(tmp_path):
    from checks.brand.check import screenshot_pixels

    shot = gradient_screenshot(tmp_path, "#1f4fd8", "#e11d48")  # 200 rows; the button ends at row 120
    painted = capture("home", texts=(gradient_cta(),), screenshot=shot)
    pixels = screenshot_pixels(painted, tmp_path)
    assert pixels.shape == (120, 400, 3)
    assert pixels[100, 290].tolist() != [255, 255, 255]  # the button's right end is there
    lower = capture("home", texts=(gradient_cta(box=(100, 150, 200, 40.5)),), screenshot=shot)
    assert screenshot_pixels(lower, tmp_path).shape == (191, 400, 3)
    plain = capture("home", texts=(gradient_cta(paint=None),), screenshot=shot)
    assert screenshot_pixels(plain, tmp_path) is None  # nothing to sample: nothing decoded


def test_sampling_reads_each_end_of_a_gradient_and_one_fill_otherwise():
    from checks.brand.palette import sample_sides

    pixels = np.zeros((40, 100, 3), dtype=np.uint8)
    pixels[:, :50] = (31, 79, 216)
    pixels[:, 50:] = (225, 29, 72)
    assert {side: color.hex for side, color in sample_sides(pixels, (0, 0, 100, 40)).items()} == {
        "left": "#1f4fd8", "right": "#e11d48"
    }
    pixels[:, 50:] = (31, 79, 216)
    assert {side: color.hex for side, color in sample_sides(pixels, (0, 0, 100, 40)).items()} == {"fill": "#1f4fd8"}


def test_a_colour_just_past_the_tolerance_is_called_borderline_and_says_its_element_type(tmp_path):
    brand = Brand(name="Northwind", colors={"primary": "#1F4FD8"}, color_tolerance=6)
    near, far = "#3d40ba", "#e11d48"  # ΔE 6.4 and ΔE 41 from primary
    findings, _ = run([capture("home", texts=(cta("Buy", near, "a.near"), cta("Sale", far, "a.far")))], tmp_path, brand)
    by_selector = {f.evidence[0].selector: f for f in findings if f.rule == "brand.color"}
    assert "borderline" in by_selector["a.near"].message and "(borderline)" in by_selector["a.near"].evidence[0].text
    assert "borderline" not in by_selector["a.far"].message
    assert by_selector["a.far"].evidence[0].text == "call to action #e11d48: Sale"


def test_a_sign_in_through_another_company_wears_its_colours_not_the_brands(tmp_path):
    brand = Brand(name="Northwind", colors=PALETTE)
    facebook = cta("Continue with Facebook", "#3b5999", "button.fb")
    google = cta("Sign in with Google", "#4285f4", "button.google")
    findings, _ = run([capture("signup", texts=(facebook, google))], tmp_path, brand)
    assert [f for f in findings if f.rule == "brand.color"] == []
    # the look-alike: the brand's own sign-up button in that blue is off the palette
    own = cta("Sign up free", "#3b5999", "button.signup")
    findings, _ = run([capture("signup", texts=(facebook, own))], tmp_path, brand)
    assert [(f.subject, f.evidence[0].selector) for f in findings if f.rule == "brand.color"] == [
        ("cta #3b5999", "button.signup")
    ]


def test_a_filled_table_band_is_a_bar_and_a_plain_body_cell_is_not(tmp_path):
    brand = Brand(name="Northwind", colors=PALETTE)
    band = TextBlock(text="Order summary", role="body", color="#ffffff", background="#7c3aed",
                     selector="table th", band="table-header")  # fmt: skip
    findings, _ = run([capture("mail", channel="email", texts=(band,))], tmp_path, brand)
    (finding,) = [f for f in findings if f.rule == "brand.color"]
    assert finding.subject == "bar #7c3aed" and finding.evidence[0].selector == "table th"
    # the look-alike: the same cell in no band (a body cell's background is no brand-bearing bar)
    findings, _ = run([capture("mail", channel="email", texts=(band.model_copy(update={"band": None}),))], tmp_path, brand)
    assert [f for f in findings if f.rule == "brand.color"] == []


def test_an_outline_button_is_judged_by_its_text_not_by_the_colour_behind_it(tmp_path):
    brand = Brand(name="Northwind", colors=PALETTE)
    ghost = Link(href="https://shop.test/more", text="See more", button=True, transparent=True,
                 color="#1f4fd8", background="#e11d48", selector="a.button-outline")  # fmt: skip
    findings, _ = run([capture("home", links=(ghost,))], tmp_path, brand)
    assert [f for f in findings if f.rule == "brand.color"] == []  # its text is the primary; the pink is around it
    # the look-alike: a solid button filled with that pink
    findings, _ = run([capture("home", links=(ghost.model_copy(update={"transparent": False}),))], tmp_path, brand)
    (finding,) = [f for f in findings if f.rule == "brand.color"]
    assert finding.subject == "cta #e11d48" and finding.evidence[0].selector == "a.button-outline"
