"""Incremental builds equal clean builds, byte for byte, after every kind of edit.

A clean build is ``build(cache=False)`` of a fresh copy of the site into a fresh
folder; the incremental one keeps its ``.cache/`` and ``_site/`` throughout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import build as build_module
from generator import cache
from generator import pool as pool_module
from generator import sources as sources_module
from generator.build import assemble, build
from generator.cli import main
from generator.content import read_page
from generator.errors import KithError
from generator.feeds import render_feeds
from generator.layouts import render_site
from generator.writer import TEMP_PREFIX, write_outputs

CONFIG = """\
title: Incremental
base_url: https://example.com/blog/
language: en
languages: [en, zh]
paginate: 2
"""


def post(title: str, tags: str = "[raft, go]", body: str = "Body text.", extra: str = "") -> str:
    return (f"---\ntitle: {title}\ntags: {tags}\ncategories: [eng]\nsummary: About {title}\n"
            f"{extra}---\n\n{body}\n")


FILES: dict[str, str | bytes] = {
    "content/posts/2026-01-01-alpha.md": post("Alpha", body="See [beta](2026-01-02-beta.md)."),
    "content/posts/2026-01-02-beta.md": post("Beta", "[raft]", "## One\n\n## Two\n\n## Three\n"),
    "content/posts/2026-01-02-beta-zh.md": post("贝塔", "[共识]", "中文正文。"),
    "content/posts/2026-01-03-gamma.md": post("Gamma", "[go]", "```python\nx = 1\n```\n",
                                              "aliases: [/old/gamma/]\n"),
    "content/posts/2026-01-04-delta.md": post("Delta", body="Footnote[^1].\n\n[^1]: Note."),
    "content/posts/2026-02-01-draft.md": post("Draft", extra="draft: true\n"),
    "content/tutorials/sql/01-a.md": "---\ntitle: A\ntags: [sql]\n---\nPart A.\n",
    "content/tutorials/sql/02-b.md": "---\ntitle: B\n---\nPart B.\n",
    "content/about.md": "---\ntitle: About\n---\nAbout me.\n",
    "content/posts/img/d.png": b"\x89PNG fake",
}


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(root: Path, scratch: Path, warnings: list[str] | None = None
                ) -> dict[str, bytes]:
    """A fresh copy of the sources, built with no cache into a fresh folder.

    ``warnings`` (if given) receives the build's warnings, printed."""
    copy = scratch / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    for name in ("content", "layouts", "site.yaml", "feed-ids.yaml"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        elif source.is_file():
            shutil.copy2(source, copy / name)
    result = build(copy, output=copy / "out", cache=False, jobs=1)
    if warnings is not None:
        warnings += sorted(str(p) for p in result.warnings)
    # Only the writer's manifest: no content cache, no build state.
    assert {p.name[:8] for p in (copy / ".cache").iterdir()} == {"outputs-"}
    return tree(copy / "out")


def edit(root: Path, rel: str, change: Callable[[str], str]) -> None:
    path = root / rel
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("edit body", lambda r: edit(r, "content/posts/2026-01-03-gamma.md",
                                 lambda t: t + "\nA new paragraph.\n")),
    ("edit title", lambda r: edit(r, "content/posts/2026-01-02-beta.md",
                                  lambda t: t.replace("title: Beta", "title: Beta Two"))),
    ("edit summary", lambda r: edit(r, "content/posts/2026-01-04-delta.md",
                                    lambda t: t.replace("summary: About Delta", "summary: New"))),
    ("add", lambda r: write(r, "content/posts/2026-01-05-epsilon.md", post("Epsilon"))),
    ("delete", lambda r: (r / "content/posts/2026-01-01-alpha.md").unlink()),
    ("rename", lambda r: (r / "content/posts/2026-01-04-delta.md").rename(
        r / "content/posts/2026-01-04-delta-renamed.md")),
    ("retitle a page with aliases", lambda r: edit(r, "content/posts/2026-01-03-gamma.md",
                                                   lambda t: t.replace("Gamma", "Gamma Ray"))),
    ("change tags", lambda r: edit(r, "content/posts/2026-01-03-gamma.md",
                                   lambda t: t.replace("tags: [go]", "tags: [go, rust]"))),
    ("publish draft", lambda r: edit(r, "content/posts/2026-02-01-draft.md",
                                     lambda t: t.replace("draft: true\n", ""))),
    ("edit tutorial", lambda r: edit(r, "content/tutorials/sql/02-b.md",
                                     lambda t: t.replace("title: B", "title: Bee"))),
    ("edit about (nav)", lambda r: edit(r, "content/about.md",
                                        lambda t: t.replace("title: About", "title: Me"))),
    ("add template", lambda r: write(r, "layouts/post.html", textwrap.dedent("""\
        {% extends "base.html" %}{% block content %}<h1>{{ page.title }}</h1>
        {{ page.html }}{% endblock %}"""))),
    ("change template", lambda r: edit(r, "layouts/post.html",
                                       lambda t: t.replace("<h1>", "<h1 class=t>"))),
    ("remove template", lambda r: (r / "layouts/post.html").unlink()),
    ("change site.yaml", lambda r: edit(r, "site.yaml",
                                        lambda t: t.replace("Incremental", "Renamed"))),
    ("change paginate", lambda r: edit(r, "site.yaml",
                                       lambda t: t.replace("paginate: 2", "paginate: 3"))),
    ("add static", lambda r: write(r, "content/posts/img/e.svg", "<svg/>")),
    ("change static", lambda r: write(r, "content/posts/img/d.png", b"\x89PNG changed!")),
    ("feed ID ledger", lambda r: write(r, "feed-ids.yaml", '"content/posts/2026-01-03-gamma.md":'
                                       ' "tag:example.com,2020-01-01:gamma"\n')),
    ("translation", lambda r: write(r, "content/posts/2026-01-03-gamma-zh.md",
                                    post("伽马", "[共识]"))),
]


