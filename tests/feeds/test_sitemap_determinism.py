"""sitemap.xml, robots.txt, and the same bytes from every build."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from .conftest import RFC3339, Built

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap(built: Built) -> dict[str, ET.Element]:
    root = ET.fromstring(built.read("sitemap.xml"))
    assert root.tag == f"{SM}urlset"
    return {url.findtext(f"{SM}loc") or "": url for url in root.findall(f"{SM}url")}


def test_sitemap_lists_pages_and_lists_with_lastmod(built: Built) -> None:
    urls = sitemap(built)
    for path in ("", "about/", "posts/first-post/", "zh/posts/second-post/", "tags/python/",
                 "tags/", "archive/", "tutorials/widgets/", "tutorials/widgets/start/", "zh/"):
        assert f"https://example.com/{path}" in urls, path
    assert not any("404" in loc for loc in urls)
    assert list(urls) == sorted(urls)
    post = urls["https://example.com/posts/second-post/"]
    assert post.findtext(f"{SM}lastmod") == "2026-02-10T00:00:00+08:00"  # `updated`
    assert urls["https://example.com/"].findtext(f"{SM}lastmod") == "2026-03-05T00:00:00+08:00"
    assert urls["https://example.com/about/"].find(f"{SM}lastmod") is None  # no date, no guess
    for url in urls.values():
        lastmod = url.findtext(f"{SM}lastmod")
        assert lastmod is None or RFC3339.match(lastmod)


def test_sitemap_hreflang_alternates(built: Built) -> None:
    urls = sitemap(built)
    for loc in ("https://example.com/posts/second-post/",
                "https://example.com/zh/posts/second-post/"):
        links = {link.get("hreflang"): link.get("href")
                 for link in urls[loc].findall(f"{XHTML}link")}
        assert links == {"en": "https://example.com/posts/second-post/",
                         "zh": "https://example.com/zh/posts/second-post/",
                         "x-default": "https://example.com/posts/second-post/"}
    assert urls["https://example.com/posts/first-post/"].findall(f"{XHTML}link") == []
    home = {link.get("hreflang") for link in urls["https://example.com/"].iter(f"{XHTML}link")}
    assert home == {"en", "zh", "x-default"}


def test_sitemap_leaves_out_redirects_and_opted_out_pages(make_site,
                                                          helpers: SimpleNamespace) -> None:
    root = make_site(extra={"content/private.md": "---\ntitle: P\nsitemap: false\n---\nx\n",
                            "content/hidden.md": "---\ntitle: H\nnoindex: true\n---\nx\n",
                            "content/moved.md": "---\ntitle: M\naliases: [/old-home/]\n---\nx\n"})
    built = helpers.build_site(root)
    urls = sitemap(built)
    assert "https://example.com/moved/" in urls
    assert "https://example.com/old-home/" not in urls
    assert "https://example.com/private/" not in urls
    assert "https://example.com/hidden/" not in urls
    assert '<meta name="robots" content="noindex">' in built.text("hidden/index.html")


def test_robots_txt_points_at_the_sitemap(built: Built, make_site,
                                          helpers: SimpleNamespace) -> None:
    assert built.text("robots.txt") == ("User-agent: *\nDisallow:\n\n"
                                        "Sitemap: https://example.com/sitemap.xml\n")
    prefixed = helpers.build_site(make_site(), base_url="https://u.github.io/repo/")
    assert "Sitemap: https://u.github.io/repo/sitemap.xml\n" in prefixed.text("robots.txt")
    assert "https://u.github.io/repo/posts/first-post/" in sitemap(prefixed)


def test_a_writers_own_robots_txt_wins(make_site, helpers: SimpleNamespace) -> None:
    root = make_site(extra={"content/robots.txt": "User-agent: *\nDisallow: /drafts/\n"})
    assert "/drafts/" in helpers.build_site(root).text("robots.txt")


def test_two_builds_give_the_same_bytes(make_site, helpers: SimpleNamespace,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01
    one = helpers.build_site(root, root.parent / "out-one").files()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1924992000")  # 2031-01-01: later, same inputs
    two = helpers.build_site(root, root.parent / "out-two").files()
    assert one.keys() == two.keys()
    assert [rel for rel in one if one[rel] != two[rel]] == []


def test_source_date_epoch_decides_what_is_published(make_site, helpers: SimpleNamespace,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1771603200")  # 2026-02-20 UTC
    built = helpers.build_site(root)
    rss = ET.fromstring(built.read("feed.xml"))
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert titles[0] == "Second post" and len(titles) == 4  # the March post is still future
    assert rss.findtext("channel/lastBuildDate") == "Tue, 10 Feb 2026 00:00:00 +0800"
