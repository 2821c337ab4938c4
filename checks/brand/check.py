"""The brand-assets check family: the logo shown, the colours of brand-bearing elements, the fonts.

Rules (docs/rules.md): brand.logo_missing, brand.logo_mismatch, brand.color, brand.font.

Judged against the brand profile when it declares logos, a palette or fonts; otherwise the
touchpoints are compared with each other and the odd ones out are named. The reference
is then what most touchpoints show (`Consensus`: a majority, else the largest group; on a
tie there is none, and every touchpoint is named beside what the others show).

Severity: breaking a declaration is an error. An inferred inconsistency is an error for
logos (perceptual hashes are decisive) and a warning for colours and fonts, where one
touchpoint may legitimately use a colour or face the others happen not to show.

Neutral colours (white, black, greys: see onevoice.colors) are never judged: every design
uses them for text and ground, so they carry no brand identity.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar
from urllib.parse import urlsplit

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from checks.brand.logos import choose_logo, find_wordmark, score_logo
from checks.brand.palette import nearest, parse_palette, sample_sides
from onevoice.api import (
    Box,
    Brand,
    Capture,
    Cell,
    CheckContext,
    Consensus,
    CheckResult,
    Evidence,
    Finding,
    Image,
    Link,
    LogoError,
    LogoHash,
    Matrix,
    Rgb,
    Severity,
    TextBlock,
    decode_rows,
    distance,
    hash_file,
    signs_in_with,
)

EVIDENCE_LIMIT = 5
BORDERLINE = 1.0  # ΔE past the tolerance within which a colour is called borderline
LOGO_REQUIRED = ("web", "email")  # docs/rules.md: brand.logo_missing is about web and email touchpoints
UNSTYLED_ROLES = ("title", "subject", "preheader")  # text with no rendered style to judge
BAR_REGIONS = ("header", "footer", "nav")
GENERIC_FAMILIES = frozenset(
    "serif sans-serif monospace cursive fantasy system-ui ui-serif ui-sans-serif ui-monospace ui-rounded "
    "math emoji fangsong -apple-system blinkmacsystemfont".split()
)
KIND_LABELS = {"cta": "call to action", "bar": "header/footer bar", "heading": "heading", "link": "link"}

T = TypeVar("T")
V = TypeVar("V", bound=Hashable)


class BrandOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    logo_distance: int = Field(default=10, ge=0, le=64, description="largest logo hash distance that still matches")


@dataclass(frozen=True)
class Element:
    """One visible element of a touchpoint that bears a brand asset (a colour or a font)."""

    touchpoint: str
    kind: str
    selector: str | None
    box: Box | None
    text: str

    def evidence(self) -> Evidence:
        return Evidence(touchpoint=self.touchpoint, selector=self.selector, box=self.box, text=self.text[:80] or None)


class BrandCheck:
    name: ClassVar[str] = "brand"
    rules: ClassVar[dict[str, str]] = {
        "brand.logo_missing": "a web or email touchpoint shows no logo",
        "brand.logo_mismatch": (
            "the logo shown is not perceptually the brand's (nor the same as on the other touchpoints)"
        ),
        "brand.color": "a brand-bearing element (CTA, header/footer bar, heading, link) uses a colour off the palette",
        "brand.font": "headings or body text use a font outside the brand's fonts",
    }
    Options: ClassVar[type[BaseModel]] = BrandOptions

    def run(self, context: CheckContext) -> CheckResult:
        options = context.options if isinstance(context.options, BrandOptions) else BrandOptions()
        columns = tuple(context.captures)
        results = [
            check_logos(context, options.logo_distance, columns),
            check_colors(context, columns),
            check_fonts(context, columns),
        ]
        return CheckResult(
            findings=tuple(finding for result in results for finding in result.findings),
            matrices=tuple(matrix for result in results for matrix in result.matrices),
        )


# ---------------------------------------------------------------- logo


def shown_name(image: Image) -> str:
    """How a reviewer recognises an image: its file name, else its alt text, else its kind."""
    name = Path(urlsplit(image.src).path).name if image.src and not image.src.startswith("data:") else ""
    return name or (f"'{image.alt}'" if image.alt else f"an inline {image.kind}")


@dataclass(frozen=True)
class ShownLogo:
    """The logo a touchpoint shows: its image and its hash, or why it has none."""

    image: Image
    hash: LogoHash | None
    problem: str | None = None  # why it cannot be compared
    broken: bool = False  # it did not load or draws nothing: the touchpoint shows no logo


def check_logos(context: CheckContext, max_distance: int, columns: tuple[str, ...]) -> CheckResult:
    brand = context.brand
    reference_paths = [Path(path) for path in (brand.logo if brand else ())]
    reference_hashes = {path.name: hash_file(path) for path in reference_paths}
    findings: list[Finding] = []
    shown: dict[str, ShownLogo] = {}
    wordmarks: dict[str, TextBlock] = {}
    missing: list[str] = []  # touchpoints with no logo image nor wordmark
    broken: list[Finding] = []  # touchpoints whose logo image did not load or draws nothing
    cells: dict[str, Cell] = {}
    for touchpoint, capture in context.captures.items():
        if not capture.ok:
            cells[touchpoint] = Cell(status="error", detail=capture.error)
            continue
        logo = find_logo(capture, context.artifacts, brand.name if brand else None, reference_hashes, max_distance)
        wordmark = find_wordmark(capture, brand.name if brand else None) if logo is None else None
        if logo is None and wordmark is None and capture.channel not in LOGO_REQUIRED:
            cells[touchpoint] = Cell(status="info", detail="no logo on this screen (an app screen need not show one)")
        elif wordmark is not None:
            wordmarks[touchpoint] = wordmark
            cells[touchpoint] = Cell(
                status="other" if reference_hashes else "ok", value=f"wordmark '{wordmark.text}'", detail=wordmark.logo_hint
            )
        elif logo is None or logo.broken:
            if logo is None:
                missing.append(touchpoint)
            else:
                broken.append(logo_missing(touchpoint, logo, list(reference_hashes)))
            cells[touchpoint] = Cell(
                status="broken" if logo else "missing",
                image=logo.image.crop if logo else None,
                detail=logo.problem if logo else "no logo image found",
            )
        elif logo.hash is None:
            cells[touchpoint] = Cell(status="info", detail=f"not compared: {logo.problem}")
        else:
            shown[touchpoint] = logo
    if reference_hashes:
        expected_label = ", ".join(reference_hashes)
        nearest_reference = {
            tp: min(((logo.hash - ref, name) for name, ref in reference_hashes.items()), key=lambda pair: pair[0])
            for tp, logo in shown.items()
        }
    else:
        logos = Consensus.of({tp: [logo.hash] for tp, logo in shown.items()}, lambda a, b: a - b <= max_distance)
        owners = [tp for tp, logo in shown.items() if logos.agrees(logo.hash)]
        expected_label = "the logo of " + ", ".join(owners) if owners else None
        nearest_reference = {tp: nearest_agreed(logo.hash, logos, shown, expected_label) for tp, logo in shown.items()}
    for touchpoint, logo in shown.items():
        found, reference = nearest_reference[touchpoint]
        matches = found <= max_distance
        cells[touchpoint] = Cell(
            status="ok" if matches else "other",
            value=str(logo.hash),
            detail=f"distance {found} to {reference}" if reference else f"distance {found}",
            image=logo.image.crop,
        )
        if not matches:
            findings.append(
                Finding(
                    check="brand",
                    rule="brand.logo_mismatch",
                    severity="error",
                    touchpoints=(touchpoint,),
                    subject="logo",
                    message=(
                        f"{touchpoint} shows a logo at distance {found} from {reference} "
                        f"(at most {max_distance} matches)"
                    ),
                    expected=reference,
                    actual=f"{shown_name(logo.image)} (distance {found})",
                    evidence=(
                        Evidence(touchpoint=touchpoint, selector=logo.image.selector, box=logo.image.box,
                                 text=f"distance {found}"),
                    ),
                )
            )
    findings += broken
    if reference_hashes:
        findings += [only_wordmark(tp, block, list(reference_hashes), shown) for tp, block in wordmarks.items()]
    if missing and (reference_hashes or shown or wordmarks or broken):
        findings += [logo_missing(touchpoint, None, list(reference_hashes)) for touchpoint in missing]
    elif missing:  # nothing declared, nothing shown anywhere: one cause, for the journey
        findings.append(no_logo_anywhere(missing))
    matrix = Matrix(
        id="logo",
        title="Logo",
        rows=("logo",),
        columns=columns,
        expected={"logo": expected_label},
        cells={"logo": cells},
    )
    return CheckResult(findings=tuple(findings), matrices=(matrix,))


def nearest_agreed(
    hash: LogoHash, logos: Consensus[LogoHash], shown: dict[str, ShownLogo], label: str | None
) -> tuple[int, str]:
    """The distance from `hash` to the logo most touchpoints show, and how to name that logo;
    on a tie, to the nearest logo unlike it (every touchpoint is then out of line)."""
    if logos.reference:
        return min(hash - reference for reference in logos.reference), label or ""
    return min(
        (hash - other.hash, f"the logo of {tp} (no logo is shown by most touchpoints)")
        for tp, other in shown.items()
        if not logos.alike(hash, other.hash)
    )


def find_logo(
    capture: Capture,
    artifacts: Path,
    brand_name: str | None,
    reference_hashes: dict[str, LogoHash],
    max_distance: int,
) -> ShownLogo | None:
    """The logo `capture` shows among its visible images, preferring one that renders; None: no logo."""
    shown = [crop_logo(image, artifacts) for image in capture.images if image.visible]
    scored = [
        score_logo(
            logo.image,
            brand_name,
            logo.hash is not None and any(logo.hash - ref <= max_distance for ref in reference_hashes.values()),
        )
        for logo in shown
    ]
    for pool in ([i for i, logo in enumerate(shown) if not logo.broken], range(len(shown))):
        chosen = choose_logo([scored[i] for i in pool])
        if chosen is not None:
            return shown[scored.index(chosen)]
    return None


def crop_logo(image: Image, artifacts: Path) -> ShownLogo:
    """An image with the hash of its element screenshot, when it has one."""
    if not image.loaded:
        return ShownLogo(image, None, f"the image did not load ({image.src})", broken=True)
    if image.crop is None:
        return ShownLogo(image, None, "no screenshot of it was captured")
    if not (artifacts / image.crop).is_file():
        return ShownLogo(image, None, f"its screenshot {image.crop} is missing")
    try:
        return ShownLogo(image, hash_file(artifacts / image.crop))
    except LogoError as exc:
        return ShownLogo(image, None, str(exc), broken=True)


def logo_missing(touchpoint: str, broken: ShownLogo | None, reference_names: list[str]) -> Finding:
    if broken is None:
        message, evidence = f"{touchpoint} shows no logo", (Evidence(touchpoint=touchpoint),)
    else:
        message = f"{touchpoint} shows no logo: its logo image is unusable ({broken.problem})"
        evidence = (Evidence(touchpoint=touchpoint, selector=broken.image.selector, box=broken.image.box,
                             text=broken.image.alt or None),)
    return Finding(
        check="brand",
        rule="brand.logo_missing",
        severity="error",
        touchpoints=(touchpoint,),
        subject="logo",
        message=message,
        expected=", ".join(reference_names) or "a logo",
        actual=None,
        evidence=evidence,
    )


def only_wordmark(touchpoint: str, wordmark: TextBlock, reference_names: list[str], shown: dict[str, ShownLogo]) -> Finding:
    """A touchpoint showing the brand's name as text where the brand declares logo images."""
    elsewhere = [
        Evidence(touchpoint=tp, selector=logo.image.selector, box=logo.image.box, text=shown_name(logo.image))
        for tp, logo in shown.items()
    ][:1]
    return Finding(
        check="brand",
        rule="brand.logo_mismatch",
        severity="warning",
        touchpoints=(touchpoint,),
        subject="logo",
        message=f"{touchpoint} shows only the wordmark '{wordmark.text}' where the brand's logo "
        f"({', '.join(reference_names)}) is expected"
        + (f"; {elsewhere[0].touchpoint} shows the logo image" if elsewhere else ""),
        expected=", ".join(reference_names),
        actual=f"wordmark '{wordmark.text}'",
        evidence=(
            Evidence(touchpoint=touchpoint, selector=wordmark.selector, box=wordmark.box, text=wordmark.text),
            *elsewhere,
        ),
    )


