"""Logo hashes, a value type: perceptual hashes that survive scaling, backgrounds and transparency.

A logo is compared as its *ink*: how far each pixel is from the image's own
background colour. That map is the same for a logo on white, on a brand-coloured
header bar or on a transparent canvas, and for a dark logo and its white variant.
The ink is trimmed to its bounding box (so margins and padding do not count) and
hashed twice: a DCT perceptual hash (global shape) and a gradient hash (edges).
Their mean Hamming distance is the logo distance: 0 identical, 64 unrelated at
random; re-rendered sizes and backgrounds of one logo stay within a few bits
(tests/test_logos.py holds the golden cases).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image, UnidentifiedImageError

from onevoice.colors import srgb_to_lab
from onevoice.errors import LogoError

HASH_SIZE = 8
INK_FLOOR = 0.15
"""Ink below this share of the strongest ink is background noise (JPEG, anti-aliasing) when trimming."""
TRANSPARENT_BORDER = 0.02
"""A border this transparent (share of its pixels) means the logo is drawn on a transparent canvas."""
MIN_INK_DELTA = 8.0
"""An image whose pixels all lie closer than this (CIELAB) to its background shows nothing."""
MAX_LOGO_PIXELS = 25_000_000
"""A logo file with more pixels is refused before it is decoded (a small file can hold a huge image)."""
HASHED_PIXELS = 1_000_000
"""A larger image is scaled down to this many pixels before hashing, which costs about 180 bytes a pixel."""
DCT_SIDE = HASH_SIZE * 4
"""The DCT hash reads the image scaled to this square (imagehash's phash: four times the hash size)."""
_DCT_BASIS = 2 * np.cos(np.pi * np.arange(HASH_SIZE)[:, None] * (2 * np.arange(DCT_SIDE) + 1) / (2 * DCT_SIDE))
"""The lowest HASH_SIZE rows of the (unnormalised) DCT-II matrix of DCT_SIDE points."""


@dataclass(frozen=True)
class LogoHash:
    """The perceptual fingerprint of a logo; `a - b` is their distance, `str()` its hex form."""

    perceptual: imagehash.ImageHash
    gradient: imagehash.ImageHash

    def __sub__(self, other: LogoHash) -> int:
        return round(((self.perceptual - other.perceptual) + (self.gradient - other.gradient)) / 2)

    def __str__(self) -> str:
        return f"{self.perceptual}{self.gradient}"

    @classmethod
    def from_hex(cls, text: str) -> LogoHash:
        half = len(text) // 2
        if len(text) % 2 or not half:
            raise ValueError(f"'{text}' is not a logo hash (two equal hex halves)")
        return cls(imagehash.hex_to_hash(text[:half]), imagehash.hex_to_hash(text[half:]))


def logo_file_problem(path: Path) -> str | None:
    """Why the file at `path` cannot be a logo (not found, SVG, not an image, too many pixels), from its
    header alone; None when it can."""
    if path.suffix.lower() == ".svg":
        return "SVG logos cannot be compared; export the logo as PNG and list that file"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size is judged below
            with Image.open(path) as image:
                width, height = image.size
    except FileNotFoundError:
        return "logo file not found; check the path (relative to the brand profile)"
    except Image.DecompressionBombError:
        return _too_many_pixels("its size")
    except UnidentifiedImageError:
        return "not an image (no image format recognised in it); use a PNG, JPEG, GIF or WebP file"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return _too_many_pixels(f"{width:,} x {height:,} pixels") if width * height > MAX_LOGO_PIXELS else None


def _too_many_pixels(size: str) -> str:
    return (
        f"{size} is more than a logo needs (the limit is {MAX_LOGO_PIXELS:,} pixels, checked before decoding); "
        "export it smaller: a few hundred pixels wide is plenty"
    )


def open_logo(path: Path) -> Image.Image:
    """A raster logo file, loaded; errors say which file and what to do."""
    problem = logo_file_problem(path)
    if problem is not None:
        raise LogoError(f"{path}: {problem}")
    try:
        with Image.open(path) as image:
            image.load()
            return image
    except (UnidentifiedImageError, OSError) as exc:
        raise LogoError(f"{path}: not a readable image ({exc}); use a PNG, JPEG, GIF or WebP file") from None


def ink(image: Image.Image) -> Image.Image:
    """The logo as grayscale ink on black: distance from its background, trimmed to its extent."""
    rgba = np.asarray(image.convert("RGBA"), dtype=np.float64) / 255
    rgb, alpha = rgba[..., :3], rgba[..., 3:]
    background = _background(rgb, alpha[..., 0])
    flat = rgb * alpha + background * (1 - alpha)
    delta = np.linalg.norm(srgb_to_lab(flat) - srgb_to_lab(background), axis=-1)
    strongest = float(delta.max())
    if strongest < MIN_INK_DELTA:
        raise LogoError("the image is one flat colour: no logo is drawn in it")
    rows = np.flatnonzero((delta >= INK_FLOOR * strongest).any(axis=1))
    cols = np.flatnonzero((delta >= INK_FLOOR * strongest).any(axis=0))
    trimmed = delta[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] / strongest
    return Image.fromarray(np.round(trimmed * 255).astype(np.uint8), mode="L")


def logo_hash(image: Image.Image) -> LogoHash:
    """The `LogoHash` of a logo image (any size, mode or background)."""
    if image.width * image.height > HASHED_PIXELS:  # the hash sees 32 x 32 pixels; the rest only costs memory
        scale = (HASHED_PIXELS / (image.width * image.height)) ** 0.5
        image = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))), Image.Resampling.BOX)
    drawn = ink(image)
    return LogoHash(dct_hash(drawn), imagehash.dhash(drawn, hash_size=HASH_SIZE))


