"""Which message a touchpoint means: `match: {to, from, subject}` against a message's summary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage

from onevoice.errors import EmailError
from onevoice.model import EmailMatch
from onevoice.patterns import compiled

RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To")


@dataclass(frozen=True)
class MessageSummary:
    """What a mailbox lists of a message: enough to pick it."""

    subject: str
    sender: str
    recipients: str  # every recipient header joined: "Ann <ann@x.test>, bob@y.test"


def summary_of(headers: EmailMessage) -> MessageSummary:
    def value(name: str) -> str:
        try:
            return ", ".join(str(found) for found in headers.get_all(name, []))
        except (ValueError, TypeError, IndexError, AttributeError):
            return ""

    recipients = ", ".join(filter(None, (value(name) for name in RECIPIENT_HEADERS)))
    return MessageSummary(subject=value("Subject"), sender=value("From"), recipients=recipients)


def field_matches(pattern: str, value: str) -> bool:
    """Case-insensitive substring, or a regular expression written `/like this/`."""
    try:
        regex = compiled(pattern)
    except re.error as exc:
        raise EmailError(f"match pattern {pattern}: not a valid regular expression ({exc})") from exc
    return regex.search(value) is not None if regex else pattern.casefold() in value.casefold()


def matches(match: EmailMatch, summary: MessageSummary) -> bool:
    """Whether every field given in `match` matches the message."""
    wanted = ((match.to, summary.recipients), (match.from_, summary.sender), (match.subject, summary.subject))
    return all(field_matches(pattern, value) for pattern, value in wanted if pattern is not None)


def describe(match: EmailMatch) -> str:
    """`match` as people read it: `to ~ 'qa@x.test', subject ~ 'Welcome'` (or `any message`)."""
    given = [
        (name, getattr(match, attribute))
        for name, attribute in (("to", "to"), ("from", "from_"), ("subject", "subject"))
    ]
    shown = [f"{name} ~ '{pattern}'" for name, pattern in given if pattern is not None]
    return ", ".join(shown) or "any message"


def arrived_list(subjects: list[str], limit: int = 10) -> str:
    """'N arrived: 'A', 'B' ...' for an error message; 'none arrived' when empty."""
    if not subjects:
        return "no message arrived"
    shown = ", ".join(f"'{subject or '(no subject)'}'" for subject in subjects[-limit:])
    more = f" (the last {limit} shown)" if len(subjects) > limit else ""
    return f"{len(subjects)} arrived: {shown}{more}"
