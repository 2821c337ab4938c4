"""The journey and brand-profile schema (docs/journeys.md).

These models describe what a user writes. `onevoice.loader` reads YAML into them,
keeps line numbers for errors and resolves paths, URLs and `${VAR}`s; the models
themselves only validate shapes, so `onevoice schema` can print them as JSON Schema.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from onevoice.colors import HEX_COLOR
from onevoice.patterns import TextPattern
from onevoice.redact import Secrets

Severity = Literal["error", "warning"]
ImageText = Literal["auto", "on", "off"]
IMAGE_TEXT_HELP = (
    "read text inside images (OCR): auto reads images large enough to carry words whose alt does not "
    "already hold their text, and app screens without a hierarchy; on reads every image; off none"
)
TOUCHPOINT_ID = r"^[a-z0-9-]+$"


class Strict(BaseModel):
    """A YAML mapping: unknown keys are errors, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Viewport(Strict):
    width: int = Field(gt=0, le=10000)
    height: int = Field(default=900, gt=0, le=100000)


Device = Union[str, Viewport]


class FillArgs(Strict):
    selector: str
    value: str


class PressArgs(Strict):
    selector: str | None = None
    key: str


class SelectArgs(Strict):
    selector: str
    value: str


LOCATOR = "~accessibility id, id=resource id, text=visible text, or an //xpath"
LOCATOR_PREFIXES = ("~", "id=", "text=", "/", "(")
WEB_ACTIONS = ("fill", "click", "press", "select", "hover", "scroll", "wait_for")
APP_ACTIONS = ("tap", "type", "swipe", "wait_for", "back")


class TypeArgs(Strict):
    target: str = Field(description=f"the field to type into: {LOCATOR}")
    value: str


class Step(Strict):
    """One action run before the capture; exactly one key is set.

    Web touchpoints take WEB_ACTIONS (Playwright selectors), app touchpoints APP_ACTIONS
    (Appium locators); `wait_for` is both. An app's `back` is written as the bare word.
    """

    fill: FillArgs | None = None
    click: str | None = None
    press: PressArgs | str | None = None
    select: SelectArgs | None = None
    hover: str | None = None
    scroll: str | None = Field(default=None, description="a selector to scroll into view, or 'bottom'")
    wait_for: str | None = Field(
        default=None, description=f"web: a Playwright selector, e.g. text=Check your inbox; app: {LOCATOR}"
    )
    tap: str | None = Field(default=None, description=f"app: what to tap, {LOCATOR}")
    type: TypeArgs | None = Field(default=None, description="app: type a value into a field")
    swipe: Literal["up", "down", "left", "right"] | None = Field(default=None, description="app: swipe the screen")
    back: Literal[True] | None = Field(default=None, description="app: the system back button (write `- back`)")

    @model_validator(mode="before")
    @classmethod
    def _bare_back(cls, data: object) -> object:
        return {"back": True} if data == "back" else data

    @model_validator(mode="after")
    def _exactly_one_action(self) -> Step:
        given = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(given) != 1:
            actions = ", ".join(type(self).model_fields)
            raise ValueError(f"a step has exactly one of {actions}; got {len(given)}")
        return self

    @property
    def action(self) -> str:
        return next(name for name in type(self).model_fields if getattr(self, name) is not None)


class EmailMatch(Strict):
    """Which message to use: each given field must match (case-insensitive substring, or /regex/)."""

    to: TextPattern | None = None
    from_: TextPattern | None = Field(default=None, alias="from")
    subject: TextPattern | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)




def parse_duration(value: str | float) -> float:
    """Seconds from `30`, `30s`, `1.5m`, `500ms`."""
    if isinstance(value, (int, float)):
        return float(value)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*", value)
    if not match:
        raise ValueError(f"'{value}' is not a duration (write 30s, 2m or 500ms)")
    number, unit = float(match.group(1)), match.group(2) or "s"
    return number * {"ms": 0.001, "s": 1, "m": 60, "min": 60}[unit]


def _checked_duration(value: str | float) -> str | float:
    parse_duration(value)
    return value


Duration = Annotated[
    str | float, Field(description="seconds, or a duration such as 30s, 2m, 500ms"), AfterValidator(_checked_duration)
]


class Waiting(Strict):
    """A source that waits for what it captures, up to `timeout`."""

    timeout: Duration = "30s"

    @property
    def timeout_seconds(self) -> float:
        return parse_duration(self.timeout)


