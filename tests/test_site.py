"""Site assembly: pagination, taxonomies, translations, series."""

from __future__ import annotations

from pathlib import Path

from generator.build import assemble
from generator.cli import main


def post(title: str, tags: str = "[raft]") -> str:
    return f"---\ntitle: {title}\ntags: {tags}\ncategories: [eng]\n---\n\nBody of {title}.\n"


def test_pagination_of_home_and_tag_pages(make_site) -> None:
    files = {f"content/posts/2026-01-{d:02d}-p{d}.md": post(f"P{d}") for d in range(1, 6)}
    root = make_site(files, config="title: T\nbase_url: https://x.org/\npaginate: 2\n"
                                   "paginate_terms: 2\n")
    assert main(["-C", str(root), "build"]) == 0
    site = root / "_site"
    for folder in ("", "page/2/", "page/3/", "tags/raft/", "tags/raft/page/3/"):
        assert (site / folder / "index.html").is_file(), folder
    assert not (site / "page/4").exists()
    first = (site / "index.html").read_text()
    assert "P5" in first and "P4" in first and "P3" not in first  # newest first
    assert 'href="/page/2/"' in first
    assert 'href="/page/2/"' in (site / "page/3/index.html").read_text()


def test_tag_pages_take_paginate_terms(make_site) -> None:
    files = {f"content/posts/2026-01-{d:02d}-p{d}.md": post(f"P{d}") for d in range(1, 8)}
    config = "title: T\nbase_url: https://x.org/\npaginate: 2\npaginate_terms: 3\n"
    root = make_site(files, config=config)
    assert main(["-C", str(root), "build"]) == 0
    site = root / "_site"
    assert (site / "page/4/index.html").is_file()  # the home page: 2 a page
    assert sorted(p.parent.name for p in (site / "tags/raft/page").glob("*/index.html")) \
        == ["2", "3"]  # 7 posts, 3 a page
    first = (site / "tags/raft/index.html").read_text()
    assert all(f">P{d}<" in first for d in (7, 6, 5)) and ">P4<" not in first


def test_translations_taxonomies_and_series(make_site) -> None:
    root = make_site({
        "content/posts/2026-01-01-raft.md": post("Raft", "[Raft, consensus]"),
        "content/posts/2026-01-01-raft-zh.md": post("筏", "[共识]"),
        "content/posts/2026-01-02-other.md": post("Other", "[raft]"),
        "content/tutorials/sql/01-a.md": "---\ntitle: A\ntags: [sql]\n---\n",
        "content/tutorials/sql/02-b.md": "---\ntitle: B\n---\n",
        "content/about.md": "---\ntitle: About\npermalink: /me/\n---\n",
        "content/about-zh.md": "---\ntitle: 关于\n---\n",
    })
    assembled = assemble(root)
    site = assembled.site
    raft = next(p for p in site.pages if p.source.endswith("raft.md"))
    assert [(p.lang, p.url) for p in site.translations_of(raft)] == [("zh", "/zh/posts/raft/")]
    tags = site.taxonomies["tags"]
    assert [(t.name, t.url, len(t.pages)) for t in tags["en"]] == [
        ("consensus", "/tags/consensus/", 1), ("Raft", "/tags/raft/", 2),
        ("sql", "/tags/sql/", 1)]
    assert [(t.name, t.url) for t in tags["zh"]] == [("共识", "/zh/tags/共识/")]
    (series,) = site.tutorials["en"]
    assert series.index.url == "/tutorials/sql/"
    assert [p.url for p in series.parts] == ["/tutorials/sql/a/", "/tutorials/sql/b/"]
    about = {p.lang: p.url for p in site.pages if p.key == "about"}
    assert about == {"en": "/me/", "zh": "/zh/about/"}
    assert main(["-C", str(root), "build"]) == 0
    out = root / "_site"
    html = (out / "posts/raft/index.html").read_text()
    assert 'hreflang="zh" href="https://example.com/zh/posts/raft/"' in html
    assert (out / "zh/tags/共识/index.html").is_file()
    assert (out / "tutorials/sql/index.html").is_file()
    part = (out / "tutorials/sql/a/index.html").read_text()
    assert 'href="/tutorials/sql/b/"' in part and 'href="/tutorials/sql/"' in part


def test_arabic_pages_are_right_to_left(make_site, tmp_path: Path) -> None:
    root = make_site({"content/posts/2026-01-01-x-ar.md": "---\ntitle: مرحبا\n---\nنص\n"},
                     config="title: T\nbase_url: https://x.org/\nlanguages: [en, ar]\n")
    assert main(["-C", str(root), "build"]) == 0
    html = (root / "_site/ar/posts/x/index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in html


def test_url_details(make_site) -> None:
    root = make_site({
        "content/tutorials/a/01-x.md": "---\ntitle: X\n---\n",
        "content/tutorials/b/01-y.md": "---\ntitle: Y\n---\n",
        "content/posts/2026-01-01-v1.2-release.md": "---\ntitle: V\npermalink: /:title\n---\n",
        "content/posts/2026-01-02-hello-zh.md": "---\ntitle: 你好\npermalink: /:title\n---\n",
        "content/posts/2026-01-03-x.md": "---\ntitle: X\ntags: [लेखन]\n---\n",
    }, config="title: T\nbase_url: https://x.org/\nlanguages: [en, zh, hi]\n")
    assert main(["-C", str(root), "build"]) == 0
    out = root / "_site"
    # Two series get an index of series; Jekyll's :title keeps the language suffix;
    # a dot in a page's name is not a file extension; Devanagari keeps its vowel signs.
    for path in ("tutorials/index.html", "v1.2-release.html", "hello-zh.html",
                 "tags/लेखन/index.html"):
        assert (out / path).is_file(), path


def test_a_site_named_by_a_relative_path_reads_its_store(make_site, monkeypatch) -> None:
    """load_site() and assemble() take a relative path, also in a folder whose name a
    URI must escape, and read the store the last build left."""
    from generator.build import load_site
    from generator.cache import ContentCache
    root = make_site({"content/posts/2026-01-01-a.md": post("A")})
    odd = root.parent / "my site #1?"
    root.rename(odd)
    assert main(["-C", str(odd), "build"]) == 0
    monkeypatch.chdir(odd.parent)
    assert ContentCache(Path(odd.name), readonly=True)._connect() is not None
    assert [p.title for p in load_site(Path(odd.name)).pages] == ["A"]
    monkeypatch.chdir(odd)
    assert [p.title for p in assemble(Path("."), save_cache=False).site.pages] == ["A"]