def no_logo_anywhere(touchpoints: list[str]) -> Finding:
    """No touchpoint shows a logo, image or wordmark, and the brand declares none: one warning for the journey."""
    return Finding(
        check="brand",
        rule="brand.logo_missing",
        severity="warning",
        touchpoints=tuple(touchpoints),
        subject="logo",
        message=f"no touchpoint shows a logo (no logo image, no wordmark) and the brand profile declares none: "
        "add `logo:` to the brand profile to say which one is expected",
        expected="a logo",
        evidence=tuple(Evidence(touchpoint=tp) for tp in touchpoints),
    )


# ---------------------------------------------------------------- colours


@dataclass(frozen=True)
class ColoredElement:
    element: Element
    color: Rgb
    sampled: str | None = None  # where in the screenshot the colour was read ("left side"), None: computed style


def brand_colors(touchpoint: str, capture: Capture, screenshot: np.ndarray | None = None) -> list[ColoredElement]:
    """The chromatic colours of a capture's brand-bearing elements, by element kind.

    A fill that one colour does not describe (a gradient, a background image, a see-through layer)
    is read from the screenshot's pixels inside the element's box: each end of a gradient.
    A filled table band (an email's header or footer band, a table's heading row) is a bar; a CTA
    with no fill of its own (an outline button) shows its text colour, never what is behind it.
    """
    found: list[ColoredElement] = []

    def add(kind: str, color: str | None, selector: str | None, box: Box | None, text: str) -> None:
        if color is None:
            return
        rgb = Rgb.parse(color)
        if not rgb.neutral:
            found.append(ColoredElement(Element(touchpoint, kind, selector, box, text), rgb))

    def add_fill(kind: str, fact: TextBlock | Link) -> None:
        if fact.paint == "image" and kind == "bar":
            return  # a header or footer showing a photo is no colour bar
        if fact.paint is None or screenshot is None or fact.box is None:
            add(kind, fact.background, fact.selector, fact.box, fact.text)
            return
        for where, rgb in sample_sides(screenshot, fact.box).items():
            if not rgb.neutral:
                element = Element(touchpoint, kind, fact.selector, fact.box, fact.text)
                found.append(ColoredElement(element, rgb, f"{where} of its {fact.paint}"))

    for block in capture.texts:
        if not block.visible or block.role in UNSTYLED_ROLES:
            continue
        if block.role == "cta":
            if not signs_in_with(block.text):  # "Continue with Facebook" wears Facebook's colours, by its rules
                if not block.transparent:
                    add_fill("cta", block)
                add("cta", block.color, block.selector, block.box, block.text)
        elif block.role == "heading":
            add("heading", block.color, block.selector, block.box, block.text)
        if block.region in BAR_REGIONS or block.role in ("nav", "footer") or block.band:
            add_fill("bar", block)
    for link in capture.links:
        if not link.visible:
            continue
        shows_text = bool(link.text.strip())  # an image-only link's text colour is never seen
        if link.button:
            if not signs_in_with(link.text):
                if not link.transparent:
                    add_fill("cta", link)
                if shows_text:
                    add("cta", link.color, link.selector, link.box, link.text)
        elif shows_text:
            add("link", link.color, link.selector, link.box, link.text)
        if link.region in BAR_REGIONS or link.band:
            add_fill("bar", link)
    return found


