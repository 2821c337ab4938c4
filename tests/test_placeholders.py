"""Template leftovers (pure): what must be caught, and the look-alikes that must not."""

from __future__ import annotations

import pytest

from checks.messaging.placeholders import find_leftovers


def leftovers(text: str, **options: object) -> list[tuple[str, str]]:
    return [(leftover.kind, leftover.text) for leftover in find_leftovers(text, **options)]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Hi {{first_name}},", "{{first_name}}"),
        ("Hi {{ user.name }}!", "{{ user.name }}"),
        ("{{#each items}}", "{{#each items}}"),
        ("{% if user %}", "{% if user %}"),
        ("Dear *|FNAME|*,", "*|FNAME|*"),
        ("Dear %%FirstName%%,", "%%FirstName%%"),
        ("Hello ${name}", "${name}"),
        ("Hello [[name]]", "[[name]]"),
        ("Hello {first_name}", "{first_name}"),
        ("a request for [type_of_action] was made", "[type_of_action]"),
    ],
)
def test_unrendered_merge_tags(text: str, tag: str) -> None:
    assert leftovers(text) == [("merge tag", tag)]


@pytest.mark.parametrize(
    ("text", "filler"),
    [
        ("Copyright \u00a9 Your Website 2023", "Your Website"),
        ("Your Company, Inc. All rights reserved.", "Your Company"),
        ("Company Name 123 Fake Street, SpringField", "Company Name"),
        ("[Insert logo here]", "[Insert logo here]"),
        ("Thanks, the [Product Name] team", "[Product Name]"),
        ("[Company Name, LLC]", "[Company Name, LLC]"),
        ("Charged as [Credit Card Statement Name]", "[Credit Card Statement Name]"),
        ("Insert text here", "Insert text here"),
        ("Visit www.example.com today", "www.example.com"),
        ("Write to hello@example.com", "hello@example.com"),
    ],
)
def test_placeholder_filler(text: str, filler: str) -> None:
    assert leftovers(text) == [("placeholder text", filler)]


def test_a_name_alone_is_filler_only_where_a_name_stands() -> None:
    assert leftovers("Your Company", as_name=True) == [("placeholder text", "Your Company")]
    assert leftovers("Your Website") == []  # a form's label for a URL field


@pytest.mark.parametrize(
    "text",
    [
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
        "Praesent laoreet malesuada cursus.",  # its pseudo-Latin, without the word lorem
        "Maecenas sed ante pellentesque, posuere leo id, eleifend dolor.",
    ],
)
def test_lorem_ipsum(text: str) -> None:
    assert leftovers(text) == [("lorem ipsum", text)]


def test_adjacent_sentences_of_lorem_ipsum_are_one_leftover_and_real_text_stays_apart() -> None:
    text = "Our new range is here. Praesent laoreet malesuada cursus. Maecenas scelerisque congue eros."
    assert leftovers(text) == [("lorem ipsum", "Praesent laoreet malesuada cursus. Maecenas scelerisque congue eros.")]


@pytest.mark.parametrize(
    "text",
    [
        "Grow your company with us",
        "Grow Your Company",
        "Grow your company 10x",
        "Per se, ad hoc, et cetera: the status quo ante.",
        "Carpe diem, and save 20%",
        "Our 2023 [Updated] results, see [1]",
        "Read the [docs](https://docs.example.org)",
        "e.g. you@example.com",
        "Save 50%% off",
        "Open {Mon-Fri} 9-5",
        "Your Website Builder, reviewed",
        "Dear Dana,",
    ],
)
def test_look_alikes_are_no_leftovers(text: str) -> None:
    assert leftovers(text) == []


def test_text_set_as_code_is_no_leftover() -> None:
    text = "Greet people with {{first_name}} in your template. Hi {{last_name}}"
    assert leftovers(text, code=("{{first_name}}",)) == [("merge tag", "{{last_name}}")]
    assert leftovers(text) == [("merge tag", "{{first_name}}"), ("merge tag", "{{last_name}}")]
