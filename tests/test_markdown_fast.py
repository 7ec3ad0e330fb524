"""The markdown-it-pyrs fast path against the markdown-it-py reference, byte for byte.

markdown-it-py stays the reference renderer. ``render_fast`` may answer only when its
whole ``Rendered`` (html, toc, summary, text, words, reading time) is the reference's;
otherwise it returns None and the page takes the reference path. Every body below
is rendered both ways: the real posts of content/ and of shared/corpus/lzwjava-blog
(nine languages, when that folder is beside the repo), the synthetic benchmark corpus
of bench/corpus.py, and hand-written cases for each feature and edge the fast path
has to get right or has to refuse.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kithpaths import REPO, SHARED, bench_corpus

from generator import markdown_screens as screens
from generator.content import split_front_matter
from generator.markdown import (
    _CJK,
    Rendered,
    _counts,
    count_words,
    render_fast,
    render_markdown,
    render_markdown_reference,
)

LZW = SHARED / "corpus" / "lzwjava-blog"
# Measured: 289/300 benchmark posts take the fast path (the others use math). The
# floor leaves room for harmless new refusals.
BENCH_FAST_SHARE = 0.9
# count_words as first written; the faster version must count the same. Zero-width
# (non-)joiners join as ' does; the BMP's combining marks after a letter other than an
# ASCII one (and after such marks) are part of it.
_PLAIN_WORD = re.compile("[^\\W_]+(?:['’\u200c\u200d-][^\\W_]+)*")


def plain_count(text: str) -> int:
    rest, kept, letter = _CJK.sub(" ", text), [], False
    for c in rest:
        if letter and c <= "\uffff" and unicodedata.category(c).startswith("M"):
            continue
        kept.append(c)
        letter = not c.isascii() and _PLAIN_WORD.fullmatch(c) is not None
    return len(_CJK.findall(text)) + len(_PLAIN_WORD.findall("".join(kept)))


def bodies_in(folder: Path) -> list[tuple[str, str, int]]:
    """(name, body, body's first line) the way generator/content.py reads a page."""
    out = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_bytes().decode("utf-8-sig")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        meta, body, line, _ = split_front_matter(path.name, text)
        if meta is not None:
            out.append((path.relative_to(folder).as_posix(), body, line))
    return out


def same_or_refused(body: str, first_line: int = 1) -> bool:
    """True when the fast path answered (and then it must equal the reference)."""
    fast = render_fast(body, first_line)
    if fast is None:
        return False
    reference = render_markdown_reference(body, first_line)
    assert reference.words == plain_count(reference.text)
    for field in Rendered.__dataclass_fields__:
        assert getattr(fast, field) == getattr(reference, field), field
    return True


@pytest.fixture(scope="module")
def bench_bodies(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, int]]:
    out = tmp_path_factory.mktemp("bench")
    bench_corpus().write(out, 300, seed=1)
    return bodies_in(out)


def test_benchmark_corpus_is_identical_and_mostly_fast(
        bench_bodies: list[tuple[str, str, int]]) -> None:
    assert len(bench_bodies) == 300
    fast = sum(same_or_refused(body, line) for _, body, line in bench_bodies)
    assert fast >= BENCH_FAST_SHARE * len(bench_bodies), f"fast path for {fast}/300 only"


def test_example_site_is_identical() -> None:
    pages = bodies_in(REPO / "content")
    assert pages
    fast = sum(same_or_refused(body, line) for _, body, line in pages)
    assert fast >= len(pages) // 2


@pytest.mark.skipif(not LZW.is_dir(), reason="shared corpus not present")
def test_real_multilingual_posts_are_identical() -> None:
    posts = bodies_in(LZW)
    assert len(posts) > 50
    fast = sum(same_or_refused(body, line) for _, body, line in posts)
    assert fast >= len(posts) // 2


def test_public_entry_point_uses_either_path_with_the_same_result(
        monkeypatch: pytest.MonkeyPatch) -> None:
    body = "# T\n\nSome *text* with [a link](other.md).\n"
    assert render_fast(body, 3) is not None
    fast = render_markdown(body, 3)
    monkeypatch.setenv("KITH_MARKDOWN", "reference")
    assert render_markdown(body, 3) == fast == render_markdown_reference(body, 3)


