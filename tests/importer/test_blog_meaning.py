"""What the blog meant comes over: feed IDs, notes, labels, footer, menus, home pages."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from jekyll_fixtures import BLOG_THEME, FEED_TEMPLATE, jekyll_outputs, write_tree

from generator.build import build
from generator.importer.jekyll import import_jekyll

GUID = re.compile(r"<guid[^>]*>([^<]+)</guid>")
HREF = re.compile(r'<a href="([^"]+)"')


def copy(src: Path, dest: Path, extra: dict[str, str]) -> Path:
    shutil.copytree(src, dest)
    for path in dest.rglob("*"):
        path.chmod(path.stat().st_mode | 0o200)
    return write_tree(dest, extra)


def test_feed_entry_ids_are_the_ones_jekylls_feed_had(corpus: Path, tmp_path: Path) -> None:
    src = copy(corpus / "blog-source", tmp_path / "src", {"feed.xml": FEED_TEMPLATE})
    jekyll_outputs(src, tmp_path)
    old = GUID.findall((tmp_path / "jekyll-site/feed.xml").read_text(encoding="utf-8"))
    report = import_jekyll(src, tmp_path / "kith")
    # Jekyll's feed listed both posts of a colliding pair (one URL, one guid, twice);
    # only the one Jekyll wrote is imported.
    assert report.counts["feed entry IDs kept"] == len(set(old)) == 29 and len(old) == 31
    data = yaml.safe_load((tmp_path / "kith/site.yaml").read_text(encoding="utf-8"))
    assert data["feeds"] == {"main_languages": "all", "main_collections": ["posts", "notes"],
                             "limit": 50}
    build(tmp_path / "kith", output=tmp_path / "out")
    new = GUID.findall((tmp_path / "out/feed.xml").read_text(encoding="utf-8"))
    assert sorted(new) == sorted(set(old))
    assert "https://lzwjava.github.io/wife-hant" in new  # every language, as before
    # Kith's own ledger line format: a later build adds lines and never rewrites these.
    ledger = (tmp_path / "kith/feed-ids.yaml").read_text(encoding="utf-8")
    assert '"content/posts/en/2012-01-02-wife-en.md": "https://lzwjava.github.io/wife-en"' \
        in ledger


def test_jekyll_feed_ids_are_post_ids(tricky: Callable[..., Path], tmp_path: Path) -> None:
    src = tricky("pretty")
    config = (src / "_config.yml").read_text(encoding="utf-8")
    (src / "_config.yml").write_text(config + "plugins: [jekyll-feed]\n", encoding="utf-8")
    (src / "feed.xml").unlink()  # jekyll-feed writes its own when the site has none
    import_jekyll(src, tmp_path / "kith")
    ids = yaml.safe_load((tmp_path / "kith/feed-ids.yaml").read_text(encoding="utf-8"))
    # Document#id: the URL's folder (Ruby ignores the trailing slash) and the slug.
    assert ids["content/posts/2020-01-05-hello-world.md"] == \
        "https://example.org/blog/2020/01/05/hello-world"
    assert ids["content/posts/2021-04-05-with-spaces-&-stuff.md"] == \
        "https://example.org/blog/2021/04/05/with%20spaces%20&%20stuff"
    assert ids["content/posts/2021-07-08-fm-slug.md"] == \
        "https://example.org/blog/2021/07/08/Other Slug".replace(" ", "%20")
    assert "content/posts/2099-01-01-future.md" not in ids  # never in the feed


def blog(corpus: Path, tmp_path: Path) -> Path:
    return copy(corpus / "jekyll-ai-blog", tmp_path / "src", BLOG_THEME)


def test_layouts_meaning_becomes_settings(corpus: Path, tmp_path: Path) -> None:
    report = import_jekyll(blog(corpus, tmp_path), tmp_path / "kith")
    text = (tmp_path / "kith/site.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["markdown"] == {"typographer": True}
    # Titled in each of the site's languages: a Chinese list page is headed 笔记.
    assert data["collections"] == {"notes": {"match": {"type": "note"},
                                             "title": {"en": "Notes", "zh": "笔记"}}}
    assert data["home_collections"] == ["posts"]
    assert data["redirects"] == {"/index-zh": "/zh/"}
    assert data["notices"] == [
        {"when": {"generated": True, "translated": True},
         "text": {"en": "Generated and translated", "zh": "生成并翻译"}},
        {"when": {"generated": True}, "text": {"en": "Generated", "zh": "生成"}},
        {"when": {"translated": True}, "text": {"en": "Translated", "zh": "翻译"}},
    ]
    assert data["footer"] == {"zh": "觉得有用，请[支持](/donate-zh)。",
                              "default": "If it helped, [support it](/donate-en)."}
    menus = [{"label": "📄 About", "url": "/about-en", "order": 1},
             {"label": "Notes", "url": "/notes-en", "order": 2}]
    if "menus" in data:
        assert data["menus"] == {"en": menus, "zh": menus}
    else:  # this Kith's config has no menus: yet: kept, commented, for when it has
        assert "# menus:\n#   en:\n#   - label: 📄 About\n#     url: /about-en\n" in text
    unconverted = {str(p).split("\n")[0] for p in report.unconverted}
    assert {"_includes/header.html:1: warning: navigation button not converted: it goes to a "
            "page by script".replace(":1:", ":2:"),
            "_includes/header.html:5: warning: navigation link 'X' not converted: made by "
            "Liquid"} <= unconverted
    assert [(r.old, r.new, r.source) for r in report.redirects] == [
        ("/index-zh", "/zh/", "index-zh.html")]
    # Only the Chinese notes are posts (the English ones are notes/ pages): one list, /zh/notes/.
    assert "_config.yml: warning: posts with type: note are the collection 'notes': not on the " \
        "home page, listed at /zh/notes/ with their own feed; their URLs stay" in {
            str(p).split("\n")[0] for p in report.problems}


def test_notes_labels_and_home_lists_as_jekyll_showed_them(corpus: Path, tmp_path: Path) -> None:
    src = blog(corpus, tmp_path)
    jekyll_outputs(src, tmp_path)
    import_jekyll(src, tmp_path / "kith")
    out = tmp_path / "out"
    build(tmp_path / "kith", output=out)
    for jekyll_home, kith_home in (("index.html", "index.html"),
                                   ("index-zh.html", "zh/index.html")):
        expected = HREF.findall((tmp_path / "jekyll-site" / jekyll_home).read_text("utf-8"))
        listed = re.search(r'<ol class="post-list">(.*?)</ol>',
                           (out / kith_home).read_text("utf-8"), re.S)
        got = HREF.findall(listed.group(1)) if listed else []
        assert got == expected, kith_home
    assert "/zh/" in (out / "index-zh.html").read_text("utf-8")  # the old URL redirects
    note = (out / "rms-voltage-calculation-zh.html").read_text("utf-8")
    assert '<p class="notice">生成并翻译</p>' in note
    assert '<p class="footer-text">觉得有用，请<a href="/donate-zh">支持</a>。</p>' in note
    # The sample's English notes are pages (notes/); its Chinese ones are posts.
    assert not (out / "notes/index.html").exists()
    assert "/rms-voltage-calculation-zh" in (out / "zh/notes/index.html").read_text("utf-8")
    assert "/rms-voltage-calculation-zh" in (out / "zh/notes/feed.xml").read_text("utf-8")


def test_the_notes_warning_names_each_list_page_kith_writes(tmp_path: Path) -> None:
    note = "---\ntitle: N\ntype: note\n---\nx\n"
    src = write_tree(tmp_path / "src", {
        "_config.yml": "title: T\nurl: https://t.org\npermalink: /:title\n",
        "_posts/2020-01-01-a-en.md": "---\ntitle: A\n---\nx\n",
        "_posts/2020-01-01-a-zh.md": "---\ntitle: A\n---\nx\n",
        "_posts/2020-01-02-n-zh.md": note,
        "_posts/2020-01-03-m.md": "---\ntitle: M\ntype: note\nlang: fr\n---\nx\n",
        "notes/2020-01-02-n-en.md": note,  # a page in Jekyll, so a page in Kith
        "_drafts/d-en.md": note,  # listed only when a build takes drafts
    })
    report = import_jekyll(src, tmp_path / "kith")
    assert "_config.yml: warning: posts with type: note are the collection 'notes': not on the " \
        "home page, listed at /zh/notes/, /fr/notes/ with their own feed; their URLs stay" in {
            str(p).split("\n")[0] for p in report.problems}
    build(tmp_path / "kith", output=tmp_path / "out")
    assert sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob(
        "notes/index.html")) == ["fr/notes/index.html", "zh/notes/index.html"]


def test_no_main_language_tie_is_broken_by_counting(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "src", {
        "_config.yml": "title: T\nurl: https://t.org\npermalink: /:title\n",
        "_posts/2020-01-01-a-fr.md": "---\ntitle: A\n---\nx\n",
        "_posts/2020-01-01-a-de.md": "---\ntitle: A\n---\nx\n",
    })
    report = import_jekyll(src, tmp_path / "kith")
    data = yaml.safe_load((tmp_path / "kith/site.yaml").read_text(encoding="utf-8"))
    assert data["language"] == "de"
    assert ("_config.yml: warning: no lang: in _config.yml and no main language: de, fr have 1 "
            "files each; 'de' is the site language for now") in {
                str(p).split("\n")[0] for p in report.problems}
    # With English among them, English: Jekyll's own default (en-US), whatever the counts.
    write_tree(src, {"_posts/2020-01-02-b-fr.md": "---\ntitle: B\n---\nx\n",
                     "_posts/2020-01-02-b-en.md": "---\ntitle: B\n---\nx\n"})
    import_jekyll(src, tmp_path / "kith2")
    data = yaml.safe_load((tmp_path / "kith2/site.yaml").read_text(encoding="utf-8"))
    assert data["language"] == "en"
    # lang: in _config.yml wins over everything.
    write_tree(src, {"_config.yml": "title: T\nurl: https://t.org\nlang: fr\n"})
    import_jekyll(src, tmp_path / "kith3")
    data = yaml.safe_load((tmp_path / "kith3/site.yaml").read_text(encoding="utf-8"))
    assert data["language"] == "fr"


def test_the_footer_names_the_liquid_it_leaves_out(tmp_path: Path) -> None:
    # The real blog's note after each post starts with the label ("Generated by AI.
    # Curating and sharing still takes effort."); without it the Chinese one starts "但".
    src = write_tree(tmp_path / "src", {
        "_config.yml": "title: T\nurl: https://t.org\npermalink: /:title\n",
        "_posts/2020-01-01-a-en.md": "---\ntitle: A\n---\nx\n",
        "_posts/2020-01-01-a-zh.md": "---\ntitle: A\n---\nx\n",
        "_layouts/post.html": "{{ content }}\n<p>{% if page.lang == \"zh\" %}\n"
                              "{{ ai_message }}，但整理分享仍需精力。{% else %}\n"
                              "{{ ai_message }}. It takes effort to <a href=\"/d\">share</a>."
                              "{% endif %}</p>\n",
    })
    report = import_jekyll(src, tmp_path / "kith")
    data = yaml.safe_load((tmp_path / "kith/site.yaml").read_text(encoding="utf-8"))
    assert data["footer"] == {"zh": "但整理分享仍需精力。",
                              "default": "It takes effort to [share](/d)."}
    assert ("_layouts/post.html:2: warning: the per-language note after the post became footer: "
            "in site.yaml, without the Liquid in it ('{{ ai_message }}')\n  hint: check that "
            "each sentence still reads well without it") in {str(p) for p in report.problems}


@pytest.mark.parametrize(("name", "languages", "title"), [
    ("notes", ["en"], "Notes"),
    ("notes", ["en", "zh", "ja"], {"en": "Notes", "zh": "笔记", "ja": "ノート"}),
    ("notes", ["zh", "en"], {"zh": "笔记", "en": "Notes"}),
    ("links", ["en", "zh"], "Links"),  # a word Kith has no translation of: one title
])
def test_collection_titles_in_the_sites_languages(name: str, languages: list[str],
                                                  title: object) -> None:
    from generator.importer.siteyaml import _title

    assert _title(name, languages) == title
