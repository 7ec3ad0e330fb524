"""Sources -> published pages with their Markdown results, then the assembled site.

Parse and Markdown results come from this process's memory (a long-lived builder),
else from the content store (``.cache/content.sqlite``), else they are made now, on
all cores when there are many. A one-shot build with a warm cache reads one small
row per source (its *brief*: the parsed page without its body, its problems, its
Markdown key and that result's facts) and loads a page's Markdown fields only when
one is read (``model.Deferred``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from . import cache as store
from .cache import ContentCache, LazyBody, brief_key, facts_key, facts_of, track
from .config import SiteConfig
from .errors import Problem
from .markdown import Rendered, load_renderers, render_markdown
from .model import MARKDOWN_FIELDS, Deferred, Page, Site, markdown_fields
from .pool import Parsed, Pool, markdown_many, parse_many, parse_sources, read_many
from .scan import Scan
from .selection import Skipped, left_out
from .site import Listing, assemble_site

Select = Callable[[list[Page]], tuple[list[Page], tuple[Skipped, ...]]]


@dataclass(frozen=True)
class Assembled:
    """A site ready to render: what both the public build and outreach start from."""

    config: SiteConfig
    site: Site
    listings: tuple[Listing, ...]
    skipped: tuple[Skipped, ...]
    problems: tuple[Problem, ...]


@dataclass
class Loaded:
    """The assembled site, and what a rebuild needs to know of how it was made."""

    assembled: Assembled
    digests: dict[str, str]
    keys: set[str]
    """Every store key the current sources use (the rest may be dropped)."""
    next_change: float | None
    """When the next future-dated page comes due (POSIX), if any."""
    pkeys: dict[str, str] = field(default_factory=dict)
    """Source -> cache key of its parse result."""
    mkeys: dict[str, str] = field(default_factory=dict)
    """Published source -> cache key of its Markdown result."""
    parse_problems: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    link_problems: dict[str, list[Problem]] = field(default_factory=dict)
    shapes: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    """Published source -> its parsed page's structure and title."""
    facts: dict[str, Any] = field(default_factory=dict)
    """Published source -> its Markdown result's Facts."""


