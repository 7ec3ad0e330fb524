"""RSS, Atom and JSON Feed: valid, complete, absolute, newest first, configurable."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import feedparser
import pytest

from .conftest import ATOM, Built

BASE = "https://example.com/"


def head(html: str) -> str:
    return html.split("</head>", 1)[0]


def test_every_feed_parses_without_errors(built: Built) -> None:
    feeds = built.feeds()
    assert len(feeds) >= 12
    for rel in feeds:
        if rel.endswith(".json"):  # feedparser 6 reads XML only; JSON Feed is checked below
            assert json.loads(built.read(rel))["items"], rel
            continue
        parsed = feedparser.parse(built.read(rel))
        assert parsed.bozo == 0, f"{rel}: {parsed.get('bozo_exception')}"
        assert parsed.entries, rel


def test_every_feed_passes_the_validator_rules(built: Built, w3c: SimpleNamespace) -> None:
    for rel in built.feeds():
        check = {"feed.xml": w3c.rss, "atom.xml": w3c.atom, "feed.json": w3c.json}
        check[rel.rsplit("/", 1)[-1]](built.read(rel), BASE + rel)


def test_scopes_site_language_collection_and_tag(built: Built) -> None:
    feeds = set(built.feeds())
    for folder in ("", "zh/", "posts/", "tutorials/", "zh/posts/", "tags/python/",
                   "tags/web/", "categories/notes/", "zh/tags/python/"):
        for name in ("feed.xml", "atom.xml", "feed.json"):
            assert folder + name in feeds
    root = json.loads(built.read("feed.json"))
    titles = [item["title"] for item in root["items"]]
    # The root feed is the site language, posts and tutorial parts, newest first.
    assert titles[:2] == ['<script>alert("x")</script> & \'quotes\' </title>', "Second post"]
    assert "Widgets, part two" in titles and "第二篇" not in titles
    zh = json.loads(built.read("zh/feed.json"))
    assert [item["title"] for item in zh["items"]] == ["第二篇"]
    assert zh["language"] == "zh" and zh["title"] == "测试站"
    tutorials = json.loads(built.read("tutorials/feed.json"))
    assert [i["title"] for i in tutorials["items"]] == ["Widgets, part two", "Widgets, part one"]
    web = json.loads(built.read("tags/web/feed.json"))
    assert [i["title"] for i in web["items"]] == ["Widgets, part one", "First post"]


def test_full_content_with_absolute_urls(built: Built, w3c: SimpleNamespace) -> None:
    feed = json.loads(built.read("feed.json"))
    first = next(i for i in feed["items"] if i["title"] == "First post")
    urls = w3c.content_urls(first["content_html"])
    assert "https://example.com/about/" in urls
    assert "https://example.com/posts/second-post/" in urls
    assert "https://example.com/posts/cover.png" in urls  # Markdown image beside the post
    assert "https://example.com/big.png" in urls  # root-relative raw HTML and srcset
    assert "https://example.com/posts/first-post/cover.png" in urls  # srcset, relative
    assert "https://example.com/posts/first-post/#usage" in urls
    assert "https://example.com/posts/first-post/clip.mp4" in urls
    assert "mailto:ada@example.com" in urls
    second = next(i for i in feed["items"] if i["title"] == "Second post")
    assert "The rest of the story" in second["content_html"]  # full, not the teaser


def test_dates_ids_and_metadata(built: Built) -> None:
    rss = ET.fromstring(built.read("feed.xml")).find("channel")
    assert rss is not None
    # lastBuildDate is the newest entry (2026-03-05 in Asia/Shanghai), never "now".
    assert rss.findtext("lastBuildDate") == "Thu, 05 Mar 2026 00:00:00 +0800"
    assert rss.findtext("language") == "en"
    assert rss.findtext("managingEditor") == "ada@example.com (Ada Writer)"
    item = next(i for i in rss.findall("item") if i.findtext("title") == "First post")
    guid = item.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false"
    assert guid.text == "tag:example.com,2026-01-10:posts/first-post"
    assert [c.text for c in item.findall("category")] == ["python", "web", "notes"]
    assert item.findtext("author") == "ada@example.com (Ada Writer)"
    atom = ET.fromstring(built.read("atom.xml"))
    assert atom.findtext(f"{ATOM}updated") == "2026-03-05T00:00:00+08:00"
    second = next(e for e in atom.findall(f"{ATOM}entry")
                  if e.findtext(f"{ATOM}title") == "Second post")
    assert second.findtext(f"{ATOM}published") == "2026-02-01T00:00:00+08:00"
    assert second.findtext(f"{ATOM}updated") == "2026-02-10T00:00:00+08:00"
    assert atom.findtext(f"{ATOM}author/{ATOM}name") == "Ada Writer"
    # Every entry names its author (readers such as newsboat do not inherit the feed's).
    assert {e.findtext(f"{ATOM}author/{ATOM}name") for e in atom.findall(f"{ATOM}entry")} == {
        "Ada Writer"}


def test_enclosures_from_front_matter(built: Built) -> None:
    rss = ET.fromstring(built.read("feed.xml"))
    item = next(i for i in rss.iter("item") if i.findtext("title") == "First post")
    enclosures = item.findall("enclosure")
    assert len(enclosures) == 1  # RSS allows one: the audio
    assert enclosures[0].attrib == {"url": "https://cdn.example.net/episode-1.mp3",
                                    "length": "0", "type": "audio/mpeg"}
    atom = ET.fromstring(built.read("atom.xml"))
    entry = next(e for e in atom.iter(f"{ATOM}entry")
                 if e.findtext(f"{ATOM}title") == "First post")
    links = {link.get("href"): link.attrib for link in entry.findall(f"{ATOM}link")
             if link.get("rel") == "enclosure"}
    # The local image's length is the size of content/posts/cover.png.
    assert links["https://example.com/posts/cover.png"]["length"] == "128"
    assert links["https://example.com/posts/cover.png"]["type"] == "image/png"
    item_json = next(i for i in json.loads(built.read("feed.json"))["items"]
                     if i["title"] == "First post")
    assert item_json["image"] == "https://example.com/posts/cover.png"
    assert item_json["attachments"] == [{"url": "https://cdn.example.net/episode-1.mp3",
                                         "mime_type": "audio/mpeg"}]


def test_summary_mode_limit_and_switches(make_site, helpers: SimpleNamespace) -> None:
    config = helpers.SITE_YAML + ("feeds: {content: summary, limit: 2, json: false, "
                                  "per_tag: false, per_collection: false}\n")
    built = helpers.build_site(make_site(config=config))
    feeds = built.feeds()
    assert "feed.json" not in feeds and not any(f.startswith("tags/") for f in feeds)
    assert "posts/feed.xml" not in feeds
    assert set(feeds) == {"feed.xml", "atom.xml", "zh/feed.xml", "zh/atom.xml"}
    rss = ET.fromstring(built.read("feed.xml"))
    items = rss.findall("channel/item")
    assert len(items) == 2
    second = items[1]
    assert second.findtext("title") == "Second post"
    assert "The teaser paragraph." in (second.findtext("description") or "")
    assert "The rest of the story" not in (second.findtext("description") or "")
    atom = ET.fromstring(built.read("atom.xml"))
    assert len(atom.findall(f"{ATOM}entry")) == 2


def test_limit_zero_means_all(make_site, helpers: SimpleNamespace) -> None:
    built = helpers.build_site(make_site(config=helpers.SITE_YAML + "feeds: {limit: 0}\n"))
    assert len(json.loads(built.read("feed.json"))["items"]) == 5


def test_no_feeds_when_switched_off(make_site, helpers: SimpleNamespace) -> None:
    built = helpers.build_site(make_site(config=helpers.SITE_YAML + "feeds: false\n"))
    assert built.feeds() == []
    assert "application/rss+xml" not in head(built.text("posts/first-post/index.html"))


@pytest.mark.parametrize("base", ["https://user.github.io/repo/"])
def test_project_site_prefix(make_site, helpers: SimpleNamespace, w3c: SimpleNamespace,
                             base: str) -> None:
    built = helpers.build_site(make_site(), base_url=base)
    for rel in built.feeds():
        check = {"feed.xml": w3c.rss, "atom.xml": w3c.atom, "feed.json": w3c.json}
        check[rel.rsplit("/", 1)[-1]](built.read(rel), base + rel)
    item = next(i for i in json.loads(built.read("feed.json"))["items"]
                if i["title"] == "First post")
    urls = w3c.content_urls(item["content_html"])
    assert "https://user.github.io/repo/about/" in urls
    assert "https://user.github.io/repo/big.png" in urls
    assert item["url"] == "https://user.github.io/repo/posts/first-post/"


def test_site_without_posts_has_no_feeds_and_links_none(make_site,
                                                        helpers: SimpleNamespace) -> None:
    built = helpers.build_site(make_site(files={"content/about.md": "---\ntitle: A\n---\nx\n"}))
    assert built.feeds() == []
    assert "application/atom+xml" not in head(built.text("about/index.html"))


def test_author_without_email_goes_in_dc_creator(make_site, helpers: SimpleNamespace,
                                                 w3c: SimpleNamespace) -> None:
    config = helpers.SITE_YAML.replace(
        "author: {name: Ada Writer, email: ada@example.com, url: https://example.com/about/}\n",
        "")
    root = make_site(config=config, extra={"content/posts/2026-04-01-guest.md":
                                           "---\ntitle: Guest\nauthor: Grace\n---\nHi.\n"})
    built = helpers.build_site(root)
    data = built.read("feed.xml")
    w3c.rss(data, BASE + "feed.xml")
    assert feedparser.parse(data).bozo == 0
    dc = "{http://purl.org/dc/elements/1.1/}creator"
    creators = {i.findtext("title"): i.findtext(dc) for i in ET.fromstring(data).iter("item")}
    assert creators["Guest"] == "Grace" and creators["First post"] == "Test site"
    atom = ET.fromstring(built.read("atom.xml"))
    assert atom.findtext(f"{ATOM}author/{ATOM}name") == "Test site"
    guest = next(e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Guest")
    assert guest.findtext(f"{ATOM}author/{ATOM}name") == "Grace"
    first = next(e for e in atom.iter(f"{ATOM}entry")
                 if e.findtext(f"{ATOM}title") == "First post")
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Test site"
    item = json.loads(built.read("feed.json"))["items"][0]
    assert item["authors"] == [{"name": "Grace"}]
