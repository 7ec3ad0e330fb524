"""content/ -> pages: names, dates, languages, collections and bad input."""

from pathlib import Path

import pytest

from generator.config import load_config
from generator.content import load_pages


def load(root: Path):
    return load_pages(load_config(root))


def messages(root: Path) -> list[str]:
    return [str(p) for p in sorted(load(root).problems)]


def test_post_date_slug_and_language_from_file_name(make_site) -> None:
    root = make_site({
        "content/posts/2026-03-02-raft-log.md": "---\ntitle: Raft\n---\nBody\n",
        "content/posts/deep/2026-03-02-raft-log-zh.md": "---\ntitle: 筏\n---\n正文\n",
        "content/posts/2026-04-01-my post 日本.md": "---\ntitle: Spaces\n---\n",
    })
    pages = {p.source: p for p in load(root).pages}
    en = pages["content/posts/2026-03-02-raft-log.md"]
    zh = pages["content/posts/deep/2026-03-02-raft-log-zh.md"]
    assert (en.slug, en.lang, en.key, en.date.isoformat()) == (
        "raft-log", "en", "raft-log", "2026-03-02T00:00:00+00:00")
    assert (zh.slug, zh.lang, zh.key) == ("raft-log", "zh", "raft-log")
    assert pages["content/posts/2026-04-01-my post 日本.md"].slug == "my-post-日本"


def test_front_matter_overrides_and_extras(make_site) -> None:
    root = make_site({"content/posts/2026-03-02-x.md": """\
        ---
        title: X
        date: 2026-03-05 09:30 +08:00
        slug: custom
        lang: zh
        tags: python web
        hero: big.png
        ---
        """})
    (page,) = load(root).pages
    assert page.date.isoformat() == "2026-03-05T09:30:00+08:00"
    assert (page.slug, page.lang, page.tags) == ("custom", "zh", ("python", "web"))
    assert page.extra == {"hero": "big.png"}


def test_date_means_midnight_in_site_timezone(make_site) -> None:
    root = make_site({"content/posts/2026-03-02-x.md": "---\ntitle: X\n---\n"},
                     config="title: T\nbase_url: https://x.org/\ntimezone: Asia/Shanghai\n")
    (page,) = load(root).pages
    assert page.date.isoformat() == "2026-03-02T00:00:00+08:00"


def test_tutorial_order_and_series_index(make_site) -> None:
    root = make_site({
        "content/tutorials/sql/02-joins.md": "---\ntitle: Joins\n---\n",
        "content/tutorials/sql/01-select.md": "---\ntitle: Select\n---\n",
        "content/tutorials/sql/_index.md": "---\ntitle: SQL\n---\n",
        "content/tutorials/sql/extra.md": "---\ntitle: Extra\norder: 3\n---\n",
    })
    pages = {p.source.rsplit("/", 1)[1]: p for p in load(root).pages}
    assert [(n, p.slug, p.order) for n, p in sorted(pages.items()) if not p.is_index] == [
        ("01-select.md", "select", 1), ("02-joins.md", "joins", 2), ("extra.md", "extra", 3)]
    assert pages["_index.md"].is_index and pages["_index.md"].series == "sql"


def test_pages_and_static_files(make_site) -> None:
    root = make_site({
        "content/about.md": "---\ntitle: About\n---\n",
        "content/docs/setup-zh.md": "---\ntitle: 设置\n---\n",
        "content/posts/pic.png": b"\x89PNG",
        "content/.hidden.md": "x",
        "content/posts/draft.md~": "x",
    })
    found = load(root)
    assert [(p.path, p.lang) for p in found.pages] == [("about", "en"), ("docs/setup", "zh")]
    assert found.statics == ("posts/pic.png",)


def test_bom_crlf_and_empty_body_build_fine(make_site) -> None:
    root = make_site({
        "content/posts/2026-01-01-bom.md": "\ufeff---\r\ntitle: BOM\r\n---\r\nText\r\n".encode(),
        "content/posts/2026-01-02-empty.md": "---\ntitle: Empty\n---\n",
        "content/posts/2026-01-03-none.md": "",
    })
    found = load(root)
    assert [p.title for p in found.pages] == ["BOM", "Empty", "None"]
    assert found.pages[0].body == "Text\n"
    assert messages(root) == [
        "content/posts/2026-01-03-none.md:1: warning: no title; using 'None'\n"
        "  hint: add 'title: ...' to the front matter"]


def test_every_bad_input_reported_with_its_line(make_site) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": "---\ntitle: A\ndate: 2026-02-30\ntags: {a: 1}\n---\n",
        "content/posts/2026-01-02-b.md": "---\ntitle: [unclosed\n---\n",
        "content/posts/2026-01-03-c.md": b"---\ntitle: C\n---\nok\n\xff\xfe\n",
        "content/posts/no-date.md": "---\ntitle: D\n---\n",
        "content/posts/2026-01-04-e.md": "---\ntitle: E\nlang: fr\ndraft: maybe\n---\n",
        "content/posts/2026-01-05-f.md": "---\ntitle: F\n",
    })
    assert messages(root) == [
        "content/posts/2026-01-01-a.md:3: bad date '2026-02-30': not a real date "
        "(day is out of range for month)",
        "content/posts/2026-01-01-a.md:4: 'tags' must be a list of words, got a mapping\n"
        "  hint: e.g. tags: [python, web]",
        "content/posts/2026-01-02-b.md:2: front matter: invalid YAML: the [ that starts a list "
        "here is never closed\n"
        "  hint: end the list with ], or write one '- item' per line",
        "content/posts/2026-01-03-c.md:5: not valid UTF-8 (byte 0xff)\n"
        "  hint: save the file as UTF-8",
        "content/posts/2026-01-04-e.md:3: unknown language 'fr'\n"
        "  hint: allowed: en, zh (add it to 'languages' in site.yaml)",
        "content/posts/2026-01-04-e.md:4: 'draft' must be true or false, got 'maybe'",
        "content/posts/2026-01-05-f.md:1: front matter starts with '---' but never ends\n"
        "  hint: close it with a line holding only '---'",
        "content/posts/no-date.md:1: post has no date\n"
        "  hint: name it YYYY-MM-DD-slug.md or add 'date: YYYY-MM-DD'",
    ]


@pytest.mark.parametrize("depth", [200, 2000])
def test_deeply_nested_and_large_posts(make_site, depth: int) -> None:
    body = "> " * depth + "deep\n\n" + "- item\n  " * 50 + "\n" + ("word " * 20000)
    root = make_site({"content/posts/2026-01-01-deep.md": "---\ntitle: Deep\n---\n" + body})
    assert messages(root) == []
