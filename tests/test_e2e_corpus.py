"""End to end in Chromium: the checks over the real pages and emails of the shared corpus.

The journeys of tests/data/e2e run once, together, in one engine (a module fixture): the web
pages are served from 127.0.0.1 (`CORPUS_URL`), the emails read with `source: file` (`CORPUS`).
Each test asserts one journey's findings exactly, as (rule, touchpoint, subject), with why each
is right from the corpus's SOURCES.md. Offline, whatever the pages pull from CDNs fails: web
fonts, icon fonts, Font Awesome's script, hot-linked images. SOURCES.md lists which.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from onevoice.capture.web import capture_web
from onevoice.findings import Finding
from onevoice.loader import load_journeys
from onevoice.model import Touchpoint
from onevoice.outcome import JourneyResult
from onevoice.engine import Engine, RunSettings
from static_server import serve_folder

pytestmark = pytest.mark.browser

JOURNEYS = Path(__file__).parent / "data" / "e2e"
Identity = tuple[str, str, str | None]


@pytest.fixture(scope="module")
def results(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, JourneyResult]:
    """Every journey of tests/data/e2e, captured and judged, by file stem."""
    with serve_folder(corpus) as url:
        journeys, problems = load_journeys([str(JOURNEYS)], {"CORPUS": str(corpus), "CORPUS_URL": url})
        assert problems == []
        # Most of a capture's time is spent waiting for CDN requests to fail, not on the CPU.
        with Engine(tmp_path_factory.mktemp("corpus-run"), RunSettings(concurrency=8)) as engine:
            ran = engine.run(journeys)
    assert [capture.error for result in ran for capture in result.captures if capture.error] == []
    return {Path(result.file).stem: result for result in ran}


def identities(findings: tuple[Finding, ...]) -> set[Identity]:
    return {(finding.rule, touchpoint, finding.subject) for finding in findings for touchpoint in finding.touchpoints}


def each(rule: str, touchpoints: str, subjects: str) -> set[Identity]:
    """`rule` on every one of the space-separated touchpoints, for every one of the '|'-separated subjects."""
    return {(rule, tp, subject) for tp in touchpoints.split() for subject in subjects.split("|")}


def found(result: JourneyResult, rule: str, touchpoint: str, subject: str) -> Finding:
    (finding,) = [f for f in result.findings if (f.rule, f.subject) == (rule, subject) and touchpoint in f.touchpoints]
    return finding


def test_start_bootstrap_themes_at_desktop_and_phone_width(results: dict[str, JourneyResult]) -> None:
    result = results["start-bootstrap"]
    both = "{0}-desktop {0}-mobile".format
    assert identities(result.findings) == (
        # Landing page and Grayscale show their brand as a text wordmark (`.navbar-brand` "Start Bootstrap"),
        # the agency page its SVG wordmark, at both widths: no logo is missing or different.
        # No fonts declared: the touchpoints are compared. Each theme sets its own faces (agency
        # Montserrat / Roboto Slab, landing Lato, grayscale Nunito / Varela Round): three groups of
        # two touchpoints, a tie, so there is no reference and every touchpoint is named (computed
        # styles name the declared family even when the Google font itself does not load offline).
        each("brand.font", both("agency"), "montserrat|roboto slab")
        | each("brand.font", both("landing"), "lato")
        | each("brand.font", both("grayscale"), "nunito|varela round")
        # Every social link is a `#!` placeholder. Agency: footer and team icons (Twitter, Facebook,
        # LinkedIn); landing page: footer icons (facebook, twitter, instagram), drawn by Bootstrap
        # Icons, which does not load offline: zero-size links, but on the page, so broken and not
        # missing (one cause, one finding); grayscale: Twitter, Facebook, GitHub.
        | each("social.broken", both("agency"), "facebook|x|linkedin")
        | each("social.broken", both("landing"), "facebook|x|instagram")
        | each("social.broken", both("grayscale"), "facebook|x|github")
        # None of the three pages has Open Graph or Twitter card tags.
        | each("social.meta", f"{both('agency')} {both('landing')} {both('grayscale')}", "tags")
        # Template leftovers: every footer says "Copyright © Your Website 2023"; the agency's services
        # and team texts are lorem ipsum.
        | each("messaging.placeholder", f"{both('agency')} {both('landing')} {both('grayscale')}", "placeholder text")
        | each("messaging.placeholder", both("agency"), "lorem ipsum")
    )
    assert {f.severity for f in result.findings if f.rule in ("brand.font", "social.meta")} == {"warning"}
    # The agency's client logos (facebook.svg in `<a href="#!" aria-label="Facebook Logo">`) are
    # customers, not social links: its 4 facebook links are the footer's and the 3 team members'.
    facebook = found(result, "social.broken", "agency-desktop", "facebook")
    assert len(facebook.evidence) == 4
    assert all("#team" in e.selector or "footer" in e.selector for e in facebook.evidence)
    landing = found(result, "social.broken", "landing-mobile", "instagram")
    assert landing.actual == ["#!"] and landing.evidence[0].selector.startswith("body > footer")


def test_cerberus_in_three_layouts_and_two_widths_agrees_with_itself(results: dict[str, JourneyResult]) -> None:
    result = results["cerberus"]
    # The same copy in every layout and width: no claim, message or link differs. The only image
    # that could be a logo is the grey via.placeholder.com "alt_text" slot (a dead service, and
    # offline anyway): no logo. There are no social links and no brand declarations to break.
    # Its copy is pseudo-Latin ("Praesent laoreet malesuada cursus.") and its footer "Company Name, 123 Fake Street".
    everywhere = "responsive-desktop responsive-phone hybrid fluid"
    assert identities(result.findings) == (
        each("brand.logo_missing", everywhere, "logo") | each("messaging.placeholder", everywhere, "lorem ipsum|placeholder text")
    )
    assert {c.viewport[0] for c in result.captures} == {600, 390}  # email default width and the iPhone 13's


def test_awesome_inc_welcome_emails(results: dict[str, JourneyResult]) -> None:
    result = results["awesome-inc"]
    assert identities(result.findings) == (
        # Both logos are hot-linked from cloudfront.net and do not load offline.
        each("brand.logo_missing", "oxygen narrative", "logo")
        # No palette or fonts declared, two touchpoints that disagree: a tie, no reference, both named.
        # Oxygen's buttons are #ff6f6f, narrative's "Activate!" is #d84a38; it uses Oxygen, narrative Open Sans.
        | {("brand.color", "oxygen", "cta #ff6f6f"), ("brand.color", "narrative", "cta #d84a38")}
        | {("brand.font", "oxygen", "oxygen"), ("brand.font", "narrative", "open sans")}
        # The retired name: oxygen's body says "awesome co", narrative's headline "Welcome to Awesome Co".
        | each("messaging.forbidden", "oxygen narrative", "Awesome Co")
        # oxygen's twitter and facebook icons have href="" (its rss icon is no platform); narrative's
        # header icons (facebook, twitter, google+, linkedin) and footer text links are all `#`.
        | each("social.broken", "oxygen", "facebook|x")
        | each("social.broken", "narrative", "facebook|x|googleplus|linkedin")
        # Narrative, the only other touchpoint, links linkedin and google+ (if only as placeholders):
        # the brand uses them, and oxygen has no link to either.
        | each("social.missing", "oxygen", "linkedin|googleplus")
    )
    assert "did not load" in found(result, "brand.logo_missing", "oxygen", "logo").message
    color = found(result, "brand.color", "narrative", "cta #d84a38")
    assert color.evidence[0].text == "call to action #d84a38: Activate!"
    assert color.expected is None and "(there is none: #ff6f6f on oxygen; #d84a38 on narrative)" in color.message


def test_elise_placeholder_links_to_declared_accounts_are_broken_not_missing(results: dict[str, JourneyResult]) -> None:
    result = results["elise"]
    # "Elise", the brand's name at the top in Playfair Display, is its wordmark: no logo is missing.
    # The Twitter, Facebook and Instagram icons (local images with proper alt texts) all link `#`:
    # one finding each, social.broken, not also social.missing. The CTAs' pink #ffc0d0 is the palette.
    assert identities(result.findings) == each("social.broken", "sale-email", "facebook|x|instagram")


def test_mailgun_legacy_twitter_link_is_the_declared_x_account(results: dict[str, JourneyResult]) -> None:
    result = results["mailgun"]
    # http://twitter.com/mail_gun is https://x.com/Mail_Gun after normalisation: no social finding.
    # The email has no image at all, so no logo, and the brand declares none: a warning for the journey.
    assert identities(result.findings) == {("brand.logo_missing", "confirm-email", "logo")}
    assert found(result, "brand.logo_missing", "confirm-email", "logo").severity == "warning"
    (social,) = [m for m in result.matrices if m.id == "social"]
    assert social.cells["x"]["confirm-email"].status == "ok"


def test_paste_shows_an_unreplaced_merge_tag(results: dict[str, JourneyResult]) -> None:
    result = results["paste"]
    # "[type_of_action]" appears twice in one paragraph: one finding, quoting it, boxing that paragraph.
    # Its logo is a local image (the grey "P" mark) linked to sendgrid.com; no social links at all.
    assert identities(result.findings) == {("messaging.placeholder", "welcome-email", "merge tag")}
    finding = found(result, "messaging.placeholder", "welcome-email", "merge tag")
    assert finding.actual == ["[type_of_action]"]
    (evidence,) = finding.evidence
    assert evidence.selector.endswith("> p") and evidence.text == "[type_of_action]" and evidence.box


def test_tailwind_landing_page_at_desktop_and_phone_width(results: dict[str, JourneyResult]) -> None:
    result = results["tailwind-landing"]
    # One page at two widths: same headline, same logo (the inline SVG airplane), same claims. The
    # footer's "Social" column links Facebook, Linkedin and Twitter as text, all `#`; no sharing tags.
    assert identities(result.findings) == (
        each("social.broken", "landing-desktop landing-phone", "facebook|x|linkedin")
        | each("social.meta", "landing-desktop landing-phone", "tags")
        | each("messaging.placeholder", "landing-desktop landing-phone", "lorem ipsum")  # its feature texts
        # Offline its Tailwind stylesheet does not load: the buttons keep the browser's Arial while the
        # body's inline style names Source Sans Pro, a font no other text of the page is set in.
        | each("brand.font", "landing-desktop landing-phone", "form control arial")
    )


ICON_LINKS = """<!doctype html><title>Icons</title>
<p>Follow us</p>
<ul style="list-style: none">
  <li style="display: inline-block"><a id="drawn-by-a-font" href="https://www.facebook.com/brand"><i class="bi-facebook"></i></a></li>
