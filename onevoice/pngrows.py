"""Decoding a PNG screenshot down to the rows that are needed.

A PNG's rows are filtered and compressed one after the other, so its top can be decoded without
the rest: the logo candidates of a page sit in its first few hundred rows, and decoding a whole
screenshot costs 6-15 ms a megapixel, most of it zlib's inflate. Shortening the height that the
header declares makes the decoder stop there, with the same pixels.
"""

from __future__ import annotations

import io
import zlib

from PIL import Image as PILImage

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def decode_rows(png: bytes, rows: int | None = None) -> PILImage.Image:
    """The image in `png`, decoded; when `rows` is below its height, only its first `rows` rows
    (at least one). An interlaced PNG, whose rows are not stored in order, is decoded whole."""
    header = png[12:29]  # the IHDR chunk's type and data: width, height, depth, colour, ..., interlace
    if rows is not None and png.startswith(PNG_SIGNATURE) and header[:4] == b"IHDR" and header[16] == 0:
        rows = max(1, rows)
        if rows < int.from_bytes(header[8:12], "big"):
            shorter = header[:8] + rows.to_bytes(4, "big") + header[12:]
            png = png[:12] + shorter + zlib.crc32(shorter).to_bytes(4, "big") + png[33:]
    image = PILImage.open(io.BytesIO(png))
    image.load()
    return image
