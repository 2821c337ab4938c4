"""index.html: the review report (docs/outputs.md), rendered with Jinja2.

The page is self-contained apart from the screenshots beside it: its one style and one
script are inline and allowed by sha256 in a Content-Security-Policy that lets nothing
else run and nothing load but images from the report's own folder. Finding boxes are
SVG rectangles whose viewBox is the screenshot's pixel size, so they scale with it. Evidence
on a touchpoint the finding names is drawn as wrong; evidence on the others is reference
(what they say instead), drawn apart and labelled "ref".
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shlex
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from onevoice.colors import Rgb
from onevoice.facts import Box, Capture
from onevoice.findings import Cell, Finding, Matrix, finding_id
from onevoice.report.crops import ReportImages, report_relative
from onevoice.report.diff import DiffPart, shared_word_diff
from onevoice.files import write_atomic
from onevoice.report.json_output import iso_utc
from onevoice.report.labels import LabelAnchor, place_labels
from onevoice.outcome import JourneyResult, RunResult
from onevoice.trends import FixedGroup, GroupLabel, JourneyHistory

_STATE_ORDER = {"new": 0, "accepted": 1, "fixed": 2}
_SEVERITY_ORDER = {"error": 0, "warning": 1}
CELL_LABELS = {
    "ok": "✓",
    "reworded": "≈ reworded",
    "missing": "✗ missing",
    "other": "≠ other",
    "broken": "✗ broken",
    "hidden": "hidden",
    "error": "! error",
    "info": "",
}
SHOT_WIDTHS = {"wide": 420, "medium": 320, "narrow": 240}  # CSS px a screenshot is shown at; kept in report.css


@dataclass(frozen=True)
class ValuePart:
    """One piece of a finding's expected or found value: `label: text`, with a swatch for a colour."""

    label: str | None
    text: str
    swatch: str | None


@dataclass(frozen=True)
class EvidenceView:
    touchpoint: str
    selector: str | None
    text: str | None
    crop: str | None
    shot: str | None  # the anchor of the screenshot its box is drawn on
    reference: bool  # on a touchpoint the finding does not name: what the others show, not what is wrong
    from_image: bool  # its text was read from an image (OCR)
    color: str | None  # the colour the element shows, when the check handed one: drawn as a swatch


@dataclass(frozen=True)
class FindingView:
    anchor: str
    id: str  # the finding's stable id, as `onevoice approve --finding` takes it
    number: int
    check: str
    rule: str
    severity: str
    state: str
    reason: str | None
    touchpoints: tuple[str, ...]
    related: tuple[str, ...]  # the touchpoints it names plus those its evidence points at
    message: str
    expected: tuple[ValuePart, ...] | None  # None: nothing declared
    actual: tuple[ValuePart, ...] | None  # None: nothing found
    actual_diff: tuple[DiffPart, ...]
    evidence: tuple[EvidenceView, ...]
    boxes: tuple[tuple[str, Box, bool], ...]  # (touchpoint, box, reference) to draw on screenshots; none once fixed
    history: GroupLabel | None  # what the run history says of its group, when the run was recorded


@dataclass(frozen=True)
class BoxView:
    finding: str
    number: int
    severity: str
    state: str
    rule: str
    reference: bool
    label: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float  # the label's baseline


@dataclass(frozen=True)
class ShotView:
    anchor: str
    touchpoint: str
    channel: str
    device: str
    url: str | None
    error: str | None
    notes: tuple[str, ...]
    subject: str | None
    preheader: str | None
    screenshot: str | None
    width: int
    height: int
    size_class: str
    label_size: float  # font size of box numbers, in screenshot pixels
    boxes: tuple[BoxView, ...]


@dataclass(frozen=True)
class CellView:
    status: str
    value: str | None
    detail: str | None
    image: str | None
    swatch: str | None
    diff: tuple[DiffPart, ...]


@dataclass(frozen=True)
class RowView:
    label: str
    label_swatch: str | None  # rows named by a colour show it
    expected: str | None
    expected_swatch: str | None
    cells: tuple[CellView | None, ...]  # one per column; None: not applicable


@dataclass(frozen=True)
class MatrixView:
    id: str
    title: str
    columns: tuple[str, ...]
    has_expected: bool
    rows: tuple[RowView, ...]


