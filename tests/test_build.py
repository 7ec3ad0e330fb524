"""The whole build through the CLI's main(): output, failures, safety, determinism."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.cli import main

POST = "---\ntitle: {title}\ntags: [raft]\n---\n\n{body}\n"


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(root: Path, *args: str) -> int:
    return main(["-C", str(root), *args])


def test_build_summary_and_left_out_pages(make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(title="A", body="a"),
        "content/posts/2026-01-02-b.md": "---\ntitle: B\ndraft: true\n---\n",
        "content/posts/2027-01-01-c.md": "---\ntitle: C\n---\n",
    })
    assert run(root, "build") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("built 1 pages into _site/ in ")
    assert out[1:] == [
        "  left out content/posts/2026-01-02-b.md: draft (--drafts includes it)",
        "  left out content/posts/2027-01-01-c.md: future-dated 2027-01-01 (--future includes it)",
        "recorded 1 new feed entry ID in feed-ids.yaml; commit it",
    ]
    assert 'content/posts/2026-01-01-a.md": "tag:example.com,2026-01-01:' in (
        root / "feed-ids.yaml").read_text()
    assert (root / "_site/posts/a/index.html").is_file()
    assert not (root / "_site/posts/b").exists()
    assert run(root, "build", "--drafts", "--future") == 0
    assert (root / "_site/posts/b/index.html").is_file()
    assert (root / "_site/posts/c/index.html").is_file()


def test_failed_build_leaves_last_good_site_untouched(make_site, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": POST.format(title="A", body="a")})
    assert run(root, "build") == 0
    before = tree(root / "_site")
    (root / "content/posts/2026-01-01-a.md").write_text("---\ntitle: [A\n---\n")
    (root / "content/posts/2026-01-02-b.md").write_text("---\ntitle: B\ndate: someday\n---\n")
    capsys.readouterr()
    assert run(root, "build") == 1
    err = capsys.readouterr().err
    assert err == (
        "content/posts/2026-01-01-a.md:2: front matter: invalid YAML: the [ that starts a list "
        "here is never closed\n"
        "  hint: end the list with ], or write one '- item' per line\n"
        "content/posts/2026-01-02-b.md:3: bad date 'someday': expected a date like 2026-01-31 "
        "or 2026-01-31 09:30 +08:00\n"
        "build failed: 2 problems; the output folder was left as it was\n")
    assert tree(root / "_site") == before


def test_two_inputs_for_one_url_is_an_error_listing_both(make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-01-same.md": POST.format(title="A", body="a"),
        "content/posts/old/2025-01-01-same.md": POST.format(title="B", body="b"),
    })
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        "content/posts/2026-01-01-same.md: 'posts/same/index.html' would be written by 2 "
        "inputs: content/posts/2026-01-01-same.md, content/posts/old/2025-01-01-same.md",
        "  hint: give one of them another slug or permalink",
    ]


@pytest.mark.parametrize("output", [".", "content", "content/posts", "other"])
def test_refuses_dangerous_output_folders(make_site, capsys, output: str) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": POST.format(title="A", body="a"),
                      "other/site.yaml": "title: other\n"})
    before = tree(root)
    assert run(root, "build", "--output", str(root / output)) == 1
    assert "--output: refusing to write the site into" in capsys.readouterr().err
    assert tree(root) == before


def test_removes_only_its_own_stale_outputs(make_site) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(title="A", body="a"),
        "content/posts/2026-01-02-b.md": POST.format(title="B", body="b"),
    })
    assert run(root, "build") == 0
    (root / "_site/CNAME").write_text("mine.example.com\n")
    (root / "content/posts/2026-01-02-b.md").unlink()
    assert run(root, "build") == 0
    assert not (root / "_site/posts/b").exists()
    assert (root / "_site/posts/a/index.html").is_file()
    assert (root / "_site/CNAME").read_text() == "mine.example.com\n"


def test_same_input_same_bytes(make_site, tmp_path) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(title="A", body="a [b](2026-01-02-b.md)"),
        "content/posts/2026-01-02-b.md": POST.format(title="B", body="$x$ and `code`"),
        "content/posts/2026-01-02-b-zh.md": POST.format(title="乙", body="中文"),
    })
    assert run(root, "build", "--output", str(tmp_path / "one")) == 0
    assert run(root, "build", "--output", str(tmp_path / "two")) == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_links_between_sources_and_base_path(make_site) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(
            title="A", body="[B](2026-01-02-b.md#part) ![d](img/d.png) [about](/about/) "
                            "[tut](../tutorials/t/01-one.md) [ext](https://x.org/a)"),
        "content/posts/2026-01-02-b.md": POST.format(title="B", body="b"),
        "content/posts/img/d.png": b"png",
        "content/tutorials/t/01-one.md": "---\ntitle: One\n---\n",
        "content/about.md": "---\ntitle: About\n---\n",
    }, config="title: T\nbase_url: https://u.github.io/repo/\n")
    assert run(root, "build") == 0
    html = (root / "_site/posts/a/index.html").read_text()
    assert '<a href="/repo/posts/b/#part">B</a>' in html
    # The page's first image loads at once (images.py); not a real PNG: no size.
    assert '<img src="/repo/posts/img/d.png" alt="d" decoding="async" />' in html
    assert '<a href="/repo/about/">about</a>' in html
    assert '<a href="/repo/tutorials/t/one/">tut</a>' in html
    assert '<a href="https://x.org/a">ext</a>' in html
    assert (root / "_site/posts/img/d.png").read_bytes() == b"png"


def test_missing_link_target_is_a_warning_with_line(make_site, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-a.md":
                      "---\ntitle: A\n---\n\nok\n\n[x](nope.md)\n"})
    assert run(root, "build") == 0
    assert capsys.readouterr().err == (
        "content/posts/2026-01-01-a.md:7: warning: link to a missing file 'nope.md'\n"
        "  hint: check the path; links are relative to this file\n"
        "1 warning: link to a missing file '...'\n")


def test_missing_link_in_the_summary_is_warned_once(make_site, capsys) -> None:
    # The first paragraph is also the summary: its link was reported twice.
    root = make_site({"content/posts/2026-01-01-a.md":
                      "---\ntitle: A\n---\n\nSee [x](nope.md).\n"})
    for _ in range(2):  # cold, then warm (the page's HTML is not loaded)
        assert run(root, "build", "--all-warnings") == 0
        assert capsys.readouterr().err == (
            "content/posts/2026-01-01-a.md:5: warning: link to a missing file 'nope.md'\n"
            "  hint: check the path; links are relative to this file\n"
            "1 warning: link to a missing file '...'\n")


def test_front_matter_is_escaped_not_injected(make_site) -> None:
    root = make_site({"content/posts/2026-01-01-a.md":
                      "---\ntitle: '<script>alert(1)</script> & \"q\"'\n"
                      "summary: '<img src=x onerror=alert(1)>'\ntags: ['<b>']\n---\nbody\n"})
    assert run(root, "build") == 0
    for path in (root / "_site").rglob("*.html"):
        text = path.read_text()
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in (
        root / "_site/posts/a/index.html").read_text()


@pytest.mark.parametrize(("layout", "error"), [
    ("<!doctype html>\n<title>{{ page.title }}</title>\n\n{{ pgae.title }}\n",
     "layouts/post.html:4: 'pgae' is undefined (rendering content/posts/2026-01-01-a.md "
     "and 1 more)\n  hint: fix the template, or check the variable's name\n"),
    # Kith's classes are not named: 'generator.cache.TrackedPage object' is 'the page'.
    ("<title>{{ page.title }}</title>\n{{ page.colour.name }}\n",
     "layouts/post.html:2: the page has no attribute 'colour' (rendering "
     "content/posts/2026-01-01-a.md and 1 more)\n"
     "  hint: check the name against docs/theme.md, Template variables\n"),
])
def test_template_error_names_template_line_and_page(make_site, capsys, layout: str,
                                                      error: str) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(title="A", body="a"),
        "content/posts/2026-01-02-b.md": POST.format(title="B", body="b"),
        "layouts/post.html": layout,
    })
    assert run(root, "build") == 1
    assert capsys.readouterr().err == (
        error + "build failed: 1 problem; the output folder was left as it was\n")


def test_template_errors_read_the_same_from_the_render_workers(
        make_site, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers render the longest units first, in chunks: the message still names the
    first page in the site's order, as one process does (the builder renders again,
    in order, when a worker reports a problem)."""
    from generator import pool as pool_module

    files = {"layouts/post.html": "{% if 'odd' in page.tags %}{{ page.colour.name }}"
                                  "{% endif %}{{ page.title }}\n"}
    for i in range(30):
        files[f"content/posts/2026-01-{i % 28 + 1:02d}-p{i:02d}.md"] = (
            f"---\ntitle: P{i}\ntags: [{'odd' if i % 3 == 2 else 'even'}]\n---\n\nText.\n")
    root = make_site(files)
    expected = ("layouts/post.html:1: the page has no attribute 'colour' (rendering "
                "content/posts/2026-01-02-p29.md and 9 more)\n")
    monkeypatch.setattr(pool_module, "POOL_MIN_RENDER", 1)
    for jobs in ("1", "2"):
        monkeypatch.setattr("os.cpu_count", lambda jobs=jobs: int(jobs))
        assert run(root, "build") == 1
        assert capsys.readouterr().err.startswith(expected), jobs


