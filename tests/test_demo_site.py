"""The bundled demo brand: its site, welcome email and journeys, served and read for real."""

from __future__ import annotations

import email
import email.policy
import http.client
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup

from onevoice.demo import DemoSite
from onevoice.demo.welcome import MailNotSent, smtp_port
from onevoice.model import Brand, Journey
from onevoice.yamlsource import load_yaml

PAGES = ("", "offer", "signup")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)")
TAGLINE = "Notebooks made to be filled, page after page"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture(scope="module")
def inbox():
    handler = Inbox(free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture(scope="module")
def site(inbox):
    with DemoSite(smtp_port=inbox.port) as running:
        yield running


@pytest.fixture(scope="module")
def brand_profile(repo_root: Path) -> Brand:
    return Brand.model_validate(load_yaml((repo_root / "journeys" / "brand.yaml").read_text()).data)


def fetch(url: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(status, content type, body) of a GET, or of a form POST when `data` is given."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode("utf-8", "replace")


def raw_get(site: DemoSite, path: str) -> http.client.HTTPResponse:
    """A GET of `path` exactly as written: no redirect following, no path normalisation."""
    parts = urllib.parse.urlsplit(site.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def is_local(url: str) -> bool:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme == "data":
        return True
    if parts.scheme in ("", "http", "https") and not parts.netloc:
        return True
    return parts.scheme in ("http", "https") and parts.hostname in LOOPBACK_HOSTS


def loaded_urls(html: str) -> list[str]:
    """Every URL the page makes a browser load (or names as its own): src, srcset, link hrefs,
    form actions, url() in style attributes and <style>, URL-valued meta tags."""
    soup = BeautifulSoup(html, "html.parser")
    urls = [tag["src"] for tag in soup.find_all(src=True)]
    urls += [entry.split()[0] for tag in soup.find_all(srcset=True) for entry in tag["srcset"].split(",") if entry.strip()]
    urls += [tag["href"] for tag in soup.find_all("link", href=True)]
    urls += [tag["action"] for tag in soup.find_all("form", action=True)]
    urls += [tag[name] for name in ("poster", "data", "background") for tag in soup.find_all(attrs={name: True})]
    urls += [match[1] for tag in soup.find_all(style=True) for match in CSS_URL.findall(tag["style"])]
    urls += [match[1] for tag in soup.find_all("style") for match in CSS_URL.findall(tag.get_text())]
    urls += [
        tag["content"]
        for tag in soup.find_all("meta", content=True)
        if re.search(r"(image|url)$", tag.get("property") or tag.get("name") or "")
    ]
    return urls


def external_links(html: str) -> set[str]:
    """The hrefs of the links that leave the site (mailto: links excluded)."""
    hrefs = {a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)}
    return {href for href in hrefs if not is_local(href) and not href.startswith("mailto:")}


def test_every_page_and_every_file_it_uses_is_served(site):
    pending = [urllib.parse.urljoin(site.url, page) for page in PAGES]
    content_types: dict[str, str] = {}
    while pending:
        url = pending.pop()
        if url in content_types:
            continue
        status, content_type, body = fetch(url)
        assert status == 200, f"{url} answered {status}"
        content_types[url] = content_type.split(";")[0]
        if content_type.startswith("text/html"):
            pending += [urllib.parse.urljoin(url, found) for found in loaded_urls(body)]
        elif content_type.startswith("text/css"):
            pending += [urllib.parse.urljoin(url, match[1]) for match in CSS_URL.findall(body)]
    assert {"text/html", "text/css", "font/woff2", "image/svg+xml", "image/png"} <= set(content_types.values())


def test_pages_and_styles_need_no_network(site, brand_profile):
    stylesheet = fetch(site.url + "static/css/site.css")[2]
    assert CSS_URL.findall(stylesheet)
    assert all(is_local(match[1]) for match in CSS_URL.findall(stylesheet))
    for page in PAGES:
        html = fetch(site.url + page)[2]
        external_loads = [url for url in loaded_urls(html) if not is_local(url)]
        assert external_loads == [], f"/{page} loads from the network: {external_loads}"
        leaving = external_links(html) - set(brand_profile.social.values())
        assert leaving == set(), f"/{page} links outside the site to more than the brand's accounts: {leaving}"


def test_site_links_the_brand_profile_s_accounts_and_has_sharing_tags(site, brand_profile):
    soup = BeautifulSoup(fetch(site.url)[2], "html.parser")
    assert {a["href"] for a in soup.select("footer a[href]")} == set(brand_profile.social.values())
    same_as = re.search(r'"sameAs": \[(.*?)\]', soup.find("script", type="application/ld+json").string, re.S)[1]
    assert set(re.findall(r'"([^"]+)"', same_as)) == set(brand_profile.social.values())
    meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in soup.find_all("meta", content=True)}
    assert meta["og:site_name"] == brand_profile.name
    assert meta["og:image"] == meta["twitter:image"] == site.url + "static/img/og-card.png"
    assert meta["twitter:card"] == "summary_large_image"
    assert soup.select_one("header a[href='/'] img")["alt"] == brand_profile.name


def test_unknown_paths_and_escapes_from_the_static_folder_are_not_found(site):
    assert fetch(site.url + "pricing")[0] == 404
    assert raw_get(site, "/static/../server.py").status == 404
    assert raw_get(site, "/static/%2e%2e/server.py").status == 404


def test_tracking_redirect_sends_to_a_path_of_the_site_only(site):
    response = raw_get(site, "/r?u=/offer")
    assert response.status == 302 and response.headers["Location"] == "/offer"
    status, _, body = fetch(site.url + "r?u=%2Foffer")
    assert status == 200 and "FIRSTPAGE" in body
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example", ""):
        assert raw_get(site, "/r?u=" + urllib.parse.quote(elsewhere)).status == 400, elsewhere


def test_signup_sends_a_real_welcome_email(site, inbox):
    address = "qa+demo-test@example.test"
    status, _, page = fetch(site.url + "signup", {"email": address})
    assert status == 200 and "Check your inbox" in page and address in page

    [message] = [m for m in inbox.messages if m["To"] == address]
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"].startswith("Welcome")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    soup = BeautifulSoup(html, "html.parser")

    preheader = soup.select_one(".preheader")
    assert "display:none" in preheader["style"].replace(" ", "")
    assert "25% off your first order" in preheader.get_text()

    [cta] = [a for a in soup.find_all("a") if a.get_text(strip=True) == "Claim 20% off"]
    assert cta["href"] == site.url + "r?u=/offer"
    assert cta["href"] in text
    landing_status, _, landing = fetch(cta["href"])
    assert landing_status == 200 and "20% off your first order" in landing

    assert TAGLINE in soup.get_text() and TAGLINE in text
    assert soup.find("table", attrs={"role": "presentation"})
    # Everything it shows is inside it, as a mail client shows it without loading anything.
    assert loaded_urls(html) and all(url.startswith(("cid:", "data:")) for url in loaded_urls(html))
    logo_cid = soup.select_one("img[alt=Quillory]")["src"].removeprefix("cid:")
    [logo] = [part for part in message.walk() if part["Content-ID"] == f"<{logo_cid}>"]
    assert logo.get_content_type() == "image/png" and logo.get_content()[:4] == b"\x89PNG"
    assert external_links(html) == {
        "https://www.facebook.com/quillory",
        "https://twitter.com/quillory_hq",
        "https://www.linkedin.com/company/quillory",
    }


def test_signup_with_a_bad_address_asks_again_and_sends_nothing(site, inbox):
    before = len(inbox.messages)
    status, _, page = fetch(site.url + "signup", {"email": "not-an-address"})
    assert status == 400 and "name@example.com" in page and 'value="not-an-address"' in page
    assert len(inbox.messages) == before


def test_signup_without_a_mail_server_says_how_to_fix_it():
    with DemoSite(smtp_port=free_port()) as site:
        status, _, page = fetch(site.url + "signup", {"email": "qa@example.test"})
    assert status == 502
    assert "ONEVOICE_SMTP_PORT" in page and "Check your inbox" not in page


def test_smtp_port_comes_from_the_argument_the_environment_or_8025():
    assert smtp_port(2600, {"ONEVOICE_SMTP_PORT": "2525"}) == 2600
    assert smtp_port(None, {"ONEVOICE_SMTP_PORT": "2525"}) == 2525
    assert smtp_port(None, {}) == 8025
    with pytest.raises(MailNotSent, match="ONEVOICE_SMTP_PORT='mail'"):
        smtp_port(None, {"ONEVOICE_SMTP_PORT": "mail"})


async def _home_layout(browser, device: dict, url: str) -> dict:
    context = await browser.new_context(**{key: value for key, value in device.items() if key != "default_browser_type"})
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="load")
        await page.evaluate("document.fonts.ready")
        return {
            "headline": await page.inner_text("h1"),
            "logo": await page.is_visible("header img[src$='logo.svg']"),
            "old_mark": await page.is_visible("header img[src$='mark-2019.svg']"),
            "hero_art": await page.is_visible(".hero-art"),
            "font": await page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily"),
            "font_loaded": await page.evaluate("document.fonts.check('700 48px Inter')"),
            "width": await page.evaluate("document.documentElement.clientWidth"),
            "overflows": await page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"),
        }
    finally:
        await context.close()


