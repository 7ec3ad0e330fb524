"""Page body (Markdown) -> HTML, table of contents, summary, plain text.

Pure and per-file, so results can be cached by content hash and run in parallel.
Links whose target depends on the whole site (relative links to other sources
and files) are left as ``kith:LINE:PATH`` markers; the site stage resolves them.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from dataclasses import dataclass
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
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .formulas import code_spans_first_plugin, escaped_brackets_plugin, formula_html
from .model import Heading

MORE = "<!--more-->"
LINK_MARK = "kith:"
# Jekyll's raw markers: Kith does not run Liquid, so the content is already verbatim.
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_WORD = re.compile(r"[^\W_]++(?:['’-][^\W_]++)*+")  # possessive: same matches, faster
# For ASCII text (\w is [A-Za-z0-9_] there, and no ’) the same words are counted without
# a regex: letters and digits become "a", ' and - become "-", the rest (and UTF-8's
# non-ASCII bytes) " ". A word starts at an "a" after a space, or after a "-" that does
# not join it to a previous word (one after a space or another "-").
_ASCII_CLASSES = bytes(
    ord("a") if chr(i).isascii() and chr(i).isalnum() else ord("-") if chr(i) in "'-"
    else ord(" ") for i in range(256))
_FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.S)

WORDS_PER_MINUTE = 230
CJK_CHARS_PER_MINUTE = 400


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[Heading, ...]
    summary_html: str
    text: str
    words: int
    reading_minutes: int


def render_markdown(body: str, first_line: int = 1, options: str = "") -> Rendered:
    """Render one page body; ``first_line`` is the body's line in its file, ``options``
    the site's Markdown settings (``MarkdownSettings.options``: 'typographer mathjax').

    The fast path (markdown_fast.py) takes pages it reproduces byte for byte;
    KITH_MARKDOWN=reference sends every page through markdown-it-py, for debugging.
    """
    if os.environ.get("KITH_MARKDOWN") != "reference":
        fast = markdown_fast.render_fast(body, first_line, options)
        if fast is not None:
            return fast
    return render_markdown_reference(body, first_line, options)


def render_markdown_reference(body: str, first_line: int = 1, options: str = "") -> Rendered:
    """The reference renderer: markdown-it-py, its plugins and Kith's render rules."""
    md = _parser(options)
    body = _RAW.sub("", body)
    env: dict[str, Any] = {"first_line": first_line}
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    if MORE in body:
        head = body.split(MORE, 1)[0]
        summary_html = md.render(head, {"first_line": first_line})
    else:
        match = _FIRST_PARAGRAPH.search(html)
        summary_html = match.group(0) if match else ""
    return finish(html, _toc(tokens), summary_html, _plain_text(tokens))


def finish(html: str, toc: tuple[Heading, ...], summary_html: str, text: str) -> Rendered:
    """Both paths' result, with word count and reading time from the plain text."""
    words, cjk = _counts(text)
    minutes = max(1, math.ceil((words - cjk) / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE))
    return Rendered(html=html, toc=toc, summary_html=summary_html, text=text,
                    words=words, reading_minutes=minutes)


def count_words(text: str) -> int:
    """Latin-script words plus CJK characters (each one reads like a word)."""
    return _counts(text)[0]


def _counts(text: str) -> tuple[int, int]:
    """(words as count_words counts them, CJK characters among them)."""
    if text.isascii():
        return _ascii_words(text), 0
    # Words never span a newline: ASCII lines take the fast count, the rest the regexes.
    ascii_lines: list[str] = []
    other: list[str] = []
    for line in text.split("\n"):
        (ascii_lines if line.isascii() else other).append(line)
    rest = "\n".join(other)
    cjk = len(_CJK.findall(rest))
    words = len(_WORD.findall(_CJK.sub(" ", rest) if cjk else rest))
    return _ascii_words("\n".join(ascii_lines)) + cjk + words, cjk


def _ascii_words(text: str) -> int:
    classes = b" " + text.encode().translate(_ASCII_CLASSES)
    return classes.count(b" a") + classes.count(b"--a") + classes.count(b" -a")


@cache
def _parser(options: str = "") -> MarkdownIt:
    words = options.split()
    md = MarkdownIt("commonmark", {"html": True, "highlight": _highlight,
                                   "typographer": "typographer" in words})
    if "typographer" in words:  # curly quotes, dashes, ellipses (kramdown's smart quotes)
        md.enable(["replacements", "smartquotes"])
    md.use(gfm_plugin)
    md.use(deflist_plugin)
    # Pandoc's rules: "$5 and $6" is money, not math.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(texmath_plugin, delimiters="brackets")
    md.use(escaped_brackets_plugin)
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


def _line(token: Token, env: Any) -> int:
    """The file line of a token: its own map (blocks), or its paragraph's (inline)."""
    if token.map:
        return int(env.get("first_line", 1)) + token.map[0]
    return int(token.meta.get("line", env.get("first_line", 1)))


def _mark_lines(state: Any) -> None:
    """Give inline tokens their file line, so link problems can say where they are."""
    first = state.env.get("first_line", 1)
    for token in state.tokens:
        if token.type == "inline" and token.map:
            for child in token.children or ():
                child.meta["line"] = first + token.map[0]


def _site_link(href: str, env: Any, token: Token) -> str:
    """Mark links relative to the source file, which only the site stage can resolve."""
    if not href or href.startswith(("#", "/", "?")) or _SCHEME.match(href):
        return href
    return f"{LINK_MARK}{token.meta.get('line', env.get('first_line', 1))}:{href}"


# Ids the default theme's page frame uses; a heading must not take them.
RESERVED_IDS = {"content"}


def heading_id(title: str) -> str:
    """GitHub-style heading ids that keep every script's letters and marks."""
    slug = "".join(c for c in title.strip().lower().replace(" ", "-")
                   if c in "-_" or unicodedata.category(c)[0] in "LMN")
    return f"{slug}-section" if slug in RESERVED_IDS else slug


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
    token.attrSet("href", _site_link(str(token.attrGet("href") or ""), env, token))
    return self.renderToken(tokens, idx, options, env)


def _image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    token.attrSet("src", _site_link(str(token.attrGet("src") or ""), env, token))
    token.attrSet("loading", "lazy")
    return self.image(tokens, idx, options, env)


_FORMATTER = HtmlFormatter(nowrap=True)


@cache
def _lexer(lang: str) -> Lexer | None:
    # get_lexer_by_name searches every lexer's aliases; a lexer is reusable across calls.
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


def _highlight(code: str, lang: str, attrs: str) -> str:
    lang = (lang or "").strip().lower()
    body = escape(code, quote=False)
    if lang:
        lexer = _lexer(lang)
        if lexer is not None:
            body = pygments_highlight(code, lexer, _FORMATTER)
    cls = f' class="language-{escape(lang)}"' if lang else ""
    # tabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    return f'<pre class="highlight" tabindex="0"><code{cls}>{body}</code></pre>'


def highlight_css() -> str:
    """Stylesheet for highlighted code: a light style, and a dark one when asked for."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="github-dark").get_style_defs(".highlight")
    dark = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


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
                                 if c.type in ("text", "code_inline", "math_inline")))
    return "\n".join(p for p in parts if p.strip())


# At the end: markdown_fast reads this module's helpers when it is imported.
from . import markdown_fast  # noqa: E402
