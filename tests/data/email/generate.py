"""Writes the .eml fixtures of tests/test_email_*.py with the standard library's email package.

Run it from anywhere (`python tests/data/email/generate.py`) after changing it; the files it
writes are committed beside it. Each covers one MIME case the email reader must handle.
"""

from __future__ import annotations

import base64
import io
import quopri
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage, Message
from email.header import Header
from email.utils import format_datetime, make_msgid
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
LOGO_RGB = (228, 0, 43)  # one flat colour, so a pixel of the rendered email can be compared with it
SENT = format_datetime(datetime(2026, 3, 20, 9, 30, tzinfo=timezone.utc))

PREHEADER_HTML = (
    '<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">{preheader}</div>'
    '<div style="display:none">' + "&zwnj;&nbsp;" * 20 + "</div>"
)


def _headers(message: EmailMessage, subject: str, to: str = "qa+welcome@example.test") -> None:
    message["Subject"] = subject
    message["From"] = "Northwind <news@northwind.test>"
    message["To"] = to
    message["Date"] = SENT
    message["Message-ID"] = make_msgid(domain="northwind.test")


def logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), LOGO_RGB).save(buffer, format="PNG")
    return buffer.getvalue()


def alternative_quoted_printable() -> bytes:
    """multipart/alternative, both parts quoted-printable UTF-8, an encoded non-ASCII subject."""
    message = EmailMessage(policy=policy.SMTP)
    _headers(message, "Frühlings-Sale: 20 % Rabatt für Sie")
    message.set_content(
        "Hallo!\n\nClaim 20% off your first order: https://shop.northwind.test/offer?utm_source=email.\n"
        "Grüße, Northwind\n",
        cte="quoted-printable",
    )
    message.add_alternative(
        "<html><body>"
        + PREHEADER_HTML.format(preheader="Launch campaigns your customers love — 20% off")
        + "<h1>Frühling bei Northwind</h1>"
        '<p><a href="https://shop.northwind.test/offer" style="background:#1F4FD8;color:#fff;padding:12px">'
        "Claim 20% off</a></p>"
        '<p><a href="https://www.facebook.com/northwind">Facebook</a></p></body></html>',
        subtype="html",
        cte="quoted-printable",
    )
    return message.as_bytes()


def related_cid_image() -> bytes:
    """multipart/alternative with a multipart/related HTML part: a logo shown through cid:."""
    message = EmailMessage(policy=policy.SMTP)
    _headers(message, "Your Northwind logo")
    message.set_content("Welcome to Northwind.\n")
    message.add_alternative(
        '<html><body style="margin:0;background:#ffffff">'
        '<img src="cid:logo@northwind.test" alt="Northwind" width="120" height="40" style="display:block">'
        "<h1>Welcome to Northwind</h1></body></html>",
        subtype="html",
        cte="base64",
    )
    message.get_payload()[1].add_related(logo_png(), "image", "png", cid="<logo@northwind.test>", filename="logo.png")
    return message.as_bytes()


def legacy_charset(label: str, codec: str, subject: str, html: str, cte: str) -> bytes:
    """One text/html part in a legacy charset, the subject RFC 2047-encoded in it too (compat32
    keeps both as written; the modern policy would re-encode them as UTF-8)."""
    body = html.encode(codec)
    encoded = quopri.encodestring(body) if cte == "quoted-printable" else base64.encodebytes(body)
    message = Message()
    message["Subject"] = Header(subject, label)
    message["From"] = "Northwind <news@northwind.test>"
    message["To"] = "qa@example.test"
    message["Date"] = SENT
    message["MIME-Version"] = "1.0"
    message["Content-Type"] = f'text/html; charset="{label}"'
    message["Content-Transfer-Encoding"] = cte
    message.set_payload(encoded.decode("ascii"))
    return message.as_bytes()


def text_only() -> bytes:
    message = EmailMessage(policy=policy.SMTP)
    _headers(message, "Your receipt")
    message.set_content(
        "Thanks for your order.\n\nTrack it at https://shop.northwind.test/orders/42.\n"
        "Questions? www.northwind.test/help or mailto:help@northwind.test\n",
        charset="utf-8",
    )
    return message.as_bytes()


FIXTURES = {
    "alternative-qp.eml": alternative_quoted_printable,
    "related-cid.eml": related_cid_image,
    "text-only.eml": text_only,
    # Labelled ISO-8859-1 but written as windows-1252 (the euro sign), as much real mail is.
    "latin1-cp1252.eml": lambda: legacy_charset(
        "iso-8859-1",
        "cp1252",
        "Café offer",
        "<html><body><h1>Café crème for 5 €</h1></body></html>",
        "quoted-printable",
    ),
    "shift-jis.eml": lambda: legacy_charset(
        "shift_jis", "shift_jis", "春のセール", "<html><body><h1>春のセール 20%オフ</h1></body></html>", "base64"
    ),
}


def main() -> None:
    for name, build in FIXTURES.items():
        (HERE / name).write_bytes(build())


if __name__ == "__main__":
    main()
