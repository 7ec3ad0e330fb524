"""Time guards for the reference's math rules: an opening without its closing is cheap.

mdit-py-plugins' rules for ``$$`` blocks and for texmath's ``\\[ \\]`` and ``\\( \\)``
look for the closing from every opening, through the rest of the text when there is
none: 8,000 lines starting with ``$$`` took 16 s, 20,000 ``\\(`` in one paragraph
10 s, and a long page of them hours. Each guard answers False without looking,
exactly where the wrapped rule would answer False after looking: when no closing
can follow within the block (or the paragraph). The rules themselves are untouched.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt

BlockRule = Callable[[Any, int, int, bool], bool]
InlineRule = Callable[[Any, bool], bool]

# dollarmath's closing line: its text ends with $$, or with $$ and an equation label
# (its DOLLAR_EQNO_REV, read forwards). Both look at a line's end only, so the raw
# line answers as the line inside its container does (a container's prefix is ">",
# spaces and list markers: never a $).
_DOLLAR_EQNO = re.compile(r"\${2}\s*\(([^)$\r\n]+?)\)\s*$")


def guard_math(md: MarkdownIt) -> None:
    """Wrap the math rules of dollarmath and texmath that ``md`` uses (call right after
    their plugins, before anything wraps them)."""
    for rule in md.block.ruler.__rules__:
        module = rule.fn.__module__
        if module == "mdit_py_plugins.dollarmath.index" and rule.name == "math_block":
            rule.fn = _dollar_block(rule.fn)
        elif module == "mdit_py_plugins.texmath.index":
            rule.fn = _bracket_block(rule.fn)
    for rule in md.inline.ruler.__rules__:
        if rule.fn.__module__ == "mdit_py_plugins.texmath.index":
            rule.fn = _bracket_inline(rule.fn)
    md.block.ruler.__cache__ = None
    md.inline.ruler.__cache__ = None


@lru_cache(maxsize=8)
def _dollar_closers(src: str) -> list[int]:
    """Indexes of the lines that can close a $$ block."""
    return [i for i, line in enumerate(src.split("\n"))
            if "$$" in line and (line.strip().endswith("$$") or _DOLLAR_EQNO.search(line))]


def _dollar_block(rule: BlockRule) -> BlockRule:
    def guarded(state: Any, start: int, end: int, silent: bool) -> bool:
        closers = _dollar_closers(state.src)
        i = bisect.bisect_left(closers, start)
        if i < len(closers) and closers[i] == start:
            return rule(state, start, end, silent)  # may open and close on its line
        if i == len(closers) or closers[i] >= end:
            return False  # it would look at every line to the block's end, and fail
        return rule(state, start, end, silent)

    return guarded


@lru_cache(maxsize=8)
def _bracket_ends(src: str) -> list[int]:
    """Where each \\] starts."""
    return [m.start() for m in re.finditer(r"\\\]", src)]


def _bracket_block(rule: BlockRule) -> BlockRule:
    def guarded(state: Any, start: int, end: int, silent: bool) -> bool:
        begin = state.bMarks[start] + state.tShift[start]
        if not state.src.startswith("\\[", begin):
            return False  # texmath's first test too
        # Its patterns end at the first \] after "\[" and one character; past the
        # block's last line texmath refuses the match.
        ends = _bracket_ends(state.src)
        i = bisect.bisect_left(ends, begin + 3)
        if i == len(ends) or ends[i] + 1 > state.eMarks[end - 1]:
            return False
        return rule(state, start, end, silent)

    return guarded


def _bracket_inline(rule: InlineRule) -> InlineRule:
    def guarded(state: Any, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if not src.startswith("\\(", pos):
            return False  # texmath's first test too
        if _last_close(src) < pos + 3:
            return False  # its pattern needs a \) after "\(" and one character
        return rule(state, silent)

    return guarded


@lru_cache(maxsize=8)
def _last_close(src: str) -> int:
    return src.rfind("\\)")
