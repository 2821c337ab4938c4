"""Shards: the I-th of N parts of a suite, for N CI machines (`--shard I/N`, docs/commands.md).

The split is stable: it depends only on the journeys' files and touchpoint counts, so every
machine given the same files computes the same parts. It balances touchpoints, not files:
journeys are taken by descending touchpoint count (ties by file path) and each goes to the
part with the fewest touchpoints so far (ties to the lowest part). Each part keeps the
suite's order. A shard's report records which part it is and a fingerprint of the whole
suite, so that `onevoice merge` can tell a missing, repeated or foreign shard.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class Shard(BaseModel):
    """Part `index` (1-based) of `total`."""

    model_config = ConfigDict(frozen=True)

    index: int
    total: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`"2/5"` -> Shard(index=2, total=5); ValueError saying what is wrong when it is not I/N, 1 <= I <= N."""
        match = _SHARD.match(text)
        if not match:
            raise ValueError(f"{text!r} is not I/N (e.g. 2/5 for the second of five parts)")
        index, total = int(match.group(1)), int(match.group(2))
        if not 1 <= index <= total:
            raise ValueError(f"{text}: I must be from 1 to N, and N at least 1")
        return cls(index=index, total=total)

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


class ShardInfo(BaseModel):
    """What a shard's findings.json records: which part it ran, of which suite."""

    model_config = ConfigDict(frozen=True)

    index: int
    total: int
    suite: str  # fingerprint of every journey file of the suite (see `suite_fingerprint`)
    journeys: tuple[str, ...]  # the suite's journey files in run order: what the merged report holds


def assign(weights: Sequence[tuple[str, int]], total: int) -> list[int]:
    """The part (1-based) of each `(file, touchpoints)` entry, balancing touchpoints over `total` parts."""
    loads = [0] * total
    parts = [0] * len(weights)
    for position in sorted(range(len(weights)), key=lambda i: (-weights[i][1], weights[i][0])):
        lightest = min(range(total), key=lambda part: (loads[part], part))
        loads[lightest] += weights[position][1]
        parts[position] = lightest + 1
    return parts


def select_shard(weights: Sequence[tuple[str, int]], shard: Shard) -> list[int]:
    """Positions (in the suite's order) of the entries that belong to `shard`."""
    return [position for position, part in enumerate(assign(weights, shard.total)) if part == shard.index]


def suite_fingerprint(files: Sequence[tuple[str, Path]]) -> str:
    """A digest of the suite: each journey's file name as given and its content, in order."""
    digest = hashlib.sha256()
    for shown, path in files:
        digest.update(shown.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return "sha256:" + digest.hexdigest()[:32]