def screenshot_pixels(capture: Capture, artifacts: Path) -> np.ndarray | None:
    """The capture's screenshot as an RGB array, down to the lowest element that needs its pixels
    read (`brand_colors` samples inside the boxes of painted facts); None when none does."""
    painted = [fact.box for fact in (*capture.texts, *capture.links) if fact.paint and fact.box]
    if not painted or not capture.screenshot or not (artifacts / capture.screenshot).is_file():
        return None
    rows = max(math.ceil(y + height) for _, y, _, height in painted)
    return np.asarray(decode_rows((artifacts / capture.screenshot).read_bytes(), rows).convert("RGB"))


@dataclass(frozen=True)
class ColorVerdict:
    ok: bool
    detail: str  # the nearest expected colour and its distance
    distance: float | None = 0.0  # to the nearest expected colour; None: nothing to measure against (a tie)


def check_colors(context: CheckContext, columns: tuple[str, ...]) -> CheckResult:
    brand = context.brand
    palette = parse_palette(brand.colors) if brand else {}
    tolerance = brand.color_tolerance if brand else Brand.model_fields["color_tolerance"].default
    colored = {
        tp: brand_colors(tp, capture, screenshot_pixels(capture, context.artifacts))
        for tp, capture in context.ok_captures().items()
    }
    if palette:
        severity: Severity = "error"
        expectation = {name: color.hex for name, color in palette.items()}
        against = "every brand colour"

        def judge(color: Rgb, kind: str) -> ColorVerdict:
            match = nearest(color, palette)
            return ColorVerdict(match.distance <= tolerance, f"nearest {match.describe()}", match.distance)

    else:
        severity = "warning"
        ctas = Consensus.of(
            {tp: [item.color for item in items if item.element.kind == "cta"] for tp, items in colored.items()},
            lambda a, b: distance(a, b) <= tolerance,
        )
        shared = {color.hex: color for color in ctas.reference}
        expectation = {"cta": ", ".join(shared)} if shared else {}
        against = ctas.grounds("the CTA colours", lambda color: color.hex)

        def judge(color: Rgb, kind: str) -> ColorVerdict:
            if kind != "cta" or ctas.standing == "none":
                return ColorVerdict(True, "not compared: no palette declared")
            if ctas.standing == "tie":
                return ColorVerdict(False, "no CTA colour is shared by most touchpoints", None)
            match = nearest(color, shared)
            return ColorVerdict(
                match.distance <= tolerance, f"nearest shared CTA colour {match.describe()}", match.distance
            )

    findings: list[Finding] = []
    rows: dict[str, dict[str, Cell]] = {}
    for touchpoint, items in colored.items():
        for color, members in group_by(items, lambda item: item.color).items():
            verdicts = {}
            for kind, elements in group_by(members, lambda item: item.element.kind).items():
                verdicts[kind] = verdict = judge(color, kind)
                if not verdict.ok:
                    unique = distinct(item.element for item in elements)
                    sampled = next((item.sampled for item in elements if item.sampled), None)
                    findings.append(
                        off_palette(color, kind, unique, verdict, expectation, against, tolerance, severity, sampled)
                    )
            worst = next((v for v in verdicts.values() if not v.ok), next(iter(verdicts.values())))
            rows.setdefault(color.hex, {})[touchpoint] = Cell(
                status="ok" if worst.ok else "other",
                value=", ".join(sorted(KIND_LABELS[kind] for kind in verdicts)),
                detail=worst.detail,
                swatch=color,
            )
    matrix = Matrix(
        id="colors",
        title="Colours of brand-bearing elements",
        rows=tuple(rows),
        columns=columns,
        expected={row: nearest(Rgb.parse(row), palette).color.hex for row in rows} if palette else {},
        cells=rows,
    )
    return CheckResult(findings=tuple(findings), matrices=(matrix,))


