"""Text read out of images (OCR): the words of a banner, a button drawn as a picture, an app screen.

`ImageReader.read(image)` gives the lines of text it finds, each with its words, their
boxes in the image's pixels and the engine's confidence (0-1). The engine is Tesseract
(Debian's `tesseract-ocr-eng` model through the `tesserocr` binding, in-process), run a few
ways on each image (`PASSES`: the luminance contrast-stretched, or flattened so that text over
a photo stands out; each pixel's distance from the ink's colour; binarised with one threshold
for the whole image, or with one per neighbourhood), keeping the reading with the most
confident text. bench/ocr_engines.py measures it on four sets of labelled banners and compares
it with RapidOCR's PP-OCR models.

Results are cached by image content (the pixels, the engine's version and this module's
settings): in memory, so a banner shared by ten emails is read once per run even when they
are captured at the same time, and on disk when a cache folder is given, so nightly runs
and parallel workers share it. Reading runs in a small pool of threads (Tesseract releases
the GIL), off the event loop.

`main(["--ensure"])` is a set-up step of `make demo` and `make test` (the Makefile calls it, not
`python -m`, which would find this module already imported by its package): it reports the
model it found and installs Debian's when there is none and it may.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw, ImageFilter, ImageOps

from onevoice.errors import OcrUnavailable
from onevoice.files import write_atomic

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per read: reads run side by side instead

LANGUAGE = "eng"
TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
SETTINGS = "stretched, inked dark|light 1%, flattened 10|40, stretched sauvola x2 to 1M px; first if clean and plain else most evidence; zeros, SO doubted; overlap lines;v8"  # part of the cache key: change it when reading changes
MIN_WORD_CONFIDENCE = 0.5  # below this a "word" is mostly texture read as letters
MIN_LINE_CONFIDENCE = 0.75  # a line's mean: lines of text read right score 0.9 and more (tests/data/ocr)
VALUE_SIGNS = "%$£€¥"
NUMBER_WITH_LETTER_O = re.compile(r"\d[\dO.,]*(?![A-Za-z])")  # "1O", "5O.99", "2O2O": zeros read as O; not "10OFF"
FIFTY_READ_AS_SO = re.compile(r"\b[A-Z]{3,}S[O0]\b")  # "EXTRASO": "EXTRA50" as the engine reads it, confidently
DOUBTFUL = 0.8  # below the certainty checks need to raise a conflict (0.85), above a legible line's mean
CLEAN_READING = 0.9  # a first reading this sure (`sureness`) of a plain image (`plain_around`) needs no other pass
PLAIN_DETAIL = 12  # luminance steps between a pixel and its surroundings (blurred over 2 px) that make detail
PLAIN_SHARE = 0.005  # an image with detail in at most this share of its pixels away from the words is plain
INK_SHARE = 0.01  # the ink's colour: the mean of this share of the image's darkest (or lightest) pixels
ENLARGE_UP_TO = 1_000_000  # pixels: banners and buttons; a screen or a large photo draws its text big enough
MEMORY_ENTRIES = 512
WORKERS = 2


@dataclass(frozen=True)
class Word:
    text: str
    box: tuple[int, int, int, int]  # x, y, width, height in the image's pixels
    confidence: float  # 0-1


@dataclass(frozen=True)
class Line:
    """Words on one baseline, left to right, close enough to read as one phrase."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def box(self) -> tuple[int, int, int, int]:
        left = min(word.box[0] for word in self.words)
        top = min(word.box[1] for word in self.words)
        right = max(word.box[0] + word.box[2] for word in self.words)
        bottom = max(word.box[1] + word.box[3] for word in self.words)
        return (left, top, right - left, bottom - top)

    @property
    def confidence(self) -> float:
        """The least sure word's: a line is as trustworthy as its weakest value."""
        return min(word.confidence for word in self.words)


def find_tessdata(environ: dict[str, str] | None = None) -> Path | None:
    """The folder holding Tesseract's `eng.traineddata`: TESSDATA_PREFIX first, then the usual places."""
    environ = os.environ if environ is None else environ
    candidates = [environ["TESSDATA_PREFIX"]] if environ.get("TESSDATA_PREFIX") else []
    for folder in map(Path, [*candidates, *TESSDATA_CANDIDATES]):
        if (folder / f"{LANGUAGE}.traineddata").is_file():
            return folder
    return None