def test_scripted_edits_match_clean_builds(site: Path, tmp_path: Path) -> None:
    first = build(site)
    assert first.written == first.files
    assert tree(site / "_site") == clean_build(site, tmp_path)
    units = first.rendered
    for name, step in STEPS:
        step(site)
        result = build(site)
        assert tree(site / "_site") == clean_build(site, tmp_path), name
        if name == "edit body":
            # The post, its neighbours, the lists that show it: not the whole site.
            assert 0 < result.rendered < units / 2, result
        again = build(site)
        assert (again.written, again.removed, again.rendered) == (0, 0, 0), name
    assert not list((site / "_site").rglob(f"{TEMP_PREFIX}*"))


def test_cache_is_used_across_processes(site: Path) -> None:
    code = ("import sys; from pathlib import Path; from generator.build import build; "
            "r = build(Path(sys.argv[1])); print(r.rendered, r.written)")
    run = [sys.executable, "-c", code, str(site)]
    cold = subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()
    warm = subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()
    assert int(cold[0]) > 0 and warm == ["0", "0"]


def test_corrupt_cache_is_discarded(site: Path, tmp_path: Path) -> None:
    build(site)
    edit(site, "content/posts/2026-01-03-gamma.md", lambda t: t + "\nMore.\n")
    for path in (p for p in (site / ".cache").rglob("*") if p.is_file()):
        data = path.read_bytes()
        # Flip bytes in the middle: sqlite pages, pickles and JSON alike.
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 64])
                         + data[middle + 64:])
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    for path in (p for p in (site / ".cache").rglob("*") if p.is_file()):
        path.write_bytes(b"garbage")
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_rows_with_bad_checksums_are_misses(site: Path, tmp_path: Path) -> None:
    build(site)
    import sqlite3
    db = sqlite3.connect(site / ".cache" / "content.sqlite")
    with db:
        db.execute("UPDATE entries SET v = substr(v, 1, 4) || X'00' || substr(v, 6)")
    db.close()
    (site / "_site" / "index.html").unlink()  # forces a rebuild past the no-op check
    for state in (site / ".cache").glob("build-*"):
        state.unlink()
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_other_kith_version_discards_the_cache(site: Path, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    build(site)
    monkeypatch.setattr(cache, "_FINGERPRINT", "another version")
    # Make the old entries wrong: if they were trusted, the output would differ.
    assert cache.load_state(cache.state_path(site, site / "_site")).units == {}
    store = cache.ContentCache(site)
    assert store.get_many(["anything"]) == {}
    count = store._connect().execute("SELECT count(*) FROM entries").fetchone()[0]
    assert count == 0
    result = build(site)
    assert result.rendered > 0
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_parallel_build_is_deterministic(site: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool_module, "POOL_MIN_MARKDOWN", 1)
    monkeypatch.setattr(pool_module, "POOL_MIN_RENDER", 1)
    build(site, output=tmp_path / "two", jobs=2, cache=False)
    build(site, output=tmp_path / "one", jobs=1, cache=False)
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def test_same_output_as_the_plain_pipeline(site: Path, tmp_path: Path) -> None:
    """The incremental builder renders exactly what render_site + render_feeds give."""
    assembled = assemble(site)
    outputs, problems = render_site(assembled.site, assembled.listings)
    outputs += render_feeds(assembled.site)
    assert not [p for p in problems if not p.warning]
    write_outputs(outputs, tmp_path / "plain", tmp_path / "manifest.json")
    build(site, output=tmp_path / "incremental")
    assert tree(tmp_path / "incremental") == tree(tmp_path / "plain")


def test_failed_build_writes_nothing_and_leaves_no_temp_files(site: Path) -> None:
    build(site)
    before = tree(site / "_site")
    edit(site, "content/posts/2026-01-03-gamma.md", lambda t: t + "\nChanged.\n")
    write(site, "layouts/page.html", "{% extends 'base.html' %}{% block content %}"
                                     "{{ nope.x }}{% endblock %}")
    with pytest.raises(KithError) as info:
        build(site)
    assert "layouts/page.html:1" in str(info.value)
    assert tree(site / "_site") == before
    (site / "layouts/page.html").unlink()
    build(site)
    assert "Changed." in (site / "_site/posts/gamma/index.html").read_text()


def test_same_size_edit_within_a_second_is_seen(site: Path, tmp_path: Path) -> None:
    build(site)
    path = site / "content/posts/2026-01-03-gamma.md"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Gamma", "Gamme"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_concurrent_builds_both_succeed(site: Path, tmp_path: Path) -> None:
    code = "import sys; from pathlib import Path; from generator.build import build; " \
           "build(Path(sys.argv[1]))"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(site)]) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_read_page_reads_only_the_settings_in_the_parse_key(site: Path) -> None:
    """Parse results are keyed by PARSE_SETTINGS: read_page must not read other settings."""
    from generator.config import load_config

    real = load_config(site)
    seen: set[str] = set()

    class Spy:
        def __getattr__(self, name: str) -> object:
            seen.add(name)
            return getattr(real, name)

    for rel, data in FILES.items():
        if rel.endswith(".md"):
            read_page(Spy(), rel.removeprefix("content/"), str(data).encode())  # type: ignore[arg-type]
    derived = {"tz": "timezone", "language_codes": "languages"}
    assert {derived.get(name, name) for name in seen} <= set(cache.PARSE_SETTINGS)


