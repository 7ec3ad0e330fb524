"""Jekyll sites that are merely unusual, or hostile: each one imports with a
``path:line`` message and a hint, or builds, and never raises or loses a file unsaid."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from jekyll_fixtures import write_tree

from generator.build import build
from generator.cli import main
from generator.errors import KithError, Problem
from generator.importer.jekyll import import_jekyll
from generator.markdown import render_markdown

CONFIG = "title: T\nurl: https://t.example\npermalink: /:title/\n"


def lines(problems: Iterable[Problem]) -> set[str]:
    """Each problem without its hint (a file name may hold a newline)."""
    return {str(replace(p, hint="")) for p in problems}


def site_yaml(root: Path) -> dict[str, object]:
    return yaml.safe_load((root / "site.yaml").read_text(encoding="utf-8"))


def test_a_post_named_by_date_and_language_only_keeps_its_date(tmp_path: Path) -> None:
    # '2020-02-04-zh.md': Jekyll's slug is 'zh'; Kith reads '-zh' as the language and
    # found no date. The import used to crash assembling the site (a post without date).
    src = write_tree(tmp_path / "src", {
        "_config.yml": CONFIG,
        "_posts/2020-01-01-a.md": "---\ntitle: A\ntype: note\n---\nx\n",
        "_posts/2020-02-04-zh.md": "---\ntitle: Z\nlang: zh\ntype: note\n---\nzh text\n",
    })
    report = import_jekyll(src, tmp_path / "kith")
    assert not report.errors
    text = (tmp_path / "kith/content/posts/2020-02-04-zh.md").read_text(encoding="utf-8")
    assert "date: '2020-02-04 00:00:00+00:00'" in text
    build(tmp_path / "kith", output=tmp_path / "out")
    assert "zh text" in (tmp_path / "out/zh/index.html").read_text(encoding="utf-8")


HOSTILE = {
    "_config.yml": "title: H\nurl: https://h.example\nplugins: [jekyll-redirect-from]\n",
    "_posts/2020-01-01-up.md": "---\ntitle: Up\npermalink: /../../x\n---\nx\n",
    "_posts/2020-01-02-redir.md": "---\ntitle: Redir\nredirect_from:\n  - /../y\n"
                                  "  - ../../z/\n  - /2020/01/01/up.html\n---\nx\n",
    "_posts/2020-01-03-query.md": "---\ntitle: Query\npermalink: /a?b=c#d\n---\nx\n",
    "_posts/2020-01-04-list.md": "---\ntitle: List\npermalink: [a, b]\n---\nx\n",
    "_posts/2020-01-05-map.md": "---\ntitle: Map\nredirect_from: {a: b}\n---\nx\n",
    "_posts/2020-01-06-self.md": "---\ntitle: Self\nredirect_from: /2020/01/06/self.html\n"
                                 "---\nx\n",
    "_posts/2020-01-07-taken.md": "---\ntitle: Taken\nredirect_from: [/x, /x/]\n---\nx\n",
    "q?mark.md": "---\ntitle: Q\n---\nx\n",
    "new\nline.md": "---\ntitle: NL\n---\nx\n",
}


def test_hostile_paths_stay_inside_and_each_is_named(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "src", HOSTILE)
    report = import_jekyll(src, tmp_path / "kith")
    found = lines(report.problems)
    assert {
        # Jekyll's own rules: '..' dropped, so these were served at /x, /y and /z/.
        "_posts/2020-01-03-query.md:3: warning: URL '/a?b=c#d' cannot be kept: it holds '?', "
        "which would end the URL's path; the page moves to /2020/01/03/query.html",
        "_posts/2020-01-04-list.md:3: permalink must be a path, got a list: the file is "
        "imported without it",
        "_posts/2020-01-05-map.md:3: redirect_from holds a mapping, not a path: left out",
        "_posts/2020-01-06-self.md:3: warning: redirect_from '/2020/01/06/self.html' is the "
        "page's own URL: left out",
        "_posts/2020-01-07-taken.md:3: warning: redirect_from '/x': another file is published "
        "there, and Jekyll showed that file, not the redirect: left out",
        "q?mark.md: warning: file name has characters no URL can hold ('?'): imported as "
        "q-mark.md",
        "new\\nline.md: warning: URL '/new\\x0aline.html' cannot be kept: it holds the control "
        "character \\x0a; the page moves to /new-line.html",
    } <= found
    assert sorted(lines(report.errors)) == [
        "_posts/2020-01-04-list.md:3: permalink must be a path, got a list: the file is "
        "imported without it",
        "_posts/2020-01-05-map.md:3: redirect_from holds a mapping, not a path: left out"]
    redir = (tmp_path / "kith/content/posts/2020-01-02-redir.md").read_text(encoding="utf-8")
    assert "aliases: [/y, /z/, /2020/01/01/up.html]" in redir
    output = tmp_path / "out"
    build(tmp_path / "kith", output=output)  # builds: nothing the importer kept is refused
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(w.startswith(("src/", "kith/", "out/")) for w in written)
    assert "Up" in (output / "x.html").read_text(encoding="utf-8")
    assert "/2020/01/02/redir.html" in (output / "y.html").read_text(encoding="utf-8")
    assert (output / "q-mark.html").is_file() and (output / "new-line.html").is_file()


def test_the_summary_shows_control_characters_escaped(tmp_path: Path, capsys) -> None:
    src = write_tree(tmp_path / "src", {"_config.yml": CONFIG,
                                        "new\nline.md": "---\ntitle: NL\n---\nx\n"})
    assert main(["import", "jekyll", str(src), "--into", str(tmp_path / "kith")]) == 0
    out = capsys.readouterr().out
    assert "  new\\nline.md: warning: file name has characters no URL can hold ('\\x0a'): " \
        "imported as new-line.md\n" in out


def test_types_become_collections_that_clash_with_nothing(tmp_path: Path) -> None:
    kinds = ["note", "Note", "note!", "post", " Posts ", "tutorial", "tag", "category", "e",
             "search", "entry", "5", "page"]
    files = {f"_posts/2020-01-{i:02d}-t{i}.md": f"---\ntitle: T{i}\ntype: {kind!r}\n---\nx\n"
             for i, kind in enumerate(kinds, start=1)}
    files["_posts/2020-02-01-lang-es.md"] = "---\ntitle: Z\nlang: es\ntags: [x]\n---\nx\n"
    src = write_tree(tmp_path / "src", {"_config.yml": CONFIG, **files})
    report = import_jekyll(src, tmp_path / "kith")
    assert not report.errors
    collections = site_yaml(tmp_path / "kith")["collections"]
    assert {name: c["match"]["type"] for name, c in collections.items()} == {
        "notes": "Note", "note-posts": "note", "note-posts-2": "note!",  # one name each
        "tutorial-posts": "tutorial", "page-posts": "page",  # Kith's own collections
        "tag-posts": "tag", "category-posts": "category",  # taxonomies: /tags/, /categories/
        "e-posts": "e",  # 'es' is a language: /es/ is its home page
        "searches": "search", "entries": "entry"}
    assert "5" not in str(collections)  # a number was never a kind of post
    # 13 posts name no language, one says 'es': the others are English, Jekyll's default.
    assert site_yaml(tmp_path / "kith")["languages"] == ["en", "es"]
    assert "_config.yml: warning: no lang: in _config.yml: 13 files name no language and are " \
        "taken to be in 'en', Jekyll's default (more than the 1 in 'es')" in lines(report.problems)
    build(tmp_path / "kith", output=tmp_path / "out")
    assert "T7" in (tmp_path / "out/tag-posts/index.html").read_text(encoding="utf-8")
    assert (tmp_path / "out/es/tags/x/index.html").is_file()  # Kith's tag pages stay


def test_a_custom_excerpt_separator_ends_the_summary(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "src", {
        "_config.yml": CONFIG + "excerpt_separator: <!-- excerpt -->\n",
        "_posts/2020-01-01-a.md": "---\ntitle: A\n---\nFirst.\n\nSecond.\n<!-- excerpt -->\n"
                                  "Rest.\n",
        "_posts/2020-01-02-b.md": "---\ntitle: B\nexcerpt_separator: READ MORE\n---\nOne.\n\n"
                                  "READ MORE\n\nTwo.\n",
    })
    report = import_jekyll(src, tmp_path / "kith")
    a = (tmp_path / "kith/content/posts/2020-01-01-a.md").read_text(encoding="utf-8")
    assert a.endswith("First.\n\nSecond.\n<!--more-->\nRest.\n")
    assert ("_posts/2020-01-02-b.md:3: warning: excerpt_separator 'READ MORE' not converted: "
            "Kith ends a summary at <!--more--> (it shows the separator as text)") \
        in lines(report.problems)
    summary = render_markdown(a.split("---\n", 2)[2]).summary_html
    assert "Second." in summary and "Rest." not in summary


def test_feed_urls_kith_will_not_write_are_named(tmp_path: Path) -> None:
    feed = ("---\nlayout: null\n---\n<rss>{% for post in site.posts %}<item><guid>{{ site.url }}"
            "{{ post.url }}</guid></item>{% endfor %}</rss>\n")
    src = write_tree(tmp_path / "src", {
        "_config.yml": CONFIG + "baseurl: /blog\n",
        "_posts/2020-01-01-a.md": "---\ntitle: A\n---\nx\n",
        "rss.xml": feed,
        # The real blog's layout links a feed a script writes into an excluded folder.
        "_layouts/default.html": '<head>\n<link rel="alternate" type="application/rss+xml"\n'
                                 '  href="{{ site.url }}{{ site.baseurl }}/feeds/feed.xml">\n'
                                 '<link rel="alternate" type="application/atom+xml" '
                                 'href="{{ "/rss.xml" | relative_url }}"></head>\n',
    })
    report = import_jekyll(src, tmp_path / "kith")
    assert {
        "rss.xml: warning: feed readers subscribed to /rss.xml get no new posts: Kith's feed is "
        "/feed.xml (RSS) and /atom.xml",
        "_layouts/default.html:2: warning: the layout sends feed readers to /feeds/feed.xml, "
        "which Jekyll did not build (a script wrote it?): Kith's feed is /feed.xml",
    } == {m for m in lines(report.problems) if "feed readers" in m}
    ids = yaml.safe_load((tmp_path / "kith/feed-ids.yaml").read_text(encoding="utf-8"))
    # {{ site.url }}{{ post.url }}: no base path in the IDs, so none in what is kept.
    assert ids == {"content/posts/2020-01-01-a.md": "https://t.example/a/"}


def test_yaml_aliases_in_config_are_refused_and_huge_defaults_not_copied(tmp_path: Path
                                                                        ) -> None:
    # "Billion laughs": seven lines standing for 10^7 strings. Copying them into
    # site.yaml and every file's front matter took minutes; Kith's YAML reader refuses.
    bomb = ['  l0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"  l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 7)]
    src = write_tree(tmp_path / "src", {
        "_config.yml": CONFIG + "bomb:\n" + "\n".join(bomb) + "\n",
        "_posts/2020-01-01-a.md": "---\ntitle: A\n---\nx\n",
    })
    with pytest.raises(KithError) as caught:
        import_jekyll(src, tmp_path / "kith")
    assert str(caught.value).startswith("_config.yml:8: invalid YAML: aliases expand to more "
                                        "than 10,000 values beyond those written out")
    # Written out in full, a default is copied into every file it applies to: not a huge one.
    huge = "[" + ", ".join(["x"] * 10_001) + "]"
    write_tree(src, {"_config.yml": CONFIG + "defaults:\n  - scope: {path: ''}\n    values: "
                                  f"{{boom: {huge}, author: Ana}}\n"})
    report = import_jekyll(src, tmp_path / "kith")
    assert "_config.yml: warning: defaults: value of 'boom' not written into the files: it " \
        "holds more than 10,000 values, copied into each file" in lines(report.problems)
    post = (tmp_path / "kith/content/posts/2020-01-01-a.md").read_text(encoding="utf-8")
    assert post == "---\ntitle: A\nauthor: Ana\n---\nx\n"
