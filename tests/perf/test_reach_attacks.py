"""Edits that try to leave a stale output behind an incremental build whose units are
kept by what they reach (units.Keys, Renderer.reach): after each step, the
incremental _site/ must equal a clean build of the same sources, byte for byte.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_incremental import clean_build, edit, post, tree, write

from generator.build import Builder, build
from generator.errors import KithError

Step = Callable[[Path], None]

TAGS = ["raft", "go", "sql", "rust", "paxos"]


def _names(n: int) -> list[str]:
    return [f"2025-01-{1 + i:02d}-p{i}.md" for i in range(n)]


def _site(root: Path, config: str = "", posts: int = 12) -> Path:
    write(root, "site.yaml", "title: Attack\nbase_url: https://example.com/\nlanguage: en\n"
                             "languages: [en, zh]\npaginate: 3\n" + config)
    names = _names(posts)
    for i, name in enumerate(names):
        tags = f"[{TAGS[i % len(TAGS)]}, {TAGS[(i * 2 + 1) % len(TAGS)]}]"
        body = f"Post {i}." + (f" See [the one before]({names[i - 1]})." if i else "")
        write(root, f"content/posts/{name}", post(f"P{i}", tags, body))
    write(root, "content/about.md", "---\ntitle: About\n---\nAbout me.\n")
    write(root, "content/tutorials/sql/01-a.md", "---\ntitle: A\n---\nPart A.\n")
    write(root, "content/tutorials/sql/02-b.md", "---\ntitle: B\n---\nPart B.\n")
    write(root, "content/tutorials/sql/03-c.md", "---\ntitle: C\n---\nPart C.\n")
    return root


def _post(i: int) -> str:
    return f"content/posts/{_names(12)[i]}"


def _sub(rel: str, old: str, new: str) -> Step:
    def step(root: Path) -> None:
        edit(root, rel, lambda t: (t.replace(old, new, 1) if old in t
                                   else pytest.fail(f"{old!r} not in {rel}")))
    return step


def _write(rel: str, data: str | bytes) -> Step:
    return lambda root: write(root, rel, data)


def _unlink(rel: str) -> Step:
    return lambda root: (root / rel).unlink()


def _rename(rel: str, new: str) -> Step:
    return lambda root: (root / rel).rename(root / new)


def _bulk(n: int) -> Step:
    def step(root: Path) -> None:
        for i in range(n):
            write(root, f"content/posts/2024-{1 + i % 12:02d}-{1 + i % 28:02d}-q{i}.md",
                  post(f"Q{i}", f"[{TAGS[i % 5]}]", f"Q {i}."))
    return step


def _diff(root: Path, scratch: Path) -> list[str]:
    """Paths where the incremental output differs from a clean build's."""
    mine, clean = tree(root / "_site"), clean_build(root, scratch)
    return sorted(p for p in mine.keys() | clean.keys() if mine.get(p) != clean.get(p))


