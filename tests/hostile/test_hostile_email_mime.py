"""An email nested 1,000 MIME levels deep (58 KB) costs its touchpoint, read from a file or
received over SMTP: a clear error, never a RecursionError that takes the run down."""

from __future__ import annotations

import asyncio
import smtplib

import pytest

from onevoice.email import SmtpCatcher
from onevoice.email.catcher import spooled_messages
from onevoice.email.mime import parse_email
from onevoice.email.render import load_email
from onevoice.email.stream import MAX_DEPTH
from onevoice.errors import EmailError
from onevoice.model import EmailSource


def nested_email(depth: int, subject: str = "Deep") -> bytes:
    """A message whose HTML part sits inside `depth` multipart/mixed containers."""
    lines = ["From: shop@example.test", "To: qa@example.test", f"Subject: {subject}", "MIME-Version: 1.0"]
    for level in range(depth):
        lines += [f'Content-Type: multipart/mixed; boundary="level{level}"', "", f"--level{level}"]
    lines += ["Content-Type: text/html; charset=utf-8", "", "<p>Deep down</p>"]
    lines += [f"--level{level}--" for level in reversed(range(depth))]
    return ("\r\n".join(lines) + "\r\n").encode()


TOO_DEEP = f"nest more than {MAX_DEPTH} levels deep"


def test_an_email_nested_1000_levels_is_refused_not_a_recursion_error():
    raw = nested_email(1000)
    assert 50_000 < len(raw) < 100_000
    with pytest.raises(EmailError, match=TOO_DEEP):
        parse_email(raw, name="deep.eml")


def test_an_email_nested_a_few_levels_reads_as_before():
    assert "<p>Deep down</p>" in parse_email(nested_email(12)).html


def test_a_deep_email_file_is_an_error_on_its_touchpoint(tmp_path):
    path = tmp_path / "deep.eml"
    path.write_bytes(nested_email(1000))
    with pytest.raises(EmailError, match=f"email file {path} cannot be read: .*{TOO_DEEP}"):
        asyncio.run(load_email(EmailSource(source="file", path=str(path)), spool=None))


def test_a_deep_email_over_smtp_is_an_error_on_its_touchpoint_and_the_catcher_keeps_working(tmp_path):
    with SmtpCatcher(tmp_path / "spool", port=0) as catcher:
        with smtplib.SMTP("127.0.0.1", catcher.port, timeout=10) as client:
            client.sendmail("shop@example.test", ["qa@example.test"], nested_email(1000, "Deep"))
            client.sendmail("shop@example.test", ["qa@example.test"], nested_email(3, "Shallow"))

        deep = EmailSource(source="smtp", match={"subject": "Deep"}, timeout="10s")
        with pytest.raises(EmailError, match=TOO_DEEP):
            asyncio.run(load_email(deep, spool=catcher.spool))
        shallow = EmailSource(source="smtp", match={"subject": "Shallow"}, timeout="10s")
        assert asyncio.run(load_email(shallow, spool=catcher.spool)).subject == "Shallow"
        assert len(spooled_messages(catcher.spool)) == 2
