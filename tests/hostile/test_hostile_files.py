"""Files that would exhaust memory or the stack are refused early, naming the limit and file:line:
YAML alias bombs, YAML nested hundreds of levels deep."""

from __future__ import annotations

import pytest

from onevoice.cli import main
from onevoice.yamlsource import MAX_DEPTH, MAX_VALUES, YamlLimitError, load_yaml

TOUCHPOINT = "touchpoints: [{id: home, url: 'http://127.0.0.1/'}]\n"


def alias_bomb(levels: int = 9) -> str:
    """The billion laughs: each level lists the one before nine times (9**9 strings in all)."""
    lines = ['laugh0: &laugh0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"laugh{level}: &laugh{level} [" + ", ".join([f"*laugh{level - 1}"] * 9) + "]")
    return "name: bomb\n" + TOUCHPOINT + "\n".join(lines) + "\n"


def merge_bomb(levels: int = 9) -> str:
    """Merge keys of merge keys, nine times over."""
    keys = ", ".join(f"k{i}: {i}" for i in range(9))
    lines = [f"m0: &m0 {{{keys}}}"]
    for level in range(1, levels + 1):
        lines.append(f"m{level}: &m{level} {{<<: [" + ", ".join([f"*m{level - 1}"] * 9) + "]}")
    return "name: merges\n" + TOUCHPOINT + "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_the_value_limit():
    with pytest.raises(YamlLimitError) as refused:
        load_yaml(alias_bomb())
    assert f"expands to more than {MAX_VALUES:,} values" in refused.value.problem
    assert refused.value.line == 3  # the anchor whose repetitions went past the limit


def test_merge_keys_of_merge_keys_do_not_multiply():
    document = load_yaml(merge_bomb())  # each level merges the same nine keys: nine keys, not 9**10
    assert document.data["m9"] == {f"k{i}": i for i in range(9)}


@pytest.mark.parametrize(
    "deep",
    [
        "extra: " + "[" * 800 + "]" * 800,  # flow lists
        "".join(f"{'  ' * level}k{level}:\n" for level in range(800)) + "  " * 800 + "v: 1",  # block mappings
        "\n".join([f"a0: &a0 [x]"] + [f"a{n}: &a{n} [*a{n - 1}]" for n in range(1, 800)]),  # aliases of aliases
    ],
    ids=["flow", "block", "aliases"],
)
def test_yaml_nested_800_levels_is_refused_at_the_depth_limit_not_a_recursion_error(deep):
    with pytest.raises(YamlLimitError) as refused:
        load_yaml("name: deep\n" + TOUCHPOINT + deep + "\n")
    assert refused.value.problem.startswith(f"nested more than {MAX_DEPTH} levels deep")
    assert refused.value.line >= 3


def test_a_journey_within_the_limits_loads_as_before():
    nested = "extra: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
    document = load_yaml("name: fine\n" + TOUCHPOINT + alias_bomb(levels=3).split("\n", 2)[2] + nested + "\n")
    assert len(document.data["laugh3"]) == 9 and document.data["laugh3"][0][0][0] == ["lol"] * 9


def test_validate_names_the_file_line_and_the_limit(tmp_path, capsys):
    (tmp_path / "bomb.yaml").write_text(alias_bomb(), encoding="utf-8")
    (tmp_path / "deep.yaml").write_text("name: deep\n" + TOUCHPOINT + "x: " + "[" * 800 + "]" * 800 + "\n")

    assert main(["validate", str(tmp_path)]) == 2

    said = capsys.readouterr()
    output = said.out + said.err
    assert f"bomb.yaml:3: expands to more than {MAX_VALUES:,} values" in output
    assert f"deep.yaml:3: nested more than {MAX_DEPTH} levels deep" in output
    assert "Traceback" not in output and "malformed" not in output
