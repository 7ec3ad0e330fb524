"""The default theme's features, as built files: search index, menus, code blocks,
images, related posts, hooks, analytics, hashed assets, favicons, settings."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from generator.assets import minify_css
from generator.build import assemble, build
from generator.config import load_config
from generator.errors import KithError
from generator.prose import label_code_blocks
from generator.related import related_posts
from generator.search import _hash, _local_minima, layout, shards

CONFIG = """\
title: Theme
base_url: https://example.com/repo/
language: en
languages: [en, zh]
"""


def post(title: str, tags: str = "[raft]", body: str = "Body.", extra: str = "") -> str:
    return f"---\ntitle: {title}\ntags: {tags}\n{extra}---\n\n{body}\n"


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def built(make_site, files: dict, config: str = CONFIG) -> tuple[Path, Path]:
    root = make_site(files, config=config)
    build(root)
    return root, root / "_site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


# -- settings ----------------------------------------------------------------------------

def errors(root: Path, text: str) -> list[str]:
    (root / "site.yaml").write_text(CONFIG + text, encoding="utf-8")
    with pytest.raises(KithError) as info:
        load_config(root)
    return [str(p) for p in info.value.problems]


def test_menus_search_images_and_analytics_settings_are_checked(tmp_path: Path) -> None:
    assert errors(tmp_path, "menus:\n  en:\n    - {label: About, url: about/}\n  fr: []\n"
                            "search: {shard_size: 10, enable: true}\n"
                            "images: {widths: [10]}\nanalytics: {goatcounter: {}}\n") == [
        "site.yaml:7: menus.en: url 'about/' must start with '/' or be absolute\n"
        "  hint: site paths start with '/' and get the base path: /about/",
        "site.yaml:8: menus for unknown language 'fr'\n  hint: allowed: en, zh",
        "site.yaml:9: search.shard_size must be a whole number of at least 50, got 10\n"
        "  hint: the default, 1000, suits most sites",
        "site.yaml:9: unknown search setting 'enable'\n  hint: did you mean 'enabled'?",
        "site.yaml:10: images.widths must be a list of widths in pixels (16-8192), got [10]\n"
        "  hint: e.g. [480, 960, 1440]",
        "site.yaml:11: analytics.goatcounter needs 'endpoint'\n"
        "  hint: e.g. goatcounter: {endpoint: ...}",
    ]


def test_menus_are_per_language_and_ordered(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(CONFIG + (
        "menus:\n  en:\n    - {label: Notes, url: /notes/, order: 20}\n"
        "    - {label: Home, url: /, order: 10}\n  zh:\n    - {label: 首页, url: /zh/}\n"))
    config = load_config(tmp_path)
    assert [(i.label, i.url) for i in config.menus["en"]] == [("Home", "/"), ("Notes", "/notes/")]
    assert [i.label for i in config.menus["zh"]] == ["首页"]


# -- search ------------------------------------------------------------------------------

def test_search_index_per_language_with_a_page_to_search_from(make_site) -> None:
    _, site = built(make_site, {
        "content/posts/2026-01-01-a.md": post("Alpha", body="Consensus needs a quorum."),
        "content/posts/2026-01-01-a-zh.md": post("阿尔法", body="缓存可以让增量构建更快。"),
        "content/about.md": "---\ntitle: About\nsearch: false\n---\nSecret words.\n"})
    for lang, count in (("en", 1), ("zh", 1)):
        entry = json.loads(read(site, f"pagefind/{lang}/pagefind-entry.json"))
        assert [(k, v["page_count"]) for k, v in entry["languages"].items()] == [(lang, count)]
        assert (site / f"pagefind/{lang}/pagefind.js").is_file()
    assert not list(site.glob("pagefind/**/pagefind-ui.js"))  # Pagefind's own UI: not shipped
    page = read(site, "search/index.html")
    assert 'data-bundles="[&#34;/repo/pagefind/en/&#34;]"' in page
    assert 'data-base="/repo/"' in page
    zh = read(site, "zh/search/index.html")
    assert 'data-bundles="[&#34;/repo/pagefind/zh/&#34;]"' in zh and "搜索本站" in zh
    # Every page has a search box that works without JavaScript (a GET form).
    home = read(site, "index.html")
    assert '<form class="site-search" role="search" action="/repo/search/" method="get">' in home
    assert 'action="/repo/zh/search/"' in read(site, "zh/index.html")
    assert 'action="/repo/search/"' in read(site, "404.html")


def test_search_off(make_site) -> None:
    _, site = built(make_site, {"content/posts/2026-01-01-a.md": post("A")},
                    CONFIG + "search: false\n")
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    assert "site-search" not in read(site, "index.html")


def chunks(names: list[str], size: int) -> list[tuple[str, ...]]:
    starts = layout(names, size)
    return [tuple(names[a:b]) for a, b in zip(starts, [*starts[1:], len(names)], strict=False)]


def test_shards_follow_dates_old_ones_big_new_ones_small() -> None:
    names = [f"content/posts/p{i:05d}.md" for i in range(3000)]
    sizes = [len(c) for c in chunks(names, 200)]
    assert sum(sizes) == 3000
    # Old pages: shards of size/4 to 2 size (longer stretches are cut finer); the
    # newest: about an eighth of the size.
    assert min(sizes[:-6]) > 50 and max(sizes) <= 400
    assert sorted(sizes[:-6])[len(sizes[:-6]) // 2] > 100
    assert max(sizes[-3:]) < 60
    assert chunks(names, 200) == chunks(list(names), 200)  # pure
    assert layout([], 200) == [] and layout(names[:10], 200) == [0]


@given(st.integers(0, 600), st.integers(0, 10**6), st.sampled_from([8, 20, 50]))
@settings(max_examples=150, deadline=None)
def test_a_change_moves_only_the_shards_near_it(n: int, seed: int, size: int) -> None:
    names = [f"p{seed}-{i}" for i in range(n)]
    before = chunks(names, size)
    w = size // 2
    # The largest scale's boundaries: shards never straddle them.
    coarse = _local_minima([_hash(x) for x in names], w)
    # A new newest page leaves every shard of the older pages as it was.
    after = chunks([*names, f"new{seed}"], size)
    last = coarse[-1] if coarse else 0
    assert [c for c in before if names.index(c[-1]) < last] == \
        [c for c in after if c[-1] in names and names.index(c[-1]) < last]
    # Removing or adding a page changes only the shards of the stretch around it
    # (between the coarse boundaries more than w pages away).
    if n:
        k = seed % n
        low = max([b for b in coarse if b < k - w], default=0)
        high = min([b for b in coarse if b > k + w], default=n)
        for changed in (names[:k] + names[k + 1:], [*names[:k], f"x{seed}", *names[k:]]):
            again = chunks(changed, size)
            for chunk in before:
                if names.index(chunk[-1]) < low or names.index(chunk[0]) >= high:
                    assert chunk in again


def test_shards_are_stable_and_split_big_languages(make_site) -> None:
    files = {f"content/posts/2026-{i // 28 + 1:02d}-{i % 28 + 1:02d}-p{i}.md": post(f"P{i}")
             for i in range(300)}
    root = make_site(files, config=CONFIG + "search: {shard_size: 50}\n")
    found = shards(assemble(root).site)
    assert {s.lang for s in found} == {"en"} and len(found) > 4
    assert found[0].ident == "" and all(len(s.ident) == 10 for s in found[1:])
    assert [p.source for s in found for p in s.pages] == sorted(files)  # by date
    assert len(found[-1].pages) < 25  # the newest posts: a small shard
    (root / "content/posts/2026-11-21-new.md").write_text(post("New"))
    again = shards(assemble(root).site)
    assert [s for s in found[:-1] if s.pages[-1].date < found[-3].pages[0].date] == \
        [s for s in again if s.pages[-1].date < found[-3].pages[0].date]
    assert again[-1].pages[-1].source == "content/posts/2026-11-21-new.md"
    build(root)
    site = root / "_site"
    assert (site / "pagefind/en/pagefind.js").is_file()
    for shard in again[1:]:  # merged shards hold data only; the first holds the runtime
        assert (site / f"{shard.folder}pagefind-entry.json").is_file()
        assert not (site / f"{shard.folder}pagefind.js").exists()
    assert f"/repo/{again[-1].folder}" in read(site, "search/index.html")
    assert len(list((root / ".cache/search").glob("*.pickle"))) == len(again)
    # A shard the site no longer has leaves the cache with its pages.
    for source in files:
        (root / source).unlink()
    build(root)
    assert [p.name.split("-")[1] for p in (root / ".cache/search").glob("*.pickle")] == ["first"]
    assert sorted(p.name for p in (site / "pagefind/en").iterdir() if p.is_dir()) == [
        "fragment", "index"]  # the other shards' folders are gone


def test_search_cache_is_used_and_output_is_the_same(make_site, tmp_path: Path) -> None:
    root, site = built(make_site, {"content/posts/2026-01-01-a.md": post("A", body="words")})
    cached = list((root / ".cache/search").glob("en-first-*.pickle"))
    assert len(cached) == 1
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    # A template change renders every unit again: the shard comes from the cache.
    (root / "layouts").mkdir()
    (root / "layouts/hooks").mkdir()
    (root / "layouts/hooks/head.html").write_text('<meta name="x-hook" content="1">\n')
    build(root)
    assert list((root / ".cache/search").glob("en-first-*.pickle")) == cached
    assert '<meta name="x-hook" content="1">' in read(site, "index.html")
    for path, data in before.items():
        if "pagefind" in path.parts:
            assert path.read_bytes() == data


# -- the page -----------------------------------------------------------------------------

def test_default_menu_in_every_language(make_site) -> None:
    _, site = built(make_site, {
        "content/posts/2026-01-01-a.md": post("A"),
        "content/posts/2026-01-01-a-zh.md": post("甲"),
        "content/tutorials/sql/01-one.md": "---\ntitle: One\n---\nOne.\n",
        "content/about.md": "---\ntitle: Who I am\n---\nMe.\n"})
    nav = lambda html: re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a></li>',  # noqa: E731
                                  html.split('class="site-nav"')[1].split("</nav>")[0])
    assert nav(read(site, "index.html")) == [
        ("/repo/", "Home"), ("/repo/tutorials/", "Tutorials"), ("/repo/tags/", "Tags"),
        ("/repo/archive/", "Archive"), ("/repo/about/", "Who I am")]
    # Chinese readers still find the tutorials and the about page, labelled in Chinese.
    assert nav(read(site, "zh/index.html")) == [
        ("/repo/zh/", "首页"), ("/repo/tutorials/", "教程"), ("/repo/zh/tags/", "标签"),
        ("/repo/zh/archive/", "归档"), ("/repo/about/", "关于")]
    # One series is enough for a tutorials page.
    assert "/repo/tutorials/sql/" in read(site, "tutorials/index.html")


def test_menus_setting_replaces_the_default(make_site) -> None:
    _, site = built(make_site, {"content/posts/2026-01-01-a.md": post("A")}, CONFIG + (
        "menus:\n  en:\n    - {label: Start, url: /}\n"
        "    - {label: Elsewhere, url: 'https://x.org/'}\n"))
    html = read(site, "index.html").split('class="site-nav"')[1].split("</nav>")[0]
    assert re.findall(r'href="([^"]+)"[^>]*>([^<]+)<', html) == [
        ("/repo/", "Start"), ("https://x.org/", "Elsewhere")]


def test_code_blocks_are_labelled_and_only_code_pages_load_highlighting(make_site) -> None:
    _, site = built(make_site, {
        "content/posts/2026-01-01-a.md": post("A", body="```py\nx = 1\n```\n\n```\nplain\n```"),
        "content/posts/2026-01-02-b.md": post("B", body="No code.")})
    html = read(site, "posts/a/index.html")
    assert ('<div class="code-block"><div class="code-head"><span class="code-lang">Python'
            '</span></div><pre class="highlight" tabindex="0"><code class="language-py">') in html
    assert '<div class="code-block"><div class="code-head"></div><pre' in html
    assert re.search(r'href="/repo/assets/highlight\.[0-9a-f]{10}\.css"', html)
    assert "highlight." not in read(site, "posts/b/index.html")
    assert "data-copy=\"Copy\"" in html  # the copy button's words, for kith.js


def test_label_code_blocks_leaves_other_html_alone() -> None:
    html = '<p>x</p><pre class="highlight" tabindex="0"><code>a &lt; b</code></pre><p>y</p>'
    assert label_code_blocks(html) == ('<p>x</p><div class="code-block"><div class="code-head">'
                                       '</div><pre class="highlight" tabindex="0"><code>a &lt; b'
                                       '</code></pre></div><p>y</p>')
    assert label_code_blocks("<pre>plain</pre>") == "<pre>plain</pre>"


def test_images_get_size_srcset_figure_and_the_first_loads_at_once(make_site) -> None:
    root, site = built(make_site, {
        "content/posts/2026-01-01-a.md": post("A", body=(
            '![A wide chart](img/wide.png "Latency by week")\n\n'
            "Text ![small](img/small.png) inline.\n")),
        "content/posts/img/wide.png": png(1600, 800),
        "content/posts/img/small.png": png(300, 200)},
        CONFIG + "images: {widths: [480, 960]}\n")
    html = read(site, "posts/a/index.html")
    assert ('<figure><img src="/repo/posts/img/wide.png" alt="A wide chart" width="1600" '
            'height="800" srcset="/repo/posts/img/wide.480w.png 480w, '
            '/repo/posts/img/wide.960w.png 960w, /repo/posts/img/wide.png 1600w" '
            'sizes="(max-width: 40rem) 100vw, 40rem" decoding="async" />'
            '<figcaption>Latency by week</figcaption></figure>') in html
    assert ('<img src="/repo/posts/img/small.png" alt="small" loading="lazy" width="300" '
            'height="200" decoding="async" />') in html
    with Image.open(site / "posts/img/wide.480w.png") as small:
        assert small.size == (480, 240)
    assert len(list((root / ".cache/images").iterdir())) == 2
    # A changed image: new size in the page (the theme digest is part of every page's key).
    (root / "content/posts/img/small.png").write_bytes(png(320, 100))
    build(root)
    assert 'width="320" height="100"' in read(site, "posts/a/index.html")


def test_a_damaged_copy_in_the_image_cache_is_made_again(make_site) -> None:
    """A copy in .cache/images/ cut short (a crash before the disk had it) was published
    as it was: a broken image. Each copy is kept behind its digest (a helper's attack,
    stop 29)."""
    files = {"content/posts/2026-01-01-a.md": post("A", body="![A chart](img/wide.png)\n"),
             "content/posts/img/wide.png": png(1600, 800)}
    config = CONFIG + "images: {widths: [480, 960]}\n"
    root, site = built(make_site, files, config)
    made = {w: (site / f"posts/img/wide.{w}w.png").read_bytes() for w in (480, 960)}
    for kept in (root / ".cache/images").iterdir():
        kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])
    shutil.rmtree(site)  # .cache/ restored without _site/: every file made again
    build(root)
    for width, data in made.items():
        assert (site / f"posts/img/wide.{width}w.png").read_bytes() == data
    with Image.open(site / "posts/img/wide.960w.png") as copy:
        copy.load()


def test_related_posts_share_tags_in_the_same_language(make_site) -> None:
    root, site = built(make_site, {
        "content/posts/2026-01-01-a.md": post("A", "[raft, go]"),
        "content/posts/2026-01-02-b.md": post("B", "[raft, go]"),
        "content/posts/2026-01-03-c.md": post("C", "[raft]"),
        "content/posts/2026-01-04-d.md": post("D", "[cooking]"),
        "content/posts/2026-01-05-e-zh.md": post("戊", "[raft, go]")})
    assembled = assemble(root).site
    a = next(p for p in assembled.pages if p.title == "A")
    assert [p.title for p in related_posts(assembled, a)] == ["B", "C"]
    html = read(site, "posts/a/index.html")
    assert html.index("/repo/posts/b/") < html.index("/repo/posts/c/")
    assert "Related posts" in html and "戊" not in html
    assert "Related posts" not in read(site, "posts/d/index.html")


def test_hooks_and_analytics(make_site) -> None:
    _, site = built(make_site, {
        "content/posts/2026-01-01-a.md": post("A"),
        "layouts/hooks/head.html": '<meta name="x" content="head">\n',
        "layouts/hooks/body-start.html": "<!-- body start -->\n",
        "layouts/hooks/body-end.html": "<!-- body end -->\n",
        "layouts/hooks/after-post.html": '<section id="comments">{{ page.title }}</section>\n'},
        CONFIG + "analytics:\n  plausible: {domain: example.com}\n")
    html = read(site, "posts/a/index.html")
    assert html.index('<meta name="x" content="head">') < html.index("</head>")
    assert html.index("<!-- body start -->") < html.index('class="skip-link"')
    assert html.index("<!-- body end -->") < html.index("</body>")
    assert '<section id="comments">A</section>' in html
    assert ('<script defer data-domain="example.com" src="https://plausible.io/js/script.js">'
            '</script>') in html
    assert 'id="comments"' not in read(site, "index.html")


def test_a_hook_no_template_includes_is_a_warning(make_site) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": post("A"),
                      "layouts/hooks/haed.html": '<meta name="x">\n',
                      "layouts/hooks/body-end.html": "<!-- end -->\n",
                      "layouts/hooks/mine.html": "<!-- mine -->\n",
                      "layouts/page.html": '{% extends "base.html" %}{% block content %}'
                                           '{% include "hooks/mine.html" %}{% endblock %}'},
                     config=CONFIG)
    result = build(root)
    assert [(w.path, w.line, w.message, w.hint) for w in result.warnings] == [
        ("layouts/hooks/haed.html", 0, "no template includes this hook",
         "did you mean 'head.html'? (docs/theme.md, Hooks)")]


def test_the_head_is_made_only_for_a_template_that_prints_it(make_site, monkeypatch) -> None:
    """A theme with its own <head> does not pay for the theme's (a tenth of a small page's
    render); one that prints it gets it whole."""
    from generator import seo

    made: list[str] = []
    real = seo.head_html
    monkeypatch.setattr(seo, "head_html", lambda site, item, tr: made.append(item.url)
                        or real(site, item, tr))
    own = "<!doctype html><title>{{ page.title }}</title>{% if head %}{% endif %}{{ page.html }}"
    root = make_site({"content/posts/2026-01-01-a.md": post("A"),
                      "content/posts/2026-01-02-b.md": post("B"),
                      "layouts/post.html": own.replace("{% if head %}{% endif %}", "")},
                     config=CONFIG + "search: false\n")
    build(root, jobs=1)
    assert made and not any(url.startswith("/posts/") for url in made)  # lists print it
    (root / "layouts/post.html").write_text(own.replace("{% if head %}", "{% if head %}{{ head }}"))
    made.clear()
    build(root, jobs=1)
    assert "/posts/a/" in made and made.count("/posts/a/") == 1
    html = read(root / "_site", "posts/a/index.html")
    assert '<link rel="canonical" href="https://example.com/repo/posts/a/">' in html


def test_no_analytics_by_default(make_site) -> None:
    _, site = built(make_site, {"content/posts/2026-01-01-a.md": post("A")})
    html = read(site, "posts/a/index.html")
    assert not re.search(r"plausible|goatcounter|umami", html)
    assert re.findall(r'<script src="([^"]+)"', html) == [
        next(f"/repo/assets/{p.name}" for p in (site / "assets").glob("kith.*.js"))]


def test_assets_are_minified_and_hashed_and_favicons_made(make_site) -> None:
    _, site = built(make_site, {"content/posts/2026-01-01-a.md": post("A")})
    css = next((site / "assets").glob("style.*.css"))
    assert re.fullmatch(r"style\.[0-9a-f]{10}\.css", css.name)
    assert "/*" not in css.read_text() and "\n  " not in css.read_text()
    assert not (site / "assets/style.css").exists()
    sizes = {}
    for rel in ("apple-touch-icon.png", "assets/icon-192.png", "assets/icon-512.png"):
        with Image.open(site / rel) as icon:
            sizes[rel] = icon.size
    assert sizes == {"apple-touch-icon.png": (180, 180), "assets/icon-192.png": (192, 192),
                     "assets/icon-512.png": (512, 512)}
    with Image.open(site / "favicon.ico") as ico:
        assert sorted(ico.info["sizes"]) == [(16, 16), (32, 32), (48, 48)]
    html = read(site, "index.html")
    assert '<link rel="apple-touch-icon" href="/repo/apple-touch-icon.png">' in html
    # The large icons are for Android's home screen, which finds them in the manifest.
    assert '<link rel="manifest" href="/repo/site.webmanifest">' in html
    manifest = json.loads(read(site, "site.webmanifest"))
    assert (manifest["start_url"], manifest["scope"]) == ("/repo/", "/repo/")
    assert [(i["src"], i["sizes"]) for i in manifest["icons"]] == [
        ("/repo/assets/icon-192.png", "192x192"), ("/repo/assets/icon-512.png", "512x512")]
    assert all((site / i["src"].removeprefix("/repo/")).is_file() for i in manifest["icons"])


def test_the_favicon_set_is_made_once_and_kept_in_the_cache(make_site, monkeypatch) -> None:
    """Made on the first build, read from .cache/ after (a one-post edit paid 0.15 s to
    make it again); a damaged or stale cache file is made again, never published."""
    from generator import assets
    root = make_site({"content/posts/2026-01-01-a.md": post("A"),
                      "content/me.png": png(200, 200)}, config=CONFIG + "favicon: content/me.png\n")
    names = ("favicon.ico", "apple-touch-icon.png", "assets/icon-192.png", "assets/icon-512.png")
    build(root)
    made = {name: (root / "_site" / name).read_bytes() for name in names}
    assert made == dict(assets.favicon_set.__wrapped__((root / "content/me.png").read_bytes()))
    [kept] = (root / ".cache/favicons").iterdir()
    calls: list[int] = []
    real = assets.favicon_set
    monkeypatch.setattr(assets, "favicon_set", lambda data: calls.append(1) or real(data))
    (root / "content/posts/2026-01-01-a.md").write_text(post("A, edited"))
    build(root)
    assert calls == []  # read from the cache
    assert {name: (root / "_site" / name).read_bytes() for name in names} == made
    good = kept.read_bytes()
    damages = (b"", b"[1, [[1, 2]]]\nxx", good[:-1], b"{}\n", b'[0, [["a", -1]]]\n',
               good[:-2] + bytes([good[-2] ^ 1]) + good[-1:], b'[0, [["a", -1], ["b", 1]]]\n',
               b'[0, [["favicon.ico", 0]]]\n')
    for i, damage in enumerate(damages):
        kept.write_bytes(damage)
        build(root, output=root / f"_other{i}")  # a new folder: never a build with no work
        assert {name: (root / f"_other{i}" / name).read_bytes() for name in names} == made
    assert len(calls) == len(damages)
    # A new favicon: a new set, and the old one leaves the cache.
    (root / "content/me.png").write_bytes(png(240, 240))
    build(root)
    assert calls and [p.name for p in (root / ".cache/favicons").iterdir()] != [kept.name]
    assert len(list((root / ".cache/favicons").iterdir())) == 1


def test_site_favicon_must_be_square(make_site) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": post("A"),
                      "content/me.png": png(300, 200)}, config=CONFIG + "favicon: content/me.png\n")
    with pytest.raises(KithError) as info:
        build(root)
    line = (CONFIG + "favicon:").count("\n") + 1
    assert [str(p) for p in info.value.problems] == [
        f"site.yaml:{line}: cannot make the favicon set from 'content/me.png': it is "
        "300x200 pixels, not square and at least 180 pixels wide\n"
        "  hint: use a square PNG or JPEG of at least 180 pixels"]


@pytest.mark.parametrize(("favicon", "message"), [
    ("site.yaml", "cannot make the favicon set from 'site.yaml': it is not an image "
     "Pillow can read\n  hint: use a square PNG or JPEG of at least 180 pixels"),
    ("content/gone.png", "favicon 'content/gone.png' does not exist\n  hint: name a square "
     "PNG or JPEG in the site folder, e.g. favicon: content/icon.png"),
])
def test_a_favicon_that_cannot_be_used_is_named_with_its_line(
        make_site, favicon: str, message: str) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": "---\ntitle: [oops\n---\n"},
                     config=CONFIG + f"favicon: {favicon}\n")
    with pytest.raises(KithError) as info:
        build(root)
    line = (CONFIG + "favicon:").count("\n") + 1
    assert [str(p) for p in info.value.problems][-1] == f"site.yaml:{line}: {message}"
    # and the content's problems with it, in the same run
    assert len(info.value.problems) == 2


def test_minify_css_keeps_strings_and_descendant_colons() -> None:
    assert minify_css('/* x */ a > b , .p :is(h1) { content: "a ; b" ; }\n') == \
        'a>b,.p :is(h1){content: "a ; b"}\n'


def test_theme_toggle_and_no_flash_script_come_first(make_site) -> None:
    _, site = built(make_site, {"content/posts/2026-01-01-a.md": post("A")})
    html = read(site, "index.html")
    assert html.index('localStorage.getItem("kith-theme")') < html.index('rel="stylesheet"')
    assert '<button type="button" class="theme-toggle" hidden' in html
    zh = read(site, "zh/index.html") if (site / "zh/index.html").exists() else ""
    assert zh == "" or "配色" in zh


def test_images_without_alt_text_are_warned_with_their_line(make_site, capsys) -> None:
    from generator.cli import main
    body = ("Intro.\n\n![](img/a.png)\n\n```md\n![](not-an-image-in-code.png)\n```\n\n"
            "Inline `![](code.png)` is code. ![ ][ref] and <img src=\"b.png\"> and\n"
            '<img src="c.png" alt=""> (decorative) and ![Described](d.png)\n\n'
            "    ![](indented-code.png)\n\n[ref]: e.png\n")
    root = make_site({"content/posts/2026-01-01-a.md": post("A", body=body)})
    assert main(["-C", str(root), "build"]) == 0
    err = capsys.readouterr().err
    hint = ('  hint: describe what it shows: ![what it shows](image.png); HTML alt="" marks '
            "a decorative one")
    src = "content/posts/2026-01-01-a.md"
    assert [line for line in err.splitlines() if "alt text" in line or "hint: describe" in line
            ] == [f"{src}:8: warning: image without alt text: 'img/a.png'", hint,
                  f"{src}:14: warning: image without alt text: '[ref]'",
                  f"{src}:14: warning: image without alt text: 'b.png'",
                  "  3  image without alt text"]
    # Replayed from the cache: a build that renders nothing still says it.
    assert main(["-C", str(root), "build", "--all-warnings"]) == 0
    assert capsys.readouterr().err.count("image without alt text") == 4


def test_without_the_pagefind_binary_the_build_warns_and_goes_on(make_site, monkeypatch) -> None:
    from generator import search
    monkeypatch.setattr(search, "executable", lambda: None)
    root = make_site({"content/posts/2026-01-01-a.md": post("A")}, config=CONFIG)
    result = build(root)
    assert [str(p) for p in result.warnings] == [
        "site.yaml: warning: the search index was not built: the Pagefind binary is missing\n"
        "  hint: pip install 'pagefind[extended]', or set 'search: false' in site.yaml"]
    assert not (root / "_site/pagefind").exists()


def test_search_text_keeps_words_apart_and_drops_heading_anchors() -> None:
    from generator.search import html_text
    html = ('<h2 id="x">Leader <em>leases</em> <a class="header-anchor" href="#x">#</a></h2>\n'
            "<p>because\nelections</p><ul><li>one</li><li>two</li></ul><p>a &lt;b&gt;</p>")
    assert html_text(html) == "Leader leases because elections one two a <b>"


def test_every_interface_string_is_translated_in_the_nine_languages() -> None:
    import yaml
    from kithpaths import REPO
    strings = yaml.safe_load((REPO / "layouts/strings.yaml").read_text(encoding="utf-8"))
    assert sorted(strings) == sorted(["en", "zh", "hant", "ja", "es", "fr", "de", "hi", "ar"])
    for lang, table in strings.items():
        assert set(table) == set(strings["en"]), lang
        for key, text in table.items():  # placeholders as in English
            assert set(re.findall(r"\{\w+\}", str(text))) == set(
                re.findall(r"\{\w+\}", str(strings["en"][key]))), (lang, key)


def test_goatcounter_and_umami_snippets(make_site) -> None:
    _, site = built(make_site, {"content/posts/2026-01-01-a.md": post("A")}, CONFIG + (
        "analytics:\n  goatcounter: {endpoint: 'https://me.goatcounter.com/count'}\n"
        "  umami: {website_id: abc-123, src: 'https://u.example.com/script.js'}\n"))
    html = read(site, "index.html")
    assert ('<script async data-goatcounter="https://me.goatcounter.com/count" '
            'src="https://gc.zgo.at/count.js"></script>') in html
    assert ('<script defer data-website-id="abc-123" src="https://u.example.com/script.js">'
            '</script>') in html


def test_image_cache_copies_are_bound_to_their_key_and_unread_by_kith_before(make_site) -> None:
    """Two cached copies swapped keep valid digests of their own bytes: the digest covers
    the key too. And Kith before read a cached copy whole: its keys differ from theirs."""
    files = {"content/posts/2026-01-01-a.md": post("A", body="![A chart](img/wide.png)\n"),
             "content/posts/img/wide.png": png(1600, 800)}
    config = CONFIG + "images: {widths: [480, 960]}\n"
    root, site = built(make_site, files, config)
    made = {w: (site / f"posts/img/wide.{w}w.png").read_bytes() for w in (480, 960)}
    first, second = sorted((root / ".cache/images").iterdir())
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    shutil.rmtree(site)
    build(root)
    for width, data in made.items():
        assert (site / f"posts/img/wide.{width}w.png").read_bytes() == data
