"""Email sources against real servers on loopback: the SMTP catcher (smtplib), dovecot (IMAP),
MailDev (HTTP API); plus the matching rules and the errors a user sees."""

from __future__ import annotations

import asyncio
import imaplib
import os
import pwd
import shutil
import smtplib
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from onevoice.email.catcher import SmtpCatcher, configured_port, spooled_messages
from onevoice.errors import EmailError
from onevoice.email.match import MessageSummary, describe, field_matches, matches
from onevoice.email.mime import parse_email
from onevoice.email.sources import fetch_email, from_spool, mailpit_summaries, maildev_summaries
from onevoice.model import EmailMatch, EmailSource

READY_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def message(subject: str, to: str = "qa@example.test", sender: str = "Northwind <news@northwind.test>") -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = subject, sender, to
    mail.set_content(f"{subject}: plain")
    mail.add_alternative(f"<html><body><h1>{subject}</h1></body></html>", subtype="html")
    return mail


def send(port: int, mail: EmailMessage, *, to: list[str] | None = None, login: bool = False) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        if login:
            client.login("app", "app-password")
        client.send_message(mail, to_addrs=to)


def wait_until(ready, what: str, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        if ready():
            return
        time.sleep(0.1)
    details = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    pytest.fail(f"{what} did not start within {READY_TIMEOUT:g}s. {details}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# --- matching -----------------------------------------------------------------------------


def test_match_fields_are_case_insensitive_substrings_or_regexes():
    summary = MessageSummary(
        subject="Welcome to Northwind", sender="News <news@nw.test>", recipients="qa+R1@example.test"
    )
    assert field_matches("welcome", summary.subject) and field_matches(r"/^welcome\b/", summary.subject)
    assert not field_matches("/^northwind/", summary.subject)
    assert matches(EmailMatch(to="QA+r1@", subject="Northwind"), summary)
    assert matches(EmailMatch.model_validate({"from": "/news@nw\\.test/"}), summary)
    assert not matches(EmailMatch(to="qa+R2@example.test"), summary)
    assert matches(EmailMatch(), summary)
    assert describe(EmailMatch.model_validate({"to": "a@b", "from": "x"})) == "to ~ 'a@b', from ~ 'x'"
    with pytest.raises(EmailError, match="not a valid regular expression"):
        field_matches("/(/", "x")


# --- SMTP catcher and the smtp source -------------------------------------------------------


@pytest.fixture
def catcher(tmp_path):
    with SmtpCatcher(tmp_path / "spool", port=0) as running:
        yield running


def test_catcher_spools_real_mail_and_the_smtp_source_finds_the_first_match(catcher):
    assert catcher.port not in (0, 8025)
    send(catcher.port, message("Your receipt", to="someone@example.test"))
    send(catcher.port, message("Welcome aboard"), to=["hidden+r7@example.test"], login=True)  # Bcc-only recipient
    send(catcher.port, message("Welcome again"), to=["hidden+r7@example.test"])

    raw = asyncio.run(from_spool(catcher.spool, EmailMatch(to="HIDDEN+r7@", subject="/^welcome/"), timeout=5))
    parsed = parse_email(raw)
    assert parsed.subject == "Welcome aboard"
    assert parsed.headers["Delivered-To"] == "hidden+r7@example.test"
    assert parsed.headers["Return-Path"] == "<news@northwind.test>"
    assert "<h1>Welcome aboard</h1>" in parsed.html
    assert len(spooled_messages(catcher.spool)) == 3


def test_smtp_source_waits_for_mail_that_arrives_later(catcher):
    later = threading.Timer(0.5, send, args=(catcher.port, message("Password reset", to="qa+late@example.test")))
    later.start()
    try:
        source = EmailSource(source="smtp", match={"to": "qa+late@"}, timeout="10s")
        started = time.monotonic()
        raw = asyncio.run(fetch_email(source, spool=catcher.spool))
    finally:
        later.join()
    assert parse_email(raw).subject == "Password reset"
    assert time.monotonic() - started < 5


def test_an_email_that_never_arrives_names_the_match_the_timeout_and_what_arrived(catcher):
    send(catcher.port, message("Your receipt"))
    send(catcher.port, message("Newsletter #12"))
    source = EmailSource(source="smtp", match={"subject": "Welcome"}, timeout="0.6s")
    with pytest.raises(EmailError) as caught:
        asyncio.run(fetch_email(source, spool=catcher.spool))
    error = str(caught.value)
    assert "no email matching subject ~ 'Welcome'" in error and "within 0.6s" in error
    assert "2 arrived: 'Your receipt', 'Newsletter #12'" in error


def test_smtp_source_without_a_catcher_says_so():
    with pytest.raises(EmailError, match="none is running"):
        asyncio.run(fetch_email(EmailSource(source="smtp"), spool=None))


def test_catcher_on_a_busy_port_says_how_to_choose_another(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(EmailError, match=r"port is in use; set ONEVOICE_SMTP_PORT to a free port"):
            SmtpCatcher(tmp_path, port=busy.getsockname()[1]).start()


def test_catcher_port_comes_from_the_environment():
    assert configured_port({}) == 8025
    assert configured_port({"ONEVOICE_SMTP_PORT": "2525"}) == 2525
    with pytest.raises(EmailError, match="ONEVOICE_SMTP_PORT='smtp' is not a port number"):
        configured_port({"ONEVOICE_SMTP_PORT": "smtp"})


# --- IMAP: a real dovecot ----------------------------------------------------------------------


@dataclass(frozen=True)
class ImapServer:
    port: int
    user: str = "qa"
    password: str = "s3cret"

    def source(self, **fields) -> EmailSource:
        return EmailSource(
            source="imap", host="127.0.0.1", port=self.port, user=self.user, password=self.password, **fields
        )

    def append(self, mail: EmailMessage) -> None:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            client.login(self.user, self.password)
            status, detail = client.append("INBOX", None, None, mail.as_bytes())
            assert status == "OK", detail
        finally:
            client.logout()


DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
auth_failure_delay = 0
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def imap_greets(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            return connection.recv(64).startswith(b"* OK")
    except OSError:
        return False


@pytest.fixture(scope="module")
def dovecot():
    executable = shutil.which("dovecot")
    if executable is None:
        pytest.skip("dovecot is not installed (run tools/test-services.sh, or install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="onevoice-imap-"))  # short: dovecot's socket paths are limited
    try:
        root.chmod(0o755)  # dovecot's auth process runs as its own user
        (root / "mail").mkdir()
        if os.geteuid() == 0:  # dovecot serves no mail as root, and runs its logins as its own users
            owner = pwd.getpwnam("nobody")
            uid, gid, users = owner.pw_uid, owner.pw_gid, ""
            os.chown(root / "mail", uid, gid)
        else:
            uid, gid, name = os.getuid(), os.getgid(), pwd.getpwuid(os.getuid()).pw_name
            users = f"default_internal_user = {name}\ndefault_login_user = {name}"
        server = ImapServer(port=free_port())
        (root / "passwd").write_text(f"{server.user}:{{PLAIN}}{server.password}\n")
        (root / "dovecot.conf").write_text(
            DOVECOT_CONF.format(root=root, users=users, uid=uid, gid=gid, port=server.port)
        )
        process = subprocess.Popen(
            [executable, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        try:
            wait_until(partial(imap_greets, server.port), "dovecot", process, root / "dovecot.log")
            yield server
        finally:
            stop(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_imap_source_fetches_the_newest_matching_message(dovecot):
    dovecot.append(message("Welcome (old run)", to="qa+r1@example.test"))
    dovecot.append(message("Welcome", to="qa+r2@example.test"))
    dovecot.append(message("Welcome", to="other@example.test"))
    dovecot.append(message("Unrelated news", to="qa+r2@example.test"))
    raw = asyncio.run(fetch_email(dovecot.source(match={"to": "qa+r2@", "subject": "welcome"}, timeout="5s")))
    parsed = parse_email(raw)
    assert parsed.subject == "Welcome" and parsed.recipients == ("qa+r2@example.test",)

    raw = asyncio.run(fetch_email(dovecot.source(match={"subject": "/\\(old run\\)$/"}, timeout="5s")))
    assert parse_email(raw).subject == "Welcome (old run)"


def test_imap_message_that_never_arrives_lists_the_newest_there(dovecot):
    dovecot.append(message("Receipt 991"))
    with pytest.raises(EmailError) as caught:
        asyncio.run(fetch_email(dovecot.source(match={"subject": "Never sent"}, timeout="0.5s")))
    error = str(caught.value)
    assert "no email matching subject ~ 'Never sent' arrived in 'INBOX'" in error and "'Receipt 991'" in error


def test_imap_missing_folder_is_one_clear_line(dovecot):
    with pytest.raises(
        EmailError, match="folder 'Archive/2019' cannot be opened on the IMAP server .*check email.folder"
    ):
        asyncio.run(fetch_email(dovecot.source(folder="Archive/2019", timeout=1)))


def test_imap_login_failure_is_one_clear_line(dovecot):
    # Last of the dovecot tests: dovecot slows down the next logins after a failed one.
    wrong = EmailSource(source="imap", host="127.0.0.1", port=dovecot.port, user="qa", password="wrong", timeout=1)
    with pytest.raises(
        EmailError, match=r"login to the IMAP server 127\.0\.0\.1:\d+ as 'qa' failed .*check email.user and password"
    ):
        asyncio.run(fetch_email(wrong))


def test_unreachable_imap_server():
    source = EmailSource(source="imap", host="127.0.0.1", port=free_port(), user="u", password="p", timeout=1)
    with pytest.raises(
        EmailError, match=r"cannot reach the IMAP server 127\.0\.0\.1:\d+: .*check email.host, port and ssl"
    ):
        asyncio.run(fetch_email(source))


# --- HTTP: a real MailDev; Mailpit's list format ----------------------------------------------


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def maildev(repo_root):
    script = repo_root / ".onevoice-services" / "node_modules" / "maildev" / "bin" / "maildev"
    node = shutil.which("node")
    if node is None or not script.is_file():
        pytest.skip("MailDev is not installed (run tools/test-services.sh; it needs Node.js and npm)")
    smtp_port, web_port = free_port(), free_port()
    log = Path(tempfile.mkstemp(prefix="onevoice-maildev-", suffix=".log")[1])
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                node,
                str(script),
                "--smtp",
                str(smtp_port),
                "--web",
                str(web_port),
                "--ip",
                "127.0.0.1",
                "--web-ip",
                "127.0.0.1",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{web_port}"
    try:
        wait_until(partial(answers, f"{base}/email"), "MailDev", process, log)
        yield base, smtp_port
    finally:
        stop(process)
        log.unlink(missing_ok=True)


def test_http_source_reads_maildev(maildev):
    base, smtp_port = maildev
    send(smtp_port, message("Welcome", to="qa+m1@example.test"))
    send(smtp_port, message("Welcome", to="qa+m2@example.test"))
    raw = asyncio.run(fetch_email(EmailSource(source="http", url=base + "/", match={"to": "qa+m1@"}, timeout="5s")))
    parsed = parse_email(raw)
    assert parsed.subject == "Welcome" and parsed.recipients == ("qa+m1@example.test",)
    assert "<h1>Welcome</h1>" in parsed.html

    with pytest.raises(EmailError) as caught:
        asyncio.run(fetch_email(EmailSource(source="http", url=base, match={"subject": "Invoice"}, timeout="0.3s")))
    assert f"arrived at MailDev ({base}) within 0.3s" in str(caught.value) and "'Welcome'" in str(caught.value)


def test_mailpit_list_is_read_newest_first():
    payload = {
        "total": 2,
        "messages": [
            {
                "ID": "b2",
                "Subject": "Welcome",
                "From": {"Name": "Northwind", "Address": "news@nw.test"},
                "To": [{"Name": "", "Address": "qa+2@example.test"}],
                "Cc": [],
                "Bcc": None,
            },
            {
                "ID": "a1",
                "Subject": "Receipt",
                "From": {"Name": "", "Address": "shop@nw.test"},
                "To": [{"Name": "QA", "Address": "qa+1@example.test"}],
            },
        ],
    }
    assert mailpit_summaries(payload) == [
        ("b2", MessageSummary("Welcome", "Northwind <news@nw.test>", "qa+2@example.test")),
        ("a1", MessageSummary("Receipt", "shop@nw.test", "QA <qa+1@example.test>")),
    ]
    with pytest.raises(ValueError):
        mailpit_summaries([])
    with pytest.raises(ValueError):
        maildev_summaries({"messages": []})


def test_http_source_errors_for_an_unreachable_or_foreign_server(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(
        EmailError, match=rf"cannot reach the mail API at {dead}: .*is Mailpit or MailDev running there\?"
    ):
        asyncio.run(fetch_email(EmailSource(source="http", url=dead, timeout=1)))

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(
            EmailError, match=r"no Mailpit or MailDev API answers at .*/api/v1/messages: HTTP 404; /email: HTTP 404"
        ):
            asyncio.run(fetch_email(EmailSource(source="http", url=url, timeout=1)))
    finally:
        server.shutdown()
        server.server_close()
