"""Running journeys: browsers from a pool (onevoice.browser), one context per touchpoint, then the checks.

A journey's touchpoints are captured concurrently (bounded by `RunSettings.concurrency`),
except where order matters: a touchpoint starts after every earlier touchpoint that has
`steps` (they may change state, e.g. send the email an email touchpoint waits for), and
after the touchpoint it `follow`s.
"""

from __future__ import annotations

import asyncio
import functools
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from onevoice import defaults
from onevoice.baseline.store import baseline_path
from onevoice.browser import BrowserPool
from onevoice.capture.app.appium import AppSessions, capture_appium, session_key
from onevoice.capture.app.capture import capture_saved_screen
from onevoice.capture.follow import WEB_SCHEMES, find_link, is_web_url, scheme_of
from onevoice.capture.ocr import require_model
from onevoice.capture.web import CaptureSettings, capture_web
from onevoice.devices import playwright_devices
from onevoice.facts import Capture
from onevoice.email import capture_email
from onevoice.errors import BrowserLost, CaptureError, FollowError, unexpected
from onevoice.judge import Judgement, judge
from onevoice.loop import LoopThread
from onevoice.model import LoadedJourney, Touchpoint
from onevoice.progress import Progress
from onevoice.outcome import JourneyResult
from onevoice.redact import Secrets


@dataclass(frozen=True)
class RunSettings:
    capture: CaptureSettings = field(default_factory=CaptureSettings)
    concurrency: int = defaults.CONCURRENCY  # touchpoints captured at once in this process
    spool: Path | None = None  # where the SMTP catcher writes received mail


