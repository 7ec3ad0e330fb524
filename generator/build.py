"""The build: the only module that knows the order of the stages.

``build()`` is incremental: parse and Markdown results come from ``.cache/``
(see cache.py), a page or listing is rendered again only when something it read
changed, and the writer touches only files whose bytes changed. Cold builds run
the Markdown and template stages on all cores.
"""

from __future__ import annotations

import contextlib
import fnmatch
import gc
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields, replace
from functools import cache, partial
from multiprocessing import get_context
from pathlib import Path, PurePath
from typing import Any

from . import cache as store
from . import feeds
from .cache import (
    BuildState,
    ContentCache,
    LazyBody,
    Unit,
    digest,
    fingerprint,
    merge,
    recording,
    replay,
    track,
)
from .config import CONFIG_FILE, SiteConfig, load_config
from .content import CONTENT_DIR, MARKDOWN_SUFFIXES, _walk, read_page
from .dates import build_time
from .errors import KithError, Problem
from .feeds import check_feed_ids
from .layouts import ASSETS_DIR, LAYOUTS_DIR, Renderer, theme_dir
from .markdown import Rendered, render_markdown
from .model import MARKDOWN_FIELDS, Deferred, OutputFile, Page, Site, Term, markdown_fields
from .site import Listing, assemble_site, link_marks, resolve_links
from .writer import Staged, Writer, check_output_dir, manifest_path

OUTPUT_DIR = "_site"
Unit_ = Page | Listing | Callable[[], list[OutputFile]]
"""What renders into files: a page, a listing, or a feed unit."""
Rendering = tuple[str, list[OutputFile], tuple[str, ...], set[str], list[Staged | None]]
"""(unit id, files, sources read, templates loaded, what a worker did with each file)."""
# Below these counts a process pool costs more than it saves.
POOL_MIN_MARKDOWN = 32
POOL_MIN_RENDER = 200


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str
    """'draft' or 'future'."""
    hint: str


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    files: int
    written: int
    unchanged: int
    removed: int
    skipped: tuple[Skipped, ...]
    warnings: tuple[Problem, ...]
    seconds: float
    rendered: int = -1
    """Pages and listings rendered by templates (-1: not counted)."""


@dataclass(frozen=True)
class Assembled:
    """A site ready to render: what both the public build and outreach start from."""

    config: SiteConfig
    site: Site
    listings: tuple[Listing, ...]
    skipped: tuple[Skipped, ...]
    problems: tuple[Problem, ...]


def build(root: Path, *, output: Path | None = None, drafts: bool = False, future: bool = False,
          base_url: str | None = None, jobs: int | None = None, cache: bool = True
          ) -> BuildResult:
    """Build the site in ``root`` into ``output`` (default ``root/_site``).

    ``jobs``: processes for cold builds (default: all cores); ``cache=False``
    ignores and leaves ``.cache/`` alone, which is a clean build.
    """
    return Builder(root, output=output, drafts=drafts, future=future, base_url=base_url,
                   jobs=jobs, cache=cache).build()


def assemble(root: Path, *, drafts: bool = False, future: bool = False,
             base_url: str | None = None, save_cache: bool = True) -> Assembled:
    """Load, select, render Markdown and assemble; problems are collected, not raised.

    ``save_cache=False`` reads .cache/ but never writes into the site folder.
    """
    builder = Builder(root, drafts=drafts, future=future, base_url=base_url)
    if not save_cache:
        builder.store = ContentCache(root, readonly=True)
    config = load_config(root, base_url)
    loaded = builder.load(config, builder.scan(config, builder._state()))
    if save_cache:
        builder.store.flush()
    return loaded.assembled


def load_site(root: Path, *, drafts: bool = False, future: bool = False,
              base_url: str | None = None) -> Site:
    """The assembled site, for readers such as outreach; raises KithError on errors.

    Read-only: commands like ``kith share`` must not write into the site folder.
    """
    assembled = assemble(root, drafts=drafts, future=future, base_url=base_url,
                         save_cache=False)
    errors = [p for p in assembled.problems if not p.warning]
    if errors:
        raise KithError(errors)
    return assembled.site


def select_pages(pages: Iterable[Page], *, drafts: bool, future: bool
                 ) -> tuple[list[Page], tuple[Skipped, ...]]:
    """Leave out drafts and future-dated pages unless asked for."""
    now = build_time()
    kept, skipped = [], []
    for page in pages:
        if page.draft and not drafts:
            skipped.append(Skipped(page.source, "draft", "--drafts includes it"))
        elif page.date is not None and page.date > now and not future:
            skipped.append(Skipped(page.source, f"future-dated {page.date.date().isoformat()}",
                                   "--future includes it"))
        else:
            kept.append(page)
    return kept, tuple(skipped)


# -- the incremental builder ------------------------------------------------------------

@dataclass
class Scan:
    """What is on disk: sources with their digests, statics, theme files."""

    sources: dict[str, str]
    """'content/x.md' -> digest of its bytes."""
    raw: dict[str, bytes]
    """Bytes of sources read during the scan (those whose digest had to be computed)."""
    trusted: dict[str, tuple[tuple[int, ...], str]]
    statics: tuple[str, ...]
    problems: tuple[Problem, ...]
    inputs: str
    """Digest of every input a no-op build compares."""
    statics_stamps: dict[str, str]
    exclude: tuple[str, ...]
    shape: str = ""
    """Digest of the inputs without the sources' contents: which sources, statics,
    theme files, settings. Equal shapes: only sources' contents changed."""


@dataclass
class Loaded:
    assembled: Assembled
    digests: dict[str, str]
    keys: set[str]
    next_change: float | None
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


@dataclass
class Hot:
    """What a long-lived builder (kith serve) keeps of its last good build.

    When only the contents of published sources changed, and not their structure
    (URL, date, tags...) or title, the last site is patched in place: the changed
    pages get their new content-derived fields, and only the units that read them
    render again. The full build would assemble the same site and choose the same
    units, so the output is the same (tests/perf checks it).
    """

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