class EmailSource(Waiting):
    source: Literal["smtp", "file", "imap", "http"]
    match: EmailMatch = EmailMatch()
    path: str | None = Field(default=None, description="file: an .eml or .html file, relative to the journey")
    url: str | None = Field(default=None, description="http: the Mailpit or MailDev base URL")
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = Field(default=None, repr=False)
    folder: str = "INBOX"
    ssl: bool | None = Field(default=None, description="imap: TLS from the start (default: when port is 993)")

    @model_validator(mode="after")
    def _source_fields(self) -> EmailSource:
        needed = {"file": ["path"], "http": ["url"], "imap": ["host", "user", "password"], "smtp": []}
        missing = [name for name in needed[self.source] if getattr(self, name) is None]
        if missing:
            raise ValueError(f"source '{self.source}' needs {', '.join(missing)}")
        return self


class Follow(Strict):
    touchpoint: str = Field(description="the id of an earlier touchpoint")
    link: TextPattern = Field(description="the link's text, or a pattern of its URL")


class AppSource(Waiting):
    """Where an app screen comes from: a live Appium session, or a screen saved by any tool."""

    source: Literal["appium", "files"]
    server: str = Field(default="http://127.0.0.1:4723", description="appium: the Appium server's URL")
    capabilities: dict[str, Any] = Field(
        default={}, description="appium: handed to the session as they are (UiAutomator2, XCUITest, a device cloud)"
    )
    screenshot: str | None = Field(default=None, description="files: a PNG or JPEG screenshot, relative to the journey")
    hierarchy: str | None = Field(
        default=None,
        description="files: its hierarchy (Appium or uiautomator XML, XCUITest XML, Maestro JSON); "
        "without it the text is read from the screenshot",
    )
    timeout: Duration = Field(default="30s", description="appium: how long a step waits for its target")

    @model_validator(mode="after")
    def _source_fields(self) -> AppSource:
        given = self.model_fields_set
        if self.source == "files":
            if self.screenshot is None:
                raise ValueError("source 'files' needs screenshot (and optionally hierarchy)")
            wrong = sorted(given & {"server", "capabilities", "timeout"})
        else:
            if not self.capabilities:
                raise ValueError("source 'appium' needs capabilities (at least platformName)")
            wrong = sorted(given & {"screenshot", "hierarchy"})
        if wrong:
            raise ValueError(f"source '{self.source}' takes no {', '.join(wrong)}")
        return self


