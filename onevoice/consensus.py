"""What most touchpoints show: the one policy every check uses to find a reference among the
touchpoints when the brand profile declares none (docs/checks.md, "What most touchpoints show").

Each touchpoint that shows something votes once for every distinct value it shows (values a
check calls alike count as one). The reference is:

- `majority`: every value more than half of the voting touchpoints show;
- `plurality`: else the values the most touchpoints show, when one group of touchpoints shows them;
- `tie`: else none. Two groups of touchpoints show different values equally often, and picking
  one (say, the first in journey order) would flag the others for an accident of the YAML's
  order: every voting touchpoint is named instead, each beside what the others show;
- `none`: no touchpoint shows anything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, Literal, TypeVar

V = TypeVar("V", bound=Hashable)
Standing = Literal["majority", "plurality", "tie", "none"]


@dataclass(frozen=True)
class Consensus(Generic[V]):
    """The values of each touchpoint, who shows which, and the reference they make (module docstring)."""

    shown: Mapping[str, tuple[V, ...]]  # each voting touchpoint's distinct values, in journey order
    support: Mapping[V, tuple[str, ...]]  # each distinct value -> the touchpoints showing it or one alike
    same: Callable[[V, V], bool] | None = field(default=None, compare=False, repr=False)  # None: equality

    @classmethod
    def of(cls, shown: Mapping[str, Iterable[V]], same: Callable[[V, V], bool] | None = None) -> Consensus[V]:
        """The consensus of `shown` (touchpoint -> its values); touchpoints showing nothing do not vote.

        `same` says which values count as one (logo hashes within a distance, colours within a
        tolerance); without it, equal values do.
        """
        voting = {tp: tuple(dict.fromkeys(values)) for tp, values in shown.items()}
        voting = {tp: values for tp, values in voting.items() if values}
        distinct = list(dict.fromkeys(value for values in voting.values() for value in values))
        if same is None:
            support = {value: tuple(tp for tp, values in voting.items() if value in values) for value in distinct}
        else:  # distinct values are compared once with each other: the cost grows with the touchpoints, not their square
            alike = {value: frozenset(other for other in distinct if same(value, other)) for value in distinct}
            support = {
                value: tuple(tp for tp, values in voting.items() if not alike[value].isdisjoint(values))
                for value in distinct
            }
        return cls(voting, support, same)

    @property
    def standing(self) -> Standing:
        """On what grounds the reference stands (module docstring)."""
        return self._decided[1]

    @property
    def reference(self) -> tuple[V, ...]:
        """The values the touchpoints agree on, in the order first shown; empty on a tie or with no votes."""
        return self._decided[0]

    @cached_property
    def _decided(self) -> tuple[tuple[V, ...], Standing]:
        voters = len(self.shown)
        if not voters:
            return (), "none"
        majority = tuple(value for value, tps in self.support.items() if 2 * len(tps) > voters)
        if majority:
            return majority, "majority"
        top = max(len(tps) for tps in self.support.values())
        leaders = tuple(value for value, tps in self.support.items() if len(tps) == top)
        if len({frozenset(self.support[value]) for value in leaders}) == 1:
            return leaders, "plurality"
        return (), "tie"

    def alike(self, a: V, b: V) -> bool:
        return a == b if self.same is None else self.same(a, b)

    def agrees(self, value: V) -> bool:
        """Whether `value` is (alike) one of the reference values."""
        return any(self.alike(value, reference) for reference in self.reference)

    def dissenters(self, agree: Callable[[V, V], bool] | None = None) -> tuple[str, ...]:
        """The voting touchpoints that are out of line, in journey order: with a reference, those
        showing a value that agrees with none of it; on a tie, those showing a value that disagrees
        with a value of another touchpoint (every voter, when agreeing means being alike).

        `agree` (default: alike) can be looser than alike, e.g. a set of prices that is part of another.
        """
        if self.reference:
            agree = agree or self.alike
            return tuple(
                tp for tp, values in self.shown.items() if any(not any(agree(v, r) for r in self.reference) for v in values)
            )
        if self.standing != "tie":
            return ()
        if agree is None:  # on a tie no value is alike every other one (else all would show it: a majority)
            return tuple(self.shown)
        return tuple(
            tp for tp, values in self.shown.items() if any(not agree(v, other) for v in values for other in self.support)
        )

    def without(self, touchpoint: str) -> Consensus[V]:
        """The consensus of the other touchpoints (what the rest agree on, without `touchpoint`'s votes)."""
        if touchpoint not in self.shown:
            return self
        shown = {tp: values for tp, values in self.shown.items() if tp != touchpoint}
        support = {
            value: rest for value, tps in self.support.items() if (rest := tuple(tp for tp in tps if tp != touchpoint))
        }
        return Consensus(shown, support, self.same)

    def grounds(self, what: str, label: Callable[[V], str] = str) -> str:
        """How a finding names its reference: `the fonts most touchpoints share` (a majority),
        `the fonts the most touchpoints share (2 of 5)`, or, on a tie, what each group shows."""
        if self.standing == "plurality":
            return f"{what} the most touchpoints share ({len(self.support[self.reference[0]])} of {len(self.shown)})"
        if self.standing != "tie":
            return f"{what} most touchpoints share"
        groups: dict[frozenset[str], list[str]] = {}
        for value, tps in self.support.items():
            groups.setdefault(frozenset(tps), []).append(label(value))
        each = "; ".join(
            f"{', '.join(values)} on {', '.join(tp for tp in self.shown if tp in tps)}" for tps, values in groups.items()
        )
        return f"{what} most touchpoints share (there is none: {each})"
