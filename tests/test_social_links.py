"""Platform detection and account normalisation (onevoice.accounts): pure, no browser."""

from __future__ import annotations

import pytest

from onevoice.facts import Link
from checks.social.links import placeholder_problem, social_links
from onevoice.accounts import classify_url, named_accounts, parse_account, platform_from_hints, platform_named

SAME_ACCOUNT = {
    "https://www.facebook.com/northwind": [
        "http://facebook.com/northwind",
        "https://m.facebook.com/Northwind/",
        "https://www.facebook.com/northwind?fbclid=IwAR0abc&utm_source=newsletter",
        "https://web.facebook.com/NorthWind/about",
        "https://fr-fr.facebook.com/northwind#reviews",
    ],
    "https://x.com/mail_gun": [
        "http://twitter.com/mail_gun",
        "https://mobile.twitter.com/Mail_Gun",
        "https://x.com/mail_gun/?ref_src=twsrc%5Etfw",
        "https://twitter.com/#!/mail_gun",
        "https://www.x.com/@mail_gun",
    ],
    "https://www.linkedin.com/company/northwind": [
        "https://linkedin.com/company/Northwind/",
        "https://uk.linkedin.com/company/northwind/mycompany/?trk=public",
        "http://www.linkedin.com/company/northwind?utm_campaign=spring",
    ],
    "https://www.linkedin.com/in/jane-doe": ["https://www.linkedin.com/in/Jane-Doe/"],
    "https://www.instagram.com/northwind": [
        "https://instagram.com/northwind?igshid=YmMyMTA2M2Y=",
        "https://www.instagram.com/NorthWind/",
        "https://instagr.am/northwind",
    ],
    "https://www.youtube.com/@northwind": ["https://m.youtube.com/@NorthWind/videos?si=abc"],
    "https://www.youtube.com/channel/UC4R8DWoMoI7CAwX8_LjQHig": [
        "https://youtube.com/channel/UC4R8DWoMoI7CAwX8_LjQHig/featured",
    ],
    "https://www.youtube.com/c/northwind": ["https://www.youtube.com/c/Northwind", "https://www.youtube.com/northwind"],
    "https://www.tiktok.com/@northwind": ["https://www.tiktok.com/@NorthWind?lang=en"],
    "https://www.pinterest.com/northwind": ["https://pinterest.co.uk/northwind/", "https://www.pinterest.de/Northwind"],
    "https://github.com/startbootstrap": ["https://github.com/StartBootstrap/startbootstrap-agency"],
    "https://wa.me/15551234567": ["https://api.whatsapp.com/send?phone=15551234567&text=hi"],
    "https://t.me/northwind": ["https://telegram.me/Northwind"],
    "https://www.reddit.com/r/northwind": ["https://old.reddit.com/r/Northwind/"],
    "https://mastodon.social/@northwind": ["https://mastodon.social/@Northwind"],
    "https://bsky.app/profile/northwind.com": ["https://bsky.app/profile/Northwind.com"],
}