def test_templates_still_read_the_markdown_body(site: Path, tmp_path: Path) -> None:
    """Bodies are fetched lazily after the Markdown stage; a template asking gets the text."""
    write(site, "layouts/page.html", "{% extends 'base.html' %}{% block content %}"
                                     "<pre>{{ page.body }}</pre>{% endblock %}")
    build(site)
    assert "<pre>About me.\n</pre>" in (site / "_site/about/index.html").read_text()
    edit(site, "content/about.md", lambda t: t.replace("About me.", "About <me>."))
    build(site)
    assert "<pre>About &lt;me&gt;.\n</pre>" in (site / "_site/about/index.html").read_text()
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_static_replaced_with_same_size_and_mtime_is_copied(site: Path, tmp_path: Path) -> None:
    build(site)
    path = site / "content/posts/img/d.png"
    st = path.stat()
    replacement = tmp_path / "other.png"
    replacement.write_bytes(b"\x89PNG f4ke")  # same length
    os.utime(replacement, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(replacement, path)  # like `cp -p` through a rename: same size and mtime
    build(site)
    assert (site / "_site/posts/img/d.png").read_bytes() == b"\x89PNG f4ke"


BODY_STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("body of a post in feeds", lambda r: edit(r, "content/posts/2026-01-03-gamma.md",
                                               lambda t: t + "\nHot paragraph.\n")),
    ("body: a link to a missing file", lambda r: edit(
        r, "content/posts/2026-01-02-beta.md", lambda t: t + "\n[gone](nowhere.md)\n")),
    ("body: the link fixed", lambda r: edit(
        r, "content/posts/2026-01-02-beta.md",
        lambda t: t.replace("nowhere.md", "2026-01-01-alpha.md"))),
    ("body: a root-relative link to no page", lambda r: edit(
        r, "content/posts/2026-01-02-beta.md", lambda t: t + "\n[tags](/tags/) [x](/x/)\n")),
    ("body: headings change the TOC", lambda r: edit(
        r, "content/posts/2026-01-02-beta.md", lambda t: t.replace("## Two", "## Zwei"))),
    ("body: summary marker", lambda r: edit(
        r, "content/posts/2026-01-04-delta.md", lambda t: t.replace(
            "Footnote", "Intro.\n\n<!--more-->\n\nFootnote"))),
    ("body of a translation", lambda r: edit(r, "content/posts/2026-01-02-beta-zh.md",
                                             lambda t: t + "\n更多。\n")),
    ("body of a tutorial", lambda r: edit(r, "content/tutorials/sql/01-a.md",
                                          lambda t: t + "\nMore of part A.\n")),
    ("body of the about page (in the navigation)", lambda r: edit(
        r, "content/about.md", lambda t: t + "\nMore about me.\n")),
    ("bodies of two posts at once", lambda r: (
        edit(r, "content/posts/2026-01-01-alpha.md", lambda t: t + "\nOne.\n"),
        edit(r, "content/posts/2026-01-03-gamma.md", lambda t: t + "\nTwo.\n"))),
    ("a draft's body", lambda r: edit(r, "content/posts/2026-02-01-draft.md",
                                      lambda t: t + "\nStill a draft.\n")),
    ("body then title", lambda r: edit(r, "content/posts/2026-01-01-alpha.md",
                                       lambda t: t.replace("title: Alpha", "title: Alef"))),
    ("body after a title change", lambda r: edit(r, "content/posts/2026-01-01-alpha.md",
                                                 lambda t: t + "\nAfter.\n")),
]


