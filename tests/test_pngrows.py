"""Decoding a PNG down to a row: the same pixels as the whole image's top, for any PNG Pillow reads."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image as PILImage
from PIL import ImageDraw

from onevoice.pngrows import decode_rows

ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _page(width: int = 300, height: int = 500) -> PILImage.Image:
    image = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for number in range(0, height, 37):  # bands, gradients and text: every PNG row filter gets used
        draw.rectangle((number % width, number, width - 1, number + 20), fill=(number % 256, 80, 255 - number % 256))
        draw.text((5, number), f"row {number}", fill="black")
    return image


def _png(image: PILImage.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _interlaced_png(image: PILImage.Image) -> bytes:
    """`image` as an Adam7-interlaced PNG (Pillow reads them but does not write them)."""
    rgb, width, height = image.convert("RGB"), image.width, image.height
    raw = b""
    for x0, y0, dx, dy in ADAM7:
        columns, lines = range(x0, width, dx), range(y0, height, dy)
        if columns and lines:
            raw += b"".join(b"\0" + b"".join(bytes(rgb.getpixel((x, y))) for x in columns) for y in lines)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("rows", [1, 2, 36, 250, 499])
def test_the_top_rows_are_the_whole_images_top(rows):
    whole = _page()
    top = decode_rows(_png(whole), rows)

    assert top.size == (300, rows)
    assert top.tobytes() == whole.crop((0, 0, 300, rows)).tobytes()


@pytest.mark.parametrize("rows", [None, 500, 501, 10_000])
def test_rows_at_or_past_the_bottom_give_the_whole_image(rows):
    whole = _page()

    assert decode_rows(_png(whole), rows).tobytes() == whole.tobytes()


def test_at_least_one_row_is_decoded():
    assert decode_rows(_png(_page()), 0).size == (300, 1)


def test_an_interlaced_png_is_decoded_whole():
    whole = _page(37, 23)  # odd sizes: some Adam7 passes are short

    decoded = decode_rows(_interlaced_png(whole), 5)

    assert decoded.size == (37, 23) and decoded.convert("RGB").tobytes() == whole.tobytes()


def test_other_formats_are_decoded_whole():
    buffer = io.BytesIO()
    _page().save(buffer, format="GIF")

    assert decode_rows(buffer.getvalue(), 10).size == (300, 500)
