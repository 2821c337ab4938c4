"""The docs cover what is registered: every rule, command, option and check option is in README.md,
and the rule ids are exactly SPEC.md's."""

from __future__ import annotations

import argparse
import re

import pytest

from onevoice.cli import build_parser
from onevoice.registry import registered_checks

pytest_plugins = ["pytester"]


@pytest.fixture(scope="module")
def readme(repo_root) -> str:
    return (repo_root / "README.md").read_text(encoding="utf-8")


def registered_rules() -> set[str]:
    return {rule for check in registered_checks().values() for rule in check.rules}


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_registered_rules_are_exactly_the_contracts(spec_text):
    section = spec_text.split("## 6. Finding rules", 1)[1]
    assert set(re.findall(r"^\| `([a-z]+\.[a-z_]+)` \|", section, re.MULTILINE)) == registered_rules()


@pytest.mark.parametrize("rule", sorted(registered_rules()))
def test_every_rule_is_documented(readme, rule):
    assert f"| `{rule}` |" in readme


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_command_and_its_options_are_documented(readme, command):
    assert f"`onevoice {command}" in readme
    for action in subcommands()[command]._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
                assert option in readme, f"onevoice {command} {option} is not in README.md"


def test_every_pytest_option_is_documented(readme, pytester):
    help_text = pytester.runpytest("--help").stdout.str()
    options = set(re.findall(r"(--onevoice-[a-z-]+)", help_text))
    assert options and all(option in readme for option in options)


@pytest.mark.parametrize("name", sorted(registered_checks()))
def test_every_check_option_is_documented(readme, name):
    row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}` |"))
    for option in registered_checks()[name].Options.model_fields:
        assert f"`{option}`" in row


def test_the_ci_recipes_are_yaml_and_their_onevoice_commands_parse(repo_root):
    import shlex

    import yaml

    text = (repo_root / "docs" / "ci.md").read_text(encoding="utf-8")
    recipes = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(recipes) == 2 and all(isinstance(yaml.safe_load(recipe), dict) for recipe in recipes)
    commands = re.findall(r"(?:run: |- |^ {7})(onevoice (?:run|merge) [^|\n]+)", text, re.M)
    assert len(commands) >= 4
    for command in commands:
        words = shlex.split(re.sub(r"\$\{\{ [^}]+ \}\}|\$[A-Z_]+", "1", command))[1:]  # CI variables: 1
        build_parser().parse_args(words)  # exits (fails the test) on an unknown option
