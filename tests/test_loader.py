"""The journey loader: line-exact errors, ${VAR}s, paths, merging, discovery, JSON Schema (no browser)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import ClassVar

import jsonschema
import pytest
from PIL import Image
from pydantic import BaseModel, ConfigDict

from onevoice.loader import (
    JourneyLoadError,
    discover,
    expand_env,
    json_schema,
    load_brand,
    load_journey,
    load_journeys,
)
from onevoice.model import Brand
from onevoice.problems import LoadProblem
from onevoice.yamlsource import YamlSyntaxError, load_yaml

SPEC = Path(__file__).parent / "data" / "loader" / "spec"
ENV = {"RUN_ID": "run42"}


class SocialOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    required: tuple[str, ...] = ()


class FakeSocialCheck:
    """Social links: the brand's accounts on every touchpoint."""

    name: ClassVar[str] = "social"
    rules: ClassVar[dict[str, str]] = {"social.missing": "no link", "social.mismatch": "another account"}
    Options = SocialOptions

    def run(self, context):  # pragma: no cover - the loader never runs checks
        raise AssertionError


class BrandOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    logo_distance: int = 8


class FakeBrandCheck:
    """Logo, colours and fonts."""

    name: ClassVar[str] = "brand"
    rules: ClassVar[dict[str, str]] = {"brand.color": "off palette"}
    Options = BrandOptions

    def run(self, context):  # pragma: no cover
        raise AssertionError


CHECKS = {"social": FakeSocialCheck, "brand": FakeBrandCheck}


