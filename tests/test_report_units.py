"""The report's pure parts: diffs, crop geometry, paths, time stamps, XML text, CSP hashes, verdicts."""

from __future__ import annotations

import base64
import os
import hashlib
from datetime import datetime, timedelta, timezone

from onevoice.colors import Rgb
from onevoice.findings import Finding
from onevoice.report.crops import crop_file_name, crop_rectangle, report_relative
from onevoice.report.diff import shared_word_diff, word_diff
from onevoice.files import write_atomic
from onevoice.report.html import ValuePart, content_security_policy, display, inline_hash, size_class, verdict
from onevoice.report.json_output import finding_order, iso_utc
from onevoice.report.labels import LabelAnchor, label_area, place_labels
from onevoice.report.junit import check_families, xml_text
from onevoice.outcome import JourneyResult, RunResult
from onevoice.facts import Capture


def test_word_diff_marks_dropped_and_added_words():
    parts = word_diff("Launch campaigns your customers love", "Launch campaigns customers adore")
    assert parts == (("same", "Launch campaigns"), ("del", "your"), ("same", "customers"), ("del", "love"), ("ins", "adore"))


def test_word_diff_of_equal_and_of_empty_texts():
    assert word_diff("20% off  today", "20% off today") == (("same", "20% off today"),)
    assert word_diff("", "new words") == (("ins", "new words"),)


def test_word_diff_aligns_words_on_their_normalised_form_and_shows_the_found_text():
    assert word_diff("Notebooks made to be filled, page after page", "Notebooks made to be filled") == (
        ("same", "Notebooks made to be filled"), ("del", "page after page"))
    assert word_diff("\u201cDon\u2019t wait\u201d \u2014 order today!", '"don\'t wait" - Order today') == (
        ("same", '"don\'t wait" - Order today'),)
    assert word_diff("20% off, today", "25% off today") == (("del", "20%"), ("ins", "25%"), ("same", "off today"))


def test_shared_word_diff_leaves_unrelated_values_alone():
    assert shared_word_diff("#1F4FD8", "#E03131") == ()
    assert shared_word_diff("20% off today", "30% off today") == (("del", "20%"), ("ins", "30%"), ("same", "off today"))


def test_crop_rectangle_keeps_a_margin_and_stays_inside_the_image():
    assert crop_rectangle((100, 200, 50, 20), (1440, 2400)) == (88, 188, 162, 232)
    assert crop_rectangle((0, 2300, 1440, 200), (1440, 2400)) == (0, 2288, 1440, 2400)


def test_crop_rectangle_refuses_empty_and_outside_boxes():
    assert crop_rectangle((10, 10, 0, 30), (100, 100)) is None
    assert crop_rectangle((500, 500, 40, 40), (100, 100)) is None


def test_crop_file_name_names_touchpoint_and_box():
    assert crop_file_name("home-mobile", (20.4, 300.0, 350.6, 80.0)) == "home-mobile-20-300-351-80.png"


def test_report_relative_accepts_only_paths_inside_the_report():
    assert report_relative("screens/a/home.png") == "screens/a/home.png"
    for outside in ("../secret.png", "/etc/passwd", "file:///etc/passwd", "http://example.test/x.png",
                    "data:image/png;base64,AAAA", "javascript:alert(1)", "screens\\..\\x.png", "", None):
        assert report_relative(outside) is None, outside


def test_iso_utc_writes_z_and_converts_other_zones():
    assert iso_utc(datetime(2026, 11, 23, 2, 0, 0, 123456, tzinfo=timezone.utc)) == "2026-11-23T02:00:00Z"
    assert iso_utc(datetime(2026, 11, 23, 3, 30, tzinfo=timezone(timedelta(hours=1)))) == "2026-11-23T02:30:00Z"
    assert iso_utc(datetime(2026, 11, 23, 2, 0)) == "2026-11-23T02:00:00Z"


def test_xml_text_drops_characters_xml_cannot_hold():
    assert xml_text("a\x00b\x1bc\td\ne") == "a\ufffdb\ufffdc\td\ne"
    assert xml_text("<ok & fine>") == "<ok & fine>"


def _finding(check: str, rule: str, subject: str = "x", state: str = "new") -> Finding:
    return Finding(check=check, rule=rule, severity="error", touchpoints=("a",), subject=subject, message="m", state=state)


def test_check_families_lists_those_that_ran_then_those_that_reported():
    journey = JourneyResult(
        name="j", file="j.yaml", slug="j", checks=("brand", "social"),
        findings=(_finding("thirdparty", "thirdparty.odd"), _finding("social", "social.missing")),
        check_errors={"crashy": "boom"},
    )
    assert check_families(journey) == ("brand", "social", "thirdparty", "crashy")


