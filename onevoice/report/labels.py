"""Where the labels of evidence boxes go on a screenshot, so that no two overlap (pure).

A label sits at its box's top-left corner: just above the box when there is room, else just
inside it. Labels are placed in the order given; one that would overlap or touch a label
already placed moves up a line at a time (down once it would leave the image) until it is
free, so the labels of a row of small boxes (the icons of a footer) stack into a staircase
above them, each still starting at its own box's left edge. The same boxes give the same places.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

CHAR_WIDTH = 0.62  # a label character's width, in font sizes (bold digits of a system sans-serif)
HALO = 0.25  # the label's outline stroke, in font sizes, on each side
LINE = 1.15  # the distance between stacked labels, in font sizes


@dataclass(frozen=True)
class LabelAnchor:
    """A label to place: the top-left corner of its box and its text."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class LabelArea:
    left: float
    top: float
    right: float
    bottom: float

    def meets(self, other: LabelArea) -> bool:
        """True when the two areas overlap or touch."""
        return (
            self.left <= other.right and other.left <= self.right and self.top <= other.bottom and other.top <= self.bottom
        )


def label_area(x: float, baseline: float, text: str, size: float) -> LabelArea:
    """The area a label drawn at (`x`, `baseline`) covers, halo included."""
    halo = HALO * size
    return LabelArea(x - halo, baseline - 0.8 * size - halo, x + CHAR_WIDTH * size * len(text) + halo, baseline + 0.2 * size + halo)


def place_labels(anchors: Sequence[LabelAnchor], size: float, image_width: float) -> tuple[tuple[float, float], ...]:
    """The (x, baseline) of each anchor's label, in order, with no label overlapping or touching another."""
    placed: list[LabelArea] = []
    spots = []
    for anchor in anchors:
        width = CHAR_WIDTH * size * len(anchor.text)
        x = max(0.0, min(anchor.x, image_width - width))
        for baseline in _baselines(anchor.y, size):
            area = label_area(x, baseline, anchor.text, size)
            if not any(area.meets(other) for other in placed):
                break
        placed.append(area)
        spots.append((round(x, 1), round(baseline, 1)))
    return tuple(spots)


def _baselines(box_top: float, size: float) -> Iterator[float]:
    """Where a label may go, best first: above the box (or just inside it near the image's top), then
    a line higher at a time while it stays inside the image, then a line lower at a time, without end."""
    first = box_top - 0.3 * size if box_top > 1.3 * size else box_top + size
    step = LINE * size
    yield first
    up = first - step
    while up - size >= 0:
        yield up
        up -= step
    down = first + step
    while True:
        yield down
        down += step
