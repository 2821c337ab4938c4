"""Journey files in, ready-to-run journeys out (docs/journeys.md; errors as in docs/commands.md).

`load_journeys(paths)` finds journey files, expands `${VAR}`s, validates them with the models
of `onevoice.model` and the installed checks, loads their brand profiles, makes paths absolute
and resolves URLs. Every problem of every file comes back as `file:line: path: message`, one
broken file never hiding another. `json_schema()` is what `onevoice schema` prints.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from onevoice import defaults
from onevoice.baseline.store import BaselineError, baseline_path, is_baseline_file, read_baseline
from onevoice.capture.app.capture import hierarchy_problem, screenshot_problem
from onevoice.model import Baseline, Brand, Journey, LoadedJourney, Message, Touchpoint
from onevoice.problems import LoadProblem, ProblemsError, explain, read_mapping, suggestion
from onevoice.redact import ALWAYS_PUBLIC, Secrets, public_names, secrets_from
from onevoice.registry import Check, registered_checks
from onevoice.yamlsource import YamlSyntaxError, item_path, key_path, load_yaml, nearest_line

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

Checks = Mapping[str, type[Check]]


class JourneyLoadError(ProblemsError):
    """A journey (or brand profile) that cannot be loaded, with every problem found in it (its baseline's too)."""


# ---------------------------------------------------------------- environment variables

_REFERENCE = re.compile(r"\$(?:(?P<dollar>\$)|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}|(?P<bad>\{))")


def expand_env(text: str, environ: Mapping[str, str], used: dict[str, str] | None = None) -> str:
    """Expand `${VAR}` and `${VAR:-default}` (default when unset or empty); `$$` is a `$`.
    `used` collects the variables whose value came from `environ` (name -> value), not a default."""

    def replace(match: re.Match[str]) -> str:
        if match["dollar"]:
            return "$"
        if match["bad"]:
            raise ValueError(
                f"'${{' at '{text[match.start():match.start() + 20]}' is not ${{VAR}} or ${{VAR:-default}}; write $$ for a literal $"
            )
        name, default = match["name"], match["default"]
        value = environ.get(name)
        if default is not None and not value:
            return default
        if value is None:
            raise ValueError(f"environment variable {name} is not set: set it, or give a default as ${{{name}:-value}}")
        if used is not None:
            used[name] = value
        return value

    return _REFERENCE.sub(replace, text)


def environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables journeys expand: `environ` (default os.environ), plus a fresh RUN_ID unless set."""
    variables = dict(os.environ if environ is None else environ)
    if not variables.get("RUN_ID"):
        variables["RUN_ID"] = defaults.run_id()
    return variables


def _expand_tree(value: Any, path: str, environ: Mapping[str, str], report: _Report) -> Any:
    if isinstance(value, str):
        try:
            return expand_env(value, environ, report.from_environment)
        except ValueError as error:
            report.add(path, str(error))
            report.unexpanded.add(path)
            return value
    if isinstance(value, dict):
        return {key: _expand_tree(item, key_path(path, key), environ, report) for key, item in value.items()}
    if isinstance(value, list):
        return [_expand_tree(item, item_path(path, index), environ, report) for index, item in enumerate(value)]
    return value


# ---------------------------------------------------------------- problems and suggestions


@dataclass
class _Report:
    """Collects the problems of one file, placing each at its line."""

    file: str
    lines: dict[str, int]
    problems: list[LoadProblem]
    unexpanded: set[str] = field(default_factory=set)  # values whose ${VAR} failed: nothing more to say
    from_environment: dict[str, str] = field(default_factory=dict)  # ${VAR}s expanded from the environment
    public: frozenset[str] = ALWAYS_PUBLIC  # variables whose values may be shown

    def add(self, path: str, message: str) -> None:
        if path not in self.unexpanded:
            message = Secrets(secrets_from(self.from_environment, self.public)).text(message)
            self.problems.append(LoadProblem(self.file, nearest_line(self.lines, path), path, message))


def _validate(model: type[BaseModel], data: Any, report: _Report, prefix: str = "") -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for path, message in explain(error, data, model):
            report.add(key_path(prefix, path) if path else prefix, message)
        return None


# ---------------------------------------------------------------- files


def _mapping_document(path: Path, report: _Report, what: str) -> dict | None:
    document, problems = read_mapping(path, report.file, f"{what} is a YAML mapping of keys (name: ..., ...)")
    report.problems.extend(problems)
    if document is None:
        return None
    report.lines.update(document.lines)
    return document.data


def _display_beside(display: str, relative: str) -> str:
    """How to show `relative` (written in the file shown as `display`) to the user."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(Path(display).as_posix()), relative))


def _check_files(
    values: Any, path: str, folder: Path, what: str, report: _Report, problem: Callable[[Path], str | None] | None = None
) -> None:
    """Report each of `values` (a path or list of paths, relative to `folder`) that is not a file,
    or that `problem` finds unfit."""
    entries = [(path, values)] if isinstance(values, str) else [(item_path(path, i), v) for i, v in enumerate(values or ())]
    for entry_path, value in entries:
        if not isinstance(value, str):
            continue
        if not (folder / value).is_file():
            report.add(entry_path, f"{what} '{value}' not found (paths are relative to the file that names them)")
        elif problem is not None and (reason := problem(folder / value)):
            report.add(entry_path, f"{what} '{value}': {reason}")


def _logo_problem(file: Path) -> str | None:
    from onevoice.logohash import logo_file_problem  # imaging libraries load only when a brand names logos

    return logo_file_problem(file)


# ---------------------------------------------------------------- semantic checks


class _Lazy:
    """A value computed on first use (the device list starts Playwright's driver; checks import plugins)."""

    def __init__(self, given: Any, compute: Any) -> None:
        self._value, self._compute = given, compute

    def get(self) -> Any:
        if self._value is None:
            self._value = self._compute()
        return self._value



def _items(value: Any) -> list:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _check_touchpoints(data: dict, folder: Path, devices: _Lazy, report: _Report) -> None:
    touchpoints = [(index, _mapping(tp)) for index, tp in enumerate(_items(data.get("touchpoints")))]
    first_seen: dict[str, int] = {}
    base_url = data.get("base_url")
    if isinstance(base_url, str) and not urlsplit(base_url).scheme:
        report.add("base_url", f"'{base_url}' is not an absolute URL: write it with its scheme, e.g. http://127.0.0.1:8000/")
    for index, touchpoint in touchpoints:
        here = item_path("touchpoints", index)
        tp_id = touchpoint.get("id")
        if isinstance(tp_id, str):
            if tp_id in first_seen:
                line = nearest_line(report.lines, item_path("touchpoints", first_seen[tp_id]))
                report.add(key_path(here, "id"), f"duplicate touchpoint id '{tp_id}' (first at line {line}); ids are unique in a journey")
            else:
                first_seen[tp_id] = index
        device = touchpoint.get("device")
        if touchpoint.get("channel") == "app":
            _check_saved_screen(_mapping(touchpoint.get("app")), key_path(here, "app"), folder, report)
        elif isinstance(device, str) and device not in devices.get():
            report.add(
                key_path(here, "device"),
                f"unknown device '{device}'"
                + (suggestion(device, devices.get()) or " (use a Playwright device name such as 'Desktop Chrome', or {width: 1440, height: 900})"),
            )
        url = touchpoint.get("url")
        if isinstance(url, str) and not urlsplit(url).scheme and not base_url:
            report.add(key_path(here, "url"), f"relative url '{url}' needs base_url at the top of the journey (or write an absolute URL)")
        email = _mapping(touchpoint.get("email"))
        if email.get("source") == "file":
            _check_files(email.get("path"), key_path(here, "email.path"), folder, "email file", report)
    ids = [tp.get("id") for _, tp in touchpoints]
    for index, touchpoint in touchpoints:
        target = _mapping(touchpoint.get("follow")).get("touchpoint")
        if not isinstance(target, str):
            continue
        where = key_path(item_path("touchpoints", index), "follow.touchpoint")
        if target in ids[:index]:
            continue
        if target in ids:
            report.add(where, f"'{target}' comes later in the journey: follow opens a link captured by an EARLIER touchpoint")
        else:
            report.add(where, f"unknown touchpoint '{target}'" + suggestion(target, ids[:index], "earlier touchpoints"))


def _check_saved_screen(app: dict, path: str, folder: Path, report: _Report) -> None:
    """A saved app screen's files exist, the screenshot is an image and the hierarchy in a known format."""
    if app.get("source") != "files":
        return
    for key, what in (("screenshot", "screenshot"), ("hierarchy", "hierarchy file")):
        value = app.get(key)
        if not isinstance(value, str):
            continue
        file = folder / value
        if not file.is_file():
            report.add(key_path(path, key), f"{what} '{value}' not found (paths are relative to the file that names them)")
            continue
        problem = screenshot_problem(file) if key == "screenshot" else hierarchy_problem(file)
        if problem:
            report.add(key_path(path, key), f"{what} '{value}': {problem}")


def _touchpoint_ids(data: dict) -> list[str]:
    return [tp["id"] for tp in _items(data.get("touchpoints")) if isinstance(tp, dict) and isinstance(tp.get("id"), str)]


def _check_references(data: dict, report: _Report) -> None:
    """Message ids are unique; `messages[].on` and `allow[].touchpoint` name touchpoints of the journey."""
    ids = _touchpoint_ids(data)
    first_seen: dict[str, str] = {}
    for index, message in enumerate(_items(data.get("messages"))):
        here = item_path("messages", index)
        message = _mapping(message)
        message_id = message.get("id")
        if isinstance(message_id, str):
            if message_id in first_seen:
                line = nearest_line(report.lines, first_seen[message_id])
                report.add(key_path(here, "id"), f"duplicate message id '{message_id}' (first at line {line})")
            first_seen.setdefault(message_id, here)
        for position, target in enumerate(_items(message.get("on"))):
            if isinstance(target, str) and target not in ids:
                report.add(item_path(key_path(here, "on"), position), f"unknown touchpoint '{target}'" + suggestion(target, ids, "touchpoints"))
    for index, entry in enumerate(_items(data.get("allow"))):
        target = _mapping(entry).get("touchpoint")
        if isinstance(target, str) and target not in ids:
            report.add(key_path(item_path("allow", index), "touchpoint"), f"unknown touchpoint '{target}'" + suggestion(target, ids, "touchpoints"))


def _check_checks(data: dict, checks: _Lazy, report: _Report) -> None:
    """Check names are installed checks, their options pass the check's Options, allow rules exist."""
    for name, options in _mapping(data.get("checks")).items():
        here = key_path("checks", name)
        check = checks.get().get(name)
        if check is None:
            report.add(here, f"unknown check '{name}'" + suggestion(name, checks.get(), "installed checks"))
        elif isinstance(options, dict):
            _validate(check.Options, options, report, prefix=here)
    for index, entry in enumerate(_items(data.get("allow"))):
        rule = _mapping(entry).get("rule")
        if isinstance(rule, str):
            rules = {known for check in checks.get().values() for known in check.rules}
            if rule not in rules:
                report.add(key_path(item_path("allow", index), "rule"), f"unknown rule '{rule}'" + suggestion(rule, rules, "rules"))


# ---------------------------------------------------------------- brand profiles


def _brand_from_file(
    path: Path, display: str, environ: Mapping[str, str], problems: list[LoadProblem], used: dict[str, str] | None = None
) -> Brand | None:
    """`used` collects the variables the profile took from the environment (name -> value)."""
    report = _Report(display, {}, problems, from_environment={} if used is None else used, public=public_names(environ))
    data = _mapping_document(path, report, "a brand profile")
    if data is None:
        return None
    before = len(problems)
    data = _expand_tree(data, "", environ, report)
    brand = _validate(Brand, data, report)
    _check_files(data.get("logo"), "logo", path.parent, "logo file", report, _logo_problem)
    if brand is None or len(problems) > before:
        return None
    return _absolute_logos(brand, path.parent)


def _absolute_logos(brand: Brand, folder: Path) -> Brand:
    return brand.model_copy(update={"logo": tuple(str((folder / logo).resolve()) for logo in brand.logo)})


def load_brand(path: Path, file: str | None = None, *, environ: Mapping[str, str] | None = None) -> Brand:
    """A brand profile file, validated, its logo paths absolute; raises JourneyLoadError."""
    problems: list[LoadProblem] = []
    brand = _brand_from_file(path, file or str(path), environment(environ), problems)
    if brand is None:
        raise JourneyLoadError(problems)
    return brand


# ---------------------------------------------------------------- journeys


def _merged_messages(brand: Brand | None, journey: Journey) -> tuple[Message, ...]:
    by_id = {message.id: message for message in (brand.messages if brand else ())}
    by_id.update({message.id: message for message in journey.messages})
    return tuple(by_id.values())


def _resolved(journey: Journey, brand_file: Path | None, folder: Path, secrets: Secrets) -> Journey:
    """The journey with its brand file, email files and saved app screens as absolute paths,
    each touchpoint's `image_text` set (its own, else the journey's), and each field that a
    `fill` step types a secret into added to its touchpoint's `mask` (blacked out in screenshots)."""

    def absolute(source: Any, *keys: str) -> Any:
        given = {key: getattr(source, key) for key in keys if getattr(source, key) is not None}
        return source.model_copy(update={key: str((folder / value).resolve()) for key, value in given.items()})

    touchpoints = tuple(
        tp.model_copy(update={"email": absolute(tp.email, "path")})
        if tp.email is not None
        else tp.model_copy(update={"app": absolute(tp.app, "screenshot", "hierarchy")})
        if tp.app is not None
        else tp
        for tp in journey.touchpoints
    )
    touchpoints = tuple(tp.model_copy(update={"image_text": journey.image_text_of(tp)}) for tp in touchpoints)
    touchpoints = tuple(_masking_secret_fields(tp, secrets) for tp in touchpoints)
    brand: str | Brand | None = journey.brand
    if brand_file is not None:
        brand = str(brand_file)
    elif isinstance(brand, Brand):
        brand = _absolute_logos(brand, folder)
    return journey.model_copy(update={"touchpoints": touchpoints, "brand": brand})


def _masking_secret_fields(touchpoint: Touchpoint, secrets: Secrets) -> Touchpoint:
    typed = [step.fill.selector for step in touchpoint.steps if step.fill and secrets.text(step.fill.value) != step.fill.value]
    if not typed:
        return touchpoint
    return touchpoint.model_copy(update={"mask": tuple(dict.fromkeys((*touchpoint.mask, *typed)))})


def load_journey(
    path: Path,
    file: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    checks: Checks | None = None,
    devices: Collection[str] | None = None,
    slug: str | None = None,
) -> LoadedJourney:
    """Load and check one journey file; raises JourneyLoadError with every problem found.

    `file` is the path to show (default: `path`); `checks` default to the installed checks and
    `devices` to Playwright's device names, both looked up only when the journey needs them.
    """
    file = file or str(path)
    problems: list[LoadProblem] = []
    report = _Report(file, {}, problems)
    data = _mapping_document(path, report, "a journey")
    if data is None:
        raise JourneyLoadError(problems)
    variables = environment(environ)
    report.public = public_names(variables)
    data = _expand_tree(data, "", variables, report)
    journey = _validate(Journey, data, report)
    folder = path.parent
    _check_touchpoints(data, folder, _Lazy(devices, _device_names), report)
    _check_references(data, report)
    _check_checks(data, _Lazy(checks, registered_checks), report)
    brand_file, file_brand = None, None
    brand_value = data.get("brand")
    if isinstance(brand_value, str):
        brand_file = (folder / brand_value).resolve()
        brand_display = _display_beside(file, brand_value)
        if brand_file.is_file():
            file_brand = _brand_from_file(brand_file, brand_display, variables, problems, report.from_environment)
        else:
            report.add("brand", f"brand profile '{brand_value}' not found (looked for {brand_display}; the path is relative to this journey)")
    elif isinstance(brand_value, dict):
        _check_files(brand_value.get("logo"), "brand.logo", folder, "logo file", report, _logo_problem)
    baseline = _baseline_beside(path, file, problems)
    if problems or journey is None:
        raise JourneyLoadError(_in_reading_order(problems, file))
    secrets = secrets_from(report.from_environment, report.public)
    journey = _resolved(journey, brand_file, folder, Secrets(secrets))
    brand = journey.brand if isinstance(journey.brand, Brand) else file_brand
    base_url = journey.base_url or ""
    return LoadedJourney(
        journey=journey,
        brand=brand,
        file=file,
        path=path.resolve(),
        slug=slug or slugify(path.stem),
        messages=_merged_messages(brand, journey),
        urls={tp.id: urljoin(base_url, tp.url) for tp in journey.touchpoints if tp.url is not None},
        baseline=baseline,
        secrets=secrets,
    )


def _baseline_beside(path: Path, file: str, problems: list[LoadProblem]) -> Baseline | None:
    """The journey's baseline file (`x.yaml` -> `x.baseline.yaml`), when there is one."""
    beside = baseline_path(path)
    if not beside.is_file():
        return None
    display = baseline_path(Path(file)).as_posix()
    try:
        return read_baseline(beside, display)
    except BaselineError as error:
        problems.extend(error.problems)
        return None


def _device_names() -> Collection[str]:
    from onevoice.devices import playwright_devices

    return playwright_devices().keys()


def _in_reading_order(problems: list[LoadProblem], first_file: str) -> list[LoadProblem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda problem: (problem.file != first_file, problem.file, problem.line or 0))


def slugify(stem: str) -> str:
    """A file-system-safe name: lowercase letters, digits and '-'."""
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "journey"


# ---------------------------------------------------------------- discovery


_TOUCHPOINTS_KEY = re.compile(r"^touchpoints[ \t]*:", re.MULTILINE)


def is_journey_file(path: Path, *, unreadable_counts: bool = True) -> bool:
    """A YAML file whose top-level mapping has `touchpoints:`. One that cannot be read or parsed
    counts too, so that its error is reported rather than the file skipped; with
    `unreadable_counts=False` (YAML of other projects beside the journeys: a CI file, a Helm
    template) only when a line of it starts with `touchpoints:`. Baseline files never count:
    they are read with their journey."""
    if is_baseline_file(path):
        return False
    try:
        text = path.read_text(encoding="utf-8")
        data = load_yaml(text).data
    except (OSError, UnicodeDecodeError):
        return unreadable_counts
    except YamlSyntaxError:
        return unreadable_counts or _TOUCHPOINTS_KEY.search(text) is not None
    return isinstance(data, dict) and "touchpoints" in data


def _discover(paths: Sequence[str]) -> tuple[list[tuple[Path, str, bool]], list[LoadProblem]]:
    """The files of `discover`, each with whether it is already known to be a journey file (one
    found in a folder was read to tell; one named explicitly was not), and the paths not found."""
    found: dict[Path, tuple[str, bool]] = {}
    problems = []
    for given in paths or [defaults.JOURNEY_DIR + "/"]:
        root = Path(given)
        if root.is_file():
            found.setdefault(root.resolve(), (given, False))
        elif root.is_dir():
            for candidate in sorted(root.rglob("*")):
                relative = candidate.relative_to(root)
                if (
                    candidate.suffix.lower() in YAML_SUFFIXES
                    and candidate.is_file()
                    and not any(part.startswith(".") for part in relative.parts)
                    and is_journey_file(candidate)
                ):
                    found.setdefault(candidate.resolve(), (posixpath.join(given, relative.as_posix()), True))
        else:
            hint = "" if paths else " (give the journey files or folders to use)"
            problems.append(LoadProblem(given, None, "", f"no such file or folder{hint}"))
    return [(path, display, known) for path, (display, known) in found.items()], problems


def discover(paths: Sequence[str]) -> list[tuple[Path, str]]:
    """The journey files in `paths` (files and folders, recursive; default `journeys/`), in a stable
    order, each with its display path as given. Files named explicitly are always included."""
    found, problems = _discover(paths)
    if problems:
        raise JourneyLoadError(problems)
    return [(path, display) for path, display, _ in found]


def load_journeys(
    paths: Sequence[str],
    environ: Mapping[str, str] | None = None,
    *,
    checks: Checks | None = None,
    devices: Collection[str] | None = None,
) -> tuple[list[LoadedJourney], list[LoadProblem]]:
    """Every journey in `paths` that loads, and every problem of those that do not.

    A named file without `touchpoints:` is checked as a brand profile. All journeys of one call
    share one RUN_ID, and get slugs unique among them.
    """
    found, problems = _discover(paths)
    variables = environment(environ)
    journeys: list[LoadedJourney] = []
    slugs: set[str] = set()
    for path, file, journey in found:
        try:
            if journey or is_journey_file(path):
                slug = _unique(slugify(path.stem), slugs)
                journeys.append(load_journey(path, file, environ=variables, checks=checks, devices=devices, slug=slug))
            else:
                load_brand(path, file, environ=variables)
        except JourneyLoadError as error:
            problems.extend(problem for problem in error.problems if problem not in problems)
    return journeys, problems


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


# ---------------------------------------------------------------- JSON Schema


def json_schema(checks: Checks | None = None) -> dict:
    """One JSON Schema (draft 2020-12) for a journey file or a brand profile, for editors' YAML
    language servers; each installed check's options are described under `checks:`."""
    checks = registered_checks() if checks is None else checks
    _, top = models_json_schema([(Journey, "validation"), (Brand, "validation")], ref_template="#/$defs/{model}")
    definitions = top["$defs"]
    logo = definitions["Brand"]["properties"]["logo"]
    definitions["Brand"]["properties"]["logo"] = {
        "title": logo.get("title", "Logo"),
        "description": "a reference image, or a list of them (any one may match); relative to this file",
        "anyOf": [{"type": "string"}, {key: logo[key] for key in ("type", "items") if key in logo}],
    }
    check_properties = {}
    for name, check in sorted(checks.items()):
        options = check.Options.model_json_schema(ref_template="#/$defs/{model}")
        definitions.update(options.pop("$defs", {}))
        check_properties[name] = {
            "description": (check.__doc__ or f"the {name} check").strip().splitlines()[0] + " (false turns it off)",
            "anyOf": [{"type": "boolean"}, options],
        }
    if check_properties:
        definitions["Journey"]["properties"]["checks"]["properties"] = check_properties
    definitions["Journey"]["description"] = "A customer journey: touchpoints to capture and what must be the same on all of them."
    definitions["Brand"]["description"] = "A brand profile: logo, palette, fonts, social accounts and brand-wide messages."
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "onevoice journey or brand profile",
        "description": "A onevoice journey file (it has touchpoints) or a brand profile that journeys name.",
        "anyOf": [{"$ref": "#/$defs/Journey"}, {"$ref": "#/$defs/Brand"}],
        "$defs": definitions,
    }
