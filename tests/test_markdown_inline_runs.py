"""Inline runs the tree walk declines, taken by markdown-it-py's inline parser.

markdown_fast renders markdown-it-pyrs's tree; a paragraph's, list item's, quote's or
heading's inline run that it cannot render itself (GFM autolinks, math, strikethrough,
attribute lists, the typographer...) goes to the reference's inline parser, given the
source markdown-it-py's block rules would give it (``_Renderer.run_lines``). These
differential tests generate pages full of such runs, under container prefixes, and
check that wherever the fast path answers, every byte is the reference's, and that
the source it hands the inline parser is markdown-it-py's own inline token's.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import markdown_fast, markdown_reference, markdown_runs
from generator.markdown import render_fast, render_markdown_reference

ATOMS = (
    "alpha", "b", "中文", "é", "it's", "“q”", "--", "...", "(c)", "+-", "x",
    "http://e.org/x", "https://a.b/c?d=1&e=2", "www.x.org", "www.x.org/p_(q)", "a@b.co",
    "mailto:a@b.co", "xmpp:a@b.c/r", "<http://x.y>", "<a@b.co>", "[www.x.org](y.md)",
    "$x$", "$a<b$", "$$y$$", "$5 and $6", "$a\\$b$", "$", "\\(z\\)", "\\\\(w\\\\)",
    "\\\\[v\\\\]", "~s~", "~~t~~", "~", "*em*", "**st**", "_u_", "*", "_", "`code`",
    "`$a$`", "`` a`b ``", "`", "[l](a.md)", '[l](https://e.org "T")', "![i](i.png){.c}",
    "![$x$](i.png)", "*a*{.c}", "[ref]", "[ref][]", "[Ref]", "[nope]", "\\*", "\\$", "\\[",
    "\\|", "&amp;", "&#36;", "&copy;", "<span>", "</span>", "<!E>", "{.cls}", "\xa0", "\u3000",
    "\x1c", "\x85", "\t", "  ", "|", "#", "[^1]", "\\", "a\\\nb",
)
PREFIXES = ("", "", "", "- ", "* ", "1. ", "10) ", "> ", "> > ", ">", "- - ", "  ", "   ",
            "> - ", "- > ", "-  ", "1.    ")


@st.composite
def _line(draw: Any) -> str:
    words = draw(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=6))
    return draw(st.sampled_from((" ", " ", "", "  "))).join(words)


@st.composite
def _block(draw: Any) -> list[str]:
    """One block's lines, before its prefix."""
    kind = draw(st.sampled_from(("p", "p", "p", "h", "setext", "table", "def", "attrs",
                                 "fence", "formula", "blank")))
    if kind == "p":
        return draw(st.lists(_line(), min_size=1, max_size=3))
    if kind == "h":
        return ["#" * draw(st.integers(1, 7)) + draw(st.sampled_from((" ", "  ", "")))
                + draw(_line()) + draw(st.sampled_from(("", " #", " ##  ", "#", " \\#")))]
    if kind == "setext":
        return [*draw(st.lists(_line(), min_size=1, max_size=2)),
                draw(st.sampled_from(("===", "---", " ==")))]
    if kind == "table":
        return [f"| {draw(_line())} | b |", "|---|:-:|", f"| {draw(_line())} | {draw(_line())} |"]
    if kind == "def":
        return [draw(st.sampled_from(("[ref]: /r.md", "[REF]: <a b> 'T'", "[ref]: /other",
                                      "[x]: http://e.org/x \"t\"", "[ref]:\n/split")))]
    if kind == "attrs":
        return [draw(st.sampled_from(("{.centered}", "{#i .c k=v}", "{% x %}", "{.a"))),
                *draw(st.lists(_line(), min_size=0, max_size=2))]
    if kind == "fence":
        return ["```", draw(_line()), "```"]
    if kind == "formula":
        return draw(st.sampled_from((["$$", "x", "$$"], ["$$x$$"], ["\\[x\\]"],
                                     ["\\[", "", "x\\]"])))
    return [""]


@st.composite
def pages(draw: Any) -> str:
    out: list[str] = []
    for lines in draw(st.lists(_block(), min_size=1, max_size=5)):
        prefix = draw(st.sampled_from(PREFIXES))
        for i, line in enumerate("\n".join(lines).split("\n")):
            if i:  # continuation lines: the prefix, its width in spaces, none (lazy)...
                prefix = draw(st.sampled_from((prefix, " " * len(prefix), "", "> ",
                                               " " * (len(prefix) + 1))))
            out.append(prefix + line)
        if draw(st.booleans()):
            out.append("")
    return "\n".join(out) + draw(st.sampled_from(("\n", "")))


# KITH_INLINE_CASES=50000 pytest tests/test_markdown_inline_runs.py runs longer.
CASES = int(os.environ.get("KITH_INLINE_CASES", "1500"))
OPTIONS = st.sampled_from(("", "", "typographer", "mathjax", "typographer mathjax"))


