"""Tag and category pages: one page per term, never two terms silently on one page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.channels import newest_first
from generator.cli import main
from generator.content import term_key
from generator.model import Page
from generator.site import term_slug


def post(title: str, tags: str, day: int = 1) -> str:
    return f"---\ntitle: {title}\ndate: 2026-01-{day:02d}\ntags: {tags}\n---\nbody\n"


def built(root: Path) -> Path:
    assert main(["-C", str(root), "build"]) == 0
    return root / "_site"


def test_cpp_csharp_and_c_get_pages_of_their_own(make_site) -> None:
    site = built(make_site({
        "content/posts/a.md": post("A", '[C, "c++"]', 1),
        "content/posts/b.md": post("B", '["C#", "C++"]', 2),
        "content/posts/c.md": post("C", "[c, F#, Notepad++]", 3),
    }))
    tags = sorted(p.name for p in (site / "tags").iterdir() if p.is_dir())
    assert tags == ["c", "c-plus-plus", "c-sharp", "f-sharp", "notepad-plus-plus"]
    c_feed = (site / "tags/c/feed.xml").read_text()
    assert c_feed.count("<item>") == 2  # A and C, each once
    cpp_feed = (site / "tags/c-plus-plus/feed.xml").read_text()
    assert cpp_feed.count("<item>") == 2 and "<title>A</title>" in cpp_feed
    # One post each writes c++ and C++: the first file's spelling breaks the tie.
    assert "<h1>Tagged “c++”</h1>" in (site / "tags/c-plus-plus/index.html").read_text()


def test_case_and_spacing_variants_are_one_term_shown_as_most_write_it(make_site) -> None:
    site = built(make_site({
        "content/posts/a.md": post("A", "[python, Machine Learning]", 1),
        "content/posts/b.md": post("B", "[Python, machine-learning]", 2),
        "content/posts/c.md": post("C", "[Python, python, Machine Learning]", 3),
    }))
    assert sorted(p.name for p in (site / "tags").iterdir() if p.is_dir()) == [
        "machine-learning", "python"]
    page = (site / "tags/python/index.html").read_text()
    assert "<h1>Tagged “Python”</h1>" in page  # two posts write 'Python', one 'python'
    assert (site / "tags/python/feed.xml").read_text().count("<item>") == 3
    # Post C lists its tag once, as it wrote it first.
    assert (site / "posts/c/index.html").read_text().count('href="/tags/python/"') == 1


def test_scripts_and_emoji_keep_readable_urls(make_site) -> None:
    site = built(make_site({
        "content/posts/a.md": post("A", '[数据库, "🚀", "❤️ rust"]', 1),
    }))
    assert sorted(p.name for p in (site / "tags").iterdir() if p.is_dir()) == [
        "heavy-black-heart-rust", "rocket", "数据库"]


def test_terms_that_only_a_url_confuses_are_an_error(make_site, capsys) -> None:
    root = make_site({
        "content/posts/a.md": post("A", '["a/b"]', 1),
        "content/posts/b.md": "---\ntitle: B\ndate: 2026-01-02\nsummary: s\ntags: [ab]\n---\n",
    })
    assert main(["-C", str(root), "build"]) == 1
    assert capsys.readouterr().err == (
        "content/posts/b.md:5: tags 'a/b' and 'ab' would share the page /tags/ab/\n"
        "  hint: 'a/b' is in content/posts/a.md; write them the same way, or rename one\n"
        "build failed: 1 problem; the output folder was left as it was\n")


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_one_slug_means_one_term_or_a_reported_clash(a: str, b: str) -> None:
    # The rule the site stage relies on: the same term always gets the same slug,
    # so a clash can only be between different terms (and those are reported).
    if term_key(a) == term_key(b):
        assert term_slug(a) == term_slug(b)
    assert term_slug(a) == term_slug(term_key(a))


def test_a_page_is_one_entry_per_feed_in_any_taxonomy(make_site) -> None:
    config = ("title: T\nbase_url: https://example.com/\nlanguage: en\n"
              "taxonomies: [tags, topics]\n")
    site = built(make_site({
        "content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\ntopics: [Go, go, GO]\n---\n",
        "content/posts/b.md": "---\ntitle: B\ndate: 2026-01-02\ntopics: [go]\n---\n",
    }, config=config))
    feed = (site / "topics/go/feed.xml").read_text()
    assert feed.count("<item>") == 2
    assert newest_first([*[page("a", 1)] * 3, page("b", 2)]) == (page("b", 2), page("a", 1))


def page(name: str, day: int) -> Page:
    return Page(source=f"content/posts/{name}.md", collection="posts", title=name, slug=name,
                lang="en", key=name, body="", date=dt.datetime(2026, 1, day, tzinfo=dt.UTC),
                url=f"/posts/{name}/")


def test_a_tag_too_long_for_a_folder_name_is_an_error(make_site, capsys) -> None:
    long = "长" * 100  # 300 bytes in UTF-8
    root = make_site({"content/posts/a.md": post("A", f"[ok, {long}]")})
    assert main(["-C", str(root), "build"]) == 1
    assert capsys.readouterr().err == (
        f"content/posts/a.md:4: tags '{'长' * 40}…' is too long for a URL: its page would be "
        "a folder named with 300 bytes (at most 255)\n"
        "  hint: shorten it; a term is a word or two\n"
        "build failed: 1 problem; the output folder was left as it was\n")


def test_a_page_with_thousands_of_tags_is_an_error(make_site, capsys) -> None:
    many = ", ".join(f"t{i}" for i in range(10_000))
    root = make_site({"content/posts/a.md": post("A", f"[{many}]"),
                      "content/posts/b.md": post("B", "[t1, t2]", 2)})
    assert main(["-C", str(root), "build"]) == 1
    assert capsys.readouterr().err == (
        "content/posts/a.md:4: 10,000 tags on one page; at most 100\n"
        "  hint: each of them gets a page and feeds that list this page with all its tags: "
        "the site grows with the square of their number; keep the few that say what it is "
        "about\n"
        "build failed: 1 problem; the output folder was left as it was\n")
    hundred = ", ".join(f"t{i}" for i in range(100))
    (root / "content/posts/a.md").write_text(post("A", f"[{hundred}]"))
    assert main(["-C", str(root), "build"]) == 0
