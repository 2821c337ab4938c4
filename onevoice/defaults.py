"""The defaults of a run, in one place: the command line, the pytest plugin and the engine use these."""

from __future__ import annotations

import secrets
import time

JOURNEY_DIR = "journeys"  # where `onevoice run`, `validate` and pytest look for journeys unless told
REPORT_DIR = "reports/latest"  # where a run writes its report unless told
TIMEOUT = 30.0  # seconds, for each navigation and step
SNAPSHOT_TIME = 60.0  # seconds a snapshot may take (settling, screenshot, facts) before the touchpoint is given up
RETRIES = 1  # extra attempts after a transient failure (network error, timeout, HTTP 5xx)
CONCURRENCY = 4  # touchpoints captured at once in one process


def run_id() -> str:
    """The value of ${RUN_ID} when the environment gives none: the run's UTC start and 4 random hex digits."""
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + secrets.token_hex(2)