@settings(max_examples=CASES, deadline=None)
@given(pages(), OPTIONS, st.sampled_from((1, 7)))
@example("<span> \x1c\n", "", 1)  # \x1c: white space to Python's \s (an HTML block), not pyrs's
def test_runs_are_identical_or_refused(body: str, options: str, first_line: int) -> None:
    fast = render_fast(body, first_line, options)
    if fast is not None:
        assert fast == render_markdown_reference(body, first_line, options), body


@settings(max_examples=CASES, deadline=None)
@given(pages(), OPTIONS)
def test_runs_get_markdown_it_py_s_inline_source(body: str, options: str) -> None:
    # What parse_run gives the inline parser is, line for line, what markdown-it-py's
    # block parse puts in its inline tokens (equal output could hide a difference).
    seen: list[tuple[int, str]] = []
    real = markdown_runs.reference_run

    def spy(content: str, line: int, *args: Any) -> Any:
        seen.append((line, content))
        return real(content, line, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown_runs, "reference_run", spy)
        fast = markdown_fast.render(body, 1, options)
    if fast is None or not seen:
        return
    md = markdown_reference.parser(options)
    tokens = md.parse(body, {"first_line": 1})
    inline = {(t.map[0], t.content) for t in tokens if t.type == "inline" and t.map}
    for run in seen:
        assert run in inline, (body, run, sorted(inline))


# Pages the tree walk declines, which the inline parser must take (and get right).
TAKEN = {
    "autolinks": "See www.example.com, https://e.org/x and me@example.com.\n",
    "math": "Let $x^2$ and \\(y\\) and \\\\[z\\\\] be; it costs $5 and $6.\n",
    "strikethrough": "~~gone~~ and ~one~\n",
    "item": "- www.a.org\n  and $x$\n- b\n  - nested http://e.org\n\n    more $y$\n",
    "ordered": "10. a@b.co\n    wrapped $t$ text\n",
    "quote": "> a www.x.org\n> b $x$\n>\n> > nested ~~s~~\n",
    "heading": "# Price $x$ www.e.org\n\n## Price\n\nSetext $y$\n---\n",
    "table": "| a | b |\n|---|---|\n| $5 | $6 |\n",
    "attributes": "{.centered}\n![](a.jpg){.responsive}  \n<em>caption</em>\n",
    "references": "[ref] at www.x.org\n\n[ref]: /r.md 'T'\n",
    "typographer": "“Quotes” -- and... (c) it's\n\n- 'item'\n\n> \"quote\"\n\n# It's\n",
    "lines": "a\n\n[l](a.md) www.b.org\n[m](c.md)\n\n- x\n  [n](d.md) $x$\n",
    "formula blocks": "a $x$\n\n$$\nx\n\n$$\n\na www.x.org\n\n\\[\nx\n\\]\n",
}


@pytest.mark.parametrize("name", sorted(TAKEN))
@pytest.mark.parametrize("options", ["", "typographer", "mathjax"])
def test_the_inline_parser_takes_these(name: str, options: str) -> None:
    body = TAKEN[name]
    fast = render_fast(body, 4, options)
    assert fast is not None, body
    assert fast == render_markdown_reference(body, 4, options)


# Pages that must stay with the reference: their block structure differs, or a run
# needs what parse_run does not reproduce.
REFUSED = {
    "formula block in a list": "- a $x$\n\n  $$\n  x\n\n  $$\n",
    "bracket block in a quote": "> a www.x.org\n>\n> \\[\n> x\n> \\]\n",
    "footnote": "a www.x.org[^1]\n\n[^1]: note\n",
    "quote in a list": "- > www.x.org\n",
    "list in a quote": "> - www.x.org\n",
    "attributes in a list": "- {.c}\n  www.x.org\n",
    "attributes before a list": "{.c}\n2. www.x.org\n",
    "attributes before code": "{.c}\n    www.x.org\n",
    "definition with an escape": "[ref] www.x.org\n\n[ref]: /a\\_b\n",
    # markdown-it-py's cell is "$x | y$" (a formula): the pipes split no cell here
    # markdown-it-py's quote takes "> b" after four spaces on a later line, pyrs not
    "quote marker after four spaces": "> > > $x$\n    > b\n",
    "formula over an escaped pipe": "| a | b |\n|---|---|\n| $x \\| y$ | z |\n",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_these_stay_with_the_reference(name: str) -> None:
    assert render_fast(REFUSED[name]) is None


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="# \t\\ax\xa0\x1c", max_size=12))
def test_atx_content_is_markdown_it_py_s(line: str) -> None:
    tokens = markdown_reference.parser().parse(line)
    heading = tokens[0].type == "heading_open" if tokens else False
    content = markdown_runs.atx_content(line)
    if heading and "\n" not in line:
        assert content == tokens[1].content, line