def test_finding_order_follows_identity_not_insertion():
    first, second = _finding("social", "social.missing", "x"), _finding("brand", "brand.color", "cta")
    assert sorted([first, second], key=finding_order) == [second, first]


def test_inline_hash_is_the_csp_sha256_of_the_exact_text():
    digest = base64.b64encode(hashlib.sha256("body{}".encode()).digest()).decode()
    assert inline_hash("body{}") == f"'sha256-{digest}'"
    policy = content_security_policy("let a = 1;", "body{}")
    assert "default-src 'none'" in policy and "img-src 'self'" in policy and "connect-src 'none'" in policy
    assert "unsafe-inline" not in policy and inline_hash("let a = 1;") in policy


def test_display_splits_mappings_and_lists_and_marks_only_the_colours_it_is_handed():
    assert display(None) is None
    assert display("20% off") == (ValuePart(None, "20% off", None),)
    navy = Rgb.parse("#1e3a5f")
    assert display({"navy": "#1E3A5F", "sizes": [2]}, {navy}) == (
        ValuePart("navy", "#1E3A5F", "#1e3a5f"), ValuePart("sizes", "[2]", None))
    assert display(["https://x.com/a", 3]) == (ValuePart(None, "https://x.com/a", None), ValuePart(None, "3", None))
    # text shaped like a colour is no colour unless the check handed it as one
    assert display("#cafe12") == (ValuePart(None, "#cafe12", None),)
    assert display("#cafe12", {navy}) == (ValuePart(None, "#cafe12", None),)


def test_size_class_by_screenshot_width():
    assert [size_class(width) for width in (1440, 600, 390)] == ["wide", "medium", "narrow"]


def test_a_phone_shaped_screen_is_shown_narrow_at_any_pixel_density():
    assert size_class(1080, viewport=(1080, 2400)) == "narrow"  # an app screenshot in device pixels
    assert size_class(1280, viewport=(1280, 720)) == "wide"
    assert size_class(600, viewport=(600, 800)) == "medium"  # an email client
    assert size_class(810, viewport=(810, 1080)) == "medium"  # a tablet held upright


def test_verdict_names_failures_first_then_missing_captures():
    failed = JourneyResult(name="a", file="a.yaml", slug="a", findings=(_finding("social", "social.missing"),))
    broken = JourneyResult(name="b", file="b.yaml", slug="b",
                           captures=(Capture(touchpoint="t", channel="web", device="d", error="refused"),))
    fine = JourneyResult(name="c", file="c.yaml", slug="c")
    started = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert verdict(RunResult(started=started, journeys=(failed, broken, fine))) == {
        "status": "failed", "badge": "FAILED", "title": "1 new error in 1 of 3 journeys"}
    assert verdict(RunResult(started=started, journeys=(broken, fine)))["title"] == "1 touchpoint not captured"
    assert verdict(RunResult(started=started, journeys=(fine,)))["badge"] == "PASSED"
    assert verdict(RunResult(started=started))["title"] == "No journeys ran"


def test_write_atomic_replaces_whole_files_and_leaves_no_temporaries(tmp_path):
    target = tmp_path / "deep" / "index.html"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # as any file the user writes, not mkstemp's 0600


def test_labels_of_a_row_of_touching_boxes_stack_without_meeting_and_keep_their_box_edge():
    anchors = [LabelAnchor(x=1000.0 + 25 * i, y=1500.0, text=str(8 + i)) for i in range(4)]
    spots = place_labels(anchors, size=42.7, image_width=1280)
    assert spots[0] == (1000.0, round(1500 - 0.3 * 42.7, 1))  # the first label sits right above its box
    assert [x for x, _ in spots] == [a.x for a in anchors]
    areas = [label_area(x, y, a.text, 42.7) for (x, y), a in zip(spots, anchors)]
    assert not any(one.meets(other) for i, one in enumerate(areas) for other in areas[i + 1:])
    assert place_labels(anchors, size=42.7, image_width=1280) == spots


def test_labels_stay_inside_the_image_and_go_inside_a_box_at_its_top():
    spots = place_labels([LabelAnchor(0.0, 0.0, "4 ref"), LabelAnchor(10.0, 0.0, "12"), LabelAnchor(390.0, 300.0, "3")],
                         size=22.8, image_width=390)
    assert spots[0] == (0.0, 22.8)  # no room above: just inside the box
    assert spots[1][1] > spots[0][1]  # no room above either: stacked below
    assert spots[2][0] + 0.62 * 22.8 <= 390 + 0.05  # the places are rounded to 0.1 px