@pytest.mark.parametrize(
    ("variant", "canonical"), [(v, url) for url, variants in SAME_ACCOUNT.items() for v in [url, *variants]]
)
def test_variants_normalise_to_one_account(variant: str, canonical: str) -> None:
    account = parse_account(variant)
    assert account is not None, variant
    assert account.url == canonical
    assert account == parse_account(canonical)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://www.facebook.com/northwind", "https://www.facebook.com/northwind.uk"),
        ("https://x.com/northwind", "https://x.com/northwind_help"),
        ("https://www.linkedin.com/company/northwind", "https://www.linkedin.com/in/northwind"),
        ("https://www.youtube.com/@northwind", "https://www.youtube.com/c/northwind"),
        ("https://mastodon.social/@northwind", "https://fosstodon.org/@northwind"),
        ("https://x.com/northwind", "https://www.instagram.com/northwind"),
    ],
)
def test_different_accounts_stay_different(one: str, other: str) -> None:
    assert parse_account(one) is not None and parse_account(other) is not None
    assert parse_account(one) != parse_account(other)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fnorthwind.test",
        "https://www.facebook.com/sharer.php?u=x",
        "https://www.facebook.com/dialog/share?app_id=1&href=x",
        "https://twitter.com/intent/tweet?text=Spring%20sale",
        "https://x.com/intent/post?url=x",
        "https://twitter.com/share?url=x",
        "https://www.linkedin.com/shareArticle?mini=true&url=x",
        "https://www.linkedin.com/sharing/share-offsite/?url=x",
        "https://pinterest.com/pin/create/button/?url=x",
        "https://wa.me/?text=Spring%20sale",
        "https://api.whatsapp.com/send?text=Spring%20sale",
        "https://t.me/share/url?url=x",
        "https://www.reddit.com/submit?url=x",
    ],
)
def test_share_intents_are_not_accounts(url: str) -> None:
    target = classify_url(url)
    assert target.kind == "share"
    assert target.account is None


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "content"),
        ("https://youtu.be/dQw4w9WgXcQ", "content"),
        ("https://www.instagram.com/p/Cabc123/", "content"),
        ("https://www.linkedin.com/feed/", "content"),
        ("https://www.facebook.com/", "home"),
        ("https://twitter.com", "home"),
        ("https://developers.facebook.com/docs/", "other"),  # a platform's docs site is not its social network
        ("https://northwind.test/facebook", "other"),
        ("mailto:hello@northwind.test", "other"),
    ],
)
def test_links_that_open_no_account(url: str, kind: str) -> None:
    assert classify_url(url).kind == kind
    assert parse_account(url) is None


@pytest.mark.parametrize(
    ("raw", "broken"),
    [
        ("", True),
        ("   ", True),
        ("#", True),
        ("#!", True),
        ("javascript:void(0)", True),
        ("JavaScript:;", True),
        ("http://", True),
        ("https://", True),
        ("facebook.com/northwind", True),  # no scheme: resolves to a page of this site
        ("www.instagram.com/northwind", True),
        ("https://www.facebook.com/northwind", False),
        ("/about", False),
        ("about.html", False),
        ("mailto:hello@northwind.test", False),
    ],
)
def test_placeholder_hrefs(raw: str, broken: bool) -> None:
    assert (placeholder_problem(raw) is not None) is broken


@pytest.mark.parametrize(
    ("hints", "platform"),
    [
        (["fab fa-twitter"], "x"),
        (["fa-x-twitter"], "x"),
        (["X"], "x"),
        (["bi-facebook fs-3"], "facebook"),
        (["fa-facebook-f"], "facebook"),
        (["fa-linkedin-in"], "linkedin"),
        (["social icon", "social_googleplus.png"], "googleplus"),
        (["Instagram", "006-instagram-logo.png"], "instagram"),
        (["Parveen Anand Twitter Profile", "fa-twitter"], "x"),
        (["Follow us on YouTube"], "youtube"),
        (["Share on Facebook"], None),  # a share button
        (["Tweet this"], None),
        (["Continue with Facebook"], None),  # signing in through a platform is not its account
        (["Sign up with Google", "google_sign_up"], None),
        (["Log in with Instagram"], None),
        (["fb_login_button"], None),
        (["Facebook or Instagram"], None),  # two platforms: no one platform
        (["Xbox"], None),
        (["social icon"], None),
        (["Contact us"], None),
    ],
)
def test_platform_from_hints(hints: list[str], platform: str | None) -> None:
    assert platform_from_hints(hints) == platform


def test_platform_names_and_aliases() -> None:
    assert platform_named("Twitter") == "x"
    assert platform_named("x") == "x"
    assert platform_named(" LinkedIn ") == "linkedin"
    assert platform_named("myspace") is None


def link(href: str, text: str = "", hints: tuple[str, ...] = (), visible: bool = True) -> Link:
    return Link(href=href, raw_href=href, text=text, hints=hints, visible=visible)


