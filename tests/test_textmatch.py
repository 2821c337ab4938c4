"""Normalisation and near-matching of declared messages (pure, no browser)."""

from __future__ import annotations

import pytest

from onevoice.textmatch import JoinedText, Span, contains_phrase, describe_difference, name_words, normalize, readable, tokens, uniform, words

TAGLINE = "Launch campaigns your customers love"


@pytest.mark.parametrize(
    "text",
    [
        "launch  campaigns\nyour customers LOVE",
        "Launch\u00a0campaigns your customers love!",
        "Launch campaigns your\u200b customers love.",
    ],
)
def test_case_whitespace_nbsp_and_edge_punctuation_do_not_matter(text: str) -> None:
    assert contains_phrase(text, TAGLINE)


def test_typographic_quotes_and_dashes_equal_straight_ones() -> None:
    assert normalize("It\u2019s \u201cnew\u201d \u2014 now") == normalize('it\'s "new" - now')
    assert contains_phrase("We\u2019re open \u2013 24 hours", "we're open - 24 hours")


def test_readable_text_drops_what_shows_as_nothing_and_keeps_every_other_character() -> None:
    assert readable("\u200cA\xa0\n b\u00ad\ufeff ") == "A b"
    assert readable("\u200fOffer\u202a \u201cnow\u201d\u200d\u2060 \u034f") == "Offer \u201cnow\u201d"  # quotes as written
    assert readable("10\u202f000 \u2028kr") == "10 000 kr"  # narrow nbsp and line separator are spaces, not nothing
    assert uniform("\u200eCaf\u00e9 \u201cnow\u201d") == 'Caf\u00e9 "now"' and normalize("\u200eNOW") == "now"


def test_tokens_of_labels_and_camel_case_names() -> None:
    assert tokens("fab fa-twitter") == ["fab", "fa", "twitter"]
    assert tokens("LinkedIn social_linkedin.png") == ["linkedin", "social", "linkedin", "png"]
    assert name_words("navbarLogo-2x") == ["navbar", "logo", "2x"]
    assert name_words("h2Title btn_CTA") == ["h2", "title", "btn", "cta"]


def test_whole_words_only() -> None:
    assert not contains_phrase("Get 120% off", "20% off")
    assert not contains_phrase("Relaunch campaigns your customers love", TAGLINE)


def test_a_message_split_across_blocks_is_found_with_its_blocks() -> None:
    joined = JoinedText(["Welcome", "Launch campaigns", "your customers love", "Footer"])
    assert joined.find(TAGLINE) == Span(1, 2)
    assert joined.find("customers love Footer") == Span(2, 3)
    assert joined.find("love campaigns") is None


def test_a_reworded_message_is_a_near_match_that_says_what_was_found() -> None:
    joined = JoinedText(["Pricing", "Launch campaigns that your customers will love", "Sign up"])
    near = joined.near(TAGLINE, threshold=80, min_cut=0.4)
    assert near is not None and not near.cut
    assert near.found == "launch campaigns that your customers will love"
    assert near.span == Span(1, 1)
    assert near.score >= 80


def test_unrelated_text_is_no_near_match() -> None:
    joined = JoinedText(["Pricing plans for teams", "Contact our sales department today", "Sign up"])
    assert joined.near(TAGLINE, threshold=80, min_cut=0.4) is None


def test_a_block_holding_the_first_half_of_the_message_is_a_cut() -> None:
    near = JoinedText(["Menu", "Launch campaigns your", "Start free"]).near(TAGLINE, 80, 0.4)
    assert near is not None and near.cut and near.found == "launch campaigns your"


def test_a_cut_block_is_reported_alone_not_with_words_of_the_next_block() -> None:
    tagline = "Notebooks made to be filled, page after page"
    joined = JoinedText(["Notebooks made to be filled", "A monthly box of paper", "Subscribe"])
    near = joined.near(tagline, threshold=80, min_cut=0.4)
    assert near is not None and near.cut
    assert near.found == "notebooks made to be filled" and near.span == Span(0, 0)


def test_a_cut_must_keep_enough_of_the_message_and_be_a_whole_block() -> None:
    assert JoinedText(["Menu", "Launch campaigns", "Start free"]).near(TAGLINE, 80, 0.5) is None
    assert JoinedText(["Launch campaigns your way, faster"]).near(TAGLINE, 80, 0.4) is None


def test_words_strip_edge_punctuation_but_keep_values() -> None:
    assert words("Save 20%! Only $12.99/mo, (really).") == ["save", "20%", "only", "$12.99/mo", "really"]


def test_describe_difference_names_cuts_and_rewordings() -> None:
    assert (
        describe_difference(TAGLINE, "Launch campaigns")
        == "cut: ends after 'launch campaigns', missing 'your customers love'"
    )
    assert describe_difference(TAGLINE, "your customers love").startswith("cut: starts at 'your customers love'")
    assert describe_difference("20% off your first order", "25% off your first order") == "'20%' -> '25%'"
    assert describe_difference(TAGLINE, "Launch campaigns customers love") == "without 'your'"
