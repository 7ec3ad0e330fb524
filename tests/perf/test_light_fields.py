"""What a list shows of a page (its description, summary, reading time) is stored apart
from the page's HTML and text, and versioned by value.

A list rendered again in a warm build loads those small fields alone, not each listed
page's whole Markdown result; a paragraph added at the end of a post without a
summary leaves its lead, so the lists it is on are not rendered again. Each step is
checked against a clean build of the same sources, byte for byte.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

import pytest
from test_incremental import clean_build, edit, tree, write

from generator import cache as store
from generator.build import build
from generator.markdown import render_markdown
from generator.model import MORE_TEXT, Page, lead_of

POSTS = 12


def _post(i: int, body: str) -> str:
    # No summary: a list shows the post's lead (its text, cut to 200 characters).
    return f"---\ntitle: P{i}\ntags: [raft]\n---\n\n{body}\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    # Feeds of summaries and no search index: what loads whole results is the pages'
    # own renders alone (a full-content feed or a search shard reads its pages' HTML).
    write(root, "site.yaml", "title: Light\nbase_url: https://example.com/\nlanguage: en\n"
                             "paginate: 5\nfeeds: {content: summary, per_collection: false}\n"
                             "search: false\n")
    for i in range(POSTS):
        body = (f"Post {i} opens with a sentence that lists show.\n\n"
                + "A long paragraph of the post's own words. " * 40)
        write(root, f"content/posts/2025-01-{i + 1:02d}-p{i}.md", _post(i, body))
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every key the content store is asked for."""
    asked: list[str] = []
    real = store.ContentCache.get_many

    def spied(self: store.ContentCache, keys: object) -> dict[str, object]:
        wanted = list(keys)  # type: ignore[call-overload]
        asked.extend(wanted)
        return real(self, wanted)
    monkeypatch.setattr(store.ContentCache, "get_many", spied)
    return asked


def _full_rows(asked: list[str]) -> list[str]:
    """Whole Markdown results asked for (not a brief, facts or light row)."""
    return [k for k in asked if ":" not in k and len(k) == 40]


def test_a_list_rendered_again_loads_only_the_light_fields(site: Path, tmp_path: Path,
                                                           reads: list[str]) -> None:
    build(site)
    reads.clear()
    # A new newest post: every home and tag page renders again (each shifts by one).
    write(site, "content/posts/2025-02-01-new.md", _post(99, "The newest post."))
    result = build(site)
    asked = list(reads)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    light = [k for k in asked if k.endswith(":light")]
    assert len(light) >= POSTS - 2, asked
    # Whole results only for the pages rendered again (its neighbour, the posts it is
    # related to; the new post's own is made in this build), not for those on lists.
    full = _full_rows(asked)
    assert 0 < len(full) < result.rendered < POSTS, (full, result)


def test_a_paragraph_at_the_end_renders_no_list_again(site: Path, tmp_path: Path) -> None:
    build(site)
    rel = "content/posts/2025-01-05-p4.md"
    edit(site, rel, lambda t: t + "\nOne more paragraph at the end.\n")
    end = build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    # The post itself and its feeds' full content; its related posts do not show its
    # text. Lists show its lead, unchanged.
    assert end.rendered == 1, end
    edit(site, rel, lambda t: t.replace("Post 4 opens with", "Post four now opens with"))
    start = build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    assert start.rendered > end.rendered  # the lists that show the lead


def test_a_store_without_light_rows_loads_whole_results(site: Path, tmp_path: Path) -> None:
    """Rows written by `kith serve` or an older store: the whole result stands in."""
    build(site)
    db = sqlite3.connect(site / ".cache" / "content.sqlite")
    with db:
        gone = db.execute("DELETE FROM entries WHERE k LIKE '%:light'").rowcount
    db.close()
    assert gone >= POSTS
    write(site, "content/posts/2025-02-01-new.md", _post(99, "The newest post."))
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)


@pytest.mark.parametrize("body", [
    "Short.",
    "Above the fold.\n\n<!--more-->\n\nBelow it, " + "many words " * 40,
    "word " * 100,
    "",
])
def test_the_lead_is_the_description_the_text_gives(body: str) -> None:
    rendered = render_markdown(body)
    assert rendered.lead == lead_of(rendered.text)
    assert MORE_TEXT not in rendered.lead
    page = partial(Page, source="posts/x.md", collection="posts", slug="x", lang="en",
                   key="x", body=body, title="X")
    assert page(text=rendered.text).description == rendered.lead  # no lead: from the text
    assert page(text="", lead=rendered.lead).description == rendered.lead
    assert page(summary="Mine", lead=rendered.lead).description == "Mine"


def test_a_light_summary_has_its_links_resolved(site: Path, tmp_path: Path) -> None:
    """A list shows a post's summary HTML (with formulas, as MathML) when it has no
    summary: loaded alone, its links still lead where they would in a clean build,
    also after their target moves."""
    rel = "content/posts/2025-01-03-p2.md"
    write(site, rel, _post(2, "Euler: $e^{i\\pi} + 1 = 0$, after [p1](2025-01-02-p1.md).\n\n"
                              + "More words. " * 50))
    build(site)
    write(site, "content/posts/2025-02-01-new.md", _post(99, "The newest post."))
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    home = (site / "_site/page/3/index.html").read_text()  # 13 posts, 5 a page
    assert '<div class="entry-summary"><p>Euler: <math' in home
    assert 'href="/posts/p1/"' in home
    edit(site, "content/posts/2025-01-02-p1.md",
         lambda t: t.replace("tags:", "permalink: /moved/p1/\ntags:"))
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    assert 'href="/moved/p1/"' in (site / "_site/page/3/index.html").read_text()


def test_kith_serve_keeps_the_light_row_of_a_patched_page(site: Path) -> None:
    """kith serve patches an edited page in place: the store keys it keeps are the new
    result's, light row included, so a preview session's prune (more than 64 stale rows)
    leaves the page's light row in the store for the next `kith build`. (A helper's
    attack found the light key left out of the swap.)"""
    from generator.build import Builder
    rel = "content/posts/2025-01-03-p2.md"
    builder = Builder(site, output=site / "_site", keep_memo=True, trust_outputs=True)
    builder.build()
    old = builder.hot.loaded.mkeys[rel]
    for n in range(20):
        edit(site, rel, lambda t, n=n: t.replace("Post 2 opens" if n == 0 else
                                                 f"Post 2.{n - 1} opens", f"Post 2.{n} opens"))
        builder.build(persist=False)
        assert "keys" not in builder.timings  # patched, not built again
        live = builder._unsaved
        assert live is not None and store.light_key(old) not in live
        assert store.light_key(builder.hot.loaded.mkeys[rel]) in live
    builder.persist()
    db = sqlite3.connect(site / ".cache" / "content.sqlite")
    kept = {k for (k,) in db.execute("SELECT k FROM entries")}
    db.close()
    assert store.light_key(builder.hot.loaded.mkeys[rel]) in kept
    assert store.light_key(old) not in kept  # pruned: 20 patches left 60+ stale rows
