"""The errors onevoice reports to its user, each carrying the exit status of docs/commands.md.

`str(error)` is what the user reads: `file:line: what (fix)` for bad input, one line for a
missing browser or mail source. `onevoice` prints it and exits with `error.exit_code`; its
`--debug` option shows the traceback too. Modules raise the subclass that says what went wrong.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import ClassVar

EXIT_NEW_FINDINGS = 1  # at least one new error-severity finding
EXIT_LOAD_ERROR = 2  # the journeys (or a baseline, report or check plugin) could not be loaded
EXIT_CAPTURE_ERROR = 3  # a touchpoint could not be captured: no browser, page unreachable, no email


class OnevoiceError(Exception):
    """Anything the user can act on; never a bug."""

    exit_code: ClassVar[int] = EXIT_LOAD_ERROR


class LoadError(OnevoiceError):
    """Input that cannot be loaded: a journey, brand profile, logo, baseline, report or check plugin."""

    exit_code = EXIT_LOAD_ERROR


class CheckLoadError(LoadError):
    """A check plugin that does not load, lacks part of the check protocol, or reuses a family's name."""


class LogoError(LoadError):
    """A logo image that cannot be compared (missing, not an image, SVG, one flat colour)."""


class CaptureError(OnevoiceError):
    """Something a capture needs is missing or unreachable: the browser, a mail source, a followed link."""

    exit_code = EXIT_CAPTURE_ERROR


class BrowserUnavailable(CaptureError):
    """No Chromium to launch or connect to; says how to get one."""


class BrowserLost(CaptureError):
    """The run's browser died and none could take its place: the touchpoints left cannot be captured."""


class EmailError(CaptureError):
    """An email could not be fetched or read."""


class FollowError(CaptureError):
    """A `follow` touchpoint whose link cannot be found in the capture it follows."""


class OcrUnavailable(CaptureError):
    """No OCR engine or model to read text in images with; says how to install one."""


def first_line(error: BaseException) -> str:
    """The first non-blank line of an error's message (Playwright's carry call logs below it), else its type."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def unexpected(error: BaseException) -> str:
    """One line for an exception nobody foresaw (a bug in onevoice or a plugin): its type, message and
    where it was raised, for a report that keeps the other results."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"