def test_word_count_matches_the_plain_regex() -> None:
    # count_words takes an ASCII shortcut; it must count what the general rule counts.
    for text in ("it's a well-known don't--stop 3.14 x_y", "naïve café 東京 in 2024 —ok’s",
                 "", "a-b-c -d- 'e' ’f’ g'", "字" * 5 + "abc", "a_b __c__ -'- 9-9'x",
                 "ascii only, but long-ish: it's ok-ish -- isn't it?"):
        assert count_words(text) == plain_count(text), text


def test_word_count_matches_the_plain_regex_on_random_text() -> None:
    # The ASCII count works on character classes, not a regex; lines mixing scripts
    # are split between both counts.
    rng = random.Random(7)
    alphabet = "aZ9' -_\n.\t’é字\u3000\u00a0"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(16)))
        assert count_words(text) == plain_count(text), repr(text)


# One of each kind of character the count tells apart: ASCII letters and digits, "_",
# the joiners ' - ’, spaces, letters, digits and marks of other scripts (é, Devanagari
# with a vowel sign, full-width digits, a 4-byte letter), CJK (Han, kana, hangul, and
# the non-letters inside _CJK's ranges: ・ ー), other punctuation and symbols.
WORD_CHARS = ("aZ9_'-’ \n\t.,é\u00a0\u3000\u2003字カ・ーㄱ한\u0915\u093f\u0966１"
              "\U00010400\U0001f600\u0301«»—\ud800")


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=WORD_CHARS, max_size=40))
def test_word_count_matches_the_plain_regex_on_mixed_scripts(text: str) -> None:
    assert count_words(text) == plain_count(text)
    assert _counts(text)[1] == len(_CJK.findall(text))


def test_word_count_treats_every_character_as_the_plain_regex_does() -> None:
    # Every code point, in three places: between letters ("a?a": one word if it is a
    # letter or a joiner, two if a space, three if CJK), alone and doubled.
    for start in range(0, 0x110000, 4096):
        chars = [chr(c) for c in range(start, start + 4096)]
        for text in (" ".join(f"a{c}a" for c in chars), " ".join(chars),
                     " ".join(c + c for c in chars)):
            assert count_words(text) == plain_count(text), hex(start)


# -- hand-written cases ---------------------------------------------------------------
# name -> body. Those in MUST_REFUSE use features the fast path does not reproduce;
# all others must take the fast path (and so match the reference exactly).

