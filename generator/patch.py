"""kith serve's shortcut: patch the last site in place when only pages' contents changed.

When only the contents of published sources changed, and not their structure (URL,
date, tags...) or title, the changed pages get their new content-derived fields and
only the units that read them render again. The full build would assemble the same
site and choose the same units, so the output is the same (tests/perf checks it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from . import cache as store
from .cache import BuildState, Facts, Unit, facts_key, facts_of, light_key, merge, recording, track
from .config import SiteConfig
from .dates import build_time
from .errors import Problem
from .layouts import FragmentCache, Renderer
from .markdown import Rendered
from .model import OutputFile, Page, Site, markdown_fields
from .pool import render_one
from .scan import Scan
from .selection import Skipped, left_out
from .site import Listing, resolve_links, site_outputs
from .sources import Loaded, Sources
from .units import FeedUnits, changed_fields, dependents, field_versions, loads_assets
from .writer import Writer


@dataclass
class Hot:
    """What a long-lived builder keeps of its last good build, to patch it in place."""

    shape: str
    site: Site
    renderer: Renderer
    items: dict[str, Page | Listing]
    feeds: dict[str, Callable[[], list[OutputFile]]]
    feeds_forget: Callable[[Iterable[str]], None]
    feeds_setup: dict[str, int]
    """What every feed unit read while they were set up."""
    global_reads: frozenset[str]
    placed: dict[str, Page]
    statics: set[str]
    loaded: Loaded
    fixed: list[Problem]
    """Problems that no content-only change can alter (scan, structure, feed IDs)."""
    extra: list[str]
    """Paths of theme assets and static files."""
    skipped: tuple[Skipped, ...]
    dependents: dict[str, dict[str, int]]
    """Source -> ids of the units that read it -> which of its fields (FIELD_BIT mask)."""
    manifest: dict[str, Any] | None = None
    """The writer's manifest after the last commit."""


@dataclass
class Patched:
    """A patch's outcome, for the builder to keep."""

    result: Any
    """The last BuildResult with this patch's counts."""
    state: BuildState
    keys: set[str]
    """Every store key the current sources use."""


def keep_hot(shape: str, loaded: Loaded, renderer: Renderer,
             units: list[tuple[str, Page | Listing]], feeds: FeedUnits,
             global_reads: dict[str, int], problems: list[Problem], extra: list[str],
             new_units: dict[str, Unit], manifest: dict[str, Any]) -> Hot:
    """What a full build leaves for the next patch: its site, renderer and units."""
    site = loaded.assembled.site
    own_problems = {id(p) for found in (*loaded.parse_problems.values(),
                                        *loaded.link_problems.values()) for p in found}
    return Hot(
        shape=shape, site=site, renderer=renderer, items=dict(units),
        feeds=dict(feeds.units), feeds_forget=feeds.forget, feeds_setup=feeds.setup_reads,
        global_reads=frozenset(global_reads),
        placed={p.source: p for p in site.pages}, statics=set(site.statics),
        loaded=loaded, fixed=[p for p in problems if id(p) not in own_problems],
        extra=extra, skipped=loaded.assembled.skipped, dependents=dependents(new_units),
        manifest=manifest)


Fresh = tuple[str, str, Page, Rendered, Facts, tuple[Problem, ...]]
"""(parse key, Markdown key, page, its Markdown result, facts, parse problems)."""


def patch_site(hot: Hot, config: SiteConfig, state: BuildState, scan: Scan, writer: Writer,
               sources: Sources, lap: Callable[[str], None], started: float) -> Patched | None:
    """Rebuild by patching the last site in place, or None when that is not proven safe."""
    if (hot.shape != scan.shape or state.result is None or state.base == ""
            or (state.next_change is not None
                and build_time().timestamp() >= state.next_change)):
        return None
    edited = [s for s, d in scan.sources.items() if state.digests.get(s) != d]
    if not edited or any(s in hot.global_reads or s not in hot.placed for s in edited):
        return None
    fresh = _fresh(hot, config, scan, edited, sources)
    if fresh is None:
        return None
    new_versions = {source: field_versions(page, mkey, facts)
                    for source, (_, mkey, page, _, facts, _) in fresh.items()}
    changed = changed_fields({s: state.versions[s] for s in new_versions if s in state.versions},
                             new_versions)
    affected = {uid for source, mask in changed.items()
                for uid, read in hot.dependents.get(source, {}).items() if read & mask}
    todo = [uid for uid in state.units if uid in affected]  # in a full build's order
    kept = [uid for uid in state.units if uid not in affected]
    if hot.manifest is None and not all(  # else: the manifest of this builder's last commit
            path in writer.previous for uid in kept for path, _ in state.units[uid].outputs):
        return None
    lap("parse")
    parse_problems, link_problems = _apply(hot, config, fresh)
    lap("assemble")
    produced = _rerender(hot, state, edited, todo)
    if produced is None:
        return None
    lap("templates")
    units = _write(hot, state, writer, kept, produced)
    result = writer.commit(save=False)  # same paths: the manifest can wait for persist()
    hot.manifest = writer.current
    lap("commit")
    keys = _rekey(hot.loaded, fresh, sources)
    loaded = hot.loaded
    loaded.digests = scan.sources
    loaded.parse_problems, loaded.link_problems = parse_problems, link_problems
    warnings = [*hot.fixed, *(p for found in parse_problems.values() for p in found),
                *(p for found in link_problems.values() for p in found)]
    built = replace(state.result, output=writer.output, written=result.written,
                    unchanged=result.unchanged, removed=result.removed,
                    warnings=tuple(sorted(warnings)), seconds=time.perf_counter() - started,
                    rendered=sum(uid not in hot.feeds for uid in todo))  # as full builds count
    new_state = replace(state, inputs=scan.inputs, sources=scan.trusted, units=units,
                        result=built, digests=scan.sources,
                        versions={**state.versions, **new_versions})
    return Patched(built, new_state, keys)


