"""Reading emails without a browser: MIME cases, charsets, CID images, attachments, preheaders."""

from __future__ import annotations

import asyncio
import base64
import re
import tracemalloc
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from onevoice.errors import EmailError
from onevoice.email.inline import cid_resolver, inline_references, local_file_resolver
from onevoice.email.mime import parse_email
from onevoice.email.plaintext import find_urls, text_to_html
from onevoice.email.preheader import find_preheader
from onevoice.email.sources import from_file

DATA = Path(__file__).parent / "data" / "email"
CORPUS_EMAILS = [
    "email-cerberus",
    "email-colorlib-elise",
    "email-mailgun-action",
    "email-sendgrid-paste-welcome",
    "email-sendwithus-narrative-welcome",
    "email-sendwithus-oxygen-welcome",
]


def fixture(name: str):
    return parse_email((DATA / name).read_bytes(), name=name)


def test_alternative_quoted_printable_gives_both_parts_decoded():
    parsed = fixture("alternative-qp.eml")
    assert parsed.subject == "Frühlings-Sale: 20 % Rabatt für Sie"
    assert parsed.sender == "Northwind <news@northwind.test>"
    assert parsed.recipients == ("qa+welcome@example.test",)
    assert parsed.date and parsed.message_id and parsed.message_id.endswith("@northwind.test>")
    assert parsed.has_html and "<h1>Frühling bei Northwind</h1>" in parsed.html
    assert "Grüße, Northwind" in (parsed.text or "")
    assert parsed.text_links == ("https://shop.northwind.test/offer?utm_source=email",)
    assert parsed.preheader == "Launch campaigns your customers love — 20% off"
    assert parsed.headers["Subject"] == parsed.subject


def test_related_cid_image_becomes_a_data_uri_of_its_part():
    parsed = fixture("related-cid.eml")
    assert "cid:" not in parsed.html
    src = parsed.html.split('src="', 1)[1].split('"', 1)[0]
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "subject", "heading"),
    [
        ("latin1-cp1252.eml", "Café offer", "Café crème for 5 €"),  # labelled latin-1, written as windows-1252
        ("shift-jis.eml", "春のセール", "春のセール 20%オフ"),
    ],
)
def test_legacy_charsets_decode_like_a_browser(name, subject, heading):
    parsed = fixture(name)
    assert parsed.subject == subject
    assert f"<h1>{heading}</h1>" in parsed.html


def test_text_only_email_renders_as_preformatted_html_with_links():
    parsed = fixture("text-only.eml")
    assert not parsed.has_html
    assert parsed.html.count("<pre") == 1
    assert '<a href="https://shop.northwind.test/orders/42">' in parsed.html
    assert '<a href="http://www.northwind.test/help">' in parsed.html
    assert parsed.preheader.startswith("Thanks for your order.")


def test_bare_html_file_uses_its_title_and_inlines_files_beside_it(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.png").write_bytes(b"\x89PNG fake but local")
    (tmp_path / "secret.txt").write_text("outside")
    html = (
        "<!doctype html><html><head><title>Welcome &amp; hello</title></head><body>"
        '<img src="img/logo.png"><img src="../secret.txt"><img src="https://cdn.example/x.png">'
        '<td background="img/logo.png"></td><a href="img/logo.png">not an image</a></body></html>'
    )
    parsed = parse_email(html.encode(), base_dir=tmp_path)
    assert parsed.subject == "Welcome & hello"
    assert parsed.sender == "" and parsed.text is None
    assert parsed.html.count("data:image/png;base64,") == 2
    assert 'src="../secret.txt"' in parsed.html and 'src="https://cdn.example/x.png"' in parsed.html
    assert '<a href="img/logo.png">' in parsed.html


def test_inline_references_covers_attributes_css_and_stylesheets():
    resolve = cid_resolver({"a@x": "data:image/png;base64,AA==", "sheet.css": "data:text/css;base64,Ym9keXt9"})
    html = (
        "<link rel=stylesheet href='sheet.css'><div style=\"background:url('cid:a@x')\"></div>"
        '<img src=cid:a%40x><img src="cid:missing">'
    )
    out = inline_references(html, resolve)
    assert "href='data:text/css;base64,Ym9keXt9'" in out
    assert "url('data:image/png;base64,AA==')" in out
    assert "<img src=data:image/png;base64,AA==>" in out
    assert 'src="cid:missing"' in out


def test_local_file_resolver_stays_inside_its_folder(tmp_path):
    (tmp_path / "a.gif").write_bytes(b"GIF89a")
    resolve = local_file_resolver(tmp_path)
    assert resolve("a.gif") == "data:image/gif;base64,R0lGODlh"
    assert resolve("../a.gif") is None and resolve("/etc/hostname") is None
    assert resolve("https://x.test/a.gif") is None and resolve("#top") is None


def test_large_attachment_is_never_loaded(tmp_path):
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = "Your invoice"
    message["From"] = "billing@northwind.test"
    message["To"] = "qa@example.test"
    message.set_content("See the attachment.")
    message.add_alternative("<p>See the <b>attachment</b>.</p>", subtype="html")
    size = 8 * 1024 * 1024
    message.add_attachment(b"%PDF" + bytes(size), maintype="application", subtype="pdf", filename="invoice.pdf")
    path = tmp_path / "invoice.eml"
    path.write_bytes(message.as_bytes())
    del message
    assert path.stat().st_size > size

    tracemalloc.start()
    try:
        raw = asyncio.run(from_file(path))
        parsed = parse_email(raw, name=path.name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size / 8, f"reading used {peak} bytes for an {size}-byte attachment"
    assert len(raw) < 4096 and b'filename="invoice.pdf"' in raw
    assert parsed.subject == "Your invoice" and "<b>attachment</b>" in parsed.html


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "is not an email: it is empty"),
        (b"hello, this is not a message\nat all\n", "is not an email: it starts with 'hello, this is not a message'"),
        (
            b"Subject: x\nContent-Type: multipart/mixed\n\nno boundary here\n",
            "malformed MIME message: NoBoundaryInMultipart",
        ),
        (b"Subject: x\nContent-Type: image/png\n\n", "has no text or HTML part to show (content type image/png)"),
    ],
)
def test_unreadable_messages_give_one_clear_line(raw, expected):
    with pytest.raises(EmailError, match=re.escape(expected)) as caught:
        parse_email(raw, name="bad.eml")
    assert str(caught.value).startswith("bad.eml ") and "\n" not in str(caught.value)