def _missing_model() -> OcrUnavailable:
    return OcrUnavailable(
        f"no OCR model: Tesseract's '{LANGUAGE}.traineddata' was not found in TESSDATA_PREFIX or "
        f"{', '.join(TESSDATA_CANDIDATES[:2])} (install it: apt-get install tesseract-ocr-eng, or "
        "brew install tesseract; or set image_text: off)"
    )


GLOBAL_THRESHOLD = "0"  # Tesseract's `thresholding_method`: Otsu's, one threshold for the whole image
LOCAL_THRESHOLD = "2"  # Sauvola's: each pixel against its neighbourhood's mean and spread (Tesseract 5)


class _Tesseract:
    """Tesseract instances, one per thread and way of reading (an instance is not safe to share)."""

    def __init__(self, tessdata: Path) -> None:
        try:
            import tesserocr
        except ImportError as error:
            raise OcrUnavailable(
                f"no OCR engine: the tesserocr module does not import ({error}) (reinstall onevoice: pip install tesserocr)"
            ) from error
        self.tesserocr = tesserocr
        self.tessdata = tessdata
        self.version = tesserocr.tesseract_version().split()[1]
        self.local = threading.local()

    def api(self, segmentation: str, thresholding: str = GLOBAL_THRESHOLD):
        apis = self.local.__dict__.setdefault("apis", {})
        if (segmentation, thresholding) not in apis:
            try:
                api = self.tesserocr.PyTessBaseAPI(
                    path=f"{self.tessdata}/", lang=LANGUAGE, psm=getattr(self.tesserocr.PSM, segmentation)
                )
            except RuntimeError as error:
                raise _missing_model() from error
            api.SetVariable("thresholding_method", thresholding)  # Tesseract 4 knows only Otsu's: it ignores this
            apis[segmentation, thresholding] = api
        return apis[segmentation, thresholding]

    def words(self, image: PILImage.Image, segmentation: str, thresholding: str = GLOBAL_THRESHOLD) -> list[Word]:
        api = self.api(segmentation, thresholding)
        api.SetImage(image)
        api.Recognize()
        level = self.tesserocr.RIL.WORD
        found = []
        for item in self.tesserocr.iterate_level(api.GetIterator(), level):
            try:
                text = (item.GetUTF8Text(level) or "").strip()
            except RuntimeError:  # an empty word
                continue
            box = item.BoundingBox(level)
            if not text or box is None:
                continue
            left, top, right, bottom = box
            found.append(read_word(text, (left, top, right - left, bottom - top), item.Confidence(level) / 100))
        api.Clear()
        return found


def read_word(text: str, box: tuple[int, int, int, int], confidence: float) -> Word:
    """A word as the engine read it, its confusions of digits with letters undone where the digits
    show (`zeros_restored`) and doubted where they do not: the engine reads the "50" ending a code
    in capitals as "SO" ("EXTRA50" -> "EXTRASO", "SUMMER50" -> "SUMMERSO") with its usual
    confidence, and "code SUMMERSO" against the page's "SUMMER50" would be a conflict that is not
    there. Such a word (a capitals word ending in S and O: "ESPRESSO" too) may still show that a
    message is present, but no longer raises a conflict on its own."""
    text = zeros_restored(text)
    if FIFTY_READ_AS_SO.search(text):
        confidence = min(confidence, DOUBTFUL)
    return Word(text, box, round(confidence, 3))


def zeros_restored(text: str) -> str:
    """`text` with the zeros of its numbers that the engine read as the letter O put back: its English
    dictionary turns the end of a code or price into a word ("VIP1O", "THANKS5O", "5O%"). Only an O
    that follows a digit counts, and only in a number no letter follows, so letters before or after a
    number stay ("HELLO2026", "GO4IT", "TAKE10OFF", "4OZ")."""
    return NUMBER_WITH_LETTER_O.sub(lambda found: found.group().replace("O", "0"), text)


def stretched(image: PILImage.Image) -> PILImage.Image:
    """Luminance with its contrast stretched: text on flat colours and gradients binarises cleanly."""
    return ImageOps.autocontrast(image.convert("L"))