CASES: dict[str, str] = {
    "empty": "",
    "blank": "\n\n  \n",
    "no-final-newline": "Just text",
    "para-no-newline": "One\n\nTwo *x*",
    "headings": "# Intro\n\n## Setup `kith`\n\n## Setup `kith`\n\n### 中文 标题\n\n"
                "## Content\n\n## लेखन\n\n#### *Emph* and **strong** &amp; &lt;tag&gt;\n",
    "heading-dupes": "# A\n\n# A\n\n# A-1\n\n# A\n\nA\n=\n\nA\n--\n",
    "heading-empty": "#\n\n# \n\n##  ##\n\ntext\n",
    "heading-link": "## See [the *docs*](docs/x.md) ![img](i.png) now\n",
    "heading-entities": "# Caf&eacute; &#42; &copy; \\* x_y\n",
    "heading-reserved": "# Content\n\n# content\n\n## Content Section\n",
    "setext": "Title\n=====\n\nSub *title*\n---\n\npara\n",
    "heading-closing-hashes": "# Title ##\n\n## Title #not\n\n### x \\#\n",
    "emphasis": "*a* _b_ **c** __d__ ***e*** *a **b** c* foo*bar* a_b_c\n",
    "emphasis-unmatched": "**x*y and *a **b and 2 * 3 and __init__ and _x\n",
    "emphasis-unicode": "**“引用”**后 *，*和 **Ölçü**, _¿qué?_ **(a)**b *—*\n",
    "code-spans": "`a` `` b`c `` ` d ` `<x>` `&amp;` ```e```\n",
    "code-span-lines": "`multi\nline` and `a\n  b`\n\n- `x\n  y`\n",
    "escapes": "\\* \\_ \\` \\# \\> \\\\ \\! \\a &amp; &AMP; &#35; &#x41; &bogus; &nbsp;x\n",
    "entities-odd": "&#0; &#xFFFFFF; &#128512; &ThisIsNotAnEntity; &lt;p&gt;\n",
    "hard-breaks": "line one  \nline two\\\nline three\nline four   \n",
    "soft-break-words": "join\nthese words\ntogether\n",
    "links": "[a](b.md) [t](c.md \"Title\") [u](<with space.md>) [v](../up/p.md#frag)\n"
             "[w](/abs/) [x](#top) [y](?q=1) [z](https://e.org/a_b?c=d&e=f) [e]()\n"
             "[ref][r1] [R1] [collapsed][] <https://auto.example/x> [mail](mailto:a@b.co)\n\n"
             "[r1]: ref/target.md 'Ref title'\n[collapsed]: https://e.org\n",
    "link-escaped-parens": "[d](\\(x\\).md)\n",
    "link-encoding": "[a](é.md) [b](a%20b.md) [c](a b) [d](x\\_y.md) [e](a&amp;b.md)\n"
                     "[f](<a\\>b>) [g](a\"b.md) [h](%zz.md)\n",
    "link-lines": "para one\n\n[first](a.md)\n\n> quote\n> [q](q.md)\n\n- item\n- [li](l.md)\n"
                  "\n  deeper [d](d.md)\n\n| h |\n|---|\n| [cell](c.md) |\n| x |\n"
                  "| [row3](r.md) |\n\n### [h](h.md)\n\nlazy\n[l2](l2.md)\n",
    "images": "![alt *em* `code`](img/a.png) ![](b.png \"T\") ![abs](/c.png) "
              "![remote](https://e.org/d.png) ![x ![inner](i.png) y](o.png)\n\n"
              "[![badge](badge.svg)](https://ci.example)\n",
    "image-alt-break": "![line\nbreak](a.png) ![<b>html</b>](b.png)\n",
    "lists-tight": "- a\n- b\n  - c\n  - d\n- e\n\n1. one\n2. two\n\n3) three\n4) four\n",
    "lists-loose": "- a\n\n- b\n\n  para\n\n- c\n\n7. seven\n\n   more\n8. eight\n",
    "lists-mixed-blocks": "- a\n  ```py\n  x = 1\n  ```\n  b\n- > quote\n- # head\n- ---\n"
                          "- end\n",
    "lists-empty-items": "-\n- \n  foo\n\npara\n-\n\n> q\n1.\n",
    "list-nesting": "1. a\n   - b\n     1. c\n\n        code\n\n   - d\n2. e\n\n"
                    "* x\n+ y\n- z\n",
    "list-start": "0. zero\n\n003. three\n\n10. ten\n11. eleven\n",
    "list-html": "- a\n  <div>b</div>\n- c\n",
    "list-table": "- item\n\n  | a |\n  |---|\n  | b |\n",
    "blockquotes": "> a\n> b\n>\n> c\n\n>\n\n> - x\n> - y\n\n> > nested\n\n>     code\n",
    "fences": "```python\ndef f():\n    return '<x>'\n```\n\n```\nplain <b>\n```\n\n"
              "~~~ js extra words\nlet a = 1 && 2;\n~~~\n\n```nosuchlang\na < b\n```\n\n"
              "````md\n```\nnested\n```\n````\n\n```PYTHON\nX = 1\n```\n",
    "fence-edge": "```\n```\n\n```python\n\n\n```\n\n  ```\n  indented\n    more\n  ```\n\n"
                  "```unclosed\nstill code\n",
    "fence-at-end": "text\n\n```\ncode",
    "indented-code": "    code <b>\n      more\n\n\tTabbed\n\npara\n\n    last",
    "tabs": "-\ta\n-\tb\n\n\t\tcode\n\n>\ttab quote\n\n#\tHeading\ttab\n",
    "html-blocks": "<div align=\"center\">\n<img src=\"x.png\">\n</div>\n\n<!-- comment -->\n\n"
                   "<table><tr><td>x</td></tr></table>\n\n<details>\n<summary>S</summary>\n\n"
                   "*md inside*\n\n</details>\n\n<script>\nlet x = '<p>';\n</script>\n",
    "html-at-end": "para\n\n<div>end</div>",
    "html-inline": "a <span class=\"x\">b</span> c <br/> <b>bold</b> <!-- c --> <?php x ?> "
                   "<![CDATA[ y ]]> <!DOCTYPE z> </closing> <a href=\"rel.md\">raw</a>\n",
    "hr": "***\n---\n___\n\npara\n\n_____\n",
    "hr-spaced": "para\n\n- - -\n\n* * *\n",
    "tables": "| a | *b* | `c` |\n|:--|:-:|--:|\n| 1 | **2** | `x|y` |\n"
              "| [l](l.md) | ![i](i.png) |\n"
              "| \\| esc | &amp; | extra | cells |\n\n|x|\n|-|\n\nno | table\n--|--\nhere | too\n",
    "table-only-head": "| a | b |\n| --- | --- |\n",
    "table-after-para": "para\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "table-empty-cells": "| | a |\n|-|-|\n| | |\n",
    "footnotes": "Fact[^1]. Another[^note] and again[^1].\n\n[^1]: Source *one*.\n"
                 "[^note]: Second\n    continued\n\n    new paragraph [link](n.md).\n\n"
                 "[^unused]: never referenced\n",
    "footnote-order": "B[^b] then A[^a].\n\n[^a]: a.\n[^b]: b.\n",
    "footnote-in-heading": "# Title[^1]\n\nText.\n\n[^1]: Note.\n",
    "footnote-undefined": "Missing[^nope] and [^] and [^ x].\n",
    "footnote-in-list": "- item[^x]\n- other\n\n[^x]: in list.\n",
    "more": "One.\n\nTwo.\n<!--more-->\nThree.\n",
    "more-inline": "Intro with <!--more--> inline\n\nRest.\n",
    "more-footnote": "Lead[^1].\n\n<!--more-->\n\nBody.\n\n[^1]: note\n",
    "more-code": "```\n<!--more-->\n```\n\nafter\n",
    "raw-markers": "{% raw %}{{ user.name }}{%- endraw -%} ok\n\n{% raw %}\n```\n{{ x }}\n```\n"
                   "{% endraw %}\n",
    "unicode": "Ünïcödé — “quotes” ‘single’ … 你好，世界！ こんにちは 안녕하세요 مرحبا שלום "
               "नमस्ते 😀 \u00a0nbsp\u2009thin\n\n## 日本語の見出し\n\n## Ελληνικά\n",
    "cjk-reading": "字" * 1200 + "\n",
    "long-words": "word " * 460 + "\n",
    "reference-defs-only": "[a]: /x\n[b]: y.md \"t\"\n",
    "link-ref-case": "[Foo] [FOO] [foo] [ÄÖ] [äö]\n\n[foo]: /url\n[äö]: /u\n",
    "definitions-in-blocks": "- [a]: /x\n- b\n\n> [c]: /y\n\n> [d]: /z\n> text [a] [c] [d]\n",
    "alert-lookalike": "[![badge](b.svg)](https://ci.example) and [!not] an alert\n",
    "angle-brackets": "a < b > c <notatag <x@y> << >>\n",
    "backslash-end": "ends with backslash\\\n",
    "numbers": "1\\. not a list\n\n2) item\n\n1986\\. a year\n",
    "smart-chars": "\"quotes\" 'single' -- --- ... (c) (tm) +-\n",
    "nested-emphasis-links": "**[bold link](b.md)** *[em](e.md) `code`* [**x** _y_](z.md)\n",
    "link-in-link": "[a [b](c.md) d](e.md) [[x]](y.md)\n",
    "long-doc": "\n\n".join(f"## Section {i}\n\nParagraph {i} with [link](p{i}.md) and `code`."
                        for i in range(40)) + "\n",
    "link-lines-unicode": "中文段落，很长。\n\n## 标题 [h](h.md)\n\nÜber [a](a.md)\n"
                          "第二行 [b](b.md)\n\n"
                          "- 項目 [c](c.md)\n- 😀 ![d](d.png)\n",
    "tight-then-blocks": "- a\n  # h\n- b\n  > q\n- c\n  ***\n- d\n",
    "tight-then-table": "- d\n  | t |\n  |---|\n  | u |\n\n> q\n| a |\n|---|\n",
    "blank-code-spans": "`` `` and ``   `` and ` `\n",
    "setext-multiline": "first line\nsecond [s](s.md)\n===\n\nx\n",
    "table-header-link": "| [h](h.md) | b |\n|---|---|\n| 1 | [c](c.md) |\n",
    "link-titles": "[a](b.md \"x &amp; \\\"y\\\"\") [c](d.md 'single') [e](f.md (paren))"
                   " [](g.md)\n",
    "footnote-in-link": "[see[^1]](x.md) here.\n\n[^1]: note.\n",
    "footnote-multi-para-refs": "a[^n] b[^n] c[^n]\n\n[^n]: one\n\n    two\n\n    three\n",
    "more-in-list": "- one\n- <!--more-->\n- two\n\nafter\n",
    "leading-space": "   indented para\n\n  # heading\n",
    "big-start": "123456789. big\n",
    # Features the fast path must refuse:
    "math-dollar": "Inline $a<b$ text.\n",
    "math-block": "$$\nx^2\n$$\n",
    "math-money": "costs $5 and $6.\n",
    "math-brackets": "\\(x^2\\) and \\[ E = mc^2 \\]\n",
    "math-in-alt": "![$x$ alt](a.png) and $y\n",
    "attrs-inline": "*a*{.cls} `b`{#id} [c](d.md){.x}\n",
    "attrs-block": "{.lead}\nParagraph.\n",
    "attrs-heading": "## Heading\n{: .class }\n",
    "autolink-www": "visit www.example.com today\n",
    "autolink-http": "see https://example.com/x.\n",
    "autolink-email": "write to me@example.com\n",
    "autolink-in-link-text": "[http://a.b](c.md)\n",
    "single-tilde": "~struck~ out\n",
    "double-tilde": "~~struck~~ out\n",
    "tasks": "- [x] done\n- [ ] todo\n",
    "tasks-nested": "> 1. [X] shout\n",
    "alert": "> [!NOTE]\n> Useful.\n",
    "crlf": "a\r\nb\r\n\r\n# H\r\n",
    "nul": "a\x00b\n",
    "footnote-nested-ref": "A[^1].\n\n[^1]: see[^2]\n[^2]: two\n",
    "footnote-duplicate-def": "A[^1].\n\n[^1]: first\n[^1]: second\n",
    "footnote-inline": "Text^[inline note].\n",
    "footnote-block-content": "A[^1].\n\n[^1]: para\n\n    ```\n    code\n    ```\n",
    "javascript-link": "[x](javascript:alert(1)) [y](JAVASCRIPT:x)\n",
    "data-image": "![d](data:image/png;base64,AAAA)\n",
    "idn-host": "[a](http://bücher.example/x)\n",
    "mailto-unicode": "[m](mailto:用户@例子.测试)\n",
    "fence-attrs": "```python {.numberLines}\nx\n```\n",
    "fence-entity": "```py&#x20;thon\nx\n```\n",
    "footnote-in-alt": "![alt[^1]](a.png)\n\n[^1]: n\n",
    "footnote-label-case": "x[^A]\n\n[^a]: lower\n",
    "footnote-in-quote": "x[^q]\n\n> [^q]: quoted\n",
}

