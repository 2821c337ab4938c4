"""Hostile suite: a link taken from an email opens only the web (issue: untrusted links).

An email written by someone else links local files and browser-internal pages, directly,
through a `<base href>`, and through an http link that redirects or navigates away; `follow`
must open none of them, and say why on that touchpoint. A `url:` the journey author wrote may
still open a local file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onevoice.capture.follow import find_link
from onevoice.facts import Capture, Link
from onevoice.cli import main
from onevoice.model import Touchpoint
from onevoice.engine import FollowError, followed_url
from static_server import PageHandler, serve_handler

pytestmark = pytest.mark.hostile

SECRET_TEXT = "TOP SECRET local file"


def source(*links: Link) -> Capture:
    return Capture(touchpoint="mail", channel="email", device="Email 600px", links=links)


def following(link: str) -> Touchpoint:
    return Touchpoint(id="landing", follow={"touchpoint": "mail", "link": link})


@pytest.mark.parametrize(
    ("href", "scheme"),
    [
        ("file:///etc/passwd", "file"),
        ("FILE:///etc/passwd", "file"),
        ("view-source:https://shop.test/", "view-source"),
        ("chrome://settings", "chrome"),
        ("data:text/html,<h1>hi</h1>", "data"),
        ("javascript:alert(1)", "javascript"),
        ("about:blank", "about"),
        ("blob:https://shop.test/0b4c", "blob"),
        ("filesystem:https://shop.test/temporary/x", "filesystem"),
        ("ftp://files.test/x", "ftp"),
        ("  file:///etc/passwd", "file"),
    ],
)
def test_non_web_links_are_refused_naming_the_scheme(href, scheme):
    with pytest.raises(FollowError, match=f"is a {scheme}: link") as refused:
        followed_url(following("Open"), source(Link(href=href, raw_href=href, text="Open")))
    assert "open only http and https" in str(refused.value)


def test_a_relative_link_is_refused_and_web_links_are_followed():
    with pytest.raises(FollowError, match="not an absolute link"):
        followed_url(following("Open"), source(Link(href="passwd", text="Open")))
    for href in ("https://shop.test/offer", "HTTP://127.0.0.1:8000/x"):
        assert followed_url(following("Open"), source(Link(href=href, text="Open"))) == href


def test_a_web_link_with_the_same_text_wins_over_a_local_one():
    local = Link(href="file:///etc/passwd", text="Claim", button=True)
    web = Link(href="https://shop.test/offer", text="Claim")
    assert find_link(source(local, web), "Claim") is web


def redirecting_to(secret_url: str) -> type[PageHandler]:
    class Redirects(PageHandler):
        """Web pages that try to lead a browser off the web, to `secret_url`."""

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            pages = {
                "/to-file": (302, {"Location": secret_url}, b""),
                "/to-data": (302, {"Location": "data:text/html,<h1>from a redirect</h1>"}, b""),
                "/refresh": (200, {}, f'<meta http-equiv="refresh" content="0;url={secret_url}"><h1>Refreshing</h1>'.encode()),
                "/script": (200, {}, f'<h1>Scripted</h1><script>location.href = "{secret_url}"</script>'.encode()),
            }
            status, headers, body = pages.get(self.path, (404, {}, b"not here"))
            self.answer(status, body, headers)

    return Redirects


@pytest.fixture
def redirects(tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_text(f"<h1>{SECRET_TEXT}</h1>")
    with serve_handler(redirecting_to(secret.as_uri())) as url:
        yield url.rstrip("/")


@pytest.mark.browser
def test_an_email_cannot_make_follow_open_a_local_file(tmp_path, redirects, monkeypatch):
    monkeypatch.setenv("RUN_ID", "hostile-follow")
    secret = Path(tmp_path / "secret.html").as_uri()
    email = tmp_path / "journeys" / "mail.html"
    email.parent.mkdir()
    email.write_text(
        "<html><body><p>Your order shipped.</p>"
        '<a href="file:///etc/passwd">Password file</a>'
        f'<a href="view-source:{secret}">Source</a>'
        '<a href="chrome://version">Version</a>'
        '<a href="data:text/html,&lt;h1&gt;data page&lt;/h1&gt;">Data</a>'
        f'<a href="{redirects}/to-file">Redirect to file</a>'
        f'<a href="{redirects}/to-data">Redirect to data</a>'
        f'<a href="{redirects}/refresh">Refresh to file</a>'
        f'<a href="{redirects}/script">Script to file</a>'
        "</body></html>"
    )
    follows = {
        "passwd": "Password file",
        "source": "Source",
        "version": "Version",
        "data": "Data",
        "redirect-file": "Redirect to file",
        "redirect-data": "Redirect to data",
        "refresh": "Refresh to file",
        "script": "Script to file",
    }
    lines = ["name: Hostile links", "checks: {messaging: false, brand: false, social: false}", "touchpoints:", "  - {id: mail, channel: email, email: {source: file, path: mail.html}}"]
    lines += [f"  - {{id: {tp}, follow: {{touchpoint: mail, link: {text!r}}}}}" for tp, text in follows.items()]
    lines += [f"  - {{id: authored, url: {secret}}}"]
    journey = tmp_path / "journeys" / "links.yaml"
    journey.write_text("\n".join(lines) + "\n")
    report = tmp_path / "report"

    assert main(["run", str(journey), "--report", str(report), "--timeout", "20"]) == 3

    touchpoints = {tp["id"]: tp for tp in json.loads((report / "findings.json").read_text())["journeys"][0]["touchpoints"]}
    for tp, scheme in (("passwd", "file"), ("source", "view-source"), ("version", "chrome"), ("data", "data")):
        assert f"is a {scheme}: link" in touchpoints[tp]["error"] and touchpoints[tp]["screenshot"] is None, touchpoints[tp]
    for tp in ("redirect-file", "redirect-data"):  # the browser refuses a redirect off the web
        assert "redirected to a non-web address" in touchpoints[tp]["error"], touchpoints[tp]
        assert touchpoints[tp]["screenshot"] is None and touchpoints[tp]["attempts"] == 1
    for tp in ("refresh", "script"):  # a page cannot navigate itself to a local file either: it stays on the web
        assert touchpoints[tp]["url"].startswith(redirects) and touchpoints[tp]["error"] is None, touchpoints[tp]
    assert touchpoints["authored"]["error"] is None and touchpoints["authored"]["url"] == secret
    shown = [tp["id"] for tp in touchpoints.values() if tp["screenshot"]]
    assert sorted(shown) == ["authored", "mail", "refresh", "script"]
