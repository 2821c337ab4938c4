"""The one policy for "what most touchpoints show" (onevoice.consensus, docs/checks.md): golden values."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from onevoice.api import Consensus


def near(a: int, b: int) -> bool:
    return abs(a - b) <= 1  # values within a tolerance count as one


def test_a_strict_majority_is_the_reference_and_the_others_dissent():
    votes = Consensus.of({"a": ["x"], "b": ["x", "y"], "c": ["z"]})
    assert (votes.standing, votes.reference) == ("majority", ("x",))
    assert votes.dissenters() == ("b", "c")  # b also shows y, which most do not
    assert votes.support == {"x": ("a", "b"), "y": ("b",), "z": ("c",)}
    assert votes.grounds("the fonts") == "the fonts most touchpoints share"


def test_every_value_a_majority_shows_is_part_of_the_reference():
    votes = Consensus.of({"a": ["x", "y"], "b": ["x", "y"], "c": ["x"]})
    assert (votes.standing, votes.reference, votes.dissenters()) == ("majority", ("x", "y"), ())


def test_with_no_majority_the_largest_group_is_the_reference():
    votes = Consensus.of({"a": ["x"], "b": ["x"], "c": ["y"], "d": ["z"], "e": ["w"]})
    assert (votes.standing, votes.reference, votes.dissenters()) == ("plurality", ("x",), ("c", "d", "e"))
    assert votes.grounds("the fonts") == "the fonts the most touchpoints share (2 of 5)"
    # the values of one group are one reference, not a tie between them
    grouped = Consensus.of({"a": ["x", "y"], "b": ["x", "y"], "c": ["z"], "d": ["w"], "e": ["v"]})
    assert (grouped.standing, grouped.reference) == ("plurality", ("x", "y"))


def test_a_tie_has_no_reference_and_names_every_touchpoint():
    votes = Consensus.of({"a": ["x"], "b": ["y"]})
    assert (votes.standing, votes.reference, votes.dissenters()) == ("tie", (), ("a", "b"))
    assert votes.grounds("the fonts") == "the fonts most touchpoints share (there is none: x on a; y on b)"
    four = Consensus.of({"a": ["x", "q"], "b": ["x", "q"], "c": ["y"], "d": ["y"]})
    assert four.standing == "tie" and four.dissenters() == ("a", "b", "c", "d")
    assert four.grounds("the fonts") == "the fonts most touchpoints share (there is none: x, q on a, b; y on c, d)"
    assert not four.agrees("x")


def test_touchpoints_showing_nothing_do_not_vote():
    assert Consensus.of({"a": [], "b": ["y"]}).reference == ("y",)
    nobody = Consensus.of({"a": []})
    assert (nobody.standing, nobody.reference, nobody.dissenters()) == ("none", (), ())
    assert Consensus.of({"a": ["x", "x"]}).shown == {"a": ("x",)}  # a touchpoint votes once for a value


def test_alike_values_support_each_other():
    votes = Consensus.of({"a": [1], "b": [2], "c": [10], "d": [2, 2]}, near)
    assert (votes.standing, votes.reference, votes.dissenters()) == ("majority", (1, 2), ("c",))
    assert votes.agrees(3) and not votes.agrees(5)


def test_a_looser_agreement_names_only_touchpoints_in_a_contradiction():
    def compatible(a: frozenset[str], b: frozenset[str]) -> bool:
        return a <= b or b <= a

    one, both, other = frozenset({"$9"}), frozenset({"$9", "$19"}), frozenset({"$29"})
    votes = Consensus.of({"a": [one], "b": [both], "c": [other]})
    assert votes.standing == "tie"
    assert votes.dissenters(compatible) == ("a", "b", "c")
    majority = Consensus.of({"a": [both], "b": [both], "c": [one], "d": [other]})
    assert majority.reference == (both,) and majority.dissenters(compatible) == ("d",)


def test_the_others_consensus_leaves_one_touchpoint_out():
    linked = Consensus.of({"a": [True], "b": [True], "c": [False], "d": [True]})
    assert linked.without("c").reference == (True,)  # 3 of the other 3
    assert linked.without("a").reference == (True,)  # 2 of the other 3
    pair = Consensus.of({"a": [True], "b": [False], "c": [True]})
    assert pair.without("a").standing == "tie" and pair.without("a").reference == ()  # 1 of 2: no majority
    assert pair.without("z") is pair


def test_the_documented_example_gives_what_the_guide_says():
    guide = (Path(__file__).parent.parent / "docs" / "checks.md").read_text(encoding="utf-8")
    (example,) = [block for block in re.findall(r"```python\n(.*?)```", guide, re.DOTALL) if "Consensus.of" in block]
    first, *claims = example.strip().splitlines()
    scope = {"Consensus": Consensus}
    exec(first, scope)  # noqa: S102 - the guide's own example
    for line in claims:
        expression, said = line.split("#")
        assert eval(expression, scope) == ast.literal_eval(said.strip()), line  # noqa: S307
