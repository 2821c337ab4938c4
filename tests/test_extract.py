"""extract_page on saved HTML (no browser): every corpus page and email, and small focused cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from onevoice.extract import PageFacts, css_color, extract_page, resolve_url

CORPUS_FILES = [
    "email-cerberus/cerberus-fluid.html",
    "email-cerberus/cerberus-hybrid.html",
    "email-cerberus/cerberus-responsive.html",
    "email-colorlib-elise/index.html",
    "email-mailgun-action/action.html",
    "email-sendgrid-paste-welcome/welcome.html",
    "email-sendwithus-narrative-welcome/welcome.html",
    "email-sendwithus-oxygen-welcome/welcome.html",
    "web-startbootstrap-agency/index.html",
    "web-startbootstrap-grayscale/index.html",
    "web-startbootstrap-landing-page/index.html",
    "web-tailwindtoolbox-landing-page/index.html",
]
BASE = "https://brand.example/campaign/"


def corpus_facts(corpus: Path, name: str) -> PageFacts:
    return extract_page((corpus / name).read_text(encoding="utf-8", errors="replace"), BASE + name)


def texts(facts: PageFacts, role: str | None = None, visible: bool | None = True) -> list[str]:
    return [
        block.text
        for block in facts.texts
        if (role is None or block.role == role) and (visible is None or block.visible == visible)
    ]


def test_the_corpus_list_is_complete(corpus):
    assert sorted(str(path.relative_to(corpus)) for path in corpus.glob("*/*.html")) == CORPUS_FILES


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_corpus_file_gives_clean_facts(corpus, name):
    facts = corpus_facts(corpus, name)

    assert texts(facts, visible=True), "a page always has visible text"
    for block in facts.texts:
        text = block.text  # as a reader sees it: no invisible characters, spaces collapsed and trimmed
        assert text and text == text.strip() and "  " not in text, repr(text)
        assert not set(text) & {"\xa0", "\u200b", "\u200c", "\u00ad", "\n", "\t"}, repr(text)
        assert block.box is None  # saved HTML has no layout
        assert block.selector
    for link in facts.links:
        assert link.raw_href is not None
        if link.raw_href.strip() and not link.raw_href.startswith(("http://", "https://", "javascript:", "mailto:")):
            assert link.href.startswith(BASE.rsplit("/", 2)[0]), link  # relative links are resolved
    for image in facts.images:
        assert image.kind in ("img", "svg", "background")
        assert image.src is None or image.kind == "svg" or ":" in image.src


def test_agency_page(corpus):
    facts = corpus_facts(corpus, "web-startbootstrap-agency/index.html")

    assert facts.meta.title == "Agency - Start Bootstrap Theme" and facts.meta.lang == "en"
    assert texts(facts, "title") == ["Agency - Start Bootstrap Theme"]
    assert "Welcome To Our Studio!" in texts(facts) and "It's Nice To Meet You" in texts(facts)
    assert {"Services", "Portfolio", "Our Amazing Team"} <= set(texts(facts, "heading"))
    assert {"Tell Me More", "Send Message"} <= set(texts(facts, "cta"))
    assert {"Services", "Contact"} <= set(texts(facts, "nav"))
    assert "Copyright © Your Website 2023" in texts(facts, "footer")
    footer_social = [link for link in facts.links if link.region == "footer" and not link.text]
    assert [link.hints for link in footer_social] == [
        ("Twitter", "fa-twitter"),
        ("Facebook", "fa-facebook-f"),
        ("LinkedIn", "fa-linkedin-in"),
    ]
    assert all(link.href == BASE + "web-startbootstrap-agency/index.html#!" for link in footer_social)
    logo = facts.images[0]
    assert logo.src == BASE + "web-startbootstrap-agency/assets/img/navbar-logo.svg"
    assert logo.region == "nav" and logo.logo_hint and "navbar-logo.svg" in logo.logo_hint
    # the portfolio modals are aria-hidden: kept, but not visible
    assert "Project Name" in texts(facts, "heading", visible=False)
    assert "Project Name" not in texts(facts, "heading", visible=True)


def test_landing_page_icon_class_hints(corpus):
    facts = corpus_facts(corpus, "web-startbootstrap-landing-page/index.html")

    assert texts(facts, "heading")[0] == "Generate more leads with a professional landing page!"
    icon_links = [link for link in facts.links if link.raw_href == "#!" and not link.text]
    assert [link.hints for link in icon_links] == [("bi-facebook",), ("bi-twitter",), ("bi-instagram",)]
    assert all(link.region == "footer" for link in icon_links)
    assert "Sign Up" in texts(facts, "cta")


def test_grayscale_icon_links_and_ctas(corpus):
    facts = corpus_facts(corpus, "web-startbootstrap-grayscale/index.html")

    assert texts(facts, "heading")[:1] == ["Grayscale"]
    assert {"Get Started", "Notify Me!"} <= set(texts(facts, "cta"))
    icon_hints = {hint for link in facts.links for hint in link.hints}
    assert {"fa-twitter", "fa-facebook-f", "fa-github"} <= icon_hints


def test_tailwind_inline_svg_logo_and_text_social_links(corpus):
    facts = corpus_facts(corpus, "web-tailwindtoolbox-landing-page/index.html")

    assert "Main Hero Message to sell yourself!" in texts(facts, "heading")
    logo = facts.images[0]
    assert logo.kind == "svg" and logo.src is None and logo.region == "nav"
    assert logo.logo_hint == "first image in the nav"
    assert sum(image.logo_hint == "first image in the nav" for image in facts.images) == 1
    social = {link.text: link for link in facts.links if link.text in ("Facebook", "Linkedin", "Twitter")}
    assert set(social) == {"Facebook", "Linkedin", "Twitter"}
    assert all(link.raw_href == "#" for link in social.values())


def test_narrative_email_platform_only_in_image_file_names(corpus):
    facts = corpus_facts(corpus, "email-sendwithus-narrative-welcome/welcome.html")

    icon_hints = [link.hints for link in facts.links if "social icon" in link.hints]
    assert [hints[1] for hints in icon_hints] == [
        "social_facebook.png",
        "social_twitter.png",
        "social_googleplus.png",
        "social_linkedin.png",
        "social_rss.png",
    ]
    logo = next(image for image in facts.images if image.logo_hint)
    assert logo.alt == "Your Logo"
    assert "Welcome to Awesome Co" in texts(facts, "heading") and "Activate!" in texts(facts, "cta")
    # "Contact Us | Facebook | Twitter | Support": a list of links is one block per link
    assert {"Contact Us", "Facebook", "Twitter", "Support"} <= set(texts(facts))


def test_oxygen_email_placeholder_hrefs_and_painted_buttons(corpus):
    facts = corpus_facts(corpus, "email-sendwithus-oxygen-welcome/welcome.html")

    assert {link.raw_href for link in facts.links} == {"", "http://"}
    assert all(link.href == link.raw_href for link in facts.links)  # nothing to resolve them to
    buttons = [link for link in facts.links if link.button]
    assert [link.text for link in buttons] == ["My Account", "View Now!", "View Now!"]
    assert {link.background for link in buttons} == {"#ff6f6f"}
    social = {link.hints[0] for link in facts.links if link.raw_href == "" and link.hints}
    assert {"twitter", "facebook", "rss", "logo"} <= social
    assert next(image for image in facts.images if image.logo_hint).alt == "logo"
    assert texts(facts, "cta") == ["My Account", "View Now!", "View Now!"]


def test_paste_email_logo_and_hidden_preheader(corpus):
    facts = corpus_facts(corpus, "email-sendgrid-paste-welcome/welcome.html")

    logo = next(image for image in facts.images if image.logo_hint)
    assert logo.src == BASE + "email-sendgrid-paste-welcome/img/paste-logo-light@2x.png"
    assert logo.link == "https://sendgrid.com" and logo.logo_hint == "alt 'Logo' says logo"
    preheader = [block for block in facts.texts if block.text.startswith("A preheader is the short summary")]
    assert len(preheader) == 1 and not preheader[0].visible
    assert texts(facts, "heading") == ["Welcome, Jason!"]
    assert texts(facts, "cta") == ["Do Something Sweet"]


def test_elise_email_preheader_nav_and_social_alts(corpus):
    facts = corpus_facts(corpus, "email-colorlib-elise/index.html")

    hidden = texts(facts, visible=False)
    assert hidden == ["Up to 50% off Selected Womens Items. Fashion your self this season."]
    assert texts(facts, "nav") == ["Home", "New", "Women", "Kids", "Blog"]
    social = [link for link in facts.links if link.hints[:1] in (("Twitter",), ("Facebook",), ("Instagram",))]
    assert [link.hints for link in social] == [
        ("Twitter", "004-twitter-logo.png"),
        ("Facebook", "005-facebook.png"),
        ("Instagram", "006-instagram-logo.png"),
    ]
    assert "Start Shopping" in texts(facts, "cta")


def test_mailgun_email_real_profile_link(corpus):
    facts = corpus_facts(corpus, "email-mailgun-action/action.html")

    twitter = next(link for link in facts.links if "twitter.com" in link.href)
    assert twitter.href == "http://twitter.com/mail_gun" and twitter.text == "@Mail_Gun"
    assert "Follow @Mail_Gun on Twitter." in texts(facts)
    assert facts.images == () and facts.meta.title == ""
    assert texts(facts, "title", visible=None) == []


def test_cerberus_preheader_and_bulletproof_buttons(corpus):
    facts = corpus_facts(corpus, "email-cerberus/cerberus-responsive.html")

    hidden = texts(facts, visible=False)
    assert len(hidden) == 1 and hidden[0].startswith("(Optional) This text will appear in the inbox preview")
    assert texts(facts, "cta") == ["Centered Primary Button", "Primary Button", "Primary Button"]
    assert texts(facts, "heading")[0] == "Praesent laoreet malesuada cursus."
    assert any(block.startswith("View as a Web Page Company Name") for block in texts(facts, "footer"))


def test_text_merges_across_inline_markup_and_splits_at_blocks():
    facts = extract_page(
        "<body><p>Save <b>20%</b>&nbsp;<i>today</i>\n  only</p><div>One<div>Two</div>Three</div>"
        "<h2>Big <span>deal</span><br>inside</h2></body>"
    )

    assert texts(facts) == ["Save 20% today only", "One", "Two", "Three", "Big deal inside"]
    assert facts.texts[0].selector == "body > p"
    assert facts.texts[-1].role == "heading" and facts.texts[-1].level == 2


def test_static_hidden_signs_and_mixed_runs():
    facts = extract_page(
        "<body><p hidden>a</p><p style='display: none !important'>b</p><p aria-hidden='true'>c</p>"
        "<p style='opacity:0'>d</p><noscript>e</noscript><template><p>f</p></template>"
        "<div style='max-height:0;overflow:hidden'>g</div><p>Menu <span class='sr-only'>(current)</span></p></body>"
    )

    assert texts(facts, visible=False) == ["a", "b", "c", "d", "e", "g", "(current)"]
    assert texts(facts, visible=True) == ["Menu"]


def test_ctas_regions_and_roles():
    facts = extract_page(
        """<body>
        <header><a href="/" class="logo-link"><img src="/img/mark.png" alt="Acme"></a></header>
        <nav><a href="/a">About</a></nav>
        <main>
          <div role="heading" aria-level="3">Role heading</div>
          <p>Read <a href="/terms">the terms</a> first</p>
          <a href="/go" role="button">Go</a>
          <table><tr><td bgcolor="#1a82e2"><a href="/buy" style="padding: 16px">Buy now</a></td></tr></table>
          <form><input type="submit" value="Send it"><button>Press</button></form>
        </main>
        <div class="site-footer"><nav><a href="/privacy">Privacy</a></nav></div>
        <div id="preheader">Not a header</div>
        </body>"""
    )

    roles = {block.text: (block.role, block.region) for block in facts.texts}
    assert roles["About"] == ("nav", "nav")
    assert roles["Role heading"] == ("heading", "main")
    assert roles["Read the terms first"] == ("body", "main")
    assert roles["Go"] == roles["Buy now"] == roles["Send it"] == roles["Press"] == ("cta", "main")
    assert roles["Privacy"] == ("footer", "footer")  # a footer owns the nav inside it
    assert roles["Not a header"] == ("body", None)  # "preheader" is not the word "header"
    links = {link.text: link for link in facts.links}
    assert links["Buy now"].button and links["Buy now"].background == "#1a82e2"
    assert not links["the terms"].button and not links["About"].button
    assert links["Go"].button


def test_link_hints_and_href_resolution():
    facts = extract_page(
        """<body>
        <a href="https://facebook.com/acme" aria-label="Acme on Facebook"><i class="fab fa-facebook fa-2x"></i></a>
        <a href="#!" title="Follow us"><svg><title>Instagram</title><use href="#icon-instagram"></use></svg></a>
        <a href="social/x.html"><img src="/icons/x-logo.svg?v=2" alt=""></a>
        <a href="">empty</a><a href="javascript:void(0)">js</a><a href="http://">bare</a><a href="#">hash</a>
        <area href="../map" alt="Map area">
        </body>""",
        base_url="https://brand.example/shop/page.html",
    )

    links = facts.links
    assert links[0].hints == ("Acme on Facebook", "fa-facebook")
    assert links[1].hints == ("Follow us", "Instagram", "icon-instagram")
    assert links[2].href == "https://brand.example/shop/social/x.html" and links[2].hints == ("x-logo.svg",)
    assert [(link.raw_href, link.href) for link in links[3:7]] == [
        ("", ""),
        ("javascript:void(0)", "javascript:void(0)"),
        ("http://", "http://"),
        ("#", "https://brand.example/shop/page.html"),
    ]
    assert links[7].href == "https://brand.example/map" and links[7].text == "Map area"


def test_base_tag_and_lazy_image_sources():
    facts = extract_page(
        '<head><base href="https://cdn.example/assets/"></head><body>'
        '<img data-src="lazy.png" alt="lazy"><img srcset="small.png 1x, big.png 2x" alt="set">'
        '<td style="background-image: url(\'bg.jpg\')">x</td></body>',
        base_url="https://brand.example/",
    )

    assert [image.src for image in facts.images] == [
        "https://cdn.example/assets/lazy.png",
        "https://cdn.example/assets/small.png",
        "https://cdn.example/assets/bg.jpg",
    ]
    assert facts.images[2].kind == "background"


def test_logo_hints_give_their_reason():
    facts = extract_page(
        """<html><head><title>Northwind | Home</title><meta property="og:site_name" content="Northwind"></head><body>
        <header><img src="/a.png" alt="Hero"><img src="/b.png" alt="Second"></header>
        <main><img src="/c.png" alt="Northwind"><a href="/"><img src="/d.png" alt="Home"></a>
        <img src="/e.png" class="brandmark"><img src="/f.png" alt="Product"></main></body></html>""",
        base_url="https://northwind.example/products/",
    )

    assert [image.logo_hint for image in facts.images] == [
        "first image in the header",
        None,
        "alt 'Northwind' is the site name",
        "links to the home page",
        "class 'brandmark' says logo",
        None,
    ]


def test_annotations_are_read_when_present():
    facts = extract_page(
        '<html data-onevoice-annotated="1"><body data-onevoice-box="0 0 800 600" data-onevoice-bg="#ffffff">'
        '<p data-onevoice-box="8 10 300 20" data-onevoice-color="#111111" data-onevoice-bg="#ffffff" '
        'data-onevoice-font="Inter" data-onevoice-font-size="16" data-onevoice-font-weight="700">Hello</p>'
        '<p data-onevoice-box="0 0 0 0" data-onevoice-display="none" data-onevoice-hidden="1">Gone</p>'
        '<p data-onevoice-box="0 0 0 0" data-onevoice-display="none" data-onevoice-hidden="1">Too</p>'
        '<div data-onevoice-box="0 40 800 50" data-onevoice-masked="1"><p>Cookie banner</p></div>'
        '<span data-onevoice-box="8 60 100 20" data-onevoice-display="block">Own line</span>'
        '<img src="x.png" data-onevoice-box="1 2 30 40" data-onevoice-broken="1" alt="">'
        "</body></html>"
    )

    hello = facts.texts[0]
    assert (hello.text, hello.box, hello.color, hello.font, hello.font_size, hello.font_weight) == (
        "Hello", (8.0, 10.0, 300.0, 20.0), "#111111", "Inter", 16.0, 700
    )  # fmt: skip
    assert [(block.text, block.visible) for block in facts.texts[1:]] == [
        ("Gone", False),
        ("Too", False),
        ("Own line", True),
    ]
    assert facts.images[0].box == (1.0, 2.0, 30.0, 40.0) and not facts.images[0].loaded


def test_meta_tags_and_json_ld_same_as():
    facts = extract_page(
        """<html lang="de"><head><title> Shop &amp; more </title>
        <meta name="description" content="Best  shop"><meta name="theme-color" content="#1F4FD8">
        <link rel="canonical" href="/shop"><meta property="og:title" content="OG title">
        <meta property="og:image" content="/og.png"><meta name="twitter:card" content="summary">
        <script type="application/ld+json">{"@graph": [{"@type": "Organization",
          "sameAs": ["https://x.com/shop", "https://www.linkedin.com/company/shop"]},
          {"@type": "WebSite", "publisher": {"sameAs": "https://facebook.com/shop"}}]}</script>
        <script type="application/ld+json">{not json</script>
        </head><body><p>x</p></body></html>""",
        base_url="https://shop.example/de/",
    )

    meta = facts.meta
    assert (meta.title, meta.description, meta.lang, meta.theme_color) == ("Shop & more", "Best shop", "de", "#1f4fd8")
    assert meta.canonical == "https://shop.example/shop"
    assert meta.og == {"title": "OG title", "image": "https://shop.example/og.png"}
    assert meta.twitter == {"card": "summary"}
    assert meta.same_as == ("https://x.com/shop", "https://www.linkedin.com/company/shop", "https://facebook.com/shop")


@pytest.mark.parametrize(
    "value, expected",
    [("#ABC", "#aabbcc"), ("#1f4fd8", "#1f4fd8"), ("rgb(31, 79, 216)", "#1f4fd8"), ("rgba(0, 0, 0, 0)", None),
     ("rgb(255 0 0 / 0.5)", "#ff0000"), ("White", "#ffffff"), ("transparent", None), ("", None)],
)  # fmt: skip
def test_css_color(value, expected):
    assert css_color(value) == expected


def test_resolve_url():
    assert resolve_url("  ", "https://a.example/") == ""
    assert resolve_url("//cdn.example/x.png", "https://a.example/") == "https://cdn.example/x.png"
    assert resolve_url("page", None) == "page"


def test_text_set_as_code_is_recorded_with_its_block():
    facts = extract_page(
        "<p>Use <code>{{first_name}}</code> to greet, <kbd>Ctrl</kbd> <kbd>C</kbd> to copy.</p>"
        "<pre>Hello ${name}\n  bye</pre><p>Hi {{first_name}}</p>"
    )
    assert [(block.text, block.code) for block in facts.texts] == [
        ("Use {{first_name}} to greet, Ctrl C to copy.", ("{{first_name}}", "Ctrl", "C")),
        ("Hello ${name} bye", ("Hello ${name} bye",)),
        ("Hi {{first_name}}", ()),
    ]


def test_short_texts_in_a_logos_place_carry_a_wordmark_hint_and_form_controls_are_marked():
    facts = extract_page(
        '<nav><a class="navbar-brand" href="index.html">Start Bootstrap</a><a href="about.html">About</a></nav>'
        '<header><a href="/">Acme</a></header><p id="site-logo">Acme Labs</p>'
        '<p class="brand-story">Our brand story is a long one, told over many words here.</p>'
        '<form><button>Sign up</button><input type="submit" value="Send"></form><a class="btn" href="/go">Go</a>',
        "https://acme.test/",
    )
    hints = {block.text: block.logo_hint for block in facts.texts}
    assert hints["Start Bootstrap"] == "class 'navbar-brand' says logo"
    assert hints["Acme"] == "links to the home page from the header"
    assert hints["Acme Labs"] == "id 'site-logo' says logo"
    assert hints["About"] is None and hints["Our brand story is a long one, told over many words here."] is None
    assert {block.text for block in facts.texts if block.control} == {"Sign up", "Send"}


def test_an_emails_masthead_and_footer_bands_are_its_header_and_footer():
    facts = extract_page(
        '<table><tr><td class="email-masthead" bgcolor="#1f4fd8"><a href="https://acme.test">Acme</a></td></tr>'
        '<tr><td class="body">Welcome aboard.</td></tr>'
        '<tr><td class="email-footer" bgcolor="#1f4fd8">Acme, 1 Harbour Road</td></tr></table>'
    )
    assert [(block.text, block.region, block.background) for block in facts.texts] == [
        ("Acme", "header", "#1f4fd8"), ("Welcome aboard.", None, None), ("Acme, 1 Harbour Road", "footer", "#1f4fd8")
    ]


def _cell(box: str, text: str, fill: str | None = None, colspan: bool = False) -> str:
    """A table cell of a hand-annotated email: its box, its fill (else the page's), its text."""
    bg = fill or "#ffffff"
    return (
        f'<td data-onevoice-box="{box}" data-onevoice-display="table-cell" data-onevoice-bg="{bg}"'
        f'{" bgcolor=" + repr(fill) if fill else ""}{" colspan=2" if colspan else ""}>'
        f'<p data-onevoice-box="{box}" data-onevoice-display="block" data-onevoice-bg="{bg}" '
        f'data-onevoice-color="#222222">{text}</p></td>'
    )


def test_filled_bands_at_an_emails_top_and_bottom_are_recorded_and_narrow_or_middle_ones_are_not():
    row = '<tr data-onevoice-box="{box}" data-onevoice-display="table-row" data-onevoice-bg="#ffffff">{cells}</tr>'
    rows = [
        row.format(box="200 0 600 60", cells=_cell("200 0 600 60", "Acme", "#c8102e", colspan=True)),
        row.format(box="200 60 600 40", cells=_cell("200 60 300 40", "Half", "#c8102e") + _cell("500 60 300 40", "Plain")),
        row.format(box="200 300 600 60", cells=_cell("200 300 600 60", "Welcome aboard", colspan=True)),
        row.format(box="200 400 600 60", cells=_cell("200 400 600 60", "Mid promo", "#c8102e", colspan=True)),
        row.format(box="200 740 600 60", cells=_cell("200 740 600 60", "Acme Inc, 1 Road", "#333399", colspan=True)),
    ]
    facts = extract_page(
        '<html data-onevoice-annotated="1"><body data-onevoice-box="0 0 1000 800" data-onevoice-bg="#ffffff">'
        '<table data-onevoice-box="200 0 600 800" data-onevoice-display="table" data-onevoice-bg="#ffffff">'
        f"{''.join(rows)}</table></body></html>"
    )

    assert {block.text: block.band for block in facts.texts} == {
        "Acme": "top",
        "Half": None,  # filled, at the top, but half the width
        "Plain": None,
        "Welcome aboard": None,
        "Mid promo": None,  # filled and full width, in the middle of the email, heading nothing
        "Acme Inc, 1 Road": "bottom",
    }


def test_a_filled_th_row_heads_its_table_and_a_bare_or_later_row_does_not():
    facts = extract_page(
        '<table><tr style="background:#c8102e"><th>Item</th><th>Price</th></tr>'
        '<tr><td>Tea</td><td bgcolor="#c8102e">2.00</td></tr></table>'
        "<table><tr><th>Bare</th></tr><tr><td>Row</td></tr></table>"
    )

    assert {block.text: block.band for block in facts.texts} == {
        "Item": "table-header", "Price": "table-header", "Tea": None, "2.00": None, "Bare": None, "Row": None
    }  # fmt: skip


def test_an_outline_button_is_transparent_and_a_filled_or_cell_painted_one_is_not():
    facts = extract_page(
        '<div style="background:#ff8800"><p>Our spring sale</p>'
        '<a class="button" href="/ghost" style="color:#1f4fd8">See more</a></div>'
        '<table><tr><td bgcolor="#1f4fd8"><a href="/cell" style="color:#ffffff">Buy now</a></td></tr></table>'
        '<a class="btn" href="/own" style="background:#1f4fd8">Start</a>'
        '<button>Plain button</button>'
    )

    links = {link.text: (link.button, link.transparent) for link in facts.links}
    assert links == {"See more": (True, True), "Buy now": (True, False), "Start": (True, False)}
    ctas = {block.text: block.transparent for block in facts.texts if block.role == "cta"}
    assert ctas == {"See more": True, "Buy now": False, "Start": False, "Plain button": True}


def test_a_button_painted_inside_a_filled_band_is_not_on_the_band():
    facts = extract_page(
        '<table><tr style="background:#c8102e"><th>Order <a href="/x" style="background:#1f4fd8">Track</a></th>'
        '<th>Price</th></tr><tr><td>Tea</td><td>2.00</td></tr></table>'
    )

    assert {link.text: link.band for link in facts.links} == {"Track": None}  # its own blue shows behind it
    assert [block.band for block in facts.texts if block.text == "Price"] == ["table-header"]
