"""Page body (Markdown) -> HTML, table of contents, summary, plain text.

Pure and per-file, so results can be cached by content hash and run in parallel.
Links whose target depends on the whole site (relative links to other sources
and files) are left as ``kith:LINE:PATH`` markers; the site stage resolves them.

Two renderers give the same bytes: ``markdown_reference`` (markdown-it-py and its
plugins) takes every page, ``markdown_fast`` (markdown-it-pyrs's tree, rendered in
Python) only pages it is proven to reproduce, and says None to the rest. This stage
chooses; KITH_MARKDOWN=reference sends every page to the reference, and bodies over
a megabyte go to ``markdown_sections`` (the reference, a section at a time).

To add syntax or a setting (like math as MathML, the typographer): change the
reference (``markdown_reference.new_parser`` and its render rules; settings arrive
as the ``options`` string), and make the fast renderer decline what it does not
reproduce yet (``markdown_screens``, or its tree walk); tests/test_markdown_fuzz.py
then checks the two still agree.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from .errors import KithError, Problem
from .markdown_rules import (
    FIRST_PARAGRAPH,
    LINK_MARK,
    MORE,
    RAW,
    MarkdownError,
    Parts,
)
from .model import Heading

__all__ = ["LINK_MARK", "MarkdownError", "PageError", "Rendered", "count_words",
           "render_fast", "render_markdown", "render_markdown_reference"]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# A word is a run of letters and digits, joined by ' ’ or - ([^\W_]+(?:['’-][^\W_]+)*);
# each CJK character counts as one. They are counted without a regex match per word:
# letters and digits become "a", ' and - (and ’) "-", the rest " " (UTF-8's non-ASCII
# bytes too, once other letters and digits are "a"). A word starts at an "a" after a
# space, or after a "-" that does not join it to a previous word (one after a space or
# another "-").
_OTHER_WORD_CHAR = re.compile(r"[^\x00-\x7f\W_]")  # (one at a time: "+" was slower)
_ASCII_CLASSES = bytes(
    ord("a") if chr(i).isascii() and chr(i).isalnum() else ord("-") if chr(i) in "'-"
    else ord(" ") for i in range(256))

WORDS_PER_MINUTE = 230
CJK_CHARS_PER_MINUTE = 400

Renderer = Callable[[str, int, str], Parts | None]
"""(body, first line, options) -> Parts, or None where the renderer declines."""


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[Heading, ...]
    summary_html: str
    text: str
    words: int
    reading_minutes: int


class PageError(KithError):
    """A MarkdownError with the page's file: what the CLI reports (``path:line: ...``)."""

    def __reduce__(self) -> tuple[type[PageError], tuple[list[Problem]]]:
        return PageError, (self.problems,)  # raised in worker processes too


def render_markdown(body: str, first_line: int = 1, options: str = "",
                    source: str = "") -> Rendered:
    """Render one page body; ``first_line`` is the body's line in its file, ``options``
    the site's Markdown settings (``MarkdownSettings.options``: 'typographer mathjax').

    A body that cannot be rendered raises MarkdownError, or with ``source`` (the
    page's path) PageError.
    """
    markdown_fast, markdown_reference, markdown_sections = load_renderers()
    renderers: tuple[Renderer, ...] = (markdown_reference.render,)
    if len(body) > markdown_sections.LONG:
        renderers = (markdown_sections.render,)  # the same bytes, a section at a time
    elif os.environ.get("KITH_MARKDOWN") != "reference":
        renderers = (markdown_fast.render, *renderers)
    try:
        return _render(body, first_line, options, renderers)
    except MarkdownError as exc:
        if not source:
            raise
        raise PageError([Problem(source, exc.line, exc.message, exc.hint)]) from None


def render_markdown_reference(body: str, first_line: int = 1, options: str = "") -> Rendered:
    """The reference renderer alone (what KITH_MARKDOWN=reference chooses)."""
    return _render(body, first_line, options, (load_renderers()[1].render,))


def render_fast(body: str, first_line: int = 1, options: str = "") -> Rendered | None:
    """The fast renderer alone, or None where it declines the body (tests, benchmarks)."""
    markdown_fast, markdown_reference, _ = load_renderers()
    body = RAW.sub("", body)
    parts = markdown_fast.render(body, first_line, options)
    if parts is None:
        return None
    summary_html = _summary(body, first_line, options, parts.html,
                            (markdown_fast.render, markdown_reference.render))
    return _finish(parts, summary_html)


def load_renderers() -> tuple[ModuleType, ModuleType, ModuleType]:
    """The renderers' modules: fast, reference, sections. Imported on first use, not
    with this module: a build that renders no Markdown (nothing changed) needs neither
    markdown-it nor Pygments, and their imports were a quarter of its time. A parent
    process calls this before forking workers, so that they share the imports."""
    from . import markdown_fast, markdown_reference, markdown_sections
    return markdown_fast, markdown_reference, markdown_sections


def _render(body: str, first_line: int, options: str,
            renderers: tuple[Renderer, ...]) -> Rendered:
    body = RAW.sub("", body)
    parts = _first(renderers, body, first_line, options)
    return _finish(parts, _summary(body, first_line, options, parts.html, renderers))


def _first(renderers: tuple[Renderer, ...], body: str, first_line: int,
           options: str) -> Parts:
    for renderer in renderers:
        parts = renderer(body, first_line, options)
        if parts is not None:
            return parts
    raise AssertionError("the reference renderer always answers")


def _summary(body: str, first_line: int, options: str, html: str,
             renderers: tuple[Renderer, ...]) -> str:
    """The text above <!--more-->, rendered on its own, or else the first paragraph."""
    if "<" in body and MORE in body:
        return _first(renderers, body.split(MORE, 1)[0], first_line, options).html
    match = FIRST_PARAGRAPH.search(html)
    return match.group(0) if match else ""


def _finish(parts: Parts, summary_html: str) -> Rendered:
    words, cjk = _counts(parts.text)
    minutes = max(1, math.ceil((words - cjk) / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE))
    return Rendered(html=parts.html, toc=parts.toc, summary_html=summary_html, text=parts.text,
                    words=words, reading_minutes=minutes)


def count_words(text: str) -> int:
    """Latin-script words plus CJK characters (each one reads like a word)."""
    return _counts(text)[0]


def _counts(text: str) -> tuple[int, int]:
    """(words as count_words counts them, CJK characters among them)."""
    if text.isascii():
        return _ascii_words(text), 0
    # CJK characters counted (and made spaces), other letters and digits made "a", ’ an
    # apostrophe: what is left counts as ASCII text does (one pass per regex, where
    # findall made an object per word). surrogatepass: an entity may decode to one.
    rest, cjk = _CJK.subn(" ", text)
    rest = _OTHER_WORD_CHAR.sub("a", rest.replace("’", "'"))
    return _class_words(rest.encode("utf-8", "surrogatepass")) + cjk, cjk


def _ascii_words(text: str) -> int:
    return _class_words(text.encode())


def _class_words(data: bytes) -> int:
    classes = b" " + data.translate(_ASCII_CLASSES)
    return classes.count(b" a") + classes.count(b"--a") + classes.count(b" -a")
