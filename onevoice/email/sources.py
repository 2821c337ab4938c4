"""Where an email touchpoint's message comes from (docs/journeys.md).

Each source is async and returns the raw message (attachment bodies left out, see
`onevoice.email.stream`), or raises `EmailError` with one line a user can act on.
Blocking clients (files, imaplib, urllib) run in a worker thread.
"""

from __future__ import annotations

import asyncio
import imaplib
import io
import json
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from onevoice.email.catcher import PORT_VARIABLE, configured_port, not_running, spooled_messages
from onevoice.errors import EmailError
from onevoice.email.match import MessageSummary, arrived_list, describe, matches, summary_of
from onevoice.email.stream import TooDeep, parse_headers, read_headers, read_message
from onevoice.model import EmailMatch, EmailSource

POLL_SECONDS = 0.25  # how often the spool is looked at while waiting
REMOTE_POLL_SECONDS = 1.0  # how often an IMAP server or mail API is asked again
NETWORK_TIMEOUT = 10.0  # one connection or request to an IMAP server or mail API


async def fetch_email(source: EmailSource, *, spool: Path | None = None) -> bytes:
    """The raw message `source` describes; `spool`: the run's SMTP catcher spool (smtp sources)."""
    if source.source == "file":
        return await from_file(Path(source.path or ""))
    if source.source == "smtp":
        return await from_spool(spool, source.match, source.timeout_seconds)
    if source.source == "imap":
        return await asyncio.to_thread(from_imap, source)
    return await asyncio.to_thread(from_http, source)


# --- file ----------------------------------------------------------------------------------


async def from_file(path: Path) -> bytes:
    """An .eml or bare .html file (its path already absolute)."""
    return await asyncio.to_thread(_read_file, path)


