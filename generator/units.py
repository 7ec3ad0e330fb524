"""Units: what renders into files (a page, a listing, a feed), and which must render again.

Every output belongs to a unit. While a unit renders, ``cache.recording()`` notes
which content fields of which sources it read. A unit renders again only when the
*base* (settings, templates, Kith, the site's structure) changed, when a field it
read has a new version, or when what it carries besides pages (its signature)
changed; otherwise its last outputs stand.
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
from .model import OutputFile, Page, Site, Term
from .pool import Unit_
from .site import Listing
from .writer import Writer


def field_versions(page: Page, mkey: str, facts: Facts) -> tuple[str, ...]:
    """A version of each of the page's VOLATILE fields: equal versions, equal values
    (under one site structure, which fixes how links resolve).

    Fields that only the Markdown result sets are versioned by its cache key, except
    those list pages show (a post's summary, its reading time): by value, so that a
    paragraph added at the end does not render every list the post is on again.
    """
    d = page.__dict__
    known = {"title": short_digest(d["title"]), "body": mkey,
             "body_line": str(d["body_line"]), "summary": short_digest(repr(d["summary"])),
             "lines": short_digest(repr(d["lines"])), "html": mkey, "toc": mkey,
             "summary_html": facts[1], "text": mkey, "words": facts[2],
             "reading_minutes": facts[3]}
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


def signature(item: Page | Listing) -> str:
    """What a listing carries besides pages (titles, page numbers, a redirect's target)."""
    if isinstance(item, Page):
        return ""
    parts = []
    for name in _listing_fields():
        value = getattr(item, name)
        if isinstance(value, Term | Page) or (
                isinstance(value, tuple) and value and isinstance(value[0], Page)):
            continue  # which pages and terms: fixed by the structure digest
        parts.append(repr(value))
    return digest("\0".join(parts))  # one update: reprs hold no NUL


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


def feed_units(site: Site, listings: Sequence[Listing]) -> FeedUnits:
    with recording() as setup_reads:
        units = feeds.feed_units(site, listings)
    return FeedUnits([(f"f:{uid}", render) for uid, render in units], units.forget,
                     setup_reads)


@dataclass
class Plan:
    """Which units stand as last rendered and which render now."""

    units: dict[str, Unit] = field(default_factory=dict)
    """Units kept from the last build (rendered ones are added as they come back)."""
    kept: dict[str, list[OutputFile]] = field(default_factory=dict)
    """Unit id -> its outputs as last written."""
    todo: list[tuple[str, Unit_]] = field(default_factory=list)
    own: dict[str, str] = field(default_factory=dict)
    """Unit id -> its signature, for the units to render."""
    pages_todo: int = 0
    """How many pages and listings render (the rest of ``todo`` are feeds)."""
    problems: list[Problem] = field(default_factory=list)
    """What rendering found (template problems)."""


def plan_units(state: BuildState, base: str, changed: dict[str, int],
               items: Iterable[tuple[str, Any]], own: Callable[[Any], str],
               intact: Callable[[Iterable[str]], bool], writer: Writer, plan: Plan) -> None:
    """Add ``items`` to ``plan``: a unit is as last rendered when the base is the same,
    none of the fields it read changed, and its signature (``own``) is the same."""
    for uid, item in items:
        old = state.units.get(uid)
        mine = own(item)
        if (old is not None and state.base == base and old.own == mine
                and not any(changed.get(s, 0) & mask for s, mask in old.deps)
                and intact(path for path, _ in old.outputs)):
            plan.units[uid] = old
            for path, _ in old.outputs:
                writer.keep(path)
            plan.kept[uid] = [OutputFile(path, origin=origin) for path, origin in old.outputs]
        else:
            plan.todo.append((uid, item))
            plan.own[uid] = mine


def base_digest(settings: str, templates: str, global_reads: dict[str, str], site: Site,
                listings: Sequence[Listing]) -> str:
    """All a render can see besides pages' content: settings, templates, the sources the
    renderer read while set up (with their digests), the site's structure."""
    return digest(settings, templates, *sorted(f"{s}={d}" for s, d in global_reads.items()),
                  repr([store.structure(p) for p in site.pages]), repr(site.statics),
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
