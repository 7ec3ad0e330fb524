"""Inputs people really write get `path:line: what is wrong`, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cli import main

FAILED = "build failed: {n} problem{s}; the output folder was left as it was\n"


def build(root: Path, capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["-C", str(root), "build", *args])
    return code, capsys.readouterr().err


def failed(n: int) -> str:
    return FAILED.format(n=n, s="s" * (n != 1))


DATED = "---\ntitle: Dated\n---\nbody\n"


# -- posts without a date -------------------------------------------------------------

def test_a_post_without_a_date_is_an_error_not_a_crash(make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-01-dated.md": DATED,
        "content/posts/nodate.md": "---\ntitle: No date\ntags: [x]\n---\nbody\n",
        "content/posts/draft.md": "---\ntitle: Idea\ndraft: true\n---\n",
    })
    assert build(root, capsys) == (1, (
        "content/posts/draft.md:1: post has no date\n"
        "  hint: name it YYYY-MM-DD-slug.md or add 'date: YYYY-MM-DD'\n"
        "content/posts/nodate.md:1: post has no date\n"
        "  hint: name it YYYY-MM-DD-slug.md or add 'date: YYYY-MM-DD'\n" + failed(2)))
    assert not (root / "_site").exists()


def test_a_front_matter_date_places_a_post_without_one_in_its_name(make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-01-dated.md": DATED,
        "content/posts/nodate.md": "---\ntitle: Hugo style\ndate: 2026-02-01\n---\nbody\n",
    })
    assert build(root, capsys) == (0, "")
    archive = (root / "_site/archive/index.html").read_text()
    assert archive.index("Hugo style") < archive.index("Dated")
    assert "<loc>https://example.com/posts/nodate/</loc>" in (
        root / "_site/sitemap.xml").read_text()


def test_an_impossible_date_is_reported_once(make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-01-dated.md": DATED,
        "content/posts/nodate.md": "---\ntitle: Leap\ndate: 2024-02-30\n---\n",
        "content/posts/2026-02-30-named.md": "---\ntitle: Named\n---\n",
    })
    assert build(root, capsys) == (1, (
        "content/posts/2026-02-30-named.md: bad date in file name: not a real date (day is "
        "out of range for month)\n  hint: name posts YYYY-MM-DD-slug.md\n"
        "content/posts/nodate.md:3: bad date '2024-02-30': not a real date (day is out of "
        "range for month)\n" + failed(2)))


def test_a_dated_permalink_needs_a_date(make_site, capsys) -> None:
    config = ("title: T\nbase_url: https://example.com/\nlanguage: en\n"
              "permalinks: {posts: '/:year/:month/:slug/', tutorials: '/:year/:series/:slug/'}\n")
    root = make_site({
        "content/posts/2026-01-01-dated.md": DATED,
        "content/about.md": "---\ntitle: About\npermalink: /:year/about/\n---\n",
        "content/tutorials/sql/01-select.md": "---\ntitle: Select\n---\n",
        "content/tutorials/sql/02-join.md": "---\ntitle: Join\ndate: 2026-01-02\n---\n",
    }, config=config)
    assert build(root, capsys) == (1, (
        "content/about.md:3: its permalink '/:year/about/' uses :year, but this page has no "
        "date\n  hint: add 'date: YYYY-MM-DD' to its front matter, or a permalink: without "
        "dates\n"
        "content/tutorials/sql/01-select.md:1: the tutorials pattern in site.yaml "
        "'/:year/:series/:slug/' uses :year, but this page has no date\n"
        "  hint: add 'date: YYYY-MM-DD' to its front matter, or a permalink: without dates\n"
        + failed(2)))


# -- front matter ---------------------------------------------------------------------

def test_an_unclosed_quote_is_reported_where_it_opens(make_site, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-q.md":
                      '---\ntitle: "Half a title\ntags: [a, b]\nsummary: ok\n---\nbody\n'})
    assert build(root, capsys) == (1, (
        "content/posts/2026-01-01-q.md:2: front matter: invalid YAML: a quoted value starts "
        "here and is never closed\n"
        "  hint: add the closing quote, or remove the opening one\n" + failed(1)))


def test_an_id_a_feed_cannot_carry_is_refused(make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": '---\ntitle: A\nid: "tag:x.org,2026:\\x01a"\n---\n',
        "content/posts/2026-01-02-b.md": "---\ntitle: B\nid: urn:uuid 1234\n---\n",
        "content/posts/2026-01-03-c.md": "---\ntitle: C\nid: urn:uuid:5f1c-4e\n---\n",
    })
    hint = "  hint: e.g. id: tag:example.com,2026-01-31:posts/x\n"
    assert build(root, capsys) == (1, (
        "content/posts/2026-01-01-a.md:3: 'id' must be a URI without spaces or control "
        "characters, got 'tag:x.org,2026:\\x01a'\n" + hint +
        "content/posts/2026-01-02-b.md:3: 'id' must be a URI without spaces or control "
        "characters, got 'urn:uuid 1234'\n" + hint + failed(2)))


def test_a_list_key_with_an_odd_item_names_the_item(make_site, capsys) -> None:
    """It said "'aliases' must be a list of words, got a list", with a hint about tags."""
    root = make_site({"content/posts/2026-01-01-a.md": (
        "---\ntitle: A\naliases: [/old/, null]\ntags: [a, [b]]\ncategories: {x: 1}\n---\n")})
    assert build(root, capsys) == (1, (
        "content/posts/2026-01-01-a.md:3: 'aliases' must be a list of words, got a list "
        "holding an empty item\n  hint: e.g. aliases: [/2019/01/old-post/]\n"
        "content/posts/2026-01-01-a.md:4: 'tags' must be a list of words, got a list holding "
        "a list\n  hint: e.g. tags: [python, web]\n"
        "content/posts/2026-01-01-a.md:5: 'categories' must be a list of words, got a "
        "mapping\n  hint: e.g. categories: [python, web]\n" + failed(3)))


def test_a_term_with_a_control_character_is_refused(make_site, capsys) -> None:
    """tags: ["\\0"] was built as a tag page /tags/untitled/ and an empty <category>."""
    root = make_site({"content/posts/2026-01-01-a.md": (
        '---\ntitle: A\ntags: [ok, "\\0"]\ncategories: ["a\\tb"]\n---\n')})
    assert build(root, capsys) == (1, (
        "content/posts/2026-01-01-a.md:3: 'tags' holds '\\x00', with a control character\n"
        "  hint: e.g. tags: [python, web]\n"
        "content/posts/2026-01-01-a.md:4: 'categories' holds 'a\\x09b', with a control "
        "character\n  hint: e.g. categories: [python, web]\n" + failed(2)))


def test_text_with_a_control_character_is_refused(make_site, capsys) -> None:
    """title: "a\\x01b" reached the page's <title> raw (the feeds dropped it): HTML and XML
    refuse it. Tabs and line breaks are white space there, and stay."""
    root = make_site({"content/posts/2026-01-01-a.md": (
        '---\ntitle: "Raft\\x01 log"\nsummary: "next\\N line"\n---\n'),
        "content/posts/2026-01-02-b.md": '---\ntitle: "tab\\tand\\nbreak"\n---\n'})
    assert build(root, capsys) == (1, (
        # (the title refused is not also "no title", a warning said once)
        "content/posts/2026-01-01-a.md:2: 'title' holds 'Raft\\x01 log', with a control "
        "character\n  hint: remove it (a YAML escape such as \\x01 or \\u0085 writes one)\n"
        "content/posts/2026-01-01-a.md:3: 'summary' holds 'next\\x85 line', with a control "
        "character\n  hint: remove it (a YAML escape such as \\x01 or \\u0085 writes one)\n"
        + failed(2)))


# -- file names -----------------------------------------------------------------------

def test_file_names_no_url_can_carry_are_refused(make_site, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-ok.md": DATED})
    posts = os.fsencode(root / "content/posts")
    for name, data in [(b"2026-01-02-caf\xe9.md", b"---\ntitle: Latin-1\n---\n"),
                       (b"2026-01-03-two\nlines.md", b"---\ntitle: Newline\n---\n"),
                       (b"photo\t1.png", b"png"), (b"pic\xff.png", b"png")]:
        try:
            with open(os.path.join(posts, name), "wb") as f:
                f.write(data)
        except OSError:
            pytest.skip("this file system refuses such names (which is the point)")
    assert build(root, capsys) == (1, (
        "content/posts/2026-01-02-caf\\xe9.md: file name is not valid UTF-8\n"
        "  hint: rename the file; names become URLs, which must be UTF-8\n"
        "content/posts/2026-01-03-two\\nlines.md: file name contains a control character "
        "(such as a line break or tab)\n  hint: rename the file\n"
        # Content files are checked as outputs (paths.py), like every path written.
        "content/posts/photo\\t1.png: output path 'posts/photo\\x091.png' holds the "
        "control character \\x09\n"
        "  hint: check permalink:, slug:, aliases: and folder names, and permalinks: in "
        "site.yaml\n"
        "content/posts/pic\\xff.png: output path 'posts/pic\\udcff.png' holds \\udcff, "
        "which is not a character (not valid Unicode)\n"
        "  hint: check permalink:, slug:, aliases: and folder names, and permalinks: in "
        "site.yaml\n" + failed(4)))


def test_dates_at_the_ends_of_the_calendar_and_odd_offsets(make_site, capsys) -> None:
    config = ("title: T\nbase_url: https://example.com/\nlanguage: en\n"
              "timezone: Asia/Shanghai\n")
    root = make_site({
        "content/posts/a.md": "---\ntitle: A\ndate: 0001-01-01\n---\n",
        "content/posts/b.md": "---\ntitle: B\ndate: 2024-01-01T10:00:00+99:99\n---\n",
        "content/posts/c.md": "---\ntitle: C\ndate: 2024-01-01 10:00 +05:75\n---\n",
    }, config=config)
    assert build(root, capsys) == (1, (
        "content/posts/a.md:3: bad date '0001-01-01': year 1 is out of range (2 to 9998)\n"
        "content/posts/b.md:3: bad date '2024-01-01T10:00:00+99:99': time zone offset +99:99 "
        "is out of range (-23:59 to +23:59)\n"
        "content/posts/c.md:3: bad date '2024-01-01 10:00 +05:75': time zone offset +05:75 "
        "is out of range (-23:59 to +23:59)\n" + failed(3)))
    # The first and last days Kith takes survive every conversion (sorting, feeds, URLs).
    (root / "content/posts/a.md").write_text("---\ntitle: A\ndate: 0002-01-01 00:00 +14:00\n"
                                             "---\n")
    (root / "content/posts/b.md").write_text("---\ntitle: B\ndate: 9998-12-31 23:00 -12:00\n"
                                             "---\n")
    (root / "content/posts/c.md").write_text("---\ntitle: C\ndate: 2024-01-01\n---\n")
    assert build(root, capsys, "--future") == (0, "")


def test_control_characters_in_messages_are_escapes(make_site, capsys) -> None:
    # A quoted value must not colour the terminal, or split one problem over two lines.
    root = make_site({"content/posts/2026-01-01-a.md":
                      '---\ntitle: A\ndraft: "\\e[31mred\\x1e"\n---\n'})
    assert build(root, capsys) == (1, (
        "content/posts/2026-01-01-a.md:3: 'draft' must be true or false, got "
        "'\\x1b[31mred\\x1e'\n" + failed(1)))


# -- site.yaml and content in one run -------------------------------------------------

BROKEN_POSTS = {"content/posts/2026-01-01-a.md": "---\ntitle: [oops\n---\nx\n",
                "content/posts/2026-01-02-b.md": b"\xff bad\n",
                "content/posts/2026-01-03-c.md": DATED}


def test_a_wrong_setting_and_the_contents_problems_in_one_run(make_site, capsys) -> None:
    """A setting that does not shape how content is read: the content's problems are
    reported with it, and nothing is written."""
    root = make_site(BROKEN_POSTS, config="title: T\nbase_url: https://example.com/\n"
                     "paginate: ten\nfeeds: {rss: maybe}\n")
    assert build(root, capsys) == (1, (
        "content/posts/2026-01-01-a.md:2: front matter: invalid YAML: the [ that starts a "
        "list here is never closed\n"
        "  hint: end the list with ], or write one '- item' per line\n"
        "content/posts/2026-01-02-b.md:1: not valid UTF-8 (byte 0xff)\n"
        "  hint: save the file as UTF-8\n"
        "site.yaml:3: 'paginate' must be a whole number of at least 1, got 'ten'\n"
        "  hint: e.g. paginate: 10\n"
        "site.yaml:4: feeds.rss must be true or false, got 'maybe'\n" + failed(4)))
    assert not (root / "_site").exists()


def test_a_wrong_setting_alone_fails_the_build(make_site, capsys) -> None:
    root = make_site({"content/posts/2026-01-03-c.md": DATED},
                     config="title: T\nbase_url: https://example.com/\npaginate: 0\n")
    assert build(root, capsys) == (1, (
        "site.yaml:3: 'paginate' must be a whole number of at least 1, got 0\n"
        "  hint: e.g. paginate: 10\n" + failed(1)))
    assert not (root / "_site").exists()


def test_a_wrong_setting_that_shapes_the_content_hides_the_contents_problems(
        make_site, capsys) -> None:
    """With the languages wrong, every Chinese post would be 'in an unknown language':
    only site.yaml's problems are told."""
    root = make_site({**BROKEN_POSTS, "content/posts/2026-01-04-c-zh.md": DATED},
                     config="title: T\nbase_url: https://example.com/\n"
                     "languages: {en: 5, zh: {}}\npaginate: ten\n")
    code, err = build(root, capsys)
    assert code == 1 and "content/" not in err
    assert "site.yaml:3" in err and "site.yaml:4: 'paginate'" in err


