"""TeX formulas in Markdown -> MathML at build time, so pages need no script.

math-core turns LaTeX into MathML Core, the part of MathML that Chromium, Firefox
and Safari all render. It was chosen over latex2mathml (pure Python) after both
converted the formulas of a real blog: math-core writes ``aligned`` and ``cases``
as tables browsers lay out, is about 80 times faster, and refuses what it cannot
render (an unknown command, ``\\ce``, a stray ``&``), where latex2mathml prints the
command's name as if it were a variable. A refused formula stays TeX on the page,
and the site stage warns with its file and line (the ``data-kith-problem`` mark).

Delimiters: ``$…$`` and ``$$…$$`` (mdit-py-plugins' dollarmath, with Pandoc's rule
that "$5 and $6" is money), ``\\(…\\)`` and ``\\[…\\]`` (texmath), and
``\\\\(…\\\\)``, ``\\\\[…\\\\]``: what kramdown sites wrote so that the text reaching
MathJax in the browser read ``\\(…\\)``.

Code spans come first, as CommonMark ranks them above every other inline: a
``$`` inside `` `code` `` never closes a formula opened before it
(:func:`code_spans_first_plugin`).

A site may keep formulas as TeX for a renderer in the browser instead
(``markdown: {math: mathjax}`` in site.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from html import escape
from typing import Any

import math_core
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

InlineRule = Callable[[StateInline, bool], bool]

MODES = ("mathml", "mathjax")
"""'mathml': converted at build time; 'mathjax': TeX kept for a script in the browser."""
PROBLEM_ATTR = "data-kith-problem"
"""A warning for the site stage, as ``data-kith-problem="kith:LINE:message"``; the site
stage reports it with the page's path and removes the attribute."""
_ERROR_AT = re.compile(r"^(\d+): ")


@cache
def _converter() -> Any:
    # xmlns: feed readers that parse entries as XML, and sanitizers that check the
    # namespace (Miniflux), need it; it is allowed in HTML.
    return math_core.LatexToMathML(xml_namespace=True, fancy_error=False)


MAX_DEPTH = 100
"""Groups nested deeper are refused: math-core recurses per level, and a few thousand
levels overflow the stack and kill the process (found by feeding it nested \\frac)."""
_NESTING = re.compile(r"\\left\b|\\right\b|\\begin\b|\\end\b|\\[{}]|[{}]")


