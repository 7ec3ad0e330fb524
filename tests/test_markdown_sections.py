"""A long body rendered a section at a time gives the whole body's bytes.

markdown_sections cuts long bodies at blank lines to bound memory. Here sections
are made tiny (a few dozen characters), so that pages of a few lines are cut many
times, and every result is compared with markdown-it-py's render of the whole body:
hand-written cases for what spans sections (footnotes, link definitions, heading
ids, math and HTML blocks running past a blank line), random pages, and the
benchmark corpus as one long post.
"""

from __future__ import annotations

import os
import random
import re

import pytest
from kithpaths import bench_corpus
from markdown_fuzz import page, shrink

from generator import markdown_sections
from generator.markdown import render_markdown, render_markdown_reference
from generator.markdown_reference import render as whole
from generator.markdown_rules import MarkdownError, Parts
from generator.markdown_sections import render as in_sections

CASES = int(os.environ.get("KITH_FUZZ_CASES", "2500")) // 10


@pytest.fixture(autouse=True)
def tiny_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown_sections, "SECTION", 24)


def outcome(render: object, body: str) -> Parts | tuple[str, int, str]:
    try:
        return render(body, 5)  # type: ignore[operator]
    except MarkdownError as exc:
        return ("error", exc.line, exc.message)


CASES_ACROSS = {
    "footnote before its definition": "Lead[^a] and [^b].\n\nMiddle text.\n\nMore[^a].\n\n"
                                      "[^b]: Bee.\n\nEven more.\n\n[^a]: Ay, [a link](x.md).\n",
    "footnote defined twice": "X[^a].\n\n[^a]: first\n\nY[^a].\n\n[^a]: second\n\nZ.\n",
    "nested footnote definitions": "[^n]:[^n]:\n\ntext[^n]\n\n[^n]: [^m]: inner\n\nend\n",
    "inline footnotes": "One^[inline *note*] two.\n\nThree[^x].\n\n[^x]: ex [l](y.md)\n",
    "link definitions later": "[one] and [two][].\n\ntext\n\n[one]: /1 'One'\n\nmore\n\n"
                              "[two]: /2\n\n[one]: /ignored\n",
    "heading ids across sections": "# Title\n\ntext\n\n# Title\n\ntext\n\n{#title-2}\n# Other\n\n"
                                   "more\n\n# Title\n\n## Content\n",
    "headings in footnotes": "# Notes\n\nx[^1]\n\n[^1]: para\n\n    # Notes\n\nafter\n\n# Notes\n",
    "math block over blank lines": "$$\na\n\nb\n$$\n\ntext\n\n- $$ x\n\n  y\n$$\n\nend\n",
    "brackets math": "\\[\nx\n\ny\n\\]\n\ntext\n\n[^1]: \\[ a\n\n\\]\n\nt[^1]\n",
    "unclosed fence": "text\n\n```\ncode\n\nmore code\n\nstill\n",
    "html comment over blank lines": "<!--\n\nnot text\n\n-->\n\ntext\n\n- <!--\n\n  item\n-->\n",
    "attribute list before a blank line": "{.lead}\n\nParagraph.\n\n{#x}\n\n# Heading\n",
    "lists around cuts": "- a\n\n- b\n\n1. c\n\n2. d\n\ntext\n\n- e\n\n  f\n\ng\n",
    "task items": "- [ ] \n\nfollowing words\n\n- [x] done\n\n[^1]: x\n\n- [ ] {.c}\n",
    "no final newline": "> - <!--\n\ntext\n\n> - <!--\n>",
    "a formula's warning line without a token line": "text\n\n>2) \\[\\[\\]\n\nafter\n",
    "too deep, later": "intro\n\n" + "> " * 120 + "x\n\nafter\n",
    "too deep, unless a math block closes": "- - $$\n" + "".join(
        "    " + "  " * i + "- m\n" for i in range(48)) + "\n>$$\n",
}


@pytest.mark.parametrize("name", sorted(CASES_ACROSS))
def test_what_spans_sections_comes_out_as_in_the_whole(name: str) -> None:
    body = CASES_ACROSS[name]
    assert outcome(in_sections, body) == outcome(whole, body)


def test_random_pages_in_sections_equal_the_whole() -> None:
    rng = random.Random(20261207)
    for _ in range(CASES):
        body = "\n\n".join(page(rng) for _ in range(rng.randint(1, 6)))
        if outcome(in_sections, body) != outcome(whole, body):
            small = shrink(body, lambda b: outcome(in_sections, b) != outcome(whole, b))
            pytest.fail(f"sections differ on {small!r}")


def test_the_corpus_as_one_long_post(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = [post.body for post in bench_corpus().posts(60, seed=3)]
    body = "\n\n".join(bodies)  # footnotes [^1]... defined once per post: duplicates
    monkeypatch.setattr(markdown_sections, "SECTION", 2000)
    assert len(markdown_sections._sections(body, 1, "", {})) > 50
    assert in_sections(body, 9) == whole(body, 9)


def test_a_block_running_to_the_end_is_parsed_twice_not_once_per_section(
        monkeypatch: pytest.MonkeyPatch) -> None:
    body = "```\n" + "code\n\nline\n\n" * 2000
    parses: list[int] = []
    original = markdown_sections.reference.parse
    monkeypatch.setattr(markdown_sections.reference, "parse",
                        lambda md, text, *a: parses.append(len(text)) or original(md, text, *a))
    assert in_sections(body, 1) == whole(body, 1)
    assert sum(parses) < 5 * len(body)  # each extension twice as long: linear


def test_the_stage_takes_sections_for_long_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    body = "# A\n\nText[^1] and *more*.\n\n# A\n\n[^1]: note\n\n<!--more-->\n\nrest\n" * 30
    monkeypatch.setattr(markdown_sections, "LONG", 100)
    calls: list[int] = []
    original = markdown_sections._sections
    monkeypatch.setattr(markdown_sections, "_sections",
                        lambda *a: calls.append(1) or original(*a))  # type: ignore[func-returns-value]
    result = render_markdown(body, 4)
    assert calls  # body and summary
    monkeypatch.setattr(markdown_sections, "LONG", 1 << 20)
    assert result == render_markdown_reference(body, 4)
    assert re.findall(r'id="a(?:-\d+)?"', result.html)[-1] == 'id="a-59"'
