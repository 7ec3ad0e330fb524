"""Fixture sites for the feeds, SEO and publishing tests, and feed-validator checks.

The checks encode the rules the W3C feed validator enforces (and that other
generators kept failing): absolute links in content, isPermaLink="false" on
non-URL guids, RFC 822 dates in RSS, RFC 3339 in Atom and JSON Feed, a self link
equal to the feed's own location, required elements, xml:lang.
"""

from __future__ import annotations

import email.utils
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from generator.build import assemble, build
from generator.feed_ids import update_id_ledger

SITE_YAML = """\
title: Test site
base_url: https://example.com/
language: en
languages:
  en: {name: English}
  zh: {name: 中文, title: 测试站}
description: A site for testing feeds.
author: {name: Ada Writer, email: ada@example.com, url: https://example.com/about/}
timezone: Asia/Shanghai
"""

# A small site with every feature the feeds touch: translations, tags, a tutorial
# series, enclosures, root-relative, relative and srcset links, <!--more-->.
FILES: dict[str, str | bytes] = {
    "content/about.md": "---\ntitle: About\n---\nAbout this site.\n",
    "content/big.png": b"\x89PNG\r\n\x1a\n" + b"0" * 300,
    "content/posts/cover.png": b"\x89PNG\r\n\x1a\n" + b"1" * 120,
    "content/posts/2026-01-10-first-post.md": """\
        ---
        title: First post
        tags: [python, web]
        categories: [notes]
        image: cover.png
        image_alt: A cover
        audio: https://cdn.example.net/episode-1.mp3
        summary: The first post.
        ---
        Read [about me](/about/) or [the second post](2026-02-01-second-post.md),
        see ![cover](cover.png) and [a section](#usage).

        <img src="/big.png" srcset="cover.png 1x, /big.png 2x" alt="x">
        <video poster="cover.png" src="clip.mp4"></video>

        ## Usage

        Mail [me](mailto:ada@example.com) or visit <https://python.org/>.
        """,
    "content/posts/2026-02-01-second-post.md": """\
        ---
        title: Second post
        updated: 2026-02-10
        tags: [python]
        ---
        The teaser paragraph.

        <!--more-->

        The rest of the story, with a [link](/posts/first-post/).
        """,
    "content/posts/2026-02-01-second-post-zh.md": """\
        ---
        title: 第二篇
        tags: [python]
        ---
        中文正文。
        """,
    "content/posts/2026-03-05-tricky.md": """\
        ---
        title: <script>alert("x")</script> & 'quotes' </title>
        summary: Ends the script </script><!-- early & "loud"
        tags: ["<b>bold</b>", python]
        ---
        Body text.
        """,
    "content/tutorials/widgets/01-start.md": """\
        ---
        title: Widgets, part one
        date: 2026-01-20
        tags: [web]
        ---
        First part.
        """,
    "content/tutorials/widgets/02-finish.md": """\
        ---
        title: Widgets, part two
        date: 2026-01-27
        ---
        Second part.
        """,
}


@dataclass
class Built:
    """A built fixture site."""

    root: Path
    out: Path

    def read(self, rel: str) -> bytes:
        return (self.out / rel).read_bytes()

    def text(self, rel: str) -> str:
        return self.read(rel).decode()

    def files(self) -> dict[str, bytes]:
        return {p.relative_to(self.out).as_posix(): p.read_bytes()
                for p in sorted(self.out.rglob("*")) if p.is_file()}

    def feeds(self) -> list[str]:
        return sorted(rel for rel in self.files()
                      if rel.rsplit("/", 1)[-1] in ("feed.xml", "atom.xml", "feed.json"))

    def html_pages(self) -> list[str]:
        return sorted(rel for rel in self.files() if rel.endswith(".html"))


def write_site(root: Path, files: dict[str, str | bytes] | None = None,
               config: str = SITE_YAML) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(config, encoding="utf-8")
    for rel, data in (FILES if files is None else files).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data), encoding="utf-8")
    return root


def build_site(root: Path, out: Path | None = None, **options: object) -> Built:
    out = out or root / "_site"
    build(root, output=out, **options)  # type: ignore[arg-type]
    return Built(root, out)


