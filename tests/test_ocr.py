"""Reading text inside images (onevoice.capture.ocr, onevoice.capture.image_text): accuracy on the
labelled banners of tests/data/ocr, the content cache, the missing-model error, which images are read."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import threading
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from checks.messaging.check import CERTAIN
from onevoice import cli
from onevoice.capture import ocr
from onevoice.capture.image_text import (
    document_boxes,
    drawn_over,
    held_by_alt,
    images_to_read,
    line_blocks,
    read_images,
)
from onevoice.capture.ocr import ImageReader, Line, Word, find_tessdata, group_lines, legible
from onevoice.extract import extract_page
from onevoice.facts import Image, Link, TextBlock
from onevoice.errors import EXIT_CAPTURE_ERROR, OcrUnavailable

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "ocr"

def _bench_module():
    """bench/ocr_engines.py, whose measures the accuracy test shares (loaded by path: bench/ is no package)."""
    spec = importlib.util.spec_from_file_location("ocr_engines", ROOT / "bench" / "ocr_engines.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _bench_module()

pytestmark = pytest.mark.skipif(find_tessdata() is None, reason="no Tesseract model (make setup installs it)")


@pytest.fixture(scope="module")
def reader():
    reader = ImageReader()
    yield reader
    reader.close()


def banner(text: str, size=(360, 90), font_size=34) -> PILImage.Image:
    image = PILImage.new("RGB", size, "#1f4fd8")
    font = ImageFont.truetype("DejaVuSans-Bold.ttf", font_size)
    ImageDraw.Draw(image).text((16, (size[1] - font_size) // 2), text, fill="white", font=font)
    return image


def read_banners(reader, folder: Path) -> dict[str, list[int]]:
    """Per kind of banner: [label words read right, label words, values read exactly, values]."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    totals: dict[str, list[int]] = {}
    for file, label in labels.items():
        lines = reader.read(PILImage.open(folder / file))
        read, expected = "\n".join(line.text for line in lines), "\n".join(label["lines"])
        total = totals.setdefault(label["kind"], [0, 0, 0, 0])
        for index, value in enumerate((*bench.score_words(expected, read), *bench.key_values_read(expected, read))):
            total[index] += value
    return totals


def test_the_labelled_banners_are_read_to_the_targets(reader):
    """Targets (issue 12), on the banners the reading was developed on: clean >= 95% of words, busy
    >= 85%, and every value conflicts are made of (prices, percentages, codes) exact on both."""
    totals = read_banners(reader, bench.SETS["dev"])
    clean, busy = totals["clean"], totals["busy"]
    assert clean[0] / clean[1] >= 0.95 and clean[2] == clean[3], clean
    assert busy[0] / busy[1] >= 0.85 and busy[2] == busy[3], busy


@pytest.mark.parametrize("banners", ["heldout", "fresh", "unseen"])
def test_the_other_banner_sets_are_read_to_the_word_targets(reader, banners):
    """Banners with other fonts, words, sizes and backgrounds (tests/data/ocr/make.py). `heldout` and
    `fresh` were each read blind once and their errors then guided the method; `unseen`, made after
    the last change, never did, so it is what to expect of banners nobody here has seen. Words meet
    the targets on all three, and 9 values in 10 are exact (docs/journeys.md: 93-97%; the engine
    reads the '50' ending a code in capitals as 'SO', and loses some lines)."""
    totals = read_banners(reader, bench.SETS[banners])
    clean, busy = totals["clean"], totals["busy"]
    assert clean[0] / clean[1] >= 0.95 and clean[2] / clean[3] >= 0.9, clean
    assert busy[0] / busy[1] >= 0.85 and busy[2] / busy[3] >= 0.9, busy


