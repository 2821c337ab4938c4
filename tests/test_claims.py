"""Claim extraction: values made canonical, and what each claim is about (pure, no browser)."""

from __future__ import annotations

import pytest

from checks.messaging.claims import comparable_dates, extract_claims


def only(text: str):
    claims = extract_claims(text)
    assert len(claims) == 1, claims
    return claims[0]


@pytest.mark.parametrize(
    ("text", "value", "key"),
    [
        ("$12.99/mo", "$ 12.99", "price/month"),
        ("$12.99 per month", "$ 12.99", "price/month"),
        ("12,99 EUR per month", "EUR 12.99", "price/month"),
        ("12,99\u00a0€ a month", "EUR 12.99", "price/month"),
        ("£5", "GBP 5", "price"),
        ("USD 1,299.00 billed annually", "$ 1299", "price/year"),
        ("Pro plan: $19/mo", "$ 19", "price/month: pro plan"),
        ("Young Woman Dress $100.00", "$ 100", "price: woman dress"),
    ],
)
def test_prices_with_currency_and_period(text: str, value: str, key: str) -> None:
    claim = only(text)
    assert (claim.kind, claim.value, claim.key) == ("price", value, key)


@pytest.mark.parametrize(
    "text",
    ["20% off your first order", "Save 20% on your first order", "Get 20 percent off your first order today!"],
)
def test_percentages_about_the_same_thing_share_a_key(text: str) -> None:
    claim = only(text)
    assert (claim.kind, claim.value, claim.key) == ("percent", "20%", "percent: first order")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Use code SPRING20 at checkout", "SPRING20"),
        ("code: WELCOME10", "WELCOME10"),
        ("Promo code \u201cFREESHIP\u201d", "FREESHIP"),
        ("Enter XLKIJP6887F at your next checkout!", "XLKIJP6887F"),
    ],
)
def test_promo_codes(text: str, code: str) -> None:
    claim = only(text)
    assert (claim.kind, claim.value) == ("code", code)


@pytest.mark.parametrize(
    "text", ["Zip code 12345", "CODE SAMPLES", "Enter your email", "Use the code below", "24/7 support", "March 2011"]
)
def test_look_alikes_are_no_claims(text: str) -> None:
    assert extract_claims(text) == ()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sale ends May 31", "05-31"),
        ("Sale ends 31st May", "05-31"),
        ("until 31/05", "05-31"),
        ("May 31, 2026", "2026-05-31"),
        ("valid until 31.05.2026", "2026-05-31"),
        ("deadline 2026-05-31", "2026-05-31"),
        ("ends 12/31", "12-31"),
    ],
)
def test_dates_and_deadlines(text: str, value: str) -> None:
    claim = only(text)
    assert (claim.kind, claim.value) == ("date", value)


def test_a_sentence_with_several_claims_gives_each_its_own_subject() -> None:
    claims = extract_claims("Use code SPRING20 for 20% off your first order. Offer ends May 31!")
    assert [(c.kind, c.value, c.key) for c in claims] == [
        ("code", "SPRING20", "code: first order"),
        ("percent", "20%", "percent: first order"),
        ("date", "05-31", "date: offer"),
    ]


def test_claims_keep_the_text_as_written() -> None:
    assert only("only \u00a312.99\u00a0per month").text == "£12.99 per month"


def test_a_claim_without_words_of_its_own_takes_its_subject_from_its_heading() -> None:
    assert extract_claims("$19/mo", heading="Pro plan")[0].key == "price/month: pro plan"
    assert extract_claims("$19/mo", heading="$9/mo")[0].key == "price/month"
    assert extract_claims("Team plan $49/mo", heading="Pro plan")[0].key == "price/month: team plan"


@pytest.mark.parametrize(
    ("text", "value", "key"),
    [
        ("$50k raised", "$ 50000", "price: raised"),
        ("$1.2k raised", "$ 1200", "price: raised"),
        ("$1,200 raised", "$ 1200", "price: raised"),
        ("€2bn fund", "EUR 2000000000", "price: fund"),
        ("a $1.5M round", "$ 1500000", "price: round"),
        ("$3 million round", "$ 3000000", "price: round"),
        ("USD 20 fee", "$ 20", "price: fee"),
        ("20 € fee", "EUR 20", "price: fee"),
        ("12,99 € fee", "EUR 12.99", "price: fee"),
        ("£8 fee", "GBP 8", "price: fee"),
        ("Plans $10-$20/mo", "$ 10-20", "price/month: plans"),
        ("Plans $10 – 20 per month", "$ 10-20", "price/month: plans"),
        ("Plans 10-20 € a year", "EUR 10-20", "price/year: plans"),
        ("Plans from EUR 10 to EUR 20 a year", "EUR 10-20", "price/year: plans"),
    ],
)
def test_money_with_multipliers_currencies_ranges_and_periods(text: str, value: str, key: str) -> None:
    claim = only(text)
    assert (claim.kind, claim.value, claim.key) == ("price", value, key)


@pytest.mark.parametrize("text", ["5 km away", "Bookmark this page", "size 10-12", "open 9-5"])
def test_numbers_that_are_no_money_are_no_price(text: str) -> None:
    assert [c for c in extract_claims(text) if c.kind == "price"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Offer ends June 30", "06-30"),
        ("Offer ends 30 June 2026", "2026-06-30"),
        ("Offer ends 2026-06-30", "2026-06-30"),
        ("Offer ends 30/06", "06-30"),
        ("Offer ends Jun 30th", "06-30"),
        ("Offer ends Sunday", "sunday"),
    ],
)
def test_dates_in_the_forms_people_write_them(text: str, value: str) -> None:
    claim = only(text)
    assert (claim.kind, claim.value, claim.key) == ("date", value, "date: offer")


@pytest.mark.parametrize("text", ["Open Sunday to Friday", "1/2 price", "a 50/50 split", "24/7 support"])
def test_weekdays_and_fractions_without_a_deadline_are_no_dates(text: str) -> None:
    assert [c for c in extract_claims(text) if c.kind == "date"] == []


def test_equal_dates_share_a_comparable_form_and_different_ones_do_not() -> None:
    assert comparable_dates(["2026-06-28", "06-28"]) == {"2026-06-28": "06-28", "06-28": "06-28"}
    assert comparable_dates(["2026-06-28", "sunday"]) == {"2026-06-28": "sunday", "sunday": "sunday"}
    assert comparable_dates(["2026-06-29", "sunday"]) == {"2026-06-29": "monday", "sunday": "sunday"}
    # a weekday beside a date without its year cannot be compared: it contradicts nothing
    assert comparable_dates(["06-28", "sunday"]) == {"06-28": "06-28", "sunday": None}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Receipt R-1042 issued June 16, 2026", "date: receipt issued"),
        ("Hi {{first_name}}, your trial ends June 30", "date: trial"),
        ("Amount due $12.00, due by July 1, 2026.", "price: amount due"),
    ],
)
def test_a_subject_is_words_a_reviewer_reads_not_ids_or_markup(text: str, key: str) -> None:
    assert extract_claims(text)[0].key == key


def test_a_claim_keeps_the_sentence_it_is_in() -> None:
    claims = extract_claims("Welcome aboard. Your plan is $12.99/mo. Cancel any time.")
    assert [c.sentence for c in claims] == ["Your plan is $12.99/mo."]