def inked(extreme: str):
    """Each pixel's distance from the colour of the ink, dark where it is near: banner text is set in
    one colour, most often the image's darkest or lightest (`extreme`: "dark" or "light"), taken as the
    mean of its darkest (lightest) pixels. A photo's patches as dark or as light as the letters but
    of another hue fall away, which no preparation of the luminance can tell apart."""

    def prepare(image: PILImage.Image) -> PILImage.Image:
        luminance = image.convert("L")
        counts, wanted, seen = luminance.histogram(), INK_SHARE * image.width * image.height, 0
        levels = range(256) if extreme == "dark" else range(255, -1, -1)
        for level in levels:
            seen += counts[level]
            if seen >= wanted:
                break
        beyond = (lambda value: value <= level) if extreme == "dark" else (lambda value: value >= level)
        extremes = luminance.point(lambda value: 255 if beyond(value) else 0)
        distance = PILImage.new("L", image.size, 0)
        for band in image.split():
            counts = band.histogram(extremes)
            ink = round(sum(value * count for value, count in enumerate(counts)) / max(1, sum(counts)))
            distance = ImageChops.add(distance, ImageChops.difference(band, PILImage.new("L", image.size, ink)))
        return ImageOps.autocontrast(distance, cutoff=1)

    prepare.__name__ = f"inked({extreme})"
    return prepare


def flattened(radius: int):
    """Dark strokes on white wherever the luminance departs from its surroundings blurred over
    `radius` pixels: the letters of text over a photo, whatever their colour, with the photo's
    slow changes removed. The radius must exceed the strokes: small and large text need two."""

    def prepare(image: PILImage.Image) -> PILImage.Image:
        luminance = image.convert("L")
        detail = ImageChops.difference(luminance, luminance.filter(ImageFilter.GaussianBlur(radius)))
        return ImageOps.invert(ImageOps.autocontrast(detail, cutoff=1))

    prepare.__name__ = f"flattened({radius})"
    return prepare


# Each image is read these ways (preparation, page segmentation, thresholding, enlargement) and
# the reading with the most confident text wins: banners over photos defeat any single one
# (bench/ocr_engines.py measures them). The first is enough when it reads a plain image cleanly,
# as it does flat colours and gradients. Over a multicoloured photo, the ink's colour sets the
# letters apart; over a textured one, the departure from the surroundings does. Tesseract
# binarises with one threshold for the whole image: small type over a photo whose light and dark
# patches lie on both sides of the ink's luminance is lost to it, whatever the preparation, while
# a threshold per neighbourhood keeps the letters (but hollows out strokes wider than its window,
# so it is the last way, not the first). That last way reads a small image at twice its size:
# Tesseract misses type whose capitals are under about 15 px, which banners use for small print.
PASSES = (
    (stretched, "AUTO", GLOBAL_THRESHOLD, 1),
    (inked("dark"), "AUTO", GLOBAL_THRESHOLD, 1),
    (inked("light"), "AUTO", GLOBAL_THRESHOLD, 1),
    (flattened(10), "AUTO", GLOBAL_THRESHOLD, 1),
    (flattened(40), "AUTO", GLOBAL_THRESHOLD, 1),
    (stretched, "AUTO", LOCAL_THRESHOLD, 2),
)