def _fresh(hot: Hot, config: SiteConfig, scan: Scan, edited: list[str], sources: Sources
           ) -> dict[str, Fresh] | None:
    """Parse and Markdown (cached) of the edited sources; None, before touching anything,
    when one of them changed more than its contents."""
    settings = store.parse_settings(config)
    fresh: dict[str, Fresh] = {}
    for source in edited:
        pkey = store.parse_key(source, scan.sources[source], settings)
        page, parse_problems = sources.parsed(config, source, pkey, scan.raw.get(source))
        if (page is None or any(not p.warning for p in parse_problems)
                or (store.structure(page), page.title) != hot.loaded.shapes.get(source)):
            return None
        mkey = sources.markdown_key(pkey, page)
        rendered = sources.markdown(page, mkey)
        facts = facts_of(rendered, page.body, page.body_line)
        sources.remember(facts_key(mkey), facts)
        fresh[source] = (pkey, mkey, page, rendered, facts, parse_problems)
    scan.raw.clear()
    return fresh


def _apply(hot: Hot, config: SiteConfig, fresh: dict[str, Fresh]
           ) -> tuple[dict[str, tuple[Problem, ...]], dict[str, list[Problem]]]:
    """Patch the pages in place (every listing, term and feed holds these objects);
    the parse and link problems of the site as now patched."""
    link_problems = dict(hot.loaded.link_problems)
    parse_problems = dict(hot.loaded.parse_problems)
    for source, (_, _, page, rendered, _, found) in fresh.items():
        old = hot.placed[source]
        new = track(page)
        new.__dict__.update(markdown_fields(rendered), url=old.url, output=old.output)
        own: list[Problem] = []
        new = resolve_links(new, hot.placed, hot.statics, config, own, site_outputs(hot.site),
                            left_out(hot.skipped))
        old.__dict__.update({name: new.__dict__[name] for name in store.VOLATILE})
        link_problems.pop(source, None)
        parse_problems.pop(source, None)
        if own:
            link_problems[source] = own
        if found:
            parse_problems[source] = found
    return parse_problems, link_problems


def _rerender(hot: Hot, state: BuildState, edited: list[str], todo: list[str]
              ) -> list[tuple[str, Unit, list[OutputFile]]] | None:
    """Render the affected units again; None when the full build must decide (a template
    problem, whose message names every page, or a template loaded from assets/)."""
    before = len(hot.renderer.problems())
    produced: list[tuple[str, Unit, list[OutputFile]]] = []
    hot.feeds_forget(edited)  # feed units share each post's entry among themselves
    fragments = hot.renderer.env.extensions[FragmentCache.identifier]
    assert isinstance(fragments, FragmentCache)
    fragments.forget(edited)  # so do pages and lists, the {% cache %} fragments
    for uid in todo:
        old_unit = state.units[uid]
        own = old_unit.own
        if uid in hot.feeds:
            with recording() as reads:
                files = hot.feeds[uid]()
            deps = tuple(sorted(merge(reads, hot.feeds_setup).items()))
        else:
            _, files, deps, names, _, key = render_one(hot.renderer, uid, hot.items[uid])
            if not state.assets_are_templates and loads_assets(names):
                return None
            own = key or own  # an edit may show or hide the page's related posts
        produced.append((uid, Unit(own, deps,
                                   tuple((o.path, o.origin) for o in files)), files))
    if len(hot.renderer.problems()) != before:
        return None
    return produced


def _write(hot: Hot, state: BuildState, writer: Writer, kept: list[str],
           produced: list[tuple[str, Unit, list[OutputFile]]]) -> dict[str, Unit]:
    """Stage the new outputs, keep the others; the units as they now stand."""
    units = dict(state.units)
    for uid in kept:
        for path, _ in units[uid].outputs:
            writer.keep(path)
    for path in hot.extra:
        writer.keep(path)
    for uid, unit, files in produced:
        units[uid] = unit
        for item in files:
            writer.add(item)
        for source, _ in state.units[uid].deps:
            hot.dependents.get(source, {}).pop(uid, None)
        for source, mask in unit.deps:
            hot.dependents.setdefault(source, {})[uid] = mask
    return units


def _rekey(loaded: Loaded, fresh: dict[str, Fresh], sources: Sources) -> set[str]:
    """The store keys the patched sources now use, in ``loaded`` and the live set."""
    keys = set(loaded.keys)
    for source, (pkey, mkey, _, _, facts, _) in fresh.items():
        old_mkey = loaded.mkeys[source]
        pairs = ((loaded.pkeys[source], pkey), (old_mkey, mkey),
                 (facts_key(old_mkey), facts_key(mkey)), (light_key(old_mkey), light_key(mkey)))
        for old_key, new_key in pairs:
            keys.discard(old_key)
            keys.add(new_key)
        sources.replace_keys(pairs)
        loaded.pkeys[source], loaded.mkeys[source] = pkey, mkey
        loaded.facts[source] = facts
    loaded.keys = keys
    return keys
