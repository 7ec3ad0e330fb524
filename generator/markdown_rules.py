"""What Kith's Markdown HTML looks like, whichever renderer writes it.

Both renderers (``markdown_reference`` and ``markdown_fast``) import these rules; the
Markdown stage (``markdown``) chooses between the renderers. Nothing here imports
either renderer, so the pieces stay one-way: rules <- renderers <- stage.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from .model import Heading

MORE = "<!--more-->"
LINK_MARK = "kith:"
# Jekyll's raw markers: Kith does not run Liquid, so the content is already verbatim.
RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.S)
# Inline HTML that breaks a line (<br>, <br/>, <BR class="x">): in a page's plain text,
# a line break as a Markdown one is, so that the words on either side stay apart.
LINE_BREAK_TAG = re.compile(r"<br[\s/>]", re.I)
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