MUST_REFUSE = {
    "tasks", "tasks-nested",
    "alert", "crlf", "nul", "footnote-nested-ref", "footnote-duplicate-def",
    "footnote-inline", "footnote-block-content", "fence-attrs", "fence-entity",
    "fence-at-end", "html-at-end",
}
# The tree walk declines these runs; markdown-it-py's inline parser takes them
# (markdown_fast.parse_run), so the fast path must answer.
INLINE_PARSER = {
    "math-dollar", "math-money", "math-brackets", "math-in-alt", "attrs-inline",
    "attrs-block", "attrs-heading", "autolink-www", "autolink-http", "autolink-email",
    "autolink-in-link-text", "single-tilde", "double-tilde", "javascript-link",
    "data-image", "idn-host", "mailto-unicode",
}
assert not INLINE_PARSER & MUST_REFUSE
# Left to whichever path the checks choose; only equality is asserted.
EITHER = {"link-encoding", "entities-odd", "emphasis-unicode", "angle-brackets",
          "footnote-undefined", "tabs", "fence-edge", "indented-code", "smart-chars",
          "unicode", "link-escaped-parens", "raw-markers", "footnote-in-alt",
          "footnote-label-case", "footnote-in-quote", "footnote-in-link", "code-span-lines",
          "definitions-in-blocks", "emphasis-unmatched", "hr-spaced", "lists-empty-items",
          "tight-then-table", "blank-code-spans"}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("first_line", [1, 7])