def test_words_come_with_boxes_in_image_pixels_and_a_confidence(reader):
    (line,) = reader.read(banner("Save 30% today"))
    assert line.text == "Save 30% today"
    x, y, width, height = line.box
    assert 10 <= x <= 24 and 20 <= y <= 40 and 200 <= width <= 330 and 20 <= height <= 45
    assert all(0.8 <= word.confidence <= 1 for word in line.words)


def test_the_same_pixels_are_read_once_even_when_asked_for_at_the_same_time(tmp_path):
    reader = ImageReader(cache_dir=tmp_path)
    image = banner("Code SPRING30")
    try:
        futures = []
        threads = [threading.Thread(target=lambda: futures.append(reader.submit(image.copy()))) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert {future.result()[0].text for future in futures} == {"Code SPRING30"}
        assert reader.reads == 1
    finally:
        reader.close()
    again = ImageReader(cache_dir=tmp_path)  # another process of the same run, or tomorrow's run
    try:
        assert again.read(image)[0].text == "Code SPRING30"
        assert again.reads == 0
        assert again.read(banner("Code SPRING31"))[0].text == "Code SPRING31" and again.reads == 1
    finally:
        again.close()


def test_a_damaged_disk_entry_is_read_again(tmp_path):
    reader = ImageReader(cache_dir=tmp_path)
    image = banner("Only $49")
    try:
        key = reader.key(image)
        entry = tmp_path / key[:2] / f"{key}.json"
        entry.parent.mkdir(parents=True)
        entry.write_text("{not json", encoding="utf-8")
        assert reader.read(image)[0].text == "Only $49" and reader.reads == 1
        assert json.loads(entry.read_text(encoding="utf-8"))[0][0]["text"] == "Only"
    finally:
        reader.close()


def test_a_missing_model_is_one_line_with_the_capture_exit_code(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "TESSDATA_CANDIDATES", ())
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    with pytest.raises(OcrUnavailable) as raised:
        ImageReader()
    message = str(raised.value)
    assert "\n" not in message and "tesseract-ocr-eng" in message and "image_text: off" in message
    assert raised.value.exit_code == EXIT_CAPTURE_ERROR
    with pytest.raises(OcrUnavailable):  # a folder without the model
        ImageReader(tessdata=tmp_path)


@pytest.mark.browser
def test_a_run_without_the_model_stops_in_one_line_with_exit_3_unless_image_text_is_off(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ocr, "TESSDATA_CANDIDATES", ())
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    journey = tmp_path / "j.yaml"
    journey.write_text("name: J\ntouchpoints:\n  - {id: home, url: 'http://127.0.0.1:9/'}\n", encoding="utf-8")
    assert cli.main(["run", str(journey), "--report", str(tmp_path / "report")]) == EXIT_CAPTURE_ERROR
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("onevoice: no OCR model: Tesseract's 'eng.traineddata' was not found")
    with pytest.raises(OcrUnavailable):
        ocr.require_model()
    journey.write_text(journey.read_text(encoding="utf-8") + "image_text: off\n", encoding="utf-8")
    assert cli.main(["run", str(journey), "--report", str(tmp_path / "report"), "--timeout", "2"]) == 3  # unreachable
    assert "no OCR model" not in capsys.readouterr().err


def test_the_model_is_found_through_tessdata_prefix(tmp_path):
    (tmp_path / "eng.traineddata").write_bytes(b"")
    assert find_tessdata({"TESSDATA_PREFIX": str(tmp_path)}) == tmp_path


def word(text: str, x: int, y: int, width: int = 40, height: int = 20, confidence: float = 0.9) -> Word:
    return Word(text, (x, y, width, height), confidence)


def test_words_group_into_lines_by_baseline_and_gap():
    lines = group_lines(
        [word("off", 100, 10), word("30%", 50, 12), word("Code", 0, 60), word("SAVE30", 50, 60), word("far", 400, 10)]
    )
    assert [line.text for line in lines] == ["30% off", "far", "Code SAVE30"]
    assert lines[0].box == (50, 10, 90, 22)
    assert Line((word("a", 0, 0, confidence=0.6), word("b", 45, 0))).confidence == 0.6


def test_digits_the_engine_reads_as_letters_are_restored_or_doubted():
    restored = [ocr.zeros_restored(text) for text in ("VIP1O", "5O%", "$1O.99", "2O2O")]
    assert restored == ["VIP10", "50%", "$10.99", "2020"]
    kept = ("HELLO2026", "GO4IT", "TAKE2GO", "Offer", "TAKE10OFF", "SAVE20ONLINE", "4OZ")
    assert [ocr.zeros_restored(text) for text in kept] == list(kept)  # an O before, after or among letters is a letter
    doubted = ocr.read_word("SUMMERSO", (0, 0, 90, 20), 0.91)
    assert doubted.text == "SUMMERSO" and ocr.DOUBTFUL == doubted.confidence < CERTAIN  # below checks' certainty
    for text in ("SUMMER50", "ALSO", "Also", "SUMMERS"):
        assert ocr.read_word(text, (0, 0, 90, 20), 0.91).confidence == 0.91, text


def test_a_code_ending_in_50_read_as_so_raises_no_conflict(reader):
    """tests/data/ocr/heldout/busy-17.jpg says 'Enter EXTRA50 at checkout': read right, or not certain
    (checks' 0.85): the engine reads 'EXTRASO' there at 0.9 and more."""
    lines = reader.read(PILImage.open(DATA / "heldout" / "busy-17.jpg"))
    (line,) = [line for line in lines if "EXTRA" in line.text]
    assert line.text == "Enter EXTRA50 at checkout" or line.confidence < CERTAIN, (line.text, line.confidence)


def test_stray_glyphs_read_in_photos_are_no_lines():
    assert legible(Line((word("30%", 0, 0, confidence=0.8),)))
    assert legible(Line((word("Save", 0, 0, confidence=0.95), word("a", 45, 0, confidence=0.6))))
    assert not legible(Line((word("iv", 0, 0, confidence=0.95),)))  # no word of three characters
    assert not legible(Line((word("tele", 0, 0, confidence=0.69),)))  # unsure on average


def picture(**fields) -> Image:
    return Image(**{"kind": "img", "box": (0, 0, 600, 300), **fields})


def test_auto_reads_images_large_enough_for_words_and_no_logos_icons_svgs_or_backdrops():
    hero, button = picture(selector="#hero"), picture(box=(0, 0, 120, 40))
    icon, strip = picture(box=(0, 0, 32, 32)), picture(box=(0, 0, 600, 12))
    logo, svg = picture(logo_hint="alt says logo"), picture(kind="svg")
    background = picture(kind="background")
    hidden, broken, boxless = picture(visible=False), picture(loaded=False), picture(box=None)
    backdrop = picture(kind="background", box=(0, 0, 1280, 4000))
    every = [hero, button, icon, strip, logo, svg, background, hidden, broken, boxless, backdrop]
    assert images_to_read(every, "auto") == [hero, button, background]
    assert images_to_read(every, "on") == [hero, button, icon, strip, logo, svg, background, backdrop]
    assert images_to_read(every, "off") == []


def test_lines_become_text_blocks_in_page_coordinates_marked_as_read_from_an_image():
    line = Line((word("Save", 10, 20, 60, 30, 0.95), word("30%", 80, 20, 50, 30, 0.7)))
    (block,) = line_blocks([line], picture(selector="#hero", region="main"), origin=(100, 500))
    assert block.text == "Save 30%" and block.from_image and block.confidence == 0.7
    assert block.box == (110, 520, 120, 30) and block.selector == "#hero" and block.region == "main"
    (scaled,) = line_blocks([line], None, origin=(0, 0), scale=0.5)
    assert scaled.box == (5, 10, 60, 15)


def test_text_the_alt_holds_or_the_page_draws_over_the_image_is_not_repeated():
    assert held_by_alt("SAVE 30% TODAY", "Save 30% today on every order")
    assert not held_by_alt("Save 40% today", "Save 30% today")
    assert not held_by_alt("Save 30%", "")
    heading = TextBlock(text="Summer sale", role="heading", box=(100, 100, 300, 50))
    over = TextBlock(text="Summer sale", role="body", box=(110, 105, 200, 40), from_image=True)
    beside = TextBlock(text="30% off", role="body", box=(110, 200, 200, 40), from_image=True)
    link = Link(href="https://shop.test/", text="Shop", box=(600, 10, 80, 20))
    hidden = TextBlock(text="Sale", role="body", box=(0, 300, 300, 100), visible=False)
    drawn = document_boxes([heading, hidden, over], [link])
    assert drawn == [heading.box, link.box]
    assert drawn_over(over, drawn) and not drawn_over(beside, drawn)


def test_a_form_field_on_a_photo_draws_its_own_placeholder():
    """A sign-up field over a hero photo: the browser draws 'Enter email address...' in it, so a line
    read there is the page's, not the image's; a hidden field draws nothing."""
    page = extract_page(
        '<html data-onevoice-annotated="1"><body data-onevoice-box="0 0 800 600">'
        '<input type="email" placeholder="Enter email address..." data-onevoice-box="50 300 250 40">'
        '<input type="hidden" name="token" data-onevoice-box="0 0 0 0" data-onevoice-hidden="1">'
        '<textarea data-onevoice-box="50 360 250 80"></textarea></body></html>'
    )
    assert page.fields == ((50.0, 300.0, 250.0, 40.0), (50.0, 360.0, 250.0, 80.0))
    placeholder = TextBlock(text="ENTER", role="body", box=(57, 312, 47, 9), from_image=True)
    assert drawn_over(placeholder, page.fields)


def test_read_images_reads_the_screenshot_under_each_chosen_image(reader):
    screenshot = PILImage.new("RGB", (800, 700), "white")
    screenshot.paste(banner("Save 30% today"), (100, 400))
    screenshot.paste(banner("Shown in alt"), (100, 100))
    hero = picture(box=(100, 400, 360, 90), selector="img.hero")
    alt = picture(box=(100, 100, 360, 90), alt="Shown in alt")
    blocks = asyncio.run(read_images(reader, screenshot, [hero, alt], [], "auto"))
    assert [(block.text, block.selector) for block in blocks] == [("Save 30% today", "img.hero")]
    x, y, width, height = blocks[0].box
    assert 110 <= x <= 124 and 420 <= y <= 440
    on = asyncio.run(read_images(reader, screenshot, [hero, alt], [], "on"))
    assert sorted(block.text for block in on) == ["Save 30% today", "Shown in alt"]


def test_the_corpus_app_screens_are_read_as_labelled_by_hand(reader):
    """The shared corpus's screens read whole, as for a screen saved without its hierarchy: the
    labels (tests/data/ocr/corpus-labels.json) were written by looking at the screens. What is
    missed: the Yelp wordmark (a logo, drawn), the status bar's clock beside its icons, the
    underlined link www.paypal.com; every number of the PayPal addresses is read exactly."""
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"the shared corpus is absent (expected {corpus} beside the repository)")
    labels = json.loads((DATA / "corpus-labels.json").read_text(encoding="utf-8"))
    right = words = 0
    for path, label in labels.items():
        if path.startswith("_"):
            continue
        read = "\n".join(line.text for line in reader.read(PILImage.open(corpus / path)))
        expected = "\n".join(label["lines"])
        found = bench.score_words(expected, read)
        right, words = right + found[0], words + found[1]
        numbers = [token.strip(".,") for token in expected.split() if any(char.isdigit() for char in token)]
        assert [number for number in numbers if number not in read and ":" not in number] == [], path
    assert right / words >= 0.9, (right, words)
