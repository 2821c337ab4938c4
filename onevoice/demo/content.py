"""What the fictional demo brand, Quillory, says about itself on its site.

The welcome email (`onevoice.demo.welcome`) is written from these facts too, apart from
the few deliberate slips its templates carry so that the demo report has real findings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Plan:
    name: str
    price: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class SocialAccount:
    platform: str  # the key used in brand profiles: facebook, x, linkedin, instagram
    label: str  # what the link says
    url: str


@dataclass(frozen=True)
class DemoBrand:
    name: str
    tagline: str
    offer: str
    promo_code: str
    twitter_handle: str
    social: tuple[SocialAccount, ...]
    plans: tuple[Plan, ...]


QUILLORY = DemoBrand(
    name="Quillory",
    tagline="Notebooks made to be filled, page after page",
    offer="20% off your first order",
    promo_code="FIRSTPAGE",
    twitter_handle="@quillory",
    social=(
        SocialAccount("facebook", "Facebook", "https://www.facebook.com/quillory"),
        SocialAccount("x", "X", "https://x.com/quillory"),
        SocialAccount("linkedin", "LinkedIn", "https://www.linkedin.com/company/quillory"),
        SocialAccount("instagram", "Instagram", "https://www.instagram.com/quillory"),
    ),
    plans=(
        Plan("Starter box", "$24", ("2 A5 notebooks", "1 bottle of ink", "Postcards from the studio")),
        Plan("Studio box", "$39", ("4 notebooks, A5 and pocket", "2 bottles of ink", "A new pen every quarter")),
    ),
)


def organization_json(brand: DemoBrand, base_url: str) -> Markup:
    """The JSON-LD Organization of the site, safe to place inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": brand.name,
        "url": base_url,
        "logo": f"{base_url}static/img/logo.svg",
        "slogan": brand.tagline,
        "sameAs": [account.url for account in brand.social],
    }
    return Markup(json.dumps(data, indent=2).replace("</", "<\\/"))
