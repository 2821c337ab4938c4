"""Email touchpoints: sources (file, the SMTP catcher, IMAP, Mailpit/MailDev), MIME, rendering."""

from onevoice.email.catcher import SmtpCatcher
from onevoice.errors import EmailError
from onevoice.email.mime import ParsedEmail, parse_email
from onevoice.email.render import capture_email
from onevoice.email.sources import fetch_email

__all__ = ["EmailError", "ParsedEmail", "SmtpCatcher", "capture_email", "fetch_email", "parse_email"]
