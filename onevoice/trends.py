"""Trends of a journey over its recorded runs (see onevoice/history.py), as reports show them.

Per journey, over its last `WINDOW` recorded runs: the new and accepted finding groups of each
run (the trend), and for each finding group a label (`label_groups`): new tonight, failing for
N runs, flaky (came and went), fixed since run X. A finding group is one cause
(docs/rules.md); it is present in a run when one of its findings is new or accepted there. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from onevoice.findings import Finding, group_id

WINDOW = 30  # runs a trend and the labels look back over
PRESENT = ("new", "accepted")

LabelKind = Literal["new", "failing", "flaky"]


class TrendPoint(BaseModel):
    """One recorded run of a journey: how many finding groups were new and accepted."""

    model_config = ConfigDict(frozen=True)

    run: int
    started: str
    new: int
    accepted: int


class GroupLabel(BaseModel):
    """What the history says of a finding group present in this run."""

    model_config = ConfigDict(frozen=True)

    kind: LabelKind
    runs: int  # consecutive runs it has been present in, this one included
    seen: int  # runs of the window it was present in, this one included
    window: int  # runs of the window, this one included

    @property
    def text(self) -> str:
        if self.kind == "new":
            return "new tonight"
        if self.kind == "flaky":
            return f"flaky: in {self.seen} of the last {self.window} runs"
        return f"failing for {self.runs} runs"


class FixedGroup(BaseModel):
    """A finding group present in an earlier run of the window and absent from this one."""

    model_config = ConfigDict(frozen=True)

    group: str
    rule: str
    subject: str
    touchpoints: tuple[str, ...]
    since: int  # the first run it was absent from
    since_started: str
    flaky: bool  # it had come and gone before


class JourneyHistory(BaseModel):
    model_config = ConfigDict(frozen=True)

    run: int  # this run's number in the history
    trend: tuple[TrendPoint, ...]  # oldest first, this run last
    labels: dict[str, GroupLabel]  # finding group -> label
    fixed: tuple[FixedGroup, ...]

    def label(self, slug: str, finding: Finding) -> GroupLabel | None:
        """The label of `finding`'s group (`slug`: its journey's) in this run."""
        return self.labels.get(group_of(slug, finding))


def group_of(slug: str, finding: Finding) -> str:
    """The finding group a finding belongs to: its `group` (one rule and subject in the journey)."""
    return finding.group or group_id(slug, finding.rule, finding.subject)


@dataclass(frozen=True)
class PastRun:
    """A recorded run of one journey: its number, start, and the finding groups present."""

    run: int
    started: str
    groups: frozenset[str]


def label_groups(runs: Sequence[PastRun]) -> tuple[dict[str, GroupLabel], dict[str, tuple[int, str, bool]]]:
    """Labels of the groups present in the last of `runs` (oldest first), and for each group present
    earlier but not in the last: (the run it was first absent from, its start, whether it was flaky)."""
    labels: dict[str, GroupLabel] = {}
    fixed: dict[str, tuple[int, str, bool]] = {}
    every = {group for past in runs for group in past.groups}
    for group in sorted(every):
        presence = [group in past.groups for past in runs]
        first = presence.index(True)
        came_and_went = False in presence[first:-1]
        if presence[-1]:
            streak = next((n for n, present in enumerate(reversed(presence)) if not present), len(presence))
            kind: LabelKind = "new" if first == len(presence) - 1 else ("flaky" if came_and_went else "failing")
            labels[group] = GroupLabel(kind=kind, runs=streak, seen=sum(presence), window=len(presence))
        else:
            last_seen = len(presence) - 1 - presence[::-1].index(True)
            gone = runs[last_seen + 1]
            fixed[group] = (gone.run, gone.started, False in presence[first:last_seen])
    return labels, fixed