def off_palette(
    color: Rgb,
    kind: str,
    elements: list[Element],
    verdict: ColorVerdict,
    expectation: dict[str, str],
    against: str,
    tolerance: float,
    severity: Severity,
    sampled: str | None = None,
) -> Finding:
    """An element kind in an off-palette colour; within one ΔE of the tolerance it is called borderline."""
    touchpoint = elements[0].touchpoint
    where = ", ".join(
        repr(element.text[:40]) if element.text else element.selector or "?" for element in elements[:EVIDENCE_LIMIT]
    )
    label = KIND_LABELS[kind]
    seen = f"; read from the screenshot at the {sampled}" if sampled else ""
    borderline = verdict.distance is not None and verdict.distance <= tolerance + BORDERLINE
    off = (
        f"not {against}"  # a tie: there is no colour to measure against
        if verdict.distance is None
        else f"{'borderline: just ' if borderline else ''}more than ΔE {tolerance:g} from {against}; {verdict.detail}"
    )
    return Finding(
        check="brand",
        rule="brand.color",
        severity=severity,
        touchpoints=(touchpoint,),
        subject=f"{kind} {color.hex}",
        message=(
            f"{touchpoint}: {plural(len(elements), label)} in {color.hex} ({where}{seen}), {off}"
        ),
        expected=expectation or None,  # none: the touchpoints tie
        actual=color.hex,
        evidence=tuple(
            element.evidence().model_copy(
                update={
                    "text": f"{label} {color.hex}{' (borderline)' if borderline else ''}: {element.text[:60]}",
                    "color": color,
                }
            )
            for element in elements[:EVIDENCE_LIMIT]
        ),
    )


