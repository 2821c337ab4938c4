"""Claims a text makes (prices, percentages, promo codes, dates) and what each is about (pure).

A claim has a kind, a canonical value (so "$12.99/mo" and "$12.99 per month" are the same
price, "$1.2k" and "$1,200" the same amount, "$10-$20" one range; dates become `2026-06-30`,
`06-30` when no year is written, or a weekday after a deadline word) and a subject: the nearest content words of its clause, after the value, else
before it ("20% off your first order" -> "first order"). Kind, price period and subject
form the claim's key: two claims with the same key are about the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from onevoice.api import uniform

ClaimKind = Literal["price", "percent", "code", "date"]

SUBJECT_WORDS = 2  # how many content words say what a claim is about

_CURRENCY_SIGNS = {"US$": "$", "$": "$", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB"}
_CURRENCY_CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "INR", "SEK", "NOK", "DKK", "PLN", "BRL")
_SIGN = "|".join(re.escape(sign) for sign in sorted(_CURRENCY_SIGNS, key=len, reverse=True))
_CODE = "|".join(_CURRENCY_CODES)
_NUMBER = r"\d+(?:[.,]\d{3})*(?:[.,]\d{1,2})?"
# $50k, $1.5M, €2bn, $3 million: a multiplier right after the number (a word one may follow a space)
_MULTIPLIER = r"(?:(?P<{0}>k|K|M|mn|MM|bn|B)\b|\s?(?P<{0}_word>thousand|million|billion)\b)?"
_MULTIPLIERS = {"k": 10**3, "thousand": 10**3, "m": 10**6, "mn": 10**6, "mm": 10**6, "million": 10**6,
                "b": 10**9, "bn": 10**9, "billion": 10**9}
_AMOUNT = rf"(?P<num>{_NUMBER}){_MULTIPLIER.format('mult')}"
_RANGE_END = rf"(?P<num2>{_NUMBER}){_MULTIPLIER.format('mult2')}"
_PERIOD = (
    r"(?:\s*(?:/|\bper\b|\ba\b|\ban\b|\beach\b|\bevery\b)\s*(?P<per>mo|mon|mth|month|yr|year|annum|wk|week|day)\b"
    r"|\s+(?:billed\s+|paid\s+)?(?P<adverb>monthly|yearly|annually|weekly|daily)\b)?"
)
_PERIODS = {
    "mo": "month",
    "mon": "month",
    "mth": "month",
    "month": "month",
    "monthly": "month",
    "yr": "year",
    "year": "year",
    "annum": "year",
    "yearly": "year",
    "annually": "year",
    "wk": "week",
    "week": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
}
_TO = r"\s?(?:-|to)\s?"  # dashes are made uniform before matching
_PRICES = (  # "$10-$20", "$10 to 20", "USD 20", "20 €", "12,99 EUR", each with an optional period
    re.compile(rf"(?P<cur>{_SIGN})\s?{_AMOUNT}(?:{_TO}(?:(?P=cur)\s?)?{_RANGE_END})?{_PERIOD}", re.IGNORECASE),
    re.compile(rf"\b(?P<code>{_CODE})\s?{_AMOUNT}(?:{_TO}(?:(?P=code)\s?)?{_RANGE_END})?{_PERIOD}"),
    re.compile(
        rf"(?<![\w.,$€£¥₹₩₽-])(?:(?P<num1>{_NUMBER}){_TO})?{_AMOUNT}"
        rf"\s?(?:(?P<cur>{_SIGN})|(?P<code>{_CODE})\b){_PERIOD}",
        re.IGNORECASE,
    ),
)
_PERCENT = re.compile(r"(?<![\w.,])(?P<num>\d+(?:[.,]\d+)?)\s?(?:%|\bper ?cent\b)", re.IGNORECASE)
_PROMO_TOKEN = r"[A-Z0-9][A-Z0-9_-]{2,}[A-Z0-9]"
_PROMO_AFTER_CODE = re.compile(rf"\b(?P<word>[Cc]ode|CODE)\b\s*[:=-]?\s*[\"']?(?P<code>{_PROMO_TOKEN})\b")
_PROMO_AFTER_VERB = re.compile(
    rf"\b(?i:use|enter|apply|redeem)\s+[\"']?(?P<code>(?=[A-Z0-9_-]*\d)(?=[A-Z0-9_-]*[A-Z]){_PROMO_TOKEN})\b"
)
_NOT_PROMO = {
    "zip",
    "postal",
    "post",
    "area",
    "country",
    "source",
    "qr",
    "bar",
    "status",
    "error",
    "swift",
    "sort",
    "tax",
}
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_DEADLINE = r"(?i:ends?|until|till|through|thru|by|before|expires?|valid|from|on|deadline|this|next)"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DATES = (
    re.compile(rf"\b{_MONTH}\.?\s+(?P<day>\d{{1,2}}){_ORDINAL}\b{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH}\b\.?{_YEAR}", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4}|\d{2})\b"),
    # a bare 31/05 is a date when written with two digits each, or after a deadline word (not "24/7 support")
    re.compile(r"(?<![\d/.,])(?P<a>\d{2})/(?P<b>\d{2})\b(?![/.,]?\d)"),
    re.compile(rf"\b{_DEADLINE}\s+(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})\b(?!/)"),
    # "ends Sunday": a weekday is a date only after a deadline word
    re.compile(rf"\b{_DEADLINE}\s+(?P<weekday>(?i:{'|'.join(_WEEKDAYS)}))\b"),
)
_CLAUSE_BREAK = re.compile(r"[.!?;,|•·]+(?:\s|$)|\s[-–—]\s|\n")
# ids (R-1042), identifiers (first_name, camelCase) and words inside a tag or merge tag are no subject
_NOT_A_WORD = re.compile(r"\d|_|[a-z][A-Z]")
_IN_MARKUP = re.compile(r"[<{%|\[]")
_MARKUP_WORDS = {
    *"nbsp amp quot lt gt px pt em rem td tr th tbody thead div span img br hr href src alt".split(),
    *"html css style class id width height mso endif gte lte ie".split(),
}
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_STOPWORDS = {
    *"a an the and or of to for in on at by with from into your our my you we us it its this that these those".split(),
    *"is are be been will can get now only just all any every each up as than more here there today new one".split(),
    *"if so not no do does did has have had was were am".split(),
    *"it's you'll we're enjoy grab off save saving savings discount extra take".split(),  # offer words
    *"price prices priced starting starts was pay per month year mo yr".split(),  # price words
    *"use enter apply redeem promo promotional coupon code voucher".split(),  # promo code words
    *"ends end ending until till through thru before expires expire expiring valid deadline last".split(),
    *_MONTHS,
    *"january february march april june july august sept september october november december".split(),
}


@dataclass(frozen=True)
class Claim:
    kind: ClaimKind
    value: str  # canonical: "$ 12.99", "EUR 12.99", "20%", "SPRING20", "2026-05-31" or "05-31" (no year given)
    text: str  # as written
    subject: str  # the words that say what it is about, "" when there are none
    period: str | None = None  # a price's period: month, year, week, day
    sentence: str = ""  # the sentence of the text it is in, for evidence

    @property
    def key(self) -> str:
        """What the claim is about: kind, price period and subject, e.g. `percent: first order`."""
        kind = f"{self.kind}/{self.period}" if self.period else self.kind
        return f"{kind}: {self.subject}" if self.subject else kind


@dataclass(frozen=True)
class _Found:
    kind: ClaimKind
    value: str
    start: int
    end: int
    period: str | None = None


def extract_claims(text: str, heading: str = "") -> tuple[Claim, ...]:
    """Every price, percentage, promo code and date in `text`, in reading order.

    `heading` is the heading the text sits under (a plan's name above its price): a claim
    whose own clause says nothing of its subject takes the heading's last content words.
    """
    text, heading = uniform(text), uniform(heading)
    fallback = " ".join(_content_words(heading, 0, len(heading), [])[-SUBJECT_WORDS:])
    found: list[_Found] = []
    for candidate in (*_promo_codes(text), *_prices(text), *_dates(text), *_percentages(text)):
        if all(candidate.end <= other.start or candidate.start >= other.end for other in found):
            found.append(candidate)
    found.sort(key=lambda claim: claim.start)
    return tuple(
        Claim(
            kind=claim.kind,
            value=claim.value,
            text=text[claim.start : claim.end],
            subject=_subject(text, claim, found) or fallback,
            period=claim.period,
            sentence=_sentence(text, claim),
        )
        for claim in found
    )


def _promo_codes(text: str) -> list[_Found]:
    found: list[_Found] = []
    for match in _PROMO_AFTER_CODE.finditer(text):
        before = re.findall(r"[\w]+", text[: match.start()].casefold())
        code = match.group("code")
        if before and before[-1] in _NOT_PROMO:
            continue
        if match.group("word") == "CODE" and not re.search(r"\d", code):  # an all-caps heading, not a code
            continue
        found.append(_Found("code", code, match.start("code"), match.end("code")))
    for match in _PROMO_AFTER_VERB.finditer(text):
        found.append(_Found("code", match.group("code"), match.start("code"), match.end("code")))
    return found


def _prices(text: str) -> list[_Found]:
    found: list[_Found] = []
    for pattern in _PRICES:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            currency = _CURRENCY_SIGNS[groups["cur"].upper()] if groups.get("cur") else groups["code"]
            currency = "$" if currency.upper() == "USD" else currency.upper()
            period_word = groups["per"] or groups["adverb"]
            period = _PERIODS[period_word.casefold()] if period_word else None
            amount = _amount(groups["num"], groups["mult"] or groups["mult_word"])
            if groups.get("num2"):  # $10-$20: the range is one value
                amount = f"{amount}-{_amount(groups['num2'], groups['mult2'] or groups['mult2_word'])}"
            elif groups.get("num1"):  # 10-20 €
                amount = f"{_amount(groups['num1'], None)}-{amount}"
            found.append(_Found("price", f"{currency} {amount}", match.start(), match.end(), period))
    return found


def _amount(number: str, multiplier: str | None) -> str:
    """`12,99` `12.99` `1,299.00` `1.299,00` `1.2` k -> `12.99` `12.99` `1299` `1299` `1200`."""
    last = max(number.rfind("."), number.rfind(","))
    whole, fraction = (number[:last], number[last + 1 :]) if last >= 0 and len(number) - last - 1 <= 2 else (number, "")
    amount = Decimal(re.sub(r"[.,]", "", whole) + "." + (fraction or "0"))
    if multiplier:
        amount *= _MULTIPLIERS[multiplier.casefold()]
    return str(int(amount)) if amount == int(amount) else f"{amount:.2f}"


def _percentages(text: str) -> list[_Found]:
    return [
        _Found("percent", f"{Decimal(match.group('num').replace(',', '.')).normalize():f}%", match.start(), match.end())
        for match in _PERCENT.finditer(text)
    ]


def _dates(text: str) -> list[_Found]:
    found: list[_Found] = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if groups.get("weekday"):
                found.append(_Found("date", groups["weekday"].casefold(), match.start("weekday"), match.end()))
                continue
            if groups.get("mon"):
                month, day = _MONTHS[groups["mon"][:3].casefold()], int(groups["day"])
            elif groups.get("month"):
                month, day = int(groups["month"]), int(groups["day"])
            else:  # numeric: day first, unless only the second number can be a day
                first, second = int(groups["a"]), int(groups["b"])
                day, month = (second, first) if first <= 12 < second else (first, second)
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            year = groups.get("year")
            value = f"{month:02d}-{day:02d}"
            if year:
                value = f"{int(year) + (2000 if len(year) == 2 else 0):04d}-{value}"
            start = match.start("a") if groups.get("a") else match.start()
            found.append(_Found("date", value, start, match.end()))
    return found


def comparable_dates(values: Iterable[str]) -> dict[str, str | None]:
    """Date values in the finest form all of them share, so that one day written two ways is one value.

    Full dates (`2026-06-28`) compare as they are; with a month-day among them (`06-28`, no year
    given) all compare on month and day; with a weekday (`sunday`, from "ends Sunday") full dates
    compare on their weekday. A value that cannot be brought to the shared form (a weekday beside
    dates without a year) maps to None: it contradicts nothing.
    """
    values = set(values)
    weekdays = {v for v in values if v in _WEEKDAYS}
    month_days = {v for v in values if len(v) == 5}
    if weekdays and len(weekdays) + len(month_days) < len(values):  # weekdays beside full dates
        if month_days:
            return {v: None if v in weekdays else v[-5:] for v in values}
        return {v: v if v in weekdays else _WEEKDAYS[date.fromisoformat(v).weekday()] for v in values}
    if weekdays and month_days:
        return {v: None if v in weekdays else v for v in values}
    if month_days:
        return {v: v[-5:] for v in values}
    return {v: v for v in values}


def _subject(text: str, claim: _Found, claims: list[_Found]) -> str:
    """The nearest content words of the claim's clause: after it, else before it."""
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, claim.start)), default=0)
    following = _CLAUSE_BREAK.search(text, claim.end)
    clause_end = following.start() if following else len(text)
    after = list(dict.fromkeys(_content_words(text, claim.end, clause_end, claims)))[:SUBJECT_WORDS]
    if after:
        return " ".join(after)
    return " ".join(list(dict.fromkeys(_content_words(text, clause_start, claim.start, claims)))[-SUBJECT_WORDS:])


def _sentence(text: str, claim: _Found) -> str:
    """The sentence around the claim: from the last sentence end before it to the next after it."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, claim.start)), default=0)
    following = _SENTENCE_END.search(text, claim.end)
    return text[start : following.start() + 1 if following else len(text)].strip()


def _content_words(text: str, start: int, end: int, claims: list[_Found]) -> list[str]:
    """The words a reviewer reads as what a claim is about: no stopwords, ids, merge tags or markup."""
    return [
        match.group().casefold()
        for match in _WORD.finditer(text, start, end)
        if match.group().casefold() not in _STOPWORDS
        and match.group().casefold() not in _MARKUP_WORDS
        and len(match.group()) > 1
        and not _NOT_A_WORD.search(match.group())
        and not _IN_MARKUP.match(text, max(match.start() - 1, 0))
        and not any(other.start <= match.start() < other.end for other in claims)
    ]
