"""capture_email in a real Chromium: corpus emails, the MIME fixtures, the SMTP catcher end to end."""

from __future__ import annotations

import smtplib
from email import policy
from email.parser import BytesParser
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image as PILImage

from onevoice.capture.follow import find_link
from onevoice.email.catcher import SmtpCatcher
from onevoice.email.render import capture_email
from onevoice.model import Touchpoint

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data" / "email"

# file -> (a CTA's text, whether an image logo candidate is expected)
CORPUS = {
    "email-cerberus/cerberus-fluid.html": ("Primary Button", False),
    "email-cerberus/cerberus-hybrid.html": ("Centered Primary Button", False),
    "email-cerberus/cerberus-responsive.html": ("Centered Primary Button", False),
    "email-colorlib-elise/index.html": ("Start Shopping", False),
    "email-mailgun-action/action.html": ("Confirm email address", False),
    "email-sendgrid-paste-welcome/welcome.html": ("Do Something Sweet", True),
    "email-sendwithus-narrative-welcome/welcome.html": ("Activate!", True),
    "email-sendwithus-oxygen-welcome/welcome.html": ("My Account", True),
}


def email_touchpoint(source: dict, device=None) -> Touchpoint:
    return Touchpoint(id="mail", channel="email", device=device, email=source)


def capture(loop, browser, touchpoint, tmp_path, devices=None, spool=None):
    coroutine = capture_email(
        browser, touchpoint, devices=devices or {}, spool=spool, artifacts=tmp_path, folder="journey"
    )
    return loop.run(coroutine, timeout=60)


def test_corpus_has_the_emails_this_test_expects(corpus):
    assert sorted(str(path.relative_to(corpus)) for path in corpus.glob("email-*/*.html")) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_corpus_email_renders_from_a_file_source(corpus, loop, browser, tmp_path, name):
    path = corpus / name
    cta, has_logo = CORPUS[name]
    result = capture(loop, browser, email_touchpoint({"source": "file", "path": str(path)}), tmp_path)

    assert result.ok, result.error
    assert result.channel == "email" and result.device == "Email 600px" and result.viewport == (600, 800)
    with PILImage.open(tmp_path / result.screenshot) as screenshot:
        assert screenshot.width == 600 and screenshot.height >= 800
    inbox = [block for block in result.texts if block.role in ("subject", "preheader")]
    assert list(result.texts[: len(inbox)]) == inbox and all(block.visible for block in inbox)
    assert inbox[-1].role == "preheader" and inbox[-1].text == result.email.preheader
    assert result.email is not None and result.email.html and result.email.preheader
    assert any(" ".join(link.text.split()) == cta for link in result.links), [link.text for link in result.links]
    logos = [image for image in result.images if image.logo_hint]
    if has_logo:
        assert logos, f"no logo candidate in {name}"
    remote_images = [image for image in result.images if image.kind == "img" and (image.src or "").startswith("http")]
    assert all(not image.loaded for image in remote_images), "remote images must be blocked"


def test_local_images_of_an_html_email_are_shown(corpus, loop, browser, tmp_path):
    path = corpus / "email-sendgrid-paste-welcome" / "welcome.html"
    result = capture(loop, browser, email_touchpoint({"source": "file", "path": str(path)}), tmp_path)
    logo = next(image for image in result.images if image.alt == "Logo")
    assert logo.loaded and logo.src.startswith("data:image/png") and logo.crop
    assert (tmp_path / logo.crop).is_file()
    assert result.texts[0].role == "subject" and result.texts[0].text == "Welcome Email"


