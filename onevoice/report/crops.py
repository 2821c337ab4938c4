"""Screenshot sizes and evidence crops, made with Pillow when the report is written.

A finding's evidence box is in CSS pixels of the full page, and a screenshot pixel is a
CSS pixel, so a box crops its screenshot directly. Crops go to
`screens/<journey slug>/evidence/` and are named by touchpoint and box, so the same
evidence shared by several findings is cut once.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image as PILImage

from onevoice.facts import Box
from onevoice.files import write_atomic
from onevoice.outcome import RunResult
from onevoice.pngrows import decode_rows

CROP_MARGIN = 12  # CSS px of context kept around a box
CROP_MAX_SIZE = (720, 480)  # larger crops are scaled down to fit
EvidenceKey = tuple[str, str, Box]  # journey slug, touchpoint, box


@dataclass(frozen=True)
class ReportImages:
    """What the report knows about its images: screenshot sizes and evidence crops."""

    sizes: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # (slug, touchpoint) -> px
    crops: dict[EvidenceKey, str] = field(default_factory=dict)  # -> path relative to the report folder
    files: frozenset[str] = frozenset()  # other images the report shows (logos, matrix crops) that exist

    def size_of(self, slug: str, touchpoint: str) -> tuple[int, int] | None:
        return self.sizes.get((slug, touchpoint))

    def existing(self, path: str | None) -> str | None:
        """`path` (relative to the report folder) when the report can show it."""
        relative = report_relative(path)
        return relative if relative in self.files else None

    def crop_of(self, slug: str, touchpoint: str, box: Box | None) -> str | None:
        return None if box is None else self.crops.get((slug, touchpoint, box))


def report_relative(path: str | None) -> str | None:
    """`path` when it stays inside the report folder (relative, no `..`, no scheme), else None."""
    if not path or "\\" in path or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", path):
        return None
    posix = PurePosixPath(path)
    if posix.is_absolute() or ".." in posix.parts:
        return None
    return posix.as_posix()


def crop_rectangle(box: Box, image_size: tuple[int, int], margin: int = CROP_MARGIN) -> tuple[int, int, int, int] | None:
    """The (left, top, right, bottom) pixels to cut for `box`, clipped to the image; None when nothing is left."""
    x, y, width, height = box
    if width <= 0 or height <= 0:
        return None
    left = max(0, int(x) - margin)
    top = max(0, int(y) - margin)
    right = min(image_size[0], int(round(x + width)) + margin)
    bottom = min(image_size[1], int(round(y + height)) + margin)
    if right - left < 2 or bottom - top < 2:
        return None
    return left, top, right, bottom


def crop_file_name(touchpoint: str, box: Box) -> str:
    numbers = "-".join(str(int(round(value))) for value in box)
    return f"{touchpoint}-{numbers}.png"


def prepare_images(run: RunResult, folder: Path) -> ReportImages:
    """Read every screenshot's size and cut every evidence crop into `folder`/screens/."""
    sizes: dict[tuple[str, str], tuple[int, int]] = {}
    crops: dict[EvidenceKey, str] = {}
    files: set[str] = set()
    for journey in run.journeys:
        referenced = [*journey.brand_logos, *(c.image for m in journey.matrices for row in m.cells.values() for c in row.values())]
        files.update(path for path in map(report_relative, referenced) if path and (folder / path).is_file())
        screenshots = {
            capture.touchpoint: folder / relative
            for capture in journey.captures
            if (relative := report_relative(capture.screenshot)) and (folder / relative).is_file()
        }
        for touchpoint, path in screenshots.items():
            with PILImage.open(path) as image:
                sizes[(journey.slug, touchpoint)] = image.size
        wanted = sorted(
            {
                (evidence.touchpoint, evidence.box)
                for finding in journey.findings
                if finding.state != "fixed"
                for evidence in finding.evidence
                if evidence.box is not None and evidence.touchpoint in screenshots
            }
        )
        for touchpoint in sorted({touchpoint for touchpoint, _ in wanted}):
            to_cut = []
            for box in (box for tp, box in wanted if tp == touchpoint):
                relative = _crop_path(journey.slug, touchpoint, box)
                if (folder / relative).is_file():  # cut already, by the shard a merged report comes from
                    crops[(journey.slug, touchpoint, box)] = relative
                else:
                    to_cut.append(box)
            if not to_cut:
                continue
            lowest = max(math.ceil(y + height) for _, y, _, height in to_cut) + CROP_MARGIN
            image = decode_rows(screenshots[touchpoint].read_bytes(), lowest)  # no further than the crops go
            for box in to_cut:
                relative = _write_crop(image, box, folder, journey.slug, touchpoint)
                if relative:
                    crops[(journey.slug, touchpoint, box)] = relative
    return ReportImages(sizes=sizes, crops=crops, files=frozenset(files))


def _crop_path(slug: str, touchpoint: str, box: Box) -> str:
    return f"screens/{slug}/evidence/{crop_file_name(touchpoint, box)}"


def _write_crop(image: PILImage.Image, box: Box, folder: Path, slug: str, touchpoint: str) -> str | None:
    rectangle = crop_rectangle(box, image.size)
    if rectangle is None:
        return None
    crop = image.crop(rectangle)
    crop.thumbnail(CROP_MAX_SIZE)
    buffer = io.BytesIO()
    crop.save(buffer, format="PNG")  # zlib's default level: optimize=True cost 5x the CPU for ~5% less
    relative = _crop_path(slug, touchpoint, box)
    write_atomic(folder / relative, buffer.getvalue())
    return relative
