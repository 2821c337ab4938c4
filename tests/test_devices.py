"""Playwright's device registry, kept per Playwright version in the user's cache folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onevoice.devices import device_cache_file, playwright_devices


@pytest.fixture
def fresh_registry():
    playwright_devices.cache_clear()
    yield
    playwright_devices.cache_clear()


def test_the_cache_file_is_per_playwright_version_under_the_xdg_cache_folder():
    path = device_cache_file({"XDG_CACHE_HOME": "/var/cache/someone"})
    assert path.parent == Path("/var/cache/someone/onevoice")
    assert path.name.startswith("playwright-1.") and path.name.endswith("-devices.json")
    assert device_cache_file({}).parent == Path.home() / ".cache" / "onevoice"


def test_a_broken_cache_is_rebuilt_from_the_driver_then_read_instead_of_it(tmp_path, monkeypatch, fresh_registry):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = device_cache_file()
    cache.parent.mkdir(parents=True)
    cache.write_text("{not json", encoding="utf-8")

    devices = playwright_devices()
    assert devices["iPhone 13"]["viewport"] == {"width": 390, "height": 664}
    assert json.loads(cache.read_text(encoding="utf-8")) == devices

    kept = {"Bench Phone": {"viewport": {"width": 320, "height": 480}, "is_mobile": True}}
    cache.write_text(json.dumps(kept), encoding="utf-8")
    playwright_devices.cache_clear()
    assert playwright_devices() == kept