def write_image(folder: Path, name: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 20), "#1f4fd8").save(path)
    return path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(path: Path, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(JourneyLoadError) as caught:
        load_journey(path, path.name, environ=ENV if environ is None else environ, checks=CHECKS)
    assert str(caught.value) == "\n".join(str(problem) for problem in caught.value.problems)
    return [str(problem) for problem in caught.value.problems]


# ---------------------------------------------------------------- the SPEC example


def test_the_spec_example_loads_with_paths_urls_and_messages_resolved():
    loaded = load_journey(SPEC / "spring-sale.yaml", "journeys/spring-sale.yaml", environ=ENV, checks=CHECKS)

    assert loaded.name == "Spring sale, signup to welcome email"
    assert loaded.file == "journeys/spring-sale.yaml"
    assert loaded.slug == "spring-sale"
    assert loaded.journey.tags == ("nightly", "campaign")
    assert loaded.journey.base_url == "http://127.0.0.1:8765"
    assert loaded.urls == {
        "home-desktop": "http://127.0.0.1:8765/",
        "home-mobile": "http://127.0.0.1:8765/",
        "signup": "http://127.0.0.1:8765/signup",
    }
    signup, email = loaded.journey.touchpoints[2], loaded.journey.touchpoints[3]
    assert signup.steps[0].fill.value == "qa+run42@example.test"
    assert email.email.match.to == "qa+run42@example.test"
    assert loaded.journey.brand == str((SPEC / "brand.yaml").resolve())
    assert loaded.brand.name == "Northwind"
    assert loaded.brand.logo == tuple(str((SPEC / "brand" / name).resolve()) for name in ("logo.png", "logo-white.png"))
    assert all(Path(logo).is_file() for logo in loaded.brand.logo)
    # the brand's tagline is replaced by the journey's (which has `on:`), the offer is added
    assert [(m.id, m.on) for m in loaded.messages] == [
        ("tagline", ("home-desktop", "home-mobile", "welcome-email")),
        ("offer", None),
    ]
    assert loaded.journey.checks == {"social": {"required": ["facebook", "linkedin", "x", "instagram"]}, "brand": {"logo_distance": 10}}


def test_the_example_folder_holds_two_journeys_and_a_brand_profile_they_share():
    journeys, problems = load_journeys([str(SPEC)], environ=ENV, checks=CHECKS)
    assert problems == []
    assert [(j.slug, j.file) for j in journeys] == [
        ("spring-sale", f"{SPEC}/spring-sale.yaml"),
        ("welcome-file", f"{SPEC}/welcome-file.yaml"),
    ]
    email = journeys[1].journey.touchpoints[0].email
    assert email.path == str((SPEC / "emails" / "welcome.eml").resolve()) and Path(email.path).is_file()
    assert journeys[1].urls == {} and journeys[1].brand == journeys[0].brand


def test_a_journey_found_in_a_folder_is_not_read_again_to_tell_it_is_one(monkeypatch):
    import onevoice.loader as loader

    told: list[str] = []
    real = loader.is_journey_file
    monkeypatch.setattr(loader, "is_journey_file", lambda path, **kw: told.append(path.name) or real(path, **kw))
    journeys, _ = load_journeys([str(SPEC)], environ=ENV, checks=CHECKS)
    assert len(journeys) == 2
    assert sorted(told) == sorted(set(told))  # each file once: by the folder's search
    told.clear()
    load_journeys([str(SPEC / "spring-sale.yaml")], environ=ENV, checks=CHECKS)
    assert told == ["spring-sale.yaml"]  # a file named explicitly is read to tell a journey from a brand profile


def test_json_schema_accepts_the_spec_example_and_rejects_typos():
    schema = json_schema(CHECKS)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    journey = load_yaml((SPEC / "spring-sale.yaml").read_text()).data
    brand = load_yaml((SPEC / "brand.yaml").read_text()).data

    assert list(validator.iter_errors(journey)) == []
    assert list(validator.iter_errors(brand)) == []
    assert validator.is_valid({"name": "Inline logo", "logo": "logo.svg"})
    assert not validator.is_valid({**brand, "colour": {"primary": "#fff"}})
    assert not validator.is_valid({**journey, "checks": {"social": {"requird": ["x"]}}})
    assert schema["$defs"]["Journey"]["properties"]["checks"]["properties"]["social"]["description"].startswith("Social links")


# ---------------------------------------------------------------- ${VAR}


def test_expand_env_defaults_literals_and_undefined_variables():
    environ = {"HOST": "shop.example", "EMPTY": ""}
    assert expand_env("https://${HOST}/", environ) == "https://shop.example/"
    assert expand_env("${PORT:-8765}", environ) == "8765"
    assert expand_env("${EMPTY:-fallback}", environ) == "fallback"
    assert expand_env("${HOST:-ignored}", environ) == "shop.example"
    assert expand_env("${EMPTY}", environ) == ""
    assert expand_env("costs $$5, not ${HOST}$", environ) == "costs $5, not shop.example$"
    with pytest.raises(ValueError, match=r"MISSING is not set: set it, or give a default as \$\{MISSING:-value\}"):
        expand_env("qa+${MISSING}@example.test", environ)
    with pytest.raises(ValueError, match=r"write \$\$ for a literal \$"):
        expand_env("${not a name}", environ)


def test_undefined_variable_is_reported_at_its_line_and_nothing_more(tmp_path):
    path = write(
        tmp_path,
        "env.yaml",
        """
        name: Env
        base_url: ${SHOP_URL}
        touchpoints:
          - id: home
            url: /
          - id: promo
            url: ${PROMO_PATH:-/promo}
        """,
    )
    assert problems_of(path) == [
        "env.yaml:2: base_url: environment variable SHOP_URL is not set: set it, or give a default as ${SHOP_URL:-value}"
    ]
    loaded = load_journey(path, environ={"SHOP_URL": "http://127.0.0.1:9000/shop/"})
    assert loaded.urls == {"home": "http://127.0.0.1:9000/", "promo": "http://127.0.0.1:9000/promo"}


def test_run_id_is_set_once_per_call_unless_the_environment_gives_one(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        write(tmp_path, name, "name: N\nbase_url: http://127.0.0.1/\ntouchpoints:\n  - {id: signup, url: '/?u=qa+${RUN_ID}'}\n")
    journeys, problems = load_journeys([str(tmp_path)], environ={}, checks=CHECKS)
    assert problems == []
    first, second = (j.urls["signup"] for j in journeys)
    assert first == second and first.startswith("http://127.0.0.1/?u=qa+") and len(first) > len("http://127.0.0.1/?u=qa+")
    journeys, _ = load_journeys([str(tmp_path)], environ={"RUN_ID": "nightly-7"}, checks=CHECKS)
    assert journeys[0].urls["signup"] == "http://127.0.0.1/?u=qa+nightly-7"


# ---------------------------------------------------------------- errors at their lines


def test_every_problem_of_a_file_is_reported_at_its_line(tmp_path):
    write(tmp_path, "emails/welcome.eml", "Subject: hi\n\nhello\n")
    path = write(
        tmp_path,
        "broken.yaml",
        """
        name: Broken
        brand: missing-brand.yaml
        touchpoints:
          - id: home
            device: iPhone 99
            url: /
          - id: home
            device: Desktop Chrom
            url: https://shop.example/
          - id: offer
            follow: {touchpoint: later, link: Claim}
          - id: later
            channel: email
            email: {source: file, path: emails/missing.eml}
          - id: ok-email
            channel: email
            email: {source: file, path: emails/welcome.eml}
        messages:
          - id: tagline
            text: Hello
            on: [home, hom]
          - id: tagline
            text: Hello again
        checks:
          socail: true
          social: {requird: [x]}
        allow:
          - {rule: social.mising, touchpoint: nowhere, reason: known}
        """,
    )
    assert problems_of(path) == [
        "broken.yaml:2: brand: brand profile 'missing-brand.yaml' not found (looked for missing-brand.yaml; the path is relative to this journey)",
        "broken.yaml:5: touchpoints[0].device: unknown device 'iPhone 99' (did you mean 'iPhone X'?)",
        "broken.yaml:6: touchpoints[0].url: relative url '/' needs base_url at the top of the journey (or write an absolute URL)",
        "broken.yaml:7: touchpoints[1].id: duplicate touchpoint id 'home' (first at line 4); ids are unique in a journey",
        "broken.yaml:8: touchpoints[1].device: unknown device 'Desktop Chrom' (did you mean 'Desktop Chrome'?)",
        "broken.yaml:11: touchpoints[2].follow.touchpoint: 'later' comes later in the journey: follow opens a link captured by an EARLIER touchpoint",
        "broken.yaml:14: touchpoints[3].email.path: email file 'emails/missing.eml' not found (paths are relative to the file that names them)",
        "broken.yaml:21: messages[0].on[1]: unknown touchpoint 'hom' (did you mean 'home'?)",
        "broken.yaml:22: messages[1].id: duplicate message id 'tagline' (first at line 19)",
        "broken.yaml:25: checks.socail: unknown check 'socail' (did you mean 'social'?)",
        "broken.yaml:26: checks.social.requird: unknown key (did you mean 'required'?)",
        "broken.yaml:28: allow[0].touchpoint: unknown touchpoint 'nowhere' (touchpoints: home, later, offer, ok-email)",
        "broken.yaml:28: allow[0].rule: unknown rule 'social.mising' (did you mean 'social.missing'?)",
    ]


def test_schema_errors_name_the_key_and_the_fix(tmp_path):
    path = write(
        tmp_path,
        "shape.yaml",
        """
        name: Shapes
        base_url: http://127.0.0.1:8765
        brand:
          name: Inline
          colours: {primary: "#123456"}
          colors: {ink: blue}
        touchpoints:
          - id: Home Page
            channel: sms
            url: /
          - id: sized
            device: {width: 0}
            url: /
          - id: odd-device
            device: 5
            url: /
          - id: neither
            device: Desktop Chrome
          - url: /nameless
          - id: mail
            channel: email
            email: {source: imap, timeout: soon}
        tags: nightly
        """,
    )
    assert problems_of(path) == [
        "shape.yaml:5: brand.colours: unknown key (did you mean 'colors'?)",
        "shape.yaml:6: brand.colors.ink: 'blue': a colour is written #RRGGBB or #RGB",
        "shape.yaml:8: touchpoints[0].id: 'Home Page': an id uses only lowercase letters, digits and '-'",
        "shape.yaml:9: touchpoints[0].channel: 'sms' is not allowed (use one of: app, email, web)",
        "shape.yaml:12: touchpoints[1].device.width: Input should be greater than 0",
        "shape.yaml:15: touchpoints[2].device: expected a string or a mapping, got 5",
        "shape.yaml:17: touchpoints[3]: a web touchpoint needs exactly one of 'url' or 'follow'",
        "shape.yaml:19: touchpoints[4].id: required key missing",
        "shape.yaml:22: touchpoints[5].email.timeout: 'soon' is not a duration (write 30s, 2m or 500ms)",
        "shape.yaml:23: tags: expected a list, got 'nightly'",
    ]


def test_unknown_top_level_key_lists_the_allowed_keys_when_nothing_is_close(tmp_path):
    path = write(tmp_path, "keys.yaml", "name: K\nzzz: 1\ntouchpoints:\n  - {id: a, url: 'http://127.0.0.1/'}\n")
    (problem,) = problems_of(path)
    assert problem == "keys.yaml:2: zzz: unknown key (allowed: allow, base_url, brand, checks, image_text, messages, name, tags, touchpoints)"


def test_malformed_yaml_gives_the_parsers_line_and_column(tmp_path):
    path = write(tmp_path, "bad.yaml", "name: Bad\ntouchpoints:\n  - id: a\n    url: [/, \n")
    (problem,) = problems_of(path)
    assert problem.startswith("bad.yaml:5: malformed YAML: ")
    assert problem.endswith("(column 1)")
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml("name: a: b\n")
    assert (caught.value.line, caught.value.column, caught.value.message) == (1, 8, "mapping values are not allowed here")


def test_a_key_given_twice_and_a_file_that_is_not_a_mapping_are_errors(tmp_path):
    path = write(tmp_path, "twice.yaml", "name: A\ntouchpoints:\n  - {id: a, url: 'http://127.0.0.1/'}\nname: B\n")
    assert problems_of(path) == ["twice.yaml:4: name: key given twice (first at line 1); the last one would silently win"]
    listed = write(tmp_path, "list.yaml", "- a\n- b\n")
    assert problems_of(listed) == ["list.yaml:1: a journey is a YAML mapping of keys (name: ..., ...); this file holds a list"]


def test_brand_profile_problems_name_the_brand_file_and_line(tmp_path):
    write(tmp_path, "brands/acme/logo.png", "not really a png, but a file")
    write(
        tmp_path,
        "brands/acme/brand.yaml",
        """
        name: Acme
        logo: [logo.png, logo-dark.png]
        fonts: Inter
        """,
    )
    path = write(tmp_path, "journeys/acme.yaml", "name: A\nbrand: ../brands/acme/brand.yaml\ntouchpoints:\n  - {id: a, url: 'http://127.0.0.1/'}\n")
    with pytest.raises(JourneyLoadError) as caught:
        load_journey(path, "journeys/acme.yaml", environ=ENV, checks=CHECKS)
    assert [str(problem) for problem in caught.value.problems] == [
        "brands/acme/brand.yaml:2: logo[0]: logo file 'logo.png': not an image (no image format recognised in it); use a PNG, JPEG, GIF or WebP file",
        "brands/acme/brand.yaml:2: logo[1]: logo file 'logo-dark.png' not found (paths are relative to the file that names them)",
        "brands/acme/brand.yaml:3: fonts: expected a list, got 'Inter'",
    ]


def test_relative_paths_resolve_against_the_file_that_holds_them(tmp_path):
    write_image(tmp_path, "brands/acme/logo.png")
    write(tmp_path, "brands/acme/brand.yaml", "name: Acme\nlogo: logo.png\nmessages:\n  - {id: tagline, text: Old}\n  - {id: hours, text: Open 24/7}\n")
    write(tmp_path, "journeys/mail/welcome.html", "<p>Hello</p>")
    path = write(
        tmp_path,
        "journeys/acme.yaml",
        """
        name: Acme
        brand: ../brands/acme/brand.yaml
        base_url: http://127.0.0.1:8000/shop/
        touchpoints:
          - {id: offers, url: offers.html}
          - {id: root, url: /about}
          - {id: elsewhere, url: "https://other.example/x"}
          - {id: mail, channel: email, email: {source: file, path: mail/welcome.html}}
        messages:
          - {id: tagline, text: New}
        """,
    )
    loaded = load_journey(path, environ=ENV, checks=CHECKS)
    assert loaded.urls == {
        "offers": "http://127.0.0.1:8000/shop/offers.html",
        "root": "http://127.0.0.1:8000/about",
        "elsewhere": "https://other.example/x",
    }
    assert loaded.brand.logo == (str((tmp_path / "brands/acme/logo.png").resolve()),)
    assert loaded.journey.touchpoints[3].email.path == str((tmp_path / "journeys/mail/welcome.html").resolve())
    assert [(m.id, m.text) for m in loaded.messages] == [("tagline", "New"), ("hours", "Open 24/7")]


def test_an_inline_brand_is_checked_and_resolved_against_the_journey(tmp_path):
    write_image(tmp_path, "art/logo.png")
    text = "name: I\nbrand:\n  name: Inline\n  logo: [art/logo.png, art/nope.png]\ntouchpoints:\n  - {id: a, url: 'http://127.0.0.1/'}\n"
    path = write(tmp_path, "inline.yaml", text)
    assert problems_of(path) == [
        "inline.yaml:4: brand.logo[1]: logo file 'art/nope.png' not found (paths are relative to the file that names them)"
    ]
    path.write_text(text.replace(", art/nope.png", ""))
    loaded = load_journey(path, environ=ENV, checks=CHECKS)
    assert isinstance(loaded.brand, Brand) and loaded.brand is loaded.journey.brand
    assert loaded.brand.logo == (str((tmp_path / "art/logo.png").resolve()),)


# ---------------------------------------------------------------- discovery and many files


def test_discover_finds_journeys_recursively_and_skips_brand_profiles(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    journey = "name: J\ntouchpoints:\n  - {id: a, url: 'http://127.0.0.1/'}\n"
    write(tmp_path, "journeys/b.yaml", journey)
    write(tmp_path, "journeys/a/nested.yml", journey)
    write(tmp_path, "journeys/brand.yaml", "name: Brand\ncolors: {primary: '#123456'}\n")
    write(tmp_path, "journeys/broken.yaml", "name: [unclosed\n")
    write(tmp_path, "journeys/.hidden/skip.yaml", journey)
    write(tmp_path, "journeys/notes.txt", journey)
    write(tmp_path, "elsewhere/brand.yaml", "name: Other\n")

    assert discover([]) == discover(["journeys/"])
    assert [display for _, display in discover([])] == ["journeys/a/nested.yml", "journeys/b.yaml", "journeys/broken.yaml"]
    assert [display for _, display in discover(["journeys", "elsewhere/brand.yaml", "journeys/b.yaml"])] == [
        "journeys/a/nested.yml",
        "journeys/b.yaml",
        "journeys/broken.yaml",
        "elsewhere/brand.yaml",
    ]
    assert discover(["journeys/b.yaml"])[0][0] == (tmp_path / "journeys/b.yaml").resolve()
    with pytest.raises(JourneyLoadError, match="nowhere: no such file or folder"):
        discover(["nowhere"])


def test_load_journeys_reports_broken_files_without_hiding_the_others(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    journey = "name: J\ntouchpoints:\n  - {id: a, url: 'http://127.0.0.1/'}\n"
    write(tmp_path, "journeys/one/Spring Sale.yaml", journey)
    write(tmp_path, "journeys/two/spring-sale.yaml", journey)
    write(tmp_path, "journeys/three.yaml", journey.replace("id: a", "id: A"))
    write(tmp_path, "brands/brand.yaml", "name: B\nlogo: gone.png\n")

    journeys, problems = load_journeys(["journeys", "brands/brand.yaml", "missing"], environ=ENV, checks=CHECKS)

    assert [(j.file, j.slug) for j in journeys] == [
        ("journeys/one/Spring Sale.yaml", "spring-sale"),
        ("journeys/two/spring-sale.yaml", "spring-sale-2"),
    ]
    assert [str(problem) for problem in problems] == [
        "missing: no such file or folder",
        "journeys/three.yaml:3: touchpoints[0].id: 'A': an id uses only lowercase letters, digits and '-'",
        "brands/brand.yaml:2: logo: logo file 'gone.png' not found (paths are relative to the file that names them)",
    ]
    monkeypatch.chdir(tmp_path / "brands")
    assert [str(p) for p in load_journeys([], environ=ENV, checks=CHECKS)[1]] == [
        "journeys/: no such file or folder (give the journey files or folders to use)"
    ]


def test_a_named_brand_profile_is_validated_as_one(tmp_path):
    write_image(tmp_path, "logo.png")
    path = write(tmp_path, "brand.yaml", "name: Acme\nlogo: logo.png\ncolor_tolerance: 4\n")
    assert load_brand(path, environ=ENV).logo == (str((tmp_path / "logo.png").resolve()),)
    assert load_journeys([str(path)], environ=ENV, checks=CHECKS) == ([], [])


def test_load_problem_reads_as_file_line_path_message():
    assert str(LoadProblem("j.yaml", 14, "touchpoints[2].device", "unknown device")) == "j.yaml:14: touchpoints[2].device: unknown device"
    assert str(LoadProblem("j.yaml", 3, "", "malformed YAML")) == "j.yaml:3: malformed YAML"
    assert str(LoadProblem("missing", None, "", "no such file or folder")) == "missing: no such file or folder"


def test_image_text_is_the_journeys_unless_a_touchpoint_sets_its_own(tmp_path):
    path = write(
        tmp_path,
        "ocr.yaml",
        """
        name: N
        base_url: http://127.0.0.1/
        image_text: off
        touchpoints:
          - {id: home, url: /}
          - {id: promo, url: /promo, image_text: on}
        """,
    )
    loaded = load_journey(path, environ={}, checks=CHECKS)
    assert {tp.id: tp.image_text for tp in loaded.journey.touchpoints} == {"home": "off", "promo": "on"}
    default = write(tmp_path, "default.yaml", "name: N\nbase_url: http://127.0.0.1/\ntouchpoints:\n  - {id: home, url: /}\n")
    assert load_journey(default, environ={}, checks=CHECKS).journey.touchpoints[0].image_text == "auto"
    wrong = write(tmp_path, "wrong.yaml", "name: N\nbase_url: http://127.0.0.1/\nimage_text: maybe\ntouchpoints:\n  - {id: home, url: /}\n")
    (problem,) = problems_of(wrong)
    assert problem == "wrong.yaml:3: image_text: 'maybe' is not allowed (use one of: auto, off, on)"


def test_a_regex_that_does_not_compile_is_a_load_error_at_its_line(tmp_path):
    path = write(
        tmp_path,
        "j.yaml",
        """
        name: Patterns
        base_url: http://127.0.0.1:9/
        touchpoints:
          - {id: home, url: /}
          - id: mail
            channel: email
            email: {source: file, path: j.yaml, match: {subject: "/(welcome/"}}
          - {id: offer, follow: {touchpoint: home, link: "/offer[/"}}
          - {id: plain, follow: {touchpoint: home, link: "/offer/"}}
        """,
    )
    with pytest.raises(JourneyLoadError) as caught:
        load_journey(path, "j.yaml", environ=ENV, checks=CHECKS)
    assert [str(problem).split(" is not a valid")[0] for problem in caught.value.problems] == [
        "j.yaml:7: touchpoints[1].email.match.subject: /(welcome/",
        "j.yaml:8: touchpoints[2].follow.link: /offer[/",
    ]
