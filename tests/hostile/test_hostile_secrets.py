"""Hostile suite: secrets stay out of outputs (issue: untrusted content stays inert).

Values a journey takes from the environment (`${VAR}`) are shown as `${VAR}` in findings.json,
junit.xml, the report and the console, also percent-encoded inside URLs; HTTP authentication
has its own place (`http_credentials`); a field a secret is typed into, and every password
field, is blacked out in the screenshot."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from PIL import Image as PILImage

from onevoice.cli import main
from onevoice.loader import JourneyLoadError, load_journey
from onevoice.redact import Secrets, public_names, secrets_from
from static_server import PageHandler, serve_handler

pytestmark = pytest.mark.hostile
pytest_plugins = ["pytester"]

PASSWORD = "Tr0ub4dor-3xyz"
TOKEN = "tok en/+&é!*"
USER = "qa-nightly"


def test_values_are_found_as_written_and_percent_encoded():
    secrets = Secrets({"PASSWORD": PASSWORD, "TOKEN": TOKEN})
    assert secrets.text(f"https://{USER}:{PASSWORD}@host/") == f"https://{USER}:${{PASSWORD}}@host/"
    assert secrets.text("/result?token=tok+en%2F%2B%26%C3%A9%21*&x=1") == "/result?token=${TOKEN}&x=1"
    assert secrets.text("q=tok%20en%2F%2B%26%C3%A9%21%2A") == "q=${TOKEN}"
    assert PASSWORD not in repr(secrets) and "PASSWORD" in repr(secrets)


def test_a_longer_value_is_replaced_whole_and_models_are_walked():
    from onevoice.facts import Capture

    secrets = Secrets({"SHORT": "abcd", "LONG": "abcdef"})
    capture = Capture(touchpoint="t", channel="web", device="Desktop Chrome", url="https://h/abcdef", error="abcd abcdef")
    redacted = secrets.redact(capture)
    assert (redacted.url, redacted.error) == ("https://h/${LONG}", "${SHORT} ${LONG}")
    assert Secrets().redact(capture) is capture


def test_a_placeholder_put_in_is_never_searched_again():
    secrets = Secrets({"API_TOKEN": "s3cr3t-value", "X": "TOKEN"})  # the second is a word of the first's name
    assert secrets.text("key s3cr3t-value, TOKEN") == "key ${API_TOKEN}, ${X}"


def test_run_id_listed_public_variables_and_short_values_are_shown():
    public = public_names({"ONEVOICE_PUBLIC_VARS": "STAGING_URL, DEMO_URL"})
    assert public == {"RUN_ID", "STAGING_URL", "DEMO_URL"}
    used = {"RUN_ID": "20261130-abc", "STAGING_URL": "https://staging.test/", "FLAG": "on", "KEY": "k3y-value"}
    assert secrets_from(used, public) == {"KEY": "k3y-value"}


def journey_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "journey.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_loader_records_the_values_taken_from_the_environment(tmp_path):
    path = journey_file(
        tmp_path,
        "name: Staging ${REGION}\n"
        "base_url: ${BASE:-http://127.0.0.1:9/}\n"
        "touchpoints:\n"
        "  - id: login\n"
        "    url: /login\n"
        "    http_credentials: {username: '${USER_NAME}', password: '${PASSWORD}'}\n"
        "    mask: ['.chat']\n"
        "    steps:\n"
        "      - fill: {selector: '#token', value: 'x-${TOKEN}'}\n"
        "      - fill: {selector: '#email', value: 'qa+${RUN_ID}@example.test'}\n",
    )
    environ = {"PASSWORD": PASSWORD, "TOKEN": TOKEN, "USER_NAME": USER, "REGION": "eu-west", "RUN_ID": "run-12345"}
    journey = load_journey(path, environ=environ, devices={"Desktop Chrome"}, checks={})
    assert journey.secrets == {"PASSWORD": PASSWORD, "TOKEN": TOKEN, "USER_NAME": USER, "REGION": "eu-west"}
    [touchpoint] = journey.journey.touchpoints
    assert touchpoint.http_credentials.password == PASSWORD and PASSWORD not in repr(touchpoint.http_credentials)
    assert touchpoint.mask == (".chat", "#token")  # the field a secret is typed into is blacked out


def test_load_errors_show_no_secret(tmp_path):
    path = journey_file(
        tmp_path, "name: x\ntouchpoints:\n  - {id: home, url: 'http://127.0.0.1:9/', device: '${PHONE}'}\n"
    )
    with pytest.raises(JourneyLoadError) as error:
        load_journey(path, environ={"PHONE": "Secret Phone 99"}, devices={"Desktop Chrome"}, checks={})
    assert "Secret Phone" not in str(error.value) and "unknown device '${PHONE}'" in str(error.value)


@pytest.mark.parametrize(
    ("credentials", "problem"),
    [
        ("{username: u, password: p, origin: 'https://a.test/path'}", r"is not scheme://host\[:port\]"),
        ("{username: u}", "password: required key missing"),
    ],
)
def test_http_credentials_are_validated(tmp_path, credentials, problem):
    path = journey_file(tmp_path, f"name: x\ntouchpoints:\n  - {{id: home, url: 'http://127.0.0.1:9/', http_credentials: {credentials}}}\n")
    with pytest.raises(JourneyLoadError, match=problem):
        load_journey(path, environ={}, devices={"Desktop Chrome"}, checks={})


def test_credentials_on_a_followed_link_need_an_origin(tmp_path):
    path = journey_file(
        tmp_path,
        "name: x\ntouchpoints:\n  - {id: home, url: 'http://127.0.0.1:9/'}\n"
        "  - {id: next, follow: {touchpoint: home, link: Next}, http_credentials: {username: u, password: p}}\n",
    )
    with pytest.raises(JourneyLoadError, match="need 'origin'"):
        load_journey(path, environ={}, devices={"Desktop Chrome"}, checks={})


FORM_PAGE = """<!doctype html><html><head><title>Login</title>
<style>body {{ margin: 0; }} input {{ position: absolute; left: 20px; width: 200px; height: 40px;
  font-size: 24px; background: #ffffff; color: #d00000; border: 0; }}</style></head>
<body><h1 style="margin-top: 200px">Welcome {who}</h1>
<form action="/result" method="get">
  <input id="token" name="token" type="text" style="top: 20px">
  <input id="secret" type="password" value="prefilled" style="top: 80px">
  <button type="submit" style="margin-top: 20px">Send</button>
</form></body></html>"""


class _Site(PageHandler):
    """/private.html answers only with Basic authentication; /form.html has a GET form."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.path.startswith("/private.html") and self.headers.get("Authorization") != expected:
            self.answer(401, b"<h1>Who are you?</h1>", {"WWW-Authenticate": 'Basic realm="staging"'})
        elif self.path.startswith(("/private.html", "/form.html")):
            self.answer(200, FORM_PAGE.format(who="back").encode())
        elif self.path.startswith("/result"):
            self.answer(200, b"<h1>Thanks</h1>")
        else:
            self.answer(404, b"<h1>Not here</h1>")


@pytest.fixture
def site():
    with serve_handler(_Site) as url:
        yield url.rstrip("/")


def spellings_of_secrets() -> list[str]:
    from urllib.parse import quote, quote_plus

    return [PASSWORD, TOKEN, quote_plus(TOKEN), quote(TOKEN, safe=""), quote_plus(TOKEN, safe="*"), USER]


@pytest.mark.browser
def test_no_output_shows_a_secret(tmp_path, site, monkeypatch, capsys):
    monkeypatch.setenv("RUN_ID", "hostile-secrets")
    monkeypatch.setenv("STAGING_PASSWORD", PASSWORD)
    monkeypatch.setenv("STAGING_USER", USER)
    monkeypatch.setenv("SITE_TOKEN", TOKEN)
    port = site.rsplit(":", 1)[1]
    journey = journey_file(
        tmp_path,
        f"""name: Staging login
base_url: {site}/
checks: {{brand: false, social: false}}
messages:
  - {{id: greeting, text: "Hello ${{STAGING_USER}}, your code is ${{SITE_TOKEN}}", on: [authenticated]}}
touchpoints:
  - id: authenticated
    url: private.html
    http_credentials: {{username: "${{STAGING_USER}}", password: "${{STAGING_PASSWORD}}"}}
  - id: in-the-url
    url: "http://${{STAGING_USER}}:${{STAGING_PASSWORD}}@127.0.0.1:{port}/private.html"
  - id: form-query
    url: form.html
    steps:
      - fill: {{selector: "#token", value: "${{SITE_TOKEN}}"}}
      - click: "button[type=submit]"
      - wait_for: "text=Thanks"
  - id: typed
    url: form.html
    steps:
      - fill: {{selector: "#token", value: "${{SITE_TOKEN}}"}}
  - id: unreachable
    url: "http://127.0.0.1:9/login?user=${{STAGING_USER}}&password=${{STAGING_PASSWORD}}"
""",
    )
    report = tmp_path / "report"

    assert main(["run", str(journey), "--report", str(report), "--retries", "0", "--timeout", "15"]) in (1, 3)

    out = capsys.readouterr()
    outputs = {
        "findings.json": (report / "findings.json").read_text(encoding="utf-8"),
        "junit.xml": (report / "junit.xml").read_text(encoding="utf-8"),
        "index.html": (report / "index.html").read_text(encoding="utf-8"),
        "console": out.out + out.err,
    }
    for name, text in outputs.items():
        for spelling in spellings_of_secrets():
            assert spelling not in text, f"{name} shows {spelling!r}"
    document = json.loads(outputs["findings.json"])
    [result] = document["journeys"]
    touchpoints = {tp["id"]: tp for tp in result["touchpoints"]}
    assert touchpoints["authenticated"]["error"] is None  # http_credentials authenticated the page
    assert touchpoints["form-query"]["url"].endswith("/result?token=${SITE_TOKEN}")
    assert "${STAGING_PASSWORD}" in touchpoints["unreachable"]["error"]
    [greeting] = [f for f in result["findings"] if f["rule"] == "messaging.missing" and f["touchpoints"] == ["authenticated"]]
    assert "${STAGING_USER}" in json.dumps(greeting) and "${SITE_TOKEN}" in json.dumps(greeting)
    assert "${STAGING_PASSWORD}" in outputs["console"] and "${SITE_TOKEN}" in outputs["index.html"]

    with PILImage.open(report / touchpoints["typed"]["screenshot"]) as screenshot:
        rgb = screenshot.convert("RGB")
        typed_field = [rgb.getpixel((x, y)) for x in range(24, 216, 8) for y in range(24, 56, 4)]
        password_field = [rgb.getpixel((x, y)) for x in range(24, 216, 8) for y in range(84, 116, 4)]
        beside = rgb.getpixel((260, 40))
    assert set(typed_field) == {(0, 0, 0)} and set(password_field) == {(0, 0, 0)}
    assert beside == (255, 255, 255)  # only the fields are blacked out


def test_validate_and_pytest_show_a_journey_name_without_its_secret(tmp_path, pytester, monkeypatch, capsys):
    monkeypatch.setenv("CUSTOMER", "Acme Secret Customer")
    path = journey_file(tmp_path, "name: Nightly for ${CUSTOMER}\ntouchpoints:\n  - {id: home, url: 'http://127.0.0.1:9/'}\n")
    assert main(["validate", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "Nightly for ${CUSTOMER}" in shown and "Acme" not in shown
    collected = pytester.runpytest_inprocess(str(path), "--collect-only", "-q")
    assert "Nightly for ${CUSTOMER}" in collected.stdout.str() and "Acme" not in collected.stdout.str()


def test_a_baseline_written_from_redacted_outputs_still_matches(tmp_path):
    """Approved findings and facts hold `${VAR}`; the next run with the same secret is unchanged."""
    from onevoice.baseline.store import facts_of
    from onevoice.facts import Capture
    from onevoice.findings import Cell, CheckResult, Finding, Matrix
    from onevoice.judge import judge
    from onevoice.model import AcceptedFinding, Baseline
    from onevoice.registry import NoOptions

    class Greeting:
        """Says what the page greets."""

        name = "greeting"
        rules = {"greeting.odd": "the page greets someone"}
        Options = NoOptions

        def run(self, context) -> CheckResult:
            text = f"Hello {TOKEN}"
            finding = Finding(check="greeting", rule="greeting.odd", severity="error", touchpoints=("home",), subject=text, message=text)
            cells = {"greeting": {"home": Cell(status="ok", value=text)}}
            return CheckResult(findings=(finding,), matrices=(Matrix(id="greeting", title="Greeting", rows=("greeting",), columns=("home",), cells=cells),))

    path = journey_file(tmp_path, "name: x\ntouchpoints:\n  - {id: home, url: 'http://127.0.0.1:9/${PAGE_TOKEN}'}\n")
    journey = load_journey(path, environ={"PAGE_TOKEN": TOKEN}, devices={"Desktop Chrome"}, checks={"greeting": Greeting})
    shown = Secrets(journey.secrets).text(f"Hello {TOKEN}")
    assert shown == "Hello ${PAGE_TOKEN}"
    cells = {"greeting": {"home": Cell(status="ok", value=shown)}}
    baseline = Baseline(
        findings=(AcceptedFinding(check="greeting", rule="greeting.odd", touchpoints=("home",), subject=shown, message=shown),),
        facts=facts_of([Matrix(id="greeting", title="Greeting", rows=("greeting",), columns=("home",), cells=cells)]),
    )
    journey = journey.model_copy(update={"baseline": baseline})
    capture = Capture(touchpoint="home", channel="web", device="Desktop Chrome", url="http://127.0.0.1:9/")
    judgement = judge(journey, {"home": capture}, tmp_path, checks={"greeting": Greeting})
    assert [finding.state for finding in judgement.findings] == ["accepted"] and judgement.changes == ()
