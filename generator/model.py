"""The values stages hand each other. Frozen: stages return new values."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .config import SiteConfig


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Page:
    """One Markdown source: its front matter, and once rendered, its HTML."""

    source: str
    """Path relative to the site root, with '/' separators ('content/posts/x.md')."""
    collection: str
    """'posts', 'tutorials', 'pages', or a collection site.yaml declares (posts whose front
    matter matches it)."""
    title: str
    slug: str
    """Last URL segment; for translations, the shared slug."""
    lang: str
    """The site's language code for this page ('en', 'zh', 'hant')."""
    key: str
    """Translation-group key: pages sharing a key are translations of each other."""
    body: str
    """Markdown text, after front matter."""
    body_line: int = 1
    """Line in the source file where the body starts."""
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    summary: str | None = None
    """Summary from front matter (plain text)."""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    draft: bool = False
    layout: str | None = None
    permalink: str | None = None
    series: str | None = None
    """Tutorial series folder name; None outside tutorials."""
    order: int | None = None
    """Position within a tutorial series."""
    is_index: bool = False
    """A series index (`_index.md`) or section index page."""
    name: str = ""
    """The file name's slug after the date, language suffix kept (Jekyll's :title)."""
    path: str = ""
    """Content-relative path without extension or language suffix ('about', 'docs/x')."""
    lines: Mapping[str, int] = field(default_factory=dict)
    """Line of each front matter key in the source, for error messages."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Front matter keys Kith does not know; templates read them as page.extra.NAME."""
    markdown: str = ""
    """The site's Markdown options (``MarkdownSettings.options``): part of what renders
    the body, so part of the Markdown result's cache key."""
    # Filled in by later stages:
    url: str = ""
    """Site-relative URL path ('/posts/x/'), before the base path is added."""
    output: str = ""
    """Output file path relative to the output folder ('posts/x/index.html')."""
    html: str = ""
    toc: tuple[Heading, ...] = ()
    summary_html: str = ""
    text: str = ""
    """Plain text of the body, for search, outreach matching and descriptions."""
    words: int = 0
    reading_minutes: int = 1
    lead: str | None = None
    """``lead_of(text)``, kept apart so that a list showing the page's description
    neither loads nor depends on its whole text (None: taken from ``text``)."""

    @property
    def description(self) -> str:
        """One plain-text paragraph describing the page: its summary, or its text (above
        <!--more-->, where it has one) cut to 200 characters."""
        if self.summary:
            return self.summary
        lead = self.lead
        return lead_of(self.text) if lead is None else lead


def lead_of(text: str) -> str:
    """A page's plain text above <!--more--> (all of it without one), cut to 200
    characters: its description when it has no summary."""
    return _shorten(text.split(MORE_TEXT, 1)[0], 200)


MORE_TEXT = "\x00"
"""In a page's plain text, a line of its own where <!--more--> was. No text holds it
otherwise: the Markdown parsers replace a NUL in the source with U+FFFD."""


def _shorten(text: str, limit: int) -> str:
    text = _squeezed_head(text, limit + 1)
    if len(text) <= limit:
        return text
    head = text[:_cluster_start(text, limit)]
    cut = head.rsplit(" ", 1)[0]
    cut = cut if len(cut) > limit // 2 else head
    # A cut after the writer's own ellipsis ("……", "...") takes no second one.
    return cut if cut.endswith(("…", "...")) else cut + "…"


def _squeezed_head(text: str, least: int) -> str:
    """``" ".join(text.split())``, or a prefix of it at least ``least`` long.

    The squeeze of a prefix of ``text`` is a prefix of the squeeze of all of it, and
    ``_shorten`` reads no further than ``least`` characters of it: a long post's whole
    text need not be split to describe it (a third of a millisecond a post)."""
    end = 4 * least
    while True:
        head = " ".join(text[:end].split())
        if len(head) >= least or end >= len(text):
            return head
        end *= 4


def _cluster_start(text: str, i: int) -> int:
    """``i``, or where the character cluster that goes on past ``i`` starts: a cut there
    left half an emoji (a family's ZWJ sequence, a flag's pair, a skin tone), a letter
    without its marks, or a Devanagari conjunct's dangling virama."""
    start = i
    while i > 0:
        c, before = text[i], text[i - 1]
        if not (unicodedata.category(c)[0] == "M" or "\u200d" in (c, before)
                or "\U0001f3fb" <= c <= "\U0001f3ff" or "\U000e0020" <= c <= "\U000e007f"
                or unicodedata.combining(before) == 9  # a virama joins the next consonant
                or (_regional(c) and _regional(before)
                    and _regional_run(text, i) % 2 == 1)):
            return i
        i -= 1
    return start


def _regional(c: str) -> bool:
    return "\U0001f1e6" <= c <= "\U0001f1ff"


def _regional_run(text: str, i: int) -> int:
    """How many regional indicators (flag halves) come just before ``i``."""
    n = 0
    while i - n > 0 and _regional(text[i - n - 1]):
        n += 1
    return n


MARKDOWN_FIELDS = ("html", "toc", "summary_html", "text", "words", "reading_minutes", "lead")
"""Page fields that come from rendering its Markdown body."""
LIGHT_FIELDS = ("toc", "summary_html", "words", "reading_minutes", "lead")
"""The small ones: what a list shows of a page (its description, summary, reading time)
and its table of contents. Stored apart from the rest, so that a list rendered again
loads them alone (``Deferred``)."""