@dataclass(frozen=True)
class ChangeView:
    """A fact that differs from the baseline, as the "since baseline" view lists it."""

    fact: str  # the fact table's title
    row: str
    touchpoint: str
    before: str | None
    after: str | None
    swatch: str | None  # the colour of the row, when its table's cells hold one


@dataclass(frozen=True)
class TrendBar:
    """One run in a journey's trend: stacked bars of new (bottom) and accepted finding groups."""

    x: float
    new_y: float
    new_height: float
    accepted_y: float
    accepted_height: float
    title: str
    current: bool


@dataclass(frozen=True)
class TrendView:
    """A journey's small inline-SVG chart over its last runs, and the finding groups fixed since."""

    run: int
    width: int
    height: int
    bars: tuple[TrendBar, ...]
    fixed: tuple[FixedGroup, ...]


TREND_BAR = 6  # px per run, gap included
TREND_HEIGHT = 28


def trend_view(history: JourneyHistory) -> TrendView:
    """Bars scaled to the busiest run of the window (at least 1 group high)."""
    peak = max([point.new + point.accepted for point in history.trend] + [1])
    scale = (TREND_HEIGHT - 2) / peak
    bars = []
    for position, point in enumerate(history.trend):
        new, accepted = point.new * scale, point.accepted * scale
        bars.append(
            TrendBar(
                x=position * TREND_BAR,
                new_y=round(TREND_HEIGHT - new, 1),
                new_height=round(new, 1),
                accepted_y=round(TREND_HEIGHT - new - accepted, 1),
                accepted_height=round(accepted, 1),
                title=f"run {point.run} ({point.started[:16].replace('T', ' ')}): {point.new} new, {point.accepted} accepted",
                current=point.run == history.run,
            )
        )
    return TrendView(history.run, max(len(bars), 1) * TREND_BAR, TREND_HEIGHT, tuple(bars), history.fixed)


@dataclass(frozen=True)
class JourneyView:
    anchor: str
    slug: str
    name: str
    file: str
    status: str
    seconds: float
    tags: tuple[str, ...]
    brand_name: str | None
    brand_colors: tuple[tuple[str, str], ...]
    brand_fonts: tuple[str, ...]
    brand_logos: tuple[str, ...]
    shots: tuple[ShotView, ...]
    failed: tuple[ShotView, ...]
    check_errors: tuple[tuple[str, str], ...]
    new: tuple[FindingView, ...]
    accepted: tuple[FindingView, ...]
    fixed: tuple[FindingView, ...]
    matrices: tuple[MatrixView, ...]
    baseline: str | None  # the baseline file compared with
    changes: tuple[ChangeView, ...]
    trend: TrendView | None  # from the run history, when the run was recorded

    @property
    def new_errors(self) -> int:
        return sum(f.severity == "error" for f in self.new)

    @property
    def new_warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.new)


def inline_hash(text: str) -> str:
    """The CSP source that allows exactly this inline <script> or <style> body."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {inline_hash(script)}",
            f"style-src {inline_hash(style)}",
            "img-src 'self'",
            "connect-src 'none'",
            "font-src 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def display(value: Any, colors: Collection[Rgb] = ()) -> tuple[ValuePart, ...] | None:
    """A finding's expected/actual value as a reviewer reads it: a mapping as `key: value` parts, a
    list as parts; a part naming one of `colors` (handed as colours by the check) shows its swatch."""
    if value is None:
        return None
    if isinstance(value, dict):
        pairs = [(str(key), _plain(item)) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        pairs = [(None, _plain(item)) for item in value]
    else:
        pairs = [(None, _plain(value))]
    return tuple(ValuePart(label, text, swatch_of(text, colors)) for label, text in pairs)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


PHONE_SHAPE = 1.6  # a viewport this many times taller than wide is a phone's screen (16:10 and beyond)


def size_class(width: int, viewport: tuple[int, int] | None = None) -> str:
    """How wide a screenshot is shown: by its width, except that a phone-shaped screen is narrow
    whatever its pixel density (an app screenshot is 1080 device pixels wide, a phone page 390 CSS px)."""
    if viewport is not None and viewport[1] >= PHONE_SHAPE * viewport[0]:
        return "narrow"
    if width >= 900:
        return "wide"
    return "narrow" if width < 500 else "medium"


def swatch_of(text: str | None, colors: Collection[Rgb]) -> str | None:
    """The colour to draw beside `text`: the one of `colors` it names, else None. `colors` are what
    a check handed as colours (`Color` fields): a string that merely looks like one (a hashtag, a
    promo code '#cafe12') gets no swatch."""
    if not text or not colors:
        return None
    try:
        color = Rgb.parse(text)
    except ValueError:
        return None
    return color.hex if color in colors else None


def palette_of(journey: JourneyResult) -> frozenset[Rgb]:
    """The colours the journey's brand profile declares (validated as colours when it loaded)."""
    return frozenset(Rgb.parse(value) for value in (journey.brand.colors.values() if journey.brand else ()))