class Sources:
    """The parse and Markdown results of one site's sources."""

    def __init__(self, store: ContentCache, pool: Pool, keep_memo: bool, use_cache: bool,
                 lap: Callable[[str], None]) -> None:
        self.store = store
        self.use_cache = use_cache
        self.pool = pool
        self.keep_memo = keep_memo
        """Keep results in memory between builds (kith serve)."""
        self.lap = lap
        self.memo: dict[str, Any] = {}
        """Results already loaded in this process, by cache key."""
        self.mkeys: dict[str, str] = {}
        """Parse key -> Markdown key (computing one needs the body)."""

    @property
    def deferred(self) -> bool:
        """Whether pages' Markdown fields are loaded only when read (one-shot builds)."""
        return not self.keep_memo and self.use_cache

    def load(self, config: SiteConfig, scan: Scan, select: Select) -> Loaded:
        """Sources -> pages (cached parse), select, Markdown (cached), assemble."""
        settings = store.parse_settings(config)
        pkeys = {s: store.parse_key(s, d, settings) for s, d in scan.sources.items()}
        briefs: dict[str, Any] = self.cached(brief_key(k) for k in pkeys.values()) \
            if self.deferred else {}
        parsed = self.cached(k for k in pkeys.values() if brief_key(k) not in briefs)
        misses = [s for s, k in pkeys.items() if k not in parsed and brief_key(k) not in briefs]
        if misses and self.deferred:
            misses = self._read_new(config, scan, pkeys, misses, briefs)
        if misses:
            self._parse_rest(config, scan, pkeys, misses, parsed, settings)
        scan.raw.clear()  # read once, parsed: no longer needed
        pages, problems, parse_problems, facts = self._gather(scan, pkeys, briefs, parsed)
        published, skipped = select(pages)
        waiting = {s.source for s in skipped if s.reason.startswith("future")}
        due = [p.date.timestamp() for p in pages if p.date is not None and p.source in waiting]
        mkeys = [self.markdown_key(pkeys[p.source], p) for p in published]
        rendered = self._render_missing(mkeys, published, facts)
        if self.deferred:
            self._save_briefs(scan, pkeys, briefs, parsed, facts)
        ready = self._ready(config, pkeys, mkeys, published, rendered, facts)
        live = self._forget_others(pkeys, mkeys)
        if not self.keep_memo:
            del parsed, rendered
        shapes = ({p.source: (store.structure(p), p.title) for p in published}
                  if self.keep_memo else {})
        link_problems: dict[str, list[Problem]] = {}
        site, listings, found = assemble_site(config, ready, scan.statics, link_problems,
                                              left_out(skipped))
        return Loaded(Assembled(config, site, listings, skipped, (*problems, *found)),
                      scan.sources, live, min(due) if due else None, pkeys,
                      {p.source: k for p, k in zip(published, mkeys, strict=True)},
                      parse_problems, link_problems, shapes,
                      {p.source: facts[facts_key(k)] for p, k in zip(published, mkeys,
                                                                      strict=True)})

    def _read_new(self, config: SiteConfig, scan: Scan, pkeys: dict[str, str],
                  misses: list[str], briefs: dict[str, Any]) -> list[str]:
        """Workers read, parse and render each new source in one go and store the rows:
        no body and no HTML passes through (or stays in) this process. Returns the
        sources still to parse (changed since the scan)."""
        scan.raw.clear()
        self.lap("load cache")

        def briefed(offset: int, results: list[Any]) -> None:
            for source, result in zip(misses[offset:], results, strict=False):
                if result is None:
                    continue  # changed since the scan: parsed later, from its bytes
                pkey = pkeys[source]
                brief, rows = result
                for key, blob in rows:
                    self.store.put_packed(key, blob)
                briefs[brief_key(pkey)] = brief
                self.store.put(brief_key(pkey), brief)

        load_renderers()  # imported before the workers fork, not once in each
        self.pool.map(read_many, [(s, scan.sources[s]) for s in misses], "Markdown",
                      each=briefed, config=config)
        self.lap("markdown")
        self.store.flush()
        return [s for s in misses if brief_key(pkeys[s]) not in briefs]

    def _parse_rest(self, config: SiteConfig, scan: Scan, pkeys: dict[str, str],
                    misses: list[str], parsed: dict[str, Any], settings: str) -> None:
        items = []
        for source in misses:
            data = scan.raw.get(source)
            if data is None:
                data = (config.root / source).read_bytes()
                found = store.digest(data)
                if found != scan.sources[source]:
                    # Changed since the scan: build what is there now, under its own
                    # digest, and make sure the next build does not take this as done.
                    scan.sources[source] = found
                    scan.trusted.pop(source, None)
                    scan.inputs = ""
                    pkeys[source] = store.parse_key(source, found, settings)
            items.append((source, data))
        self.lap("load cache")
        results = self.pool.map(parse_many, items, "reading", config=config)
        self.lap("parse")
        for source, result in zip(misses, results, strict=True):
            parsed[pkeys[source]] = result
            self.remember(pkeys[source], result)
        self.store.flush()

    def _gather(self, scan: Scan, pkeys: dict[str, str], briefs: dict[str, Any],
                parsed: dict[str, Any]) -> tuple[list[Page], list[Problem],
                                                 dict[str, tuple[Problem, ...]], dict[str, Any]]:
        """Pages and problems in the scan's order; the facts the briefs already know."""
        pages: list[Page] = []
        problems: list[Problem] = list(scan.problems)
        parse_problems: dict[str, tuple[Problem, ...]] = {}
        known_facts: dict[str, Any] = {}
        for source in scan.sources:
            brief = briefs.get(brief_key(pkeys[source]))
            if brief is not None:
                page, found, mkey, facts = brief
                if page is not None:
                    self.mkeys[pkeys[source]] = mkey
                    if facts is not None:  # None: not rendered yet (a draft)
                        known_facts[facts_key(mkey)] = facts
            else:
                page, found = parsed[pkeys[source]]
            problems.extend(found)
            if found:
                parse_problems[source] = found
            if page is not None:
                pages.append(page)
        return pages, problems, parse_problems, known_facts

    def _render_missing(self, mkeys: list[str], published: list[Page],
                        facts: dict[str, Any]) -> dict[str, Any]:
        """Markdown for pages whose result (or its facts) is not stored yet; what Deferred
        needs up front is each result's facts (link markers...)."""
        deferred = self.deferred
        if len(facts) < len(mkeys):
            facts.update(self.cached(facts_key(k) for k in mkeys if facts_key(k) not in facts))
        rendered: dict[str, Any] = {} if deferred else self.cached(mkeys)
        todo = [(k, p) for k, p in zip(mkeys, published, strict=True)
                if facts_key(k) not in facts or not (deferred or k in rendered)]

        def done(offset: int, results: list[Any]) -> None:
            for (key, page), result in zip(todo[offset:], results, strict=False):
                if deferred:  # the worker packed it: it stays in the store until read
                    facts[facts_key(key)], rows = result
                else:
                    facts[facts_key(key)] = facts_of(result, page.body, page.body_line)
                    rows = store.result_rows(key, result, facts[facts_key(key)])
                    rendered[key] = self.memo[key] = result
                for row_key, blob in rows:
                    self.store.put_packed(row_key, blob)

        if todo:
            self.lap("load cache")
            load_renderers()  # imported before the workers fork, not once in each
            self.pool.map(markdown_many,
                          [(p.body, p.body_line, p.markdown, p.source, k) for k, p in todo],
                          "Markdown", each=done, pack=deferred)
            self.lap("markdown")
            self.store.flush()
        return rendered

    def _save_briefs(self, scan: Scan, pkeys: dict[str, str], briefs: dict[str, Any],
                     parsed: dict[str, Any], facts: dict[str, Any]) -> None:
        for source in scan.sources:
            pkey = pkeys[source]
            if brief_key(pkey) not in briefs:
                page, found = parsed[pkey]
                mkey = self.markdown_key(pkey, page) if page is not None else ""
                self.store.put(brief_key(pkey), (
                    store.without_body(page) if page is not None else None, found, mkey,
                    facts.get(facts_key(mkey)) if page is not None else None))
        self.store.flush()

    def _ready(self, config: SiteConfig, pkeys: dict[str, str], mkeys: list[str],
               published: list[Page], rendered: dict[str, Any], facts: dict[str, Any]
               ) -> list[Page]:
        """Published pages as the site stage gets them: tracked, with their Markdown
        fields (or Deferred stand-ins), and (one-shot builds) their bodies let go."""
        ready = []
        for key, page in zip(mkeys, published, strict=True):
            tracked = track(page)
            if not self.keep_memo:
                tracked.__dict__["body"] = LazyBody(partial(self.body, config, page.source,
                                                            pkeys[page.source]))
            result: Rendered | None = rendered.get(key)
            if result is None:
                fetch = partial(self.rendered, config, key, page.source, pkeys[page.source],
                                page.body_line)
                known = facts[facts_key(key)]
                tracked.__dict__.update(dict.fromkeys(
                    MARKDOWN_FIELDS, Deferred(fetch, marks=known[0], placed=known[4],
                                              fetch_light=partial(self.light, key))))
            else:
                tracked.__dict__.update(markdown_fields(result))
            ready.append(tracked)
        return ready

    def _forget_others(self, pkeys: dict[str, str], mkeys: list[str]) -> set[str]:
        """The keys the current sources use; forget results of earlier versions (kith serve
        lives long), and everything when this is a one-shot build."""
        live = {*pkeys.values(), *mkeys, *(facts_key(k) for k in mkeys),
                *(store.light_key(k) for k in mkeys)}
        if self.deferred:
            live.update(brief_key(k) for k in pkeys.values())
        if len(self.memo) > len(live):
            self.memo = {k: v for k, v in self.memo.items() if k in live}
            self.mkeys = {k: v for k, v in self.mkeys.items() if k in live}
        if not self.keep_memo:
            self.memo.clear()
        return live

    # -- single results ---------------------------------------------------------------

    def body(self, config: SiteConfig, source: str, pkey: str) -> str:
        """A page's body, for the rare template that reads it (see LazyBody)."""
        found = self.memo.get(pkey) or self.store.get_many([pkey]).get(pkey)
        if found is None:  # no cache: parse the file again
            found = parse_sources(config, [(source, (config.root / source).read_bytes())])[0]
        page, _ = found
        return page.body if page is not None else ""

    def rendered(self, config: SiteConfig, key: str, source: str, pkey: str,
                 body_line: int) -> Rendered:
        """A page's Markdown result, for a Deferred field read after the load."""
        found = self.memo.get(key) or self.store.get_many([key]).get(key)
        if found is None:  # another build dropped the row meanwhile
            found = render_markdown(self.body(config, source, pkey), body_line,
                                    config.markdown.options, source)
        return found

    def light(self, key: str) -> tuple[Any, ...] | None:
        """A page's LIGHT_FIELDS, for a Deferred field read after the load (None: not
        stored apart). Only a one-shot build defers, and it keeps no results in memory."""
        return self.store.get_many([store.light_key(key)]).get(store.light_key(key))

    def parsed(self, config: SiteConfig, source: str, pkey: str, raw: bytes | None) -> Parsed:
        """One source's parse result: remembered, stored, or parsed now."""
        found = self.cached([pkey]).get(pkey)
        if found is None:
            data = raw if raw is not None else (config.root / source).read_bytes()
            found = parse_sources(config, [(source, data)])[0]
            self.remember(pkey, found)
        return found

    def markdown(self, page: Page, mkey: str) -> Rendered:
        """One page's Markdown result: remembered, stored, or rendered now."""
        rendered = self.cached([mkey]).get(mkey)
        if rendered is None:
            rendered = render_markdown(page.body, page.body_line, page.markdown, page.source)
            self.remember(mkey, rendered)
            self.store.put(store.light_key(mkey), store.light_of(rendered))
        return rendered

    def markdown_key(self, pkey: str, page: Page) -> str:
        key = self.mkeys.get(pkey)
        if key is None:
            key = self.mkeys[pkey] = store.markdown_key(page)
        return key

    def cached(self, keys: Iterable[str]) -> dict[str, Any]:
        keys = list(keys)
        found = {k: self.memo[k] for k in keys if k in self.memo}
        missing = [k for k in keys if k not in found]
        if missing:
            loaded = self.store.get_many(missing)
            self.memo.update(loaded)
            found.update(loaded)
        return found

    def remember(self, key: str, value: Any) -> None:
        self.memo[key] = value
        self.store.put(key, value)

    def replace_keys(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Forget results under old keys that new ones replace (a patched source)."""
        for old, new in pairs:
            if old != new:
                self.memo.pop(old, None)
                self.mkeys.pop(old, None)