class HttpCredentials(Strict):
    """HTTP authentication (Basic, Digest, NTLM) for a web touchpoint: Playwright's `http_credentials`."""

    username: str
    password: str = Field(repr=False, description="take it from the environment, e.g. ${STAGING_PASSWORD}; outputs never show it")
    origin: str | None = Field(
        default=None,
        description="the only origin (scheme://host[:port]) they are sent to; default the origin of `url`; needed with `follow`",
    )

    @field_validator("origin")
    @classmethod
    def _an_origin(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^/?#@\s]+/?", value):
            raise ValueError(f"origin '{value}' is not scheme://host[:port], e.g. https://staging.example.com")
        return value


class Touchpoint(Strict):
    id: str = Field(pattern=TOUCHPOINT_ID)
    channel: Literal["web", "email", "app"] = "web"
    device: Device | None = Field(
        default=None,
        description="a Playwright device name or {width, height}; web default Desktop Chrome, email default a "
        "600 px client; app: a label for reports (the device decides the size)",
    )
    url: str | None = None
    steps: tuple[Step, ...] = ()
    mask: tuple[str, ...] = ()
    email: EmailSource | None = None
    app: AppSource | None = None
    follow: Follow | None = None
    image_text: ImageText | None = Field(default=None, description="overrides the journey's image_text")
    http_credentials: HttpCredentials | None = Field(
        default=None, description="web: HTTP authentication instead of credentials written into the URL"
    )

    @model_validator(mode="after")
    def _channel_fields(self) -> Touchpoint:
        if self.channel != "email" and self.email is not None:
            raise ValueError("'email' is only for channel: email")
        if self.channel != "app" and self.app is not None:
            raise ValueError("'app' is only for channel: app")
        allowed = {"web": WEB_ACTIONS, "app": APP_ACTIONS}.get(self.channel, ())
        wrong = [step.action for step in self.steps if step.action not in allowed]
        if wrong and allowed:
            raise ValueError(f"'{wrong[0]}' is not a step for channel: {self.channel}; use {', '.join(allowed)}")
        if self.channel == "app":
            targets = [step.tap or step.wait_for or (step.type.target if step.type else None) for step in self.steps]
            bad = next((target for target in targets if target and not target.startswith(LOCATOR_PREFIXES)), None)
            if bad is not None:
                raise ValueError(f"'{bad}' is not a locator; write {LOCATOR}")
        if self.channel == "email":
            if self.email is None:
                raise ValueError("an email touchpoint needs 'email' (its source)")
            if self.url or self.follow or self.steps or self.http_credentials:
                raise ValueError("an email touchpoint takes no url, follow, steps or http_credentials")
        elif self.channel == "app":
            if self.app is None:
                raise ValueError("an app touchpoint needs 'app' (its source: appium or files)")
            if self.url or self.follow or self.mask or self.http_credentials:
                raise ValueError("an app touchpoint takes no url, follow, mask or http_credentials")
            if self.steps and self.app.source == "files":
                raise ValueError("a saved screen (source: files) takes no steps")
        elif (self.url is None) == (self.follow is None):
            raise ValueError("a web touchpoint needs exactly one of 'url' or 'follow'")
        elif self.follow and self.http_credentials and not self.http_credentials.origin:
            raise ValueError(
                "http_credentials of a followed link need 'origin': the link comes from captured content, "
                "so name the one origin the credentials may be sent to"
            )
        return self

    @property
    def device_label(self) -> str:
        if isinstance(self.device, Viewport):
            return f"{self.device.width}x{self.device.height}"
        if self.device:
            return self.device
        return {"web": "Desktop Chrome", "email": "Email 600px", "app": "App"}[self.channel]


class Message(Strict):
    id: str
    text: str = Field(min_length=1)
    on: tuple[str, ...] | None = Field(default=None, description="touchpoint ids; default every touchpoint")
    severity: Severity = "error"


class Allow(Strict):
    rule: str
    touchpoint: str | None = None
    subject: str | None = Field(default=None, description="message id, platform or element")
    reason: str = Field(min_length=1)


class Brand(Strict):
    name: str
    logo: tuple[str, ...] = Field(default=(), description="reference images; any one may match")
    colors: dict[str, Annotated[str, Field(pattern=HEX_COLOR)]] = {}
    color_tolerance: float = Field(default=6, ge=0)
    fonts: tuple[str, ...] = ()
    social: dict[str, str] = {}
    messages: tuple[Message, ...] = ()
    forbidden: tuple[str, ...] = ()

    @field_validator("logo", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


CheckOptions = Union[bool, dict]


class Journey(Strict):
    name: str
    brand: str | Brand | None = Field(default=None, description="a brand profile file, or an inline mapping")
    base_url: str | None = None
    tags: tuple[str, ...] = ()
    touchpoints: tuple[Touchpoint, ...] = Field(min_length=1)
    messages: tuple[Message, ...] = ()
    checks: dict[str, CheckOptions] = {}
    allow: tuple[Allow, ...] = ()
    image_text: ImageText = Field(default="auto", description=IMAGE_TEXT_HELP)

    def image_text_of(self, touchpoint: Touchpoint) -> ImageText:
        """The touchpoint's own `image_text`, else the journey's."""
        return touchpoint.image_text or self.image_text


class AcceptedFinding(Strict):
    """A finding of a baseline file: its identity (rule, touchpoints, subject) and what it said then."""

    check: str
    rule: str
    severity: Severity = "error"
    touchpoints: tuple[str, ...] = Field(min_length=1)
    subject: str
    message: str = ""
    reason: str | None = Field(default=None, description="why it is accepted (default: it is in the baseline)")


class Baseline(Strict):
    """A journey's baseline file (`<journey>.baseline.yaml`), written by `onevoice approve`: the
    accepted findings, and the facts seen then (matrix id -> row -> touchpoint -> value)."""

    journey: str | None = Field(default=None, description="the journey's name, for people")
    findings: tuple[AcceptedFinding, ...] = ()
    facts: dict[str, dict[str, dict[str, str]]] = {}


class LoadedJourney(BaseModel):
    """A journey ready to run: brand loaded, paths absolute, URLs resolved, messages merged."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    journey: Journey
    brand: Brand | None
    file: str = Field(description="the path as given on the command line")
    path: Path
    slug: str = Field(description="a file-system-safe name, unique in the run")
    messages: tuple[Message, ...] = Field(description="brand and journey messages merged by id")
    urls: dict[str, str] = Field(description="touchpoint id -> absolute URL, for web touchpoints with url")
    baseline: Baseline | None = Field(default=None, description="the baseline file beside the journey, when there is one")
    secrets: dict[str, str] = Field(
        default={}, repr=False, description="variable -> value, for ${VAR}s taken from the environment that outputs hide"
    )

    @property
    def name(self) -> str:
        return self.journey.name

    @property
    def shown_name(self) -> str:
        """The name as people see it (console, pytest ids): environment values in it hidden."""
        return Secrets(self.secrets).text(self.journey.name)