def plain_around(image: PILImage.Image, words: list[Word]) -> bool:
    """Whether the image is plain away from `words` (flat colours, gradients): then a clean reading of
    those words is all there is to read. Over a photo another line may have been lost in it."""
    luminance = image.convert("L")
    detail = ImageChops.difference(luminance, luminance.filter(ImageFilter.GaussianBlur(2)))
    detail = detail.point(lambda step: 255 if step > PLAIN_DETAIL else 0)
    away = PILImage.new("L", image.size, 255)
    draw = ImageDraw.Draw(away)
    for word in words:
        x, y, width, height = word.box
        draw.rectangle((x - height // 2, y - height // 2, x + width + height // 2, y + 3 * height // 2), fill=0)
    pixels = away.histogram()[255]
    return ImageChops.darker(detail, away).histogram()[255] <= PLAIN_SHARE * max(1, pixels)


def sureness(lines: tuple[Line, ...]) -> float:
    """The lines' confidence (each its least sure word's), averaged over their characters."""
    return sum(line.confidence * len(line.text) for line in lines) / sum(len(line.text) for line in lines)


def evidence(words: list[Word]) -> float:
    """How much confident text a reading holds: its plausible characters, weighted by confidence."""
    return sum(word.confidence * len(word.text) for word in words if plausible(word))


def group_lines(words: list[Word]) -> tuple[Line, ...]:
    """Words joined into lines: the same band of height (at least half the shorter word within the
    other's height: the engine boxes a word too tall now and then), gaps under 1.5x the taller
    word's height; lines top to bottom, words left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda word: (word.box[0], word.box[1])):
        top, bottom = word.box[1], word.box[1] + word.box[3]
        for line in lines:
            last = line[-1]
            overlap = min(bottom, last.box[1] + last.box[3]) - max(top, last.box[1])
            tall = max(word.box[3], last.box[3])
            same_band = overlap >= min(word.box[3], last.box[3]) / 2
            gap = word.box[0] - (last.box[0] + last.box[2])
            if same_band and -tall / 2 <= gap <= 1.5 * tall:
                line.append(word)
                break
        else:
            lines.append([word])
    return tuple(sorted((Line(tuple(line)) for line in lines), key=lambda line: (line.box[1], line.box[0])))


def shrunk(word: Word, scale: int) -> Word:
    """`word` read in an image enlarged `scale` times, with its box in the original's pixels."""
    if scale == 1:
        return word
    x, y, width, height = word.box
    return Word(word.text, (x // scale, y // scale, -(-width // scale), -(-height // scale)), word.confidence)


def plausible(word: Word) -> bool:
    """A word worth keeping: confident enough and made of letters or digits, not texture."""
    return word.confidence >= MIN_WORD_CONFIDENCE and any(char.isalnum() for char in word.text)


def legible(line: Line) -> bool:
    """A line worth keeping: confident on average and holding a word of three letters, digits or value
    signs ("off", "30%", "$9"). Photos read as text give lines of one or two stray glyphs ("iv", "5",
    "Ap") at 0.5-0.8: on real pages and emails (the shared corpus) every such line is below this."""
    mean = sum(word.confidence for word in line.words) / len(line.words)
    return mean >= MIN_LINE_CONFIDENCE and any(
        sum(char.isalnum() or char in VALUE_SIGNS for char in word.text) >= 3 for word in line.words
    )


class ImageReader:
    """Reads lines of text out of images; thread-safe, cached by content, model checked on creation."""

    def __init__(self, cache_dir: Path | None = None, tessdata: Path | None = None, workers: int = WORKERS) -> None:
        tessdata = tessdata or find_tessdata()
        if tessdata is None:
            raise _missing_model()
        self.engine = _Tesseract(tessdata)
        self.engine.api(*PASSES[0][1:3])  # fail now, in one line, rather than on the first banner
        self.cache_dir = cache_dir
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="onevoice-ocr")
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, Future] = OrderedDict()
        self.reads = 0  # images actually read (not served from a cache)

    @property
    def version(self) -> str:
        return f"tesseract {self.engine.version} ({SETTINGS})"

    def key(self, image: PILImage.Image) -> str:
        digest = hashlib.sha256(f"{self.version}|{image.mode}|{image.size}".encode())
        digest.update(image.tobytes())
        return digest.hexdigest()

    def submit(self, image: PILImage.Image) -> Future:
        """A future of `read(image)`: the same pixels asked for twice share one read."""
        key = self.key(image)
        with self._lock:
            future = self._memory.get(key)
            if future is not None:
                self._memory.move_to_end(key)
                return future
            future = self.pool.submit(self._read, key, image.copy())
            self._memory[key] = future
            if len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)
        return future

    def read(self, image: PILImage.Image) -> tuple[Line, ...]:
        return self.submit(image).result()

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    def _read(self, key: str, image: PILImage.Image) -> tuple[Line, ...]:
        cached = self._from_disk(key)
        if cached is not None:
            return cached
        with self._lock:
            self.reads += 1
        lines = self.engine_lines(image)
        self._to_disk(key, lines)
        return lines

    def engine_lines(self, image: PILImage.Image) -> tuple[Line, ...]:
        """The lines the engine reads in `image`, uncached: the first pass when it reads a plain image
        cleanly, else every pass and the most confident reading."""
        image = image.convert("RGB")
        first, *others = PASSES
        readings = [self._reading(image, *first)]
        lines = _legible_lines(readings[0])
        if lines and sureness(lines) >= CLEAN_READING and plain_around(image, readings[0]):
            return lines
        readings += [self._reading(image, *other) for other in others]
        return _legible_lines(max(readings, key=evidence))

    def _reading(self, image: PILImage.Image, prepare, segmentation, thresholding, enlargement: int) -> list[Word]:
        """The plausible words of one pass, in `image`'s pixels."""
        scale = enlargement if image.width * image.height <= ENLARGE_UP_TO else 1
        seen = image if scale == 1 else image.resize((image.width * scale, image.height * scale), PILImage.LANCZOS)
        return [shrunk(word, scale) for word in self.engine.words(prepare(seen), segmentation, thresholding) if plausible(word)]

    def _disk_path(self, key: str) -> Path | None:
        return self.cache_dir / key[:2] / f"{key}.json" if self.cache_dir else None

    def _from_disk(self, key: str) -> tuple[Line, ...] | None:
        path = self._disk_path(key)
        if path is None or not path.is_file():
            return None
        try:
            lines = json.loads(path.read_text(encoding="utf-8"))
            return tuple(Line(tuple(Word(w["text"], tuple(w["box"]), w["confidence"]) for w in line)) for line in lines)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is read again and rewritten

    def _to_disk(self, key: str, lines: tuple[Line, ...]) -> None:
        path = self._disk_path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps([[asdict(word) for word in line.words] for line in lines]))


