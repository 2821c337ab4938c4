"""The messaging check on hand-built captures, and on captures extracted from the corpus (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from checks.messaging.check import MessagingCheck, MessagingOptions, main_headline
from onevoice.facts import Capture, EmailInfo, Meta, TextBlock
from onevoice.findings import Cell, CheckResult, Finding
from onevoice.model import Brand, EmailSource, Journey, Message, Touchpoint
from onevoice.registry import CheckContext

PAGE = "http://127.0.0.1:8000/"
TAGLINE = "Launch campaigns your customers love"


def text(
    value: str, role: str = "body", visible: bool = True, level: int | None = None, selector: str = "p"
) -> TextBlock:
    return TextBlock(text=value, role=role, visible=visible, level=level, selector=selector, box=(0, 10, 100, 20))


def h1(value: str) -> TextBlock:
    return text(value, role="heading", level=1, selector="h1")


def web(tp: str, *texts: TextBlock, width: int = 1280, url: str = PAGE, meta: Meta | None = None) -> Capture:
    return Capture(
        touchpoint=tp, channel="web", device="", url=url, viewport=(width, 800), texts=texts, meta=meta or Meta()
    )


def email(tp: str, *texts: TextBlock, subject: str = "", preheader: str = "") -> Capture:
    info = EmailInfo(subject=subject, preheader=preheader)
    return Capture(touchpoint=tp, channel="email", device="", viewport=(600, 800), texts=texts, email=info)


def touchpoint(capture: Capture) -> Touchpoint:
    if capture.channel == "email":
        return Touchpoint(id=capture.touchpoint, channel="email", email=EmailSource(source="file", path="mail.eml"))
    return Touchpoint(id=capture.touchpoint, url=capture.url)


def run(
    *captures: Capture, messages: tuple[Message, ...] = (), brand: Brand | None = None, **options: object
) -> CheckResult:
    journey = Journey(name="test", touchpoints=tuple(touchpoint(c) for c in captures), messages=messages)
    context = CheckContext(
        journey=journey,
        brand=brand,
        messages=messages,
        captures={c.touchpoint: c for c in captures},
        options=MessagingOptions(**options),
    )
    return MessagingCheck().run(context)


def rules(result: CheckResult) -> list[tuple[str, tuple[str, ...], str]]:
    return [(f.rule, f.touchpoints, f.subject) for f in result.findings]


def matrix(result: CheckResult, matrix_id: str):
    return next(m for m in result.matrices if m.id == matrix_id)


def only(result: CheckResult) -> Finding:
    assert len(result.findings) == 1, rules(result)
    return result.findings[0]


TAG = (Message(id="tagline", text=TAGLINE),)


# declared messages -----------------------------------------------------------------------------


def test_a_message_written_with_typographic_punctuation_and_line_breaks_is_found() -> None:
    message = (Message(id="promise", text='It\'s fast - and "free"'),)
    page = web("home", text("It\u2019s\u00a0fast \u2014 and\n\u201cfree\u201d!"))
    result = run(page, messages=message)
    assert result.findings == ()
    assert matrix(result, "messages").cells["promise"]["home"].status == "ok"


def test_a_message_split_across_inline_markup_blocks_is_found() -> None:
    page = web("home", text("Launch campaigns", selector="p > b"), text("your customers love", selector="p"))
    result = run(page, messages=TAG)
    assert result.findings == ()
    assert matrix(result, "messages").cells["tagline"]["home"].value == "Launch campaigns your customers love"


def test_a_message_present_only_in_hidden_text_is_missing() -> None:
    page = web("home", text("Welcome"), text(TAGLINE, visible=False, selector=".promo"))
    finding = only(run(page, messages=TAG))
    assert (finding.rule, finding.touchpoints, finding.subject) == ("messaging.missing", ("home",), "tagline")
    assert "hidden" in finding.message and finding.evidence[0].selector == ".promo"
    assert matrix(run(page, messages=TAG), "messages").cells["tagline"]["home"].status == "hidden"


def test_a_missing_message_carries_its_own_severity() -> None:
    message = (Message(id="offer", text="20% off your first order", severity="warning"),)
    finding = only(run(web("home", text("Welcome to our shop")), messages=message))
    assert (finding.rule, finding.severity, finding.expected) == (
        "messaging.missing",
        "warning",
        "20% off your first order",
    )


def test_a_cut_tagline_on_mobile_is_a_mismatch_on_mobile_only() -> None:
    desktop = web("home-desktop", h1(TAGLINE))
    mobile = web("home-mobile", h1("Launch campaigns your"), width=390)
    result = run(desktop, mobile, messages=TAG)
    finding = only(result)  # the headline differs too, but that is the same cause: one finding
    assert (finding.rule, finding.touchpoints, finding.subject) == ("messaging.mismatch", ("home-mobile",), "tagline")
    assert finding.actual == "Launch campaigns your" and finding.evidence[0].selector == "h1"
    cell = matrix(result, "messages").cells["tagline"]
    assert cell["home-desktop"].status == "ok" and cell["home-mobile"].status == "reworded"
    assert "missing 'customers love'" in cell["home-mobile"].detail


def test_a_reworded_message_is_a_mismatch_that_says_what_was_found() -> None:
    finding = only(run(web("home", text("Launch campaigns that your customers will love.")), messages=TAG))
    assert finding.rule == "messaging.mismatch"
    assert finding.actual == "Launch campaigns that your customers will love."  # the block as written
    assert "adds 'that'" in finding.message
    inside = only(run(web("home", text("Welcome! Launch campaigns your clients love. Start now")), messages=TAG))
    assert inside.actual == "launch campaigns your clients love"  # part of a block: its normalised words


def test_an_email_subject_or_preheader_carries_a_message() -> None:
    result = run(
        email("welcome", text("Hello"), subject=f"{TAGLINE}!"),
        email("reminder", text("Hello again"), preheader=TAGLINE),
        messages=TAG,
    )
    assert result.findings == ()


def test_a_message_is_judged_only_on_the_touchpoints_it_names() -> None:
    message = (Message(id="tagline", text=TAGLINE, on=("home",)),)
    result = run(
        web("home", text(TAGLINE)), web("signup", text("Create your account"), url=PAGE + "signup"), messages=message
    )
    assert result.findings == ()
    assert set(matrix(result, "messages").cells["tagline"]) == {"home"}


def test_a_failed_capture_is_not_judged_but_shown_as_an_error() -> None:
    broken = Capture(touchpoint="offer", channel="web", device="", url=PAGE, error="net::ERR_CONNECTION_REFUSED")
    result = run(web("home", text(TAGLINE)), broken, messages=TAG)
    assert result.findings == ()
    assert matrix(result, "messages").cells["tagline"]["offer"].status == "error"


# headline parity -------------------------------------------------------------------------------


def test_a_different_headline_on_mobile_is_a_mismatch_on_mobile_only() -> None:
    desktop = web("home-desktop", text("Menu"), h1("Grow faster with Northwind"))
    mobile = web("home-mobile", text("Menu"), h1("Grow with us"), width=390, url=PAGE + "#top")
    (finding,) = [f for f in run(desktop, mobile).findings if f.rule != "messaging.placeholder"]  # "Your Website"
    assert (finding.rule, finding.touchpoints, finding.subject) == ("messaging.mismatch", ("home-mobile",), "headline")
    assert (finding.expected, finding.actual) == ("Grow faster with Northwind", "Grow with us")
    assert [e.touchpoint for e in finding.evidence] == ["home-mobile", "home-desktop"]


@pytest.mark.parametrize(
    "mobile_url, mobile_headline",
    [(PAGE, "grow faster with Northwind!"), (PAGE + "pricing", "Plans and pricing")],
)
def test_the_same_headline_or_another_page_is_no_headline_mismatch(mobile_url: str, mobile_headline: str) -> None:
    desktop = web("home-desktop", h1("Grow faster with Northwind"))
    mobile = web("home-mobile", h1(mobile_headline), width=390, url=mobile_url)
    assert run(desktop, mobile).findings == ()


def test_a_hidden_desktop_headline_on_mobile_does_not_count() -> None:
    desktop = web("d", h1("Grow faster with Northwind"))
    mobile = web("m", text("Grow faster with Northwind", role="heading", level=1, visible=False), width=390)
    finding = only(run(desktop, mobile))
    assert finding.actual is None and "no headline" in finding.message


def test_without_h1_the_top_ranked_heading_is_the_headline() -> None:
    page = web("p", text("Intro", role="heading", level=3), text("Our plans", role="heading", level=2))
    assert main_headline(page).text == "Our plans"


# claims ----------------------------------------------------------------------------------------


def test_a_different_offer_in_the_email_is_a_conflict() -> None:
    page = web("landing", text("20% off your first order"))
    mobile = web("landing-mobile", text("Get 20% off your first order"), width=390)
    mail = email("welcome", text("Save 25% on your first order!"))
    finding = only(run(page, mobile, mail))
    assert (finding.rule, finding.touchpoints, finding.subject) == (
        "messaging.conflict",
        ("welcome",),
        "percent: first order",
    )
    assert (finding.expected, finding.actual) == ("20%", {"welcome": "25%"})
    assert {e.touchpoint for e in finding.evidence} == {"landing", "landing-mobile", "welcome"}
    cells = matrix(run(page, mobile, mail), "claims").cells["percent: first order"]
    assert (cells["welcome"].status, cells["landing"].status) == ("other", "ok")


def test_two_touchpoints_disagreeing_with_nothing_declared_are_both_named() -> None:
    finding = only(
        run(web("landing", text("20% off your first order")), email("welcome", text("25% off your first order")))
    )
    assert finding.touchpoints == ("landing", "welcome") and finding.expected is None


def test_a_declared_value_decides_who_is_wrong_in_one_finding() -> None:
    offer = (Message(id="offer", text="20% off your first order", on=("landing",), severity="warning"),)
    result = run(
        web("landing", text("25% off your first order")),
        email("welcome", text("20% off your first order")),
        messages=offer,
    )
    # the landing page's reworded offer is the conflict, not also a mismatch
    finding = only(result)
    assert (finding.rule, finding.touchpoints, finding.severity) == ("messaging.conflict", ("landing",), "warning")
    assert matrix(result, "claims").expected["percent: first order"] == "20%"


def test_a_pricing_table_that_is_the_same_everywhere_is_no_conflict() -> None:
    table = [text("Basic $9/mo"), text("Pro $19/mo"), text("Team $49/mo")]
    loose = [text("$9/mo"), text("$19/mo"), text("$49/mo")]
    assert (
        run(
            web("d", *table),
            web("m", *table, width=390),
            web("d2", *loose, url=PAGE + "x"),
            web("m2", *loose, url=PAGE + "y"),
        ).findings
        == ()
    )


def test_part_of_the_values_is_no_conflict_but_a_new_value_is() -> None:
    dresses = [text("Dresses", role="heading", level=2), text("$80.00"), text("$100.00")]
    assert (
        run(web("shop", *dresses), email("welcome", text("Dresses", role="heading", level=2), text("$100"))).findings
        == ()
    )
    finding = only(
        run(web("shop", *dresses), web("shop-m", *dresses, width=390), email("welcome", dresses[0], text("$120.00")))
    )
    assert (finding.subject, finding.touchpoints, finding.expected) == ("price: dresses", ("welcome",), "$ 100, $ 80")


def test_claims_without_a_subject_are_tabled_not_judged() -> None:
    result = run(web("shop", text("$100.00")), email("welcome", text("$29.99")))
    assert result.findings == ()
    assert {tp: cell.value for tp, cell in matrix(result, "claims").cells["price"].items()} == {
        "shop": "$ 100",
        "welcome": "$ 29.99",
    }


def test_the_same_price_written_differently_is_no_conflict() -> None:
    assert run(web("d", text("Pro: $12.99/mo")), email("e", text("Pro: $12.99 per month"))).findings == ()


def test_different_promo_codes_and_deadlines_conflict() -> None:
    result = run(
        web("landing", text("Use code SPRING20 at checkout. Sale ends May 31.")),
        web("landing-m", text("Use code SPRING20 at checkout. Sale ends May 31, 2026."), width=390),
        email("welcome", text("Use code SPRING21 at checkout. Sale ends 31/05.")),
    )
    assert rules(result) == [("messaging.conflict", ("welcome",), "code: checkout")]


def test_one_day_written_in_different_forms_is_no_conflict() -> None:
    forms = ["Offer ends June 28.", "Offer ends 28 June 2026.", "Offer ends 2026-06-28.", "Offer ends 28/06.",
             "Offer ends Jun 28th.", "Offer ends Sunday."]  # fmt: skip
    captures = [web(f"p{i}", text(form), url=f"{PAGE}{i}") for i, form in enumerate(forms)]
    assert run(*captures).findings == ()
    assert rules(run(web("a", text("Offer ends Sunday.")), email("b", text("Offer ends 2026-06-29.")))) == [
        ("messaging.conflict", ("a", "b"), "date: offer")
    ]


def test_the_same_amount_with_a_multiplier_is_no_conflict_and_another_is() -> None:
    assert run(web("d", text("Raised $1.2k for the fund")), email("e", text("Raised $1,200 for the fund"))).findings == ()
    assert rules(run(web("d", text("Raised $50k for the fund")), email("e", text("Raised $50 for the fund")))) == [
        ("messaging.conflict", ("d", "e"), "price: fund")
    ]


def test_a_conflict_quotes_the_sentence_of_each_value_on_each_side() -> None:
    finding = only(
        run(
            web("landing", text("Welcome to spring. Get 20% off your first order! Free returns.")),
            email("welcome", text("Hi there. Get 25% off your first order today.")),
        )
    )
    assert {(e.touchpoint, e.text) for e in finding.evidence} == {
        ("landing", "Get 20% off your first order!"),
        ("welcome", "Get 25% off your first order today."),
    }


# forbidden phrases -----------------------------------------------------------------------------

BRAND = Brand(name="Northwind", forbidden=("Northwind Traders Ltd", "NW Mail"))


def test_a_forbidden_phrase_in_og_title_is_found() -> None:
    page = web("home", text("Welcome"), meta=Meta(title="Northwind", og={"title": "Northwind Traders Ltd \u2014 home"}))
    finding = only(run(page, brand=BRAND))
    assert (finding.rule, finding.touchpoints, finding.subject) == (
        "messaging.forbidden",
        ("home",),
        "Northwind Traders Ltd",
    )
    assert finding.evidence[0].selector == 'meta[property="og:title"]' and "og:title" in finding.message


def test_a_forbidden_phrase_in_an_email_subject_is_found() -> None:
    finding = only(run(email("welcome", text("Hello"), subject="Your nw\u00a0mail digest"), brand=BRAND))
    assert (finding.subject, "email subject" in finding.message) == ("NW Mail", True)


def test_hidden_text_and_parts_of_words_are_not_forbidden() -> None:
    page = web("home", text("NW Mail", visible=False), text("NW Mailbox"), meta=Meta(title="Northwind Traders"))
    assert run(page, brand=BRAND).findings == ()


# options, shapes -------------------------------------------------------------------------------


# template leftovers -----------------------------------------------------------------------------


def test_template_leftovers_in_text_subject_preheader_title_and_link_text_are_errors() -> None:
    mail = email(
        "welcome",
        text("Hi {{first_name}}, welcome aboard."),
        text("Manage *|LIST:NAME|* settings", role="cta", selector="a.button"),
        subject="Welcome, %%FirstName%%",
        preheader="Your account at [Product Name] is ready",
    )
    page = web("home", text("Lorem ipsum dolor sit amet."), meta=Meta(title="Home | Your Company, Inc."))
    result = run(mail, page)
    assert sorted(rules(result)) == [
        ("messaging.placeholder", ("home",), "lorem ipsum"),
        ("messaging.placeholder", ("home",), "placeholder text"),
        ("messaging.placeholder", ("welcome",), "merge tag"),
        ("messaging.placeholder", ("welcome",), "placeholder text"),
    ]
    tags = next(f for f in result.findings if f.subject == "merge tag")
    assert tags.severity == "error" and tags.actual == ["{{first_name}}", "*|LIST:NAME|*", "%%FirstName%%"]
    assert '"{{first_name}}"' in tags.message and "email subject" in tags.message
    # each leftover quoted, and boxed where its block is
    first = tags.evidence[0]
    assert (first.text, first.selector, first.box) == ("{{first_name}}", "p", (0, 10, 100, 20))


def test_leftovers_in_code_hidden_text_or_an_email_title_are_not_reported() -> None:
    sample = TextBlock(text="Write {{first_name}} to greet", role="body", selector="p", code=("{{first_name}}",))
    page = web("docs", sample, text("Lorem ipsum dolor sit amet.", visible=False))
    mail = Capture(
        touchpoint="mail", channel="email", device="", texts=(text("Welcome"),), meta=Meta(title="{{subject}}"),
        email=EmailInfo(subject="Welcome"),
    )  # fmt: skip
    assert run(page, mail).findings == ()


def test_a_leftover_declared_forbidden_is_reported_once_as_forbidden() -> None:
    page = web("home", text("Copyright \u00a9 Your Website 2023", selector="footer p"))
    assert rules(run(page, brand=Brand(name="B", forbidden=("Your Website",)))) == [
        ("messaging.forbidden", ("home",), "Your Website")
    ]
    assert rules(run(page)) == [("messaging.placeholder", ("home",), "placeholder text")]


# text read from images (SPEC.md 2c) ----------------------------------------------------------


def read(value: str, confidence: float) -> TextBlock:
    """A line OCR read from the hero image."""
    return TextBlock(
        text=value, role="body", selector="img.hero", box=(40, 70, 400, 40), from_image=True, confidence=confidence
    )


def test_an_offer_read_from_an_image_conflicts_and_says_so() -> None:
    result = run(
        web("landing", text("20% off your first order")),
        web("landing-mobile", text("20% off your first order"), width=390),
        email("welcome", read("25% off your first order", 0.93)),
    )
    finding = only(result)
    assert (finding.rule, finding.touchpoints) == ("messaging.conflict", ("welcome",))
    assert "welcome says 25% (read from the image)" in finding.message
    (from_image,) = [e for e in finding.evidence if e.touchpoint == "welcome"]
    assert from_image.from_image and from_image.box == (40, 70, 400, 40) and from_image.text == "25% off your first order"
    assert not any(e.from_image for e in finding.evidence if e.touchpoint != "welcome")
    cell = matrix(result, "claims").cells["percent: first order"]["welcome"]
    assert (cell.status, cell.value, cell.detail) == ("other", "25%", "read from the image")


def test_unsure_image_text_shows_a_message_but_raises_no_conflict_forbidden_or_leftover() -> None:
    offer = (Message(id="offer", text="20% off your first order"),)
    unsure = email("welcome", read("20% off your first order", 0.6), read("25% off your first order {{first_name}}", 0.6))
    unsure = unsure.model_copy(update={"texts": (*unsure.texts, read("Northwind Traders Ltd", 0.6))})
    result = run(
        web("landing", text("20% off your first order")),
        unsure,
        messages=offer,
        brand=Brand(name="N", forbidden=("Northwind Traders Ltd",)),
    )
    assert rules(result) == []  # present through the unsure line; nothing judged on unsure text alone
    assert matrix(result, "messages").cells["offer"]["welcome"] == Cell(
        status="ok", value="20% off your first order", detail="read from the image, unsure (OCR confidence 60%): not judged"
    )
    claims = matrix(result, "claims").cells["percent: first order"]["welcome"]
    assert (claims.value, claims.detail) == ("20%, 25%", "read from the image, unsure (OCR confidence 60%): not judged")
    sure = email("welcome", read("Northwind Traders Ltd {{first_name}}", 0.95))
    found = run(web("landing"), sure, brand=Brand(name="N", forbidden=("Northwind Traders Ltd",)))
    assert [(f.rule, f.message) for f in found.findings] == [
        ("messaging.forbidden", 'welcome says the forbidden "Northwind Traders Ltd" in its text read from the image'),
        ("messaging.placeholder", 'welcome shows template leftovers (unrendered merge tags) in its text read from the image: "{{first_name}}"'),
    ]


def test_options_set_severity_and_reject_unknown_keys() -> None:
    finding = only(
        run(
            web("a", text("Pro: £5 a month")),
            web("b", text("Pro: £6 a month"), url=PAGE + "b"),
            severity={"messaging.conflict": "warning"},
        )
    )
    assert finding.severity == "warning"
    plain, strict = Message(id="plain", text="Hello there"), Message(id="strict", text="Goodbye", severity="error")
    missing = run(web("a", text("Welcome")), messages=(plain, strict), severity={"messaging.missing": "warning"})
    assert {f.subject: f.severity for f in missing.findings} == {"plain": "warning", "strict": "error"}
    with pytest.raises(ValidationError):
        MessagingOptions.model_validate({"near": 90})


def test_without_brand_or_messages_claims_are_still_tabled() -> None:
    result = run(web("a", text("Sale ends May 31")), email("b", text("Hello")))
    claims = matrix(result, "claims")
    assert [m.id for m in result.matrices] == ["claims"] and claims.rows == ("date: sale",)
    assert claims.cells["date: sale"] == {"a": Cell(status="ok", value="05-31")}


def test_bare_prices_under_different_headings_are_about_different_things() -> None:
    cards = [
        h1("Pricing"),
        text("Pro", role="heading", level=3),
        text("$19/mo"),
        text("Team", role="heading", level=3),
        text("$49/mo"),
    ]
    assert (
        run(web("pricing", *cards), email("welcome", text("Team", role="heading", level=2), text("$49/mo"))).findings
        == ()
    )
    finding = only(run(web("pricing", *cards), email("welcome", text("Team", role="heading", level=2), text("$59/mo"))))
    assert finding.subject == "price/month: team"


# the corpus: captures extracted from real pages and emails ---------------------------------------


def corpus_page(corpus: Path, path: str, tp: str, url: str, width: int = 1280) -> Capture:
    from onevoice.extract import extract_page

    facts = extract_page((corpus / path).read_text(encoding="utf-8"), url)
    return Capture(
        touchpoint=tp, channel="web", device="", url=url, viewport=(width, 800), texts=facts.texts, meta=facts.meta
    )


def corpus_email(corpus: Path, path: str, tp: str) -> Capture:
    from onevoice.email.mime import parse_email
    from onevoice.extract import extract_page

    file = corpus / path
    parsed = parse_email(file.read_bytes(), base_dir=file.parent)
    facts = extract_page(parsed.html, file.as_uri())
    info = EmailInfo(subject=parsed.subject, preheader=parsed.preheader)
    return Capture(
        touchpoint=tp, channel="email", device="", viewport=(600, 800), texts=facts.texts, meta=facts.meta, email=info
    )


def test_corpus_welcome_emails_of_one_brand(corpus: Path) -> None:
    oxygen = corpus_email(corpus, "email-sendwithus-oxygen-welcome/welcome.html", "oxygen")
    narrative = corpus_email(corpus, "email-sendwithus-narrative-welcome/welcome.html", "narrative")
    brand = Brand(name="Awesome Inc", forbidden=("Awesome Co",))
    result = run(oxygen, narrative, messages=(Message(id="welcome", text="Welcome to Awesome Inc!"),), brand=brand)
    assert sorted(rules(result)) == [
        # narrative's h1 and body name "Awesome Co", the retired name
        ("messaging.forbidden", ("narrative",), "Awesome Co"),
        # oxygen's body says "Thank you for signing up with awesome co!" (SOURCES.md: the name is inconsistent)
        ("messaging.forbidden", ("oxygen",), "Awesome Co"),
        # narrative's h1 reads "Welcome to Awesome Co": the declared welcome, reworded
        ("messaging.mismatch", ("narrative",), "welcome"),
    ]
    mismatch = next(f for f in result.findings if f.rule == "messaging.mismatch")
    assert mismatch.actual == "Welcome to Awesome Co" and mismatch.evidence[0].selector.endswith("h1")
    # their claims (oxygen's bare "$29.99" product prices, narrative's "Enjoy 50% off!" and its code) are tabled;
    # none is about the same thing as another, so none conflicts
    assert set(matrix(result, "claims").rows) == {"price", "percent: awesome co", "code: next checkout"}
    assert matrix(result, "claims").cells["code: next checkout"]["narrative"].value == "XLKIJP6887F"


def test_corpus_pages_and_emails_together(corpus: Path) -> None:
    landing = "web-startbootstrap-landing-page/index.html"
    captures = [
        corpus_page(corpus, landing, "landing-desktop", PAGE),
        corpus_page(corpus, landing, "landing-mobile", PAGE + "#signup", width=390),
        corpus_page(corpus, "web-startbootstrap-agency/index.html", "agency", PAGE + "agency"),
        corpus_page(corpus, "web-tailwindtoolbox-landing-page/index.html", "tailwind", PAGE + "tailwind"),
        corpus_email(corpus, "email-colorlib-elise/index.html", "elise"),
        corpus_email(corpus, "email-sendgrid-paste-welcome/welcome.html", "paste"),
        corpus_email(corpus, "email-mailgun-action/action.html", "mailgun"),
        corpus_email(corpus, "email-cerberus/cerberus-responsive.html", "cerberus"),
    ]
    messages = (
        Message(
            id="lead",
            text="Generate more leads with a professional landing page",
            on=("landing-desktop", "landing-mobile"),
        ),
        Message(id="project", text="Use this area to describe your project", on=("agency",), severity="warning"),
    )
    result = run(*captures, messages=messages, brand=Brand(name="Start Bootstrap", forbidden=("Your Website",)))
    assert sorted(rules(result)) == [
        # "Copyright © Your Website 2023" in the footers of the three Start Bootstrap page captures
        ("messaging.forbidden", ("agency",), "Your Website"),
        ("messaging.forbidden", ("landing-desktop",), "Your Website"),
        ("messaging.forbidden", ("landing-mobile",), "Your Website"),
        # the agency page's portfolio text is only in its closed (display:none) modals
        ("messaging.missing", ("agency",), "project"),
        # Cerberus: pseudo-Latin filler ("Praesent laoreet malesuada cursus.") and "Company Name, 123 Fake Street"
        ("messaging.placeholder", ("agency",), "lorem ipsum"),
        ("messaging.placeholder", ("cerberus",), "lorem ipsum"),
        ("messaging.placeholder", ("cerberus",), "placeholder text"),
        ("messaging.placeholder", ("paste",), "merge tag"),  # "[type_of_action]"
        ("messaging.placeholder", ("tailwind",), "lorem ipsum"),
        # "Your Website" is declared forbidden: that finding says it, not also a placeholder one
    ]
    # the landing page leads with the same h1 at both widths: no headline finding; its h1 is the declared lead
    assert matrix(result, "messages").cells["project"]["agency"].status == "hidden"
    assert {cell.status for cell in matrix(result, "messages").cells["lead"].values()} == {"ok"}
    # elise's "Up to 50% off Selected Womens Items", bare "$100.00"s, tailwind's "£0 for one user": no two alike
    claims = matrix(result, "claims")
    assert claims.cells["percent: selected womens"] == {"elise": Cell(status="ok", value="50%")}
    assert all(cell.status == "ok" for row in claims.cells.values() for cell in row.values())


def test_corpus_a_mobile_page_leading_with_another_headline(corpus: Path) -> None:
    # as if the mobile site served the grayscale theme at the landing page's address
    desktop = corpus_page(corpus, "web-startbootstrap-landing-page/index.html", "home-desktop", PAGE)
    mobile = corpus_page(corpus, "web-startbootstrap-grayscale/index.html", "home-mobile", PAGE, width=390)
    (finding,) = [f for f in run(desktop, mobile).findings if f.rule != "messaging.placeholder"]  # "Your Website"
    assert (finding.rule, finding.touchpoints, finding.subject) == ("messaging.mismatch", ("home-mobile",), "headline")
    assert (finding.expected, finding.actual) == ("Generate more leads with a professional landing page!", "Grayscale")


def test_the_check_is_registered_under_its_entry_point() -> None:
    from onevoice.registry import Check, registered_checks

    assert registered_checks()["messaging"] is MessagingCheck
    assert isinstance(MessagingCheck(), Check) and set(MessagingCheck.rules) == {
        "messaging.missing",
        "messaging.mismatch",
        "messaging.conflict",
        "messaging.forbidden",
        "messaging.placeholder",
    }
