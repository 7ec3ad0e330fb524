"""Fenced code -> HTML with Pygments' spans, as both Markdown renderers write it.

Apart from the rules (``markdown_rules``) so that what needs only those (the content
stage, a build with nothing to render) does not import Pygments.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from html import escape
from typing import Any

from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import Token, _TokenType
from pygments.util import ClassNotFound

from .lexing import accelerate

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
        """What ``pygments.highlight`` writes with this formatter, in fewer steps."""
        return self.html_of((0, ttype, value) for ttype, value in tokens)

    def html_of(self, tokens: Iterable[tuple[int, _TokenType, str]]) -> str:
        """``html`` of a lexer's unprocessed tokens (their index is not read).

        Pygments escapes and splits each token by lines, then joins same-span neighbours
        line by line. The same bytes: a run of tokens with the same span (empty tokens
        left out) is escaped at once, its lines each wrapped in the span, empty ones
        bare; a last line without its newline gets one.
        """
        openers = self.span_element_openers
        out: list[str] = []
        run: list[str] = []
        span = ""
        whitespace = Token.Text.Whitespace
        for _, ttype, value in tokens:
            if not value:
                continue
            if ttype is whitespace and not value.isspace():
                ttype = _SHOWN  # as _shown: this one's colour shows
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
        return accelerate(get_lexer_by_name(lang))
    except ClassNotFound:
        return None


def _unprocessed(lexer: Lexer, code: str) -> Iterable[tuple[int, _TokenType, str]]:
    """``lexer.get_tokens(code)`` with each token's index, without its generator around
    ``get_tokens_unprocessed`` (one step less a token) when the lexer has no filters
    and Pygments' own ``get_tokens``."""
    if (lexer.filters or type(lexer).get_tokens is not Lexer.get_tokens
            or not hasattr(lexer, "_preprocess_lexer_input")):
        return ((0, ttype, value) for ttype, value in lexer.get_tokens(code))
    return lexer.get_tokens_unprocessed(lexer._preprocess_lexer_input(code))


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
            body = _FORMATTER.html_of(_unprocessed(lexer, code))  # = pygments.highlight's
    cls = f' class="language-{escape(lang)}"' if lang else ""
    # tabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    return f'<pre class="highlight" tabindex="0"><code{cls}>{body}</code></pre>'