# ---------------------------------------------------------------- fonts


def first_family(font: str) -> str:
    """The first family of a font stack as written (`"Inter", Arial` -> `Inter`)."""
    return font.split(",")[0].strip().strip("'\"").strip()


def font_key(family: str) -> str:
    """Font names compare case- and spacing-insensitively."""
    return " ".join(first_family(family).split()).casefold()


def text_fonts(touchpoint: str, capture: Capture) -> dict[str, list[tuple[str, Element]]]:
    """Visible styled text by the first family of its font: font key -> (family as shown, element)."""
    fonts: dict[str, list[tuple[str, Element]]] = {}
    for block in capture.visible_texts():
        if block.role in UNSTYLED_ROLES or not block.font:
            continue
        kind = "control" if block.control else "heading" if block.role == "heading" else "body"
        element = Element(touchpoint, kind, block.selector, block.box, block.text)
        fonts.setdefault(font_key(block.font), []).append((first_family(block.font), element))
    return fonts


NOT_MEASURED = Cell(status="info", value="not measured", detail="fonts cannot be read from this capture (an app screen)")


def check_fonts(context: CheckContext, columns: tuple[str, ...]) -> CheckResult:
    """Fonts of the captures that measure them; the others' cells say "not measured" (never pass or fail)."""
    declared = context.brand.fonts if context.brand else ()
    measured = {tp: capture for tp, capture in context.ok_captures().items() if capture.fonts_measured}
    unmeasured = [tp for tp, capture in context.ok_captures().items() if not capture.fonts_measured]
    used = {tp: text_fonts(tp, capture) for tp, capture in measured.items()}
    if declared:
        accepted = {font_key(font) for font in declared}
        expected, severity = list(declared), "error"
    else:
        named = {  # form controls aside: their font is judged against their page's
            tp: [key for key, members in fonts.items() if key not in GENERIC_FAMILIES and main_font({key: members})]
            for tp, fonts in used.items()
        }
        reference = Consensus.of(named)
        accepted = set(reference.reference) | GENERIC_FAMILIES
        expected, severity = list(reference.reference), "warning"
    findings: list[Finding] = []
    rows: dict[str, dict[str, Cell]] = {}
    for touchpoint, fonts in used.items():
        page_font = main_font(fonts)
        for key, members in fonts.items():
            family = members[0][0]
            controls = distinct(element for _, element in members if element.kind == "control")
            elements = distinct(element for _, element in members if element.kind != "control")
            # a font no text of the page uses: the browser's own, not inherited (a font the page also
            # sets elsewhere, as on its headings, is a choice)
            if controls and page_font is not None and not elements and not (declared and key in accepted):
                findings.append(uninherited_font(touchpoint, family, controls, fonts[page_font][0][0], severity))
            if not elements:
                rows.setdefault(family, {})[touchpoint] = Cell(
                    status="ok" if key == page_font or key in accepted else "other",
                    value="form controls",
                    detail=plural(len(controls), "element"),
                )
                continue
            kinds = sorted({"headings" if element.kind == "heading" else "body text" for element in elements})
            rows.setdefault(family, {})[touchpoint] = Cell(
                status="ok" if key in accepted else "other",
                value=", ".join(kinds),
                detail=plural(len(elements), "element"),
            )
            if key in accepted:
                continue
            why = "not one of the brand's fonts" if declared else "not " + reference.grounds("the fonts")
            findings.append(
                Finding(
                    check="brand",
                    rule="brand.font",
                    severity=severity,
                    touchpoints=(touchpoint,),
                    subject=key,
                    message=f"{touchpoint}: {plural(len(elements), 'text element')} ({', '.join(kinds)}) set in "
                    f"{family}, {why}" + (f" ({', '.join(expected)})" if expected else ""),
                    expected=expected or None,  # none: the touchpoints tie
                    actual=family,
                    evidence=tuple(element.evidence() for element in elements[:EVIDENCE_LIMIT]),
                )
            )
    if unmeasured and not rows:
        rows["not measured"] = {}
    for row in rows.values():
        row.update({tp: NOT_MEASURED for tp in unmeasured})
    matrix = Matrix(
        id="fonts",
        title="Fonts (first family of the stack)",
        rows=tuple(rows),
        columns=columns,
        expected={row: row for row in rows if font_key(row) in accepted} if declared else {},
        cells=rows,
    )
    return CheckResult(findings=tuple(findings), matrices=(matrix,))


