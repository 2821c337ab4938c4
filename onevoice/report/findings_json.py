"""The typed model of findings.json (docs/outputs.md): what the report writes, and what
`approve`, `review` and `merge` read back.

Fields keep the file's order. Readers ignore fields they do not know, so a findings.json from a
newer onevoice of the same format still reads; a new field is one line here, with its default.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_serializer

from onevoice.colors import Color
from onevoice.errors import LoadError, first_line
from onevoice.findings import FactChange, Matrix, State
from onevoice.model import Brand, Severity
from onevoice.problems import explain
from onevoice.shard import ShardInfo

FORMAT_VERSION = "1"


class Record(BaseModel):
    """A part of findings.json; `OMITTED_WHEN_NONE` fields are left out of the file when None."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    OMITTED_WHEN_NONE: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _leave_out_absent(self, handler):
        data = handler(self)
        for key in self.OMITTED_WHEN_NONE:
            if data.get(key) is None:
                data.pop(key, None)
        return data


class EvidenceRecord(Record):
    OMITTED_WHEN_NONE = ("from_image", "color")

    touchpoint: str
    selector: str | None = None
    box: list[int | float] | None = None  # [x, y, width, height] in screenshot CSS pixels
    text: str | None = None
    crop: str | None = None  # the evidence crop beside the report, when one was cut
    from_image: bool | None = None  # true: the text was read from an image (OCR, docs/journeys.md); absent otherwise
    color: Color | None = None  # "#rrggbb": the colour the element shows, for a finding about a colour; absent otherwise


class FindingRecord(Record):
    check: str
    rule: str
    severity: Severity
    touchpoints: list[str]
    message: str
    expected: Any = None
    actual: Any = None
    evidence: list[EvidenceRecord] = []
    state: State = "new"
    reason: str | None = None
    subject: str
    id: str  # what `onevoice approve --finding` and the review server's Accept take
    group: str | None = None  # shared by the records of one cause (rule and subject), one per touchpoint
    history: dict[str, Any] | None = None  # the history's label of this finding's group, when recorded


class TouchpointRecord(Record):
    OMITTED_WHEN_NONE = ("notes", "subject", "preheader")

    id: str
    channel: str
    device: str
    url: str | None = None
    screenshot: str | None = None
    error: str | None = None
    notes: list[str] | None = None  # what was captured only in part (a screenshot cut short, requests still loading)
    attempts: int = 1
    seconds: float = 0.0
    subject: str | None = None  # email touchpoints only
    preheader: str | None = None  # email touchpoints only


class JourneyRecord(Record):
    name: str
    file: str  # as given on the command line
    status: str
    touchpoints: list[TouchpointRecord] = []
    findings: list[FindingRecord] = []
    slug: str
    tags: list[str] = []
    seconds: float = 0.0
    checks: list[str] = []
    check_errors: dict[str, str] = {}
    matrices: list[Matrix] = []
    baseline: str | None = None
    changes: list[FactChange] = []
    brand: Brand | None = None
    brand_logos: list[str] = []
    history: dict[str, Any] | None = None  # trend and fixed groups, when the run was recorded


class FindingsDocument(Record):
    OMITTED_WHEN_NONE = ("shard",)

    onevoice: str = FORMAT_VERSION
    version: str = "unknown"  # the onevoice package that wrote it
    started: str  # ISO 8601, UTC, `Z`
    seconds: float = 0.0
    exit_code: int
    shard: ShardInfo | None = None  # set on the report of one shard of a suite
    problems: list[str] = []  # journeys that did not load, `file:line: what`
    journeys: list[JourneyRecord] = []

    def json_data(self) -> dict[str, Any]:
        """The document as plain JSON data, in the file's shape."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        return json.dumps(self.json_data(), indent=2, ensure_ascii=False) + "\n"


class FindingsError(LoadError):
    """A findings.json that cannot be read, is not JSON, is of another format, or is not of its
    shape: `path: what` in one line."""


def read_findings(path: Path) -> FindingsDocument:
    """Read a findings.json: FileNotFoundError when absent, FindingsError when it cannot be used."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as error:
        raise FindingsError(f"{path}: not a onevoice findings.json ({first_line(error)})") from None
    if not isinstance(data, dict) or data.get("onevoice") != FORMAT_VERSION:
        found = data.get("onevoice") if isinstance(data, dict) else None
        raise FindingsError(f"{path}: findings.json format {found!r}, this onevoice reads {FORMAT_VERSION!r}")
    try:
        return FindingsDocument.model_validate(data)
    except ValidationError as error:
        where, what = explain(error, data, FindingsDocument)[0]
        raise FindingsError(f"{path}: not a onevoice findings.json: {where}: {what}") from None
