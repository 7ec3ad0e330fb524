"""Inline runs the fast renderer hands to the reference's inline parser.

``markdown_fast`` walks markdown-it-pyrs's tree; an inline run it cannot render
itself (GFM autolinks, math, strikethrough, attribute lists, the typographer's
replacements...) it gives, as markdown-it-py's block rules would have cut it, to
``reference_run``: markdown-it-py's inline parser and the core rules after it, with
Kith's render rules. The same tokens as the reference's, so the same bytes. The
helpers here answer what the block rules would have done with a line.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from markdown_it.common.utils import mdTrim
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError as AttributeParseError
from mdit_py_plugins.attrs.parse import parse as parse_attributes

from . import markdown_reference


def reference_run(content: str, line: int, first_line: int, options: str,
                  attributes: dict[str, str] | None = None,
                  paragraph: bool = True,
                  references: dict[str, Any] | None = None) -> tuple[str, str, str, str]:
    """One inline token as ``markdown_reference.render`` writes it: its paragraph's
    opening tag, HTML, plain text and title (the text and code anchors_plugin makes
    a heading's slug of).

    ``content`` goes through markdown-it-py's inline parser and the core rules that
    follow it (block attributes, the typographer, text_join, Kith's link lines...;
    anchors_plugin finds no heading: the caller makes the heading's tags), then the
    reference's render rules. ``line``: the block's first line in the body (its
    token's ``map[0]``); ``attributes``: a block attribute list's, on the line before;
    ``references``: the env of the block parse (its link reference definitions).
    """
    md = markdown_reference.parser(options)
    env: dict[str, Any] = {**(references or {}), "first_line": first_line}
    tokens = []
    if attributes is not None:
        block = Token("attrs_block", "", 0)
        block.attrs = dict(attributes)
        block.map = [line - 1, line]
        tokens.append(block)
    opening = Token("paragraph_open", "p", 1)
    opening.map = [line, line + 1]
    token = Token("inline", "", 0)
    token.content = content
    token.map = [line, line + 1]
    token.children = []
    tokens += [opening, token, Token("paragraph_close", "p", -1)] if paragraph else [token]
    state = StateCore(content, md, env, tokens)
    for rule in _after_block(md):
        rule(state)
    html = md.renderer.renderInline(token.children, md.options, env)
    text = markdown_reference.inline_text(token)
    title = "".join(c.content for c in token.children if c.type in ("text", "code_inline"))
    return f"<p{md.renderer.renderAttrs(opening)}>", html, text, title


def atx_content(line: str) -> str | None:
    """markdown-it-py's heading rule: the text of an ATX heading's line (None if the
    line is not one)."""
    pos = len(line) - len(line.lstrip(" "))
    hashes = len(line) - pos - len(line[pos:].lstrip("#"))
    pos += hashes
    if not 1 <= hashes <= 6 or (pos < len(line) and line[pos] not in " \t"):
        return None
    end = len(line.rstrip(" \t"))
    end = max(end, pos)
    closing = len(line[pos:end].rstrip("#")) + pos
    if closing > pos and line[closing - 1] in " \t":
        end = closing
    return mdTrim(line[pos:end])


# A line no block rule takes where a block may start (so, a paragraph's first line):
# up to 3 spaces, then none of the characters that open a quote, heading, list, rule,
# HTML block, fence, formula, definition, footnote or attribute list.
PARAGRAPH_START = re.compile(r" {0,3}[^\s>#*+\-<`~_$\[{:|\\=\d]")


def attribute_line(line: str) -> dict[str, str] | None:
    """The attributes of a line mdit-py-plugins' attrs_block rule takes where a block
    may start: "{" after the indentation, "}" before trailing spaces, and attributes
    it can parse from the start (what follows them is not checked); else None."""
    line = line.lstrip(" ").rstrip(" \t")
    if line[:1] != "{" or line[-1:] != "}":
        return None
    try:
        return parse_attributes(line)[1]
    except AttributeParseError:
        return None


@cache
def _after_block(md: Any) -> list[Any]:
    """The core rules markdown-it-py runs after its block parse, in order."""
    rules = md.core.ruler.__rules__
    names = [rule.name for rule in rules]
    return [rule.fn for rule in rules[names.index("block") + 1:] if rule.enabled]