def test_an_update_before_the_date_is_a_warning(make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-05-a.md": "---\ntitle: A\nupdated: 2025-01-01\n---\nx\n",
        "content/posts/b.md": "---\ntitle: B\ndate: 2026-01-05T10:00:00Z\n"
                              "updated: 2026-01-05T09:30:00Z\n---\nx\n",
        "content/posts/2026-01-05-c.md": "---\ntitle: C\nupdated: 2026-01-05\n---\nx\n"})
    code, err = build(root, capsys)
    assert code == 0 and err.splitlines()[:4] == [
        "content/posts/2026-01-05-a.md:3: warning: the update date is before the page's date "
        "('2025-01-01' < '2026-01-05')",
        "  hint: the page would say it changed before it was published: fix one of the two",
        "content/posts/b.md:4: warning: the update date is before the page's date "
        "('2026-01-05T09:30:00+00:00' < '2026-01-05T10:00:00+00:00')",
        "2 warnings: the update date is before the page's date ('...' < '...')"]


def test_a_misspelt_setting_that_shapes_the_content_hides_the_contents_problems(
        make_site, capsys) -> None:
    """'langauges:' is an unknown setting; with the default languages, the Chinese post
    was 'in an unknown language', a false problem (helper-32)."""
    root = make_site({**BROKEN_POSTS, "content/posts/2026-01-04-z.md":
                      "---\ntitle: Z\nlang: zh\n---\nx\n"},
                     config="title: T\nbase_url: https://example.com/\n"
                     "langauges: [en, zh]\n")
    assert build(root, capsys) == (1, "site.yaml:3: unknown setting 'langauges'\n"
                                      "  hint: did you mean 'languages'?\n" + failed(1))


def test_templates_do_not_meet_a_wrong_settings_default(make_site, capsys) -> None:
    """params written as a list: its default, {}, made the theme's template fail on a
    name that is right; the templates are not rendered while a setting is wrong."""
    root = make_site({"content/posts/2026-01-03-c.md": DATED,
                      "layouts/post.html": "{{ site.params.social.x }}{{ page.html }}\n"},
                     config="title: T\nbase_url: https://example.com/\nparams: [a]\n")
    assert build(root, capsys) == (1, "site.yaml:3: 'params' must be a mapping\n"
                                      "  hint: e.g. params: {mastodon: me}\n" + failed(1))