def finding_sort_key(finding: Finding) -> tuple[int, int, str, tuple[str, ...], str]:
    return (_STATE_ORDER[finding.state], _SEVERITY_ORDER.get(finding.severity, 9), finding.rule, finding.touchpoints, finding.subject)


def journey_view(journey: JourneyResult, index: int, images: ReportImages) -> JourneyView:
    anchor = f"j{index}-{_safe_id(journey.slug)}"
    ordered = sorted(journey.items, key=finding_sort_key)
    palette = palette_of(journey)
    findings = tuple(_finding_view(f, n, anchor, journey, images, palette) for n, f in enumerate(ordered, start=1))
    titles = {matrix.id: matrix.title for matrix in journey.matrices}
    row_colors = {
        (matrix.id, row): next(iter(colors)).hex
        for matrix in journey.matrices
        for row in matrix.rows
        if (colors := row_colors_of(matrix, row))
    }
    shots = tuple(_shot_view(capture, anchor, journey.slug, images, findings) for capture in journey.captures)
    brand = journey.brand
    return JourneyView(
        anchor=anchor,
        slug=journey.slug,
        name=journey.name,
        file=journey.file,
        status=journey.status,
        seconds=journey.seconds,
        tags=journey.tags,
        brand_name=brand.name if brand else None,
        brand_colors=tuple(brand.colors.items() if brand else ()),
        brand_fonts=brand.fonts if brand else (),
        brand_logos=tuple(path for path in map(images.existing, journey.brand_logos) if path),
        shots=shots,
        failed=tuple(shot for shot in shots if shot.error),
        check_errors=tuple(sorted(journey.check_errors.items())),
        new=tuple(f for f in findings if f.state == "new"),
        accepted=tuple(f for f in findings if f.state == "accepted"),
        fixed=tuple(f for f in findings if f.state == "fixed"),
        matrices=tuple(matrix_view(matrix, images, palette) for matrix in journey.matrices),
        baseline=journey.baseline,
        changes=tuple(
            ChangeView(titles.get(c.matrix, c.matrix), c.row, c.touchpoint, c.before, c.after, row_colors.get((c.matrix, c.row)))
            for c in journey.changes
        ),
        trend=trend_view(journey.history) if journey.history else None,
    )


def row_colors_of(matrix: Matrix, row: str) -> dict[Rgb, None]:
    """The colours the cells of `row` hold (in column order): what the check handed as colours."""
    return dict.fromkeys(cell.swatch for cell in matrix.cells.get(row, {}).values() if cell.swatch is not None)


def matrix_view(matrix: Matrix, images: ReportImages, palette: frozenset[Rgb] = frozenset()) -> MatrixView:
    """A fact table; a row whose cells hold colours shows the colour it is named by and, when it
    is one, the palette colour it is expected to be."""
    rows = []
    for row in matrix.rows:
        expected = matrix.expected.get(row)
        cells = matrix.cells.get(row, {})
        colors = row_colors_of(matrix, row)
        views = tuple(_cell_view(cells.get(column), expected, images) for column in matrix.columns)
        expected_swatch = swatch_of(expected, colors.keys() | palette) if colors else None
        rows.append(RowView(row, swatch_of(row, colors), expected, expected_swatch, views))
    return MatrixView(
        id=matrix.id, title=matrix.title, columns=matrix.columns, has_expected=bool(matrix.expected), rows=tuple(rows)
    )


