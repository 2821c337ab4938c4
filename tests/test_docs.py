"""The docs cover what is registered: every rule (in docs/rules.md), command, option, check option
and journey or brand-profile key (in docs/journeys.md) is documented, and the rule ids are exactly
SPEC.md's."""

from __future__ import annotations

import argparse
import re
import typing
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from onevoice.cli import build_parser
from onevoice.model import Brand, Journey
from onevoice.registry import registered_checks

pytest_plugins = ["pytester"]


@pytest.fixture(scope="module")
def readme(repo_root) -> str:
    """The project's own documentation: README.md and docs/."""
    files = [repo_root / "README.md", *sorted((repo_root / "docs").glob("*.md"))]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


@pytest.fixture(scope="module")
def rules_doc(repo_root) -> str:
    return (repo_root / "docs" / "rules.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def journeys_doc(repo_root) -> str:
    return (repo_root / "docs" / "journeys.md").read_text(encoding="utf-8")


def registered_rules() -> set[str]:
    return {rule for check in registered_checks().values() for rule in check.rules}


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_registered_rules_are_exactly_the_contracts(spec_text):
    section = spec_text.split("## 6. Finding rules", 1)[1]
    assert set(re.findall(r"^\| `([a-z]+\.[a-z_]+)` \|", section, re.MULTILINE)) == registered_rules()


@pytest.mark.parametrize("rule", sorted(registered_rules()))
def test_every_rule_is_documented(rules_doc, rule):
    assert f"| `{rule}` |" in rules_doc


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_command_and_its_options_are_documented(readme, command):
    assert f"`onevoice {command}" in readme
    for action in subcommands()[command]._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
                assert option in readme, f"onevoice {command} {option} is not in README.md or docs/"


def test_every_pytest_option_is_documented(readme, pytester):
    help_text = pytester.runpytest("--help").stdout.str()
    options = set(re.findall(r"(--onevoice-[a-z-]+)", help_text))
    assert options and all(option in readme for option in options)


@pytest.mark.parametrize("name", sorted(registered_checks()))
def test_every_check_option_is_documented(rules_doc, name):
    row = next(line for line in rules_doc.splitlines() if line.startswith(f"| `{name}` |"))
    for option in registered_checks()[name].Options.model_fields:
        assert f"`{option}`" in row


def test_the_ci_recipes_are_yaml_and_their_onevoice_commands_parse(repo_root):
    import shlex

    import yaml

    text = (repo_root / "docs" / "ci.md").read_text(encoding="utf-8")
    recipes = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(recipes) == 3 and all(isinstance(yaml.safe_load(recipe), dict) for recipe in recipes)
    commands = re.findall(r"(?:run: |- |^ {7})(onevoice (?:run|merge) [^|\n]+)", text, re.M)
    assert len(commands) >= 4
    for command in commands:
        words = shlex.split(re.sub(r"\$\{\{ [^}]+ \}\}|\$[A-Z_]+", "1", command))[1:]  # CI variables: 1
        build_parser().parse_args(words)  # exits (fails the test) on an unknown option


def model_keys(model: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[tuple[str, str]]:
    """(model, YAML key) of every field of `model` and of the models its fields hold."""
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        yield model.__name__, field.alias or name
        for annotation in (field.annotation, *typing.get_args(field.annotation)):
            for inner in typing.get_args(annotation) or (annotation,):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    yield from model_keys(inner, seen)


def test_every_journey_and_brand_profile_key_is_documented(journeys_doc):
    code = " ".join(part for pair in re.findall(r"```yaml\n(.*?)```|`([^`\n]+)`", journeys_doc, re.S) for part in pair)
    seen: set[type[BaseModel]] = set()
    undocumented = [
        f"{owner}.{key}" for model in (Journey, Brand) for owner, key in model_keys(model, seen)
        if not re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", code)
    ]
    assert undocumented == []