def _legible_lines(words: list[Word]) -> tuple[Line, ...]:
    return tuple(line for line in group_lines(words) if legible(line))


def require_model() -> Path:
    """The tessdata folder; OcrUnavailable (one line, exit 3) when the model or the binding is
    missing. Cheap: it loads nothing, so a run with no image to read pays nothing for OCR."""
    found = find_tessdata()
    if found is None:
        raise _missing_model()
    _Tesseract(found)  # the binding imports
    return found


_shared: ImageReader | None = None
_shared_lock = threading.Lock()


def shared_reader() -> ImageReader:
    """The process's reader, created on first use: one cache for every capture of the run, on disk
    in `default_cache_dir()`. Raises OcrUnavailable (one line, exit 3) when there is no model."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ImageReader(cache_dir=default_cache_dir())
        return _shared


def default_cache_dir(environ: dict[str, str] | None = None) -> Path:
    """Where read images are remembered between runs: $ONEVOICE_CACHE or the user's cache folder."""
    environ = os.environ if environ is None else environ
    if environ.get("ONEVOICE_CACHE"):
        return Path(environ["ONEVOICE_CACHE"]) / "ocr"
    base = Path(environ["XDG_CACHE_HOME"]) if environ.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "onevoice" / "ocr"


def ensure_model() -> Path:
    """The tessdata folder, installing Debian's `tesseract-ocr-eng` first when it is missing and we may."""
    found = find_tessdata()
    if found is None and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("onevoice: no OCR model found; installing Debian's tesseract-ocr-eng with apt-get", flush=True)
        quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
        subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", "tesseract-ocr-eng"], check=False, **quiet)
        found = find_tessdata()
    if found is None:
        raise _missing_model()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="onevoice-ocr-model", description="Find or install the OCR model.")
    parser.add_argument("--ensure", action="store_true", help="install Debian's model when it is missing (as root)")
    args = parser.parse_args(argv)
    try:
        found = ensure_model() if args.ensure else find_tessdata()
        if found is None:
            raise _missing_model()
        reader = ImageReader(tessdata=found, workers=1)
    except OcrUnavailable as error:
        print(f"onevoice: {error}", file=sys.stderr)
        return error.exit_code
    print(f"onevoice: OCR: {reader.version}, model {found / (LANGUAGE + '.traineddata')}")
    reader.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
