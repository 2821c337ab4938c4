"""The demo app's saved screens (journeys/app) are what `python -m onevoice.demo.app` draws."""

from __future__ import annotations

import pytest

from onevoice.demo.app import SCREENS, render

pytestmark = pytest.mark.browser


def test_the_saved_hierarchies_are_the_generators(repo_root, tmp_path):
    render(tmp_path)
    for screen in SCREENS:
        saved = (repo_root / "journeys" / "app" / f"{screen.name}.xml").read_text(encoding="utf-8")
        assert (tmp_path / f"{screen.name}.xml").read_text(encoding="utf-8") == saved, (
            f"journeys/app/{screen.name}.xml is stale: run `python -m onevoice.demo.app`"
        )