def test_case(name: str, first_line: int) -> None:
    took_fast = same_or_refused(CASES[name], first_line)
    if name in MUST_REFUSE:
        assert not took_fast, "the fast path must refuse this"
    elif name not in EITHER:
        assert took_fast, "the fast path should take this"


@pytest.mark.parametrize("name", sorted(INLINE_PARSER))
@pytest.mark.parametrize("prefix", ["- ", "1. ", "> ", "> > ", "- - ", "# ", "| a |\n|-|\n| "])
def test_case_in_a_container(name: str, prefix: str) -> None:
    # Runs in lists and quotes (each line under the prefix) go to the inline parser
    # too; a heading's or cell's prefix joins the case's first line.
    body = "\n".join(prefix + line for line in CASES[name].rstrip("\n").split("\n")) + "\n"
    took_fast = same_or_refused(body, 5)
    # (Refused: attributes before a paragraph in a list, a task box "- [x]".)
    if prefix in ("- ", "> ") and name != "attrs-block" and not body.startswith("- [x]"):
        assert took_fast, body


# Minimal bodies on which markdown-it-pyrs 0.4 parses differently from markdown-it-py
# (or panics), found by comparing both on random fragments. Each must be refused or
# come out identical.
PYRS_DIFFERS = [
    "[`x", "a [` b", "[a `x] y", "[a` b` c`", "`x`[`\n1. `", "[`.`x`\\`x`", "[^2]:[`",
    "a\n[^x]:", "1. [^2]:[^1]:[^1]", "[^2]: [^1]:   [^2]", "[^1]:    `x`[^1]",
    "[^\n[^1]:*a*`x`", "[^2]\n\n [^2]:'", "[^1]: ( [^1]\n", "e\n\u3000\n[^n]:**g**",
    ">d\n-", "-\n-|", ">a\n2. b", ">.\n2. >*)*_u_", ">.\na||\n-|-", ">，\n.\na||\n-|-",
    "a||\n-|-\n*", ">||\n-|-", "*)*|\n--", "*\\_b_*_b_", "_a_€b", "a😀_b_", "**a**\xa0",
    "\u3000a", "# a\xa0", "- \xa0a", "| a\xa0|\n|-|\n|\xa0b |", "\xa0\n\nx",
    "[^1]: — \xa0\n\nx[^1]", "<!y", "`<!----e-->", "`\n  `", "``   ``", "[x]:\\",
    "[2]:\\\n`x`(", "[$]($)", "[](&nbsp;)", "[t](<+https://@\\&quot;%(../:>)",
    "[t](<http://mailto::>)", "[a](http://x.com:80:90/)", "a\n-|\n", "€\n-|\n```\n",
    "[2]: /u\n\"\")", "[2]:中\n\"\")", "a\n-:\nb\n", "a\n:--:\n",
    "para\n<search>\nx *y*\n\nz\n", "<source a=1>*x*</source>\n", ">[x]:*a*\\",
    "***\n[^n]\n\n[^n]:**g***m*\n[^1]:`e`[^n]",
]


