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
from .model import MORE_TEXT, Heading, lead_of

__all__ = ["LINK_MARK", "MarkdownError", "PageError", "Rendered", "count_words",
           "render_fast", "render_markdown", "render_markdown_reference"]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
                  r"\uff66-\uff9f\U00020000-\U0003134f]")  # + half-width kana, extensions B-G
# A word is a run of letters and digits, joined by ' ’ or - ([^\W_]+(?:['’-][^\W_]+)*);
# each CJK character counts as one. They are counted without a regex match per word:
# letters and digits become "a", ' and - (and ’) "-", the rest " " (UTF-8's non-ASCII
# bytes too, once other letters and digits are "a"). A word starts at an "a" after a
# space, or after a "-" that does not join it to a previous word (one after a space or
# another "-").
_MARKS = (  # the BMP's combining marks (category M; Unicode 14, Python 3.11's unicodedata)
    "0300-036f 0483-0489 0591-05bd 05bf 05c1-05c2 05c4-05c5 05c7 0610-061a 064b-065f 0670 "
    "06d6-06dc 06df-06e4 06e7-06e8 06ea-06ed 0711 0730-074a 07a6-07b0 07eb-07f3 07fd "
    "0816-0819 081b-0823 0825-0827 0829-082d 0859-085b 0898-089f 08ca-08e1 08e3-0903 "
    "093a-093c 093e-094f 0951-0957 0962-0963 0981-0983 09bc 09be-09c4 09c7-09c8 09cb-09cd "
    "09d7 09e2-09e3 09fe 0a01-0a03 0a3c 0a3e-0a42 0a47-0a48 0a4b-0a4d 0a51 0a70-0a71 0a75 "
    "0a81-0a83 0abc 0abe-0ac5 0ac7-0ac9 0acb-0acd 0ae2-0ae3 0afa-0aff 0b01-0b03 0b3c "
    "0b3e-0b44 0b47-0b48 0b4b-0b4d 0b55-0b57 0b62-0b63 0b82 0bbe-0bc2 0bc6-0bc8 0bca-0bcd "
    "0bd7 0c00-0c04 0c3c 0c3e-0c44 0c46-0c48 0c4a-0c4d 0c55-0c56 0c62-0c63 0c81-0c83 0cbc "
    "0cbe-0cc4 0cc6-0cc8 0cca-0ccd 0cd5-0cd6 0ce2-0ce3 0d00-0d03 0d3b-0d3c 0d3e-0d44 "
    "0d46-0d48 0d4a-0d4d 0d57 0d62-0d63 0d81-0d83 0dca 0dcf-0dd4 0dd6 0dd8-0ddf 0df2-0df3 "
    "0e31 0e34-0e3a 0e47-0e4e 0eb1 0eb4-0ebc 0ec8-0ecd 0f18-0f19 0f35 0f37 0f39 0f3e-0f3f "
    "0f71-0f84 0f86-0f87 0f8d-0f97 0f99-0fbc 0fc6 102b-103e 1056-1059 105e-1060 1062-1064 "
    "1067-106d 1071-1074 1082-108d 108f 109a-109d 135d-135f 1712-1715 1732-1734 1752-1753 "
    "1772-1773 17b4-17d3 17dd 180b-180d 180f 1885-1886 18a9 1920-192b 1930-193b 1a17-1a1b "
    "1a55-1a5e 1a60-1a7c 1a7f 1ab0-1ace 1b00-1b04 1b34-1b44 1b6b-1b73 1b80-1b82 1ba1-1bad "
    "1be6-1bf3 1c24-1c37 1cd0-1cd2 1cd4-1ce8 1ced 1cf4 1cf7-1cf9 1dc0-1dff 20d0-20f0 "
    "2cef-2cf1 2d7f 2de0-2dff 302a-302f 3099-309a a66f-a672 a674-a67d a69e-a69f a6f0-a6f1 "
    "a802 a806 a80b a823-a827 a82c a880-a881 a8b4-a8c5 a8e0-a8f1 a8ff a926-a92d a947-a953 "
    "a980-a983 a9b3-a9c0 a9e5 aa29-aa36 aa43 aa4c-aa4d aa7b-aa7d aab0 aab2-aab4 aab7-aab8 "
    "aabe-aabf aac1 aaeb-aaef aaf5-aaf6 abe3-abea abec-abed fb1e fe00-fe0f fe20-fe2f "
)
# A letter with the combining marks after it (one at a time: "+" was slower). A mark is
# not \w: Devanagari's vowel signs and virama, Arabic's harakat split "हिन्दी" into three
# words and "مَرْحَبًا" into five, and a Hindi post read twice as long as its English twin.
# Marks after anything else stay apart (a variation selector after an emoji is no word).
_OTHER_WORD_CHAR = re.compile(r"[^\x00-\x7f\W_][" + "".join(
    "-".join(chr(int(end, 16)) for end in span.split("-")) for span in _MARKS.split()) + "]*")
# Zero-width (non-)joiners sit inside words (Persian, Indic scripts): they join as ' does.
_JOINERS = str.maketrans({"\u200c": "'", "\u200d": "'"})
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
    lead: str
    """``model.lead_of(text)``: the description of a page without a summary."""


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
    return _finish(parts, *_summary(body, first_line, options, parts.html,
                                     (markdown_fast.render, markdown_reference.render)))


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
    return _finish(parts, *_summary(body, first_line, options, parts.html, renderers))


def _first(renderers: tuple[Renderer, ...], body: str, first_line: int,
           options: str) -> Parts:
    for renderer in renderers:
        parts = renderer(body, first_line, options)
        if parts is not None:
            return parts
    raise AssertionError("the reference renderer always answers")


def _summary(body: str, first_line: int, options: str, html: str,
             renderers: tuple[Renderer, ...]) -> tuple[str, str | None]:
    """The HTML above <!--more-->, rendered on its own, and its plain text; or else the
    first paragraph (and None)."""
    if "<" in body and MORE in body:
        head = _first(renderers, body.split(MORE, 1)[0], first_line, options)
        return head.html, head.text
    match = FIRST_PARAGRAPH.search(html)
    return (match.group(0) if match else ""), None


def _finish(parts: Parts, summary_html: str, head: str | None = None) -> Rendered:
    text = parts.text
    words, cjk = _counts(text)
    minutes = max(1, math.ceil((words - cjk) / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE))
    if head and text.startswith(head) and text[len(head):len(head) + 1] in ("", "\n"):
        # Where <!--more--> was, between two lines: the description stops there.
        text = f"{head}\n{MORE_TEXT}{text[len(head):]}"
    return Rendered(html=parts.html, toc=parts.toc, summary_html=summary_html, text=text,
                    words=words, reading_minutes=minutes, lead=lead_of(text))


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
    rest = rest.replace("’", "'")
    if "\u200c" in rest or "\u200d" in rest:
        rest = rest.translate(_JOINERS)
    rest = _OTHER_WORD_CHAR.sub("a", rest)
    return _class_words(rest.encode("utf-8", "surrogatepass")) + cjk, cjk


def _ascii_words(text: str) -> int:
    return _class_words(text.encode())


def _class_words(data: bytes) -> int:
    classes = b" " + data.translate(_ASCII_CLASSES)
    return classes.count(b" a") + classes.count(b"--a") + classes.count(b" -a")
