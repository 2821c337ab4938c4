"""Real runs of the bundled demo journey, from a private copy of journeys/, against a demo site
whose content a test may change (the drift a nightly run should catch)."""

from __future__ import annotations

from collections import Counter

import dataclasses
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from onevoice.cli import shard_of
from onevoice.demo import DemoSite
from onevoice.demo.content import QUILLORY, DemoBrand, SocialAccount
from onevoice.email import SmtpCatcher
from onevoice.session import execute
from onevoice.loader import load_journeys
from onevoice.outcome import RunResult
from onevoice.engine import RunSettings
from onevoice.shard import Shard

JOURNEY = "quillory-welcome"


def with_instagram(brand: DemoBrand, url: str) -> DemoBrand:
    """`brand` with its site linking another Instagram account."""
    social = tuple(SocialAccount(a.platform, a.label, url) if a.platform == "instagram" else a for a in brand.social)
    return dataclasses.replace(brand, social=social)


DRIFTED = with_instagram(QUILLORY, "https://www.instagram.com/quillory_shop")


class DemoWorkspace:
    """A copy of journeys/ in `root`, and reports written beside it."""

    def __init__(self, repo: Path, root: Path) -> None:
        self.journeys = root / "journeys"
        shutil.copytree(repo / "journeys", self.journeys)
        self.reports = root / "reports"

    @property
    def baseline(self) -> Path:
        return self.journeys / f"{JOURNEY}.baseline.yaml"

    def run(self, name: str, brand: DemoBrand = QUILLORY, shard: Shard | None = None) -> RunResult:
        """Serve the demo site with `brand`'s content and run the journeys (or a `shard` of them) into reports/`name`."""
        with tempfile.TemporaryDirectory(prefix="onevoice-test-mail-") as spool:
            with SmtpCatcher(Path(spool), port=0) as catcher, DemoSite(smtp_port=catcher.port, brand=brand) as site:
                journeys, problems = load_journeys([str(self.journeys)], {"DEMO_URL": site.url, "ONEVOICE_PUBLIC_VARS": "DEMO_URL"})
                assert not problems, problems
                info = None
                if shard is not None:
                    journeys, info = shard_of(journeys, shard)
                return execute(journeys, self.reports / name, settings=RunSettings(spool=Path(spool)), shard=info)


def findings_json(report: Path) -> dict[str, Any]:
    """The one journey of the demo report's findings.json."""
    (journey,) = json.loads((report / "findings.json").read_text(encoding="utf-8"))["journeys"]
    return journey


def card_ids(journey: dict[str, Any], state: str) -> set[str]:
    """The ids of the report's cards in `state`: one per cause (a group's id when it has several records)."""
    records = [f for f in journey["findings"] if f["state"] == state]
    sizes = Counter(f["group"] for f in records)
    return {f["group"] if sizes[f["group"]] > 1 else f["id"] for f in records}


def identities(journey: dict[str, Any], state: str) -> set[tuple[str, tuple[str, ...], str]]:
    return {(f["rule"], tuple(f["touchpoints"]), f["subject"]) for f in journey["findings"] if f["state"] == state}