def test_cid_image_is_visible_in_the_screenshot(loop, browser, tmp_path):
    path = DATA / "related-cid.eml"
    result = capture(loop, browser, email_touchpoint({"source": "file", "path": str(path)}), tmp_path)
    assert result.ok, result.error
    image = next(image for image in result.images if image.alt == "Northwind")
    assert image.loaded and image.box is not None
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    part = next(part for part in message.walk() if part.get_content_type() == "image/png")
    with PILImage.open(BytesIO(part.get_content())) as logo:
        expected = logo.convert("RGB").getpixel((logo.width // 2, logo.height // 2))
    x, y, width, height = image.box
    with PILImage.open(tmp_path / result.screenshot) as screenshot:
        shown = screenshot.convert("RGB").getpixel((int(x + width / 2), int(y + height / 2)))
    assert max(abs(a - b) for a, b in zip(shown, expected, strict=True)) <= 3, (shown, expected)


def test_text_only_email_is_rendered_preformatted_with_its_links(loop, browser, tmp_path):
    result = capture(loop, browser, email_touchpoint({"source": "file", "path": str(DATA / "text-only.eml")}), tmp_path)
    assert result.ok, result.error
    assert result.email.html is False and "Thanks for your order." in result.email.text_part
    assert result.email.text_links[0] == "https://shop.northwind.test/orders/42"
    assert "https://shop.northwind.test/orders/42" in {link.href for link in result.links}
    assert result.texts[0].role == "subject" and result.texts[0].text == "Your receipt"


def test_device_width_and_the_link_a_journey_follows(loop, browser, playwright, tmp_path):
    devices = {"iPhone 13": dict(playwright.devices["iPhone 13"])}
    touchpoint = email_touchpoint({"source": "file", "path": str(DATA / "alternative-qp.eml")}, device="iPhone 13")
    result = capture(loop, browser, touchpoint, tmp_path, devices=devices)
    assert result.ok, result.error
    assert result.viewport == (390, 664) and result.device == "iPhone 13"
    assert result.url is not None and result.url.startswith("mid:") and result.url.endswith("@northwind.test")
    assert [(block.role, block.text) for block in result.texts[:2]] == [
        ("subject", "Frühlings-Sale: 20 % Rabatt für Sie"),
        ("preheader", "Launch campaigns your customers love — 20% off"),
    ]
    link = find_link(result, "  claim 20%   OFF ")
    assert link is not None and link.href == "https://shop.northwind.test/offer"
    assert find_link(result, "/facebook\\.com/").text == "Facebook"


def test_mail_caught_by_smtp_is_captured(loop, browser, tmp_path):
    raw = (DATA / "alternative-qp.eml").read_bytes()
    with SmtpCatcher(tmp_path / "spool", port=0) as catcher:
        with smtplib.SMTP("127.0.0.1", catcher.port, timeout=10) as client:
            client.sendmail("news@northwind.test", ["qa+run42@example.test"], raw)
        touchpoint = email_touchpoint(
            {"source": "smtp", "match": {"to": "qa+run42@", "subject": "Rabatt"}, "timeout": "5s"}
        )
        result = capture(loop, browser, touchpoint, tmp_path, spool=catcher.spool)
    assert result.ok, result.error
    assert result.email.subject == "Frühlings-Sale: 20 % Rabatt für Sie"
    assert result.email.headers["Delivered-To"] == "qa+run42@example.test"
    assert (tmp_path / result.screenshot).is_file()
    assert find_link(result, "Claim 20% off") is not None


def test_failures_become_capture_errors(loop, browser, tmp_path):
    missing = capture(loop, browser, email_touchpoint({"source": "file", "path": str(tmp_path / "gone.eml")}), tmp_path)
    assert not missing.ok and "gone.eml does not exist" in missing.error and missing.channel == "email"

    touchpoint = email_touchpoint({"source": "smtp", "match": {"subject": "Welcome"}, "timeout": "0.3s"})
    with SmtpCatcher(tmp_path / "spool", port=0) as catcher:
        late = capture(loop, browser, touchpoint, tmp_path, spool=catcher.spool)
    assert not late.ok and "no email matching subject ~ 'Welcome'" in late.error and "no message arrived" in late.error