def test_mobile_home_cuts_the_tagline_and_swaps_the_logo(site, loop, browser, playwright):
    desktop = loop.run(_home_layout(browser, playwright.devices["Desktop Chrome"], site.url))
    mobile = loop.run(_home_layout(browser, playwright.devices["iPhone 13"], site.url))

    assert desktop["headline"] == TAGLINE
    assert mobile["headline"] == "Notebooks made to be filled"
    assert (desktop["logo"], desktop["old_mark"], desktop["hero_art"]) == (True, False, True)
    assert (mobile["logo"], mobile["old_mark"], mobile["hero_art"]) == (False, True, False)
    assert mobile["width"] < 640 < desktop["width"]
    for layout in (desktop, mobile):
        assert layout["font"].split(",")[0].strip('"') == "Inter" and layout["font_loaded"]
        assert not layout["overflows"]


def test_demo_journeys_and_brand_profile_follow_the_spec(repo_root):
    folder = repo_root / "journeys"
    brand = Brand.model_validate(load_yaml((folder / "brand.yaml").read_text()).data)
    assert all((folder / logo).is_file() for logo in brand.logo)
    assert "tagline" in {message.id for message in brand.messages} and brand.forbidden

    documents = [load_yaml(path.read_text()).data for path in sorted(folder.glob("*.yaml"))]
    journeys = [Journey.model_validate(data) for data in documents if "touchpoints" in data]
    assert journeys
    for journey in journeys:
        ids = [touchpoint.id for touchpoint in journey.touchpoints]
        assert len(ids) == len(set(ids)) and len(ids) <= 8
        referenced = {t for m in journey.messages for t in m.on or ()} | {a.touchpoint for a in journey.allow}
        referenced |= {t.follow.touchpoint for t in journey.touchpoints if t.follow}
        assert referenced <= set(ids)
        assert {touchpoint.channel for touchpoint in journey.touchpoints} == {"web", "email", "app"}


def test_demo_journeys_load_with_the_loader(repo_root):
    loader = pytest.importorskip("onevoice.loader")
    loaded, problems = loader.load_journeys([str(repo_root / "journeys")], {"DEMO_URL": "http://127.0.0.1:8765/", "ONEVOICE_PUBLIC_VARS": "DEMO_URL"})
    assert [str(problem) for problem in problems] == []
    [journey] = loaded
    assert journey.brand.name == "Quillory"
    assert journey.urls["home-mobile"] == "http://127.0.0.1:8765/"
    assert journey.urls["signup"] == "http://127.0.0.1:8765/signup"
