"""The review server answers malformed requests with 400 and prints no traceback."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest

from onevoice.baseline.review import TOKEN_HEADER, ReviewServer


@pytest.fixture
def server(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>report</title>")
    (tmp_path / "findings.json").write_text('{"onevoice": "1", "journeys": []}')
    with ReviewServer(tmp_path) as running:
        yield running


def exchange(server: ReviewServer, head: str, body: bytes = b"") -> bytes:
    """The raw answer to a raw request (headers exactly as written)."""
    host = urlsplit(server.url).netloc
    with socket.create_connection((urlsplit(server.url).hostname, urlsplit(server.url).port), timeout=10) as client:
        client.sendall((head.replace("{host}", host) + "\r\n\r\n").encode() + body)
        client.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    return answer


def test_a_content_length_that_is_not_a_number_is_a_400(server, capfd):
    head = (
        "POST /accept HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"{TOKEN_HEADER}: {server.token}\r\nContent-Length: abc"
    )
    answer = exchange(server, head, b'{"finding": "x"}')
    assert answer.startswith(b"HTTP/1.0 400 ") or answer.startswith(b"HTTP/1.1 400 ")
    assert "Traceback" not in capfd.readouterr().err


def test_a_path_with_a_nul_byte_is_a_400(server, capfd):
    answer = exchange(server, "GET /%00 HTTP/1.1\r\nHost: {host}")
    assert answer.split(b"\r\n")[0].split(b" ")[1] == b"400"
    assert "Traceback" not in capfd.readouterr().err