def test_long_lived_builder_patches_match_clean_builds(site: Path, tmp_path: Path) -> None:
    """kith serve's builder patches the last site for content-only edits: same bytes."""
    builder = build_module.Builder(site, output=site / "out", keep_memo=True,
                                   trust_outputs=True)
    builder.build()
    patched = 0
    for name, step in [*BODY_STEPS, *STEPS, *BODY_STEPS[:3]]:
        step(site)
        result = builder.build(persist=False)  # as kith serve does: save after the reload
        copy = tmp_path / "clean"
        expected = clean_build(site, tmp_path)
        assert tree(site / "out") == expected, name
        assert result.warnings == build(copy, output=copy / "again", cache=False).warnings, name
        if "keys" not in builder.timings:  # patched: no unit keys were compared
            patched += 1
            assert 0 < result.rendered < 20, name
        builder.persist()
        again = builder.build()
        assert (again.written, again.removed, again.rendered) == (0, 0, 0), name
    assert patched >= 10
    # What it saved (state, manifest) is what a one-shot build finds.
    edit(site, "content/posts/2026-01-02-beta.md", lambda t: t + "\nOne-shot.\n")
    builder.build(persist=False)
    builder.persist()
    result = build(site, output=site / "out")
    assert (result.written, result.removed, result.rendered) == (0, 0, 0)


