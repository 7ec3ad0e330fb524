"""The reference renderer: markdown-it-py, mdit-py-plugins and Kith's render rules.

Every page may take this path, and the fast path must reproduce it byte for byte.
"""

from __future__ import annotations

from functools import cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.gfm import gfm_plugin
from mdit_py_plugins.texmath import texmath_plugin

from .markdown_rules import Parts, heading_id, highlight, site_link
from .model import Heading


def render(body: str, first_line: int = 1) -> Parts:
    """One body (Liquid raw markers already dropped) as HTML, contents and plain text."""
    md = parser()
    env: dict[str, Any] = {"first_line": first_line}
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    return Parts(html, _toc(tokens), _plain_text(tokens))


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "highlight": highlight})
    md.use(gfm_plugin)
    # Pandoc's rules: "$5 and $6" is money, not math.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(texmath_plugin, delimiters="brackets")
    # {.class #id key=value} after an element or on the line before a block: the
    # attribute lists Jekyll's kramdown writes as {: .class } (the importer converts them).
    md.use(attrs_plugin, after=("image", "code_inline", "link_close", "em_close",
                                "strong_close"))
    md.use(attrs_block_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, permalink=True, permalinkSymbol="#",
           slug_func=heading_id)
    md.add_render_rule("list_item_open", _list_item_open)
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_block)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("math_block_label", _math_block)
    md.add_render_rule("math_block_eqno", _math_block)
    md.core.ruler.push("kith_lines", _mark_lines)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    return md


def _math_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # Normalised to \( \) so MathJax and KaTeX find it with their default settings.
    return f'<span class="math inline">\\({escape(tokens[idx].content, quote=False)}\\)</span>'


def _math_block(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    content = escape(tokens[idx].content.strip("\n"), quote=False)
    return f'<div class="math display">\\[{content}\\]</div>\n'


def _mark_lines(state: Any) -> None:
    """Give inline tokens their file line, so link problems can say where they are."""
    first = state.env.get("first_line", 1)
    for token in state.tokens:
        if token.type == "inline" and token.map:
            for child in token.children or ():
                child.meta["line"] = first + token.map[0]


def _line(token: Token, env: Any) -> int:
    return int(token.meta.get("line", env.get("first_line", 1)))


def _list_item_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    html = self.list_item_open(tokens, idx, options, env)
    if "<input" not in html:
        return html
    # A checkbox needs an accessible name: the item's own words.
    inline = next((t for t in tokens[idx + 1:] if t.type == "inline"), None)
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


def _toc(tokens: list[Token]) -> tuple[Heading, ...]:
    headings = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id"):
            inline = tokens[i + 1]
            text = "".join(c.content for c in inline.children or () if c.type in
                           ("text", "code_inline", "math_inline"))
            headings.append(Heading(int(token.tag[1]), str(token.attrGet("id")), text.strip()))
    return tuple(headings)


def _plain_text(tokens: list[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append("".join(c.content for c in token.children or ()
                                 if c.type in ("text", "code_inline")))
    return "\n".join(p for p in parts if p.strip())