def markdown_fields(rendered: Any) -> dict[str, Any]:
    """A Markdown result's MARKDOWN_FIELDS, as a page's field values."""
    return {name: getattr(rendered, name) for name in MARKDOWN_FIELDS}


class Deferred:
    """Stands for all of a page's MARKDOWN_FIELDS until one is read (then ``fill`` them).

    A warm build of a big site needs the HTML of only the pages it renders again;
    loading all of it would be most of the build's time and memory. A read of one of
    the LIGHT_FIELDS loads those alone, where ``fetch_light`` has them: a list rendered
    again reads them for each page on it. ``marks`` are the body's ``(attr, line,
    href)`` link markers and ``placed`` the lines of its unmarked links, so the site
    stage can check links without the HTML or the body; it sets ``fix`` to resolve them
    once the HTML is loaded.
    """

    __slots__ = ("fetch", "fetch_light", "fix", "marks", "placed")

    HEAVY = ("html", "text")
    """The fields that are most of a result's size."""
    filled: list[tuple[dict[str, Any], Deferred]] | None = None
    """When a list (in a render worker), fills are noted, for ``release``."""

    def __init__(self, fetch: Any, marks: tuple[tuple[str, str, str], ...],
                 placed: dict[str, list[int]], fetch_light: Any = None) -> None:
        self.fetch = fetch
        """() -> an object with the MARKDOWN_FIELDS as attributes."""
        self.fetch_light = fetch_light
        """() -> the values of the LIGHT_FIELDS, or None (not stored apart)."""
        self.marks = marks
        self.placed = placed
        """The file lines of each unmarked link (line '0') among ``marks``."""
        self.fix: Any = None
        """(html) -> html with link markers resolved, or None."""

    def fill(self, fields: dict[str, Any], name: str) -> None:
        """Fill the fields this stands for, read as ``name``: only the light ones when
        ``name`` is one."""
        light = (self.fetch_light() if name in LIGHT_FIELDS and self.fetch_light is not None
                 else None)
        if light is not None:
            values = dict(zip(LIGHT_FIELDS, light, strict=True))
            if self.fix is not None:
                values["summary_html"] = self.fix(values["summary_html"])
            fields.update((k, v) for k, v in values.items() if fields.get(k) is self)
            return  # the heavy fields stay deferred, and need no release
        values = markdown_fields(self.fetch())
        if self.fix is not None:
            values["html"] = self.fix(values["html"])
            values["summary_html"] = self.fix(values["summary_html"])
        # Only what is still deferred: a copy of the page may have set some already.
        fields.update((k, v) for k, v in values.items() if fields.get(k) is self)
        if Deferred.filled is not None:
            Deferred.filled.append((fields, self))

    @staticmethod
    def release() -> None:
        """Defer the HEAVY fields filled since the last call again, so that a worker
        rendering thousands of pages holds the HTML of one unit at a time. The small
        fields stay (lists read them again and again)."""
        for fields, lazy in Deferred.filled or ():
            for name in Deferred.HEAVY:
                fields[name] = lazy
        if Deferred.filled is not None:
            Deferred.filled.clear()

    def __reduce__(self) -> Any:
        raise TypeError("a page with deferred Markdown fields cannot be pickled")


@dataclass(frozen=True)
class Term:
    """A tag or category value and the pages that carry it."""

    taxonomy: str
    name: str
    slug: str
    lang: str
    url: str
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class Series:
    """A tutorial series: its index page (maybe synthesized) and ordered parts."""

    name: str
    lang: str
    index: Page
    parts: tuple[Page, ...]


@dataclass(frozen=True)
class Site:
    """The whole site, assembled before any template renders."""

    config: SiteConfig
    pages: tuple[Page, ...]
    """Every published page, sorted by source path."""
    posts: Mapping[str, tuple[Page, ...]]
    """Posts per language code, newest first."""
    tutorials: Mapping[str, tuple[Series, ...]]
    """Tutorial series per language code."""
    taxonomies: Mapping[str, Mapping[str, tuple[Term, ...]]]
    """taxonomy -> language -> terms sorted by name."""
    translations: Mapping[str, tuple[Page, ...]]
    """key -> every language version of that page, site language first."""
    statics: tuple[str, ...] = ()
    """Content files copied as-is, relative to content/."""
    collections: Mapping[str, Mapping[str, tuple[Page, ...]]] = field(default_factory=dict)
    """Each declared collection's pages per language code, newest first."""
    links: Mapping[str, str] = field(default_factory=dict)
    """Source -> the URLs its relative links resolved to (pages that have such links):
    part of what its HTML is, besides its own source."""

    def translations_of(self, page: Page) -> tuple[Page, ...]:
        """The other language versions of ``page`` (not including itself)."""
        group = self.translations.get(translation_key(page), ())
        return tuple(p for p in group if p.source != page.source)


def translation_key(page: Page) -> str:
    """Pages with the same key are translations. Collections site.yaml declares take
    posts, so a post and its translation stay linked when only one of them is in one
    (a ``type: note`` the translation dropped)."""
    family = page.collection if page.collection in ("tutorials", "pages") else "posts"
    return f"{family}:{page.key}"


@dataclass(frozen=True)
class OutputFile:
    """One file of the public site: bytes to write, or a source file to copy."""

    path: str
    """Relative to the output folder, '/' separators."""
    data: bytes | None = None
    copy_from: str | None = None
    """Absolute path of a file to copy instead of ``data``."""
    origin: str = ""
    """Source that produced it, for 'two inputs write one path' errors."""
