"""A long body rendered by the reference renderer a section at a time, with the same bytes.

markdown-it-py keeps a token for every block and inline element until the whole body
is rendered: about 16 bytes of tokens for each character, 1.2 GB for a 50 MB post
(markdown-it-pyrs's tree takes more). A body longer than LONG is therefore cut at
blank lines where no block can go on, and each section is parsed and rendered on
its own, so only one section's tokens are alive at a time.

What belongs to the whole document is carried across: a first pass parses each
section's blocks only, to check its cut and to collect link reference definitions,
footnote definitions and explicit heading ids; the second pass parses each section
fully with those in its env, numbers footnotes in document order, keeps heading ids
unique across sections, sets footnote definitions aside and renders the footnote
list once at the end, as markdown-it-py's footnote_tail does.
tests/test_markdown_sections.py compares the result with the whole-body render.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, text_join
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import unique_slug
from mdit_py_plugins.footnote.index import footnote_tail

from . import markdown_reference as reference
from . import markdown_screens as screens
from .markdown_rules import MarkdownError, Parts, heading_id
from .model import Heading

LONG = 1 << 20
"""Bodies longer than this (in characters) are rendered in sections."""
SECTION = 1 << 18
"""About how long a section is."""
# A line after a blank line that starts a top-level block no earlier block can take
# in: not indented, not a list marker (it would continue a list), not blank.
_CUT = re.compile(r"\n[ \t]*\n(?![ \t\n]|(?:[-+*]|\d{1,9}[.)])(?:[ \t\n]|$))")
# Blocks that may run on past a blank line and a line at the margin: a fence, HTML
# blocks ending at a marker (<!--, <pre>...), math (even from inside a list item).
# A section is not cut where one of these reaches its end, nor after an attribute
# list waiting for its block.
_RUNAWAY = frozenset({"fence", "html_block", "math_block", "math_block_label",
                      "math_block_eqno", "code_block", "attrs_block"})


def render(body: str, first_line: int = 1, options: str = "") -> Parts:
    """``markdown_reference.render(body, first_line, options)``, holding one section's
    tokens at a time."""
    md = _full_parser(options)
    env: dict[str, Any] = {"first_line": first_line}
    sections = _sections(body, first_line, options, env)
    env["kith_slugs"] = set(env.pop("kith_ids"))
    env["kith_notes"] = []
    html: list[str] = []
    toc: list[Heading] = []
    text: list[str] = []
    for start, end, line in sections:
        # Token maps count from the section's start; the body's first line stays
        # what a token without a map falls back to, as in the whole body.
        env["kith_offset"] = line - first_line
        notes = env.get("footnotes", {}).get("refs", {})
        env["kith_numbered"] = {label: n for label, n in notes.items() if n >= 0}
        tokens = reference.parse(md, body[start:end], env, line)
        html.append(md.renderer.render(tokens, md.options, env))
        toc += reference.toc(tokens)
        text += reference.plain_text(tokens)
    env["kith_offset"] = 0
    tokens = _footnote_list(md, env)
    html.append(md.renderer.render(tokens, md.options, env))
    toc += reference.toc(tokens)
    text += reference.plain_text(tokens)
    return Parts("".join(html), tuple(toc), "\n".join(text))


def _sections(body: str, first_line: int, options: str,
              env: dict[str, Any]) -> list[tuple[int, int, int]]:
    """(start, end, file line) of each section; fills env with what spans sections."""
    md = _block_parser(options)
    references: dict[str, Any] = {}
    footnotes: dict[str, int] = {}
    ids: list[str] = []
    out: list[tuple[int, int, int]] = []
    start, line = 0, first_line
    while start < len(body):
        end = _next_cut(body, start + SECTION)
        while True:
            part: dict[str, Any] = {}
            try:
                tokens = reference.parse(md, body[start:end], part, line)
            except MarkdownError:
                if end == len(body):
                    raise
                part["kith_runaway"] = True  # maybe not so deep once a math block closes
            if end == len(body) or not part.get("kith_runaway"):
                break
            # A block goes on past the cut: cut later (twice as far, so that a block
            # running to the end costs two parses, not one per section).
            end = _next_cut(body, start + 2 * (end - start))
        for label, value in part.get("references", {}).items():
            references.setdefault(label, value)  # the first definition wins
        footnotes.update(part.get("footnotes", {}).get("refs", {}))
        ids += [str(t.attrGet("id")) for t in tokens
                if t.type == "heading_open" and t.attrGet("id")]
        out.append((start, end, line))
        line += body.count("\n", start, end)
        start = end
    env["references"] = references
    if footnotes:
        env["footnotes"] = {"refs": footnotes, "list": {}}
    env["kith_ids"] = ids
    return out


def _next_cut(body: str, at: int) -> int:
    """The start of the first line after ``at`` where a section may begin, or the end."""
    match = _CUT.search(body, max(0, at - 1))
    return match.end() if match else len(body)


@cache
def _block_parser(options: str) -> MarkdownIt:
    """Blocks only, noting whether the last top-level block may run on past the end."""
    md = reference.new_parser(options)
    md.core.ruler.before("attr", "kith_runaway", _note_runaway)
    md.core.ruler.enableOnly(["normalize", "block", "kith_runaway", "attr"])
    return md


def _note_runaway(state: StateCore) -> None:
    lines = state.src.count("\n")
    tokens = state.tokens
    state.env["kith_runaway"] = (
        # an attribute list: its block would be the next section's first
        (bool(tokens) and tokens[-1].type == "attrs_block")
        # any level: a math block in a list item goes on after the item ends
        or any(t.type in _RUNAWAY and t.map is not None and t.map[1] >= lines for t in tokens)
        or (("$$" in state.src or "\\[" in state.src) and _math_opener_left(state)))


def _math_opener_left(state: StateCore) -> bool:
    """A line that could open a math block but is not in one here: its closing line
    may come after the cut (math blocks look ahead past blank lines and containers)."""
    covered = set()
    for token in state.tokens:
        if token.type in _RUNAWAY and token.map is not None:
            covered.update(range(*token.map))
    return any(i not in covered for i in screens.formula_opener_lines(state.src))


@cache
def _full_parser(options: str) -> MarkdownIt:
    """The reference, with the footnote list and heading ids done across sections."""
    md = reference.new_parser(options)
    md.core.ruler.disable(["footnote_tail", "anchor"])
    md.core.ruler.after("block", "kith_keep_note_numbers", _keep_note_numbers)
    md.core.ruler.push("kith_set_notes_aside", _set_notes_aside)
    md.core.ruler.push("kith_anchor", _anchor)
    return md


def _keep_note_numbers(state: StateCore) -> None:
    """A footnote definition marks its label unnumbered (-1), which is right only when
    every definition is parsed before any reference: give back the numbers that
    references in earlier sections gave."""
    if state.env.get("kith_numbered"):
        state.env["footnotes"]["refs"].update(state.env["kith_numbered"])


def _set_notes_aside(state: StateCore) -> None:
    """footnote_tail's first half: footnote definitions leave the stream, kept for later.

    The same flat rule as footnote_tail's (a definition inside another ends both).
    """
    if "footnote_reference_open" not in {t.type for t in state.tokens}:
        return
    kept: list[Token] = []
    notes: list[Token] = state.env["kith_notes"]
    inside = False
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            inside = True
            notes.append(token)
        elif token.type == "footnote_reference_close":
            inside = False
            notes.append(token)
        else:
            (notes if inside else kept).append(token)
    state.tokens = kept


def _footnote_list(md: MarkdownIt, env: dict[str, Any]) -> list[Token]:
    """The definitions set aside, through footnote_tail: the list at the document's end."""
    state = StateCore("", md, env)
    state.tokens = env.pop("kith_notes")
    footnote_tail(state)
    text_join(state)
    _anchor(state)
    return state.tokens


def _anchor(state: StateCore) -> None:
    """The anchors plugin's rule (as configured in markdown_reference), with the set of
    ids taken so far kept across sections (and the explicit ids of all of them)."""
    slugs: set[str] = state.env["kith_slugs"]
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        children = inline.children if inline.children is not None else []
        slug = token.attrGet("id")
        if not slug:
            title = "".join(c.content for c in children if c.type in ("text", "code_inline"))
            slug = unique_slug(heading_id(title), slugs)
            token.attrSet("id", slug)
        link = Token("link_open", "a", 1)
        link.attrSet("class", "header-anchor")
        link.attrSet("href", f"#{slug}")
        inline.children = [*children, Token("text", "", 0, content=" "), link,
                           Token("html_block", "", 0, content="#"),
                           Token("link_close", "a", -1)]
