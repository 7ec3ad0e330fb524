"""Markdown features, as HTML a reader's browser gets."""

from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator import model
from generator.assets import highlight_css
from generator.markdown import (
    Rendered,
    count_words,
    render_fast,
    render_markdown,
    render_markdown_reference,
)
from generator.markdown_rules import fence_after
from generator.model import Page


def html(text: str) -> str:
    return render_markdown(text).html


def test_gfm_tables_strikethrough_tasks_footnotes() -> None:
    out = html("| a | b |\n|---|:-:|\n| 1 | 2 |\n\n~~old~~ new\n\n- [x] done\n- [ ] todo\n\n"
               "Fact[^1].\n\n[^1]: Source.\n")
    assert "<table>" in out and '<th style="text-align:center">b</th>' in out
    assert "<s>old</s> new" in out
    assert ('<li class="task-list-item"><input aria-label="done" '
            'class="task-list-item-checkbox" disabled="" type="checkbox" checked=""> done</li>'
            ) in out
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in out
    assert '<li id="fn1" class="footnote-item"><p>Source. <a href="#fnref1"' in out


def test_heading_ids_anchor_links_and_toc() -> None:
    result = render_markdown("# Intro\n\n## Setup `kith`\n\n## Setup `kith`\n\n### 中文 标题\n"
                             "\n## Content\n\n## लेखन\n")
    assert '<h2 id="setup-kith">Setup <code>kith</code> <a class="header-anchor" ' \
           'href="#setup-kith" aria-hidden="true" tabindex="-1">#</a></h2>' in result.html
    assert [(h.level, h.id, h.text) for h in result.toc] == [
        (1, "intro", "Intro"), (2, "setup-kith", "Setup kith"),
        (2, "setup-kith-1", "Setup kith"), (3, "中文-标题", "中文 标题"),
        (2, "content-section", "Content"), (2, "लेखन", "लेखन")]


def test_code_is_highlighted_at_build_time_and_keyboard_scrollable() -> None:
    out = html("```python\ndef f():\n    return '<x>'\n```\n\n```nosuchlang\na < b\n```\n")
    assert '<pre class="highlight" tabindex="0"><code class="language-python">' \
           '<span class="k">def</span>' in out
    assert "<span class=\"s1\">'&lt;x&gt;'</span>" in out
    assert '<code class="language-nosuchlang">a &lt; b\n</code>' in out
    css = highlight_css()
    assert ".highlight .k{" in css and "@media (prefers-color-scheme: dark)" in css  # minified


def test_math_is_kept_for_mathjax_and_money_is_not_math() -> None:
    out = render_markdown("Inline $a<b$, \\(x^2\\), costs $5 and $6.\n\n$$\n\\sum_i x_i\n$$\n\n"
                          "\\[ E = mc^2 \\]\n", options="mathjax").html
    assert '<span class="math inline">\\(a&lt;b\\)</span>' in out
    assert '<span class="math inline">\\(x^2\\)</span>' in out
    assert "costs $5 and $6." in out
    assert '<div class="math display">\\[\\sum_i x_i\\]</div>' in out
    assert '<div class="math display">\\[ E = mc^2 \\]</div>' in out


def test_raw_html_kept_and_liquid_raw_markers_dropped() -> None:
    out = html('<div align="center">hi</div>\n\n{% raw %}{{ user.name }}{%- endraw -%} ok\n')
    assert '<div align="center">hi</div>' in out
    assert "<p>{{ user.name }} ok</p>" in out


def test_relative_links_are_marked_for_the_site_stage_with_their_line() -> None:
    out = render_markdown("x\n\n[a](b.md) ![i](img/p.png) [c](/c/) [d](#d) [e](https://e.org)\n",
                          first_line=4).html
    assert '<a href="kith:6:b.md">a</a>' in out
    assert '<img src="kith:6:img/p.png" alt="i" loading="lazy" />' in out
    assert '<a href="/c/">c</a> <a href="#d">d</a> <a href="https://e.org">e</a>' in out


def test_summary_from_more_marker_or_first_paragraph() -> None:
    assert render_markdown("One.\n\nTwo.\n<!--more-->\nThree.\n").summary_html == \
        "<p>One.</p>\n<p>Two.</p>\n"
    assert render_markdown("# T\n\nFirst *para*.\n\nSecond.\n").summary_html == \
        "<p>First <em>para</em>.</p>"


def test_reading_time_counts_cjk_sensibly() -> None:
    assert count_words("Hello world, 你好世界 again") == 7
    assert render_markdown("word " * 460).reading_minutes == 2
    assert render_markdown("字" * 1200).reading_minutes == 3