ATTACKS: dict[str, tuple[str, list[tuple[str, Step]]]] = {
    # Tutorials: parts reordered, added, removed; the series' neighbours move.
    "tutorial parts": ("", [
        ("reorder", _sub("content/tutorials/sql/03-c.md", "title: C", "title: C\norder: 0")),
        ("add part", _write("content/tutorials/sql/04-d.md", "---\ntitle: D\n---\nPart D.\n")),
        ("remove part", _unlink("content/tutorials/sql/02-b.md")),
        ("rename part", _rename("content/tutorials/sql/01-a.md",
                                "content/tutorials/sql/01-aa.md")),
    ]),
    # A declared collection takes posts by their front matter.
    "declared collection": ("collections:\n  notes:\n    match: {type: note}\n", [
        ("post becomes a note", _sub(_post(4), "title: P4", "title: P4\ntype: note")),
        ("another note", _sub(_post(7), "title: P7", "title: P7\ntype: note")),
        ("note becomes a post", _sub(_post(4), "type: note\n", "")),
    ]),
    # Translations appear and disappear: hreflang links, language switchers.
    "translations": ("", [
        ("zh translation", _write("content/posts/2025-01-03-p2-zh.md", post("二", "[raft]"))),
        ("zh about", _write("content/about-zh.md", "---\ntitle: 关于\n---\n关于我。\n")),
        ("second zh post", _write("content/posts/2025-01-09-p8-zh.md", post("八", "[go]"))),
        ("drop the first", _unlink("content/posts/2025-01-03-p2-zh.md")),
        ("drop zh about", _unlink("content/about-zh.md")),
        ("drop the last zh", _unlink("content/posts/2025-01-09-p8-zh.md")),
    ]),
    # Aliases redirect to a page whose URL changes.
    "aliases": ("", [
        ("alias", _sub(_post(5), "title: P5", "title: P5\naliases: [/old/p5/]")),
        ("permalink", _sub(_post(5), "title: P5", "title: P5\npermalink: /moved/p5/")),
        ("rename", _rename(_post(5), "content/posts/2025-01-06-renamed.md")),
    ]),
    # Relative links to pages that move, appear or go.
    "links": ("", [
        ("link to about and a tutorial", _sub(
            _post(3), "Post 3.", "Post 3. [Me](../about.md) and [B](../tutorials/sql/02-b.md).")),
        ("about moves", _sub("content/about.md", "title: About",
                             "title: About\npermalink: /me/")),
        ("tutorial part renamed", _rename("content/tutorials/sql/02-b.md",
                                          "content/tutorials/sql/02-bee.md")),
        ("back", _rename("content/tutorials/sql/02-bee.md", "content/tutorials/sql/02-b.md")),
        ("linked post's date in its URL", _sub(
            "site.yaml", "paginate: 3", "paginate: 3\npermalinks:\n  posts: /:year/:month/:slug/")),
        ("target's date changes", _sub(_post(2), "title: P2", "title: P2\ndate: 2024-12-31")),
    ]),
    # Pagination: a post added at the top shifts every page of the lists it is on.
    "pagination": ("", [
        ("13th post: a 5th home page", _write("content/posts/2025-02-01-new.md",
                                              post("New", "[raft]"))),
        ("delete the oldest", _unlink(_post(0))),
        ("move the newest to the bottom", _sub("content/posts/2025-02-01-new.md",
                                               "title: New", "title: New\ndate: 2024-01-01")),
    ]),
    # Terms appear and disappear; the default menu's Tags entry.
    "terms": ("", [
        ("new term", _sub(_post(6), "tags: [go, rust]", "tags: [go, rust, zig]")),
        ("term gone", _sub(_post(6), "tags: [go, rust, zig]", "tags: [go, rust]")),
        ("no tags at all", lambda r: [edit(r, _post(i), lambda t: t.replace(
            t[t.index("tags:"):t.index("\n", t.index("tags:")) + 1], "")) for i in range(12)]),
        ("a tag again", _sub(_post(6), "title: P6", "title: P6\ntags: [solo]")),
    ]),
    # A new year in the copyright line and the archive.
    "years": ("", [
        ("2026", _write("content/posts/2026-01-01-new-year.md", post("NY", "[go]"))),
        ("back to 2025", _unlink("content/posts/2026-01-01-new-year.md")),
        ("a date moves a post a year", _sub(_post(5), "title: P5", "title: P5\ndate: 2023-05-05")),
    ]),
    # Drafts published and unpublished; a draft linked from a post.
    "drafts": ("", [
        ("draft", _write("content/posts/2025-01-20-d.md",
                         post("D", "[raft]", extra="draft: true\n"))),
        ("link to the draft", _sub(_post(1), "Post 1.", "Post 1. [D](2025-01-20-d.md).")),
        ("publish", _sub("content/posts/2025-01-20-d.md", "draft: true\n", "")),
        ("unpublish", _sub("content/posts/2025-01-20-d.md", "title: D", "title: D\ndraft: true")),
    ]),
    # Related posts of posts far from the edit (not neighbours).
    "related": ("", [
        ("retag to join", _sub(_post(11), "tags: [go, rust]", "tags: [raft, paxos, sql]")),
        ("retitle a related post", _sub(_post(11), "title: P11", "title: P Eleven")),
        ("redate a related post", _sub(_post(11), "title: P Eleven",
                                       "title: P Eleven\ndate: 2025-01-01T05:00:00")),
    ]),
    # Feed IDs edited by hand; the entry's ID is only in feeds.
    "feed ids": ("", [
        ("ids", lambda r: write(r, "feed-ids.yaml", (r / "feed-ids.yaml").read_text(
            encoding="utf-8").replace("p11", "p11-by-hand"))),
        ("ledger gone", _unlink("feed-ids.yaml")),
    ]),
    # Front matter images and the head's og:image / JSON-LD.
    "head image": ("", [
        ("image", _sub(_post(9), "title: P9", "title: P9\nimage: img/a.png")),
        ("static appears", _write("content/posts/img/a.png", b"\x89PNG one")),
        ("static changes size", _write("content/posts/img/a.png", b"\x89PNG larger one")),
        ("static goes", _unlink("content/posts/img/a.png")),
    ]),
    # A podcast enclosure's length is the static file's size.
    "audio enclosure": ("", [
        ("audio", _sub(_post(9), "title: P9", "title: P9\naudio: ep.mp3")),
        ("file appears", _write("content/posts/ep.mp3", b"ID3" + b"x" * 10)),
        ("file grows", _write("content/posts/ep.mp3", b"ID3" + b"x" * 20)),
    ]),
    # A series index of its own replaces the one Kith made up, and goes again.
    "series index": ("", [
        ("index", _write("content/tutorials/sql/_index.md", "---\ntitle: SQL Course\n---\nAll.\n")),
        ("retitled", _sub("content/tutorials/sql/_index.md", "SQL Course", "SQL")),
        ("gone", _unlink("content/tutorials/sql/_index.md")),
    ]),
    # Templates that read the whole site inside {% cache %} fragments, macros, hooks.
    "fragment of site.posts": ("", [
        ("template", _write("layouts/page.html", "{% extends 'base.html' %}{% block content %}"
                            "{% cache 'recent' %}{% for p in site.posts[lang.code][:2] %}"
                            "{{ p.title }}{% endfor %}{% endcache %}{% endblock %}")),
        ("post layout too", _write("layouts/post.html", "{% extends 'base.html' %}"
                                   "{% block content %}{{ page.title }}{% cache 'recent' %}"
                                   "{% for p in site.posts[lang.code][:2] %}{{ p.title }}"
                                   "{% endfor %}{% endcache %}{% endblock %}")),
        ("new post", _write("content/posts/2025-02-01-new.md", post("New", "[raft]"))),
        ("retitle it", _sub("content/posts/2025-02-01-new.md", "title: New", "title: Newer")),
        ("delete it", _unlink("content/posts/2025-02-01-new.md")),
    ]),
    "macro reading site.pages": ("", [
        ("macros", _write("layouts/_mine.html", "{% macro count() %}{{ site.pages | length }}"
                          " {{ site.taxonomies.tags[lang.code] | length }}{% endmacro %}")),
        ("hook", _write("layouts/hooks/footer.html",
                        "{% import '_mine.html' as mine with context %}{{ mine.count() }}")),
        ("new post", _write("content/posts/2025-02-01-new.md", post("New", "[zig]"))),
        ("new page", _write("content/colophon.md", "---\ntitle: Colophon\n---\nMade.\n")),
    ]),
    # What a template is handed, read the long way round.
    "page context": ("", [
        ("post layout", _write("layouts/post.html", "{% extends 'base.html' %}"
                               "{% block content %}{{ newer.url if newer }}"
                               "{{ older.tags if older }}"
                               "{% for r in related(page) %}{{ r.url }}{{ r.tags }}{% endfor %}"
                               "{% for t in translations %}{{ t.url }}{% endfor %}"
                               "{{ page.extra }}{% endblock %}")),
        ("neighbour's tags", _sub(_post(6), "tags: [go, rust]", "tags: [go, rust, zig]")),
        ("related's permalink", _sub(_post(5), "title: P5", "title: P5\npermalink: /x/p5/")),
        ("extra", _sub(_post(5), "title: P5", "title: P5\nmood: happy")),
    ]),
    "tutorial context": ("", [
        ("layout", _write("layouts/tutorial.html", "{% extends 'base.html' %}"
                          "{% block content %}{{ series.index.url }}{{ series.index.title }}"
                          "{% for p in series.parts %}{{ p.url }}{{ p.title }}{% endfor %}"
                          "{{ prev_part.title if prev_part }}{{ next_part.url if next_part }}"
                          "{% endblock %}")),
        ("retitle a part", _sub("content/tutorials/sql/03-c.md", "title: C", "title: Cee")),
        ("move a part", _sub("content/tutorials/sql/03-c.md", "title: Cee",
                             "title: Cee\npermalink: /c/")),
        ("new part", _write("content/tutorials/sql/05-e.md", "---\ntitle: E\n---\nE.\n")),
    ]),
    # A term page's items and counts; the terms page.
    "term template": ("", [
        ("layout", _write("layouts/term.html", "{% extends 'base.html' %}{% block content %}"
                          "{{ term.name }}:{% for p in term.pages %}{{ p.url }}{% endfor %}"
                          "{% for p in paginator.items %}{{ p.title }}{% endfor %}"
                          "{{ paginator.total }}{% endblock %}")),
        ("post joins a term", _sub(_post(0), "tags: [raft, go]", "tags: [raft, go, sql]")),
        ("a term post moves", _sub(_post(2), "title: P2", "title: P2\npermalink: /p2/")),
    ]),
    # Outputs that change hands: a moved post's alias at its old URL, a post taking
    # the URL of one deleted in the same step, two posts swapping URLs.
    "outputs change hands": ("", [
        ("move, alias at the old URL", _sub(_post(5), "title: P5", "title: P5\n"
                                            "permalink: /moved/p5/\naliases: [/posts/p5/]")),
        ("move back", _sub(_post(5), "permalink: /moved/p5/\naliases: [/posts/p5/]\n", "")),
        ("take a deleted post's URL", lambda r: (
            (r / _post(5)).unlink(),
            _sub(_post(6), "title: P6", "title: P6\npermalink: /posts/p5/")(r))),
        ("swap", lambda r: (
            _sub(_post(6), "permalink: /posts/p5/", "permalink: /posts/p7/")(r),
            _sub(_post(7), "title: P7", "title: P7\npermalink: /posts/p6/")(r))),
    ]),
    # A translation dropped into a declared collection stays linked to its original.
    "translation becomes a note": ("collections:\n  notes:\n    match: {type: note}\n", [
        ("zh translation", _write("content/posts/2025-01-03-p2-zh.md", post("二", "[raft]"))),
        ("it is a note", _sub("content/posts/2025-01-03-p2-zh.md", "title: 二",
                              "title: 二\ntype: note")),
        ("the original too", _sub(_post(2), "title: P2", "title: P2\ntype: note")),
        ("the translation moves", _sub("content/posts/2025-01-03-p2-zh.md", "title: 二",
                                       "title: 二\npermalink: /zh/two/")),
    ]),
    # The search index in shards of a few pages: pages join, leave and move between
    # shards; the search page lists the shards' folders.
    "search shards": ("search:\n  shard_size: 50\n", [
        ("70 posts of 2024", _bulk(70)),
        ("an old post", _write("content/posts/2020-01-01-old.md", post("Old", "[raft]"))),
        ("a new post", _write("content/posts/2025-03-01-new.md", post("New", "[go]"))),
        ("the old one retitled", _sub("content/posts/2020-01-01-old.md", "title: Old",
                                      "title: Older")),
        ("the new one dated back", _sub("content/posts/2025-03-01-new.md", "title: New",
                                        "title: New\ndate: 2019-01-01")),
        ("the old one goes", _unlink("content/posts/2020-01-01-old.md")),
        ("zh", _write("content/posts/2025-01-03-p2-zh.md", post("二", "[raft]"))),
    ]),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack(tmp_path: Path, attack: str) -> None:
    config, steps = ATTACKS[attack]
    root = _site(tmp_path / "site", config)
    Builder(root, record_ids=True).build()  # as `kith build` does
    for name, step in steps:
        step(root)
        Builder(root, record_ids=True).build()
        assert _diff(root, tmp_path) == [], f"{attack}: {name}"


def test_a_failed_build_between_structure_edits(tmp_path: Path) -> None:
    """A build that fails keeps nothing of its own: the next one starts from the last
    good build, whatever the edits in between."""
    root = _site(tmp_path / "site")
    build(root)
    write(root, "content/posts/2025-02-01-new.md", post("New", "[raft]"))
    _sub(_post(3), "title: P3", "title: [P3")(root)  # broken YAML
    with pytest.raises(KithError):
        build(root)
    (root / "content/posts/2025-02-01-new.md").unlink()
    edit(root, _post(3), lambda t: t.replace("title: [P3", "title: P3"))
    _sub(_post(7), "tags: [sql, raft]", "tags: [sql]")(root)
    build(root)
    assert _diff(root, tmp_path) == []
    write(root, "content/posts/2025-02-01-new.md", post("New", "[raft]"))
    edit(root, _post(5), lambda t: t.replace("title: P5", "title: P5\ndate: [oops"))
    with pytest.raises(KithError):
        build(root)
    edit(root, _post(5), lambda t: t.replace("date: [oops", "date: 2024-06-01"))
    build(root)
    assert _diff(root, tmp_path) == []


def test_a_long_lived_builder_mixing_patches_and_structure_edits(tmp_path: Path) -> None:
    """kith serve's builder: patches (body edits) between builds that add, move and
    delete posts, and a failed build among them."""
    root = _site(tmp_path / "site")
    builder = Builder(root, output=root / "_site", keep_memo=True, trust_outputs=True)
    builder.build()
    new = "content/posts/2025-02-01-new.md"
    steps: list[tuple[str, Step]] = [
        ("body", _sub(_post(4), "Post 4.", "Post 4, longer.")),
        ("add", _write(new, post("New", "[raft, go]", "New. [P4](2025-01-05-p4.md)"))),
        ("body of the new post", _sub(new, "New.", "Newer.")),
        ("link from a body to a moving page",
         _sub(_post(8), "Post 8.", "Post 8. [N](2025-02-01-new.md)")),
        ("move it", _sub(new, "title: New", "title: New\npermalink: /n/")),
        ("body of its neighbour", _sub(_post(11), "Post 11.", "Post eleven.")),
        ("retitle", _sub(new, "title: New", "title: Brand new")),
        ("broken", _sub(_post(2), "title: P2", "title: [P2")),
        ("body while broken", _sub(_post(6), "Post 6.", "Post six.")),
        ("fixed", _sub(_post(2), "title: [P2", "title: P2")),
        ("body again", _sub(_post(6), "Post six.", "Post 6!")),
        ("delete", _unlink(new)),
        ("body after the delete", _sub(_post(8), "Post 8.", "Post eight.")),
    ]
    patched = []
    for name, step in steps:
        step(root)
        try:
            builder.build(persist=False)
        except KithError:
            assert name in ("broken", "body while broken"), name
            continue
        if "keys" not in builder.timings:
            patched.append(name)
        builder.persist()
        assert _diff(root, tmp_path) == [], name
        again = build(root)  # a one-shot build after it: nothing to do
        assert (again.written, again.removed) == (0, 0), name
    assert "body" in patched and "body of the new post" in patched, patched


def test_a_future_post_comes_due(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from generator import build as build_module
    from generator import patch as patch_module
    from generator import selection

    now = [dt.datetime(2025, 1, 20, tzinfo=dt.UTC)]
    for module in (build_module, selection, patch_module):
        monkeypatch.setattr(module, "build_time", lambda: now[0])
    root = _site(tmp_path / "site")
    write(root, "content/posts/2025-01-25-due.md", post("Due", "[raft, go]"))
    edit(root, _post(10), lambda t: t.replace("Post 10.", "Post 10. [Due](2025-01-25-due.md)"))
    build(root)
    assert not (root / "_site/posts/due").exists()
    now[0] = dt.datetime(2025, 1, 26, tzinfo=dt.UTC)
    build(root)
    assert (root / "_site/posts/due/index.html").exists()
    assert _diff(root, tmp_path) == []


def test_a_cold_parallel_build_then_edits(tmp_path: Path) -> None:
    """Keys taken by the render workers (a cold build of more than POOL_MIN_RENDER units)
    are the keys the next build compares."""
    root = _site(tmp_path / "site", posts=12)
    for i in range(12, 230):
        write(root, f"content/posts/2024-{1 + i % 12:02d}-{1 + i % 28:02d}-q{i}.md",
              post(f"Q{i}", f"[{TAGS[i % 5]}]", f"Q {i}."))
    build(root, jobs=2)
    write(root, "content/posts/2025-02-01-new.md", post("New", "[raft, go]"))
    build(root, jobs=2)
    assert _diff(root, tmp_path) == []
    _sub(_post(4), "tags: [paxos, paxos]", "tags: [go]")(root)
    build(root, jobs=2)
    assert _diff(root, tmp_path) == []


def _holds_pages(value: object, depth: int = 0) -> bool:
    from generator.model import Page, Series, Site, Term

    if isinstance(value, Page | Term | Series | Site):
        return True
    if depth > 4:
        return False
    if isinstance(value, dict):
        return any(_holds_pages(v, depth + 1) for v in value.values())
    if isinstance(value, tuple | list):
        return any(_holds_pages(v, depth + 1) for v in value)
    return False


def test_what_templates_see_as_site_reports_every_read_of_pages(tmp_path: Path) -> None:
    """Each name a template can read on ``site`` that leads to pages reports the read
    (so the output renders again when the structure changes): ``site.site.posts``
    read every post unseen."""
    from generator.build import assemble
    from generator.layouts import Renderer

    root = _site(tmp_path / "site")
    write(root, "content/posts/2025-01-03-p2-zh.md", post("二", "[raft]"))
    site = assemble(root, save_cache=False).site
    renderer = Renderer(site)
    reads: list[str] = []
    for view in renderer.views.values():
        for name in dir(view):
            if name.startswith("_"):
                continue
            reads.clear()
            renderer.on_site_read = lambda name=name: reads.append(name)
            value = getattr(view, name)
            if _holds_pages(value):
                assert reads == [name], f"site.{name} leads to pages unrecorded"


def test_a_template_error_between_structure_edits(tmp_path: Path) -> None:
    """A build whose template fails on one page (a warning or an error) is followed
    by one that must still render whatever the structure edits reached."""
    root = _site(tmp_path / "site")
    build(root)
    write(root, "layouts/page.html", "{% extends 'base.html' %}{% block content %}"
                                     "{{ site.posts[lang.code] | length }}{{ page.nope.deeper }}"
                                     "{% endblock %}")
    write(root, "content/posts/2025-02-01-new.md", post("New", "[raft]"))
    try:
        build(root)
    except KithError:
        pass
    write(root, "layouts/page.html", "{% extends 'base.html' %}{% block content %}"
                                     "{{ site.posts[lang.code] | length }}{% endblock %}")
    build(root)
    assert _diff(root, tmp_path) == []
    (root / "content/posts/2025-02-01-new.md").unlink()
    build(root)
    assert _diff(root, tmp_path) == []


def test_a_patch_renders_fragments_keyed_by_other_values_again(tmp_path: Path) -> None:
    """kith serve patches a post's summary in place; a {% cache %} fragment keyed by a
    name ('recent') that shows it must not stand as first rendered (a reuse checks only
    the pages in its key)."""
    root = _site(tmp_path / "site")
    write(root, "layouts/page.html", "{% extends 'base.html' %}{% block content %}"
                                     "{% cache 'recent' %}{% for p in site.posts[lang.code][:2] %}"
                                     "{{ p.description }}{% endfor %}{% endcache %}{% endblock %}")
    builder = Builder(root, output=root / "_site", keep_memo=True, trust_outputs=True)
    builder.build()
    _sub(_post(11), "summary: About P11", "summary: Changed")(root)
    builder.build(persist=False)
    assert "keys" not in builder.timings  # patched
    builder.persist()
    assert b"Changed" in (root / "_site/about/index.html").read_bytes()
    assert _diff(root, tmp_path) == []


class _Edits:
    """Random edits of a small bilingual site with a declared collection: posts added,
    deleted, renamed, retitled, re-tagged, linked, moved (permalink, date), aliased,
    drafted, made notes; a tutorial part coming and going."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.posts: dict[str, dict[str, Any]] = {}
        write(root, "site.yaml", "title: F\nbase_url: https://example.com/\nlanguage: en\n"
                                 "languages: [en, zh]\npaginate: 3\nsearch: false\n"
                                 "collections:\n  notes:\n    match: {type: note}\n")
        write(root, "content/about.md", "---\ntitle: About\n---\nMe.\n")
        write(root, "content/tutorials/s/01-a.md", "---\ntitle: A\n---\nA.\n")
        write(root, "content/tutorials/s/02-b.md", "---\ntitle: B\n---\nB.\n")
        for _ in range(8):
            self.add()

    def _save(self, name: str) -> None:
        d = self.posts[name]
        extra = "".join(f"{k}: {v}\n" for k, v in d["extra"].items())
        write(self.root, f"content/posts/{name}",
              f"---\ntitle: {d['title']}\ntags: [{', '.join(d['tags'])}]\n"
              f"summary: {d['summary']}\n{extra}---\n\n{d['body']}\n")

    def _name(self) -> str:
        r = self.rng
        return (f"2025-{r.randint(1, 3):02d}-{r.randint(1, 28):02d}-x{r.randint(0, 30)}"
                f"{r.choice(['', '', '', '-zh'])}.md")

    def _pick(self) -> str:
        return self.rng.choice(sorted(self.posts))

    def add(self) -> str:
        name, r = self._name(), self.rng
        if name not in self.posts:
            self.posts[name] = {"title": f"T{r.randint(0, 99)}", "summary": "S",
                                "tags": r.sample(TAGS, r.randint(0, 2)), "extra": {},
                                "body": f"Body {r.randint(0, 99)}."}
            self._save(name)
        return f"add {name}"

    def delete(self) -> str:
        name = self._pick()
        (self.root / f"content/posts/{name}").unlink()
        del self.posts[name]
        return f"delete {name}"

    def rename(self) -> str:
        name, new = self._pick(), self._name()
        if new not in self.posts:
            (self.root / f"content/posts/{name}").rename(self.root / f"content/posts/{new}")
            self.posts[new] = self.posts.pop(name)
        return f"rename {name} {new}"

    def change(self) -> str:
        name, r = self._pick(), self.rng
        d = self.posts[name]
        what = r.choice(["title", "summary", "body", "tags", "extra", "extra"])
        if what == "body":
            d["body"] = f"Body {r.randint(0, 99)}. [l]({self._pick()})"
        elif what == "tags":
            d["tags"] = r.sample(TAGS, r.randint(0, 3))
        elif what == "extra":
            key, value = r.choice([
                ("permalink", f"/p/{r.randint(0, 5)}/"), ("type", "note"), ("draft", "true"),
                ("date", f"2025-0{r.randint(1, 3)}-{r.randint(10, 28)}"),
                ("aliases", f"[/al/{r.randint(0, 5)}/]"), ("updated", "2025-06-01")])
            if d["extra"].pop(key, None) is None:
                d["extra"][key] = value
            what = f"{key}={d['extra'].get(key)}"
        else:
            d[what] = f"{what[0].upper()}{r.randint(0, 99)}"
        self._save(name)
        return f"{what} {name}"

    def tutorial(self) -> str:
        part = self.root / "content/tutorials/s/03-c.md"
        if part.exists():
            part.unlink()
            return "tutorial part gone"
        write(self.root, "content/tutorials/s/03-c.md", f"---\ntitle: C\norder: "
              f"{self.rng.randint(0, 3)}\n---\nC [x](../../posts/{self._pick()}).\n")
        return "tutorial part"

    def step(self) -> str:
        if not self.posts:
            return self.add()
        return self.rng.choice([self.add, self.add, self.delete, self.rename, self.change,
                                self.change, self.change, self.tutorial])()


@pytest.mark.parametrize(("seed", "serve"), [(1, False), (2, True)])
def test_random_edits_match_clean_builds(tmp_path: Path, seed: int, serve: bool) -> None:
    """Differential: after each random edit (some make the build fail: clashing URLs),
    a one-shot build, or kith serve's long-lived builder, equals a clean build."""
    rng = random.Random(seed)
    root = tmp_path / "site"
    edits = _Edits(root, rng)
    builder = Builder(root, output=root / "_site", keep_memo=serve, trust_outputs=serve)
    done: list[str] = []
    for _ in range(12):
        done.append(edits.step())
        try:
            if serve:
                builder.build(persist=False)
                builder.persist()
            else:
                Builder(root, record_ids=True).build()
        except KithError:
            done.append("(failed)")
            continue
        assert _diff(root, tmp_path) == [], done
    assert done.count("(failed)") < 6, done  # most steps built
