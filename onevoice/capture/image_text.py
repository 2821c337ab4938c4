"""Text inside a capture's images as text blocks of the touchpoint (docs/journeys.md).

Which images are read follows the touchpoint's `image_text`:

- `auto`: images large enough to carry words, at least `MIN_WIDTH` x `MIN_HEIGHT` CSS pixels
  (the smallest image buttons and banner strips in real emails and pages, 88x31 "badge" buttons and
  120x40 buttons, clear it; social and UI icons, 16-48 px squares, do not), that are neither logo
  candidates (their text is the brand's name, which the brand check compares as a picture) nor
  vector images (SVG text is in the document), nor larger than `MAX_AREA` (a backdrop behind the
  whole page); CSS background images count like `<img>`s (heroes, buttons). Lines that the
  image's `alt` already holds are not repeated.
- `on`: every visible image with a box, whatever its size or kind, alt text or not.
- `off`: none.

An app screen saved without a hierarchy is all pixels: `auto` and `on` read the whole screenshot.

What is read is the screenshot's pixels inside the image's box, so the words' boxes land in
page coordinates and the text is what a person saw (a CSS crop, an overlay included); text
that the document draws over an image (a heading on a hero background) is already a DOM text
block and is not read twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from PIL import Image as PILImage

from onevoice.facts import Box, Image, Link, TextBlock
from onevoice.capture.ocr import ImageReader, Line, shared_reader
from onevoice.textmatch import name_words

MIN_WIDTH = 64  # CSS pixels
MIN_HEIGHT = 20
MAX_AREA = 4_000_000  # CSS pixels: larger is a page's backdrop (a 1280x3000 body), not a banner, and slow to read
ImageTextMode = str  # "auto" | "on" | "off" (onevoice.model.ImageText)


def images_to_read(images: Sequence[Image], mode: ImageTextMode) -> list[Image]:
    """The images whose text `mode` asks for (see the module docstring)."""
    if mode == "off":
        return []
    shown = [image for image in images if image.visible and image.loaded and image.box]
    if mode == "on":
        return [image for image in shown if image.box[2] >= 1 and image.box[3] >= 1]
    return [
        image
        for image in shown
        if image.kind != "svg"
        and not image.logo_hint
        and image.box[2] >= MIN_WIDTH
        and image.box[3] >= MIN_HEIGHT
        and image.box[2] * image.box[3] <= MAX_AREA
    ]


def crop(
    screenshot: PILImage.Image, box: tuple[float, float, float, float]
) -> tuple[PILImage.Image, tuple[int, int]] | None:
    """The screenshot's pixels inside `box` (page coordinates, clipped to the screenshot) and their
    top-left corner; None when nothing of the box is on the screenshot."""
    x, y, width, height = box
    left, top = max(0, round(x)), max(0, round(y))
    right, bottom = min(screenshot.width, round(x + width)), min(screenshot.height, round(y + height))
    if right - left < 1 or bottom - top < 1:
        return None
    return screenshot.crop((left, top, right, bottom)), (left, top)


def line_blocks(
    lines: Iterable[Line], image: Image | None, origin: tuple[float, float], scale: float = 1.0
) -> list[TextBlock]:
    """Lines read from an image as text blocks: boxes moved to page coordinates (`origin` is the
    crop's top-left corner there, `scale` page units per image pixel), marked as read from an image."""
    blocks = []
    for line in lines:
        x, y, width, height = line.box
        blocks.append(
            TextBlock(
                text=line.text,
                role="body",
                region=image.region if image else None,
                selector=image.selector if image else None,
                box=(origin[0] + x * scale, origin[1] + y * scale, width * scale, height * scale),
                from_image=True,
                confidence=line.confidence,
            )
        )
    return blocks


def held_by_alt(text: str, alt: str) -> bool:
    """Whether every word of `text` is in `alt` (the image already says it in words)."""
    said = set(name_words(alt))
    return bool(said) and set(name_words(text)) <= said


def document_boxes(texts: Iterable[TextBlock], links: Iterable[Link]) -> list[Box]:
    """The boxes of the text the document draws itself: visible text blocks and links."""
    return [item.box for item in (*texts, *links) if item.visible and item.box and not getattr(item, "from_image", False)]


def drawn_over(block: TextBlock, drawn: Sequence[Box]) -> bool:
    """Whether the centre of `block` lies inside one of the `drawn` boxes: text the page draws on the image."""
    if block.box is None:
        return False
    middle_x, middle_y = block.box[0] + block.box[2] / 2, block.box[1] + block.box[3] / 2
    return any(x <= middle_x <= x + width and y <= middle_y <= y + height for x, y, width, height in drawn)


def _crops(screenshot: PILImage.Image, images: Sequence[Image], mode: ImageTextMode):
    """(image, its pixels, their corner) for each image `mode` selects that is on the screenshot."""
    cropped = [(image, crop(screenshot, image.box)) for image in images_to_read(images, mode)]
    return [(image, *found) for image, found in cropped if found is not None]


def _kept_blocks(wanted, readings, drawn: Sequence[Box], mode: ImageTextMode) -> tuple[TextBlock, ...]:
    """Each image's lines as text blocks, less those on `drawn` boxes or (auto) said by the alt."""
    blocks: list[TextBlock] = []
    for (image, _, origin), lines in zip(wanted, readings):
        for block in line_blocks(lines, image, origin):
            if drawn_over(block, drawn) or (mode == "auto" and held_by_alt(block.text, image.alt)):
                continue
            blocks.append(block)
    return tuple(blocks)


async def read_images(
    reader: ImageReader,
    screenshot: PILImage.Image,
    images: Sequence[Image],
    drawn: Sequence[Box],
    mode: ImageTextMode,
) -> tuple[TextBlock, ...]:
    """The text blocks read from the images `mode` selects, all read at once in the reader's threads;
    lines on `drawn` boxes (the document's own text over an image) are left out."""
    wanted = _crops(screenshot, images, mode)
    readings = await asyncio.gather(*(asyncio.wrap_future(reader.submit(pixels)) for _, pixels, _ in wanted))
    return _kept_blocks(wanted, readings, drawn, mode)


async def image_text_blocks(
    screenshot: PILImage.Image,
    images: Sequence[Image],
    texts: Sequence[TextBlock],
    links: Sequence[Link],
    mode: ImageTextMode,
    fields: Sequence[Box] = (),
) -> tuple[TextBlock, ...]:
    """What a page's images say, read with the process's reader; nothing at all (not even the
    reader) for a page with no image to read. Lines on the page's own text, links and form `fields`
    are the page's, not the image's."""
    if not images_to_read(images, mode):
        return ()
    drawn = [*document_boxes(texts, links), *fields]
    return await read_images(shared_reader(), screenshot, images, drawn, mode)


def screen_image_blocks(
    screenshot: PILImage.Image,
    images: Sequence[Image],
    texts: Sequence[TextBlock],
    links: Sequence[Link],
    mode: ImageTextMode,
) -> tuple[TextBlock, ...]:
    """`image_text_blocks` for an app screen with a hierarchy (its image nodes); blocking, as app
    captures run in a thread."""
    wanted = _crops(screenshot, images, mode)
    if not wanted:
        return ()
    reader = shared_reader()
    readings = [reader.submit(pixels) for _, pixels, _ in wanted]  # all at once in the reader's threads
    return _kept_blocks(wanted, [reading.result() for reading in readings], document_boxes(texts, links), mode)


def screen_text_blocks(screenshot: PILImage.Image, mode: ImageTextMode) -> tuple[TextBlock, ...]:
    """An app screen saved without a hierarchy: the whole screenshot read (`auto` and `on`), boxes in
    screenshot pixels like a hierarchy's. Blocking: app captures run in a thread."""
    if mode == "off":
        return ()
    return tuple(line_blocks(shared_reader().read(screenshot), None, (0, 0)))