def summary(run: RunResult) -> dict[str, Any]:
    findings = [f for journey in run.journeys for f in journey.items]
    by_rule: dict[str, Counter[str]] = {}
    for finding in findings:
        column = finding.severity if finding.state == "new" else finding.state
        by_rule.setdefault(finding.rule, Counter())[column] += 1
    statuses: Counter[str] = Counter(journey.status for journey in run.journeys)
    return {
        "statuses": statuses,
        "new_errors": sum(f.state == "new" and f.severity == "error" for f in findings),
        "new_warnings": sum(f.state == "new" and f.severity == "warning" for f in findings),
        "accepted": sum(f.state == "accepted" for f in findings),
        "fixed": sum(f.state == "fixed" for f in findings),
        "changes": sum(len(journey.changes) for journey in run.journeys),
        "by_rule": sorted(by_rule.items(), key=lambda item: (-item[1]["error"], -item[1]["warning"], item[0])),
        "journeys": len(run.journeys),
        "touchpoints": sum(len(journey.captures) for journey in run.journeys),
        "not_captured": sum(len(journey.failed_captures) for journey in run.journeys),
    }


def verdict(run: RunResult) -> dict[str, str]:
    """The headline a reviewer reads first: did the run pass, and if not, how badly."""
    total = len(run.journeys)
    if total == 0:
        return {"status": "passed", "badge": "EMPTY", "title": "No journeys ran"}
    failed = sum(journey.status == "failed" for journey in run.journeys)
    errors = sum(len(journey.new_errors) for journey in run.journeys)
    if failed:
        title = f"{_count(errors, 'new error')} in {failed} of {_count(total, 'journey')}"
        return {"status": "failed", "badge": "FAILED", "title": title}
    not_captured = sum(len(journey.failed_captures) for journey in run.journeys)
    if not_captured or any(journey.check_errors for journey in run.journeys):
        title = f"{_count(not_captured, 'touchpoint')} not captured" if not_captured else "a check could not run"
        return {"status": "error", "badge": "INCOMPLETE", "title": title}
    return {"status": "passed", "badge": "PASSED", "title": f"All {_count(total, 'journey')} passed"}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def render_html(run: RunResult, images: ReportImages, shown_as: str | None = None) -> str:
    """The page; `shown_as` is the report folder as the user named it, for the approve commands it shows."""
    static = resources.files("onevoice.report") / "static"
    script = (static / "report.js").read_text(encoding="utf-8")
    style = (static / "report.css").read_text(encoding="utf-8")
    journeys = tuple(journey_view(journey, index, images) for index, journey in enumerate(run.journeys, start=1))
    all_findings = [f for journey in journeys for f in (*journey.new, *journey.accepted, *journey.fixed)]
    template = _environment().get_template("index.html.j2")
    return template.render(
        csp=content_security_policy(script, style),
        script=Markup(script),
        style=Markup(style),
        started=iso_utc(run.started).replace("T", " ").replace("Z", " UTC"),
        seconds=run.seconds,
        exit_code=run.exit_code,
        summary=summary(run),
        verdict=verdict(run),
        cell_labels=CELL_LABELS,
        report_dir=shown_as or "DIR",
        journeys=journeys,
        options={
            "rule": sorted({f.rule for f in all_findings}),
            "severity": sorted({f.severity for f in all_findings}, key=lambda s: _SEVERITY_ORDER.get(s, 9)),
            "check": sorted({f.check for f in all_findings}),
            "touchpoint": sorted({shot.touchpoint for journey in journeys for shot in journey.shots}),
        },
    )