def test_combining_marks_belong_to_their_word() -> None:
    """Devanagari's vowel signs and virama, Arabic's harakat are combining marks, not \\w:
    each one split its word, so a Hindi post counted about twice its words (wordCount,
    reading time) and a vowelled Arabic word one word per mark."""
    assert count_words("हिन्दी भाषा में लिखा गया") == 5  # was 12
    assert count_words("क्षत्रिय द्वितीय") == 2
    assert count_words("مَرْحَبًا بِكُمْ") == 2  # was 9
    assert count_words("مرحبا بكم") == 2
    assert count_words("می\u200cخواهم") == 1  # a zero-width non-joiner inside a Persian word
    # A mark after no letter is no word: an emoji's variation selector, a ZWJ sequence.
    assert count_words("\u2764\ufe0f love \U0001F468\u200d\U0001F469\u200d\U0001F467") == 1
    assert count_words("ｶﾀｶﾅ") == 4  # half-width kana count as kana do (was one word)
    hindi = "यह एक छोटा सा वाक्य है जो बार लिखा गया। " * 60  # 600 words
    assert render_markdown(hindi).words == render_markdown("word " * 600).words == 600
    assert render_markdown(hindi).reading_minutes == 3  # 900 words, 4 minutes before


WRAPPED = ("Lease-based reads make a Raft leader\nfast, and they quietly turn a system\n"
           "into one that trusts clocks.  \nHow to bound *that\ntrust*.\n\n- one\n  two\n")


@pytest.mark.parametrize("render", [render_markdown, render_fast, render_markdown_reference])
def test_the_words_of_wrapped_lines_stay_apart(render: Callable[[str], Rendered | None]) -> None:
    """A line break inside a paragraph (soft, or hard) separates words: the text glued
    "leader" and "fast" into one word, shortening reading times and descriptions."""
    rendered = render(WRAPPED)
    assert rendered is not None  # the fast path too
    assert rendered.text == ("Lease-based reads make a Raft leader\nfast, and they quietly turn"
                             " a system\ninto one that trusts clocks.\nHow to bound that\n"
                             "trust.\none\ntwo")
    assert rendered.words == 25  # 21 before: leader|fast, system|into, that|trust, one|two
    page = Page(source="posts/x.md", collection="posts", slug="x", lang="en", key="x",
                body=WRAPPED, title="x", text=rendered.text)
    assert page.description.startswith("Lease-based reads make a Raft leader fast, and they")


def test_attribute_lists_from_kramdown_sites() -> None:
    out = html("{.centered}\n![](a.jpg){.responsive}\n\n[x](https://x.org){#here .ext}\n")
    assert '<p class="centered"><img src="kith:2:a.jpg" alt="" class="responsive"' in out
    assert '<a href="https://x.org" id="here" class="ext">x</a>' in out


def test_an_empty_task_item_is_not_named_after_the_next_block() -> None:
    # The checkbox's accessible name came from the first inline after the item, even
    # a paragraph further down the page.
    out = html("- [ ] \n\nfollowing words\n\n- [x] done\n")
    assert ('<li class="task-list-item"><input aria-label="" class="task-list-item-checkbox"'
            ' disabled="" type="checkbox"> </li>') in out
    assert '<input aria-label="done" ' in out



# No containers (lists, quotes) and no backtick in a backtick fence's info string: the
# two places a line-at-a-time rule cannot follow CommonMark.
LINES = ["```", "````", "~~~", "~~~~", "``` python", "```` x", "   ```", "    ```", "text",
         "", "~~~ ~~~", "``` trailing", "  ~~~~~"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=12))
def test_fence_after_finds_the_fenced_lines_markdown_it_py_finds(lines: list[str]) -> None:
    """The fence rule the alt-text check and the importer share, against markdown-it-py."""
    body = "\n".join(lines) + "\n"
    expected: set[int] = set()
    for token in MarkdownIt("commonmark").parse(body):
        if token.type == "fence" and token.map:
            expected.update(range(*token.map))
    found, fence = set(), ""
    for number, line in enumerate(lines):
        fence, code = fence_after(line, fence)
        if code:
            found.add(number)
    assert found == expected


FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"  # one emoji, 7 code points


@pytest.mark.parametrize(("text", "kept"), [
    ("词" * 194 + FAMILY + "尾" * 20, "词" * 194),  # was 词… + 3 of the family's 4 people
    ("词" * 199 + "\U0001F1EF\U0001F1F5" + "尾", "词" * 199),  # a flag's two halves
    ("词" * 198 + "\U0001F1EF\U0001F1F5\U0001F1EB\U0001F1F7" + "尾",
     "词" * 198 + "\U0001F1EF\U0001F1F5"),  # two flags: the cut falls between them
    ("词" * 199 + "\U0001F44D\U0001F3FD" + "尾", "词" * 199),  # a skin tone
    ("词" * 199 + "\u2764\ufe0f" + "尾", "词" * 199),  # a variation selector
    ("क" * 198 + "क्षत्रिय", "क" * 198),  # no dangling virama
    ("词" * 300, "词" * 200),
])
def test_a_description_is_never_cut_inside_a_character(text: str, kept: str) -> None:
    """A description without a space to cut at was cut at 200 code points, wherever that
    fell: inside an emoji's ZWJ sequence or flag, between a letter and its marks."""
    page = Page(source="posts/x.md", collection="posts", slug="x", lang="zh", key="x",
                body=text, title="x", text=text)
    assert page.description == kept + "…"