def main_font(fonts: dict[str, list[tuple[str, Element]]]) -> str | None:
    """The font key most of a touchpoint's text (form controls aside) is set in."""
    counts = {key: sum(element.kind != "control" for _, element in members) for key, members in fonts.items()}
    return max(counts, key=counts.get) if counts and max(counts.values()) else None


def uninherited_font(touchpoint: str, family: str, controls: list[Element], page_family: str, severity: str) -> Finding:
    """Form controls in another font than their page's: browsers do not pass the page's font to them."""
    labels = ", ".join(repr(element.text[:40]) for element in controls[:EVIDENCE_LIMIT])
    return Finding(
        check="brand",
        rule="brand.font",
        severity=severity,
        touchpoints=(touchpoint,),
        subject=f"form control {font_key(family)}",
        message=f"{touchpoint}: {plural(len(controls), 'form control')} ({labels}) set in {family}, not the "
        f"page's {page_family}: they do not inherit the page's font (give button, input, select and "
        "textarea `font: inherit`)",
        expected=page_family,
        actual=family,
        evidence=tuple(element.evidence() for element in controls[:EVIDENCE_LIMIT]),
    )


def group_by(items: Iterable[T], key: Callable[[T], V]) -> dict[V, list[T]]:
    groups: dict[V, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def distinct(elements: Iterable[Element]) -> list[Element]:
    """Elements without repeats: one element may be both a text block and a link (same selector)."""
    unique: dict[object, Element] = {}
    for element in elements:
        unique.setdefault(element.selector or (element.text, element.box), element)
    return list(unique.values())


def plural(count: int, noun: str) -> str:
    """`1 heading`, `2 text elements`, `2 calls to action`: the head noun takes the s."""
    if count == 1:
        return f"{count} {noun}"
    words = noun.split()
    head = 0 if len(words) > 2 and words[1] in ("to", "of", "for") else len(words) - 1
    words[head] += "s"
    return f"{count} {' '.join(words)}"