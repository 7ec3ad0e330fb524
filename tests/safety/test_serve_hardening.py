"""`kith serve` as an attacker meets it: other host names (DNS rebinding), silent and
slow clients, too many connections, clients that leave mid-answer, HEAD, feed types."""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
from collections.abc import Iterator

import pytest

from generator import serve
from generator.serve import EVENTS, STATUS, Preview

CONFIG = "title: Served\nbase_url: https://example.com/repo/\nlanguages: [en]\n"
POST = "---\ntitle: {title}\ntags: [raft]\n---\n\n{title} body.\n"


@pytest.fixture
def served(make_site, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    monkeypatch.setattr(serve, "HEADER_TIMEOUT", 0.6)
    monkeypatch.setattr(serve, "MAX_CONNECTIONS", 4)
    root = make_site({"content/posts/2026-01-01-a.md": POST.format(title="A")}, config=CONFIG)
    preview = Preview(root, port=0, quiet=True)
    preview.start()
    try:
        yield preview
    finally:
        preview.stop()


def request(preview: Preview, path: str, method: str = "GET", host: str | None = None
            ) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    conn.putrequest(method, path, skip_host=host is not None, skip_accept_encoding=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


@pytest.mark.parametrize("host", ["evil.example.com", "evil.example.com:8000",
                                  "127.0.0.1.nip.io", "localhost.evil.com", "[::2]:80",
                                  "example.com"])
def test_other_host_names_are_refused(served: Preview, host: str) -> None:
    """A page on evil.example.com whose DNS answer turned into 127.0.0.1 must not read
    the preview, drafts included."""
    for path in ("/repo/", "/repo/posts/a/", STATUS, "/repo/feed.xml"):
        status, _, body = request(served, path, host=host)
        assert status == 403, (host, path)
        assert b"A body" not in body and b"generation" not in body
    assert request(served, EVENTS, host=host)[0] == 403


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost:{port}", "LOCALHOST", "localhost.",
                                  "127.0.0.1:{port}", "[::1]:{port}"])
def test_this_machine_and_the_base_url_are_served(served: Preview, host: str) -> None:
    assert request(served, "/repo/", host=host.format(port=served.port))[0] == 200


def test_the_base_url_given_to_kith_serve_is_served(make_site) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": POST.format(title="A")}, config=CONFIG)
    preview = Preview(root, port=0, quiet=True, base_url="http://preview.test:8000/repo/")
    preview.start()
    try:
        assert request(preview, "/repo/", host="preview.test:8000")[0] == 200
        assert request(preview, "/repo/", host="other.test:8000")[0] == 403
    finally:
        preview.stop()


def test_a_request_without_a_host_header_is_served(served: Preview) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(b"GET /repo/ HTTP/1.0\r\n\r\n")
        assert sock.recv(12) == b"HTTP/1.1 200"


def test_head_answers_like_get_without_a_body(served: Preview) -> None:
    for path in ("/repo/", "/repo/posts/a/", "/repo/feed.json", "/repo/nope/", "/", STATUS,
                 "/repo/posts/a"):
        get_status, get_headers, _ = request(served, path)
        head_status, head_headers, head_body = request(served, path, "HEAD")
        assert (head_status, head_body) == (get_status, b""), path
        assert head_headers.get("content-length") == get_headers.get("content-length"), path
        assert head_headers.get("content-type") == get_headers.get("content-type"), path
    started = time.monotonic()
    status, headers, body = request(served, EVENTS, "HEAD")  # must not stream forever
    assert (status, body, headers["content-type"]) == (200, b"", "text/event-stream")
    assert time.monotonic() - started < 2


def test_feed_types(served: Preview) -> None:
    assert request(served, "/repo/feed.json")[1]["content-type"] == \
        "application/feed+json; charset=utf-8"
    assert request(served, "/repo/feed.xml")[1]["content-type"] == \
        "application/xml; charset=utf-8"
    assert request(served, "/repo/site.webmanifest")[1]["content-type"] == \
        "application/manifest+json; charset=utf-8"


def test_silent_and_slow_clients_are_cut(served: Preview) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as idle:
        started = time.monotonic()
        assert idle.recv(100) == b""  # closed by the server, not by our timeout
        assert time.monotonic() - started < 3
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as slow:
        slow.sendall(b"GET /repo/ HTTP/1.1\r\n")
        started = time.monotonic()
        cut = False
        while not cut and time.monotonic() - started < 5:
            try:  # a header byte every 0.1 s: the request never ends (slowloris)
                slow.sendall(b"X")
                time.sleep(0.1)
                slow.setblocking(False)
                cut = slow.recv(100) == b""
            except BlockingIOError:
                pass
            except OSError:
                cut = True
            finally:
                slow.setblocking(True)
        assert cut and time.monotonic() - started < 3


def test_connections_are_bounded(served: Preview) -> None:
    holders = [socket.create_connection(("127.0.0.1", served.port), timeout=5)
               for _ in range(4)]
    try:
        for sock in holders:
            sock.sendall(b"GET /repo/ HTTP/1.1\r\n")  # headers never end: each holds a slot
        time.sleep(0.2)
        threads = threading.active_count()
        with socket.create_connection(("127.0.0.1", served.port), timeout=5) as extra:
            extra.sendall(b"GET /repo/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert extra.recv(100).startswith(b"HTTP/1.1 503")
        assert threading.active_count() <= threads
    finally:
        for sock in holders:
            sock.close()
    time.sleep(1.0)  # the reaper freed their slots
    assert request(served, "/repo/")[0] == 200
    assert served.server is not None and served.server.request_queue_size >= 64


def test_a_client_leaving_mid_answer_prints_nothing(served: Preview, capfd) -> None:
    big = served.output / "big.bin"
    big.write_bytes(b"x" * 8_000_000)
    for _ in range(3):
        sock = socket.create_connection(("127.0.0.1", served.port), timeout=5)
        sock.sendall(b"GET /repo/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.recv(10)
        # Reset, not a polite close: the server's next write fails at once.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    time.sleep(0.5)
    assert request(served, "/repo/")[0] == 200
    assert capfd.readouterr().err == ""
