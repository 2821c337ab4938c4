"""The public API for check plugins: everything a check may use, and nothing else of onevoice.

A check family is a class with a `name`, the `rules` it raises, an `Options` model and
`run(context) -> CheckResult` (docs/checks.md walks through one). It reads the facts of each
capture (texts, links, images, meta tags: the same shape for every channel), judges them
against the journey and brand profile, and hands back findings and fact tables. The built-in
families in `checks/` import only this module.
"""

from onevoice.accounts import (
    PLATFORM_NAMES,
    Platform,
    SocialAccount,
    UrlTarget,
    classify_url,
    named_accounts,
    parse_account,
    platform_from_hints,
    signs_in_with,
    platform_named,
    platform_of_host,
)
from onevoice.colors import Lab, Rgb, ciede2000, distance, srgb_to_lab
from onevoice.consensus import Consensus
from onevoice.errors import LogoError
from onevoice.facts import Box, Capture, Channel, EmailInfo, Image, Link, Meta, Region, TextBlock, TextRole, union_box
from onevoice.findings import Cell, CellStatus, CheckResult, Evidence, Finding, Matrix
from onevoice.logohash import LogoHash, hash_file, logo_hash
from onevoice.pngrows import decode_rows
from onevoice.model import Brand, Journey, Message, Severity, Touchpoint
from onevoice.registry import Check, CheckContext, NoOptions
from onevoice.textmatch import JoinedText, NearMatch, contains_phrase, describe_difference, normalize, tokens, uniform, words

__all__ = [
    # the check protocol and what a check is given
    "Check",
    "CheckContext",
    "NoOptions",
    "Journey",
    "Touchpoint",
    "Brand",
    "Message",
    "Severity",
    # the facts of a capture
    "Capture",
    "Channel",
    "TextBlock",
    "TextRole",
    "Link",
    "Image",
    "Meta",
    "EmailInfo",
    "Region",
    "Box",
    "union_box",
    # what a check hands back
    "CheckResult",
    "Finding",
    "Evidence",
    "Matrix",
    "Cell",
    "CellStatus",
    # what most touchpoints show, when nothing is declared
    "Consensus",
    # value types: colours (CIEDE2000), text, logo hashes, social accounts; reading a screenshot
    "Rgb",
    "Lab",
    "ciede2000",
    "distance",
    "srgb_to_lab",
    "uniform",
    "normalize",
    "words",
    "tokens",
    "JoinedText",
    "NearMatch",
    "contains_phrase",
    "describe_difference",
    "LogoHash",
    "LogoError",
    "decode_rows",
    "hash_file",
    "logo_hash",
    "SocialAccount",
    "Platform",
    "UrlTarget",
    "PLATFORM_NAMES",
    "classify_url",
    "parse_account",
    "named_accounts",
    "platform_named",
    "platform_from_hints",
    "signs_in_with",
    "platform_of_host",
]
