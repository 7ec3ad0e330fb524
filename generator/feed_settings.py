"""site.yaml's ``feeds:`` -> FeedSettings: which feeds, in which formats, with what.

Two kinds of feed, with their own defaults (docs/publishing.md, "Feeds"):

* the site's and each language's feed: every format, full content, 20 entries.
  What most readers subscribe to, so it is worth the bytes;
* a tag's or a category's feed: one format (the first the site feed has: RSS unless
  turned off), summaries, 20 entries. Their entries are also in the language's feed
  in full; repeating every post's whole text in each of its tags' feeds, in three
  formats, made feeds two thirds of a big site's bytes;
* a collection's feed (``/posts/``, ``/notes/``): one format, full content, 20
  entries. A collection the main feeds leave out (notes) has no other feed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import closest, describe, one_of

FEED_KEYS = {"content", "limit", "rss", "atom", "json", "per_language", "per_tag",
             "per_collection", "main_languages", "main_collections"}
LIST_FEED_KEYS = {"formats", "content", "limit"}
FORMAT_NAMES = ("rss", "atom", "json")
CONTENTS = ("full", "summary")

Bad = Callable[..., None]
"""config._Reader.bad: (key, message, hint='', where=None)."""


@dataclass(frozen=True)
class ListFeeds:
    """The feeds of tag, category or collection pages."""

    formats: tuple[str, ...] | None = None
    """'rss', 'atom', 'json'; None: the first format the site feed has."""
    content: str = "summary"
    limit: int = 20
    """Entries per feed; 0 means all."""


@dataclass(frozen=True)
class FeedSettings:
    content: str = "full"
    """'full' or 'summary': what the site's and languages' feed entries carry."""
    limit: int = 20
    """Entries per site or language feed; 0 means all."""
    rss: bool = True
    atom: bool = True
    json: bool = True
    per_language: bool = True
    per_tag: bool = True
    per_collection: bool = True
    main_languages: str = "site"
    """'site': /feed.xml carries the site language; 'all': every language (per-language
    feeds under /<code>/ stay)."""
    main_collections: tuple[str, ...] | None = None
    """Dated collections /feed.xml carries; None: the home page's (``home_collections``)."""
    tags: ListFeeds = field(default_factory=ListFeeds)
    """Feeds of every taxonomy's terms (``per_tag: {...}``)."""
    collections: ListFeeds = field(default_factory=lambda: ListFeeds(content="full"))
    """Feeds of collections (``per_collection: {...}``)."""

    def main_formats(self) -> tuple[str, ...]:
        return tuple(name for name in FORMAT_NAMES if getattr(self, name))

    def list_formats(self, feeds: ListFeeds) -> tuple[str, ...]:
        if feeds.formats is not None:
            return feeds.formats
        return self.main_formats()[:1]


def read_feeds(raw: Any, bad: Bad) -> FeedSettings:
    """``feeds:`` as written (a mapping, or false), every problem reported through ``bad``."""
    if raw is False:
        return FeedSettings(rss=False, atom=False, json=False, per_tag=False,
                            per_collection=False)
    if not isinstance(raw, dict):
        bad("feeds", "'feeds' must be a mapping", "e.g. feeds: {content: summary, limit: 50}")
        return FeedSettings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in FEED_KEYS:
            bad(key, f"unknown feeds setting '{key}'", closest(str(key), FEED_KEYS)
                or one_of(FEED_KEYS), where=raw)
        elif key == "content" and value not in CONTENTS:
            bad(key, f"feeds.content must be full or summary, got {value!r}", where=raw)
        elif key == "limit" and not _count(value):
            bad(key, f"feeds.limit must be a whole number (0 = all), got {value!r}", where=raw)
        elif key == "main_languages" and value not in ("site", "all"):
            bad(key, f"feeds.main_languages must be site or all, got {value!r}",
                "all: /feed.xml carries every language, as many Jekyll sites' feeds did",
                where=raw)
        elif key == "main_collections":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                values[key] = tuple(value)  # names are checked with the collections
        elif key in ("per_tag", "per_collection") and isinstance(value, dict):
            values[key] = True
            kind = "tags" if key == "per_tag" else "collections"
            values[kind] = _list_feeds(key, value, getattr(FeedSettings(), kind), bad)
        elif key in ("per_tag", "per_collection") and not isinstance(value, bool):
            bad(key, f"feeds.{key} must be true, false or a mapping of formats, content "
                f"and limit, got {describe(value)}",
                f"e.g. {key}: {{formats: [rss, atom], content: full, limit: 10}}", where=raw)
        elif key not in ("content", "limit", "main_languages") and not isinstance(value, bool):
            bad(key, f"feeds.{key} must be true or false, got {value!r}", where=raw)
        else:
            values[key] = value
    return FeedSettings(**values)


def _list_feeds(name: str, raw: dict[Any, Any], default: ListFeeds, bad: Bad) -> ListFeeds:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in LIST_FEED_KEYS:
            bad(key, f"unknown feeds.{name} setting '{key}'",
                closest(str(key), LIST_FEED_KEYS) or one_of(LIST_FEED_KEYS), where=raw)
        elif key == "formats":
            wrong = [v for v in value if v not in FORMAT_NAMES] \
                if isinstance(value, list) else []
            if not isinstance(value, list) or not value:
                got = "an empty list" if value == [] else describe(value)
                bad(key, f"feeds.{name}.formats must be a list of rss, atom or json, "
                    f"got {got}",
                    f"e.g. formats: [rss]; '{name}: false' writes none", where=raw)
            elif wrong:
                bad(key, f"feeds.{name}.formats: unknown feed format {wrong[0]!r}",
                    closest(str(wrong[0]), FORMAT_NAMES) or one_of(FORMAT_NAMES), where=raw)
            else:
                values[key] = tuple(v for v in FORMAT_NAMES if v in value)
        elif key == "content" and value not in CONTENTS:
            bad(key, f"feeds.{name}.content must be full or summary, got {value!r}",
                where=raw)
        elif key == "limit" and not _count(value):
            bad(key, f"feeds.{name}.limit must be a whole number (0 = all), got {value!r}",
                where=raw)
        else:
            values[key] = value
    return replace(default, **values)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
