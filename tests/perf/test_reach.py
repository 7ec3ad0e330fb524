"""A new, deleted or re-tagged post renders again only what it reaches, and the
outputs that read a whole collection of the site render again with any such change.

Each step is checked against a clean build of the same sources, byte for byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_incremental import clean_build, edit, post, tree, write

from generator import build as build_module
from generator import pool as pool_module
from generator.build import build

TAGS = ["raft", "go", "sql", "rust", "paxos", "books", "music", "travel"]


def _site(root: Path, posts: int = 40) -> Path:
    write(root, "site.yaml", "title: Reach\nbase_url: https://example.com/\nlanguage: en\n"
                             "paginate: 5\n")
    names = [f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}-p{i}.md" for i in range(posts)]
    for i, name in enumerate(names):
        tags = f"[{TAGS[i % len(TAGS)]}, {TAGS[(i * 3 + 1) % len(TAGS)]}]"
        body = f"Post {i}." + (f" See [the one before]({names[i - 1]})." if i else "")
        write(root, f"content/posts/{name}", post(f"P{i}", tags, body))
    write(root, "content/about.md", "---\ntitle: About\n---\nAbout me.\n")
    return root


@pytest.fixture
def reach_site(tmp_path: Path) -> Path:
    return _site(tmp_path / "site")


@pytest.mark.parametrize("keys_on_all_cores", [False, True])
def test_a_new_post_renders_what_it_joins(reach_site: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          keys_on_all_cores: bool) -> None:
    mapped: list[int] = []
    if keys_on_all_cores:  # as on a big site: the keys of a new structure in workers
        monkeypatch.setattr(build_module, "POOL_MIN_KEYS", 2)
        real = pool_module.Pool.map

        def spied(self: pool_module.Pool, func: Any, items: list[Any], what: str,
                  *args: Any, **kwargs: Any) -> list[Any]:
            if what == "keys":
                mapped.append(len(items))
            return real(self, func, items, what, *args, **kwargs)
        monkeypatch.setattr(pool_module.Pool, "map", spied)
    first = build(reach_site, jobs=2)
    new = "content/posts/2025-01-15-new.md"
    write(reach_site, new, post("New", "[music, paxos]"))
    added = build(reach_site, jobs=2)
    assert tree(reach_site / "_site") == clean_build(reach_site, tmp_path)
    # Its neighbours, the posts it becomes related to, the home and tag pages it
    # joins (and the pages after it there), the archive: not every post.
    assert 0 < added.rendered < first.rendered / 2, (added.rendered, first.rendered)
    (reach_site / new).unlink()
    removed = build(reach_site, jobs=2)
    assert tree(reach_site / "_site") == clean_build(reach_site, tmp_path)
    assert 0 < removed.rendered < first.rendered / 2, (removed.rendered, first.rendered)
    again = build(reach_site)
    assert (again.written, again.removed, again.rendered) == (0, 0, 0)
    if keys_on_all_cores:  # the added and the removed post: each keyed many units
        assert len(mapped) == 2 and min(mapped) > 20, mapped


def test_a_link_whose_target_moves_renders_the_page_again(reach_site: Path,
                                                          tmp_path: Path) -> None:
    build(reach_site)
    # p5 links to p4; p4 gets a permalink of its own: p5's HTML changes, not its source.
    edit(reach_site, "content/posts/2025-01-05-p4.md",
         lambda t: t.replace("summary:", "permalink: /moved/p4/\nsummary:"))
    build(reach_site)
    assert tree(reach_site / "_site") == clean_build(reach_site, tmp_path)
    assert b'href="/moved/p4/"' in (reach_site / "_site/posts/p5/index.html").read_bytes()


WHOLE_SITE = {
    "site.posts": "{% for p in site.posts[lang.code] %}<a href='{{ p.url }}'>{{ p.title }}</a>"
                  "{% endfor %}",
    "site.pages": "{{ site.pages | length }} pages",
    "site.taxonomies": "{% for t in site.taxonomies.tags[lang.code] %}{{ t.name }}"
                       "={{ t.pages | length }} {% endfor %}",
    # P7's related posts, reached through the about page: another page's.
    "related() of another page": "{% for p in site_posts if p.title == 'P7' %}"
                                 "{{ related(p) | map(attribute='title') | join(',') }}"
                                 "{% endfor %}",
}


@pytest.mark.parametrize("reads", sorted(WHOLE_SITE))
def test_a_template_that_reads_the_whole_site_renders_again(reach_site: Path,
                                                             tmp_path: Path,
                                                             reads: str) -> None:
    body = WHOLE_SITE[reads].replace("site_posts", "site.posts[lang.code]")
    write(reach_site, "layouts/page.html",
          "{% extends 'base.html' %}{% block content %}" + body + "{% endblock %}")
    build(reach_site)
    about = reach_site / "_site/about/index.html"
    before = about.read_bytes()
    # Dated next to P7, with both its tags: a new post on every list, and P7's most
    # related post.
    write(reach_site, "content/posts/2025-01-08-twin.md", post("Twin", "[travel, music]"))
    build(reach_site)
    assert about.read_bytes() != before, reads
    assert tree(reach_site / "_site") == clean_build(reach_site, tmp_path)


def test_an_enclosure_that_grows_changes_the_feed(tmp_path: Path) -> None:
    """A feed entry's enclosure gives its file's length: a new file of the same name is
    a new length, though no page changed."""
    root = tmp_path / "site"
    write(root, "site.yaml", "title: Casts\nbase_url: https://example.com/\nlanguage: en\n")
    write(root, "content/posts/2025-01-01-ep.md", post("Ep", extra="audio: ep.mp3\n"))
    write(root, "content/posts/ep.mp3", b"\0" * 1000)
    build(root)
    assert b'length="1000"' in (root / "_site/feed.xml").read_bytes()
    write(root, "content/posts/ep.mp3", b"\0" * 5000)
    build(root)
    assert b'length="5000"' in (root / "_site/feed.xml").read_bytes()
    assert tree(root / "_site") == clean_build(root, tmp_path)


def test_made_up_series_indexes_of_two_languages_keep_their_own_keys(tmp_path: Path) -> None:
    """A series without an _index.md gets an index page named after its folder, in each
    language: one source, two structures."""
    from generator import units
    from generator.model import Page

    def index(lang: str) -> Page:
        return Page(source="content/tutorials/sql", collection="tutorials", title="Sql",
                    slug="sql", lang=lang, key="tutorials/sql", body="", is_index=True,
                    url=f"/{lang}/tutorials/sql/")

    keys = units.Keys({}, lambda item: ())
    en, zh = keys.of(index("en")), keys.of(index("zh"))
    assert en != zh
    assert (keys.of(index("en")), keys.of(index("zh"))) == (en, zh)



RELATED_LAYOUTS = {
    "always": "{{ related(page) | map(attribute='title') | join(',') }}",
    "never": "",
    # Shown only on posts tagged books: a post retagged so shows them from then on.
    "when tagged books": "{% if 'books' in page.tags %}"
                         "{{ related(page) | map(attribute='title') | join(',') }}{% endif %}",
}


def _post_layout(root: Path, related: str) -> None:
    write(root, "layouts/post.html", "{% extends 'base.html' %}{% block content %}"
          "{{ page.title }}|" + RELATED_LAYOUTS[related] + "{% endblock %}")


def test_related_posts_are_in_a_key_only_where_the_render_showed_them(tmp_path: Path) -> None:
    added, retagged = {}, {}
    for related in RELATED_LAYOUTS:
        root = _site(tmp_path / related)
        _post_layout(root, related)
        clean = tmp_path / f"{related}-clean"
        build(root, jobs=2)
        # Both tags of P7, P15, P23... (none tagged books): their most related post.
        write(root, "content/posts/2025-01-15-new.md", post("New", "[travel, music]"))
        added[related] = build(root, jobs=2).rendered
        assert tree(root / "_site") == clean_build(root, clean)
        for name in ("2025-01-16-p15", "2025-01-24-p23"):  # now they show them
            edit(root, f"content/posts/{name}.md", lambda t: t.replace("tags: [", "tags: [books, "))
        build(root, jobs=2)
        assert tree(root / "_site") == clean_build(root, clean)
        write(root, "content/posts/2025-01-20-newer.md", post("Newer", "[travel, music]"))
        retagged[related] = build(root, jobs=2).rendered
        assert tree(root / "_site") == clean_build(root, clean)
        again = build(root)
        assert (again.written, again.rendered) == (0, 0)
    # A theme that never shows related posts renders no post again for being related;
    # one that shows them on some posts, those posts.
    assert added["never"] == added["when tagged books"] < added["always"], added
    assert retagged["never"] < retagged["when tagged books"] < retagged["always"], retagged


def test_a_patched_page_that_starts_showing_related_posts_keys_them(tmp_path: Path) -> None:
    """kith serve's builder patches a body edit in place: when the edit makes the page
    show its related posts, its key takes them from then on."""
    root = _site(tmp_path / "site")
    write(root, "layouts/post.html", "{% extends 'base.html' %}{% block content %}"
          "{% if 'Books' in page.html %}{{ related(page) | map(attribute='title') | join(',') }}"
          "{% endif %}{{ page.html }}{% endblock %}")
    builder = build_module.Builder(root, keep_memo=True, trust_outputs=True)
    builder.build()
    edit(root, "content/posts/2025-01-16-p15.md", lambda t: t + "\nBooks.\n")
    builder.build()
    assert "keys" not in builder.timings  # patched, not planned
    write(root, "content/posts/2025-01-20-newer.md", post("Newer", "[travel, music]"))
    builder.build()
    assert b"Newer" in (root / "_site/posts/p15/index.html").read_bytes()
    assert tree(root / "_site") == clean_build(root, tmp_path)


def test_workers_render_the_longest_lists_first_and_results_come_in_order(
        reach_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import units
    from generator.build import assemble
    from generator.layouts import Renderer
    from generator.site import Listing

    assembled = assemble(reach_site)
    renderer = Renderer(assembled.site)
    todo = units.page_units(assembled.site, assembled.listings)
    real = pool_module._render_many

    def spied(bounds: tuple[int, int]) -> tuple[list[Any], bool]:
        part, bad = real(bounds)  # each rendering tagged with where its chunk started
        return [(*r[:3], {f"chunk {bounds[0]}"}, *r[4:]) for r in part], bad
    spied.__module__, spied.__qualname__ = real.__module__, real.__qualname__  # (pickled)
    monkeypatch.setattr(pool_module, "_render_many", spied)
    monkeypatch.setattr(pool_module, "POOL_MIN_RENDER", 1)
    got = list(pool_module.Pool(2, pool_module.Progress()).render(renderer, todo, []))
    assert [r[0] for r in got] == [uid for uid, _ in todo]
    chunk = {r[0]: int(next(iter(r[3])).split()[1]) for r in got}
    lists = [(uid, unit) for uid, unit in todo if isinstance(unit, Listing)]
    longest = max(lists, key=lambda u: len(u[1].items))[0]
    assert chunk[longest] == 0  # (the site has no heavy unit: no search)
    assert max(chunk[uid] for uid, _ in lists) < min(
        chunk[uid] for uid, unit in todo if not isinstance(unit, Listing))


CARD = ("{% cache 'card', P.source %}[{{ P.title }}: "
        "{{ related(P) | map(attribute='title') | join(',') }}]{% endcache %}")


def _tagged(title: str, tag: str, body: str = "Body text.") -> str:
    """A post with one tag and no category (post() gives every post one: all related)."""
    return f"---\ntitle: {title}\ntags: [{tag}]\n---\n\n{body}\n"


def _fragment_site(root: Path, home: bool) -> Path:
    write(root, "site.yaml", "title: T\nbase_url: https://example.com/\nlanguage: en\n"
                             "paginate: 3\n")
    for i in range(1, 9):
        write(root, f"content/posts/2025-01-1{i}-p{i}.md",
              _tagged(f"P{i}", "alpha" if i == 2 else "filler"))
    write(root, "content/posts/2025-01-20-x.md", _tagged("X", "alpha"))
    # X's newer post, not related to it: its edit keeps X's fragment (which read only
    # the titles of X's related posts) and renders X again.
    write(root, "content/posts/2025-01-21-y.md", _tagged("Y", "other", "Y body."))
    write(root, "content/posts/2025-01-22-q.md", _tagged("Q", "other"))
    # The post shows its newer post's body: an edit there renders it again (patched).
    write(root, "layouts/post.html", "{% extends 'base.html' %}{% block content %}"
          + CARD.replace("P", "page") + "|{{ newer.html if newer }}{% endblock %}")
    if home:  # the same fragment on the home page, rendered first by each post
        write(root, "layouts/home.html", "{% extends 'base.html' %}{% block content %}"
              "{% for p in paginator.items %}" + CARD.replace("P", "p") + "{% endfor %}"
              "{% endblock %}")
    return root


@pytest.mark.parametrize("home", [False, True])
def test_related_posts_shown_by_a_reused_fragment_are_in_the_key(tmp_path: Path,
                                                                  home: bool) -> None:
    """A {% cache %} fragment that showed a page's related posts, reused (kith serve's
    patch renders the post again; a list reuses the post's fragment), says so: the
    post's key holds them, the list reads the whole site (helper-33's repros)."""
    root = _fragment_site(tmp_path / "site", home)
    builder = build_module.Builder(root, keep_memo=True, trust_outputs=True)
    builder.build()
    edit(root, "content/posts/2025-01-21-y.md", lambda t: t.replace("Y body.", "Y, edited."))
    builder.build()
    assert "keys" not in builder.timings  # patched: X rendered again, its fragment reused
    write(root, "content/posts/2025-01-01-z.md", _tagged("Z", "alpha"))  # related to X
    builder.build()
    shown = (root / "_site/posts/x/index.html").read_text().split("[X: ")[1].split("]")[0]
    assert "Z" in shown.split(","), shown
    assert tree(root / "_site") == clean_build(root, tmp_path)
