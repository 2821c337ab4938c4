"""The messaging check family: declared messages, headline parity, claims, forbidden phrases, leftovers.

What a touchpoint says is its readable text: visible text blocks plus an email's subject
and preheader. Declared messages must appear there (near matches are `messaging.mismatch`),
the desktop and mobile capture of one page must lead with the same headline, the claims
(prices, percentages, promo codes, dates) must agree across touchpoints, and no forbidden
phrase may appear anywhere the audience reads, page title and sharing tags included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urldefrag

from pydantic import BaseModel, ConfigDict, Field

from checks.messaging.claims import Claim, comparable_dates, extract_claims
from checks.messaging.placeholders import find_leftovers
from onevoice.api import (
    Capture,
    Cell,
    CheckContext,
    CheckResult,
    Consensus,
    Evidence,
    Finding,
    JoinedText,
    Matrix,
    Message,
    Severity,
    TextBlock,
    contains_phrase,
    describe_difference,
    union_box,
    words,
)

Rule = Literal[
    "messaging.missing", "messaging.mismatch", "messaging.conflict", "messaging.forbidden", "messaging.placeholder"
]
SHARING_TAGS = ("title", "description", "site_name")
# OCR confidence from which text read from an image is trusted to raise a finding on its own. On the
# labelled banners (tests/data/ocr) words read right score 0.6-0.97, nearly all above 0.9; text below
# this may still show that a message is there, but states no claim and no forbidden or leftover text.
CERTAIN = 0.85
READ_FROM_IMAGE = "read from the image"
EMAIL_ROLES = ("subject", "preheader")


class MessagingOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    near_match: float = Field(
        default=80, ge=0, le=100, description="similarity (0-100) from which other text counts as the message reworded"
    )
    min_cut: float = Field(
        default=0.4,
        gt=0,
        le=1,
        description="the share of a message a cut version must keep to count as the message cut",
    )
    severity: dict[Rule, Severity] = Field(
        default_factory=dict,
        description="severity per rule (default error); a message that sets its own severity keeps it",
    )


@dataclass(frozen=True)
class Sighting:
    """How one declared message appears on one touchpoint."""

    status: Literal["ok", "reworded", "missing", "hidden"]
    blocks: tuple[TextBlock, ...] = ()
    found: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Stated:
    """A claim as a touchpoint states it, and the block it is in."""

    touchpoint: str
    claim: Claim
    value: str
    block: TextBlock


class MessagingCheck:
    name = "messaging"
    rules = {
        "messaging.missing": "a declared message does not appear on a touchpoint it must be on",
        "messaging.mismatch": "a declared message appears only reworded or cut, "
        "or a page's mobile headline differs from its desktop one",
        "messaging.conflict": "touchpoints state different values for the same claim "
        "(price, percentage, promo code, date)",
        "messaging.forbidden": "a forbidden phrase appears in text, email subject or preheader, "
        "page title or sharing tags",
        "messaging.placeholder": "template leftovers reach the audience: an unrendered merge tag, lorem ipsum, "
        "filler such as 'Your Company' or '[Insert ...]'",
    }
    Options = MessagingOptions

    def run(self, context: CheckContext) -> CheckResult:
        options = context.options if isinstance(context.options, MessagingOptions) else MessagingOptions()
        captures = context.ok_captures()
        sightings = {
            message.id: {tp: sight_message(message.text, captures[tp], options) for tp in _targets(message, captures)}
            for message in context.messages
        }
        claims_matrix, conflicts = _claims(context.messages, captures, options)
        forbidden = context.brand.forbidden if context.brand else ()
        blamed_by_conflict = {
            (f.expected_from, tp) for f in conflicts for tp in f.finding.touchpoints if f.expected_from
        }
        findings = [
            *_message_findings(context.messages, sightings, blamed_by_conflict, options),
            *_headline_findings(context.messages, sightings, captures, options),
            *(conflict.finding for conflict in conflicts),
            *_forbidden_findings(forbidden, captures, options),
            *_placeholder_findings(forbidden, captures, options),
        ]
        matrices = [claims_matrix]
        if context.messages:
            matrices.insert(0, _messages_matrix(context.messages, sightings, context.captures))
        return CheckResult(findings=tuple(findings), matrices=tuple(matrices))


def readable_blocks(capture: Capture) -> tuple[TextBlock, ...]:
    """What a touchpoint says: its visible text blocks, and an email's subject and preheader.

    The page title is left out: it is no part of the page (a browser tab, an email's unseen `<title>`).
    The inbox lines come last, so that text also in the body is pointed at where it is in the body.
    """
    body = [block for block in capture.texts if block.role not in ("title", *EMAIL_ROLES) and block.visible]
    inbox = [block for block in capture.texts if block.role in EMAIL_ROLES]
    if capture.email:
        present = {block.role for block in inbox}
        inbox += [
            TextBlock(text=text, role=role)
            for role, text in (("subject", capture.email.subject), ("preheader", capture.email.preheader))
            if text.strip() and role not in present
        ]
    return tuple(body + inbox)


def sight_message(text: str, capture: Capture, options: MessagingOptions) -> Sighting:
    """Whether `text` is on the capture: found, reworded or cut, only hidden, or missing."""
    readable = readable_blocks(capture)
    shown = JoinedText([block.text for block in readable])
    span = shown.find(text)
    if span:
        return Sighting("ok", readable[span.first : span.last + 1])
    near = shown.near(text, options.near_match, options.min_cut)
    if near:
        blocks = readable[near.span.first : near.span.last + 1]
        as_written = " ".join(block.text for block in blocks)
        found = as_written if words(as_written) == near.found.split() else near.found
        return Sighting("reworded", blocks, found, describe_difference(text, found))
    readable_ids = {id(block) for block in readable}  # the capture's own blocks: compared by identity, in O(1)
    hidden = [block for block in capture.texts if id(block) not in readable_ids and block.role != "title"]
    span = JoinedText([block.text for block in hidden]).find(text)
    if span:
        return Sighting("hidden", tuple(hidden[span.first : span.last + 1]))
    return Sighting("missing")


def main_headline(capture: Capture) -> TextBlock | None:
    """The first visible h1, else the first visible heading of the highest rank."""
    headings = [block for block in capture.visible_texts() if block.role == "heading" and words(block.text)]
    if not headings:
        return None
    return min(headings, key=lambda block: block.level or 7)


def _targets(message: Message, captures: dict[str, Capture]) -> list[str]:
    return [tp for tp in captures if message.on is None or tp in message.on]


def _severity(rule: Rule, options: MessagingOptions, message: Message | None = None) -> Severity:
    """The declared message's severity when it sets one, else the Options' for the rule, else error."""
    if message is not None and "severity" in message.model_fields_set:
        return message.severity
    return options.severity.get(rule, "error")


def certain(block: TextBlock) -> bool:
    """Whether a block may raise a finding on its own: any text of the document, and text read from
    an image with an OCR confidence of at least CERTAIN."""
    return not block.from_image or (block.confidence or 0) >= CERTAIN


def _evidence(touchpoint: str, blocks: Iterable[TextBlock], text: str | None = None) -> Evidence:
    """One piece of evidence covering `blocks`: their selectors as a selector list, their boxes' union;
    marked as read from an image when every block was."""
    blocks = list(blocks)
    selectors = list(dict.fromkeys(block.selector for block in blocks if block.selector))
    boxes = [block.box for block in blocks if block.box]
    return Evidence(
        touchpoint=touchpoint,
        selector=", ".join(selectors) or None,
        box=union_box(boxes),
        text=text if text is not None else " ".join(block.text for block in blocks) or None,
        from_image=bool(blocks) and all(block.from_image for block in blocks),
    )


def _source_note(blocks: Iterable[TextBlock]) -> str | None:
    """A fact table's note for text read from an image, and its confidence when too low to judge on."""
    blocks = list(blocks)
    if not blocks or not all(block.from_image for block in blocks):
        return None
    if any(certain(block) for block in blocks):
        return READ_FROM_IMAGE
    return f"{READ_FROM_IMAGE}, unsure (OCR confidence {max(block.confidence or 0 for block in blocks):.0%}): not judged"


def _message_findings(
    messages: tuple[Message, ...],
    sightings: dict[str, dict[str, Sighting]],
    blamed_by_conflict: set[tuple[str, str]],
    options: MessagingOptions,
) -> Iterable[Finding]:
    for message in messages:
        for tp, sighting in sightings[message.id].items():
            if sighting.status == "ok" or (message.id, tp) in blamed_by_conflict:
                continue
            if sighting.status == "reworded":
                yield Finding(
                    check="messaging",
                    rule="messaging.mismatch",
                    severity=_severity("messaging.mismatch", options, message),
                    touchpoints=(tp,),
                    subject=message.id,
                    message=f"{tp} shows message '{message.id}' changed: \"{sighting.found}\" ({sighting.detail})",
                    expected=message.text,
                    actual=sighting.found,
                    evidence=(_evidence(tp, sighting.blocks),),
                )
                continue
            hidden = sighting.status == "hidden"
            yield Finding(
                check="messaging",
                rule="messaging.missing",
                severity=_severity("messaging.missing", options, message),
                touchpoints=(tp,),
                subject=message.id,
                message=f"{tp} does not show message '{message.id}' (\"{message.text}\")"
                + (": it is in the page but hidden" if hidden else ""),
                expected=message.text,
                evidence=(_evidence(tp, sighting.blocks),) if hidden else (Evidence(touchpoint=tp),),
            )


def _messages_matrix(
    messages: tuple[Message, ...], sightings: dict[str, dict[str, Sighting]], captures: dict[str, Capture]
) -> Matrix:
    cells: dict[str, dict[str, Cell]] = {}
    for message in messages:
        row: dict[str, Cell] = {}
        for tp, capture in captures.items():
            if message.on is not None and tp not in message.on:
                continue
            sighting = sightings[message.id].get(tp)
            if sighting is None:
                row[tp] = Cell(status="error", detail=capture.error)
            elif sighting.status == "reworded":
                notes = (sighting.detail, _source_note(sighting.blocks))
                row[tp] = Cell(status="reworded", value=sighting.found, detail="; ".join(filter(None, notes)) or None)
            else:
                found = " ".join(block.text for block in sighting.blocks) or None
                row[tp] = Cell(status=sighting.status, value=found, detail=_source_note(sighting.blocks))
        cells[message.id] = row
    return Matrix(
        id="messages",
        title="Declared messages",
        rows=tuple(message.id for message in messages),
        columns=tuple(captures),
        expected={message.id: message.text for message in messages},
        cells=cells,
    )


def _headline_findings(
    messages: tuple[Message, ...],
    sightings: dict[str, dict[str, Sighting]],
    captures: dict[str, Capture],
    options: MessagingOptions,
) -> Iterable[Finding]:
    """Same page, desktop vs mobile: the narrower capture must lead with the widest one's headline."""
    pages: dict[str, list[Capture]] = defaultdict(list)
    for capture in captures.values():
        if capture.channel == "web" and capture.url and capture.viewport:
            pages[urldefrag(capture.url).url].append(capture)
    for same_page in pages.values():
        widest = max(same_page, key=lambda capture: capture.viewport[0])
        reference = main_headline(widest)
        if reference is None:
            continue
        for capture in same_page:
            if capture.viewport[0] >= widest.viewport[0]:
                continue
            headline = main_headline(capture)
            if headline and words(headline.text) == words(reference.text):
                continue
            if _reported_message_in(reference.text, messages, sightings, capture.touchpoint):
                continue  # the message's own finding already says it
            shown = f'"{headline.text}"' if headline else "no headline"
            yield Finding(
                check="messaging",
                rule="messaging.mismatch",
                severity=_severity("messaging.mismatch", options),
                touchpoints=(capture.touchpoint,),
                subject="headline",
                message=f"{capture.touchpoint} leads with {shown}; "
                f'{widest.touchpoint} (same page) with "{reference.text}"',
                expected=reference.text,
                actual=headline.text if headline else None,
                evidence=(
                    _evidence(capture.touchpoint, [headline] if headline else []),
                    _evidence(widest.touchpoint, [reference]),
                ),
            )


def _reported_message_in(
    headline: str, messages: tuple[Message, ...], sightings: dict[str, dict[str, Sighting]], touchpoint: str
) -> bool:
    """Whether a declared message in this headline is already reported missing or changed on `touchpoint`."""
    return any(
        contains_phrase(headline, message.text) and sightings[message.id].get(touchpoint, Sighting("ok")).status != "ok"
        for message in messages
    )


@dataclass(frozen=True)
class Conflict:
    finding: Finding
    expected_from: str | None  # the declared message whose value the touchpoints contradict


def _claims(
    messages: tuple[Message, ...], captures: dict[str, Capture], options: MessagingOptions
) -> tuple[Matrix, list[Conflict]]:
    stated: dict[str, list[Stated]] = defaultdict(list)
    for tp, capture in captures.items():
        heading = ""
        for block in readable_blocks(capture):
            for claim in extract_claims(block.text, heading=heading):
                stated[claim.key].append(Stated(tp, claim, claim.value, block))
            if block.role == "heading":
                heading = block.text
    declared: dict[str, tuple[Message, frozenset[str]]] = {}
    for message in messages:
        claims = extract_claims(message.text)
        for key in dict.fromkeys(claim.key for claim in claims):
            declared.setdefault(key, (message, frozenset(c.value for c in claims if c.key == key)))

    cells: dict[str, dict[str, Cell]] = {}
    expected: dict[str, str | None] = {}
    conflicts: list[Conflict] = []
    for key, as_stated in stated.items():
        message, declared_values = declared.get(key, (None, None))
        statements, declared_values = _comparable_dates(as_stated, declared_values)
        statements = [statement for statement in statements if certain(statement.block)]
        values: dict[str, frozenset[str]] = defaultdict(frozenset)
        for statement in statements:
            values[statement.touchpoint] |= {statement.value}
        if declared_values or (statements and statements[0].claim.subject):
            wrong, reference = _odd_touchpoints(dict(values), declared_values)
        else:  # a bare "$100.00" says nothing of what it is about: tabled, not judged
            wrong, reference = [], None
        shown: dict[str, set[str]] = defaultdict(set)
        for statement in as_stated:
            shown[statement.touchpoint].add(statement.value)
        cells[key] = {
            tp: Cell(
                status="other" if tp in wrong else "ok",
                value=", ".join(sorted(found)),
                detail=_source_note(statement.block for statement in as_stated if statement.touchpoint == tp),
            )
            for tp, found in shown.items()
        }
        expected[key] = ", ".join(sorted(declared_values)) if declared_values else None
        if wrong:
            finding = _conflict_finding(key, statements, values, wrong, reference, message, options)
            conflicts.append(Conflict(finding, message.id if message else None))
    matrix = Matrix(
        id="claims",
        title="Claims: prices, percentages, promo codes, dates",
        rows=tuple(stated),
        columns=tuple(captures),
        expected=expected,
        cells=cells,
    )
    return matrix, conflicts


def _comparable_dates(
    statements: list[Stated], declared: frozenset[str] | None
) -> tuple[list[Stated], frozenset[str] | None]:
    """Dates in the finest form they all share (`comparable_dates`); those with none are left out."""
    if not statements or statements[0].claim.kind != "date":
        return statements, declared
    form = comparable_dates([s.value for s in statements] + list(declared or ()))
    comparable = [Stated(s.touchpoint, s.claim, form[s.value], s.block) for s in statements if form[s.value]]
    if declared:
        declared = frozenset(form[v] for v in declared if form[v]) or None
    return comparable, declared


def _odd_touchpoints(
    values: dict[str, frozenset[str]], declared: frozenset[str] | None
) -> tuple[list[str], frozenset[str] | None]:
    """The touchpoints whose values contradict the declaration, else the set of values most touchpoints
    state (`Consensus`), and that reference.

    A touchpoint stating part of the others' values (one plan of a pricing table) contradicts nothing.
    On a tie, every touchpoint in a contradiction is named, and no reference is given.
    """
    if declared:
        return [tp for tp, found in values.items() if not found <= declared], declared

    def compatible(a: frozenset[str], b: frozenset[str]) -> bool:
        return a <= b or b <= a

    consensus = Consensus.of({tp: [found] for tp, found in values.items()})
    return list(consensus.dissenters(compatible)), next(iter(consensus.reference), None)


def _conflict_finding(
    key: str,
    statements: list[Stated],
    values: dict[str, frozenset[str]],
    wrong: list[str],
    reference: frozenset[str] | None,
    message: Message | None,
    options: MessagingOptions,
) -> Finding:
    def said(tp: str) -> str:
        from_image = all(s.block.from_image for s in statements if s.touchpoint == tp)
        return ", ".join(sorted(values[tp])) + (f" ({READ_FROM_IMAGE})" if from_image else "")

    if message:
        against = f"message '{message.id}' says {', '.join(sorted(reference or ()))}"
    elif reference:
        against = "the others say " + ", ".join(sorted(reference))
    else:
        against = "; ".join(f"{tp} says {said(tp)}" for tp in values if tp not in wrong) or "they disagree"
    stated_wrong = "; ".join(f"{tp} says {said(tp)}" for tp in wrong)
    evidence = [  # each value quoted in its sentence, on each side
        _evidence(tp, [said.block], said.claim.sentence or said.claim.text)
        for tp in sorted(values, key=lambda tp: tp not in wrong)
        for value in sorted(values[tp])
        for said in [next(s for s in statements if s.touchpoint == tp and s.value == value)]
    ]
    return Finding(
        check="messaging",
        rule="messaging.conflict",
        severity=_severity("messaging.conflict", options, message),
        touchpoints=tuple(wrong),
        subject=key,
        message=f"'{key}' differs: {stated_wrong}; {against}",
        expected=", ".join(sorted(reference)) if reference else None,
        actual={tp: said(tp) for tp in wrong},
        evidence=tuple(evidence),
    )


def _forbidden_findings(
    phrases: tuple[str, ...], captures: dict[str, Capture], options: MessagingOptions
) -> Iterable[Finding]:
    for tp, capture in captures.items():
        places = _audience_texts(capture)
        for phrase in phrases:
            hits = [place for place in places if contains_phrase(place.text, phrase)]
            if not hits:
                continue
            yield Finding(
                check="messaging",
                rule="messaging.forbidden",
                severity=_severity("messaging.forbidden", options),
                touchpoints=(tp,),
                subject=phrase,
                message=f'{tp} says the forbidden "{phrase}" in its {", ".join(dict.fromkeys(h.where for h in hits))}',
                actual=phrase,
                evidence=tuple(dict.fromkeys(hit.evidence for hit in hits)),
            )


_LEFTOVER_NAMES = {"merge tag": "unrendered merge tags", "lorem ipsum": "lorem ipsum", "placeholder text": "filler"}


def _placeholder_findings(
    forbidden: tuple[str, ...], captures: dict[str, Capture], options: MessagingOptions
) -> Iterable[Finding]:
    """Template leftovers, one finding per touchpoint and kind, each leftover quoted and boxed.

    A leftover holding a forbidden phrase is left to `messaging.forbidden`: one cause, one finding.
    """
    for tp, capture in captures.items():
        found: dict[str, list[tuple[Said, str]]] = defaultdict(list)
        for place in _audience_texts(capture):
            if place.where == "page title" and capture.channel != "web":
                continue  # an email's <title> is shown nowhere
            for leftover in find_leftovers(place.text, place.code, place.as_name):
                if not any(contains_phrase(leftover.text, phrase) for phrase in forbidden):
                    found[leftover.kind].append((place, leftover.text))
        for kind, leftovers in found.items():
            quoted = list(dict.fromkeys(text for _, text in leftovers))
            shown = ", ".join(f'"{_shortened(text)}"' for text in quoted[:5]) + (" ..." if len(quoted) > 5 else "")
            where = ", ".join(dict.fromkeys(place.where for place, _ in leftovers))
            yield Finding(
                check="messaging",
                rule="messaging.placeholder",
                severity=_severity("messaging.placeholder", options),
                touchpoints=(tp,),
                subject=kind,
                message=f"{tp} shows template leftovers ({_LEFTOVER_NAMES[kind]}) in its {where}: {shown}",
                actual=quoted,
                evidence=tuple(
                    dict.fromkeys(place.evidence.model_copy(update={"text": text}) for place, text in leftovers)
                ),
            )


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


@dataclass(frozen=True)
class Said:
    """Text the audience reads, where (text, email subject, page title, og:title ...), and its parts set as code."""

    where: str
    text: str
    evidence: Evidence
    code: tuple[str, ...] = ()
    as_name: bool = True  # stands where a name does: a header, footer, heading, title, subject


def _where(block: TextBlock) -> str:
    if block.role in EMAIL_ROLES:
        return "email " + block.role
    return "text " + READ_FROM_IMAGE if block.from_image else "text"


def _audience_texts(capture: Capture) -> list[Said]:
    """Everything the audience reads: text, title, sharing tags, inbox lines."""
    tp = capture.touchpoint
    places = [
        Said(
            _where(block),
            block.text,
            _evidence(tp, [block]),
            block.code,
            block.role in ("heading", "nav", "footer", *EMAIL_ROLES) or block.region in ("header", "nav", "footer"),
        )
        for block in readable_blocks(capture)
        if certain(block)
    ]
    if capture.meta.title:
        title = capture.meta.title
        places.append(Said("page title", title, Evidence(touchpoint=tp, selector="title", text=title)))
    for prefix, tags in (("og", capture.meta.og), ("twitter", capture.meta.twitter)):
        for name, text in tags.items():
            bare = name.removeprefix(f"{prefix}:")
            if bare in SHARING_TAGS:
                where = f"{prefix}:{bare}"
                selector = f'meta[{"property" if prefix == "og" else "name"}="{where}"]'
                places.append(Said(where, text, Evidence(touchpoint=tp, selector=selector, text=text)))
    return places