def test_a_hook_reading_the_page_on_a_list_is_told_how_to_test_it(make_site, capsys) -> None:
    """docs/theme.md's example for hooks/head.html: 'page' is none on lists."""
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(title="A", body="a"),
        "layouts/hooks/head.html": '<meta name="x" content="{{ page.title }}">\n',
    })
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        "layouts/hooks/head.html:1: 'None' has no attribute 'title' (rendering the home "
        "page / and 5 more)",
        "  hint: a variable is none here: on lists (the home page, tag pages, the archive) "
        "'page' is none; test it first, {% if page %}...{% endif %} (docs/theme.md, "
        "Template variables)"]
    (root / "layouts/hooks/head.html").write_text(
        '{% if page %}<meta name="x" content="{{ page.title }}">{% endif %}\n')
    assert run(root, "build") == 0
    assert '<meta name="x" content="A">' in (root / "_site/posts/a/index.html").read_text()


def test_a_none_other_than_page_is_named_in_the_hint(make_site, capsys) -> None:
    """The newest post has no newer one: the hint names 'newer', not 'page'."""
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(title="A", body="a"),
        "content/posts/2026-01-02-b.md": POST.format(title="B", body="b"),
        "layouts/post.html": "{% extends 'base.html' %}{% block content %}\n"
                             "<a href='{{ newer.url }}'>{{ newer.title }}</a>\n{% endblock %}",
    })
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        "layouts/post.html:2: 'None' has no attribute 'url' (rendering "
        "content/posts/2026-01-02-b.md)",
        "  hint: 'newer' is none here; test it first, {% if newer %}...{% endif %} "
        "(docs/theme.md, Template variables)"]