def test_crashed_render_worker_leaves_no_temp_files(site: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers stage files themselves; when one fails, what it staged is swept away."""
    build(site)
    before = tree(site / "_site")
    edit(site, "content/about.md", lambda t: t + "\nEverything renders again.\n")
    monkeypatch.setattr(pool_module, "POOL_MIN_RENDER", 1)
    real = pool_module.render_one

    def flaky(renderer: object, uid: str, item: object, writer: object = None) -> object:
        result = real(renderer, uid, item, writer)  # type: ignore[arg-type]
        if uid == "p:content/about.md":  # its bytes changed: a temporary file was written
            raise RuntimeError("worker died")
        return result

    monkeypatch.setattr(pool_module, "render_one", flaky)
    with pytest.raises(RuntimeError, match="worker died"):
        build(site, jobs=2)
    assert tree(site / "_site") == before
    assert not list((site / "_site").rglob(f"{TEMP_PREFIX}*"))


def test_parallel_build_with_the_cache_equals_a_clean_build(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers read, parse and render sources, store the rows, and load pages' HTML
    only while they render them (then let it go): same bytes as a clean build."""
    monkeypatch.setattr(pool_module, "POOL_MIN_MARKDOWN", 1)
    monkeypatch.setattr(pool_module, "POOL_MIN_RENDER", 1)
    expected = clean_build(site, tmp_path)
    build(site, jobs=2)
    assert tree(site / "_site") == expected
    # Warm: every page Deferred, everything rendered again by the workers.
    write(site, "layouts/post.html", textwrap.dedent("""\
        {% extends "base.html" %}{% block content %}<h1>{{ page.title }}</h1>
        {{ page.html }}<p>{{ page.words }}</p>{% endblock %}"""))
    result = build(site, jobs=2)
    assert result.rendered > 0
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_source_changed_during_the_build_is_not_cached_under_its_old_digest(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = site / "content/posts/2026-01-03-gamma.md"
    before = path.read_text(encoding="utf-8")
    real = sources_module.read_many

    def edited_meanwhile(items: list[tuple[str, str]]) -> list[object]:
        # The writer saves the post after the scan hashed it, before a worker reads it.
        path.write_text(before.replace("Gamma", "Gamma Later"), encoding="utf-8")
        return real(items)

    monkeypatch.setattr(sources_module, "read_many", edited_meanwhile)
    build(site)
    monkeypatch.setattr(sources_module, "read_many", real)
    path.write_text(before, encoding="utf-8")  # back to the bytes the scan saw
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_kith_build_right_after_a_cold_one_renders_nothing(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """kith build appends the new entries' IDs to feed-ids.yaml: the feeds it just rendered
    used exactly those IDs, so the ledger it wrote is no change for the next build (which
    had rendered every feed again, 15-18 s at 30,000 posts)."""
    assert main(["-C", str(site), "build"]) == 0
    assert "new feed entry IDs in feed-ids.yaml" in capsys.readouterr().out
    builder = build_module.Builder(site, record_ids=True)
    again = builder.build()
    assert (again.written, again.rendered, again.recorded) == (0, 0, ())
    assert "assemble" not in builder.timings  # a no-op: nothing loaded, no feed rendered
    # A post added later: its ID is recorded, and the build after that is a no-op again.
    write(site, "content/posts/2026-01-05-epsilon.md", post("Epsilon"))
    added = build_module.Builder(site, record_ids=True).build()
    assert [line.split(":")[0] for line in added.recorded] == [
        '"content/posts/2026-01-05-epsilon.md"']
    builder = build_module.Builder(site, record_ids=True)
    builder.build()
    assert "assemble" not in builder.timings
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_hook_added_while_a_builder_lives_is_used(site: Path, tmp_path: Path) -> None:
    """The theme's optional hooks are looked up once per Renderer; a hook created while
    kith serve's builder lives is in the next build."""
    builder = build_module.Builder(site, output=site / "out", keep_memo=True,
                                   trust_outputs=True)
    builder.build()
    write(site, "layouts/hooks/after-post.html", '<aside id="hooked">{{ page.title }}</aside>\n')
    builder.build()
    assert tree(site / "out") == clean_build(site, tmp_path)
    assert b'<aside id="hooked">Alpha</aside>' in (site / "out/posts/alpha/index.html").read_bytes()