def _shorten_whole(text: str, limit: int) -> str:
    """What ``model._shorten`` did before it squeezed only a prefix: the whole text."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:model._cluster_start(text, limit)]
    cut = head.rsplit(" ", 1)[0]
    cut = cut if len(cut) > limit // 2 else head
    return cut if cut.endswith(("…", "...")) else cut + "…"


_SHORTEN_ALPHABET = st.sampled_from(
    ["a", "词", " ", "  ", "\n", "\t", "\u00a0", "\u3000", "\u2028", "...", "…", FAMILY,
     "\U0001F1EF", "\U0001F3FD", "\u0301", "\u094d", "क", "\u200d"])


@given(st.lists(_SHORTEN_ALPHABET, max_size=400).map("".join),
       st.integers(min_value=1, max_value=250))
@example("a" * 200 + " " * 900 + "b", 200)  # a long run of space right at the cut
@example("a " * 10 + "\n" * 5000 + "tail", 25)
@settings(max_examples=400, deadline=None)
def test_a_description_squeezes_only_what_it_keeps(text: str, limit: int) -> None:
    """Descriptions squeeze the white space of a prefix, not of a whole post's text (a
    third of a millisecond a post): the result is the whole text's, for any text,
    white space of every kind and length, and clusters at the cut."""
    assert model._shorten(text, limit) == _shorten_whole(text, limit)
    assert model._shorten(text * 9, limit) == _shorten_whole(text * 9, limit)


@pytest.mark.parametrize("render", [render_markdown, render_fast, render_markdown_reference])
def test_a_br_tag_separates_words_as_a_line_break_does(
        render: Callable[[str], Rendered | None]) -> None:
    """Inline <br> (a table cell's line break, a poem's) added nothing to the plain text:
    "first line<br>second" read "linesecond" in descriptions, feeds and word counts."""
    rendered = render("first line<br>second line,\nthird<br/>fourth, fifth<BR class=\"x\">"
                      "sixth <bro>ken <span>span</span>after.\n\n| a | b |\n|---|---|\n"
                      "| one<br>two | x |\n\n## Line<br>break\n")
    assert rendered is not None  # the fast path too
    assert rendered.text == ("first line\nsecond line,\nthird\nfourth, fifth\nsixth ken "
                             "spanafter.\na\nb\none\ntwo\nx\nLine\nbreak ")
    assert rendered.words == 17  # 12 before
    assert rendered.toc[0].text == "Line\nbreak" and rendered.toc[0].id == "linebreak"


MORE_BODY = ("First paragraph words\nwrapped by hand.\n\nSecond paragraph.\n\n<!--more-->\n\n"
             "Rest of the post, which the writer kept out of the excerpt.\n")


@pytest.mark.parametrize("render", [render_markdown, render_fast, render_markdown_reference])
def test_a_description_stops_at_the_more_marker(render: Callable[[str], Rendered | None]) -> None:
    """The summary (feeds) stopped at <!--more-->, the description (meta, og:, JSON-LD,
    list entries, JSON Feed summary) ran on past it into the rest of the post."""
    rendered = render(MORE_BODY)
    assert rendered is not None
    assert rendered.summary_html == "<p>First paragraph words\nwrapped by hand.</p>\n" \
        "<p>Second paragraph.</p>\n"
    page = Page(source="posts/x.md", collection="posts", slug="x", lang="en", key="x",
                body=MORE_BODY, title="x", text=rendered.text)
    assert page.description == "First paragraph words wrapped by hand. Second paragraph."
    assert rendered.words == render_markdown(MORE_BODY.replace("<!--more-->", "")).words == 20
    # Without the marker, or with a NUL written in the source (the parser makes it
    # U+FFFD), the description is the text's start, as before.
    for body in (MORE_BODY.replace("<!--more-->", ""), MORE_BODY.replace("<!--more-->", "\0")):
        text = render_markdown(body).text
        assert Page(source="posts/x.md", collection="posts", slug="x", lang="en", key="x",
                    body=body, title="x", text=text).description.endswith("the excerpt.")


def test_a_cut_after_an_ellipsis_adds_none() -> None:
    """A description cut where the writer's paragraph ended in an ellipsis read
    "……" + "…" ("了………" in a fictional Chinese post), or "..." + "…"."""
    for text, description in (
            ("字" * 150 + "它来了……" + " " + "后" * 100, "字" * 150 + "它来了……"),
            ("word " * 30 + "It went on..." + " " + "x" * 100, "word " * 30 + "It went on..."),
            ("It stopped." + " " + "x" * 250, "It stopped." + " " + "x" * 188 + "…")):
        page = Page(source="posts/x.md", collection="posts", slug="x", lang="zh", key="x",
                    body=text, title="x", text=text)
        assert page.description == description
