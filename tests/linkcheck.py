"""A small crawler: serve a built site under a path prefix and find broken internal links."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        if values.get("srcset"):
            self.links += [part.split()[0] for part in (values["srcset"] or "").split(",")]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1; yields the origin ('http://127.0.0.1:PORT')."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def broken_links(start: str) -> tuple[list[str], int]:
    """Crawl from ``start``; return (broken 'page -> link' lines, pages visited)."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(start))
    queue, seen, pages = [start], {start}, {}
    broken: list[str] = []
    referrers: dict[str, str] = {start: "(start)"}
    while queue:
        url = queue.pop()
        try:
            with urlopen(url, timeout=10) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except HTTPError as exc:
            broken.append(f"{referrers[url]} -> {url} ({exc.code})")
            continue
        if kind != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        pages[url] = (parser.ids, parser.links)
        for link in parser.links:
            absolute = urljoin(url, link)
            if not absolute.startswith(origin):
                continue
            target = urldefrag(absolute).url
            if target not in seen:
                seen.add(target)
                referrers[target] = url
                queue.append(target)
    for url, (_ids, links) in pages.items():
        for link in links:
            absolute, fragment = urldefrag(urljoin(url, link))
            if fragment and absolute in pages and fragment not in pages[absolute][0]:
                from urllib.parse import unquote
                if unquote(fragment) not in pages[absolute][0]:
                    broken.append(f"{url} -> {link} (no such id)")
    return broken, len(pages)
