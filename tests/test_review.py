"""`onevoice review` on a real demo report: loopback only, token-guarded POSTs that write the same
baseline file as `onevoice approve`, and Accept buttons that work in Chromium under the page's CSP."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from demo_runs import DemoWorkspace, card_ids, findings_json

from onevoice.cli import main
from onevoice.baseline.review import TOKEN_HEADER, ReviewServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def workspace(repo_root: Path, tmp_path_factory) -> DemoWorkspace:
    workspace = DemoWorkspace(repo_root, tmp_path_factory.mktemp("review"))
    workspace.run("nightly")
    return workspace


@pytest.fixture
def server(workspace):
    workspace.baseline.unlink(missing_ok=True)
    with ReviewServer(workspace.reports / "nightly") as running:
        yield running


def request(server: ReviewServer, method: str, path: str, body: dict | None = None, **headers: str):
    """(status, headers, body) of one request to the review server, headers exactly as given."""
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    data = json.dumps(body).encode() if body is not None else None
    sent = {"Host": address.netloc, **({"Content-Type": "application/json"} if data else {}), **headers}
    connection.request(method, path, body=data, headers=sent)
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


def new_ids(workspace: DemoWorkspace) -> list[str]:
    return sorted(f["id"] for f in findings_json(workspace.reports / "nightly")["findings"] if f["state"] == "new")


def test_it_listens_on_loopback_and_serves_the_page_with_a_token_and_connect_self(server):
    assert urlsplit(server.url).hostname == "127.0.0.1"
    status, headers, body = request(server, "GET", "/")
    page = BeautifulSoup(body, "html.parser")
    assert status == 200 and page.find("meta", attrs={"name": "onevoice-review"})["content"] == server.token
    policy = headers["Content-Security-Policy"]
    assert "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"] + "; frame-ancestors 'none'" == policy
    assert request(server, "GET", "/findings.json")[0] == 200
    assert request(server, "GET", "/screens/")[0] == 404  # no folder listings
    assert request(server, "GET", "/../../etc/passwd")[0] == 404
    assert request(server, "GET", "/", Host="attacker.example:80")[0] == 403  # DNS rebinding


def test_accepting_needs_the_token_and_the_own_origin(server, workspace):
    finding = new_ids(workspace)[0]
    assert request(server, "POST", "/accept", {"finding": finding})[0] == 403
    assert request(server, "POST", "/accept", {"finding": finding}, **{TOKEN_HEADER: "guess"})[0] == 403
    cross = {TOKEN_HEADER: server.token, "Origin": "http://attacker.example"}
    assert request(server, "POST", "/accept", {"finding": finding}, **cross)[0] == 403
    assert request(server, "POST", "/accept", {"finding": finding}, Host="attacker.example", **{TOKEN_HEADER: server.token})[0] == 403
    assert not workspace.baseline.exists()
    status, _, body = request(server, "POST", "/accept", {"finding": "0000000000"}, **{TOKEN_HEADER: server.token})
    assert status == 409 and "no finding 0000000000" in json.loads(body)["error"]


def test_accepting_one_finding_writes_what_approve_writes(server, workspace):
    finding = new_ids(workspace)[0]
    status, _, body = request(server, "POST", "/accept", {"finding": finding}, **{TOKEN_HEADER: server.token})
    assert status == 200 and json.loads(body)["accepted"] == 1
    by_review = workspace.baseline.read_bytes()
    assert by_review.count(b"- check: ") == 1
    workspace.baseline.unlink()
    assert main(["approve", "--report", str(workspace.reports / "nightly"), "--finding", finding]) == 0
    assert workspace.baseline.read_bytes() == by_review


def test_accept_all_in_the_page_writes_what_approve_writes(server, workspace, loop, browser):
    async def click_accept_all(browser):
        page = await browser.new_page()
        problems: list[str] = []
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        await page.goto(server.url)
        assert await page.locator(".accept__command:visible").count() == 0
        buttons = await page.locator(".finding .accept__button:visible").count()
        await page.locator(".since .accept__button").first.click()
        status = page.locator(".since .accept__status").first
        await status.filter(has_text="accepted").wait_for()
        text = await status.inner_text()
        disabled = await page.locator(".accept__button:disabled").count()
        await page.close()
        return buttons, text, disabled, problems

    buttons, text, disabled, problems = loop.run(click_accept_all(browser))
    assert buttons == len(card_ids(findings_json(workspace.reports / "nightly"), "new")) and disabled == buttons + 1
    assert "quillory-welcome.baseline.yaml" in text and not problems
    by_review = workspace.baseline.read_bytes()
    workspace.baseline.unlink()
    assert main(["approve", "--report", str(workspace.reports / "nightly"), "--journey", "quillory-welcome"]) == 0
    assert workspace.baseline.read_bytes() == by_review
    assert by_review.count(b"- check: ") == len(new_ids(workspace))