def test_placeholder_icons_count_only_in_a_cluster() -> None:
    # A client-logo strip: one of the clients is Facebook; its neighbours name no platform.
    clients = [
        link("#!", hints=("Microsoft Logo", "microsoft.svg")),
        link("#!", hints=("Facebook Logo", "facebook.svg")),
        link("#!", hints=("IBM Logo", "ibm.svg")),
    ]
    # A footer row of placeholder icons: three platforms side by side.
    footer = [link("#!", hints=(name, f"fa-{name.lower()}")) for name in ("Twitter", "Facebook", "LinkedIn")]
    found = social_links([*clients, link("/privacy", "Privacy"), *footer])
    assert [s.platform for s in found] == ["x", "facebook", "linkedin"]
    assert all(s.problem and "#!" in s.problem and s.account is None for s in found)


def test_one_platform_repeated_is_not_a_cluster() -> None:
    found = social_links([link("#", "Facebook"), link("#", hints=("fa-facebook",)), link("/blog", "Blog")])
    assert found == ()


def test_a_profile_href_counts_alone() -> None:
    found = social_links([link("/"), link("http://twitter.com/mail_gun", "Follow @Mail_Gun on Twitter."), link("/x")])
    assert len(found) == 1
    assert found[0].account is not None and found[0].account.url == "https://x.com/mail_gun"
    assert found[0].problem is None


def test_share_buttons_are_not_social_links_and_split_rows() -> None:
    shares = [
        link("https://www.facebook.com/sharer/sharer.php?u=x", hints=("fa-facebook",)),
        link("https://twitter.com/intent/tweet?text=x", hints=("fa-twitter",)),
        link("#", "Share on LinkedIn"),
    ]
    assert social_links(shares) == ()


def test_hidden_links_are_reported_with_their_visibility() -> None:
    found = social_links([link("https://www.instagram.com/northwind", visible=False)])
    assert len(found) == 1 and not found[0].link.visible


def test_tracking_redirects_in_a_row_are_social_links_of_unknown_account() -> None:
    row = [
        link("https://click.esp.test/t/1?u=abc", hints=("Facebook", "facebook.png")),
        link("https://click.esp.test/t/2?u=abc", hints=("Instagram", "instagram.png")),
    ]
    found = social_links(row)
    assert [(s.platform, s.account, s.problem) for s in found] == [("facebook", None, None), ("instagram", None, None)]


def test_platform_home_pages_and_schemeless_hrefs_are_broken_social_links() -> None:
    row = [link("https://www.facebook.com/", hints=("fa-facebook",)), link("https://x.com", hints=("fa-twitter",))]
    found = social_links(row)
    assert [s.platform for s in found] == ["facebook", "x"]
    assert all("home page" in (s.problem or "") for s in found)
    lone = social_links([Link(href="http://127.0.0.1/facebook.com/northwind", raw_href="facebook.com/northwind")])
    assert [(s.platform, bool(s.problem)) for s in lone] == [("facebook", True)]


@pytest.mark.parametrize(
    ("text", "accounts"),
    [
        ("Follow us on Instagram @quillory", ["https://www.instagram.com/quillory"]),
        ("instagram.com/quillory", ["https://www.instagram.com/quillory"]),
        ("Find us at https://www.facebook.com/Quillory.", ["https://www.facebook.com/quillory"]),
        ("x.com/quillory and linkedin.com/company/quillory",
         ["https://x.com/quillory", "https://www.linkedin.com/company/quillory"]),
        ("@quillory", []),  # a handle with no platform named
        ("Write to support@quillory.com on Twitter", []),  # an email address is no handle
        ("Instagram or TikTok: @quillory", []),  # two platforms: which one is unknown
        ("Continue with Facebook", []),
    ],
)
def test_named_accounts_in_text(text: str, accounts: list[str]) -> None:
    assert [account.url for account in named_accounts(text)] == accounts


def test_an_app_control_naming_a_platform_is_present_without_an_account() -> None:
    (found,) = social_links([Link(href="", raw_href=None, text="Follow us on Instagram")])
    assert (found.platform, found.account, found.problem) == ("instagram", None, None)
    assert social_links([Link(href="", raw_href=None, text="Continue with Facebook")]) == ()