</ul>
<div style="display: none"><a id="in-a-closed-menu" href="https://x.com/brand"><i class="bi-twitter"></i></a></div>
<a id="empty" href="https://www.instagram.com/brand"></a>
"""


def test_a_link_drawn_by_an_icon_font_that_did_not_load_is_on_the_page(
    loop, browser, playwright, tmp_path: Path
) -> None:
    # As on the Start Bootstrap landing page offline: the icon font's stylesheet is not there, so
    # the link has no size. It still stands in the page (like a broken image), unlike a link in a
    # closed menu or an empty link with no icon at all.
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "icons.html").write_text(ICON_LINKS, encoding="utf-8")
    touchpoint = Touchpoint(id="icons", url="icons.html")
    with serve_folder(tmp_path / "site") as url:
        capture = loop.run(
            capture_web(browser, touchpoint, url + "icons.html", devices=dict(playwright.devices),
                        artifacts=tmp_path, folder="icons")  # fmt: skip
        )
    visible = {link.selector: link.visible for link in capture.links}
    assert visible == {"#drawn-by-a-font": True, "#in-a-closed-menu": False, "#empty": False}
    (drawn,) = [link for link in capture.links if link.visible]
    assert drawn.box is None and drawn.hints == ("bi-facebook",)


def test_images_of_the_corpus_give_no_finding_and_only_text_a_person_sees(results: dict[str, JourneyResult]) -> None:
    """Noise (SPEC.md 2c): every journey reads its images (`image_text: auto`, the default), and the
    corpus's images are photographs, illustrations and icons. Tesseract reads stray glyphs in some
    of them ('iv', '5', 'Ap' in the agency portfolio and team photos, 'tele', 'style', 'ome' in the
    landing page's showcase photos, at 0.5-0.84): none makes a legible line
    (onevoice.capture.ocr.legible), so none reaches the captures. Text the page draws over a
    background image (the agency navbar's 'Start Bootstrap', the landing page's headings over its
    masthead) is the page's own and is not read twice, and so is what the browser draws in a form
    field over a photo (the landing page's 'Email Address' and grayscale's 'Enter email address...'
    placeholders)."""
    read = {
        block.text
        for result in results.values()
        for capture in result.captures
        for block in capture.texts
        if block.from_image
    }
    assert read == set(), read
    assert [f.rule for r in results.values() for f in r.findings if any(e.from_image for e in f.evidence)] == []
