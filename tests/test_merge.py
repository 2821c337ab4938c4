"""`onevoice merge` on shard reports written from made-up results (no browser): the checks that
refuse what cannot be merged, and findings.json read back as the run it describes."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from onevoice.colors import Rgb
from onevoice.facts import Capture
from onevoice.cli import main
from onevoice.findings import Evidence, Finding
from onevoice.merge import MergeError, merge
from onevoice.model import Brand
from onevoice.report import write_report
from onevoice.report.findings_json import FindingsDocument
from onevoice.report.json_output import findings_document, run_from_document
from onevoice.outcome import JourneyResult, RunResult
from onevoice.baseline.review import ReviewServer
from onevoice.shard import Shard, ShardInfo, select_shard

FILES = ("suite/a.yaml", "suite/b.yaml", "suite/c.yaml")
STARTED = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def journey(file: str) -> JourneyResult:
    slug = Path(file).stem
    finding = Finding(
        check="social", rule="social.missing", severity="error", touchpoints=("home",), subject="instagram",
        message="home links to no instagram account", evidence=(Evidence(touchpoint="home", box=(4, 4, 20, 10)),),
    )
    return JourneyResult(
        name=f"Journey {slug}", file=file, slug=slug, checks=("social",), findings=(finding,),
        captures=(Capture(touchpoint="home", channel="web", device="Desktop Chrome", screenshot=f"screens/{slug}/home.png"),),
    )


def colour_journey(file: str) -> JourneyResult:
    """A journey with a colour finding (its evidence hands the colour) and a promo code shaped like a colour."""
    plain = journey(file)
    color = Finding(
        check="brand", rule="brand.color", severity="warning", touchpoints=("home",), subject="cta #d84a38",
        message="home: 1 call to action in #d84a38", expected={"primary": "#ff6f6f"}, actual="#d84a38",
        evidence=(Evidence(touchpoint="home", box=(4, 4, 20, 10), text="call to action #d84a38", color=Rgb(216, 74, 56)),),
    )
    code = Finding(
        check="messaging", rule="messaging.conflict", severity="error", touchpoints=("home",), subject="promo code",
        message="home says #cafe12, the others #c0ffee", expected="#c0ffee", actual="#cafe12",
        evidence=(Evidence(touchpoint="home", box=(4, 20, 20, 10), text="#cafe12"),),
    )
    return plain.model_copy(update={"findings": (color, code), "brand": Brand(name="B", colors={"primary": "#FF6F6F"})})


def write_run(folder: Path, journeys: list[JourneyResult], shard: ShardInfo | None) -> Path:
    for result in journeys:
        shot = folder / "screens" / result.slug / "home.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (64, 48), "white").save(shot)
    write_report(RunResult(started=STARTED, journeys=tuple(journeys), shard=shard), folder)
    return folder


def write_shards(
    root: Path, total: int = 2, suite: str = "sha256:one", files: tuple[str, ...] = FILES, make=journey
) -> list[Path]:
    weights = [(file, 1) for file in files]
    folders = []
    for index in range(1, total + 1):
        info = ShardInfo(index=index, total=total, suite=suite, journeys=files)
        chosen = [make(files[position]) for position in select_shard(weights, Shard(index=index, total=total))]
        folders.append(write_run(root / f"part{index}", chosen, info))
    return folders


@pytest.mark.parametrize("make", [journey, colour_journey])
def test_findings_json_reads_back_as_the_run_it_describes(tmp_path, make):
    folder = write_run(tmp_path / "report", [make(file) for file in FILES], None)
    document = json.loads((folder / "findings.json").read_text())

    again = findings_document(run_from_document(FindingsDocument.model_validate(document))).json_data()  # no images: no crops

    for record in document["journeys"]:
        for finding in record["findings"]:
            assert all(evidence.pop("crop") for evidence in finding["evidence"])
    for record in again["journeys"]:
        for finding in record["findings"]:
            assert not any(evidence.pop("crop") for evidence in finding["evidence"])
    assert again == document


def test_merged_shards_equal_the_whole_run_and_hold_their_screenshots(tmp_path):
    whole = write_run(tmp_path / "whole", [journey(file) for file in FILES], None)
    merged = merge(write_shards(tmp_path), tmp_path / "merged")

    assert merged.exit_code == 1 and [j.file for j in merged.journeys] == list(FILES)
    documents = [json.loads((folder / "findings.json").read_text()) for folder in (whole, tmp_path / "merged")]
    assert documents[0] == documents[1]  # shard records dropped, journeys in the suite's order, crops cut
    assert (whole / "junit.xml").read_text() == (tmp_path / "merged" / "junit.xml").read_text()
    for record in documents[1]["journeys"]:
        assert (tmp_path / "merged" / record["touchpoints"][0]["screenshot"]).is_file()
        assert (tmp_path / "merged" / record["findings"][0]["evidence"][0]["crop"]).is_file()


def test_a_merged_report_draws_a_swatch_for_a_colour_finding_and_none_for_text_shaped_like_one(tmp_path):
    merge(write_shards(tmp_path, make=colour_journey), tmp_path / "merged")
    document = json.loads((tmp_path / "merged" / "findings.json").read_text())
    evidence = {f["rule"]: f["evidence"][0] for j in document["journeys"] for f in j["findings"]}
    assert evidence["brand.color"]["color"] == "#d84a38" and "color" not in evidence["messaging.conflict"]
    soup = BeautifulSoup((tmp_path / "merged" / "index.html").read_text(encoding="utf-8"), "html.parser")
    journeys = soup.find_all("section", class_="journey")
    assert len(journeys) == len(FILES)
    for section in journeys:
        color = section.find("article", attrs={"data-rule": "brand.color"})
        assert [svg.rect["fill"] for svg in color.find_all("svg", class_="swatch")] == ["#ff6f6f", "#d84a38", "#d84a38"]
        assert section.find("article", attrs={"data-rule": "messaging.conflict"}).find("svg", class_="swatch") is None


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda folders: folders[:1], r"shard 2/2 missing: give the report folder of every shard \(1 of 2 given\)"),
        (lambda folders: [folders[0], folders[1], folders[1]], r"part2 and .*part2 are both shard 2/2; give each shard once"),
        (lambda folders: [*folders, folders[0].parent / "nowhere"], r"nowhere/findings.json: no such file"),
    ],
)
def test_missing_repeated_or_absent_shards_are_refused_in_one_line(tmp_path, damage, message):
    with pytest.raises(MergeError, match=message) as error:
        merge(damage(write_shards(tmp_path)), tmp_path / "merged")
    assert "\n" not in str(error.value) and not (tmp_path / "merged").exists()


def test_a_damaged_findings_json_is_refused_with_where_and_what(tmp_path):
    folders = write_shards(tmp_path)
    document = json.loads((folders[1] / "findings.json").read_text())
    document["journeys"][0]["findings"][0]["severity"] = "eror"
    (folders[1] / "findings.json").write_text(json.dumps(document))
    with pytest.raises(MergeError) as error:
        merge(folders, tmp_path / "merged")
    assert str(error.value) == (
        f"{folders[1] / 'findings.json'}: not a onevoice findings.json: "
        "journeys[0].findings[0].severity: 'eror' is not allowed (did you mean 'error'?)"
    )
    (folders[1] / "findings.json").write_text("{")
    with pytest.raises(MergeError, match=r"part2/findings.json: not a onevoice findings.json \(Expecting"):
        merge(folders, tmp_path / "merged")


def test_shards_of_another_suite_or_version_or_no_shard_at_all_are_refused(tmp_path):
    ours = write_shards(tmp_path / "ours")
    theirs = write_shards(tmp_path / "theirs", suite="sha256:two")
    with pytest.raises(MergeError, match=r"theirs/part2: shard 2/2 of another set of journeys than .*ours/part1"):
        merge([ours[0], theirs[1]], tmp_path / "merged")

    document = json.loads((ours[1] / "findings.json").read_text())
    (ours[1] / "findings.json").write_text(json.dumps(document | {"version": "0.0.1"}))
    with pytest.raises(MergeError, match=r"part2: written by onevoice 0.0.1, this is onevoice .*; run every shard"):
        merge(ours, tmp_path / "merged")

    plain = write_run(tmp_path / "plain", [journey(FILES[0])], None)
    with pytest.raises(MergeError, match=r"plain/findings.json: not the report of a shard; run each part with"):
        merge([plain], tmp_path / "merged")


def test_the_merge_command_exits_2_with_one_line_and_approve_and_review_take_the_merged_report(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    folders = write_shards(tmp_path)
    assert main(["merge", str(folders[0]), "--report", "merged"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0

    assert main(["merge", *map(str, folders), "--report", "merged"]) == 1
    for file in FILES:
        Path(file).parent.mkdir(exist_ok=True)
        Path(file).write_text("name: x\n")
    assert main(["approve", "--report", "merged"]) == 0
    assert sorted(path.name for path in Path("suite").glob("*.baseline.yaml")) == ["a.baseline.yaml", "b.baseline.yaml", "c.baseline.yaml"]
    with ReviewServer(Path("merged")) as server:
        assert server.url.startswith("http://127.0.0.1:")


def test_a_merge_records_the_whole_run_in_the_history(tmp_path):
    database = tmp_path / "history.sqlite"
    for night in (1, 2):
        merged = merge(write_shards(tmp_path / f"night{night}"), tmp_path / "merged", history=database)
    assert [journey.history.run for journey in merged.journeys] == [2, 2, 2]
    labels = [f["history"]["text"] for j in json.loads((tmp_path / "merged" / "findings.json").read_text())["journeys"] for f in j["findings"]]
    assert labels == ["failing for 2 runs"] * 3


def test_journey_files_that_did_not_load_keep_the_merged_exit_status_at_2(tmp_path):
    folders = write_shards(tmp_path)
    problem = "suite/broken.yaml:3: touchpoints[0].device: unknown device 'iPhone 99' (did you mean 'iPhone 13'?)"
    for folder in folders:  # every shard loads every file, so each reports the same problem
        document = json.loads((folder / "findings.json").read_text())
        (folder / "findings.json").write_text(json.dumps(document | {"problems": [problem]}))
    merged = merge(folders, tmp_path / "merged")
    assert merged.problems == (problem,) and merged.exit_code == 2
    assert json.loads((tmp_path / "merged" / "findings.json").read_text())["exit_code"] == 2