class Builder:
    """Builds one site into one folder, again and again (``kith serve`` keeps one alive)."""

    timings: dict[str, float]
    """Seconds per stage of the last build; printed to stderr when KITH_TIMINGS is set."""

    def __init__(self, root: Path, *, output: Path | None = None, drafts: bool = False,
                 future: bool = False, base_url: str | None = None, jobs: int | None = None,
                 cache: bool = True, progress: Progress | None = None,
                 trust_outputs: bool = False, keep_memo: bool = False) -> None:
        self.root = root
        self.output = output if output is not None else root / OUTPUT_DIR
        self.drafts, self.future, self.base_url = drafts, future, base_url
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.use_cache = cache
        self.trust_outputs = trust_outputs
        """Skip checking that unchanged outputs are still as written (a private folder)."""
        self.keep_memo = keep_memo
        """Keep parse and Markdown results in memory between builds (kith serve)."""
        self.store = ContentCache(root, enabled=cache)
        self.memo: dict[str, Any] = {}
        """Parse and Markdown results already loaded in this process, by cache key."""
        self.state: BuildState | None = None
        self.state_file = store.state_path(root, self.output)
        self.progress = progress or Progress()
        self.timings = {}
        self._clock = 0.0
        self._persist_now = True
        self._unsaved: set[str] | None = None
        self._mkeys: dict[str, str] = {}
        self._last_scan: Scan | None = None
        self.site: Site | None = None
        """The site of the last build that assembled one (None after a no-op build)."""
        self.hot: Hot | None = None
        """The last good build, to patch in place (only with keep_memo)."""
        self._writer: Writer | None = None
        """A writer whose manifest is still to be saved (by persist())."""
        self._freeze = False

    def _lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._clock
        self._clock = now

    # -- stages ---------------------------------------------------------------------

    def build(self, persist: bool = True, hints: Iterable[Path] | None = None) -> BuildResult:
        """Build once; ``persist=False`` leaves saving the cache to ``persist()``.

        ``hints``: paths a file watcher saw change since the last build, or None (look).
        """
        self._persist_now = persist
        started = self._clock = time.perf_counter()
        self.timings = {}
        try:
            config = load_config(self.root, self.base_url)
            check_output_dir(self.root, self.output)
            state = self._state()
            self._lap("state")
            scan = self.scan(config, state, hints)
        except BaseException:
            self._last_scan = None  # the hints of this round are spent: look again next time
            raise
        hot = self.hot
        writer = Writer(self.output, manifest_path(self.root, self.output),
                        hot.manifest if hot is not None and hot.manifest is not None else None)
        self._lap("scan")
        if (state.result is not None and state.inputs == scan.inputs
                and (state.next_change is None or build_time().timestamp() < state.next_change)
                and self._intact(writer, writer.previous)):
            last: BuildResult = state.result
            return replace(last, output=self.output, written=0, unchanged=last.files, removed=0,
                           rendered=0, seconds=time.perf_counter() - started)
        try:
            return self._build(config, state, scan, writer, started)
        finally:
            self.progress.done()
            if os.environ.get("KITH_TIMINGS"):
                print("timings: " + ", ".join(f"{k} {v:.3f}" for k, v in self.timings.items()),
                      file=sys.stderr)

    def _build(self, config: SiteConfig, state: BuildState, scan: Scan, writer: Writer,
               started: float) -> BuildResult:
        if self.hot is not None:
            patched = self._patch(config, state, scan, writer, started)
            if patched is not None:
                return patched
            self.hot = None
            gc.unfreeze()  # what the last full build froze may be garbage now
        loaded = self.load(config, scan)
        assembled = loaded.assembled
        self._lap("assemble")
        site, listings = assembled.site, assembled.listings
        self.site = site
        problems = [*assembled.problems, *check_feed_ids(site)]
        stage = not any(not p.warning for p in problems)  # known to fail: render only to report

        with recording() as global_reads:
            renderer = Renderer(site, self._bytecode_dir())
        renderer.env.kith_recording = (recording, replay)  # type: ignore[attr-defined]
        templates_loaded = _watch_templates(renderer)
        base = digest(
            self._settings_digest(config),
            _templates_digest(renderer.dirs, state.assets_are_templates),
            *sorted(f"{s}={loaded.digests.get(s, '-')}" for s in global_reads),
            repr([store.structure(p) for p in site.pages]), repr(site.statics),
            repr([(x.kind, x.lang, x.output) for x in listings]))

        # A unit is as last rendered when the base is the same, none of the sources it
        # read changed, and what it carries besides pages (its signature) is the same.
        versions = {p.source: (state.versions[p.source]
                               if state.digests.get(p.source) == loaded.digests.get(p.source)
                               and p.source in state.versions
                               else field_versions(p, loaded.mkeys[p.source],
                                                   loaded.facts[p.source]))
                    for p in site.pages}
        changed = _changed(state.versions, versions) if state.base == base else {}

        def unchanged(old: Unit | None, own: str) -> bool:
            return (old is not None and state.base == base and old.own == own
                    and not any(changed.get(s, 0) & mask for s, mask in old.deps)
                    and self._intact(writer, (path for path, _ in old.outputs)))

        units: list[tuple[str, Page | Listing]] = [
            *((f"p:{p.source}", p) for p in site.pages),
            *((f"l:{x.kind}:{x.output}", x) for x in listings)]
        outputs: list[OutputFile] = []
        new_units: dict[str, Unit] = {}
        todo: list[tuple[str, Unit_]] = []
        for uid, item in units:
            old = state.units.get(uid)
            if unchanged(old, _signature(item)):
                assert old is not None
                new_units[uid] = old
                for path, origin in old.outputs:
                    writer.keep(path)
                    outputs.append(OutputFile(path, origin=origin))
            else:
                todo.append((uid, item))
        self._lap("keys")

        # Feeds are units too, rendered with the pages (on all cores in a cold build).
        with recording() as setup_reads:  # what every feed unit depends on
            feed_units, forget = _feed_units(site, listings)
        feed_own = _root_files(config)  # feeds read site.yaml and their ID ledger themselves
        feed_outputs: dict[str, list[OutputFile]] = {}
        feed_ids = {uid for uid, _ in feed_units}
        pages_todo = len(todo)
        for uid, render in feed_units:
            old = state.units.get(uid)
            if unchanged(old, feed_own):
                assert old is not None
                new_units[uid] = old
                for path, _ in old.outputs:
                    writer.keep(path)
                feed_outputs[uid] = [OutputFile(path, origin=origin)
                                     for path, origin in old.outputs]
            else:
                todo.append((uid, render))

        render_problems: list[Problem] = []
        signatures = {uid: feed_own if callable(item) else _signature(item) for uid, item in todo}
        rendering = self._render(renderer, todo, render_problems, writer if stage else None)
        # Sources come back from workers as copies: one string each keeps the state small.
        canonical = {p.source: p.source for p in site.pages}
        for uid, produced, deps, names, staged in rendering:
            templates_loaded.update(names)
            if uid in feed_ids:
                deps = tuple(sorted(merge(dict(deps), setup_reads).items()))
                feed_outputs[uid] = [OutputFile(o.path, origin=o.origin) for o in produced]
            else:
                outputs += [OutputFile(o.path, origin=o.origin) for o in produced]
            deps = tuple((canonical.get(source, source), mask) for source, mask in deps)
            new_units[uid] = Unit(signatures[uid], deps,
                                  tuple((o.path, o.origin) for o in produced))
            if stage:  # bytes go to disk, not into memory
                for item, done in zip(produced, staged, strict=True):
                    if done is None:
                        writer.add(item)
                    else:  # a worker wrote it already
                        writer.record(item.path, done)
        for uid, _ in feed_units:
            outputs += feed_outputs[uid]
        self._lap("render")
        extra = list(renderer.assets())
        extra += [OutputFile(s, copy_from=str(config.root / CONTENT_DIR / s),
                             origin=f"{CONTENT_DIR}/{s}") for s in site.statics]
        for item in extra:
            outputs.append(item)
            if stage:
                writer.add(item)

        problems += render_problems
        problems += _collisions(outputs, problems)
        if any(not p.warning for p in problems):
            writer.abort()
            raise KithError(problems)
        result = writer.commit()
        self._writer = None  # its manifest is saved: a patch's unsaved one is older
        self._lap("commit")
        built = BuildResult(
            output=self.output, pages=len(site.pages), files=len(outputs),
            written=result.written, unchanged=result.unchanged, removed=result.removed,
            skipped=assembled.skipped, warnings=tuple(sorted(problems)),
            seconds=time.perf_counter() - started, rendered=pages_todo)
        assets_are_templates = any(n.startswith(f"{ASSETS_DIR}/") for n in templates_loaded)
        self.state = BuildState(
            fingerprint=fingerprint(),
            inputs=scan.inputs if not assets_are_templates or state.assets_are_templates else "",
            sources=scan.trusted,
            # Template warnings are not replayed per unit: then render everything next time.
            units=new_units if not render_problems else {},
            assets_are_templates=assets_are_templates or state.assets_are_templates,
            next_change=loaded.next_change, result=built, base=base, digests=loaded.digests,
            versions=versions)
        self._unsaved = loaded.keys
        if self.keep_memo and self.trust_outputs and not render_problems:
            self._freeze = True
            own_problems = {id(p) for found in (*loaded.parse_problems.values(),
                                                *loaded.link_problems.values()) for p in found}
            self.hot = Hot(
                shape=scan.shape, site=site, renderer=renderer, items=dict(units),
                feeds=dict(feed_units), feeds_forget=forget, feeds_setup=setup_reads,
                global_reads=frozenset(global_reads),
                placed={p.source: p for p in site.pages}, statics=set(site.statics),
                loaded=loaded, fixed=[p for p in problems if id(p) not in own_problems],
                extra=[item.path for item in extra], skipped=assembled.skipped,
                dependents=_dependents(new_units), manifest=writer.current)
        if self._persist_now:
            self.persist()
        return built

    def _patch(self, config: SiteConfig, state: BuildState, scan: Scan, writer: Writer,
               started: float) -> BuildResult | None:
        """Rebuild by patching the last site in place, or None when that is not proven safe."""
        hot = self.hot
        assert hot is not None
        loaded = hot.loaded
        if (hot.shape != scan.shape or state.result is None or state.base == ""
                or (state.next_change is not None
                    and build_time().timestamp() >= state.next_change)):
            return None
        edited = [s for s, d in scan.sources.items() if state.digests.get(s) != d]
        if not edited or any(s in hot.global_reads or s not in hot.placed for s in edited):
            return None
        # Parse and Markdown (cached); give up before touching anything.
        settings = store.parse_settings(config)
        fresh: dict[str, tuple[str, str, Page, Rendered, Facts, tuple[Problem, ...]]] = {}
        for source in edited:
            pkey = _parse_key(source, scan.sources[source], settings)
            found = self._cached([pkey]).get(pkey)
            if found is None:
                raw = scan.raw.get(source) or (config.root / source).read_bytes()
                found = _parse_many_with(config, [(source, raw)])[0]
                self._remember(pkey, found)
            page, parse_problems = found
            if (page is None or any(not p.warning for p in parse_problems)
                    or (store.structure(page), page.title) != loaded.shapes.get(source)):
                return None
            mkey = self._markdown_key(pkey, page)
            rendered = self._cached([mkey]).get(mkey)
            if rendered is None:
                rendered = render_markdown(page.body, page.body_line, source)
                self._remember(mkey, rendered)
            facts = _facts(rendered)
            self._remember(_facts_key(mkey), facts)
            fresh[source] = (pkey, mkey, page, rendered, facts, parse_problems)
        scan.raw.clear()
        new_versions = {source: field_versions(page, mkey, facts)
                        for source, (_, mkey, page, _, facts, _) in fresh.items()}
        changed = _changed({s: state.versions[s] for s in new_versions if s in state.versions},
                           new_versions)
        versions = {**state.versions, **new_versions}
        affected = {uid for source, mask in changed.items()
                    for uid, read in hot.dependents.get(source, {}).items() if read & mask}
        todo: list[str] = []
        kept: list[str] = []
        for uid in state.units:  # in the units' order, as a full build renders them
            (todo if uid in affected else kept).append(uid)
        if hot.manifest is None and not all(  # else: the manifest of this builder's last commit
                path in writer.previous for uid in kept for path, _ in state.units[uid].outputs):
            return None
        self._lap("parse")

        # Patch the pages in place: every listing, term and feed holds these objects.
        link_problems = dict(loaded.link_problems)
        parse_problems = dict(loaded.parse_problems)
        for source, (_, _, page, rendered, _, found) in fresh.items():
            old = hot.placed[source]
            new = track(page)
            new.__dict__.update(markdown_fields(rendered), url=old.url, output=old.output)
            own: list[Problem] = []
            new = resolve_links(new, hot.placed, hot.statics, config, own)
            old.__dict__.update({name: new.__dict__[name] for name in store.VOLATILE})
            link_problems.pop(source, None)
            parse_problems.pop(source, None)
            if own:
                link_problems[source] = own
            if found:
                parse_problems[source] = found
        self._lap("assemble")

        before = len(hot.renderer.problems())
        produced: list[tuple[str, Unit, list[OutputFile]]] = []
        hot.feeds_forget(edited)  # feed units share each post's entry among themselves
        for uid in todo:
            old_unit = state.units[uid]
            if uid in hot.feeds:
                with recording() as reads:
                    files = hot.feeds[uid]()
                deps = tuple(sorted(merge(reads, hot.feeds_setup).items()))
            else:
                _, files, deps, names, _ = _render_one(hot.renderer, uid, hot.items[uid])
                if not state.assets_are_templates and any(
                        n.startswith(f"{ASSETS_DIR}/") for n in names):
                    return None  # a template from assets/: the full build decides
            produced.append((uid, Unit(old_unit.own, deps,
                                       tuple((o.path, o.origin) for o in files)), files))
        if len(hot.renderer.problems()) != before:
            return None  # the full build reports template problems with every page named
        self._lap("templates")

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
        # Same paths as before: the manifest can wait for persist() (after the reload).
        result = writer.commit(save=False)
        hot.manifest, self._writer = writer.current, writer
        self._lap("commit")

        keys = set(loaded.keys)
        for source, (pkey, mkey, _, _, facts, _) in fresh.items():
            old_mkey = loaded.mkeys[source]
            for old_key, new_key in ((loaded.pkeys[source], pkey), (old_mkey, mkey),
                                     (_facts_key(old_mkey), _facts_key(mkey))):
                keys.discard(old_key)
                keys.add(new_key)
                if old_key != new_key:
                    self.memo.pop(old_key, None)
                    self._mkeys.pop(old_key, None)
            loaded.pkeys[source], loaded.mkeys[source] = pkey, mkey
            loaded.facts[source] = facts
        loaded.keys, loaded.digests = keys, scan.sources
        loaded.parse_problems, loaded.link_problems = parse_problems, link_problems
        warnings = [*hot.fixed, *(p for found in parse_problems.values() for p in found),
                    *(p for found in link_problems.values() for p in found)]
        last: BuildResult = state.result
        built = replace(last, output=self.output, written=result.written,
                        unchanged=result.unchanged, removed=result.removed,
                        warnings=tuple(sorted(warnings)),
                        seconds=time.perf_counter() - started,
                        rendered=sum(uid not in hot.feeds for uid in todo))  # as _build counts
        self.state = replace(state, inputs=scan.inputs, sources=scan.trusted, units=units,
                             result=built, digests=scan.sources, versions=versions)
        self.site = hot.site
        self._unsaved = keys
        if self._persist_now:
            self.persist()
        return built

    def persist(self) -> None:
        """Save the build state and new cache rows (kith serve does it after the reload)."""
        if self._writer is not None:
            self._writer.save_manifest()
            self._writer = None
        if self._freeze:
            # The assembled site lives as long as kith serve: out of the collector's
            # sight, a collection during a patch scans only that patch's objects.
            gc.collect()
            gc.freeze()
            self._freeze = False
        if self.use_cache and self._unsaved is not None and self.state is not None:
            store.save_state(self.state_file, self.state)
            self._lap("save state")
            self.store.flush(keep=self._unsaved)
            self._lap("save cache")
        self._unsaved = None

    def _state(self) -> BuildState:
        if not self.use_cache:
            return BuildState()
        if self.state is None:
            self.state = store.load_state(self.state_file)
        return self.state

    def _settings_digest(self, config: SiteConfig) -> str:
        return digest(fingerprint(), repr(config), repr((self.drafts, self.future)),
                      os.environ.get("SOURCE_DATE_EPOCH", ""))

    def scan(self, config: SiteConfig, state: BuildState,
             hints: Iterable[Path] | None = None) -> Scan:
        """List sources and compute their digests (from stat when the file is old enough).

        ``hints``: the only paths that changed since the last scan (from a file watcher);
        ignored when they name a folder.
        """
        folder = config.root / CONTENT_DIR
        sources: dict[str, str] = {}
        raw: dict[str, bytes] = {}
        trusted: dict[str, tuple[tuple[int, ...], str]] = {}
        statics: dict[str, str] = {}
        problems: list[Problem] = []
        now = time.time_ns()
        last = self._last_scan
        paths: Iterable[Path]
        if hints is not None and last is not None and last.exclude == config.exclude:
            hinted, ok = _hinted(folder, set(hints), last)
            if ok:
                sources, statics = dict(last.sources), dict(last.statics_stamps)
                trusted = dict(last.trusted)
                paths = [p for p in hinted if p.is_file() and not _ignored(
                    p.relative_to(folder), config.exclude)]
                present = set(paths)
                for path in hinted:
                    rel = path.relative_to(folder).as_posix()
                    trusted.pop(f"{CONTENT_DIR}/{rel}", None)
                    if path not in present:  # the others are updated in place, in order
                        sources.pop(f"{CONTENT_DIR}/{rel}", None)
                        statics.pop(rel, None)
            else:
                last = None
        else:
            last = None
        if last is None:
            if not folder.is_dir():
                problems.append(Problem(CONTENT_DIR, 0, "no content/ folder",
                                        "create content/posts/YYYY-MM-DD-title.md"))
                paths = []
            else:
                paths = _walk(folder, config.exclude)
        cut = len(os.fspath(folder)) + 1
        for path in paths:
            rel = os.fspath(path)[cut:].replace(os.sep, "/")
            st = os.stat(path)
            if os.path.splitext(rel)[1].lower() not in MARKDOWN_SUFFIXES:
                statics[rel] = f"{rel}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
                continue
            source = f"{CONTENT_DIR}/{rel}"
            known = store.known_digest(state.sources, source, st)
            if known is None:
                data = path.read_bytes()
                known = digest(data)
                if self.keep_memo or not self.use_cache:  # else workers read it again
                    raw[source] = data
            sources[source] = known
            if store.trustworthy(st, now):
                trusted[source] = (store.stat_signature(st), known)
        # Sorted as load_pages sorts: by path parts (unless the hints added no file).
        if last is None or not (sources.keys() <= last.sources.keys()):
            sources = dict(sorted(sources.items(), key=lambda kv: kv[0].split("/")))
        if last is None or not (statics.keys() <= last.statics_stamps.keys()):
            statics = dict(sorted(statics.items(), key=lambda kv: kv[0].split("/")))
        stamps = []
        own = config.root / LAYOUTS_DIR
        for theme in dict.fromkeys([own.resolve(), theme_dir().resolve()]):
            for path in sorted(theme.rglob("*")) if theme.is_dir() else ():
                with contextlib.suppress(OSError):
                    st = os.stat(path)
                    stamps.append(f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
        settings, roots = self._settings_digest(config), _root_files(config)
        # One joined string per group ("\0" is in no path): one hash update, not 5,000.
        statics_part, stamps_part = "\0".join(statics.values()), "\0".join(stamps)
        inputs = digest(settings, "\0".join([f"{k}={v}" for k, v in sources.items()]),
                        statics_part, stamps_part, roots)
        shape = digest(settings, "\0".join(sources), statics_part, stamps_part, roots)
        scan = Scan(sources, raw, trusted, tuple(statics), tuple(problems), inputs, statics,
                    config.exclude, shape)
        self._last_scan = scan
        return scan

    def load(self, config: SiteConfig, scan: Scan) -> Loaded:
        """Sources -> pages (cached parse), select, Markdown (cached), assemble.

        A one-shot build with a warm cache reads one small row per source (its "brief":
        the parsed page without its body, problems, Markdown key and link markers) and
        loads a page's Markdown fields only when one is read (Deferred).
        """
        settings = store.parse_settings(config)
        pkeys = {s: _parse_key(s, d, settings) for s, d in scan.sources.items()}
        deferred = not self.keep_memo and self.use_cache
        briefs: dict[str, Any] = self._cached(_brief_key(k) for k in pkeys.values()) \
            if deferred else {}
        wanted = [k for k in pkeys.values() if _brief_key(k) not in briefs]
        parsed = self._cached(wanted)
        misses = [s for s, k in pkeys.items() if k not in parsed and _brief_key(k) not in briefs]
        if misses and deferred:
            # Workers read, parse and render each new source in one go and store the
            # rows: no body and no HTML passes through (or stays in) this process.
            scan.raw.clear()
            self._lap("load cache")

            def briefed(offset: int, results: list[Any]) -> None:
                for source, result in zip(misses[offset:], results, strict=False):
                    if result is None:
                        continue  # changed since the scan: parsed below, from its bytes
                    pkey = pkeys[source]
                    brief, rows = result
                    for key, blob in rows:
                        self.store.put_packed(key, blob)
                    briefs[_brief_key(pkey)] = brief
                    self.store.put(_brief_key(pkey), brief)

            self._map(_read_many, [(s, scan.sources[s]) for s in misses], "Markdown",
                      each=briefed, config=config)
            self._lap("markdown")
            self.store.flush()
            misses = [s for s in misses if _brief_key(pkeys[s]) not in briefs]
        if misses:
            items = []
            for source in misses:
                data = scan.raw.get(source)
                if data is None:
                    data = (config.root / source).read_bytes()
                    found = digest(data)
                    if found != scan.sources[source]:
                        # Changed since the scan: build what is there now, under its own
                        # digest, and make sure the next build does not take this as done.
                        scan.sources[source] = found
                        scan.trusted.pop(source, None)
                        scan.inputs = ""
                        pkeys[source] = _parse_key(source, found, settings)
                items.append((source, data))
            self._lap("load cache")
            results = self._map(_parse_many, items, "reading", config=config)
            self._lap("parse")
            for source, result in zip(misses, results, strict=True):
                parsed[pkeys[source]] = result
                self._remember(pkeys[source], result)
            self.store.flush()
        scan.raw.clear()  # read once, parsed: no longer needed
        pages: list[Page] = []
        problems: list[Problem] = list(scan.problems)
        parse_problems: dict[str, tuple[Problem, ...]] = {}
        known_facts: dict[str, Any] = {}
        for source in scan.sources:
            brief = briefs.get(_brief_key(pkeys[source]))
            if brief is not None:
                page, found, mkey, facts = brief
                if page is not None:
                    self._mkeys[pkeys[source]] = mkey
                    if facts is not None:  # None: not rendered yet (a draft)
                        known_facts[_facts_key(mkey)] = facts
            else:
                page, found = parsed[pkeys[source]]
            problems.extend(found)
            if found:
                parse_problems[source] = found
            if page is not None:
                pages.append(page)
        published, skipped = select_pages(pages, drafts=self.drafts, future=self.future)
        waiting = {s.source for s in skipped if s.reason.startswith("future")}
        due = [p.date.timestamp() for p in pages if p.date is not None and p.source in waiting]
        mkeys = [self._markdown_key(pkeys[p.source], p) for p in published]
        # What Deferred needs up front is each result's facts (link markers...).
        facts: dict[str, Any] = known_facts
        if len(facts) < len(mkeys):
            facts.update(self._cached(_facts_key(k) for k in mkeys if _facts_key(k) not in facts))
        rendered: dict[str, Any] = {} if deferred else self._cached(mkeys)
        todo = [(k, p) for k, p in zip(mkeys, published, strict=True)
                if _facts_key(k) not in facts or not (deferred or k in rendered)]

        def done(offset: int, results: list[Any]) -> None:
            for (key, _), result in zip(todo[offset:], results, strict=False):
                if deferred:  # the worker packed it: it stays in the store until read
                    facts[_facts_key(key)], blob = result
                    self.store.put_packed(key, blob)
                else:
                    facts[_facts_key(key)] = _facts(result)
                    self.store.put(key, result)
                    rendered[key] = self.memo[key] = result
                self.store.put(_facts_key(key), facts[_facts_key(key)])

        if todo:
            self._lap("load cache")
            self._map(_markdown_many, [(p.body, p.body_line, p.source) for _, p in todo],
                      "Markdown",
                      each=done, pack=deferred)
            self._lap("markdown")
            self.store.flush()
        if deferred:  # briefs for next time
            for source in scan.sources:
                pkey = pkeys[source]
                if _brief_key(pkey) not in briefs:
                    page, found = parsed[pkey]
                    mkey = self._markdown_key(pkey, page) if page is not None else ""
                    self.store.put(_brief_key(pkey), (
                        _without_body(page) if page is not None else None, found, mkey,
                        facts.get(_facts_key(mkey)) if page is not None else None))
            self.store.flush()
        ready = []
        for key, page in zip(mkeys, published, strict=True):
            tracked = track(page)
            if not self.keep_memo:
                tracked.__dict__["body"] = LazyBody(partial(self._body, config, page.source,
                                                            pkeys[page.source]))
            result: Rendered | None = rendered.get(key)
            if result is None:
                fetch = partial(self._rendered, config, key, page.source, pkeys[page.source],
                                page.body_line)
                tracked.__dict__.update(dict.fromkeys(
                    MARKDOWN_FIELDS, Deferred(fetch, facts[_facts_key(key)][0])))
            else:
                tracked.__dict__.update(markdown_fields(result))
            ready.append(tracked)
        # Forget results of sources' earlier versions (kith serve lives long).
        live = {*pkeys.values(), *mkeys, *(_facts_key(k) for k in mkeys)}
        if deferred:
            live.update(_brief_key(k) for k in pkeys.values())
        if len(self.memo) > len(live):
            self.memo = {k: v for k, v in self.memo.items() if k in live}
            self._mkeys = {k: v for k, v in self._mkeys.items() if k in live}
        if not self.keep_memo:
            self.memo.clear()
            del parsed, rendered
        shapes = ({p.source: (store.structure(p), p.title) for p in published}
                  if self.keep_memo else {})
        link_problems: dict[str, list[Problem]] = {}
        site, listings, found = assemble_site(config, ready, scan.statics, link_problems)
        return Loaded(Assembled(config, site, listings, skipped, (*problems, *found)),
                      scan.sources, live,
                      min(due) if due else None, pkeys,
                      {p.source: k for p, k in zip(published, mkeys, strict=True)},
                      parse_problems, link_problems, shapes,
                      {p.source: facts[_facts_key(k)] for p, k in zip(published, mkeys,
                                                                       strict=True)})

    # -- helpers ----------------------------------------------------------------------

    def _body(self, config: SiteConfig, source: str, pkey: str) -> str:
        """A page's body, for the rare template that reads it (see LazyBody)."""
        found = self.memo.get(pkey) or self.store.get_many([pkey]).get(pkey)
        if found is None:  # no cache: parse the file again
            found = _parse_many_with(config, [(source, (config.root / source).read_bytes())])[0]
        page, _ = found
        return page.body if page is not None else ""

    def _bytecode_dir(self) -> Path | None:
        """Compiled templates, kept with the content cache (about 0.1 s per build)."""
        if not self.use_cache or self.store.readonly:
            return None
        # Compiled code depends on Kith's Jinja settings and extensions, not just the
        # template's source: one folder per fingerprint, older ones removed.
        folder = self.root / store.CACHE_DIR / f"templates-{fingerprint()[:16]}"
        if folder.is_dir():
            return folder
        try:
            for old in (self.root / store.CACHE_DIR).glob("templates-*"):
                shutil.rmtree(old, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return folder

    def _rendered(self, config: SiteConfig, key: str, source: str, pkey: str,
                  body_line: int) -> Rendered:
        """A page's Markdown result, for a Deferred field read after the load."""
        found = self.memo.get(key) or self.store.get_many([key]).get(key)
        if found is None:  # another build dropped the row meanwhile
            found = render_markdown(self._body(config, source, pkey), body_line, source)
        return found

    def _intact(self, writer: Writer, paths: Iterable[str]) -> bool:
        if self.trust_outputs:
            return all(path in writer.previous for path in paths)
        return all(writer.intact(path) for path in paths)

    def _markdown_key(self, pkey: str, page: Page) -> str:
        key = self._mkeys.get(pkey)
        if key is None:
            key = self._mkeys[pkey] = _markdown_key_of(page)
        return key

    def _cached(self, keys: Iterable[str]) -> dict[str, Any]:
        keys = list(keys)
        found = {k: self.memo[k] for k in keys if k in self.memo}
        missing = [k for k in keys if k not in found]
        if missing:
            loaded = self.store.get_many(missing)
            self.memo.update(loaded)
            found.update(loaded)
        return found

    def _remember(self, key: str, value: Any) -> None:
        self.memo[key] = value
        self.store.put(key, value)

    def _map(self, func: Callable[[list[Any]], list[Any]], items: list[Any], what: str,
             each: Callable[[int, list[Any]], None] | None = None, **job: Any) -> list[Any]:
        """func over items, in chunks, on all cores when it pays; results in order.

        ``each(offset, results)``: called per chunk instead of keeping all results.
        """
        _JOB.update(job)
        results: list[Any] = []
        done = 0
        try:
            if self.jobs == 1 or len(items) < POOL_MIN_MARKDOWN or not _can_fork():
                self.progress.update(what, 0, len(items))
                parts: Iterable[list[Any]] = [func(items)]
                size = len(items)
                pool = None
            else:
                size = max(4, min(64, len(items) // (self.jobs * 8)))
                chunks = [items[i:i + size] for i in range(0, len(items), size)]
                pool = ProcessPoolExecutor(self.jobs, mp_context=get_context("fork"))
                parts = pool.map(func, chunks)
            try:
                for part in parts:
                    if each is not None:
                        each(done, part)
                    else:
                        results.extend(part)
                    done += len(part)
                    self.progress.update(what, done, len(items))
            finally:
                if pool is not None:
                    pool.shutdown(cancel_futures=True)
            return results
        finally:
            _JOB.clear()

    def _render(self, renderer: Renderer, todo: list[tuple[str, Unit_]],
                problems: list[Problem], writer: Writer | None = None
                ) -> Iterator[Rendering]:
        """Render units, yielding (id, outputs, deps, templates, staged) in order.

        On all cores, workers also stage the files with ``writer`` (when given) and
        send back what they did, not the bytes.
        """
        if self.jobs > 1 and len(todo) >= POOL_MIN_RENDER and _can_fork():
            _JOB.update(renderer=renderer, units=todo, before=len(renderer.problems()),
                        writer=writer)
            trouble, done = False, 0
            try:
                size = max(8, min(128, len(todo) // (self.jobs * 6)))
                bounds = [(i, min(i + size, len(todo))) for i in range(0, len(todo), size)]
                with ProcessPoolExecutor(self.jobs, mp_context=get_context("fork")) as pool:
                    for part, bad in pool.map(_render_many, bounds):
                        trouble = trouble or bad
                        done += len(part)
                        self.progress.update("rendering", done, len(todo))
                        yield from part
            except BaseException:
                if writer is not None:
                    writer.abort(sweep=True)  # files a crashed worker staged
                raise
            finally:
                _JOB.clear()
            if trouble:  # messages aggregate across pages: render here too, for exact ones
                for uid, item in todo:
                    _render_one(renderer, uid, item)
        else:
            for done, (uid, item) in enumerate(todo, 1):
                yield _render_one(renderer, uid, item)
                if done % 50 == 0:
                    self.progress.update("rendering", done, len(todo))
        problems.extend(renderer.problems())


def _ignored(rel: PurePath, exclude: tuple[str, ...]) -> bool:
    """content._walk's rule: dotfiles, editor backups and excluded patterns are not content."""
    if any(part.startswith(".") or part.endswith("~") for part in rel.parts):
        return True
    return any(fnmatch.fnmatch(rel.as_posix(), pattern) for pattern in exclude)


def _hinted(folder: Path, hints: set[Path], last: Scan) -> tuple[list[Path], bool]:
    """The changed paths under content/, and whether they are all plain files."""
    found = []
    for path in sorted(hints):
        try:
            rel = path.relative_to(folder).as_posix()
        except ValueError:
            continue  # layouts/ and site.yaml: compared on every build anyway
        if path.is_dir() or not rel or rel == ".":
            return [], False
        prefix = f"{CONTENT_DIR}/{rel}/"
        if any(s.startswith(prefix) for s in last.sources) or any(
                s.startswith(f"{rel}/") for s in last.statics):
            return [], False  # a folder that went away
        found.append(path)
    return found, True


def _parse_key(source: str, source_digest: str, settings: str) -> str:
    """The cache key of a source's parse result: its path, bytes and parse settings."""
    return digest("parse", source, source_digest, settings)


def _markdown_key_of(page: Page) -> str:
    """The cache key of a page's Markdown result: its body and the body's first line."""
    return digest("markdown", page.body, str(page.body_line))


def _brief_key(pkey: str) -> str:
    return f"{pkey}:brief"


def _without_body(page: Page) -> Page:
    brief = object.__new__(type(page))
    brief.__dict__.update(page.__dict__, body="")
    return brief


def _facts_key(key: str) -> str:
    return f"{key}:facts"


def _dependents(units: dict[str, Unit]) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for uid, unit in units.items():
        for source, mask in unit.deps:
            found.setdefault(source, {})[uid] = mask
    return found


Facts = tuple[tuple[tuple[str, str, str], ...], str, str, str]
"""What a Markdown result tells without loading it: its link markers, and versions of
the summary, word count and reading time."""


def _facts(rendered: Rendered) -> Facts:
    return (link_marks(rendered.html) + link_marks(rendered.summary_html),
            _short(rendered.summary_html), str(rendered.words), str(rendered.reading_minutes))


def _short(value: str) -> str:
    return digest(value)[:16]


def field_versions(page: Page, mkey: str, facts: Facts) -> tuple[str, ...]:
    """A version of each of the page's VOLATILE fields: equal versions, equal values
    (under one site structure, which fixes how links resolve).

    Fields that only the Markdown result sets are versioned by its cache key, except
    those list pages show (a post's summary, its reading time): by value, so that a
    paragraph added at the end does not render every list the post is on again.
    """
    d = page.__dict__
    known = {"title": _short(d["title"]), "body": mkey, "body_line": str(d["body_line"]),
             "summary": _short(repr(d["summary"])), "lines": _short(repr(d["lines"])),
             "html": mkey, "toc": mkey, "summary_html": facts[1], "text": mkey,
             "words": facts[2], "reading_minutes": facts[3]}
    return tuple(known[name] for name in store.VOLATILE)


def _changed(old: dict[str, tuple[str, ...]], new: dict[str, tuple[str, ...]]) -> dict[str, int]:
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


def _render_one(renderer: Renderer, uid: str, item: Unit_, writer: Writer | None = None
                ) -> Rendering:
    """Render a page, a listing or a feed unit, noting what it read and which templates;
    with ``writer``, stage its files too and keep only their paths."""
    names: set[str] = getattr(renderer, "_kith_loaded", set())
    start = set(names)
    with recording() as reads:
        if isinstance(item, Page):
            produced = list(renderer.page(item))
        elif isinstance(item, Listing):
            produced = list(renderer.listing(item))
        else:
            produced = item()
    staged: list[Staged | None] = [None] * len(produced)
    if writer is not None:
        for i, file in enumerate(produced):
            if file.data is not None:
                staged[i] = writer.stage(file)
                produced[i] = OutputFile(file.path, origin=file.origin)
    return uid, produced, tuple(sorted(reads.items())), names - start, staged


_JOB: dict[str, Any] = {}
"""What forked workers inherit: set just before the pool starts."""


def _can_fork() -> bool:
    # Forking a process that runs other threads (kith serve) can inherit held locks.
    return sys.platform == "linux" and threading.active_count() == 1


def _parse_many(items: list[tuple[str, bytes]]) -> list[tuple[Page | None, tuple[Problem, ...]]]:
    return _parse_many_with(_JOB["config"], items)


def _parse_many_with(config: SiteConfig, items: list[tuple[str, bytes]]
                     ) -> list[tuple[Page | None, tuple[Problem, ...]]]:
    out = []
    for source, raw in items:
        page, problems = read_page(config, source[len(CONTENT_DIR) + 1:], raw)
        out.append((page, tuple(problems)))
    return out


def _read_many(items: list[tuple[str, str]]) -> list[Any]:
    """Read, parse and render sources: per source, its brief and its packed rows (parse
    result, Markdown result, facts), or None when its bytes no longer match the scan."""
    config: SiteConfig = _JOB["config"]
    settings = store.parse_settings(config)
    out: list[Any] = []
    for source, expected in items:
        try:
            data = (config.root / source).read_bytes()
        except OSError:
            data = b""
        if digest(data) != expected:
            out.append(None)
            continue
        found = _parse_many_with(config, [(source, data)])[0]
        page, problems = found
        rows = [(_parse_key(source, expected, settings), store.pack(found))]
        mkey, facts = "", None
        if page is not None:
            mkey = _markdown_key_of(page)
            rendered = render_markdown(page.body, page.body_line, source)
            facts = _facts(rendered)
            rows += [(mkey, store.pack(rendered)), (_facts_key(mkey), store.pack(facts))]
            page = _without_body(page)
        out.append(((page, problems, mkey, facts), rows))
    return out


def _markdown_many(items: list[tuple[str, int, str]]) -> list[Any]:
    """Markdown results; with ``pack``, as (facts, stored row): the main process then
    neither unpickles nor pickles them."""
    if _JOB.get("pack"):
        return [_packed(render_markdown(*item)) for item in items]
    return [render_markdown(*item) for item in items]


def _packed(rendered: Rendered) -> tuple[Facts, bytes]:
    return _facts(rendered), store.pack(rendered)


def _render_many(bounds: tuple[int, int]) -> tuple[list[Any], bool]:
    renderer: Renderer = _JOB["renderer"]
    if Deferred.filled is None:  # this worker: let each unit's HTML go after it
        Deferred.filled = []
    # Files are staged here, on all cores, rather than one by one by the main process.
    part = []
    for uid, item in _JOB["units"][slice(*bounds)]:
        part.append(_render_one(renderer, uid, item, _JOB["writer"]))
        Deferred.release()
    return part, len(renderer.problems()) > _JOB["before"]


def _root_files(config: SiteConfig) -> str:
    """Files beside site.yaml that stages read themselves (feeds: the ID ledger)."""
    parts = []
    for name in (CONFIG_FILE, getattr(feeds, "FEED_IDS_FILE", None)):
        if name:
            try:
                parts.append(digest(name, (config.root / name).read_bytes()))
            except OSError:
                parts.append(f"{name}:-")
    return digest(*parts)


def _signature(item: Page | Listing) -> str:
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


def _feed_units(site: Site, listings: Sequence[Listing]
                ) -> tuple[list[tuple[str, Callable[[], list[OutputFile]]]],
                           Callable[[Iterable[str]], None]]:
    """Each feed as a unit, and how to make them forget pages patched in place."""
    units = feeds.feed_units(site, listings)
    return [(f"f:{uid}", render) for uid, render in units], units.forget


def _watch_templates(renderer: Renderer) -> set[str]:
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


def _templates_digest(dirs: Sequence[Path], with_assets: bool) -> str:
    """Every file a template could load; assets/ only when a template loads from it."""
    parts = []
    for i, folder in enumerate(dirs):
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and (with_assets or not rel.startswith(f"{ASSETS_DIR}/")):
                parts.append(f"{i}:{rel}:{digest(path.read_bytes())}")
    return digest(*parts)


def _collisions(outputs: list[OutputFile], known: list[Problem]) -> list[Problem]:
    """Theme assets, feeds and content files that land on one path (pages are checked earlier)."""
    seen: dict[str, str] = {}
    problems = []
    reported = " ".join(p.message for p in known)
    for item in outputs:
        if item.path in seen and f"'{item.path}'" not in reported:
            problems.append(Problem(item.origin, 0, f"'{item.path}' would be written by both "
                                    f"{seen[item.path]} and {item.origin}",
                                    "rename or move one of them"))
        else:
            seen[item.path] = item.origin
    return problems


class Progress:
    """One self-overwriting line on stderr, only for a terminal and a build that takes a while."""

    def __init__(self, stream: Any = None, delay: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.delay = delay
        self.shown = False
        self.last = 0.0
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, what: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if not self.enabled or now - self.started < self.delay or now - self.last < 0.1:
            return
        self.last, self.shown = now, True
        self.stream.write(f"\r\x1b[K{what} {done}/{total}")
        self.stream.flush()

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
