"""Text normalisation, word splitting and near-matching of declared messages (pure functions).

The one home of text's small ideas: `readable` (text as a reader sees it: what a capture
records), `uniform`/`normalize` (the forms messages are compared in), `words` (the words of a
text, as messages are matched), `tokens`/`name_words` (the lower-case letters-and-digits runs of
labels, class names, ids and file names, as hints are read).

A message is found when its normalised words appear in a touchpoint's readable text,
either inside one block or across adjacent blocks (markup may split a sentence). When
it is not found, the closest text is looked for: a window of words similar enough
(rapidfuzz ratio), or a block that is a cut of the message (its first or last words).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

_TRANSLATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)
_EDGE_PUNCTUATION = " .,;:!?\"'()[]-"
# Characters that show as nothing: soft hyphen, zero-width spaces and joiners, direction marks
# and isolates, word joiner, byte-order mark, and the fillers senders pad an email preheader with.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_CAMEL_HUMP = re.compile(r"([a-z0-9])([A-Z])")


def readable(text: str) -> str:
    """Text as a reader sees it: invisible characters dropped, whitespace (nbsp, line breaks)
    collapsed to single spaces; every other character as written."""
    return " ".join(_INVISIBLE.sub("", text).split())


def uniform(text: str) -> str:
    """`readable` text with compatibility forms, typographic quotes and dashes made uniform; case kept."""
    return readable(unicodedata.normalize("NFKC", text).translate(_TRANSLATION))


def normalize(text: str) -> str:
    """`uniform` text, case-folded: the form messages are compared in."""
    return uniform(text).casefold()


def words(text: str) -> list[str]:
    """The normalised words of `text`, with punctuation at their edges removed."""
    stripped = (word.strip(_EDGE_PUNCTUATION) for word in normalize(text).split())
    return [word for word in stripped if word]


def tokens(text: str) -> list[str]:
    """The case-folded runs of letters and digits in `text`, any script:
    `fab fa-twitter` -> fab, fa, twitter; `Café_Noir!` -> café, noir."""
    return re.findall(r"[^\W_]+", text.casefold())


def name_words(value: str) -> list[str]:
    """The `tokens` of a class, id, file name or label, camelCase split:
    `navbarLogo-2x` -> navbar, logo, 2x; `h2Title` -> h2, title."""
    return tokens(_CAMEL_HUMP.sub(r"\1 \2", value))


@dataclass(frozen=True)
class Span:
    """Where a match lies in a sequence of blocks: indexes of the first and last block."""

    first: int
    last: int


@dataclass(frozen=True)
class NearMatch:
    """The text found instead of a message, how close it is, and the blocks it spans."""

    found: str
    score: float  # 0-100
    cut: bool  # True: the message's first or last words only
    span: Span


class JoinedText:
    """The words of a sequence of text blocks, joined in order, remembering each word's block."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.words: list[str] = []
        self.block_of_word: list[int] = []
        self.block_words: list[list[str]] = []
        for index, text in enumerate(texts):
            block = words(text)
            self.block_words.append(block)
            self.words.extend(block)
            self.block_of_word.extend([index] * len(block))

    def span(self, start: int, stop: int) -> Span:
        return Span(self.block_of_word[start], self.block_of_word[stop - 1])

    def find(self, phrase: str) -> Span | None:
        """The blocks holding every word of `phrase` in order (whole words only), or None."""
        target = words(phrase)
        if not target:
            return None
        size = len(target)
        first = target[0]
        for start, word in enumerate(self.words):
            if word == first and self.words[start : start + size] == target:
                return self.span(start, start + size)
        return None

    def near(self, phrase: str, threshold: float, min_cut: float) -> NearMatch | None:
        """The closest text to `phrase` that is not `phrase` itself: reworded or cut."""
        # a whole block holding the first or last words is the most specific answer: try it first
        return self._cut(phrase, min_cut) or self._similar(phrase, threshold)

    def _similar(self, phrase: str, threshold: float) -> NearMatch | None:
        target = words(phrase)
        size = len(target)
        if not target or not self.words:
            return None
        wanted = " ".join(target)
        windows: list[str] = []
        bounds: list[tuple[int, int]] = []
        # a window more than half again as long (or short) cannot reach a ratio of 80
        for length in range(max(1, size - size // 2), size + size // 2 + 2):
            for start in range(0, len(self.words) - length + 1):
                windows.append(" ".join(self.words[start : start + length]))
                bounds.append((start, start + length))
        best = process.extractOne(wanted, windows, scorer=fuzz.ratio, score_cutoff=threshold)
        if best is None:
            return None
        _, score, index = best
        start, stop = bounds[index]
        return NearMatch(found=windows[index], score=score, cut=False, span=self.span(start, stop))

    def _cut(self, phrase: str, min_cut: float) -> NearMatch | None:
        """A whole block that is the first or last words of `phrase`, keeping enough of it."""
        target = words(phrase)
        best: NearMatch | None = None
        for index, block in enumerate(self.block_words):
            size = len(block)
            if size < 2 or size >= len(target):
                continue
            if block != target[:size] and block != target[-size:]:
                continue
            kept = len(" ".join(block)) / len(" ".join(target))
            if kept < min_cut or (best is not None and len(best.found) >= len(" ".join(block))):
                continue
            text = " ".join(block)
            best = NearMatch(found=text, score=fuzz.ratio(text, " ".join(target)), cut=True, span=Span(index, index))
        return best


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` as whole words, after normalisation."""
    return JoinedText([text]).find(phrase) is not None


def describe_difference(expected: str, found: str) -> str:
    """A short, word-level account of how `found` differs from `expected`."""
    want, got = words(expected), words(found)
    if got and want[: len(got)] == got:
        return f"cut: ends after '{' '.join(got)}', missing '{' '.join(want[len(got) :])}'"
    if got and want[-len(got) :] == got:
        return f"cut: starts at '{' '.join(got)}', missing '{' '.join(want[: len(want) - len(got)])}'"
    changes: list[str] = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(a=want, b=got, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        removed, added = " ".join(want[a1:a2]), " ".join(got[b1:b2])
        if tag == "replace":
            changes.append(f"'{removed}' -> '{added}'")
        elif tag == "delete":
            changes.append(f"without '{removed}'")
        else:
            changes.append(f"adds '{added}'")
    return "; ".join(changes) or "differs only in punctuation"