def test_unknown_layout(make_site, capsys) -> None:
    root = make_site({"content/about.md": "---\ntitle: About\nlayout: wide\n---\n"})
    assert run(root, "build") == 1
    err = capsys.readouterr().err
    assert err.startswith("content/about.md:3: unknown layout 'wide'\n  hint: allowed: 404, ")
    assert "(layouts/wide.html does not exist)" in err


def test_site_layout_overrides_one_template(make_site) -> None:
    root = make_site({
        "content/about.md": "---\ntitle: About\nmood: calm\n---\n",
        "layouts/page.html": '{% extends "base.html" %}{% block content %}'
                             "<p>custom {{ page.extra.mood }}</p>{% endblock %}",
    })
    assert run(root, "build") == 0
    html = (root / "_site/about/index.html").read_text()
    assert "<p>custom calm</p>" in html and "<!doctype html>" in html.lower()


def test_permalink_patterns(make_site) -> None:
    root = make_site({
        "content/posts/2026-03-04-a.md": POST.format(title="A", body="a"),
        "content/posts/2026-03-05-b-zh.md": POST.format(title="B", body="b"),
        "content/c.md": "---\ntitle: C\npermalink: /x/c.html\n---\n",
    }, config="title: T\nbase_url: https://x.org/\nlanguages: [en, zh]\n"
              "permalinks:\n  posts: /:year/:month/:day/:slug\n")
    assert run(root, "build") == 0
    site = root / "_site"
    assert (site / "2026/03/04/a.html").is_file()
    assert (site / "zh/2026/03/05/b.html").is_file()
    assert (site / "x/c.html").is_file()


def test_new_post_and_tutorial(make_site, capsys) -> None:
    root = make_site({})
    assert run(root, "new", "post", "Hello, World!") == 0
    assert run(root, "new", "post", "Hello, World!", "--lang", "zh") == 0
    assert run(root, "new", "tutorial", "sql basics", "First steps") == 0
    assert run(root, "new", "tutorial", "sql basics", "Joins") == 0
    created = sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*.md"))
    assert [c.split("/", 2)[-1][11:] if "posts" in c else c for c in created] == [
        "hello-world-zh.md", "hello-world.md",
        "content/tutorials/sql-basics/01-first-steps.md",
        "content/tutorials/sql-basics/02-joins.md"]
    # A second part of one title would be the first's page once published.
    assert run(root, "new", "tutorial", "sql basics", "Joins") == 1
    assert "a part of this title already exists" in capsys.readouterr().err
    assert run(root, "new", "post", "Hello, World!") == 1
    assert "already exists" in capsys.readouterr().err
    # New content starts as a draft: the build leaves all four out, and says why.
    assert run(root, "build") == 0
    out = capsys.readouterr().out
    assert out.count("draft (--drafts includes it)") == 4
    assert not (root / "_site/posts/hello-world").exists()