def write_html(run: RunResult, folder: Path, images: ReportImages, shown_as: str | None = None) -> Path:
    return write_atomic(folder / "index.html", render_html(run, images, shown_as))


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(resources.files("onevoice.report") / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["path_url"] = lambda path: quote(path, safe="/")
    environment.filters["shell"] = shlex.quote
    return environment


def _safe_id(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", text).strip("-") or "journey"


def _shot_anchor(journey_anchor: str, touchpoint: str) -> str:
    return f"{journey_anchor}-t-{_safe_id(touchpoint)}"


def _finding_view(
    finding: Finding, number: int, journey_anchor: str, journey: JourneyResult, images: ReportImages, palette: frozenset[Rgb]
) -> FindingView:
    slug = journey.slug
    evidence = tuple(
        EvidenceView(
            touchpoint=item.touchpoint,
            selector=item.selector,
            text=item.text,
            crop=images.crop_of(slug, item.touchpoint, item.box),
            shot=_shot_anchor(journey_anchor, item.touchpoint)
            if item.box is not None and finding.state != "fixed" and images.size_of(slug, item.touchpoint)
            else None,
            reference=item.touchpoint not in finding.touchpoints,
            from_image=item.from_image,
            color=item.color.hex if item.color else None,
        )
        for item in finding.evidence
    )
    # a finding about colours (its evidence holds them) shows them, and the palette it was judged by
    colors = {item.color for item in finding.evidence if item.color}
    colors = colors | palette if colors else colors
    return FindingView(
        anchor=f"{journey_anchor}-f{number}",
        id=finding.group if len(finding.touchpoints) > 1 and finding.group else finding_id(slug, finding),
        number=number,
        check=finding.check,
        rule=finding.rule,
        severity=finding.severity,
        state=finding.state,
        reason=finding.reason,
        touchpoints=finding.touchpoints,
        related=tuple(dict.fromkeys([*finding.touchpoints, *(item.touchpoint for item in finding.evidence)])),
        message=finding.message,
        expected=display(finding.expected, colors),
        actual=display(finding.actual, colors),
        actual_diff=shared_word_diff(finding.expected, finding.actual)
        if isinstance(finding.expected, str) and isinstance(finding.actual, str)
        else (),
        evidence=evidence,
        boxes=()
        if finding.state == "fixed"
        else tuple(
            (item.touchpoint, item.box, item.touchpoint not in finding.touchpoints)
            for item in finding.evidence
            if item.box is not None
        ),
        history=journey.history.label(slug, finding) if journey.history else None,
    )


def _shot_view(
    capture: Capture,
    journey_anchor: str,
    slug: str,
    images: ReportImages,
    findings: tuple[FindingView, ...],
) -> ShotView:
    size = images.size_of(slug, capture.touchpoint)
    width, height = size or (0, 0)
    kind = size_class(width, capture.viewport) if size else "medium"
    label_size = round(14 * max(width, 1) / SHOT_WIDTHS[kind], 1)
    drawn = [(view, box, reference) for view in findings for tp, box, reference in view.boxes if tp == capture.touchpoint]
    return ShotView(
        anchor=_shot_anchor(journey_anchor, capture.touchpoint),
        touchpoint=capture.touchpoint,
        channel=capture.channel,
        device=capture.device,
        url=capture.url,
        error=capture.error,
        notes=capture.notes,
        subject=capture.email.subject if capture.email else None,
        preheader=capture.email.preheader if capture.email else None,
        screenshot=report_relative(capture.screenshot) if size else None,
        width=width,
        height=height,
        size_class=kind,
        label_size=label_size,
        boxes=box_views(drawn, label_size, width),
    )


def box_views(drawn: list[tuple[FindingView, Box, bool]], label_size: float, image_width: int) -> tuple[BoxView, ...]:
    """The boxes of one screenshot, with labels placed so that none overlaps another: those of new findings
    first (shown by default, they never move for an accepted one), then top to bottom, left to right."""
    ordered = sorted(drawn, key=lambda item: (item[0].state != "new", item[1][1], item[1][0], item[0].number))
    labels = [f"{view.number} ref" if reference else str(view.number) for view, _, reference in ordered]
    spots = place_labels(
        [LabelAnchor(box[0], box[1], label) for (_, box, _), label in zip(ordered, labels)], label_size, image_width
    )
    return tuple(
        BoxView(view.anchor, view.number, view.severity, view.state, view.rule, reference, label,
                x, y, max(width, 1), max(height, 1), label_x, label_y)
        for (view, (x, y, width, height), reference), label, (label_x, label_y) in zip(ordered, labels, spots)
    )


def _cell_view(cell: Cell | None, expected: str | None, images: ReportImages) -> CellView | None:
    if cell is None:
        return None
    found = cell.value if cell.status == "reworded" else None
    return CellView(
        status=cell.status,
        value=cell.value,
        detail=cell.detail,
        image=images.existing(cell.image),
        swatch=cell.swatch.hex if cell.swatch else None,
        diff=shared_word_diff(expected, found) if expected and found else (),
    )
