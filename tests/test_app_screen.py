"""App screens as facts: the real Android screens of the shared corpus, and generated iOS and Maestro ones.

Each corpus screen asserts what a person sees on it (SOURCES.md of corpus/app describes them),
with the quirk it brings: nodes scrolled away, a dialog whose hierarchy holds only itself, a
drawer whose hierarchy holds the page it covers, an image-only wordmark, a root smaller than
the screenshot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image as PILImage

from onevoice.capture.app.capture import capture_saved_screen
from onevoice.capture.app.hierarchy import HierarchyError, parse_hierarchy
from onevoice.capture.app.screen import ScreenFacts, screen_facts, screen_scale
from onevoice.colors import Rgb, distance
from onevoice.model import AppSource, Touchpoint
from checks.social.links import social_links

DATA = Path(__file__).parent / "data" / "app"
APP_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "app" / "uiautomator"


def corpus_screen(name: str, tmp_path: Path) -> tuple[ScreenFacts, PILImage.Image]:
    if not APP_CORPUS.is_dir():
        pytest.skip(f"the app screens of the shared corpus are absent (expected {APP_CORPUS})")
    shot = next(path for path in APP_CORPUS.glob(f"{name}.*") if path.suffix != ".xml")
    screenshot = PILImage.open(shot)
    hierarchy = parse_hierarchy((APP_CORPUS / f"{name}.xml").read_bytes())
    assert hierarchy.format == "uiautomator2"
    return screen_facts(hierarchy, screenshot), screenshot


def texts(facts: ScreenFacts) -> list[str]:
    return [block.text for block in facts.texts]


def near(color: str | None, expected: str, tolerance: float = 8) -> bool:
    return color is not None and distance(Rgb.parse(color), Rgb.parse(expected)) <= tolerance


def test_carousel_page_scrolled_away_is_not_seen(tmp_path):
    facts, _ = corpus_screen("yelp-2017-08-11_202334", tmp_path)
    shown = texts(facts)
    assert "Search for nearby restaurants, shops, and services." in shown
    assert "Read millions of reviews written by a community of local experts." not in shown  # page 2, off screen
    assert {"Continue with Facebook", "Log In", "I'm New"} <= set(shown)


def test_social_sign_in_button_is_not_a_social_link(tmp_path):
    facts, _ = corpus_screen("yelp-2017-08-11_202334", tmp_path)
    assert any(link.text == "Continue with Facebook" for link in facts.links)
    assert social_links(facts.links) == ()
    facts, _ = corpus_screen("yelp-2017-08-11_202339", tmp_path)
    assert social_links(facts.links) == ()  # "Sign up with Google", "Sign up with Facebook"


def test_image_only_wordmark_is_a_cropped_logo_candidate(tmp_path):
    corpus_screen("yelp-2017-08-11_202329", tmp_path)
    name = "yelp-2017-08-11_202329"
    touchpoint = Touchpoint(id="splash", channel="app", app=AppSource(
        source="files", screenshot=str(APP_CORPUS / f"{name}.jpg"), hierarchy=str(APP_CORPUS / f"{name}.xml")))
    capture = capture_saved_screen(touchpoint, artifacts=tmp_path, folder="yelp")
    assert (capture.channel, capture.screenshot, capture.viewport) == ("app", "screens/yelp/splash.jpg", (1440, 2560))
    assert not capture.fonts_measured
    logo = next(image for image in capture.images if image.selector == "id=com.yelp.android:id/yelp_logo")
    assert logo.box == (566, 252, 308, 154)
    assert logo.logo_hint and "logo" in logo.logo_hint
    with PILImage.open(tmp_path / logo.crop) as crop:
        assert crop.size == (308, 154)
    illustration = next(image for image in capture.images if image.selector == "id=com.yelp.android:id/image")
    assert illustration.crop is None  # as tall as an illustration, unnamed: not a logo candidate
    assert "Enable Background Location Access" in [block.text for block in capture.texts]


def test_buttons_take_their_colours_from_the_screenshot(tmp_path):
    facts, _ = corpus_screen("yelp-2017-08-11_202334", tmp_path)
    facebook = next(block for block in facts.texts if block.text == "Continue with Facebook")
    assert facebook.role == "cta"
    assert near(facebook.background, "#3b5998", 10)  # Facebook blue
    assert near(facebook.color, "#ffffff", 10)
    new = next(block for block in facts.texts if block.text == "I'm New")
    assert near(new.background, "#0097ec", 12)


def test_app_bar_and_bottom_navigation_are_bars_with_their_colours(tmp_path):
    facts, _ = corpus_screen("yelp-2017-08-11_202339", tmp_path)
    title = next(block for block in facts.texts if block.text == "Sign Up for Yelp")
    assert (title.region, title.role) == ("header", "heading")
    assert near(title.background, "#d32323", 12)  # Yelp red app bar
    facts, _ = corpus_screen("yelp-2017-08-11_202533", tmp_path)
    tabs = [block for block in facts.texts if block.region == "nav"]
    assert [block.text for block in tabs] == ["Nearby", "Search", "Me", "Activity", "Bookmarks"]
    assert all(near(block.background, "#ffffff", 10) for block in tabs)


def test_offer_in_text_beside_an_illustration_and_cards_below_the_fold(tmp_path):
    facts, _ = corpus_screen("yelp-2017-08-11_202533", tmp_path)
    shown = texts(facts)
    assert "Give $5, Get $5 Off" in shown
    assert "Get $5 off when your friends place their first order on Yelp." in shown
    assert all(block.box[1] + block.box[3] <= 2560 for block in facts.texts)


def test_drawer_hides_the_page_it_covers(tmp_path):
    facts, _ = corpus_screen("yelp-2017-08-11_202631", tmp_path)
    shown = texts(facts)
    assert {"Yelp Cash Back", "NEW", "Write a Review", "Recently Viewed"} <= set(shown)
    assert not any(text.startswith("Bookmarks are a great way") for text in shown)  # the page behind the drawer
    assert "The Local Yelp" not in shown  # below the drawer's fold
    # The page's tab bar shows right of the drawer (dimmed), only that tab.
    assert [block.box[0] for block in facts.texts if block.text == "Bookmarks"] == [1152, 0]


def test_listing_screen_reads_contact_details(tmp_path):
    facts, _ = corpus_screen("yelp-2017-08-11_202619", tmp_path)
    shown = texts(facts)
    assert {"Hair by G & E", "34 Reviews", "288 Morewood Ave, Pittsburgh, PA 15213", "Call (412) 621-1926"} <= set(shown)


def test_scrolled_away_agreement_text_is_not_seen(tmp_path):
    facts, screenshot = corpus_screen("paypal-2016-07-15_221858", tmp_path)
    hierarchy = parse_hierarchy((APP_CORPUS / "paypal-2016-07-15_221858.xml").read_bytes())
    assert screen_scale(hierarchy, screenshot.size) == 1.0  # the root leaves out the navigation bar
    assert len(facts.texts) == 14
    assert "www.paypal.com" in texts(facts) and "Uninstall" in texts(facts)


def test_dialog_hierarchy_keeps_screen_pixels(tmp_path):
    facts, screenshot = corpus_screen("paypal-2016-07-15_214744", tmp_path)
    hierarchy = parse_hierarchy((APP_CORPUS / "paypal-2016-07-15_214744.xml").read_bytes())
    assert screen_scale(hierarchy, screenshot.size) == 1.0
    assert texts(facts) == ["By tapping \"Agree\" you agree to PayPal's terms of service.", "View Terms", "Agree"]
    agree = next(block for block in facts.texts if block.text == "Agree")
    assert agree.box == (566, 945, 439, 144)


# ---------------------------------------------------------------- generated screens (tests/data/app/make.py)


def generated(name: str, hierarchy_suffix: str, tmp_path: Path) -> ScreenFacts:
    hierarchy = parse_hierarchy((DATA / f"{name}{hierarchy_suffix}").read_bytes())
    return screen_facts(hierarchy, PILImage.open(DATA / f"{name}.png"))


def test_xcuitest_points_scale_to_screenshot_pixels(tmp_path):
    hierarchy = parse_hierarchy((DATA / "ios-home.xml").read_bytes())
    assert (hierarchy.format, hierarchy.width) == ("xcuitest", 320)
    facts = generated("ios-home", ".xml", tmp_path)
    title = next(block for block in facts.texts if block.text == "Quillory")
    assert (title.region, title.box) == ("header", (0, 40, 640, 88))  # the navigation bar, in pixels (@2x)
    assert near(title.background, "#1f4fd8")
    cta = next(block for block in facts.texts if block.text == "Start free trial")
    assert cta.role == "cta" and near(cta.background, "#ffb400")
    assert "Hidden promo" not in texts(facts)  # visible="false"
    assert "Below the fold" not in texts(facts)  # outside the screen
    assert texts(facts).count("Start free trial") == 1  # the button's label and its static text are one
    logo = next(image for image in facts.images if image.logo_hint)
    assert logo.box == (40, 200, 200, 80)
    (account,) = [link.href for link in facts.links if "instagram" in link.href]
    assert account == "https://www.instagram.com/quillory"
    assert {link.platform for link in social_links(facts.links)} == {"instagram", "facebook"}


def test_xcuitest_alert_hides_what_it_covers(tmp_path):
    facts = generated("ios-alert", ".xml", tmp_path)
    shown = texts(facts)
    assert "Allow notifications?" in shown
    assert "Covered text" not in shown
    assert "Quillory" in shown  # the navigation bar above the alert stays seen


def test_maestro_hierarchy(tmp_path):
    hierarchy = parse_hierarchy((DATA / "maestro-offer.json").read_bytes())
    assert hierarchy.format == "maestro"
    facts = generated("maestro-offer", ".json", tmp_path)
    shown = texts(facts)
    assert "20% off your first order" in shown
    assert "Claim offer" in shown
    assert "Scrolled away" not in shown
    claim = next(block for block in facts.texts if block.text == "Claim offer")
    assert claim.role == "cta" and near(claim.background, "#1f4fd8")
    assert claim.selector == "id=com.quillory:id/claim"


def test_raw_uiautomator_dump_is_recognised():
    dump = b"""<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0">
    <node index="0" text="Hello" resource-id="" class="android.widget.TextView" content-desc="" clickable="false"
     bounds="[0,0][100,50]" /></hierarchy>"""
    hierarchy = parse_hierarchy(dump)
    assert hierarchy.format == "uiautomator"
    assert [node.text for node in hierarchy.root.walk() if node.text] == ["Hello"]


@pytest.mark.parametrize(
    "content, says",
    [
        (b"", "empty"),
        (b"hello", "neither XML nor JSON"),
        (b"<hierarchy><node", "not well-formed XML"),
        (b"<html><body/></html>", "root <html>"),
        (b'{"views": []}', "no 'attributes' or 'children'"),
        (b'{"children": [1]}', "not an object"),
        (b"<hierarchy>" + b"<node>" * 300 + b"</node>" * 300 + b"</hierarchy>", "more than 200 levels deep"),
        (b'{"children": [' * 300 + b"{}" + b"]}" * 300, "more than 200 levels deep"),
        (b"[" * 100000 + b"]" * 100000, "levels deep|no 'attributes'"),
    ],
)
def test_unknown_or_broken_hierarchies_say_what_is_wrong(content, says):
    with pytest.raises(HierarchyError, match=says):
        parse_hierarchy(content)


def test_a_screenshot_smaller_than_the_hierarchy_scales_the_boxes(tmp_path):
    facts, screenshot = corpus_screen("yelp-2017-08-11_202339", tmp_path)
    half = screenshot.resize((720, 1280))
    hierarchy = parse_hierarchy((APP_CORPUS / "yelp-2017-08-11_202339.xml").read_bytes())
    assert screen_scale(hierarchy, half.size) == 0.5
    scaled = screen_facts(hierarchy, half)
    title = next(block for block in scaled.texts if block.text == "Sign Up for Yelp")
    assert title.box == (105, 67.5, 250.5, 46.5)  # [210,135][711,228] in the hierarchy
    assert near(title.background, "#d32323", 12)
    assert texts(scaled) == texts(facts)