def test_new_post_says_how_to_publish(make_site, capsys) -> None:
    root = make_site({})
    assert run(root, "new", "post", "Raft") == 0
    out = capsys.readouterr().out
    path = next((root / "content/posts").glob("*-raft.md"))
    rel = path.relative_to(root).as_posix()
    assert out == (f"created {rel} (a draft)\n  preview it: kith serve --drafts\n"
                   f"  publish it: delete the line 'draft: true' in {rel}, then kith build\n")
    assert "draft: true\n" in path.read_text()
    path.write_text(path.read_text().replace("draft: true\n", "") + "Body.\n")
    assert run(root, "build", "--future") == 0  # dated today; the tests' clock is pinned
    assert (root / "_site/posts/raft/index.html").is_file()


def test_version_and_module_entry_point(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("kith 0.")


def test_a_cache_file_that_cannot_be_written_leaves_nothing_behind(tmp_path: Path) -> None:
    from generator.files import write_cache

    write_cache(tmp_path / "a/b.bin", b"one")  # makes its folder
    write_cache(tmp_path / "a/b.bin", b"two")  # replaces
    assert (tmp_path / "a/b.bin").read_bytes() == b"two"
    (tmp_path / "a/dir.bin").mkdir()
    write_cache(tmp_path / "a/dir.bin", b"x")  # the rename fails: no error, no leftover
    (tmp_path / "file").write_bytes(b"")
    write_cache(tmp_path / "file/c.bin", b"x")  # no folder can be made there
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b.bin", "dir.bin"]


def test_a_one_shot_build_hides_its_heap_from_the_collector_only_while_it_runs(
        make_site, monkeypatch) -> None:
    """Each stage's objects are frozen (gc.freeze) so that full collections in the main
    process skip them; the build unfreezes them at the end, or in-process callers (the
    tests, a script calling build() in a loop) would keep every site they built. A heap
    frozen before (kith serve's) stays frozen as it was."""
    import gc

    from generator import build as build_module
    root = make_site({"content/posts/2026-01-01-a.md": "---\ntitle: A\n---\nHello.\n"})
    seen: list[int] = []
    lap = build_module.Builder._lap

    def spy(self, stage: str) -> None:
        lap(self, stage)
        seen.append(gc.get_freeze_count())

    monkeypatch.setattr(build_module.Builder, "_lap", spy)
    gc.unfreeze()  # a kith serve test earlier in this process may have left its heap frozen
    assert main(["-C", str(root), "build"]) == 0
    assert seen and all(count > 0 for count in seen)  # frozen after each stage
    assert gc.get_freeze_count() == 0  # and no longer
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        (root / "content/posts/2026-01-01-a.md").write_text("---\ntitle: A\n---\nBye.\n")
        assert main(["-C", str(root), "build"]) == 0
        # Neither unfrozen nor frozen more (some frozen objects may have been freed).
        assert before // 2 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()


def test_a_page_s_markdown_result_is_fetched_from_the_store_once_per_render(
        make_site, monkeypatch) -> None:
    """A one-shot build loads a page's Markdown fields when a template first reads one:
    the theme's post layout reads the HTML and then the toc, and each fetch unpickles
    the whole result (twice per post, 0.4 s at 5,000 posts, before the view of a page
    was made after the load rather than before)."""
    from generator.sources import Sources
    root = make_site({
        f"content/posts/2026-01-0{i}-p{i}.md":
        f"---\ntitle: P{i}\n---\n## One\n\nText {i}.\n\n## Two\n\n## Three\n"
        for i in range(1, 4)})
    fetched: list[str] = []
    real = Sources.rendered

    def counted(self, config, key, source, pkey, body_line):  # type: ignore[no-untyped-def]
        fetched.append(source)
        return real(self, config, key, source, pkey, body_line)

    monkeypatch.setattr(Sources, "rendered", counted)
    assert main(["-C", str(root), "build"]) == 0
    assert 'id="one"' in (root / "_site/posts/p2/index.html").read_text()
    assert '<nav class="toc"' in (root / "_site/posts/p2/index.html").read_text()
    assert sorted(fetched) == [f"content/posts/2026-01-0{i}-p{i}.md" for i in range(1, 4)]