def _read_file(path: Path) -> bytes:
    if not path.is_file():
        problem = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise EmailError(
            f"email file {path} {problem}: check the touchpoint's email.path (relative to the journey file)"
        )
    try:
        with path.open("rb") as stream:
            if stream.peek(64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":  # a bare HTML document
                return stream.read()
            return read_message(stream)
    except OSError as exc:
        raise EmailError(f"email file {path} cannot be read: {exc.strerror or exc}") from exc
    except TooDeep as error:
        raise EmailError(f"email file {path} cannot be read: {error}") from None


# --- smtp: the run's catcher spool ---------------------------------------------------------


async def from_spool(spool: Path | None, match: EmailMatch, timeout: float) -> bytes:
    """The first message in the catcher's spool that matches, waiting up to `timeout` seconds."""
    if spool is None:
        raise EmailError("source smtp needs the run's SMTP catcher, and none is running: run the journey with onevoice")
    if (reason := not_running(spool)) is not None:  # the run's catcher could not start: it says why
        raise EmailError(reason)
    deadline = time.monotonic() + timeout
    seen: dict[Path, MessageSummary] = {}
    while True:
        for path in spooled_messages(spool):
            if path not in seen:
                seen[path] = await asyncio.to_thread(_spooled_summary, path)
            if matches(match, seen[path]):
                return await asyncio.to_thread(_read_file, path)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            subjects = [summary.subject for summary in seen.values()]
            raise EmailError(
                f"no email matching {describe(match)} arrived at the SMTP catcher (127.0.0.1, port "
                f"{PORT_VARIABLE}={configured_port()}) within {timeout:g}s; {arrived_list(subjects)}"
            )
        await asyncio.sleep(min(POLL_SECONDS, remaining))


def _spooled_summary(path: Path) -> MessageSummary:
    with path.open("rb") as stream:
        return summary_of(read_headers(stream))


# --- imap ----------------------------------------------------------------------------------

_HEADER_FIELDS = "(BODY.PEEK[HEADER.FIELDS (SUBJECT FROM TO CC DELIVERED-TO X-ORIGINAL-TO)])"
_UID = re.compile(rb"\bUID (\d+)")
_BATCH = 100


def from_imap(source: EmailSource) -> bytes:
    """The newest message in the folder that matches, waiting up to the source's timeout (blocking)."""
    use_ssl = source.ssl if source.ssl is not None else source.port == 993
    port = source.port or (993 if use_ssl else 143)
    where = f"IMAP server {source.host}:{port}"
    try:
        if use_ssl:
            client: imaplib.IMAP4 = imaplib.IMAP4_SSL(source.host, port, timeout=NETWORK_TIMEOUT)
        else:
            client = imaplib.IMAP4(source.host, port, timeout=NETWORK_TIMEOUT)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise EmailError(f"cannot reach the {where}: {_reason(exc)}; check email.host, port and ssl") from exc
    try:
        try:
            client.login(source.user or "", source.password or "")
        except imaplib.IMAP4.error as exc:
            raise EmailError(
                f"login to the {where} as {source.user!r} failed ({_reason(exc)}): check email.user and password"
            ) from exc
        return _await_imap_message(client, source, where)
    except (OSError, imaplib.IMAP4.abort) as exc:
        raise EmailError(f"the {where} dropped the connection: {_reason(exc)}") from exc
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def _await_imap_message(client: imaplib.IMAP4, source: EmailSource, where: str) -> bytes:
    deadline = time.monotonic() + source.timeout_seconds
    while True:
        status, _ = client.select(_imap_quote(source.folder), readonly=True)
        if status != "OK":
            raise EmailError(f"folder {source.folder!r} cannot be opened on the {where}: check email.folder")
        uid = _newest_imap_match(client, source.match)
        if uid is not None:
            status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if status == "OK" and raw is not None:
                return read_message(io.BytesIO(raw))
        if time.monotonic() >= deadline:
            subjects = [summary.subject for _, summary in _imap_summaries(client, _imap_uids(client, "ALL")[-10:])]
            raise EmailError(
                f"no email matching {describe(source.match)} arrived in {source.folder!r} on the {where} within "
                f"{source.timeout_seconds:g}s; newest there: {arrived_list(list(reversed(subjects)))}"
            )
        time.sleep(REMOTE_POLL_SECONDS)


def _newest_imap_match(client: imaplib.IMAP4, match: EmailMatch) -> str | None:
    uids = _imap_uids(client, *_server_criteria(match))
    for end in range(len(uids), 0, -_BATCH):
        batch = uids[max(0, end - _BATCH) : end]
        for uid, summary in reversed(_imap_summaries(client, batch)):
            if matches(match, summary):
                return uid
    return None


def _server_criteria(match: EmailMatch) -> list[str]:
    """SEARCH keys that narrow the search on the server (plain ASCII substrings only)."""
    criteria = []
    for key, pattern in (("SUBJECT", match.subject), ("FROM", match.from_)):
        if pattern and not (pattern.startswith("/") and pattern.endswith("/")) and pattern.isascii():
            criteria += [key, _imap_quote(pattern)]
    return criteria or ["ALL"]


def _imap_uids(client: imaplib.IMAP4, *criteria: str) -> list[str]:
    status, data = client.uid("SEARCH", None, *criteria)
    if status != "OK" or not data or not data[0]:
        return []
    return sorted(data[0].decode().split(), key=int)


def _imap_summaries(client: imaplib.IMAP4, uids: list[str]) -> list[tuple[str, MessageSummary]]:
    if not uids:
        return []
    status, data = client.uid("FETCH", ",".join(uids), _HEADER_FIELDS)
    found = []
    for item in data if status == "OK" else []:
        if isinstance(item, tuple):
            uid = _UID.search(item[0])
            if uid:
                found.append((uid.group(1).decode(), summary_of(parse_headers(item[1]))))
    return sorted(found, key=lambda pair: int(pair[0]))


def _imap_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- http: Mailpit and MailDev APIs --------------------------------------------------------


@dataclass(frozen=True)
class MailApi:
    """A mail-catcher web API: where its list and raw messages are, and how to read its list."""

    name: str
    list_path: str
    raw_path: str  # with {id}
    summaries: Callable[[object], list[tuple[str, MessageSummary]]]  # newest first


def _address(entry: object) -> str:
    if not isinstance(entry, dict):
        return str(entry or "")
    name = entry.get("Name") or entry.get("name") or ""
    address = entry.get("Address") or entry.get("address") or ""
    return f"{name} <{address}>" if name else address


def _addresses(entries: object) -> str:
    return ", ".join(_address(entry) for entry in entries) if isinstance(entries, list) else _address(entries)


def mailpit_summaries(payload: object) -> list[tuple[str, MessageSummary]]:
    """Mailpit's `/api/v1/messages` answer (newest first) as (ID, summary) pairs."""
    messages = payload.get("messages") if isinstance(payload, dict) else None
    if not isinstance(messages, list):
        raise ValueError("no 'messages' list")
    return [
        (
            str(message["ID"]),
            MessageSummary(
                subject=str(message.get("Subject") or ""),
                sender=_address(message.get("From")),
                recipients=", ".join(filter(None, (_addresses(message.get(key) or []) for key in ("To", "Cc", "Bcc")))),
            ),
        )
        for message in messages
        if isinstance(message, dict) and "ID" in message
    ]


def maildev_summaries(payload: object) -> list[tuple[str, MessageSummary]]:
    """MailDev's `/email` answer (oldest first) as (id, summary) pairs, newest first."""
    if not isinstance(payload, list):
        raise ValueError("not a list of emails")
    emails = [email for email in payload if isinstance(email, dict) and "id" in email]
    emails = sorted(enumerate(emails), key=lambda pair: (str(pair[1].get("time") or ""), pair[0]), reverse=True)
    return [
        (
            str(email["id"]),
            MessageSummary(
                subject=str(email.get("subject") or ""),
                sender=_addresses(email.get("from") or []),
                recipients=", ".join(filter(None, (_addresses(email.get(key) or []) for key in ("to", "cc", "bcc")))),
            ),
        )
        for _, email in emails
    ]


MAILPIT = MailApi("Mailpit", "/api/v1/messages?limit=500", "/api/v1/message/{id}/raw", mailpit_summaries)
MAILDEV = MailApi("MailDev", "/email", "/email/{id}/download", maildev_summaries)


def from_http(source: EmailSource) -> bytes:
    """The newest message the Mailpit or MailDev API lists that matches, waiting up to the timeout (blocking)."""
    base = (source.url or "").rstrip("/")
    api, listing = _probe(base)
    deadline = time.monotonic() + source.timeout_seconds
    while True:
        found = next((key for key, summary in listing if matches(source.match, summary)), None)
        if found is not None:
            url = base + api.raw_path.format(id=quote(found, safe=""))
            try:
                with urllib.request.urlopen(url, timeout=NETWORK_TIMEOUT) as response:
                    return read_message(response)
            except (urllib.error.URLError, OSError) as exc:
                raise EmailError(f"{api.name} at {base} did not give message {found}: {_reason(exc)}") from exc
        if time.monotonic() >= deadline:
            subjects = [summary.subject for _, summary in reversed(listing)]
            raise EmailError(
                f"no email matching {describe(source.match)} arrived at {api.name} ({base}) within "
                f"{source.timeout_seconds:g}s; {arrived_list(subjects)}"
            )
        time.sleep(REMOTE_POLL_SECONDS)
        try:
            listing = _list(base, api)
        except _NotThisApi as exc:
            raise EmailError(f"{api.name} at {base} stopped listing its messages: {exc}") from exc


def _probe(base: str) -> tuple[MailApi, list[tuple[str, MessageSummary]]]:
    """Which API answers at `base` (Mailpit or MailDev), with its current list."""
    problems = []
    for api in (MAILPIT, MAILDEV):
        try:
            return api, _list(base, api)
        except _NotThisApi as exc:
            problems.append(f"{api.list_path.split('?')[0]}: {exc}")
    raise EmailError(
        f"no Mailpit or MailDev API answers at {base} ({'; '.join(problems)}): check email.url "
        "(the web address of the mail catcher, e.g. http://127.0.0.1:8025)"
    )


class _NotThisApi(Exception):
    pass


def _list(base: str, api: MailApi) -> list[tuple[str, MessageSummary]]:
    try:
        with urllib.request.urlopen(base + api.list_path, timeout=NETWORK_TIMEOUT) as response:
            payload = json.load(response)
        return api.summaries(payload)
    except urllib.error.HTTPError as exc:
        raise _NotThisApi(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise EmailError(
            f"cannot reach the mail API at {base}: {_reason(exc)}; is Mailpit or MailDev running there?"
        ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise _NotThisApi(f"not its JSON ({exc})") from exc


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = exc.args[0] if exc.args else exc
    return text.decode(errors="replace") if isinstance(text, bytes) else str(text)
