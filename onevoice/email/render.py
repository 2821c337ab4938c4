"""An email touchpoint's capture: fetch the message, render its HTML in Chromium at the
touchpoint's width, isolated (no script, no network: `onevoice.email.isolation`), snapshot it like a page."""

from __future__ import annotations

import time
from pathlib import Path

from onevoice.capture.page import NetworkWatch, shoot_page, shot_capture, touchpoint_page
from onevoice.devices import context_args
from onevoice.facts import Capture, EmailInfo, TextBlock
from onevoice.errors import EmailError
from onevoice.email.isolation import isolated_context_options, refuse_requests, with_policy
from onevoice.email.mime import ParsedEmail, parse_email
from onevoice.email.sources import fetch_email
from onevoice.model import EmailSource, Touchpoint


async def capture_email(
    browser,
    touchpoint: Touchpoint,
    *,
    devices: dict[str, dict],
    spool: Path | None,
    artifacts: Path,
    folder: str,
    timeout: float = 30,
) -> Capture:
    """The capture of an email touchpoint; never raises: a failure gives `Capture(error=...)`.

    `spool`: the run's SMTP catcher spool (smtp sources); `timeout`: seconds for the render
    (the wait for the message is the source's own `timeout`).
    """
    started = time.monotonic()
    failed = Capture(touchpoint=touchpoint.id, channel="email", device=touchpoint.device_label)
    if touchpoint.email is None:
        return failed.model_copy(update={"error": f"touchpoint {touchpoint.id} has no email source"})
    try:
        parsed = await load_email(touchpoint.email, spool=spool)
    except EmailError as exc:
        return failed.model_copy(update={"error": str(exc), "seconds": round(time.monotonic() - started, 3)})
    try:
        capture = await _render(browser, touchpoint, parsed, devices, artifacts, folder, timeout)
    except Exception as exc:  # noqa: BLE001 - the engine records any render failure on the capture
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        error = f"the email '{parsed.subject}' could not be rendered: {reason}"
        return failed.model_copy(update={"error": error, "seconds": round(time.monotonic() - started, 3)})
    inbox_texts = tuple(
        TextBlock(text=text, role=role, visible=True)
        for text, role in ((parsed.subject, "subject"), (parsed.preheader, "preheader"))
        if text
    )
    return capture.model_copy(
        update={
            "url": f"mid:{parsed.message_id.strip('<>')}" if parsed.message_id else None,
            "texts": inbox_texts + capture.texts,
            "email": email_info(parsed),
            "seconds": round(time.monotonic() - started, 3),
        }
    )


async def load_email(source: EmailSource, *, spool: Path | None) -> ParsedEmail:
    """Fetch and parse the message `source` describes."""
    raw = await fetch_email(source, spool=spool)
    if source.source == "file":
        path = Path(source.path or "")
        return parse_email(raw, name=f"email file {path}", base_dir=path.parent)
    return parse_email(raw, name=f"the email from the {source.source} source")


def email_info(parsed: ParsedEmail) -> EmailInfo:
    return EmailInfo(
        subject=parsed.subject,
        preheader=parsed.preheader,
        sender=parsed.sender,
        recipients=parsed.recipients,
        date=parsed.date,
        message_id=parsed.message_id,
        headers=parsed.headers,
        text_part=parsed.text,
        text_links=parsed.text_links,
        html=parsed.has_html,
    )


async def _render(browser, touchpoint, parsed, devices, artifacts, folder, timeout) -> Capture:
    async with touchpoint_page(browser, context_args(touchpoint, devices), timeout, **isolated_context_options()) as page:
        await page.route("**/*", refuse_requests)
        watch = NetworkWatch(page)
        await page.set_content(with_policy(parsed.html), wait_until="load", timeout=timeout * 1000)
        shot = await shoot_page(page, touchpoint, url=None, artifacts=artifacts, folder=folder, watch=watch, scripts=False)
    return await shot_capture(shot, artifacts)
