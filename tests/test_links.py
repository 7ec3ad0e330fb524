"""Built under a /repo/ prefix and served on localhost, the example site has no broken link."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linkcheck import broken_links, serve
from test_golden import example_copy

from generator.build import assemble, build
from generator.cli import main
from generator.links import later_stage, link_marks
from generator.site import site_outputs


def test_no_broken_internal_links_under_a_path_prefix(tmp_path: Path, capsys) -> None:
    root = example_copy(tmp_path)
    served = tmp_path / "www"
    served.mkdir()
    with serve(served) as origin:
        assert main(["-C", str(root), "build", "--output", str(served / "repo"),
                     "--base-url", f"{origin}/repo/"]) == 0
        broken, visited = broken_links(f"{origin}/repo/")
        html_files = len(list((served / "repo").rglob("*.html")))
        # The 404 page works at any depth: its links are absolute under the prefix.
        missing, _ = broken_links(f"{origin}/repo/404.html")
    assert broken == []
    assert missing == []
    assert visited >= html_files - 1  # every page is reachable (404 is linked from nowhere)


# -- link warnings: every internal link to no output, once, with its line -----------------

LINKS_POST = """\
---
title: Links
tags: [raft]
---
A [missing post](missing.md) in the first paragraph, which is also the summary.

- [nope](/posts/nope/) and [tag](/tags/raft/) and [archive](/archive/)
- [feed](/feed.xml), [tag feed](/tags/raft/feed.xml), [json](/feed.json)
- [static](/posts/diagram.svg), [relative static](diagram.svg), [style](/assets/style.css)
- [other](/posts/other/#a-section), [no slash](/posts/other), [index](/posts/other/index.html)
- [sitemap](/sitemap.xml), [home](/), [all tags](/tags/), [query](/tags/raft/?x=1)

<p>Raw HTML: <a href="/nowhere/">gone</a> and <img src="diagram.svg" alt="d"></p>

Again [nope](/posts/nope/) on a later line, and [protocol-relative](//cdn.example.com/x.js).
"""


def link_site(make_site) -> Path:
    return make_site({
        "content/posts/2026-01-01-links.md": LINKS_POST,
        "content/posts/2026-01-02-other.md": "---\ntitle: Other\n---\n## A section\n",
        "content/posts/diagram.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    })


LINK_WARNINGS = [
    "content/posts/2026-01-01-links.md:5: warning: link to a missing file 'missing.md'",
    "  hint: check the path; links are relative to this file",
    "content/posts/2026-01-01-links.md:7: warning: link to '/posts/nope/': the site has no "
    "such page or file",
    "  hint: check the URL; root-relative links start at the site's root",
    "content/posts/2026-01-01-links.md:13: warning: link to '/nowhere/': the site has no such "
    "page or file",
    "  hint: check the URL; root-relative links start at the site's root",
    "content/posts/2026-01-01-links.md:13: warning: link to 'diagram.svg' leads nowhere: in raw "
    "HTML it means '/posts/links/diagram.svg'",
    "  hint: raw HTML links are left as written; use a Markdown link to the file, or a "
    "root-relative /path/",
    "content/posts/2026-01-01-links.md:15: warning: link to '/posts/nope/': the site has no "
    "such page or file",
    "  hint: check the URL; root-relative links start at the site's root",
]
LINK_REPORT = [  # as kith build prints them: a hint once, then the count by kind
    *(line for i, line in enumerate(LINK_WARNINGS) if i not in (5, 9)),
    "5 warnings:",
    "  3  link to '...': the site has no such page or file",
    "  1  link to '...' leads nowhere: in raw HTML it means '...'",
    "  1  link to a missing file '...'",
]


def test_every_link_to_no_output_is_warned_once_with_its_line(make_site, capsys) -> None:
    root = link_site(make_site)
    assert main(["-C", str(root), "build"]) == 0
    assert capsys.readouterr().err.splitlines() == LINK_REPORT
    # A warm build (Markdown from the cache, links checked from its markers) says the same.
    other = root / "content/posts/2026-01-02-other.md"
    other.write_text(other.read_text() + "\nMore.\n")
    assert main(["-C", str(root), "build", "--all-warnings"]) == 0
    assert capsys.readouterr().err.splitlines() == LINK_REPORT
    html = (root / "_site/posts/links/index.html").read_text()
    assert 'href="/posts/nope/"' in html and 'href="/posts/other/#a-section"' in html
    # Without the cache the pages arrive rendered (the path kith serve takes): the same.
    result = build(root, output=root / "_fresh", cache=False, jobs=1)
    assert "\n".join(str(w) for w in result.warnings).splitlines() == LINK_WARNINGS


def test_a_link_to_a_draft_or_a_future_post_says_so(make_site, capsys) -> None:
    """The English post links its Chinese translation, still a draft: 'a missing file'
    sent the writer looking for a typo in a path that is right."""
    root = make_site({
        "content/posts/2026-01-01-a.md": "---\ntitle: A\n---\n[中文](2026-01-01-a-zh.md), "
                                         "[next](2026-12-01-b.md), [gone](c.md)\n",
        "content/posts/2026-01-01-a-zh.md": "---\ntitle: 甲\nlang: zh\ndraft: true\n---\nx\n",
        "content/posts/2026-12-01-b.md": "---\ntitle: B\n---\nLater.\n"},
        config="title: T\nbase_url: https://example.com/\nlanguages: [en, zh]\n")
    assert main(["-C", str(root), "build"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/posts/2026-01-01-a.md:4: warning: link to '2026-01-01-a-zh.md', which this "
        "build leaves out (draft)",
        "  hint: the link works once that page is published (--drafts includes it)",
        "content/posts/2026-01-01-a.md:4: warning: link to '2026-12-01-b.md', which this "
        "build leaves out (future-dated 2026-12-01)",
        "  hint: the link works once that page is published (--future includes it)",
        "content/posts/2026-01-01-a.md:4: warning: link to a missing file 'c.md'",
        "  hint: check the path; links are relative to this file",
        "3 warnings:",
        "  1  link to '...', which this build leaves out (draft)",
        "  1  link to '...', which this build leaves out (future-dated 2026-12-01)",
        "  1  link to a missing file '...'"]
    assert main(["-C", str(root), "build", "--drafts", "--future", "--all-warnings"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/posts/2026-01-01-a.md:4: warning: link to a missing file 'c.md'",
        "  hint: check the path; links are relative to this file",
        "1 warning: link to a missing file '...'"]


def _body_reads(monkeypatch) -> list[str]:
    """The sources whose body is read (each read fetches it from the store), from now on."""
    from generator.sources import Sources
    reads: list[str] = []
    real = Sources.body

    def counted(self: Sources, config: object, source: str, pkey: str) -> str:
        reads.append(source)
        return real(self, config, source, pkey)  # type: ignore[arg-type]

    monkeypatch.setattr(Sources, "body", counted)
    return reads


def test_a_warm_build_reads_no_body_to_place_broken_links(make_site, capsys,
                                                          monkeypatch) -> None:
    """Each read of a page's body in a warm build fetches it from the store (a 50 MB post
    with 168 broken links once spent a minute there): the Markdown stage found the lines
    of its unmarked links already, and the warnings name the same lines."""
    root = link_site(make_site)
    assert main(["-C", str(root), "build"]) == 0
    capsys.readouterr()
    reads = _body_reads(monkeypatch)
    other = root / "content/posts/2026-01-02-other.md"
    other.write_text(other.read_text() + "\nMore.\n")
    assert main(["-C", str(root), "build", "--all-warnings"]) == 0
    assert capsys.readouterr().err.splitlines() == LINK_REPORT
    assert reads == []


def test_links_under_a_base_path(make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": "---\ntitle: A\n---\n[b](/posts/b/), "
                                         "[b again](/repo/posts/b/)\n",
        "content/posts/2026-01-02-b.md": "---\ntitle: B\n---\n",
    })
    assert main(["-C", str(root), "build", "--base-url", "https://x.github.io/repo/"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/posts/2026-01-01-a.md:4: warning: link to '/repo/posts/b/' includes the base "
        "path /repo/",
        "  hint: write '/posts/b/': Kith adds /repo/ itself",
        "1 warning: link to '...' includes the base path /repo/",
    ]
    html = (root / "_site/posts/a/index.html").read_text()
    assert 'href="/repo/posts/b/"' in html and 'href="/repo/repo/posts/b/"' in html


@pytest.mark.parametrize("base_url", [None, "https://x.github.io/repo/"])
def test_the_link_checker_knows_every_file_the_build_writes(tmp_path: Path, base_url) -> None:
    root = example_copy(tmp_path)
    (root / "site.yaml").write_text((root / "site.yaml").read_text() +
                                    "feeds: {per_collection: false}\n", encoding="utf-8")
    args = ["--base-url", base_url] if base_url else []
    assert main(["-C", str(root), "build", *args]) == 0
    assembled = assemble(root, base_url=base_url, save_cache=False)
    written = {p.relative_to(root / "_site").as_posix()
               for p in (root / "_site").rglob("*") if p.is_file()}
    known = site_outputs(assembled.site, assembled.listings)
    assert known <= written  # no link is taken for good that leads nowhere
    assert {w for w in written - known if not later_stage(w, root)} == set()


def test_a_missing_image_under_assets_is_warned(make_site, capsys) -> None:
    """Jekyll sites keep their images in /assets/, where the theme writes its CSS: only
    what the theme writes there goes unchecked (an imported blog's missing photos
    were shown as empty boxes without a word). A file of a type URLs do not list
    (.mp4, .epub) is found as written, not taken for a page."""
    root = make_site({
        "content/posts/2026-01-01-a.md": "---\ntitle: A\n---\n"
        "![here](/assets/images/here.png) [style](/assets/style.css)\n\n"
        "![gone](/assets/images/gone.jpg) [font](/assets/fonts/own.woff2)\n\n"
        "[icon](/assets/icon-192.png) [stale](/assets/style.0123456789.css)\n\n"
        "[clip](/media/talk.mp4) [book](/media/book.epub) [gone](/media/gone.mp4)\n",
        "content/assets/images/here.png": "not really a PNG",
        "content/media/talk.mp4": "a video", "content/media/book.epub": "a book",
        "layouts/assets/fonts/own.woff2": "a font of the site's own",
    })
    assert main(["-C", str(root), "build"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/posts/2026-01-01-a.md:6: warning: link to '/assets/images/gone.jpg': the "
        "site has no such page or file",
        "  hint: check the URL; root-relative links start at the site's root",
        "content/posts/2026-01-01-a.md:10: warning: link to '/media/gone.mp4': the "
        "site has no such page or file",
        "2 warnings: link to '...': the site has no such page or file",
    ]
    assert not later_stage("assets/../site.yaml", root)


def test_link_marks_finds_markers_and_plain_internal_links_in_order() -> None:
    html = ('<p><a href="kith:3:a.md#x">a</a> <a href="/tags/x/">t</a> '
            '<a href="https://x.org/">x</a> <a href="#top">top</a> <a data-href="/no/">d</a>\n'
            '<img\nsrc="pic.png"> <span data-kith-problem="kith:4:bad TeX&#10;fix it"></span>'
            ' <a href="//cdn.org/x">c</a> <a href="mailto:a@b.c">m</a></p>')
    assert link_marks(html) == (
        ("href", "3", "a.md#x"), ("href", "0", "/tags/x/"), ("src", "0", "pic.png"),
        ("data-kith-problem", "4", "bad TeX&#10;fix it"))


def _lines_with_one_pattern(body: str, body_line: int, href: str, markdown: bool) -> list[int]:
    """links._lines_with as it was: one regular expression per link (the reference)."""
    import re
    from html import unescape
    from urllib.parse import unquote
    forms = "|".join(re.escape(f) for f in sorted({href, unescape(href),
                                                    unquote(unescape(href))}))
    lead = r"(?:=\s*[\"']?" + (r"|\]\(\s*<?|\]:\s*<?" if markdown else "") + ")"
    pattern = re.compile(f"{lead}(?:{forms})(?=[\"'\\s)>]|$)")
    lines = [body_line + i for i, text in enumerate(body.split("\n")) if pattern.search(text)]
    return lines or [body_line]


_HREFS = ["/a", "/a/", "a", "/a?x", "/%20", "/ ", "/a&amp;b", "/a&b", "/a b", "", "/a)", "<",
          "="]
_LINKISH = st.lists(st.sampled_from(
    ["=", "=\"", "='", "= ", "](", "]( <", "](<", "]:", "]: <", "[", "]", "\"", "'", " ", ")",
     ">", "\n", "\t", "x", "\u00a0", "&amp;", "#", *_HREFS,
     *(lead + href for lead in ("](", "=\"", "]: ", "= ") for href in _HREFS)]),
    max_size=30).map(
    lambda parts: "\n".join(["intro", *"".join(parts).split("\n")]))
"""Bodies whose first line holds no link: a match there would look like the fallback."""


@settings(max_examples=800, deadline=None, derandomize=True, database=None)
@given(_LINKISH, st.sampled_from(_HREFS) | _LINKISH, st.booleans())
def test_the_lines_of_a_broken_link_are_those_the_one_pattern_found(
        body: str, href: str, markdown: bool) -> None:
    from generator.links import _lines_with
    assert _lines_with(body, 3, href, markdown) == _lines_with_one_pattern(body, 3, href, markdown)


def test_the_lines_of_a_broken_link_for_every_lead_and_tail() -> None:
    from generator.links import _lines_with
    leads = ["=", "=\"", "='", "= '", "](", "]( <", "](<", "]:", "]: <", "x", "", "[a]"]
    tails = ["\"", "'", " ", ")", ">", "", "x", "\t", "\u00a0", "/"]
    for lead in leads:
        for href in _HREFS:
            for tail in tails:
                for markdown in (True, False):
                    body = f"intro\nsee {lead}{href}{tail} and more"
                    assert _lines_with(body, 3, href, markdown) == _lines_with_one_pattern(
                        body, 3, href, markdown), (lead, href, tail, markdown)


def test_a_raw_html_link_is_judged_from_each_page_s_own_folder(make_site, capsys) -> None:
    """The same relative src on three pages: found beside one, missing beside the others,
    each warned with its own meaning (a link's verdict is remembered per folder, not per
    link)."""
    img = "<img src=\"pic.png\" alt=\"p\">\n"
    root = make_site({
        "content/posts/2026-01-01-a.md": "---\ntitle: A\n---\n" + img,
        "content/about/index.md": "---\ntitle: About\n---\n" + img,
        "content/about/pic.png": "not really a png",
        "content/notes/index.md": "---\ntitle: Notes\n---\n\n" + img,
    })
    assert main(["-C", str(root), "build"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/notes/index.md:5: warning: link to 'pic.png' leads nowhere: in raw HTML it "
        "means '/notes/pic.png'",
        "  hint: raw HTML links are left as written; use a Markdown link to the file, or a "
        "root-relative /path/",
        "content/posts/2026-01-01-a.md:4: warning: link to 'pic.png' leads nowhere: in raw "
        "HTML it means '/posts/a/pic.png'",
        "2 warnings: link to '...' leads nowhere: in raw HTML it means '...'",
    ]


def test_the_lines_of_a_link_written_many_times_on_one_line() -> None:
    """Found by reading back from each place (a one-line body holding a target 20,000
    times once took 30 s): the same lines as the one-pattern reference."""
    from generator.links import _lines_with
    for lead in ("", "=", "= '", "](", "]( <", "]: ", "x]("):
        for body in ("intro\n" + "see /a, " * 300 + f"{lead}/a)",
                     "intro\n" + "see /a\n" * 50 + f"one {lead}/a" + " /a" * 50 + "\n/a",
                     f"intro\n{lead}/a" + " x" * 200 + f" {lead}/a"):
            for markdown in (True, False):
                assert _lines_with(body, 3, "/a", markdown) == _lines_with_one_pattern(
                    body, 3, "/a", markdown), (lead, markdown)


def test_a_page_of_many_broken_links_is_placed_by_the_site_stage(make_site, capsys,
                                                                 monkeypatch) -> None:
    """Past PLACED_MAX unmarked links on a page (an index of every post), the Markdown
    worker does not search its body for each: the site stage reads the body once for
    the broken ones. Same warnings, same lines, cold and warm."""
    from generator.links import PLACED_MAX
    count = PLACED_MAX + 6
    body = "".join(f"- [{i}](/gone/{i}/)\n" for i in range(count))
    root = make_site({"content/posts/2026-01-01-index.md": f"---\ntitle: All\n---\n{body}",
                      "content/posts/2026-01-02-other.md": "---\ntitle: Other\n---\nHi.\n"})
    expected = [line for i in range(count) for line in (
        f"content/posts/2026-01-01-index.md:{4 + i}: warning: link to '/gone/{i}/': the site "
        "has no such page or file",
        "  hint: check the URL; root-relative links start at the site's root")[:2 - bool(i)]]
    expected.append(f"{count} warnings: link to '...': the site has no such page or file")
    assert main(["-C", str(root), "build"]) == 0
    assert capsys.readouterr().err.splitlines() == expected
    reads = _body_reads(monkeypatch)
    other = root / "content/posts/2026-01-02-other.md"
    other.write_text(other.read_text() + "\nMore.\n")
    assert main(["-C", str(root), "build", "--all-warnings"]) == 0
    assert capsys.readouterr().err.splitlines() == expected
    assert reads == ["content/posts/2026-01-01-index.md"]


def test_a_root_relative_link_with_dot_segments_is_judged_where_the_browser_goes(
        make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": "---\ntitle: A\n---\n\n[about](/posts/../about/) "
                                         "[here](/./about/) [no](/about/../nope/)\n",
        "content/about.md": "---\ntitle: About\n---\nMe.\n",
    })
    assert main(["-C", str(root), "build"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/posts/2026-01-01-a.md:5: warning: link to '/about/../nope/': the site has "
        "no such page or file",
        "  hint: check the URL; root-relative links start at the site's root",
        "1 warning: link to '...': the site has no such page or file",
    ]


def _remove_dot_segments(path: str) -> str:
    """RFC 3986, 5.2.4, step by step as written (Python's urljoin drops empty
    segments after "..", where browsers and the RFC keep them)."""
    out = ""
    while path:
        if path.startswith(("/./", "/../")) or path in ("/.", "/.."):
            up = path.startswith("/..")
            path = "/" + path[len("/../" if up else "/./"):] if path not in ("/.", "/..") else "/"
            if up:
                out = out[:out.rfind("/")] if "/" in out else ""
        else:
            cut = path.find("/", 1)
            segment = path if cut < 0 else path[:cut]
            out, path = out + segment, path[len(segment):]
    return out


@given(st.lists(st.sampled_from(["a", "b", ".", "..", "", ".x", "..y"]), max_size=8))
def test_dot_segments_resolve_as_rfc_3986_says(segments: list[str]) -> None:
    from generator.links import _dots_resolved

    path = "/" + "/".join(segments)
    assert _dots_resolved(path) == _remove_dot_segments(path)
