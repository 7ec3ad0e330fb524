"""Units: what renders into files (a page, a listing, a feed), and which must render again.

Every output belongs to a unit. While a unit renders, ``cache.recording()`` notes
which content fields of which sources it read, and whether it read a whole
collection of the site (``cache.SITE``). A unit renders again only when the *base*
(settings, templates, Kith, each language's navigation, feeds and years) changed,
when a field it read has a new version, when its key changed (what it carries and
the structure of every page it is handed: ``Keys``), or, for one that read a whole
collection, when the site's structure changed; otherwise its last outputs stand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from . import cache as store
from . import feeds
from .cache import BuildState, Facts, Unit, digest, recording, short_digest
from .errors import Problem
from .layouts import ASSETS_DIR, Renderer
from .model import OutputFile, Page, Series, Site, Term
from .pool import Unit_
from .site import Listing
from .writer import Writer


def field_versions(page: Page, mkey: str, facts: Facts) -> tuple[str, ...]:
    """A version of each of the page's VOLATILE fields: equal versions, equal values
    (under one site structure, which fixes how links resolve).

    Fields that only the Markdown result sets are versioned by its cache key, except
    those list pages show (a post's summary, its reading time, its lead): by value, so
    that a paragraph added at the end does not render every list the post is on again.
    """
    d = page.__dict__
    known = {"title": short_digest(d["title"]), "body": mkey,
             "body_line": str(d["body_line"]), "summary": short_digest(repr(d["summary"])),
             "lines": short_digest(repr(d["lines"])), "html": mkey, "toc": mkey,
             "summary_html": facts[1], "text": mkey, "words": facts[2],
             "reading_minutes": facts[3], "lead": facts[5]}
    return tuple(known[name] for name in store.VOLATILE)


def page_versions(state: BuildState, digests: dict[str, str], mkeys: dict[str, str],
                  facts: dict[str, Facts], site: Site) -> dict[str, tuple[str, ...]]:
    """Each published page's field versions: the last build's, if its source is the same."""
    return {p.source: (state.versions[p.source]
                       if state.digests.get(p.source) == digests.get(p.source)
                       and p.source in state.versions
                       else field_versions(p, mkeys[p.source], facts[p.source]))
            for p in site.pages}


def changed_fields(old: dict[str, tuple[str, ...]], new: dict[str, tuple[str, ...]]
                   ) -> dict[str, int]:
    """Source -> FIELD_BIT mask of the fields whose versions differ (all, if new or gone)."""
    changed: dict[str, int] = {}
    for source, versions in new.items():
        before = old.get(source)
        if before is None:
            changed[source] = store.ALL_FIELDS
        elif before != versions:
            changed[source] = sum(store.FIELD_BIT[name] for name, a, b in
                                  zip(store.VOLATILE, before, versions, strict=True) if a != b)
    for source in old.keys() - new.keys():
        changed[source] = store.ALL_FIELDS
    return changed


def dependents(units: dict[str, Unit]) -> dict[str, dict[str, int]]:
    """Source -> ids of the units that read it -> which of its fields (FIELD_BIT mask)."""
    found: dict[str, dict[str, int]] = {}
    for uid, unit in units.items():
        for source, mask in unit.deps:
            found.setdefault(source, {})[uid] = mask
    return found


class Keys:
    """A page's or listing's key: the structure (URL, date, tags, where its links lead...)
    of everything its render is handed (``Renderer.reach``: itself, the pages a list
    shows, its neighbours, related posts, translations) and what a listing carries
    besides pages (titles, page numbers, a redirect's target).

    A new post changes the keys of the lists, terms and neighbours it joins and of the
    posts it becomes related to; the other outputs stand.

    A key is '<structure>/<fields>': the first part is a function of the site's
    structure (kept as it was while that is unchanged: ``same_structure``); the
    second, what a listing carries that is not (a redirect's or a series' title is a
    page's title).
    """

    def __init__(self, structures: dict[str, str],
                 reach: Callable[[Page | Listing], tuple[Any, ...]]) -> None:
        self.structures = structures
        """Source -> digest of its page's structure (``structures``)."""
        self.reach = reach
        self._terms: dict[int, tuple[Term, str]] = {}
        self._made_up: dict[tuple[str, str], str] = {}

    def __call__(self, item: Page | Listing, related: bool = True) -> str:
        """The key; ``related``: a page's render showed its own related posts (a key
        taken without them says so, and ``shows_related`` reads it back)."""
        mark = "" if related or not isinstance(item, Page) else _NO_RELATED
        return f"{self.of(self.reach(item, related))}{mark}/{self.fields(item)}"

    def same_structure(self, item: Page | Listing, old: str) -> str:
        """``item``'s key under the structure its last key (``old``) was taken under."""
        return f"{old.partition('/')[0]}/{self.fields(item)}"

    @staticmethod
    def fields(item: Page | Listing) -> str:
        """A listing's fields other than its pages and term (titles, page numbers...)."""
        if isinstance(item, Page):
            return ""
        return short_digest("\0".join(repr(getattr(item, name)) for name in _listing_fields()
                                       if name not in ("items", "term")))

    def of(self, value: Any) -> str:
        """The key of what a render is handed (pages, terms, series, plain values)."""
        parts: list[str] = []
        self._add(value, parts)
        return digest("\0".join(parts))  # one update: no part holds a NUL

    def _add(self, value: Any, parts: list[str]) -> None:
        if isinstance(value, tuple | list):
            parts.append("(")
            get = self.structures.get
            for item in value:  # a list's items, feed lines: handled here, without a call
                if isinstance(item, Page):
                    parts.append(get(item.source) or self._page(item))
                elif type(item) is str:
                    parts.append(repr(item))
                else:
                    self._add(item, parts)
            parts.append(")")
        elif isinstance(value, Page):
            parts.append(self._page(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                parts.append(key)
                self._add(item, parts)
        elif isinstance(value, Listing):  # its other fields: fields()
            self._add(value.items, parts)
            self._add(value.term, parts)
        elif isinstance(value, Term):
            parts.append(self._term(value))
        elif isinstance(value, Series):
            parts.append(repr((value.name, value.lang)))
            self._add((value.index, value.parts), parts)
        else:
            parts.append(repr(value))

    def _page(self, page: Page) -> str:
        found = self.structures.get(page.source)
        if found is None:  # a series index Kith made up: its folder, in every language
            key = (page.source, page.lang)
            found = self._made_up.get(key)
            if found is None:
                found = self._made_up[key] = structure_digest(page, "")
        return found

    def _term(self, term: Term) -> str:
        found = self._terms.get(id(term))
        if found is None or found[0] is not term:
            parts = [repr((term.taxonomy, term.name, term.slug, term.lang, term.url))]
            self._add(term.pages, parts)
            found = self._terms[id(term)] = (term, digest("\0".join(parts)))
        return found[1]


_NO_RELATED = "-"  # (a digest is hex)


def shows_related(key: str) -> bool:
    """A page's key was taken with its related posts (its render showed them)."""
    return not key.partition("/")[0].endswith(_NO_RELATED)


@cache
def _listing_fields() -> tuple[str, ...]:
    return tuple(spec.name for spec in fields(Listing))


def page_units(site: Site, listings: Sequence[Listing]) -> list[tuple[str, Page | Listing]]:
    """Every page and listing as a unit, in the order a full build renders them."""
    return [*((f"p:{p.source}", p) for p in site.pages),
            *((f"l:{x.kind}:{x.output}", x) for x in listings)]


@dataclass
class FeedUnits:
    """Each feed as a unit."""

    units: list[tuple[str, Callable[[], list[OutputFile]]]]
    forget: Callable[[Iterable[str]], None]
    """Makes the feed units forget pages patched in place (they share entries)."""
    setup_reads: dict[str, int]
    """What every feed unit read while they were set up: a dependency of each."""
    reach: dict[str, tuple[Any, ...]]
    """Unit id -> what a feed shows of the site's structure (its key); units without
    one (the sitemap, the search index...) read the whole site."""

    def add(self, units: Iterable[tuple[str, Callable[[], list[OutputFile]]]]) -> None:
        """More units rendered as feeds are (the search index's shards, which tell what
        they show, and image copies)."""
        for uid, render in units:
            reach = getattr(render, "reach", None)
            if reach is None:
                self.units.append((uid, whole_site(render)))
            else:
                self.units.append((uid, render))
                self.reach[uid] = reach


def feed_units(site: Site, listings: Sequence[Listing]) -> FeedUnits:
    with recording() as setup_reads:
        units = feeds.feed_units(site, listings)
    return FeedUnits([(f"f:{uid}", render if uid in units.reach else whole_site(render))
                      for uid, render in units], units.forget, setup_reads,
                     {f"f:{uid}": reach for uid, reach in units.reach.items()})


def whole_site(render: Callable[[], list[OutputFile]]) -> Callable[[], list[OutputFile]]:
    """``render``, recorded as reading the whole site (renders again when it changes)."""
    def rendered() -> list[OutputFile]:
        store.note_site()
        return render()
    return rendered


@dataclass
class Plan:
    """Which units stand as last rendered and which render now."""

    units: dict[str, Unit] = field(default_factory=dict)
    """Units kept from the last build (rendered ones are added as they come back)."""
    kept: dict[str, list[OutputFile]] = field(default_factory=dict)
    """Unit id -> its outputs as last written."""
    todo: list[tuple[str, Unit_]] = field(default_factory=list)
    own: dict[str, str | None] = field(default_factory=dict)
    """Unit id -> its key, for the units to render (None: the render takes it)."""
    pages_todo: int = 0
    """How many pages and listings render (the rest of ``todo`` are feeds)."""
    problems: list[Problem] = field(default_factory=list)
    """What rendering found (template problems)."""


def plan_units(state: BuildState, base: str, changed: dict[str, int],
               items: Iterable[tuple[str, Any]],
               own: Callable[[str, Any, Unit | None], str | None],
               intact: Callable[[Iterable[str]], bool], writer: Writer, plan: Plan) -> None:
    """Add ``items`` to ``plan``: a unit is as last rendered when the base is the same,
    none of the fields it read changed, its outputs are intact and its key is the same.

    ``own(uid, item, old)``: the key; ``old`` is the last unit when it may be kept, else
    None (then None may come back: the render takes the key, on all cores).
    """
    for uid, item in items:
        old = state.units.get(uid)
        if (old is not None and state.base == base and reads_unchanged(old, changed)
                and intact(path for path, _ in old.outputs)):
            mine = own(uid, item, old)
            if old.own == mine:
                plan.units[uid] = old
                for path, _ in old.outputs:
                    writer.keep(path)
                plan.kept[uid] = [OutputFile(path, origin=origin)
                                  for path, origin in old.outputs]
                continue
        else:
            mine = own(uid, item, None)
        plan.todo.append((uid, item))
        plan.own[uid] = mine


def reads_unchanged(old: Unit, changed: dict[str, int]) -> bool:
    """None of the fields ``old`` read has a new version (``changed_fields``)."""
    return not any(changed.get(s, 0) & mask for s, mask in old.deps)


def base_digest(settings: str, templates: str, global_reads: dict[str, str], site: Site,
                frame: str) -> str:
    """What every render sees besides pages: settings, templates, the sources the
    renderer read while set up (with their digests), the content files, and each
    language's navigation, feed links and years (``Renderer.frame``)."""
    return digest(settings, templates, *sorted(f"{s}={d}" for s, d in global_reads.items()),
                  repr(site.statics), frame)


def structures(site: Site) -> dict[str, str]:
    """Source -> digest of its page's structure: URL, date, tags, front matter... and
    where its relative links lead."""
    links = site.links
    return {p.source: structure_digest(p, links.get(p.source, "")) for p in site.pages}


def structure_digest(page: Page, links: str) -> str:
    return short_digest(repr(store.structure(page)) + "\n" + links)


def whole_digest(structures: dict[str, str], listings: Sequence[Listing]) -> str:
    """The site's whole structure: which pages exist, with their structures, and which
    listings."""
    return digest(*(f"{source}={d}" for source, d in structures.items()),
                  repr([(x.kind, x.lang, x.output) for x in listings]))


def watch_templates(renderer: Renderer) -> set[str]:
    """Note every template name loaded (to learn whether assets/ holds templates)."""
    names: set[str] = set()
    env = renderer.env
    get, select = env.get_template, env.select_template

    def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
        names.add(str(getattr(name, "name", name)))
        return get(name, parent, globals)

    def select_template(choices: Any, parent: Any = None, globals: Any = None) -> Any:
        names.update(str(getattr(n, "name", n)) for n in choices)
        return select(choices, parent, globals)

    env.get_template = get_template  # type: ignore[method-assign]
    env.select_template = select_template  # type: ignore[method-assign]
    renderer._kith_loaded = names  # type: ignore[attr-defined]
    return names


def loads_assets(names: Iterable[str]) -> bool:
    """Whether templates were loaded from the theme's assets/ folder."""
    return any(n.startswith(f"{ASSETS_DIR}/") for n in names)


def templates_digest(dirs: Sequence[Path], with_assets: bool) -> str:
    """Every file a template could load; assets/ only when a template loads from it."""
    parts = []
    for i, folder in enumerate(dirs):
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and (with_assets or not rel.startswith(f"{ASSETS_DIR}/")):
                parts.append(f"{i}:{rel}:{digest(path.read_bytes())}")
    return digest(*parts)


def collisions(outputs: list[OutputFile], known: list[Problem]) -> list[Problem]:
    """Theme assets, feeds and content files that land on one path (pages are checked earlier)."""
    seen: dict[str, str] = {}
    problems = []
    reported = " ".join(p.message for p in known)
    for item in outputs:
        if item.path in seen and f"'{item.path}'" not in reported:
            problems.append(Problem(_file_of(seen[item.path], item.origin), 0,
                                    f"'{item.path}' would be written by both "
                                    f"{seen[item.path]} and {item.origin}",
                                    "rename or move one of them"))
        else:
            seen[item.path] = item.origin
    return problems + _file_folder_clashes(outputs, seen)


def _file_of(*origins: str) -> str:
    """The file to report a clash on: a content file, or the one an alias is in."""
    for origin in origins:
        name = origin.removeprefix("aliases: in ").removeprefix("redirects: in ")
        if name.startswith("content/") or name == "site.yaml":
            return name
    return origins[-1]


def _file_folder_clashes(outputs: list[OutputFile], seen: dict[str, str]) -> list[Problem]:
    """Outputs that need a folder where another output is a file ('x.txt' and
    'x.txt/index.html'): caught here, else the commit would stop half done."""
    problems = []
    for item in outputs:
        folder = item.path.rpartition("/")[0]
        while folder:
            if folder in seen:
                problems.append(Problem(
                    _file_of(seen[folder], item.origin), 0, f"'{folder}' would be a file "
                    f"(from {seen[folder]}) and a folder holding '{item.path}' (from "
                    f"{item.origin})",
                    "give one of them another slug or permalink (end a page's permalink "
                    "with '/')"))
                break
            folder = folder.rpartition("/")[0]
    return problems
