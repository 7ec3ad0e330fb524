"""The reference renderer: markdown-it-py, mdit-py-plugins and Kith's render rules.

Every page may take this path, and the fast path must reproduce it byte for byte.
It never lets a body crash the build: what it cannot render becomes a MarkdownError
with the line and a hint.
"""

from __future__ import annotations

import copy
import itertools
from functools import cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.gfm import gfm_plugin
from mdit_py_plugins.texmath import texmath_plugin

from .formulas import code_spans_first_plugin, escaped_brackets_plugin, formula_html
from .highlighting import highlight
from .markdown_guards import guard_math
from .markdown_rules import (
    LINE_BREAK_TAG,
    LINK_MARK,
    MarkdownError,
    Parts,
    heading_id,
    site_link,
)
from .model import Heading

MAX_NESTING = 100
"""Levels of block nesting parsed (a quote counts one, a list two: list and item).

markdown-it's own default; its CommonMark preset's 20 silently dropped what a list
nested ten deep holds. Deeper is an error (a MarkdownError), never silent, and keeps
the parser's recursion (about three frames a level) far from Python's limit.
"""
_CONTAINERS = frozenset({"blockquote_open", "list_item_open", "footnote_reference_open"})


def render(body: str, first_line: int = 1, options: str = "") -> Parts:
    """One body (Liquid raw markers already dropped) as HTML, contents and plain text."""
    md = parser(options)
    env: dict[str, Any] = {"first_line": first_line}
    tokens = parse(md, body, env, first_line)
    html = md.renderer.render(tokens, md.options, env)
    return Parts(html, toc(tokens), "\n".join(plain_text(tokens)))


def parse(md: MarkdownIt, body: str, env: dict[str, Any], first_line: int) -> list[Token]:
    """``md.parse``, with markdown-it-py's failures as MarkdownErrors (or worked around)."""
    saved = None if body.endswith("\n") else copy.deepcopy(env)
    try:
        tokens = md.parse(body, env)
    except IndexError:
        if saved is None:
            raise _failed(first_line) from None
        # markdown-it-py 4.3 reads past the end of a body whose last line is an empty
        # quote line closing an open HTML block ("> - <!--\n>"): the same body with
        # its last line ended parses.
        env.clear()
        env.update(saved)
        try:
            tokens = md.parse(body + "\n", env)
        except Exception:
            raise _failed(first_line) from None
    except RecursionError:
        raise _failed(first_line) from None
    for token in tokens:
        if token.level >= MAX_NESTING - 1 and token.type in _CONTAINERS:
            # The parser stops one level deeper and drops what is there.
            raise _too_deep(tokens, token, first_line)
    return tokens


def _too_deep(tokens: list[Token], deepest: Token, first_line: int) -> MarkdownError:
    quotes = lists = 0
    for token in tokens:
        if token.type.endswith("_list_open"):
            lists += 1
        elif token.type.endswith("_list_close"):
            lists -= 1
        elif token.type == "blockquote_open":
            quotes += 1
        elif token.type == "blockquote_close":
            quotes -= 1
        if token is deepest:
            break
    return MarkdownError(
        first_line + (deepest.map[0] if deepest.map else 0),
        f"block quotes and lists nested too deeply ({quotes} quotes and {lists} lists "
        "around this line)",
        f"Kith renders at most {MAX_NESTING - 1} nested quotes or {MAX_NESTING // 2 - 1} "
        "nested lists (a list counts as two quotes); un-nest some of them, or put the "
        "text in a code block")


def _failed(first_line: int) -> MarkdownError:
    return MarkdownError(
        first_line, "the Markdown parser (markdown-it-py) failed on this page",
        "a bug in the parser, not in your text; KITH_MARKDOWN=reference kith build shows "
        "the same error, and removing unusual constructs (unclosed HTML comments, "
        "deep nesting) finds the one it trips on")


@cache
def parser(options: str = "") -> MarkdownIt:
    return new_parser(options)


