"""The built-in SMTP catcher: what the application under test sends its mail to.

Every message received is written, whole, as one `.eml` file into a spool folder, so
any process can read the run's mail: the catcher is started once, by the process that
owns the run (the CLI, or the pytest-xdist controller), and the workers only read the
spool (`onevoice.email.sources`), never start a catcher of their own. File names sort
in arrival order; a file appears only when complete (written aside, then renamed).
"""

from __future__ import annotations

import asyncio
import errno
import os
import time
import uuid
from pathlib import Path

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

from onevoice.errors import EmailError
from onevoice.loop import LoopThread

DEFAULT_SMTP_PORT = 8025
PORT_VARIABLE = "ONEVOICE_SMTP_PORT"


def configured_port(environ: dict[str, str] | None = None) -> int:
    """The catcher's port: ONEVOICE_SMTP_PORT, else 8025."""
    value = (os.environ if environ is None else environ).get(PORT_VARIABLE, "").strip()
    if not value:
        return DEFAULT_SMTP_PORT
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise EmailError(f"{PORT_VARIABLE}={value!r} is not a port number (0-65535)")
    return int(value)


NOT_RUNNING = ".not-running"  # left in a spool: why no catcher fills it


def mark_not_running(spool: Path, reason: str) -> None:
    """Leave `reason` in `spool` for the processes that would wait for mail there (pytest's workers)."""
    spool.mkdir(parents=True, exist_ok=True)
    (spool / NOT_RUNNING).write_text(reason, encoding="utf-8")


def not_running(spool: Path) -> str | None:
    """Why no catcher fills `spool` (`mark_not_running`), or None."""
    try:
        return (spool / NOT_RUNNING).read_text(encoding="utf-8")
    except OSError:
        return None


def spooled_messages(spool: Path) -> list[Path]:
    """The complete messages in the spool, in arrival order."""
    if not spool.is_dir():
        return []
    return sorted(path for path in spool.iterdir() if path.suffix == ".eml" and not path.name.startswith("."))


def spool_message(spool: Path, content: bytes, mail_from: str | None, recipients: list[str]) -> Path:
    """Write one received message into the spool, with the envelope as Return-Path / Delivered-To."""
    trace = [f"Return-Path: <{mail_from or ''}>"] + [f"Delivered-To: {recipient}" for recipient in recipients]
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.eml"
    partial = spool / f".{name}.part"
    partial.write_bytes("".join(f"{line}\r\n" for line in trace).encode("utf-8") + content)
    final = spool / name
    os.replace(partial, final)
    return final


class _SpoolHandler:
    def __init__(self, spool: Path) -> None:
        self.spool = spool

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        spool_message(self.spool, content, envelope.mail_from, list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _accept_any_login(*_: object) -> AuthResult:
    """Applications configured with SMTP credentials may log in with any."""
    return AuthResult(success=True)


class SmtpCatcher:
    """An SMTP server on `host` that spools every message; `port=None`: ONEVOICE_SMTP_PORT or 8025,
    `port=0`: a free port (read `.port` after start)."""

    def __init__(self, spool: Path, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.spool = spool
        self.host = host
        self.port = configured_port() if port is None else port
        self._thread: LoopThread | None = None
        self._server: asyncio.AbstractServer | None = None

    def start(self) -> SmtpCatcher:
        if self._server is not None:
            return self
        self.spool.mkdir(parents=True, exist_ok=True)
        thread = LoopThread("onevoice-smtp")
        try:
            self._server = thread.run(self._serve(), timeout=30)
        except OSError as exc:
            thread.close()
            raise EmailError(self._bind_error(exc)) from exc
        self._thread = thread
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _serve(self) -> asyncio.AbstractServer:
        handler = _SpoolHandler(self.spool)

        def protocol() -> SMTP:
            return SMTP(
                handler,
                hostname="onevoice-catcher",
                enable_SMTPUTF8=True,
                auth_require_tls=False,
                authenticator=_accept_any_login,
            )

        return await asyncio.get_running_loop().create_server(protocol, self.host, self.port)

    def _bind_error(self, exc: OSError) -> str:
        where = f"{self.host}:{self.port}"
        if exc.errno == errno.EADDRINUSE:
            return (
                f"the SMTP catcher cannot listen on {where}: the port is in use; "
                f"set {PORT_VARIABLE} to a free port (and point the application under test at it)"
            )
        return f"the SMTP catcher cannot listen on {where}: {exc.strerror or exc}"

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        server, thread = self._server, self._thread
        self._server = self._thread = None

        async def close() -> None:
            server.close()
            try:  # an SMTP client that keeps its connection open must not hold up the run
                await asyncio.wait_for(server.wait_closed(), timeout=5)
            except asyncio.TimeoutError:
                pass

        thread.run(close(), timeout=10)
        thread.close()

    def __enter__(self) -> SmtpCatcher:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
