"""`--shard I/N`: a stable split of the journeys, balanced by touchpoints (no browser needed)."""

from __future__ import annotations

import random

import pytest

from journeysite import write_journey
from onevoice.cli import shard_of
from onevoice.loader import load_journeys
from onevoice.shard import Shard, assign, select_shard, suite_fingerprint


def test_shard_parses_i_of_n_and_refuses_anything_else():
    assert Shard.parse("2/5") == Shard(index=2, total=5) and str(Shard.parse(" 1 / 1 ")) == "1/1"
    for text in ("0/3", "4/3", "1/0", "2", "a/b", "-1/3"):
        with pytest.raises(ValueError, match="I/N|from 1 to N"):
            Shard.parse(text)


def test_every_journey_lands_in_exactly_one_part_and_the_parts_balance_touchpoints():
    weights = [(f"journeys/j{n:02}.yaml", 1 + n % 7) for n in range(40)]
    parts = assign(weights, 4)
    loads = [sum(w for (_, w), part in zip(weights, parts) if part == p) for p in range(1, 5)]
    assert sorted(set(parts)) == [1, 2, 3, 4]
    assert max(loads) - min(loads) <= max(w for _, w in weights)  # greedy by descending size: within one journey
    chosen = [select_shard(weights, Shard(index=p, total=4)) for p in range(1, 5)]
    assert sorted(position for part in chosen for position in part) == list(range(40))
    assert all(part == sorted(part) for part in chosen)  # each part keeps the suite's order


def test_the_split_depends_on_files_and_sizes_not_on_the_order_they_are_listed_in():
    weights = [(f"journeys/{name}.yaml", size) for name, size in zip("abcdefghij", (3, 3, 5, 1, 3, 8, 2, 3, 1, 5))]
    reference = dict(zip((file for file, _ in weights), assign(weights, 3)))
    shuffled = list(weights)
    random.Random(7).shuffle(shuffled)
    assert dict(zip((file for file, _ in shuffled), assign(shuffled, 3))) == reference


def test_one_big_journey_gets_a_part_of_its_own():
    weights = [("big.yaml", 20), *((f"small{n}.yaml", 2) for n in range(6))]
    parts = assign(weights, 2)
    assert parts[0] == 1 and set(parts[1:]) == {2}


def test_more_parts_than_journeys_leaves_empty_parts():
    assert assign([("a.yaml", 2), ("b.yaml", 1)], 4) == [1, 2]
    assert select_shard([("a.yaml", 2), ("b.yaml", 1)], Shard(index=4, total=4)) == []


def test_the_fingerprint_follows_file_names_and_contents(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("name: A\n")
    b.write_text("name: B\n")
    first = suite_fingerprint([("a.yaml", a), ("b.yaml", b)])
    assert first == suite_fingerprint([("a.yaml", a), ("b.yaml", b)]) and first.startswith("sha256:")
    assert first != suite_fingerprint([("a.yaml", a)])
    b.write_text("name: B changed\n")
    assert first != suite_fingerprint([("a.yaml", a), ("b.yaml", b)])


def test_shard_of_loaded_journeys_records_the_whole_suite(tmp_path):
    for name, count in (("one", 1), ("two", 2), ("three", 3), ("four", 4)):
        touchpoints = "".join(f"  - {{id: page-{n}, url: p{n}.html}}\n" for n in range(count))
        write_journey(tmp_path / f"{name}.yaml", "http://127.0.0.1:9/", touchpoints, name=name)
    journeys, problems = load_journeys([str(tmp_path)])
    assert not problems

    parts = [shard_of(journeys, Shard(index=index, total=2)) for index in (1, 2)]

    assert [[j.name for j in chosen] for chosen, _ in parts] == [["four", "one"], ["three", "two"]]
    (_, first), (_, second) = parts
    assert first.suite == second.suite and first.journeys == second.journeys == tuple(j.file for j in journeys)
    assert (first.index, second.index, first.total) == (1, 2, 2)