def new_parser(options: str = "") -> MarkdownIt:
    """markdown-it-py as Kith configures it for the site's Markdown ``options``
    ('typographer mathjax'): a new instance, to adapt."""
    words = options.split()
    md = MarkdownIt("commonmark", {"html": True, "highlight": highlight,
                                   "maxNesting": MAX_NESTING,
                                   "typographer": "typographer" in words})
    if "typographer" in words:  # curly quotes, dashes, ellipses (kramdown's smart quotes)
        md.enable(["replacements", "smartquotes"])
    md.use(gfm_plugin)
    md.use(deflist_plugin)
    # Pandoc's rules: "$5 and $6" is money, not math.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(texmath_plugin, delimiters="brackets")
    md.use(escaped_brackets_plugin)
    guard_math(md)  # before code_spans_first_plugin wraps the same rules
    md.use(code_spans_first_plugin)
    md.options["math"] = "mathjax" if "mathjax" in words else "mathml"
    # {.class #id key=value} after an element or on the line before a block: the
    # attribute lists Jekyll's kramdown writes as {: .class } (the importer converts them).
    md.use(attrs_plugin, after=("image", "code_inline", "link_close", "em_close",
                                "strong_close"))
    md.use(attrs_block_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, permalink=True, permalinkSymbol="#",
           slug_func=heading_id)
    md.add_render_rule("list_item_open", _list_item_open)
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_display)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("math_block_label", _math_block)
    md.add_render_rule("math_block_eqno", _math_block)
    md.core.ruler.push("kith_lines", _mark_lines)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    return md


def _math_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return formula_html(token.content, False, options["math"], _line(token, env), LINK_MARK)


def _math_display(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return formula_html(token.content, True, options["math"], _line(token, env), LINK_MARK)


def _math_block(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return formula_html(token.content, True, options["math"], _line(token, env), LINK_MARK,
                        block=True)


def _mark_lines(state: Any) -> None:
    """Give links, images and formulas their file line, so problems can say where.

    Only those: a line on every inline token cost a dict entry each (a fifth of the
    tokens' memory on a long page).
    """
    first = state.env.get("first_line", 1) + state.env.get("kith_offset", 0)
    for token in state.tokens:
        if token.type == "inline" and token.map:
            for child in token.children or ():
                if child.type in _LINED:
                    child.meta["line"] = first + token.map[0]


_LINED = frozenset({"link_open", "image", "math_inline", "math_inline_double"})


def _line(token: Token, env: Any) -> int:
    """The file line of a token: its own map (blocks), or its paragraph's (inline); else
    the body's first line. (``kith_offset``: the lines before a section's start.)"""
    if token.map:
        return int(env.get("first_line", 1)) + env.get("kith_offset", 0) + token.map[0]
    return int(token.meta.get("line", env.get("first_line", 1)))


def _list_item_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    html = self.list_item_open(tokens, idx, options, env)
    if "<input" not in html:
        return html
    # A checkbox needs an accessible name: the item's own words (none in an empty item;
    # the first inline after it could be another block's).
    inline = None
    for token in itertools.islice(tokens, idx + 1, None):
        if token.type == "inline":
            inline = token
            break
        if token.type == "list_item_close" and token.level == tokens[idx].level:
            break
    label = "".join(c.content for c in (inline.children or ()) if c.type in
                    ("text", "code_inline")) if inline else ""
    return html.replace("<input ", f'<input aria-label="{escape(label.strip())}" ', 1)


def _link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.attrGet("class") == "header-anchor":
        # The heading already names the section; the "#" is for pointers, not screen readers.
        token.attrSet("aria-hidden", "true")
        token.attrSet("tabindex", "-1")
    token.attrSet("href", site_link(str(token.attrGet("href") or ""), _line(token, env)))
    return self.renderToken(tokens, idx, options, env)


def _image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    token.attrSet("src", site_link(str(token.attrGet("src") or ""), _line(token, env)))
    token.attrSet("loading", "lazy")
    return self.image(tokens, idx, options, env)


def toc(tokens: list[Token]) -> tuple[Heading, ...]:
    headings = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id"):
            text = inline_text(tokens[i + 1])
            headings.append(Heading(int(token.tag[1]), str(token.attrGet("id")), text.strip()))
    return tuple(headings)


def plain_text(tokens: list[Token]) -> list[str]:
    """The words of each inline token (the ones that have any)."""
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            part = inline_text(token)
            if part.strip():
                parts.append(part)
    return parts


def inline_text(token: Token) -> str:
    """The words of one inline token: its text, code and formulas' TeX; a line break,
    soft, hard or <br>, as one (the words of a wrapped paragraph's lines stay apart)."""
    return "".join(c.content if c.type in _WORDS else "\n" for c in token.children or ()
                   if c.type in _WORDS or c.type in _BREAKS
                   or (c.type == "html_inline" and LINE_BREAK_TAG.match(c.content)))


_WORDS = frozenset({"text", "code_inline", "math_inline"})
_BREAKS = frozenset({"softbreak", "hardbreak"})
