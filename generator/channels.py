"""Which feeds a site publishes: their formats, folders and entries.

The site stage checks links against these (a body may link to a feed) and the feed
stage renders them; both ask here, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .config import SiteConfig
from .feed_settings import ListFeeds
from .model import Page, Site
from .urls import lang_prefix


@dataclass(frozen=True)
class FeedFormat:
    name: str
    """The FeedSettings switch: 'rss', 'atom' or 'json'."""
    file: str
    mime: str
    label: str


FORMATS = (
    FeedFormat("rss", "feed.xml", "application/rss+xml", "RSS"),
    FeedFormat("atom", "atom.xml", "application/atom+xml", "Atom"),
    FeedFormat("json", "feed.json", "application/feed+json", "JSON Feed"),
)


@dataclass(frozen=True)
class FeedScope:
    """One set of entries published as up to three feeds in one folder."""

    base: str
    """Site-relative folder the feed files live in: '/', '/zh/', '/tags/x/', '/posts/'."""
    lang: str
    title: str
    link: str
    """Site-relative URL of the HTML page the feed follows."""
    entries: tuple[Page, ...]
    """Every dated entry, newest first (the limit is applied when rendering)."""
    formats: tuple[FeedFormat, ...] = ()
    """The files this scope publishes (site and language feeds: every enabled format;
    tag, category and collection feeds: their own setting)."""
    content: str = "full"
    """'full' or 'summary'."""
    limit: int = 20
    """Entries per feed; 0 means all."""

    @property
    def shown(self) -> tuple[Page, ...]:
        """The entries the feed files hold: the newest ``limit``."""
        return self.entries[:self.limit] if self.limit else self.entries

    def url(self, fmt: FeedFormat) -> str:
        return self.base + fmt.file


Kind = tuple[tuple[FeedFormat, ...], str, int]
"""A scope's formats, content and limit."""


_scope_cache: list[tuple[Site, tuple[FeedScope, ...]]] = []


def feed_scopes(site: Site) -> tuple[FeedScope, ...]:
    """Every feed the site publishes; seo.py links exactly these, so none dangles."""
    if _scope_cache and _scope_cache[0][0] is site:
        return _scope_cache[0][1]
    scopes = _feed_scopes(site)
    _scope_cache[:] = [(site, scopes)]
    return scopes


def enabled_formats(config: SiteConfig) -> tuple[FeedFormat, ...]:
    """The formats of the site's and each language's feed."""
    return tuple(f for f in FORMATS if getattr(config.feeds, f.name))


def _feed_scopes(site: Site) -> tuple[FeedScope, ...]:
    config, settings = site.config, site.config.feeds
    main = enabled_formats(config)
    terms, collections = _list_kind(config, settings.tags), _list_kind(config,
                                                                        settings.collections)
    by_lang: dict[str, list[Page]] = {}
    for page in site.pages:
        if is_entry(page):
            by_lang.setdefault(page.lang, []).append(page)
    langs = [config.language]
    if settings.per_language:
        langs += sorted(lang for lang in by_lang if lang != config.language)
    carried = settings.main_collections or config.listed_collections
    scopes: list[FeedScope] = []
    for lang in langs:
        entries = newest_first(by_lang.get(lang, ()))
        prefix = lang_prefix(config, lang)
        title = config.lang(lang).title or config.title
        if lang == config.language and settings.main_languages == "all":
            # One feed for every language, as the old site's feed was.
            listed = newest_first(p for pages in by_lang.values() for p in pages
                                  if p.collection in carried or p.collection == "tutorials")
        else:
            listed = tuple(p for p in entries if p.collection in carried
                           or p.collection == "tutorials")
        if listed and main:
            scopes.append(FeedScope(f"{prefix}/", lang, title, f"{prefix}/", listed, main,
                                    settings.content, settings.limit))
        if not entries:
            continue
        if settings.per_collection and collections[0]:
            scopes += _collection_scopes(site, lang, title, entries, collections)
        if settings.per_tag and terms[0]:
            for taxonomy in sorted(site.taxonomies):
                for term in site.taxonomies[taxonomy].get(lang, ()):
                    items = newest_first(p for p in term.pages if is_entry(p))
                    if items:
                        scopes.append(FeedScope(term.url, lang, f"{title} · {term.name}",
                                                term.url, items, *terms))
    return tuple(scopes)


def _list_kind(config: SiteConfig, feeds: ListFeeds) -> Kind:
    """Formats, content and limit of tag, category or collection feeds."""
    names = config.feeds.list_formats(feeds)
    return tuple(f for f in FORMATS if f.name in names), feeds.content, feeds.limit


def _collection_scopes(site: Site, lang: str, title: str, entries: tuple[Page, ...],
                       kind: Kind) -> list[FeedScope]:
    """A feed per collection: posts and tutorials under /posts/ and /tutorials/, and each
    collection site.yaml declares beside its list page (/notes/feed.xml)."""
    config = site.config
    prefix = lang_prefix(config, lang)
    series = site.tutorials.get(lang, ())
    links = {"posts": f"{prefix}/",
             "tutorials": series[0].index.url if len(series) == 1 else f"{prefix}/"}
    scopes = []
    for collection in ("posts", "tutorials"):
        items = tuple(p for p in entries if p.collection == collection)
        if items:
            scopes.append(FeedScope(f"{prefix}/{collection}/", lang,
                                    f"{title} · {collection.capitalize()}",
                                    links[collection], items, *kind))
    for declared in config.collections:
        items = tuple(p for p in entries if p.collection == declared.name)
        if items:
            url = prefix + declared.url
            scopes.append(FeedScope(url, lang, f"{title} · {declared.title_in(lang)}", url,
                                    items, *kind))
    return scopes


def is_entry(page: Page) -> bool:
    """Dated pages of a dated collection (posts, and those site.yaml declares) and tutorial
    parts; pages and series indexes are not news."""
    return (page.collection not in ("pages",) and not page.is_index
            and page.date is not None)


def newest_first(pages: Iterable[Page]) -> tuple[Page, ...]:
    """Each page once (one entry per feed, whatever led to it twice), newest first."""
    unique = {page.source: page for page in pages}
    return tuple(sorted(unique.values(), key=lambda p: (p.date, p.url), reverse=True))


def last_modified(page: Page) -> dt.datetime:
    """When a dated page last changed: its date, or its later `updated:`."""
    assert page.date is not None
    return max(page.date, page.updated) if page.updated else page.date
