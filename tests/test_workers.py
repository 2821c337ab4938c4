"""`-n auto`: worker processes from the machine's cores and memory (no browser)."""

from __future__ import annotations

import pytest

from onevoice.cli import build_parser
from onevoice.session import WORKER_MEMORY, auto_workers, machine_capacity

GIB = WORKER_MEMORY


@pytest.mark.parametrize(
    "cores, memory, journeys, workers",
    [
        (1, 8 * GIB, 50, 0),  # one core: in this process
        (2, 8 * GIB, 50, 0),  # two cores: one process already keeps them busy (-n 2 measured slower)
        (3, 8 * GIB, 50, 0),
        (4, 8 * GIB, 50, 2),
        (16, 64 * GIB, 50, 8),
        (16, 3 * GIB, 50, 3),  # memory bounds it
        (16, 1 * GIB, 50, 0),
        (16, 64 * GIB, 3, 3),  # never more workers than journeys
        (16, 64 * GIB, 1, 0),
    ],
)
def test_auto_picks_workers_from_cores_memory_and_journeys(cores, memory, journeys, workers):
    assert auto_workers(cores, memory, journeys) == workers


def test_this_machine_has_a_capacity_and_n_takes_auto_or_a_number():
    cores, memory = machine_capacity()
    assert cores >= 1 and memory > 0
    parser = build_parser()
    assert parser.parse_args(["run", "-n", "auto"]).n == "auto" and parser.parse_args(["run", "-n", "3"]).n == 3
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "-n", "many"])
