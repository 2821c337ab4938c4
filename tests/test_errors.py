"""One error hierarchy, one exit-code boundary: `onevoice` turns any OnevoiceError into one line
on stderr and the exit status of SPEC.md section 4; a traceback only with `--debug`."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from journeysite import write_journey
from onevoice import registry
from onevoice.cli import main
from onevoice.errors import (
    EXIT_CAPTURE_ERROR,
    EXIT_LOAD_ERROR,
    BrowserUnavailable,
    CaptureError,
    CheckLoadError,
    EmailError,
    LoadError,
    LogoError,
    OnevoiceError,
)
from onevoice.loader import JourneyLoadError


def test_each_error_carries_its_exit_status():
    assert [error.exit_code for error in (JourneyLoadError, LogoError, CheckLoadError)] == [EXIT_LOAD_ERROR] * 3
    assert [error.exit_code for error in (BrowserUnavailable, EmailError)] == [EXIT_CAPTURE_ERROR] * 2
    assert issubclass(LoadError, OnevoiceError) and issubclass(CaptureError, OnevoiceError)


@pytest.fixture
def journey_without_browser(tmp_path, monkeypatch):
    monkeypatch.setenv("ONEVOICE_BROWSER", str(tmp_path / "nonexistent"))
    monkeypatch.delenv("ONEVOICE_BROWSER_WS", raising=False)
    return write_journey(tmp_path / "home.yaml", "http://127.0.0.1:9/", "  - {id: home, url: index.html}\n")


def test_a_missing_browser_is_one_line_and_exit_3(journey_without_browser, tmp_path, capsys):
    assert main(["run", str(journey_without_browser), "--report", str(tmp_path / "report")]) == EXIT_CAPTURE_ERROR
    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if line.startswith("onevoice: ONEVOICE_BROWSER=")]
    assert line.startswith(f"onevoice: ONEVOICE_BROWSER={tmp_path / 'nonexistent'}: no such file")
    assert "Traceback" not in err
    assert not (tmp_path / "report").exists()  # no half-written report


@pytest.mark.parametrize("argv", [["--debug", "run"], ["run", "--debug"]])
def test_debug_shows_the_traceback(journey_without_browser, tmp_path, capsys, argv):
    assert main([*argv, str(journey_without_browser), "--report", str(tmp_path / "report")]) == EXIT_CAPTURE_ERROR
    err = capsys.readouterr().err
    assert "Traceback" in err and "BrowserUnavailable" in err


class Impostor:
    """A third-party check that takes the name of a built-in family."""

    name = "brand"
    rules: dict[str, str] = {}
    Options = registry.NoOptions

    def run(self, context):
        raise AssertionError("never run")


def test_two_checks_of_one_name_are_an_error(monkeypatch):
    entries = [
        EntryPoint("brand", "checks.brand:BrandCheck", registry.ENTRY_POINT_GROUP),
        EntryPoint("brand-too", "test_errors:Impostor", registry.ENTRY_POINT_GROUP),
    ]
    monkeypatch.setattr(registry, "entry_points", lambda group: entries)
    registry.registered_checks.cache_clear()
    try:
        with pytest.raises(CheckLoadError, match="two check plugins are named 'brand': checks.brand:BrandCheck and test_errors:Impostor"):
            registry.registered_checks()
    finally:
        monkeypatch.undo()
        registry.registered_checks.cache_clear()
