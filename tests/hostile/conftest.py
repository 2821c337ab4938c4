"""The hostile suite: broken, huge and malicious inputs that must cost one touchpoint or one file,
never the run. Every test under this folder is marked `hostile` (`pytest -m hostile` runs them alone)."""

from __future__ import annotations

from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HOSTILE in item.path.parents:
            item.add_marker(pytest.mark.hostile)