def nesting(tex: str) -> int:
    """How deep groups ({…}, \\left…\\right, \\begin…\\end) nest in ``tex``."""
    depth = deepest = 0
    for match in _NESTING.finditer(tex):
        token = match.group(0)
        if token in ("{", "\\left", "\\begin"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("}", "\\right", "\\end"):
            depth -= 1
    return deepest


def to_mathml(tex: str, display: bool) -> str:
    """``tex`` as a <math> element; raises ValueError with the converter's reason."""
    deepest = nesting(tex)
    if deepest > MAX_DEPTH:
        raise ValueError(f"groups nested {deepest} deep (Kith converts at most {MAX_DEPTH})")
    try:
        return str(_converter().convert_with_local_state(tex, displaystyle=display))
    except math_core.LatexError as exc:
        message = str(exc).strip().rstrip(".")
        found = _ERROR_AT.match(message)
        if found:
            at = int(found.group(1))
            message = message[found.end():] + (f" (at character {at + 1})" if at else "")
        raise ValueError(message) from None


def formula_html(tex: str, display: bool, mode: str, line: int, mark: str,
                 block: bool = False) -> str:
    """The HTML of one formula: MathML, or the TeX source in a span (``mode`` mathjax, or a
    formula math-core refuses, which then carries a problem mark for ``line``).

    ``display``: set apart (``$$``, ``\\[``); ``block``: a block of its own rather than
    inside a paragraph. ``mark`` is the prefix of link and problem marks ('kith:').
    """
    tex = tex.strip("\n") if display else tex
    problem = ""
    if mode == "mathml":
        try:
            html = to_mathml(tex.strip(), display)
        except ValueError as exc:
            shown = " ".join(tex.split())
            shown = shown if len(shown) <= 60 else shown[:57] + "…"
            note = (f"formula not converted to MathML, shown as TeX: {exc}: '{shown}'\n"
                    "write it in the LaTeX math that MathJax and KaTeX accept, or set "
                    "markdown: {math: mathjax} in site.yaml to render formulas in the browser")
            problem = f' {PROBLEM_ATTR}="{mark}{line}:{escape(note)}"'
        else:
            return f'<div class="math display">{html}</div>\n' if block else html
    source = escape(tex, quote=False)
    if block:
        return f'<div class="math display"{problem}>\\[{source}\\]</div>\n'
    if display:
        return f'<span class="math display"{problem}>\\[{source}\\]</span>'
    # Normalised to \( \) so MathJax and KaTeX find it with their default settings.
    return f'<span class="math inline"{problem}>\\({source}\\)</span>'


# -- \\( … \\) and \\[ … \\] -----------------------------------------------------------

_OPEN = {"(": "\\\\)", "[": "\\\\]"}


def escaped_brackets_plugin(md: MarkdownIt) -> None:
    """``\\\\(x\\\\)`` and ``\\\\[x\\\\]`` as inline and display math.

    On a kramdown site these reached the browser as ``\\(x\\)`` and MathJax typeset
    them; CommonMark would show them as text. Inside, ``\\\\`` stands for ``\\`` (the
    writer doubled backslashes that Markdown would have eaten).
    """
    md.inline.ruler.before("escape", "math_escaped_brackets", _escaped_brackets)


def _escaped_brackets(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("\\\\", pos) or src[pos + 2:pos + 3] not in _OPEN:
        return False
    opener = src[pos + 2]
    end = src.find(_OPEN[opener], pos + 3)
    if end < 0 or not src[pos + 3:end].strip():
        return False
    if not silent:
        display = opener == "["
        token = state.push("math_inline_double" if display else "math_inline", "math", 0)
        token.content = src[pos + 3:end].replace("\\\\", "\\")
        token.markup = "\\\\" + opener
    state.pos = end + 3
    return True


# -- code spans before formulas ----------------------------------------------------------

_BACKTICKS = re.compile(r"`+")


def code_spans_first_plugin(md: MarkdownIt) -> None:
    """Inline formula rules give way to a code span that opens inside them, as CommonMark
    ranks code spans first: in "costs $40, see `$a$`" the code is code and $40 money.

    (TeX has no use for a backtick; kramdown sites parsed the code span first too, and
    MathJax never looks inside code.) Use after the math plugins; it wraps every inline
    rule named ``math_*``.
    """
    for rule in md.inline.ruler.__rules__:
        if rule.name.startswith("math_"):
            rule.fn = _code_spans_first(rule.fn)
    md.inline.ruler.__cache__ = None


def _code_spans_first(rule: InlineRule) -> InlineRule:
    def guarded(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not rule(state, True):  # a silent run only finds where the formula would end
            return False
        end, state.pos = state.pos, start
        if _opens_code_span(state.src, start, end, state.posMax):
            return False
        return rule(state, silent)

    return guarded


def _opens_code_span(src: str, start: int, end: int, limit: int) -> bool:
    """Whether a code span opens in src[start:end]: a run of backticks, not escaped,
    closed by a run of the same length before ``limit``."""
    for run in _BACKTICKS.finditer(src, start, end):
        ticks = run.group(0)
        before = run.start()
        while before > 0 and src[before - 1] == "\\":
            before -= 1
        if (run.start() - before) % 2:
            ticks = ticks[1:]  # "\`" is a backtick as text; the rest of the run still opens
        if ticks and re.compile(f"(?<!`){ticks}(?!`)").search(src, run.end(), limit):
            return True
    return False
