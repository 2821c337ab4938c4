"""Which OCR engine reads banners best: accuracy and speed on the same labelled images.

    .venv/bin/python bench/ocr_engines.py [--engines tesseract,tesseract-x2,rapidocr] [--repeat 1] [--set dev|heldout|fresh|unseen]

Reads every image of one set of banners rendered by tests/data/ocr/make.py (labels in its
labels.json): `dev`, tests/data/ocr, the set onevoice's reading was developed on; `heldout`
and `fresh` (tests/data/ocr/<set>), made with other fonts, words, sizes and backgrounds, each
read blind once and then used to improve the reading; `unseen`, made after the last change and
never tuned on. It prints for each engine, per kind of banner (clean, busy): the share of
label words read right, the share of key values (prices, percentages, promo codes) read
exactly, and the median and total time per image. Engines:

- `tesseract`: Debian's Tesseract 5 with its `eng` model (apt: tesseract-ocr, tesseract-ocr-eng)
  through tesserocr, in-process, page segmentation "sparse text" (banners are not documents).
- `tesseract-x2`: the same on the image scaled 2x (Tesseract wants ~30 px capitals).
- `tesseract-psm3`: the same with Tesseract's default page segmentation, unscaled.
- `onevoice`: what onevoice runs (`onevoice.capture.ocr.ImageReader`, its cache left out): Tesseract
  as above, up to six ways (`onevoice.capture.ocr.PASSES`), the most confident reading kept; the
  first pass alone when it reads the image cleanly.
- `rapidocr`: PP-OCR det + cls + rec models shipped inside the `rapidocr` wheel, on onnxruntime
  (pip: rapidocr, onnxruntime). Not a dependency of onevoice: install both to compare.

The first image each engine reads also pays for loading its models; that load is reported
apart. `score_words` and `key_values` are the measures the OCR accuracy tests use too.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "ocr"
SETS = {"dev": DATA, **{name: DATA / name for name in ("heldout", "fresh", "unseen")}}  # tests/data/ocr/make.py
EDGE_PUNCTUATION = ".,:;!?\"'()[]{}“”‘’"
KEY_VALUE = re.compile(r"^(?:[$£€]\d[\d.,]*(?:/mo)?|\d+%|(?=.*\d)(?=.*[A-Z])[A-Z0-9]{4,})$")


def tokens(text: str) -> list[str]:
    """Words of `text` compared case-insensitively, edge punctuation dropped."""
    words = (word.strip(EDGE_PUNCTUATION).lower() for word in text.split())
    return [word for word in words if word]


def score_words(expected: str, read: str) -> tuple[int, int]:
    """(label words read right, label words): words matched in order, as a diff aligns them."""
    want, got = tokens(expected), tokens(read)
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(want)


def key_values(text: str) -> list[str]:
    """The prices, percentages and promo codes of `text`, exactly as written."""
    return [word for word in (raw.strip(EDGE_PUNCTUATION) for raw in text.split()) if KEY_VALUE.match(word)]


def key_values_read(expected: str, read: str) -> tuple[int, int]:
    """(key values of the label found exactly among the words read, key values of the label)."""
    found = {raw.strip(EDGE_PUNCTUATION) for raw in read.split()}
    keys = key_values(expected)
    return sum(key in found for key in keys), len(keys)


class Tesseract:
    def __init__(self, scale: int = 1, psm: str = "SPARSE_TEXT") -> None:
        import tesserocr

        self.scale = scale
        self.api = tesserocr.PyTessBaseAPI(path=tessdata(), lang="eng", psm=getattr(tesserocr.PSM, psm))

    def read(self, image: Image.Image) -> str:
        if self.scale != 1:
            image = image.resize((image.width * self.scale, image.height * self.scale), Image.LANCZOS)
        self.api.SetImage(image)
        return self.api.GetUTF8Text()


class Onevoice:
    """What onevoice runs: `onevoice.capture.ocr.ImageReader`, its several passes, no cache."""

    def __init__(self) -> None:
        sys.path.insert(0, str(ROOT))
        from onevoice.capture.ocr import ImageReader

        self.reader = ImageReader(workers=1)

    def read(self, image: Image.Image) -> str:
        return "\n".join(line.text for line in self.reader.engine_lines(image))


class RapidOCR:
    def __init__(self) -> None:
        from rapidocr import RapidOCR as Engine

        self.engine = Engine(params={"Global.log_level": "critical"})

    def read(self, image: Image.Image) -> str:
        import numpy

        result = self.engine(numpy.asarray(image.convert("RGB"))[:, :, ::-1])
        return "\n".join(result.txts or ())


def tessdata() -> str:
    for candidate in ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata"):
        if Path(candidate, "eng.traineddata").exists():
            return candidate + "/"
    raise SystemExit("no Tesseract eng model: apt-get install tesseract-ocr-eng")


ENGINES = {
    "tesseract": lambda: Tesseract(),
    "tesseract-x2": lambda: Tesseract(scale=2),
    "tesseract-psm3": lambda: Tesseract(psm="AUTO"),
    "rapidocr": RapidOCR,
    "onevoice": Onevoice,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="tesseract,tesseract-x2,tesseract-psm3,onevoice,rapidocr")
    parser.add_argument("--repeat", type=int, default=1, help="timed reads of each image (the median counts)")
    parser.add_argument("--show", action="store_true", help="print what each engine read where it erred")
    parser.add_argument("--set", choices=sorted(SETS), default="dev", help="which banners (tests/data/ocr/make.py)")
    args = parser.parse_args(argv)
    folder = SETS[args.set]
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"images: {len(labels)} of the {args.set} set ({', '.join(sorted({label['kind'] for label in labels.values()}))})")
    print(f"{'engine':<16}{'kind':<7}{'words right':>13}{'keys exact':>12}{'median s/img':>14}{'total s':>9}")
    for name in args.engines.split(","):
        started = time.perf_counter()
        engine = ENGINES[name]()
        load = time.perf_counter() - started
        by_kind: dict[str, list[tuple[int, int, int, int, float]]] = {}
        for file, label in labels.items():
            image = Image.open(folder / file).convert("RGB")
            expected = "\n".join(label["lines"])
            times = []
            for _ in range(max(1, args.repeat)):
                began = time.perf_counter()
                read = engine.read(image)
                times.append(time.perf_counter() - began)
            words = score_words(expected, read)
            keys = key_values_read(expected, read)
            if args.show and (words[0] < words[1] or keys[0] < keys[1]):
                print(f"  {name} {file}: {expected!r} -> {read.strip()!r}")
            by_kind.setdefault(label["kind"], []).append((*words, *keys, statistics.median(times)))
        for kind, rows in sorted(by_kind.items()):
            right, total = sum(row[0] for row in rows), sum(row[1] for row in rows)
            keys_right, keys = sum(row[2] for row in rows), sum(row[3] for row in rows)
            seconds = [row[4] for row in rows]
            print(
                f"{name:<16}{kind:<7}{right:>5}/{total:<3} {right / total:>4.0%}{keys_right:>5}/{keys:<3}{keys_right / max(1, keys):>4.0%}"
                f"{statistics.median(seconds):>13.3f}{sum(seconds):>9.2f}"
            )
        print(f"{name:<16}load   {load:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
