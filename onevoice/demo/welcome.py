"""The welcome email the demo site sends on sign-up, and sending it over real SMTP.

The email carries three deliberate slips, so that the demo report has something to show:
it promises 25% where the site says 20%, its footer has no Instagram link, and it links
the brand's old Twitter handle.
"""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from onevoice.demo.content import QUILLORY, DemoBrand, SocialAccount
from onevoice.email.inline import data_uri

SMTP_HOST = "127.0.0.1"
DEFAULT_SMTP_PORT = 8025
SENDER = "Quillory <hello@quillory.example>"
UNSUBSCRIBE = "unsubscribe@quillory.example"
SUBJECT = "Welcome to Quillory"
CTA_TEXT = "Claim 20% off"
EMAIL_OFFER = "25% off your first order"  # slip: the site and the CTA say 20%
EMAIL_FOOTER_SOCIAL = (  # slip: no Instagram, and the Twitter handle retired in 2023
    QUILLORY.social[0],
    SocialAccount("x", "Twitter", "https://twitter.com/quillory_hq"),
    QUILLORY.social[2],
)

STATIC = Path(__file__).parent / "site" / "static"
# What the email shows is inside it, as mail clients show it without loading anything: the logo
# as a related part (cid:), the fonts as data: URIs in its style sheet.
LOGO = ("img/logo.png", "logo@quillory.example")
FONTS = {400: "fonts/inter-400.woff2", 700: "fonts/inter-700.woff2"}

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "email"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


class MailNotSent(RuntimeError):
    """The welcome email could not be handed to the SMTP server."""


def tracked_link(base_url: str, path: str) -> str:
    """The demo server's click-tracking redirect to `path` (a site-relative path)."""
    return f"{base_url}r?u={quote(path, safe='/')}"


def compose_welcome(to: str, base_url: str, brand: DemoBrand = QUILLORY) -> EmailMessage:
    """The welcome email to `to`: text and HTML alternatives, the HTML with its logo as a related
    part (cid:); its links point at `base_url`."""
    context = {
        "brand": brand,
        "base": base_url,
        "to": to,
        "subject": SUBJECT,
        "preheader": f"Your welcome gift: {EMAIL_OFFER} with code {brand.promo_code}.",
        "offer": EMAIL_OFFER,
        "cta_text": CTA_TEXT,
        "cta_url": tracked_link(base_url, "/offer"),
        "social": EMAIL_FOOTER_SOCIAL,
        "unsubscribe": UNSUBSCRIBE,
        "logo_src": f"cid:{LOGO[1]}",
        "fonts": {weight: data_uri("font/woff2", (STATIC / path).read_bytes()) for weight, path in FONTS.items()},
    }
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = SENDER
    message["To"] = to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="quillory.example")
    message["List-Unsubscribe"] = f"<mailto:{UNSUBSCRIBE}?subject=unsubscribe>"
    message.set_content(_TEMPLATES.get_template("welcome.txt.j2").render(context))
    message.add_alternative(_TEMPLATES.get_template("welcome.html.j2").render(context), subtype="html")
    message.get_payload()[1].add_related((STATIC / LOGO[0]).read_bytes(), "image", "png", cid=f"<{LOGO[1]}>")
    return message


def smtp_port(explicit: int | None = None, environ: dict[str, str] | None = None) -> int:
    """`explicit`, else ONEVOICE_SMTP_PORT, else 8025."""
    if explicit is not None:
        return explicit
    value = (os.environ if environ is None else environ).get("ONEVOICE_SMTP_PORT", "")
    if not value:
        return DEFAULT_SMTP_PORT
    if not value.isdigit():
        raise MailNotSent(f"ONEVOICE_SMTP_PORT={value!r} is not a port number (set it to e.g. 8025)")
    return int(value)


def send(message: EmailMessage, port: int, host: str = SMTP_HOST) -> None:
    """Hand `message` to the SMTP server at host:port."""
    try:
        with smtplib.SMTP(host, port, timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(
            f"could not send the welcome email to SMTP {host}:{port} ({exc}); start a mail catcher there "
            f"(onevoice run does) or set ONEVOICE_SMTP_PORT to the port of yours"
        ) from exc