@pytest.mark.parametrize("body", PYRS_DIFFERS)
def test_known_pyrs_differences_are_refused_or_identical(body: str) -> None:
    same_or_refused(body, 3)


def _random_page(rng: random.Random) -> str:
    """Lines of Markdown-ish constructs, to meet interactions nobody thought of."""
    words = ["alpha", "中文", "*em*", "**strong**", "_u_", "`code`", "[link](a.md)",
             "[abs](https://e.org)", "![img](i.png)", "&amp;", "&copy;", "\\*", "<span>x</span>",
             "[^1]", "snake_case", "it's", "“q”", "(paren)", "[ref]", "end.", "*[l](b.md)*",
             "<!--more-->", "é", "😀", "\u3000", "\xa0", "1.", "#", "|", "\\", ">", "<", "~",
             "$", "{", "@", "[`x`](y.md)", "`"]
    shapes = ["", "", "# {t}", "## {t}", "{t}", "{t}", "- {t}", "  - {t}", "1. {t}", "2. {t}",
              "> {t}", "> - {t}", "```python", "```", "    code {t}", "| {t} | {t} |",
              "|---|:-:|", "***", "---", "===", "[^1]: {t}", "[ref]: /r.md", "<div>", "</div>",
              "\t{t}", "{t}  ", "{t}\\"]
    lines = []
    for _ in range(rng.randint(1, 20)):
        line = rng.choice(shapes)
        while "{t}" in line:
            line = line.replace("{t}", " ".join(rng.choice(words)
                                                for _ in range(rng.randint(1, 5))), 1)
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_random_pages_are_refused_or_identical() -> None:
    rng = random.Random(20261126)
    fast = sum(same_or_refused(_random_page(rng), 4) for _ in range(600))
    assert fast > 30  # the comparison must actually happen