def dct_hash(image: Image.Image) -> imagehash.ImageHash:
    """imagehash's `phash`: which of the lowest 8 x 8 DCT frequencies of the image, scaled to 32 x 32,
    are above their median. The DCT is two products with its basis, rounded to 1e-6 so that
    frequencies a symmetric image cancels compare as the zeros they are: the same bits as `phash`,
    whose DCT needs scipy (0.2 s to import, once per run)."""
    pixels = np.asarray(image.convert("L").resize((DCT_SIDE, DCT_SIDE), Image.Resampling.LANCZOS), dtype=np.float64)
    lowest = np.round(_DCT_BASIS @ pixels @ _DCT_BASIS.T, 6)
    return imagehash.ImageHash(lowest > np.median(lowest))


def hash_file(path: Path) -> LogoHash:
    """The `LogoHash` of a logo file, with an actionable error when it cannot be used; worked out
    once per version of the file (every journey of a run compares with its brand's logos)."""
    try:
        stat = path.stat()
    except OSError:
        return _hash_of(path)  # says why the file cannot be read
    return _hash_of_version(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _hash_of_version(path: Path, mtime_ns: int, size: int) -> LogoHash:
    return _hash_of(path)


def _hash_of(path: Path) -> LogoHash:
    try:
        return logo_hash(open_logo(path))
    except LogoError as exc:
        if str(exc).startswith(str(path)):
            raise
        raise LogoError(f"{path}: {exc}") from None


def _background(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The image's own background colour: its border's; or, when the border shows a transparent
    canvas, the colour the artwork is designed to sit on (white behind dark, black behind light)."""
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    border_alpha = np.concatenate([alpha[0], alpha[-1], alpha[:, 0], alpha[:, -1]])
    if (border_alpha < 0.5).mean() < TRANSPARENT_BORDER:
        return np.median(border, axis=0)
    drawn = rgb[alpha >= 0.5]
    if not len(drawn):
        return np.ones(3)
    luminance = drawn @ np.array([0.2126, 0.7152, 0.0722])
    return np.ones(3) if float(luminance.mean()) < 0.6 else np.zeros(3)
