"""Differential fuzzing: the fast renderer answers only where it equals the reference.

Random pages from tests/markdown_fuzz.py go through both renderers; where the fast one
answers, its whole Rendered must be the reference's, and where the reference fails
(nesting beyond its limit) the fast one must decline. A few seconds run in
``make test``; ``KITH_FUZZ_CASES=200000 pytest tests/test_markdown_fuzz.py`` runs
longer (``KITH_FUZZ_SEED`` picks another stream). A failure names a minimal page;
every one found so far is kept in FOUND.
"""

from __future__ import annotations

import os
import random

import pytest
from markdown_fuzz import page, shrink

from generator.markdown import (
    MarkdownError,
    Rendered,
    render_fast,
    render_markdown,
    render_markdown_reference,
)

CASES = int(os.environ.get("KITH_FUZZ_CASES", "2500"))
SEED = int(os.environ.get("KITH_FUZZ_SEED", "20261206"))

# Minimal pages where markdown-it-pyrs 0.4 and markdown-it-py 4.3 (with Kith's plugins)
# were found to part ways, or where one of them crashed, by class. Each must now be
# declined or rendered identically, and render_markdown must answer.
FOUND = {
    "inline declaration (pyrs: text)": ["a<!E>", "]<!X>", "#<!E>", "_u_<!E>*a*"],
    "task box behind a quote marker": ["- >- [ ] ", "- >- [ ] *a*", "- > - [ ] a"],
    "tab after a quote marker": [">\t<?\n", ">\t<e>\n", ">\t<!---->\n", ">```\n>\t\n",
                                 ">\t$x$", "> > \t  x\n"],
    "raw HTML block over a blank line in a container": [
        "- <pre\n\n", "- <script\n\n", "* <!--\n\n-->", "-\t<!--\n\n-->",
        "0. ***\n   <pre\n\n", "- <!--\n\n  note\n-->"],
    "table in a quote": [">>|b\n>-|-", ">\\|\n>--"],
    "escaped pipe beside a pipe in a table row": ["||\n-|\n\\||p", "a|b\n-|-\nc\\||d",
                                                  "| a | b | c |\n|---|---|---|\n| x || y |\n"],
    "unmatched emphasis in image alt text": ["![__`c`_]()", "![_*__]()", "![_[[]]__]()",
                                             "![a ![b](c.png) d](e.png)\n", "![![x](y)](z)\n"],
    "inline offsets off after multi-byte text (link line)": [
        "b> é\n+ ***\n\t\n- **t***a*[](d)\n"],
    "inline offsets off after a tab (math missed)": ["- ]\n\n\t$x$"],
    "link definition before a tight item's text": [
        "- [f]:d\n  [](d)", ">- [r]:/\n>   [](g)", "1. [f]:d\n   **g**[](g)"],
    "markdown-it-py IndexError": ["> - <!--\n>", ">1. <!--\n>", ">1. <script\n>",
                                  ">- [ ] <!--\n>", ">- <script\n>", ">- <!--\n><!--more-->",
                                  ">1. <pre\n><!--more-->", "> | a | b |\n> |---|---|\n>"],
    "pyrs panic past the screens": ["`\n`[`", "``\n``[``"],
    "brackets at markdown-it-py's nesting limit": ["[" * 100 + "a]()"],
    "deep nesting": ["> " * 64 + "x", "- " * 32 + "x", "> - " * 22 + "x",
                     "*a " * 1100 + "b" + " c*" * 1100, "![" * 150 + "a" + "](b)" * 150],
}


def compare(text: str) -> str:
    """'same', 'declined' or 'error' (both agree), else what went wrong."""
    try:
        reference: Rendered | None = render_markdown_reference(text, 3)
    except MarkdownError:
        reference = None
    fast = render_fast(text, 3)
    if fast is None:
        return "declined" if reference is not None else "error"
    if reference is None:
        return "the fast path answered where the reference fails"
    for field in Rendered.__dataclass_fields__:
        if getattr(fast, field) != getattr(reference, field):
            return f"{field} differs"
    return "same"


@pytest.mark.parametrize("text", [t for texts in FOUND.values() for t in texts])
def test_found_differences_are_declined_or_identical(
        text: str, capfd: pytest.CaptureFixture[str]) -> None:
    assert compare(text) in ("same", "declined", "error")
    try:
        render_markdown(text, 3)
    except MarkdownError as exc:
        assert exc.message.startswith("block quotes and lists nested too deeply")
    assert capfd.readouterr().err == ""  # no panic message reached the terminal


def test_random_pages_are_declined_or_identical() -> None:
    rng = random.Random(SEED)
    outcomes: dict[str, int] = {}
    for _ in range(CASES):
        text = page(rng)
        outcome = compare(text)
        if outcome not in ("same", "declined", "error"):
            small = shrink(text, lambda t, o=outcome: compare(t) == o)
            pytest.fail(f"{outcome} on {small!r} (shrunk from {text!r})")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    # The comparison must actually happen, on a fair share of the pages.
    assert outcomes.get("same", 0) > CASES // 20, outcomes


def test_shrink_keeps_the_failure() -> None:
    assert shrink("one\ntwo *x* three\nfour", lambda t: "*x*" in t) == "*x*"