@pytest.mark.parametrize("missing", ["nope.eml", "."])
def test_file_source_names_a_missing_file(tmp_path, missing):
    with pytest.raises(EmailError, match=r"check the touchpoint's email.path"):
        asyncio.run(from_file(tmp_path / missing))


# --- preheader ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hidden_style",
    [
        "display:none",
        "max-height:0px; overflow:hidden",
        "opacity: 0",
        "font-size:1px;color:#fff",
        "font-size:0",
        "mso-hide:all; visibility:hidden",
    ],
)
def test_preheader_is_the_first_hidden_element(hidden_style):
    html = (
        f"<html><head><title>T</title><style>p{{}}</style></head><body><!-- c -->"
        f'<span style="{hidden_style}">Spring is here &#8199;&#847;&zwnj;</span><h1>Big news</h1></body></html>'
    )
    assert find_preheader(html) == "Spring is here"


def test_preheader_falls_back_to_the_first_text_of_the_body():
    html = '<body><div style="display:block; font-size:16px">Hello there</div><p style="display:none">late</p></body>'
    assert find_preheader(html) == "Hello there late"
    long = "<body><p>" + "word " * 100 + "</p></body>"
    assert 100 < len(find_preheader(long)) <= 140 and find_preheader(long).endswith("word")
    assert find_preheader(None, "Plain text body") == "Plain text body"


PREHEADERS = {
    "email-cerberus": "(Optional) This text will appear in the inbox preview, but not the email body.",
    "email-colorlib-elise": "Up to 50% off Selected Womens Items. Fashion your self this season.",
    "email-mailgun-action": "Please confirm your email address by clicking the link below.",
    "email-sendgrid-paste-welcome": "A preheader is the short summary text that follows the subject line",
    "email-sendwithus-narrative-welcome": "Welcome to Awesome Co",
    "email-sendwithus-oxygen-welcome": "Welcome to Awesome Inc!",
}


def test_preheader_of_every_corpus_email(corpus):
    files = sorted(path for folder in CORPUS_EMAILS for path in (corpus / folder).glob("*.html"))
    assert len(files) == 8
    for path in files:
        parsed = parse_email(path.read_bytes(), base_dir=path.parent)
        assert parsed.preheader.startswith(PREHEADERS[path.parent.name]), path.name
        assert "\u200c" not in parsed.preheader and "  " not in parsed.preheader


def test_find_urls_trims_punctuation_and_keeps_balanced_parentheses():
    text = "See https://x.test/a. Or (https://x.test/b), https://en.wikipedia.org/wiki/Mail_(x) and https://x.test/a"
    assert find_urls(text) == ("https://x.test/a", "https://x.test/b", "https://en.wikipedia.org/wiki/Mail_(x)")
    assert "&lt;b&gt;" in text_to_html("<b> https://x.test/?a=1&b=2")
    assert 'href="https://x.test/?a=1&amp;b=2"' in text_to_html("<b> https://x.test/?a=1&b=2")
