"""find_link: which link of a capture a `follow: {link: ...}` names."""

from __future__ import annotations

import pytest

from onevoice.capture.follow import find_link
from onevoice.facts import Capture, Link


def email(*links: Link) -> Capture:
    return Capture(touchpoint="welcome-email", channel="email", device="Email 600px", links=links)


CLAIM = Link(href="https://shop.test/offer?utm_source=mail", text="Claim 20% off", button=True)


def test_text_matches_ignoring_case_and_whitespace():
    capture = email(Link(href="https://shop.test/", text="Home"), CLAIM)
    assert find_link(capture, "claim  20% OFF") is CLAIM
    assert find_link(capture, "Claim 20%") is None  # text is matched whole, not in part


def test_visible_button_links_win_over_hidden_or_plain_ones():
    hidden = Link(href="https://shop.test/hidden", text="Claim 20% off", visible=False, button=True)
    plain = Link(href="https://shop.test/plain", text="Claim 20% off")
    assert find_link(email(hidden, plain, CLAIM), "Claim 20% off") is CLAIM
    assert find_link(email(hidden, plain), "Claim 20% off") is plain


def test_placeholder_hrefs_lose_to_real_ones():
    placeholder = Link(href="http://", raw_href="http://", text="View now", button=True)
    real = Link(href="https://shop.test/item", raw_href="https://shop.test/item", text="View now", button=True)
    assert find_link(email(placeholder, real), "View now") is real
    assert find_link(email(placeholder), "View now") is placeholder


def test_accessible_names_and_hrefs_match_after_text():
    image_button = Link(href="https://shop.test/app", hints=("Get the app",))
    by_href = Link(href="https://shop.test/get-the-app", text="Download")
    assert find_link(email(by_href, image_button), "get the app") is image_button
    assert find_link(email(by_href, image_button), "get-the-app") is by_href
    assert find_link(email(by_href, CLAIM), "utm_source=mail") is CLAIM


def test_regex_matches_text_or_href():
    capture = email(Link(href="https://shop.test/a", text="Start shopping"), CLAIM)
    assert find_link(capture, r"/claim \d+% off/") is CLAIM
    assert find_link(capture, r"/shop\.test/offer\?/") is CLAIM
    assert find_link(capture, "/^nothing$/") is None
    with pytest.raises(ValueError, match="not a valid regular expression"):
        find_link(capture, "/[/")
