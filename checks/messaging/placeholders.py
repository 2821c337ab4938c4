"""Template leftovers in text that reaches the audience (pure): the `messaging.placeholder` rule's reading.

Three kinds:
- merge tags a template system did not fill in: `{{first_name}}`, `{{ user.name }}`, `{% if %}`,
  Mailchimp `*|FNAME|*`, `%%FirstName%%`, `${name}`, `[[name]]`, `{first_name}`, `[type_of_action]`;
- lorem ipsum, or any run of its pseudo-Latin ("Praesent laoreet malesuada cursus");
- filler a template ships with for the sender to replace: `[Insert ...]`, `[Product Name]`,
  "Your Company", "Your Website", "Company Name" used as a name, `example.com` shown as text.

Text set as code (`<code>`, `<pre>`) shows such syntax on purpose and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

LeftoverKind = Literal["merge tag", "lorem ipsum", "placeholder text"]

_IDENTIFIER = r"[A-Za-z_][\w.\-]*"
_MERGE_TAGS = re.compile(
    "|".join(
        (
            r"\{\{\{?\s*[#/^>&!]?\s*[\w.\-\[\]'\" ]{1,60}?\s*\}?\}\}",  # Mustache, Handlebars, Jinja, Liquid
            r"\{%-?\s*\w[^%]{0,60}?-?%\}",  # Jinja / Liquid tags
            r"\*\|[A-Z0-9_:]{2,40}\|\*",  # Mailchimp
            r"%%=?[\w@().\[\]\- ]{2,40}?=?%%",  # Salesforce Marketing Cloud
            rf"\$\{{\s*{_IDENTIFIER}\s*\}}",  # ES templates, shell, many ESPs
            rf"\[\[\s*{_IDENTIFIER}\s*\]\]",  # double brackets
            rf"(?<![{{\w$])\{{\s*[A-Za-z]\w*(?:_\w+|\.\w+)*\s*\}}(?!\}})",  # {first_name}
            r"(?<![\[\w])\[[a-z]+(?:_[a-z]+)+\](?![\]\(])",  # [type_of_action]: snake_case in brackets
        )
    )
)
# "[Insert logo]", "[Product Name]", "[Company Name, LLC]": a bracketed label that names what belongs there
_BRACKETED_FILLER = re.compile(
    r"\[(?:(?:Insert|Enter|Add|Your)\b[^\]\n]{0,60}"
    r"|[A-Z][\w'&]*(?:[ ,]+[\w'&.]+){0,5}?[ ,]+(?:Name|Address|Number|URL|Link|Date|Title|Here|LLC|Inc)\b[^\]\n]{0,20}"
    r"|(?:Company|Product|Brand|Name|Logo|Placeholder|Link|URL)[^\]\n]{0,40})\]"
)
_NAME_FILLER = r"(?-i:Your (?:Company|Website|Brand|Business|Site|Logo)(?: Name)?|Company Name|Your Name Here|Brand Name)"
_FILLER = re.compile(
    "|".join(
        (
            rf"(?:©|\(c\)|\bCopyright\b)\s*(?:\d{{4}}\s*)?(?P<owner>{_NAME_FILLER})",  # © Your Website 2023
            # "Your Company, Inc.", "Company Name, 123 Fake Street"
            rf"\b(?P<company>{_NAME_FILLER})(?=,?\s+(?:Inc|LLC|Ltd|GmbH)\b|,?\s+\d)",
            r"\b(?P<insert>Insert (?:your |the )?(?:text|copy|content|image|logo|link|name|title|headline)(?: here)?)\b",
            r"(?<![\w@./-])(?P<domain>(?:[\w.+-]+@)?(?:[\w-]+\.)*example\.(?:com|org|net))\b",
        )
    ),
    re.IGNORECASE,
)
_NAME_FILLER_ALONE = re.compile(rf"\s*{_NAME_FILLER}\s*")  # a wordmark or label that is only the filler
_EXAMPLE_INTRO = re.compile(r"(?:e\.g\.|for example|for instance|such as|like)[\s:,]*[\w.+-]*@?$", re.IGNORECASE)

_LOREM = re.compile(r"\blorem ipsum\b", re.IGNORECASE)
# The pseudo-Latin of lorem ipsum generators, less the words that are also English ("in", "id", "sit" ...)
_LATIN = frozenset(
    """lorem ipsum dolor amet consectetur consectetuer adipiscing adipisicing elit sed eiusmod tempor incididunt ut
    labore dolore magna aliqua enim minim veniam quis nostrud exercitation ullamco laboris nisi aliquip commodo
    consequat duis aute irure reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat
    cupidatat proident sunt culpa officia deserunt mollit anim laborum praesent laoreet malesuada cursus maecenas
    scelerisque congue eros posuere vestibulum primis faucibus orci luctus ultrices cubilia curae donec nec nunc
    pellentesque habitant morbi tristique senectus netus fames turpis egestas vitae aliquam erat volutpat etiam
    sagittis mauris quam vel integer euismod lacus suspendisse potenti fusce tincidunt nullam risus eget urna ornare
    leo cras mattis purus fermentum aenean lacinia bibendum curabitur blandit tempus porttitor vivamus augue rutrum
    auctor porta ac ligula odio sem ullamcorper metus fringilla nibh ultricies vehicula venenatis dapibus aliquet
    sociis natoque penatibus magnis parturient montes nascetur ridiculus quisque phasellus viverra eleifend aptent
    taciti sociosqu litora torquent conubia nostra inceptos himenaeos felis pretium lobortis rhoncus accumsan
    feugiat dignissim pharetra sollicitudin condimentum hendrerit imperdiet interdum iaculis massa neque placerat
    semper tellus tortor varius vulputate efficitur gravida dictum lectus libero mi nisl pulvinar sapien tempor
    tristique ultricies convallis molestie facilisis cursus commodo elementum arcu diam justo nam quo voluptas
    voluptatem voluptatum dolorem dolores eos accusamus iusto odit perspiciatis unde omnis iste natus error
    doloremque laudantium totam rem aperiam eaque ipsa quae ab illo inventore veritatis quasi architecto beatae
    vitae dicta explicabo nemo ipsam quia aspernatur aut fugit consequuntur magni ratione sequi nesciunt porro
    quisquam adipisci numquam eius modi tempora incidunt magnam quaerat""".split()
)
_LATIN_WORD = re.compile(r"[a-zA-Z]+")
LATIN_SHARE = 0.6  # of a sentence's words, from which it is lorem ipsum
LATIN_MIN_WORDS = 3  # pseudo-Latin words a sentence needs to count
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


@dataclass(frozen=True)
class Leftover:
    kind: LeftoverKind
    text: str  # as written
    start: int
    end: int


def find_leftovers(text: str, code: Iterable[str] = (), as_name: bool = False) -> tuple[Leftover, ...]:
    """Every template leftover in `text`, in reading order.

    `code`: parts of `text` set as code, skipped. `as_name`: the text stands where a name does (a
    header, footer or heading), so that "Your Company" alone is filler there, not a form's label.
    """
    text = _masked(text, code)
    found = [*_merge_tags(text), *_filler(text, as_name), *_lorem(text)]
    kept: list[Leftover] = []
    for leftover in sorted(found, key=lambda item: (item.start, -item.end)):
        if all(leftover.start >= other.end or leftover.end <= other.start for other in kept):
            kept.append(leftover)
    return tuple(kept)


def _masked(text: str, code: Iterable[str]) -> str:
    """`text` with every code span blanked out (same length, so positions hold).

    Every occurrence is blanked: the same tag written in a code sample and, unrendered, in the
    same block's prose counts as code.
    """
    for span in code:
        text = text.replace(span, " " * len(span))
    return text


def _merge_tags(text: str) -> Iterable[Leftover]:
    for match in _MERGE_TAGS.finditer(text):
        yield Leftover("merge tag", match.group(), match.start(), match.end())


def _filler(text: str, as_name: bool) -> Iterable[Leftover]:
    for match in _BRACKETED_FILLER.finditer(text):
        yield Leftover("placeholder text", match.group(), match.start(), match.end())
    if as_name and _NAME_FILLER_ALONE.fullmatch(text):
        yield Leftover("placeholder text", text.strip(), len(text) - len(text.lstrip()), len(text.rstrip()))
    for match in _FILLER.finditer(text):
        group = next(name for name, value in match.groupdict().items() if value)
        if group == "domain" and _EXAMPLE_INTRO.search(text[: match.start()]):
            continue  # "e.g. you@example.com" shows the form of an address on purpose
        yield Leftover("placeholder text", match.group(group), match.start(group), match.end(group))


def _lorem(text: str) -> Iterable[Leftover]:
    """Sentences of lorem ipsum: the words themselves, or mostly its pseudo-Latin, merged when adjacent."""
    spans: list[tuple[int, int]] = []
    for sentence in _SENTENCE.finditer(text):
        words = _LATIN_WORD.findall(sentence.group())
        latin = [word for word in words if word.casefold() in _LATIN]
        if _LOREM.search(sentence.group()) or (
            len(latin) >= LATIN_MIN_WORDS and len(latin) >= LATIN_SHARE * len(words)
        ):
            start = sentence.start() + len(sentence.group()) - len(sentence.group().lstrip())
            if spans and not text[spans[-1][1] : start].strip():
                spans[-1] = (spans[-1][0], sentence.end())
            else:
                spans.append((start, sentence.end()))
    for start, end in spans:
        yield Leftover("lorem ipsum", text[start:end].strip(), start, end)
