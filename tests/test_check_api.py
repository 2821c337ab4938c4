"""The check API as a third party uses it: docs/checks.md's worked example, run as a plugin.

The example's module and entry point are taken from the document itself, registered in the
`onevoice.checks` group beside the built-in families, and judged on saved pages; and the
built-in families import nothing of onevoice but `onevoice.api`."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from onevoice import api, registry
from onevoice.extract import extract_page
from onevoice.facts import Capture
from onevoice.judge import judge
from onevoice.loader import JourneyLoadError, load_journey

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "checks.md"

PAGE = """<html><head><title>Northwind</title></head><body><main><h1>Spring sale</h1></main>
<footer>{links}</footer></body></html>"""


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)


@pytest.fixture
def legal_plugin(tmp_path, monkeypatch):
    """docs/checks.md's module, installed through its entry point beside the installed checks."""
    (module,) = [block for block in code_blocks("python") if "class LegalCheck" in block]
    (tmp_path / "onevoice_legal.py").write_text(module, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    (pyproject,) = [tomllib.loads(block) for block in code_blocks("toml")]
    declared = pyproject["project"]["entry-points"][registry.ENTRY_POINT_GROUP]
    installed = list(registry.entry_points(group=registry.ENTRY_POINT_GROUP))
    added = [EntryPoint(name, value, registry.ENTRY_POINT_GROUP) for name, value in declared.items()]
    monkeypatch.setattr(registry, "entry_points", lambda group: [*installed, *added])
    registry.registered_checks.cache_clear()
    yield registry.registered_checks()
    monkeypatch.undo()
    registry.registered_checks.cache_clear()


def page(touchpoint: str, *links: str) -> Capture:
    html = PAGE.format(links=" ".join(f'<a href="/{text.lower()}">{text}</a>' for text in links))
    facts = extract_page(html, "http://127.0.0.1/")
    return Capture(touchpoint=touchpoint, channel="web", device="Desktop Chrome", texts=facts.texts, links=facts.links)


def test_the_documented_check_runs_as_a_plugin(legal_plugin, tmp_path):
    assert {"messaging", "brand", "social", "legal"} <= set(legal_plugin)
    (options,) = code_blocks("yaml")
    journey = tmp_path / "legal.yaml"
    journey.write_text(
        "name: Legal\nbase_url: http://127.0.0.1/\ntouchpoints:\n  - {id: home, url: /}\n  - {id: offer, url: /offer}\n"
        + options,
        encoding="utf-8",
    )
    loaded = load_journey(journey, "legal.yaml", environ={})
    captures = {"home": page("home", "Terms of use", "Privacy", "Cookies"), "offer": page("offer", "Terms of use")}

    judgement = judge(loaded, captures, tmp_path, {"legal": legal_plugin["legal"]})

    assert judgement.check_errors == {}
    assert {(f.rule, f.touchpoints, f.subject) for f in judgement.findings} == {
        ("legal.missing", ("offer",), "privacy"),
        ("legal.missing", ("offer",), "cookies"),
    }


def test_the_documented_options_are_validated_at_load_time(legal_plugin, tmp_path):
    journey = tmp_path / "typo.yaml"
    journey.write_text(
        "name: T\nbase_url: http://127.0.0.1/\ntouchpoints:\n  - {id: home, url: /}\nchecks:\n  legal: {requierd: [terms]}\n"
    )
    with pytest.raises(JourneyLoadError) as caught:
        load_journey(journey, "typo.yaml", environ={})
    assert "typo.yaml:6: checks.legal.requierd: unknown key (did you mean 'required'?)" in str(caught.value)


@pytest.mark.parametrize("family", sorted(path.name for path in (REPO / "checks").iterdir() if (path / "__init__.py").is_file()))
def test_the_built_in_checks_import_only_the_api(family):
    for module in (REPO / "checks" / family).glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        engine = {name for name in imported if name == "onevoice" or name.startswith("onevoice.")}
        assert engine <= {"onevoice.api"}, f"{module.relative_to(REPO)} imports {sorted(engine - {'onevoice.api'})}"


def test_the_api_names_are_all_there():
    assert all(hasattr(api, name) for name in api.__all__)
    assert {"Check", "CheckContext", "Capture", "Finding", "Evidence", "CheckResult", "Rgb", "distance"} <= set(api.__all__)
