"""What Kith's Markdown HTML looks like, whichever renderer writes it.

Both renderers (``markdown_reference`` and ``markdown_fast``) import these rules; the
Markdown stage (``markdown``) chooses between the renderers. Nothing here imports
either renderer, so the pieces stay one-way: rules <- renderers <- stage.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from html import escape
from typing import Any, NamedTuple

from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import Token, _TokenType
from pygments.util import ClassNotFound

from .model import Heading

MORE = "<!--more-->"
LINK_MARK = "kith:"
# Jekyll's raw markers: Kith does not run Liquid, so the content is already verbatim.
RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.S)
# Ids the default theme's page frame uses; a heading must not take them.
RESERVED_IDS = {"content"}


FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def fence_after(line: str, fence: str) -> tuple[str, bool]:
    """CommonMark's fenced code blocks, a line of Markdown at a time.

    ``fence`` is the fence open before ``line`` ('' when none); returns the fence open
    after it and whether ``line`` is code (a fence line or inside one). A fence closes
    with a run of its own character at least as long, and nothing after it.
    """
    match = FENCE.match(line)
    if fence:
        run = match.group(1) if match else ""
        closes = run[:1] == fence[0] and len(run) >= len(fence) \
            and not line.strip()[len(run):].strip()
        return ("" if closes else fence), True
    return (match.group(1), True) if match else ("", False)


class MarkdownError(Exception):
    """A body the Markdown stage cannot render; reported against the page's file."""

    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(line, message, hint)
        self.line, self.message, self.hint = line, message, hint


class Parts(NamedTuple):
    """One renderer's answer for one body: what the Markdown stage finishes."""

    html: str
    toc: tuple[Heading, ...]
    text: str
    """Plain text, one line per inline run, for the word count and search."""


def site_link(href: str, line: int) -> str:
    """Mark links relative to the source file, which only the site stage can resolve."""
    if not href or href.startswith(("#", "/", "?")) or SCHEME.match(href):
        return href
    return f"{LINK_MARK}{line}:{href}"


def heading_id(title: str) -> str:
    """GitHub-style heading ids that keep every script's letters and marks."""
    slug = "".join(c for c in title.strip().lower().replace(" ", "-")
                   if c in "-_" or unicodedata.category(c)[0] in "LMN")
    return f"{slug}-section" if slug in RESERVED_IDS else slug


STYLES = ("default", "github-dark")
"""Pygments' styles for code: light, and dark (``assets.highlight_css``)."""


def _looks_plain(style: StyleMeta, ttype: _TokenType) -> bool:
    """Text of this type looks like the code around it in ``style``: no font, border or
    background of its own, and its colour (if any) the base one or on whitespace."""
    known = ttype
    while not style.styles_token(known):  # a type without a rule takes its parent's
        known = known.parent
    own, base = style.style_for_token(known), style.style_for_token(Token)
    if any(own[key] for key in ("bold", "italic", "underline", "bgcolor", "border",
                                "roman", "sans", "mono")):
        return False
    return own["color"] in (None, base["color"]) or ttype is Token.Text.Whitespace


_SHOWN = Token.Text.Whitespace.Shown
"""A Whitespace token that holds more than whitespace (Cython's and Mojo's line
continuation, Kuin's comments): its colour shows, so it keeps its span."""


class _Formatter(HtmlFormatter):  # type: ignore[misc,type-arg]
    """Pygments' HTML without the spans that change nothing in either style (names,
    punctuation, whitespace: half the bytes of a highlighted block)."""

    def __init__(self) -> None:
        super().__init__(nowrap=True)
        self._styles = [get_style_by_name(name) for name in STYLES]

    def _get_css_classes(self, ttype: _TokenType) -> str:
        # Called once per token type: the formatter keeps each type's opening tag.
        if ttype is _SHOWN:
            return str(super()._get_css_classes(Token.Text.Whitespace))
        if all(_looks_plain(style, ttype) for style in self._styles):
            return ""
        return str(super()._get_css_classes(ttype))

    def format_unencoded(self, tokensource: Iterable[tuple[_TokenType, str]],
                         outfile: Any) -> None:
        # The span of a whitespace type is dropped by type: a token of it that is not
        # all whitespace (some lexers put "\\\n" or a comment there) keeps its own.
        super().format_unencoded(((_shown(ttype, value), value)
                                  for ttype, value in tokensource), outfile)

    def html(self, tokens: Iterable[tuple[_TokenType, str]]) -> str:
        """What ``pygments.highlight`` writes with this formatter, in fewer steps.

        Pygments escapes and splits each token by lines, then joins same-span neighbours
        line by line. The same bytes: a run of tokens with the same span (empty tokens
        left out) is escaped at once, its lines each wrapped in the span, empty ones
        bare; a last line without its newline gets one.
        """
        openers = self.span_element_openers
        out: list[str] = []
        run: list[str] = []
        span = ""
        for ttype, value in tokens:
            if not value:
                continue
            ttype = _shown(ttype, value)
            opener = openers.get(ttype)
            if opener is None:
                css = self._get_css_classes(ttype)
                opener = openers[ttype] = f'<span class="{css}">' if css else ""
            if opener != span:
                if run:
                    out.append(_wrapped(span, "".join(run)))
                    run = []
                span = opener
            run.append(value)
        if run:
            out.append(_wrapped(span, "".join(run)))
        html = "".join(out)
        return html if not html or html[-1] == "\n" else html + "\n"


def _shown(ttype: _TokenType, value: str) -> _TokenType:
    """The type a token is formatted as: Whitespace that is not all whitespace shows."""
    return _SHOWN if ttype is Token.Text.Whitespace and not value.isspace() else ttype


def _wrapped(span: str, text: str) -> str:
    text = escape(text, quote=False)
    if not span:
        return text
    if "\n" not in text:
        return f"{span}{text}</span>"
    return "\n".join(f"{span}{line}</span>" if line else "" for line in text.split("\n"))


_FORMATTER = _Formatter()


@cache
def _lexer(lang: str) -> Lexer | None:
    # get_lexer_by_name searches every lexer's aliases; a lexer is reusable across calls.
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


def highlight(code: str, lang: str, attrs: str) -> str:
    """A fenced code block: Pygments' spans when it knows the language."""
    lang = (lang or "").strip().lower()
    body = escape(code, quote=False)
    if lang:
        lexer = _lexer(lang)
        if lexer is not None:
            if hasattr(lexer, "xquery_parse_state"):
                # XQuery's lexer keeps a stack on its class: what one block left open
                # would change how the next is read. Each block starts from none.
                lexer.xquery_parse_state = []
            body = _FORMATTER.html(lexer.get_tokens(code))  # = pygments.highlight's
    cls = f' class="language-{escape(lang)}"' if lang else ""
    # tabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    return f'<pre class="highlight" tabindex="0"><code{cls}>{body}</code></pre>'
