"""The social check family (checks.social) on hand-built captures, corpus captures and a real
loopback HTTP server. No browser: checks only read captures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from pydantic import ValidationError

from checks.social.check import SocialCheck, SocialOptions
from onevoice.facts import Capture, Link, Meta
from onevoice.extract import extract_page
from onevoice.findings import CheckResult, Finding
from onevoice.model import Brand, Journey, Touchpoint
from onevoice.registry import CheckContext

NORTHWIND = Brand(
    name="Northwind",
    social={
        "facebook": "https://www.facebook.com/northwind",
        "twitter": "https://twitter.com/northwind",  # the legacy key and host: the x account
        "instagram": "https://www.instagram.com/northwind",
    },
)
GOOD_META = Meta(
    og={"title": "Spring sale", "image": "https://northwind.test/og.png", "site_name": "Northwind"},
    twitter={"card": "summary_large_image", "site": "@Northwind"},
)


def social(href: str, *, raw: str | None = None, hints: tuple[str, ...] = (), visible: bool = True) -> Link:
    return Link(href=href, raw_href=href if raw is None else raw, hints=hints, visible=visible,
                selector=f"footer a[href='{raw or href}']", box=(10, 900, 24, 24), region="footer")  # fmt: skip


def capture(tp: str, *links: Link, channel: str = "web", meta: Meta = GOOD_META, error: str | None = None) -> Capture:
    return Capture(touchpoint=tp, channel=channel, device="Desktop Chrome", links=links, meta=meta, error=error)  # type: ignore[arg-type]


def run(*captures: Capture, brand: Brand | None = NORTHWIND, **options: object) -> CheckResult:
    touchpoints = tuple(Touchpoint(id=c.touchpoint, url="/") for c in captures)
    context = CheckContext(
        journey=Journey(name="social test", touchpoints=touchpoints),
        brand=brand,
        messages=(),
        captures={c.touchpoint: c for c in captures},
        options=SocialOptions.model_validate(options),
    )
    return SocialCheck().run(context)


def rules(result: CheckResult, rule_prefix: str = "social.") -> set[tuple[str, str, str]]:
    """(rule, touchpoint, subject) of every finding, the meta ones left out unless asked for."""
    return {
        (f.rule, tp, f.subject)
        for f in result.findings
        if f.rule.startswith(rule_prefix) and (rule_prefix == "social.meta" or f.rule != "social.meta")
        for tp in f.touchpoints
    }


def the(result: CheckResult, rule: str) -> Finding:
    (finding,) = [f for f in result.findings if f.rule == rule]
    return finding


FULL_ROW = (
    social("https://www.facebook.com/northwind"),
    social("https://x.com/northwind"),
    social("https://www.instagram.com/northwind"),
)


def test_the_check_is_registered_under_its_entry_point() -> None:
    (entry,) = [e for e in entry_points(group="onevoice.checks") if e.name == "social"]
    check = entry.load()
    assert check is SocialCheck and check.name == "social"
    assert set(check.rules) == {"social.missing", "social.mismatch", "social.broken", "social.meta"}


def test_normalised_variants_of_the_declared_accounts_raise_nothing() -> None:
    # Other hosts, case, trailing slashes, tracking parameters and twitter.com for x: all the same accounts.
    mobile = capture(
        "home-mobile",
        social("https://m.facebook.com/NorthWind/?fbclid=abc"),
        social("http://twitter.com/Northwind?ref_src=twsrc"),
        social("https://instagram.com/northwind/?igshid=xyz&utm_source=ig"),
    )
    result = run(capture("home-desktop", *FULL_ROW), mobile)
    assert result.findings == ()
    (matrix,) = result.matrices
    assert matrix.id == "social" and matrix.rows == ("facebook", "x", "instagram")
    assert matrix.expected["x"] == "https://x.com/northwind"
    assert {cell.status for row in matrix.cells.values() for cell in row.values()} == {"ok"}
    assert matrix.cells["x"]["home-mobile"].value == "https://x.com/northwind"


def test_a_missing_platform_is_missing_on_that_touchpoint_only() -> None:
    email = capture("welcome-email", *FULL_ROW[:2], channel="email")
    result = run(capture("home", *FULL_ROW), email)
    assert rules(result) == {("social.missing", "welcome-email", "instagram")}
    finding = the(result, "social.missing")
    assert finding.expected == "https://www.instagram.com/northwind"
    assert finding.message == "welcome-email links to no instagram account"
    # the evidence also points at where the account is linked
    assert [e.touchpoint for e in finding.evidence] == ["welcome-email", "home"]
    assert result.matrices[0].cells["instagram"]["welcome-email"].status == "missing"


def test_a_missing_platform_points_at_the_row_of_social_links_it_is_missing_from() -> None:
    header = Link(href="https://x.com/northwind", raw_href="https://x.com/northwind", selector="header a",
                  box=(500, 10, 24, 24), region="header")  # fmt: skip
    footer = (
        social("https://www.facebook.com/northwind").model_copy(update={"box": (10, 900, 24, 24)}),
        social("https://x.com/northwind").model_copy(update={"box": (40, 900, 24, 24)}),
    )
    finding = the(run(capture("home", *FULL_ROW), capture("email", header, *footer)), "social.missing")
    row = finding.evidence[0]
    assert row.touchpoint == "email" and row.text == "no instagram link among these"
    assert row.box == (10, 900, 54, 24)  # the footer row, where most of its social links are; not the header
    assert row.selector == "footer a[href='https://www.facebook.com/northwind'], footer a[href='https://x.com/northwind']"


def test_another_account_is_a_mismatch_not_missing() -> None:
    page = capture("home", FULL_ROW[0], social("https://x.com/northwind_old"), FULL_ROW[2])
    result = run(page)
    assert rules(result) == {("social.mismatch", "home", "x")}
    finding = the(result, "social.mismatch")
    assert finding.actual == ["https://x.com/northwind_old"] and finding.expected == "https://x.com/northwind"
    assert finding.evidence[0].selector == "footer a[href='https://x.com/northwind_old']"
    assert finding.evidence[0].box == (10, 900, 24, 24)
    assert result.matrices[0].cells["x"]["home"].status == "other"


def test_staff_profiles_beside_the_brand_account_are_no_mismatch() -> None:
    page = capture("about", *FULL_ROW, social("https://x.com/jane_at_northwind"))
    assert rules(run(page)) == set()


def test_a_platform_whose_only_link_is_broken_is_broken_not_missing() -> None:
    page = capture(
        "home",
        FULL_ROW[0],
        social("http://127.0.0.1:9/#", raw="#", hints=("Twitter", "fa-twitter")),
        FULL_ROW[2],
    )
    result = run(page)
    assert rules(result) == {("social.broken", "home", "x")}
    finding = the(result, "social.broken")
    assert finding.actual == ["#"] and "placeholder" in finding.message
    assert finding.evidence[0].selector == "footer a[href='#']"
    assert result.matrices[0].cells["x"]["home"].status == "broken"


def test_share_buttons_do_not_count_as_profile_links() -> None:
    page = capture(
        "article",
        FULL_ROW[0],
        FULL_ROW[1],
        social("https://www.facebook.com/sharer/sharer.php?u=x"),
        social("https://twitter.com/intent/tweet?text=x"),
        social("https://pinterest.com/pin/create/button/?url=x"),
    )
    result = run(page)
    assert rules(result) == {("social.missing", "article", "instagram")}
    assert "pinterest" not in result.matrices[0].rows


def test_a_hidden_link_is_missing() -> None:
    mobile = capture("home-mobile", *FULL_ROW[:2], social("https://www.instagram.com/northwind", visible=False))
    result = run(capture("home-desktop", *FULL_ROW), mobile)
    assert rules(result) == {("social.missing", "home-mobile", "instagram")}
    assert "hidden" in the(result, "social.missing").message
    assert result.matrices[0].cells["instagram"]["home-mobile"].detail == "only hidden links"


def test_required_option_adds_platforms_and_rejects_unknown_ones() -> None:
    result = run(capture("home", *FULL_ROW), required=["linkedin", "Twitter"])
    assert rules(result) == {("social.missing", "home", "linkedin")}
    assert SocialOptions(required=("twitter", "x")).required == ("x",)
    with pytest.raises(ValidationError, match="unknown platform 'myspace'"):
        SocialOptions.model_validate({"required": ["myspace"]})
    with pytest.raises(ValidationError):
        SocialOptions.model_validate({"reachable": True})  # a typo is an error, not ignored


def test_without_declarations_the_touchpoints_are_compared_with_each_other() -> None:
    fb, other_fb = social("https://www.facebook.com/northwind"), social("https://www.facebook.com/northwind.uk")
    x, yt = social("https://x.com/northwind"), social("https://www.youtube.com/@northwind")
    result = run(
        capture("a", fb, x, yt),
        capture("b", fb, x),
        capture("c", other_fb),  # the odd one out: another facebook account, and no x
        brand=None,
    )
    # x is linked by both others (a majority): missing on c; youtube only by one of two others: not used.
    assert rules(result) == {("social.mismatch", "c", "facebook"), ("social.missing", "c", "x")}
    assert the(result, "social.mismatch").expected == "https://www.facebook.com/northwind"
    assert (the(result, "social.missing").evidence[-1].touchpoint, the(result, "social.missing").evidence[-1].text) == (
        "a", "linked here"
    )  # the first touchpoint that links x
    matrix = result.matrices[0]
    assert matrix.rows == ("facebook", "x", "youtube")
    assert matrix.cells["youtube"]["b"].status == "missing"


def test_without_declarations_a_tie_between_accounts_names_every_touchpoint() -> None:
    fb, other_fb = social("https://www.facebook.com/northwind"), social("https://www.facebook.com/northwind.uk")
    result = run(capture("a", fb), capture("b", other_fb), brand=None)
    # one touchpoint each: no account is linked by most, so neither is the reference and both are named
    assert rules(result) == {("social.mismatch", "a", "facebook"), ("social.mismatch", "b", "facebook")}
    mismatch = [f for f in result.findings if f.touchpoints == ("b",)][0]
    assert mismatch.expected is None
    assert mismatch.message == (
        "b links facebook account https://www.facebook.com/northwind.uk, not the facebook account most touchpoints "
        "share (there is none: https://www.facebook.com/northwind on a; https://www.facebook.com/northwind.uk on b)"
    )
    assert {tp: cell.status for tp, cell in result.matrices[0].cells["facebook"].items()} == {"a": "other", "b": "other"}


def test_same_as_declares_accounts_but_is_not_a_visible_link() -> None:
    meta = GOOD_META.model_copy(update={"same_as": ("https://www.facebook.com/northwind-archive",)})
    result = run(capture("home", FULL_ROW[1], FULL_ROW[2], meta=meta))
    # JSON-LD names another facebook account (mismatch) and no facebook link is visible (missing).
    assert rules(result) == {("social.mismatch", "home", "facebook"), ("social.missing", "home", "facebook")}
    assert the(result, "social.mismatch").evidence[-1].selector == 'script[type="application/ld+json"]'


def test_failed_captures_are_error_cells_and_judge_nothing() -> None:
    result = run(capture("home", *FULL_ROW), capture("signup", error="timed out"))
    assert rules(result) == set()
    assert result.matrices[0].cells["facebook"]["signup"].status == "error"


def test_a_declared_url_that_is_no_profile_is_an_actionable_error() -> None:
    brand = Brand(name="Northwind", social={"facebook": "https://www.facebook.com/sharer.php?u=x"})
    with pytest.raises(ValueError, match=r"social\.facebook: .* is not the address of a facebook account"):
        run(capture("home"), brand=brand)


# ---------------------------------------------------------------- social.meta


def test_meta_tags_missing_or_naming_another_brand() -> None:
    bare = capture("landing", *FULL_ROW, meta=Meta(og={"title": "Spring sale"}))
    other = Meta(
        og={"title": "Sale", "image": "https://northwind.test/og.png", "site_name": "Southwind Shop"},
        twitter={"card": "summary", "site": "@southwind"},
    )
    result = run(capture("home", *FULL_ROW), bare, capture("offer", *FULL_ROW, meta=other))
    assert rules(result, "social.meta") == {
        ("social.meta", "landing", "tags"),
        ("social.meta", "offer", "og:site_name"),
        ("social.meta", "offer", "twitter:site"),
    }
    tags = next(f for f in result.findings if f.subject == "tags")
    assert tags.expected == ["og:image", "twitter:card"] and tags.severity == "warning"


def test_meta_look_alikes_pass_and_emails_are_not_meta_checked() -> None:
    # "Northwind | Spring" names the brand; the x handle given as a twitter.com URL is the same account.
    alike = Meta(
        og={"title": "Sale", "image": "https://northwind.test/og.png", "site_name": "Northwind | Spring"},
        twitter={"card": "summary", "site": "https://twitter.com/NorthWind"},
    )
    result = run(capture("home", *FULL_ROW, meta=alike), capture("email", *FULL_ROW, channel="email", meta=Meta()))
    assert result.findings == ()


# ---------------------------------------------------------------- reachability


class _Server(ThreadingHTTPServer):
    requests: list[tuple[str, str]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        self.server.requests.append((self.command, self.path))
        self.send_response(404 if self.path.startswith("/gone") else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_loopback_social_links_answering_404_are_broken(loopback: _Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUN_ID", f"test-{id(loopback)}")
    base = f"http://127.0.0.1:{loopback.server_address[1]}"
    # A demo site's social row pointing at local stand-ins: the platform is in the icon classes.
    row = (
        social(f"{base}/social/facebook", hints=("fa-facebook",)),
        social(f"{base}/gone/twitter", hints=("fa-twitter",)),
    )
    result = run(capture("home", *row), capture("home-mobile", *row), brand=None)
    assert rules(result) == {("social.broken", "home", "x"), ("social.broken", "home-mobile", "x")}
    assert all("answers HTTP 404" in f.message for f in result.findings)
    # each URL is asked once per run: HEAD, then GET because HEAD failed; the working one only HEAD
    assert sorted(loopback.requests) == [("GET", "/gone/twitter"), ("HEAD", "/gone/twitter"), ("HEAD", "/social/facebook")]
    run(capture("again", *row), brand=None)
    assert len(loopback.requests) == 3


# ---------------------------------------------------------------- the corpus


def corpus_capture(corpus: Path, path: str, tp: str, channel: str = "email") -> Capture:
    facts = extract_page((corpus / path).read_text(encoding="utf-8"), "http://127.0.0.1:8000/")
    return Capture(touchpoint=tp, channel=channel, device="Desktop Chrome", links=facts.links, meta=facts.meta)  # type: ignore[arg-type]


def test_corpus_mailgun_links_its_x_account(corpus: Path) -> None:
    mailgun = corpus_capture(corpus, "email-mailgun-action/action.html", "confirm")
    brand = Brand(name="Mailgun", social={"x": "https://x.com/Mail_Gun"})
    result = run(mailgun, brand=brand)
    # http://twitter.com/mail_gun is the declared x account: no finding at all.
    assert result.findings == ()
    assert result.matrices[0].cells["x"]["confirm"].value == "https://x.com/mail_gun"


def test_corpus_placeholder_icons_are_broken_with_their_platform(corpus: Path) -> None:
    emails = {
        "elise": "email-colorlib-elise/index.html",  # alt texts, href="#"
        "oxygen": "email-sendwithus-oxygen-welcome/welcome.html",  # alt texts, href=""
        "narrative": "email-sendwithus-narrative-welcome/welcome.html",  # icon file names only, href="#"
    }
    result = run(*(corpus_capture(corpus, path, tp) for tp, path in emails.items()), brand=None)
    # Every social link in these emails is a placeholder: only social.broken, one per platform and email.
    # No social.missing: each platform's links are broken, and one cause gives one finding.
    assert rules(result) == {
        ("social.broken", "elise", "x"),
        ("social.broken", "elise", "facebook"),
        ("social.broken", "elise", "instagram"),
        ("social.broken", "oxygen", "x"),
        ("social.broken", "oxygen", "facebook"),
        ("social.broken", "narrative", "facebook"),  # header icon and footer text link: one finding
        ("social.broken", "narrative", "x"),
        ("social.broken", "narrative", "googleplus"),
        ("social.broken", "narrative", "linkedin"),
    }
    narrative_facebook = next(f for f in result.findings if f.touchpoints == ("narrative",) and f.subject == "facebook")
    assert len(narrative_facebook.evidence) == 2


def test_corpus_agency_client_logos_are_not_social_links(corpus: Path) -> None:
    page = corpus_capture(corpus, "web-startbootstrap-agency/index.html", "agency", channel="web")
    assert any("Facebook Logo" in link.hints for link in page.links)  # the trap is there
    result = run(page, brand=None)
    broken = {f.subject: f for f in result.findings if f.rule == "social.broken"}
    # The footer and team rows (x, facebook, linkedin) are placeholders '#!'; the facebook client
    # logo in the "clients" strip sits among non-social logos, so it is no social link.
    assert set(broken) == {"x", "facebook", "linkedin"}
    assert len(broken["facebook"].evidence) == 4  # three team members and the footer, not the client logo
    assert all("#!" in (e.text or "") for e in broken["facebook"].evidence)
    # The page has no Open Graph or Twitter card tags.
    assert rules(result, "social.meta") == {("social.meta", "agency", "tags")}