def record_ids(root: Path) -> list[str]:
    """What `kith build` does after a successful build: append new IDs to the ledger."""
    return update_id_ledger(assemble(root).site)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes] | None = None, config: str = SITE_YAML,
             extra: dict[str, str | bytes] | None = None) -> Path:
        merged = dict(FILES if files is None else files)
        merged.update(extra or {})
        return write_site(tmp_path / f"site{next(counter)}", merged, config)
    return make


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The standard fixture site, built once per test module."""
    root = write_site(tmp_path_factory.mktemp("site"))
    return build_site(root)


# -- feed-validator rules ------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
                    r"Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "poster", "cite"):
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [c.strip().split()[0] for c in value.split(",") if c.strip()]


def content_urls(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def assert_absolute(url: str, what: str) -> None:
    assert urlsplit(url).scheme, f"{what}: relative URL {url!r}"
    if urlsplit(url).scheme in ("http", "https"):
        assert urlsplit(url).netloc, f"{what}: URL without host {url!r}"


def assert_content_links_absolute(html: str, what: str) -> None:
    for url in content_urls(html):
        assert_absolute(url, what)


def check_rss(data: bytes, location: str) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    for name in ("title", "link", "description"):
        assert (channel.findtext(name) or "").strip(), f"channel <{name}> missing"
    assert_absolute(channel.findtext("link") or "", "channel link")
    selves = [e for e in channel.findall(f"{ATOM}link") if e.get("rel") == "self"]
    assert len(selves) == 1 and selves[0].get("href") == location, "self link != location"
    assert selves[0].get("type") == "application/rss+xml"
    assert LANG_TAG.match(channel.findtext("language") or ""), "channel <language>"
    dates = []
    guids = set()
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description")
        assert_absolute(item.findtext("link") or "", "item link")
        guid = item.find("guid")
        assert guid is not None and guid.text
        assert guid.text not in guids, f"duplicate guid {guid.text}"
        guids.add(guid.text)
        if not re.match(r"^https?://", guid.text):
            assert guid.get("isPermaLink") == "false", f"non-URL guid {guid.text} is a permalink"
        pub = item.findtext("pubDate") or ""
        assert RFC822.match(pub), f"pubDate {pub!r} is not RFC 822"
        dates.append(email.utils.parsedate_to_datetime(pub))
        assert_content_links_absolute(item.findtext("description") or "", location)
        author = item.findtext("author")
        if author is not None:
            assert re.match(r"^\S+@\S+( \(.+\))?$", author), f"RSS author {author!r} is no e-mail"
        for enclosure in item.findall("enclosure"):
            assert_absolute(enclosure.get("url") or "", "enclosure")
            assert (enclosure.get("length") or "").isdigit()
            assert "/" in (enclosure.get("type") or "")
        assert len(item.findall("enclosure")) <= 1
        for category in item.findall("category"):
            assert (category.text or "").strip()
    last = channel.findtext("lastBuildDate")
    assert last and RFC822.match(last)
    if dates:
        assert email.utils.parsedate_to_datetime(last) >= max(dates)
        assert dates == sorted(dates, reverse=True), "items are not newest first"
    return root


def check_atom(data: bytes, location: str) -> ET.Element:
    assert b'type="CDATA"' not in data and b"<![CDATA[" not in data
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    assert LANG_TAG.match(root.get(XML_LANG) or ""), "xml:lang missing on <feed>"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), f"feed <{name}> missing"
    updated = root.findtext(f"{ATOM}updated") or ""
    assert RFC3339.match(updated), f"updated {updated!r} is not RFC 3339"
    links = root.findall(f"{ATOM}link")
    selves = [e for e in links if e.get("rel") == "self"]
    assert len(selves) == 1 and selves[0].get("href") == location, "self link != location"
    for link in links:
        assert_absolute(link.get("href") or "", "feed link")
    feed_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = set()
    entry_updates = []
    for entry in root.findall(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id") or ""
        assert urlsplit(entry_id).scheme in ("tag", "http", "https", "urn"), entry_id
        assert entry_id not in ids, f"duplicate id {entry_id}"
        ids.add(entry_id)
        assert (entry.findtext(f"{ATOM}title") or "").strip()
        for name in ("updated", "published"):
            value = entry.findtext(f"{ATOM}{name}")
            if name == "updated" or value is not None:
                assert value and RFC3339.match(value), f"{name} {value!r} is not RFC 3339"
        entry_updates.append(entry.findtext(f"{ATOM}updated"))
        assert feed_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
        alternates = [e for e in entry.findall(f"{ATOM}link") if e.get("rel") == "alternate"]
        assert alternates
        for link in entry.findall(f"{ATOM}link"):
            assert_absolute(link.get("href") or "", "entry link")
            if link.get("rel") == "enclosure":
                assert (link.get("length") or "").isdigit() and "/" in (link.get("type") or "")
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        assert_content_links_absolute(content.text or "", location)
    if entry_updates:
        from datetime import datetime
        newest = max(datetime.fromisoformat(u or "") for u in entry_updates)
        assert datetime.fromisoformat(updated) == newest, "feed updated != newest entry"
    return root


def check_json_feed(data: bytes, location: str) -> dict:
    feed = json.loads(data)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"]
    assert feed["feed_url"] == location
    assert_absolute(feed["home_page_url"], "home_page_url")
    assert LANG_TAG.match(feed.get("language", ""))
    ids = set()
    dates = []
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"] not in ids
        ids.add(item["id"])
        assert_absolute(item["url"], "item url")
        assert item.get("content_html") or item.get("content_text")
        assert RFC3339.match(item["date_published"])
        dates.append(item["date_published"])
        if "date_modified" in item:
            assert RFC3339.match(item["date_modified"])
        assert_content_links_absolute(item.get("content_html", ""), location)
        for attachment in item.get("attachments", ()):
            assert_absolute(attachment["url"], "attachment")
            assert "/" in attachment["mime_type"]
    return feed


@pytest.fixture
def w3c() -> SimpleNamespace:
    return SimpleNamespace(rss=check_rss, atom=check_atom, json=check_json_feed,
                           content_urls=content_urls)


@pytest.fixture
def helpers() -> SimpleNamespace:
    return SimpleNamespace(write_site=write_site, build_site=build_site, record_ids=record_ids,
                           SITE_YAML=SITE_YAML, FILES=FILES)