class Engine:
    """Captures and judges journeys into `artifacts` (screenshots go under `screens/`)."""

    def __init__(self, artifacts: Path, settings: RunSettings | None = None, progress: Progress | None = None) -> None:
        self.artifacts = artifacts
        self.settings = settings or RunSettings()
        self.progress = progress
        self._thread: LoopThread | None = None
        self._playwright = None
        self._browsers: BrowserPool | None = None
        self._slots: asyncio.Semaphore | None = None
        self._app_sessions: dict[str, AppSessions] = {}  # journey slug -> its Appium sessions

    def __enter__(self) -> Engine:
        from playwright.async_api import async_playwright

        self._thread = LoopThread()
        self._playwright = self._thread.run(async_playwright().start())
        self.devices = playwright_devices()
        self._browsers = BrowserPool(self._playwright, timeout=self.settings.capture.timeout)
        self._slots = self._thread.run(_make(asyncio.Semaphore, self.settings.concurrency))
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._thread is None:
            return
        self._thread.run(self._browsers.close())
        self._thread.run(self._playwright.stop())
        self._thread.close()
        self._thread = None

    def run(self, journeys: list[LoadedJourney]) -> list[JourneyResult]:
        """Run the journeys concurrently; results in the order given."""
        if any(tp.image_text != "off" for journey in journeys for tp in journey.journey.touchpoints):
            require_model()  # no OCR model: one line and exit 3 now, rather than an error on every touchpoint

        async def all_journeys() -> list[JourneyResult]:
            tasks = [asyncio.ensure_future(self._journey(journey)) for journey in journeys]
            try:
                return list(await asyncio.gather(*tasks))
            except BaseException:  # no browser at all (BrowserUnavailable): stop the others too
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise

        return self._thread.run(all_journeys())

    async def _journey(self, journey: LoadedJourney) -> JourneyResult:
        started = time.monotonic()
        tasks: dict[str, asyncio.Task[Capture]] = {}
        ordering: list[asyncio.Task[Capture]] = []  # earlier touchpoints with steps
        in_session: dict[tuple[str, str], asyncio.Task[Capture]] = {}  # the last touchpoint of each Appium session
        self._app_sessions[journey.slug] = sessions = AppSessions()
        try:
            for touchpoint in journey.journey.touchpoints:
                waits = list(ordering)
                if touchpoint.follow is not None:
                    waits.append(tasks[touchpoint.follow.touchpoint])
                key = session_key(touchpoint.app) if touchpoint.app and touchpoint.app.source == "appium" else None
                if key in in_session:  # one session moves through the app in journey order
                    waits.append(in_session[key])
                task = asyncio.ensure_future(self._touchpoint(journey, touchpoint, waits, tasks))
                tasks[touchpoint.id] = task
                if key is not None:
                    in_session[key] = task
                if touchpoint.steps:
                    ordering.append(task)
            captures = {tp: await task for tp, task in tasks.items()}
        finally:
            del self._app_sessions[journey.slug]
            await asyncio.to_thread(sessions.close)
        try:
            judgement = await asyncio.to_thread(judge, journey, captures, self.artifacts)
        except Exception as error:  # the journey's captures are still reported
            judgement = Judgement(checks=(), findings=(), matrices=(), check_errors={"onevoice": unexpected(error)})
        result = JourneyResult(
            name=journey.name,
            file=journey.file,
            slug=journey.slug,
            tags=journey.journey.tags,
            brand=journey.brand,
            brand_logos=self._copy_brand_logos(journey),
            captures=tuple(captures.values()),
            checks=judgement.checks,
            findings=judgement.findings,
            matrices=judgement.matrices,
            check_errors=judgement.check_errors,
            baseline=baseline_path(Path(journey.file)).as_posix() if journey.baseline else None,
            changes=judgement.changes,
            seconds=round(time.monotonic() - started, 3),
        )
        result = Secrets(journey.secrets).redact(result)  # what leaves the engine shows no secret
        if self.progress:
            self.progress.journey_done(result)
        return result

    async def _touchpoint(
        self,
        journey: LoadedJourney,
        touchpoint: Touchpoint,
        waits: list[asyncio.Task[Capture]],
        tasks: dict[str, asyncio.Task[Capture]],
    ) -> Capture:
        if waits:
            await asyncio.wait(waits)
        async with self._slots:
            capture = await self._bounded_capture(journey, touchpoint, tasks)
        if self.progress:
            self.progress.touchpoint_done(journey.shown_name, Secrets(journey.secrets).redact(capture))
        return capture

    async def _bounded_capture(self, journey: LoadedJourney, touchpoint: Touchpoint, tasks) -> Capture:
        """The touchpoint's capture, on a browser of the pool (again on another if that one dies
        during it); an app screen needs none. No browser at all raises BrowserUnavailable."""
        if touchpoint.channel == "app":
            return await self._within_limit(None, journey, touchpoint, tasks)
        within_limit = functools.partial(self._within_limit, journey=journey, touchpoint=touchpoint, tasks=tasks)
        try:
            return await self._browsers.run(within_limit, failed=lambda capture: not capture.ok)
        except BrowserLost as error:  # the browser died and none could take its place
            return _failed(journey, touchpoint, str(error))

    async def _within_limit(self, browser, journey: LoadedJourney, touchpoint: Touchpoint, tasks) -> Capture:
        """The touchpoint's capture within its time limit (getting the browser is not part of it);
        whatever goes wrong in it becomes its error.

        A capture that overruns is abandoned, not awaited: a browser that stopped answering may
        never finish closing its pages."""
        limit = self.settings.capture.limit(touchpoint)
        capture = asyncio.ensure_future(self._capture(browser, journey, touchpoint, tasks))
        try:
            done, _ = await asyncio.wait({capture}, timeout=limit)
        finally:  # overrun, or abandoned by the pool because the browser died
            if not capture.done():
                capture.cancel()
                capture.add_done_callback(_drop_outcome)
        if not done and touchpoint.app is not None:
            return _failed(
                journey, touchpoint, f"the app capture did not finish within {limit:g} s (app.timeout for each step, "
                "and time to start the session): the Appium server or the device stopped answering",
            )
        if not done:
            return _failed(
                journey, touchpoint, f"the capture did not finish within {limit:g} s (--timeout {self.settings.capture.timeout:g} "
                f"for the navigation and each step, {self.settings.capture.snapshot:g} s for the snapshot): "
                "the browser stopped answering, or a script on the page never let it settle",
            )
        try:
            return capture.result()
        except CaptureError as error:
            return _failed(journey, touchpoint, str(error))
        except Exception as error:  # one touchpoint's crash never loses the others
            return _failed(journey, touchpoint, f"onevoice failed on this touchpoint: {unexpected(error)}")

    async def _capture(self, browser, journey: LoadedJourney, touchpoint: Touchpoint, tasks) -> Capture:
        if touchpoint.channel == "app":  # no browser: a saved screen, or a device through Appium
            where = {"artifacts": self.artifacts, "folder": journey.slug}
            if touchpoint.app.source == "files":
                return await asyncio.to_thread(capture_saved_screen, touchpoint, **where)
            session = self._app_sessions[journey.slug].of(touchpoint.app)
            return await asyncio.to_thread(capture_appium, touchpoint, session, **where)
        common = {"devices": self.devices, "artifacts": self.artifacts, "folder": journey.slug}
        if touchpoint.channel == "email":
            return await capture_email(
                browser, touchpoint, spool=self.settings.spool, timeout=touchpoint.email.timeout_seconds, **common
            )
        url = journey.urls.get(touchpoint.id)
        if touchpoint.follow is not None:
            try:
                url = followed_url(touchpoint, tasks[touchpoint.follow.touchpoint].result())
            except FollowError as exc:
                return Capture(touchpoint=touchpoint.id, channel="web", device=touchpoint.device_label, error=str(exc))
        return await capture_web(
            browser, touchpoint, url, settings=self.settings.capture, web_only=touchpoint.follow is not None, **common
        )

    def _copy_brand_logos(self, journey: LoadedJourney) -> tuple[str, ...]:
        """Reference logos beside the report, so it shows them without reaching outside its folder."""
        if journey.brand is None:
            return ()
        copied = []
        for number, logo in enumerate(journey.brand.logo, start=1):
            relative = Path("screens") / journey.slug / f"brand-logo-{number}{Path(logo).suffix.lower()}"
            (self.artifacts / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(logo, self.artifacts / relative)
            copied.append(relative.as_posix())
        return tuple(copied)


def followed_url(touchpoint: Touchpoint, source: Capture) -> str:
    """The URL that `follow` opens; FollowError says why there is none."""
    wanted = touchpoint.follow
    if not source.ok:
        raise FollowError(f"cannot follow '{wanted.link}': touchpoint '{wanted.touchpoint}' was not captured")
    try:
        link = find_link(source, wanted.link)
    except ValueError as exc:  # a /regex/ that does not compile
        raise FollowError(f"follow.link '{wanted.link}': {exc}") from exc
    if link is None:
        shown = ", ".join(sorted({link.text for link in source.links if link.text and link.visible}))[:300]
        raise FollowError(f"no link '{wanted.link}' in touchpoint '{wanted.touchpoint}' (its links: {shown or 'none'})")
    if not is_web_url(link.href):
        scheme = scheme_of(link.href)
        kind = f"a {scheme}: link" if scheme else "not an absolute link"
        shown = link.href if len(link.href) <= 80 else link.href[:77] + "..."
        raise FollowError(
            f"refused to follow '{wanted.link}' of touchpoint '{wanted.touchpoint}': {shown!r} is {kind}; "
            f"links taken from captured content open only {' and '.join(WEB_SCHEMES)} "
            f"(a url: written in the journey may open other schemes)"
        )
    return link.href


def _failed(journey: LoadedJourney, touchpoint: Touchpoint, error: str) -> Capture:
    url = journey.urls.get(touchpoint.id)
    return Capture(touchpoint=touchpoint.id, channel=touchpoint.channel, device=touchpoint.device_label, url=url, error=error)


def _drop_outcome(task: asyncio.Future) -> None:
    """Retrieve an abandoned capture's outcome, so that asyncio does not log it as never retrieved."""
    if not task.cancelled():
        task.exception()


async def _make(factory, *args):
    """Create an asyncio primitive on the loop thread (they bind to the running loop)."""
    return factory(*args)