def test_all_cases_in_one_page() -> None:
    # Interactions: heading slugs across the page, footnote numbering, link lines.
    # Footnotes stay out: references after a definition are refused, by design.
    safe = [CASES[n] for n in sorted(CASES) if n not in MUST_REFUSE | EITHER
            and "[^" not in CASES[n]]
    assert same_or_refused("\n\n".join(safe), 12)


def test_refusals_are_taken_by_the_reference() -> None:
    body = "Costs $5 and $6, see www.example.com[^1].\n\n[^1]: Note.\n"
    assert render_fast(body) is None
    assert render_markdown(body) == render_markdown_reference(body)


# -- math and strikethrough ---------------------------------------------------------------
# Lines of paragraphs, headings, items, quotes and table cells, and fenced code, with
# the signs of math and strikethrough among ordinary words: the walk declines those
# runs, and markdown-it-py's inline parser takes them (or the page is declined).
_SIGN_WORDS = st.sampled_from(["a", "b c", "$", "$x$", "$$", "~", "~~s~~", "`$`", "`~`",
                               "*e*", "[l](a.md)", "5", "\\$", "é", "\\(y\\)", "\\[z\\]",
                               "\\\\(w\\\\)", "$a\nb$", "www.e.org", "a@b.co"])
_SIGN_LINE = st.builds(lambda prefix, words: prefix + " ".join(words),
                       st.sampled_from(["", "", "- ", "> ", "1. ", "# ", "| ", "  ", "> - ",
                                        "- > ", "    "]),
                       st.lists(_SIGN_WORDS, min_size=1, max_size=6))
_SIGN_BLOCK = st.one_of(
    _SIGN_LINE, _SIGN_LINE.map(lambda line: f"```\n{line}\n```"),
    _SIGN_LINE.map(lambda line: f"~~~sh\n{line}\n~~~"), st.just(""), st.just("|-|"))


@settings(max_examples=1500, deadline=None)
@given(st.lists(_SIGN_BLOCK, min_size=1, max_size=8),
       st.sampled_from(["", "mathjax", "typographer"]))
def test_math_and_strikethrough_are_identical_or_refused(blocks: list[str],
                                                          options: str) -> None:
    body = "\n".join(blocks) + "\n"
    fast = render_fast(body, 2, options)
    if fast is not None:
        assert fast == render_markdown_reference(body, 2, options), body


def test_formula_blocks_are_planned_or_refused() -> None:
    # A $$ or \\[ line may open a formula block (over blank lines too): one at the top
    # level takes the fast path (markdown_formula_blocks), one in a container the
    # reference; the screens refuse either unless the fast path planned around them.
    for body in ("$$\nx\n$$\n", "a\n\n$$x$$\n", "\\[\nx\n\n\\]\n", "$$\n\n# x\n\n$$\n"):
        assert screens.unsupported(body, False), body
        assert render_fast(body) is not None, body
        assert same_or_refused(body), body
    for body in ("- $$\n  x\n  $$\n", "> \\[x\\]\n", "- a\n\n  $$\n  x\n  $$\n"):
        assert screens.unsupported(body, False), body
        assert render_fast(body) is None, body
    for body in ("Cost $O(n)$ here.\n", "- a ~~b~~ c\n", "\\\\[x\\\\]\n", "a $$x$$ b\n"):
        assert not screens.unsupported(body, False), body
        assert same_or_refused(body), body


def _plain_suspect_paragraph(prose: str) -> bool:
    """The quick look of the unclosed-code screen as first written: page split into
    paragraphs."""
    for chunk in prose.split("\n\n"):
        start = chunk.find("[")
        if start < 0 or chunk.find("`", start) < 0:
            continue
        if screens._unclosed_after_bracket(chunk[chunk.rfind("\n", 0, start) + 1:]) or any(
                screens._unclosed_after_bracket(line) for line in chunk.split("\n")):
            return True
    return False


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="[]`\\\n a", max_size=40))
def test_the_unclosed_code_look_equals_the_paragraph_split(prose: str) -> None:
    assert screens._suspect_paragraph(prose) == _plain_suspect_paragraph(prose)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("a \n\x1b\x1c\x1d\x1e\x1f\x20\x84\x85\x86\u2028中"),
               max_size=40))
def test_the_python_only_space_look_equals_its_character_class(text: str) -> None:
    assert screens.python_only_space(text) == (re.search("[\x1c-\x1f\x85]", text) is not None)
