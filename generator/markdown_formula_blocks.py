"""Formula blocks at the top level, for the fast renderer.

mdit-py-plugins' block rules for formulas (dollarmath's ``$$``, texmath's ``\\[``)
take every line from an opening to its closing, blank lines and all, where
markdown-it-pyrs (which knows no formulas) sees paragraphs, fences, lists... So the
fast path (``markdown_fast``) does not give pyrs such a body as written: ``plan``
finds the formula blocks markdown-it-py finds at the top level, and puts a thematic
break ("---", the first with the opening line's indentation) on each of their lines.
pyrs then parses the rest as markdown-it-py parses it around the formulas, and the
tree walk writes each formula where its first break is, in the HTML of the
reference's own render rule for that token.

A formula block at the top level is found exactly as markdown-it-py finds it: at a
line that starts a top-level block, the reference parser's own block rules that
come before the fence rule (table, indented code, then the formula rules, with
their time guards) run on markdown-it-py's own line state (``StateBlock``) of the
whole body. A line is taken as starting a top-level block only when it is the first,
or the line before it is blank or a formula's last (nothing else can have ended
there: a formula block interrupts no paragraph), and is proven so by pyrs's tree of
the changed body: each break must be a thematic break of the top level there.

Every other line that may open a formula (a ``$$`` or ``\\[`` after a container's
prefix or deeper indentation, or after a line that is not blank) must be shown, in
that tree, not to start a block where markdown-it-py would try the formula rules:
inside a fence, indented code or raw HTML, or on a paragraph's later line; or to
start a paragraph of the top level where those rules failed (an unclosed ``$$``).
Anything else (a formula in a list item or quote...) declines the page.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it_pyrs import Node

from . import markdown_reference
from . import markdown_screens as screens

OPENER = screens.FORMULA_OPENER
"""A line whose text, after any container prefix, starts with $$ or \\[ (over "\\n" + body)."""
BREAK = "---"
_BLOCK_RULES = ("table", "code", "math_block", "math_block_eqno")
# pyrs's blocks a line that may open a formula can sit in without starting one.
_VERBATIM = frozenset({"fence", "code_block", "html_block"})
_CONTAINERS = frozenset({"root", "blockquote", "bullet_list", "ordered_list", "list_item"})


@dataclass
class Plan:
    """What pyrs parses instead of the body, and what its tree must show."""

    body: str
    breaks: dict[int, str] = field(default_factory=dict)
    """Byte offset of each break's "---" -> its formula's HTML (first line), or ''."""
    checks: list[tuple[int, int, bool]] = field(default_factory=list)
    """(start, end) byte offsets of each other line that may open a formula, and
    whether it may start a paragraph of the top level (the formula rules failed)."""
    tokens: list[Token] = field(default_factory=list)
    """The formula blocks' tokens, in order."""


def openers(body: str) -> bool:
    """Whether a line may open a formula block (the fast path then needs a plan)."""
    return ("$$" in body or "\\[" in body) and OPENER.search(f"\n{body}") is not None


def plan(body: str, first_line: int, options: str) -> Plan:
    """The body with each top-level formula block's lines made breaks, and the other
    lines that may open one, for ``verify`` and the walk to prove."""
    lines = body.split("\n")
    md = markdown_reference.parser(options)
    state: StateBlock | None = None
    env: dict[str, Any] = {"first_line": first_line}
    regions: list[tuple[int, int, str]] = []
    tokens: list[Token] = []
    checks: list[tuple[int, bool]] = []
    covered = 0  # lines before this are in a formula found
    for index in screens.formula_opener_lines(body):
        if index < covered:
            continue
        text_line = lines[index]
        indent = len(text_line) - len(text_line.lstrip(" "))
        if (indent > 3 or text_line[indent] not in "$\\"
                or (index != covered and lines[index - 1].strip(" \t"))):
            # A container's prefix, a tab, code's indentation; or a line after one that
            # is not blank (a formula only after a block that ended on its own line, a
            # heading say, which this plan does not look for): no top-level block here.
            checks.append((index, False))
            continue
        if state is None:
            state = StateBlock(body, md, {}, [])  # markdown-it-py's line marks
        token = _formula_at(state, index, md)
        if token is None:
            checks.append((index, True))
        else:
            html = md.renderer.rules[token.type]([token], 0, md.options, env)
            covered = state.line
            regions.append((index, covered, html))
            tokens.append(token)
    if regions:
        for start, end, _html in regions:
            indent = len(lines[start]) - len(lines[start].lstrip(" "))
            lines[start] = " " * indent + BREAK
            for i in range(start + 1, end):
                lines[i] = BREAK
        body = "\n".join(lines)
    result = _offsets(body, lines, regions, checks)
    result.tokens = tokens
    return result


def _offsets(body: str, lines: list[str], regions: list[tuple[int, int, str]],
             checks: list[tuple[int, bool]]) -> Plan:
    """The plan, with lines located by pyrs's UTF-8 byte offsets."""
    ends = list(accumulate(map(len, lines)))  # characters up to each line's end, no \n
    needed = sorted({i for start, end, _ in regions for i in range(start, end)}
                    | {i for i, _ in checks} | {i + 1 for i, _ in checks})
    starts: dict[int, int] = {}
    ascii_body = body.isascii()
    chars = offset = 0
    for i in needed:
        char = ends[i - 1] + i if i else 0  # (i newlines before line i)
        offset += char - chars if ascii_body else len(body[chars:char].encode("utf-8"))
        chars = char
        starts[i] = offset
    result = Plan(body)
    for start, end, html in regions:
        result.breaks[starts[start] + len(lines[start]) - len(BREAK)] = html
        for i in range(start + 1, end):
            result.breaks[starts[i]] = ""
    result.checks = [(starts[i], starts[i + 1] - 1, may_start) for i, may_start in checks]
    return result


@cache
def _rules(md: MarkdownIt) -> tuple[tuple[str, Any], ...]:
    """The reference's block rules that come before its fence rule: the table, indented
    code and formula rules (with markdown_guards' time guards), in its order."""
    rules = []
    for rule in md.block.ruler.__rules__:
        if not rule.enabled:
            continue
        if rule.name not in _BLOCK_RULES:
            break
        rules.append((rule.name, rule.fn))
    assert any(name.startswith("math_") for name, _ in rules), rules
    return tuple(rules)


def _formula_at(state: StateBlock, line: int, md: MarkdownIt) -> Token | None:
    """The formula token markdown-it-py makes if a top-level block starts at ``line``
    (``state.line`` is then the line after it), or None."""
    end = state.lineMax
    for name, rule in _rules(md):
        state.tokens = []
        state.line = line
        if name == "table" or name == "code":
            if rule(state, line, end, True):
                return None  # a table or indented code, not a formula
        elif rule(state, line, end, False):
            return state.tokens[-1]
    return None


MAX_CHECKS = 100
"""Lines to place in pyrs's tree a page (more decline: a bound on the search's time)."""


def verify(plan: Plan, tree: Node) -> bool:
    """Whether pyrs's tree of ``plan.body`` puts every line checked where no formula
    block can start (see the module's doc). The breaks are checked by the walk."""
    if not plan.checks:
        return True
    if len(plan.checks) > MAX_CHECKS:
        return False
    top = tree.children  # (made anew by each access: once here)
    starts = [-1 if c.srcmap is None else c.srcmap[0] for c in top]
    for start, end, may_start in plan.checks:
        i = bisect.bisect_right(starts, end) - 1  # the last top-level block before the end
        if i < 0 or starts[i] < 0:
            return False
        node, parent = _innermost(top[i], tree, start, end)
        name = node.name
        if name in _VERBATIM:
            continue
        if name in ("paragraph", "lheading"):
            span = node.srcmap
            if span is not None and span[0] < start:
                continue  # a later line of the paragraph: no block starts there
            if may_start and parent is tree:
                continue  # a top-level paragraph where the formula rules failed
        return False
    return True


def _innermost(node: Node, parent: Node, start: int, end: int) -> tuple[Node, Node]:
    """The deepest block of pyrs's tree on the line at [start, end], from ``node`` (a
    child of ``parent``) down, and its parent; ``parent`` if ``node`` is not on it."""
    span = node.srcmap
    if span is None or span[1] <= start:
        return parent, parent  # in no block of its own
    while node.name in _CONTAINERS:
        for child in node.children:
            span = child.srcmap
            if span is not None and span[0] <= end and span[1] > start:
                node, parent = child, node
                break
        else:
            return node, parent  # in no block of its own (a tight item's text...)
    return node, parent
