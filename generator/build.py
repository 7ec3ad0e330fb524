"""The build: the only module that knows the order of the stages.

    load_config -> scan content/ -> (nothing changed? replay the last result)
    -> load sources (parse, select, Markdown; cached) -> assemble the site
    -> plan units (what must render again) -> render pages, listings, feeds
    -> add theme assets and static files -> check -> commit to the output folder
    -> remember what was built

Each step lives in a module of its own: ``scan`` (what is on disk), ``sources``
(parse and Markdown results through ``cache``), ``site`` (assembly), ``units``
(what renders again), ``pool`` (all cores), ``layouts`` and ``feeds`` (rendering),
``writer`` (the only code that writes the output folder) and ``patch`` (kith
serve's in-place shortcut).

The rendering stages (``units``, ``layouts``, ``patch``: Jinja, Pygments, the feeds)
are imported when a build renders: a build that finds nothing changed replays the
last result without them, and their imports were a third of its time.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache as store
from .cache import BuildState, ContentCache, Unit, digest, fingerprint, merge, recording, replay
from .config import SiteConfig, load_config, read_config
from .content import CONTENT_DIR
from .dates import build_time
from .errors import KithError, Problem, repeated
from .feed_ids import check_feed_ids, update_id_ledger
from .files import absolute_records_name, records_name
from .model import OutputFile, Page, Site
from .paths import OUTPUT_DIR
from .pool import POOL_MIN_KEYS, Pool, Progress, apply_many
from .scan import Scan, Scanner, root_files
from .selection import Skipped, select_pages
from .site import Listing
from .sources import Assembled, Loaded, Sources
from .writer import Writer, check_output_dir, manifest_path

if TYPE_CHECKING:
    from . import units
    from .layouts import Renderer
    from .patch import Hot

__all__ = ["OUTPUT_DIR", "Assembled", "BuildResult", "Builder", "Progress", "Skipped",
           "assemble", "build", "load_site", "select_pages"]



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
    recorded: tuple[str, ...] = ()
    """Lines this build added to the feed ID ledger."""
    repeated: frozenset[Problem] = frozenset()
    """The ``warnings`` the last good build reported too (same path, line and message),
    which the CLI counts instead of printing each again; empty after a first build. Set
    on what ``build()`` returns, never saved with the build state."""


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
    builder = Builder(root, drafts=drafts, future=future, base_url=base_url,
                      readonly=not save_cache)
    config = load_config(root, base_url)
    loaded = builder.load(config, builder.scanner.scan(config, builder.state_now(),
                                                       builder.settings_digest(config)))
    if save_cache:
        builder.sources.store.flush()
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


def adopt_records(root: Path, output: Path) -> None:
    """Give the records of builds into ``output`` that ``.cache/`` keeps under the name
    Kith gave them before (by the output's absolute path) the name of now: else the
    first build after an upgrade would not know its own files, and the pages of a post
    deleted meanwhile would stay. All of them move: the manifest, an unfinished commit's
    journal and its staging folder (the journal names staged files relative to it), the
    marker of unsettled outputs and the build state. Records an older Kith wrote after
    a newer one (a downgrade, then an upgrade again) are newer than ours: they win,
    unless a commit of ours is unfinished."""
    old, new = absolute_records_name(output), records_name(root, output)
    before, after = manifest_path(root, output, old), manifest_path(root, output, new)
    journal = before.with_suffix(".journal")
    if old == new or after.with_suffix(".journal").exists():
        return
    if not journal.exists() and _mtime(before) <= _mtime(after):
        return  # nothing under the old name (-1), or ours is newer
    staging = before.with_suffix(".staging")
    if staging.is_dir():
        shutil.rmtree(after.with_suffix(".staging"), ignore_errors=True)  # a leftover of ours
    # The manifest last: while it (or the journal) is there, a killed adoption is redone.
    moves = [(staging, after.with_suffix(".staging")),
             (before.with_suffix(".unsettled"), after.with_suffix(".unsettled")),
             (store.state_path(root, output, old), store.state_path(root, output)),
             (journal, after.with_suffix(".journal")), (before, after)]
    for source, target in moves:
        with contextlib.suppress(FileNotFoundError):
            os.replace(source, target)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return -1


class Builder:
    """Builds one site into one folder, again and again (``kith serve`` keeps one alive)."""

    timings: dict[str, float]
    """Seconds per stage of the last build; printed to stderr when KITH_TIMINGS is set."""

    def __init__(self, root: Path, *, output: Path | None = None, drafts: bool = False,
                 future: bool = False, base_url: str | None = None, jobs: int | None = None,
                 cache: bool = True, progress: Progress | None = None,
                 trust_outputs: bool = False, keep_memo: bool = False,
                 readonly: bool = False, record_ids: bool = False) -> None:
        self.root = root
        self.output = output if output is not None else root / OUTPUT_DIR
        self.drafts, self.future, self.base_url = drafts, future, base_url
        self.use_cache = cache
        self.record_ids = record_ids and not (drafts or future)
        """Append new feed entry IDs to the ledger (kith build; a draft's ID is minted
        from the date it is really published on)."""
        self.trust_outputs = trust_outputs
        """Skip checking that unchanged outputs are still as written (a private folder)."""
        self.keep_memo = keep_memo
        """Keep parse and Markdown results in memory between builds (kith serve)."""
        self.progress = progress or Progress()
        self.pool = Pool(max(1, jobs or os.cpu_count() or 1), self.progress)
        self.sources = Sources(ContentCache(root, enabled=cache, readonly=readonly), self.pool,
                               keep_memo, cache, self._lap)
        self.scanner = Scanner(keep_bytes=keep_memo or not cache)
        self.state: BuildState | None = None
        if not readonly:
            adopt_records(root, self.output)
        self.state_file = store.state_path(root, self.output)
        self.timings = {}
        self._clock = 0.0
        self._persist_now = True
        self._unsaved: set[str] | None = None
        self.site: Site | None = None
        """The site of the last build that assembled one (None after a no-op build)."""
        self.hot: Hot | None = None
        """The last good build, to patch in place (only with keep_memo)."""
        self._writer: Writer | None = None
        """A writer whose manifest is still to be saved (by persist())."""
        self._freeze = False

    def build(self, persist: bool = True, hints: Iterable[Path] | None = None) -> BuildResult:
        """Build once; ``persist=False`` leaves saving the cache to ``persist()``.

        ``hints``: paths a file watcher saw change since the last build, or None (look).
        """
        self._persist_now = persist
        started = self._clock = time.perf_counter()
        self.timings = {}
        # A one-shot build keeps what each stage made until it ends: frozen at each lap,
        # it is out of the collector's sight (full collections walked ~120,000 objects
        # three times in the main process of a 5,000-post build, 0.2-0.6 s, freeing none).
        self.pool.settle = not self.keep_memo and not gc.get_freeze_count()
        try:
            # A wrong setting that does not shape how content is read comes back beside a
            # config with its default: the build then reports the content's problems too.
            config, config_problems = read_config(self.root, self.base_url)
            check_output_dir(self.root, self.output)
            state = self.state_now()
            self._lap("state")
            scan = self.scanner.scan(config, state, self.settings_digest(config), hints)
        except BaseException:
            self.scanner.forget()  # the hints of this round are spent: look again next time
            raise
        hot = self.hot
        writer = Writer(self.output, manifest_path(self.root, self.output),
                        hot.manifest if hot is not None and hot.manifest is not None else None,
                        tuple(o for o, on in (("drafts", self.drafts), ("future", self.future))
                              if on))
        self._lap("scan")
        before = state.result.warnings if state.result is not None else ()
        try:
            if config_problems:  # known to fail: the content's problems too, nothing written;
                # no template renders (it would meet a wrong setting's default: params: {})
                assembled = self.load(config, scan).assembled
                writer.abort()
                raise KithError([*config_problems, *assembled.problems,
                                 *check_feed_ids(assembled.site)])
            if self._nothing_changed(state, scan, writer):
                self._lap("no-op check")
                if self.use_cache and not self.sources.store.readonly:
                    self.state = store.trust_more(self.state_file, state, scan.trusted)
                last: BuildResult = state.result
                return replace(last, output=self.output, written=0, unchanged=last.files,
                               removed=0, rendered=0, recorded=(),
                               seconds=time.perf_counter() - started,
                               repeated=repeated(last.warnings, last.warnings))
            result = self._patch(config, state, scan, writer, started) \
                or self._build(config, state, scan, writer, started)
            return replace(result, repeated=repeated(result.warnings, before))
        except KithError as exc:  # its warnings, too, are told apart from the last build's
            exc.repeated = repeated(exc.problems, before)
            raise
        finally:
            if self.pool.settle:
                gc.unfreeze()  # garbage among it is collectable again
                self.pool.settle = False
            self.progress.done()
            if os.environ.get("KITH_TIMINGS"):
                print("timings: " + ", ".join(f"{k} {v:.3f}" for k, v in self.timings.items()),
                      file=sys.stderr)

    def _nothing_changed(self, state: BuildState, scan: Scan, writer: Writer) -> bool:
        """Same inputs as the last good build, no page come due, every output intact."""
        return (state.result is not None and state.inputs == scan.inputs
                and (state.next_change is None or build_time().timestamp() < state.next_change)
                and self._intact(writer, writer.previous))

    def _build(self, config: SiteConfig, state: BuildState, scan: Scan, writer: Writer,
               started: float) -> BuildResult:
        """A full build: every stage, rendering only the units whose inputs changed."""
        from . import units
        from .layouts import Renderer
        from .patch import keep_hot

        loaded = self.load(config, scan)
        self._lap("assemble")
        site, listings = loaded.assembled.site, loaded.assembled.listings
        self.site = site
        problems = [*loaded.assembled.problems, *check_feed_ids(site)]
        stage = not any(not p.warning for p in problems)  # known to fail: render only to report
        with recording() as global_reads:
            renderer = Renderer(site, store.templates_dir(self.root) if self.use_cache
                                and not self.sources.store.readonly else None)
        renderer.env.kith_recording = (recording, replay)  # type: ignore[attr-defined]
        renderer.on_site_read = store.note_site
        renderer.on_related_read = store.note_related
        structures = units.structures(site)
        renderer.key = units.Keys(structures, renderer.reach)
        templates_loaded = units.watch_templates(renderer)
        whole = units.whole_digest(structures, listings)
        base = units.base_digest(
            digest(self.settings_digest(config), renderer.theme_digest()),
            units.templates_digest(renderer.dirs, state.assets_are_templates),
            {s: whole if s == store.SITE else loaded.digests.get(s, "-") for s in global_reads},
            site, renderer.frame())
        versions = units.page_versions(state, loaded.digests, loaded.mkeys, loaded.facts, site)
        extra_units = renderer.extra_units(self._cache_dir())  # search index, image copies
        plan, items, feeds = self._plan(config, state, base, whole, versions, site, listings,
                                        renderer, writer, extra_units)
        outputs = self._render(renderer, site, plan, [uid for uid, _ in feeds.units],
                               feeds.setup_reads, templates_loaded, writer if stage else None)
        self._lap("render")
        extra = [*renderer.assets(),
                 *(OutputFile(s, copy_from=str(config.root / CONTENT_DIR / s),
                              origin=f"{CONTENT_DIR}/{s}") for s in site.statics)]
        for item in extra:
            outputs.append(item)
            if stage:
                writer.add(item)
        problems += plan.problems
        problems += units.collisions(outputs, problems)
        if any(not p.warning for p in problems):
            writer.abort()
            raise KithError(problems)
        writer.claim(renderer.owned)  # the search index, hashed assets
        result = writer.commit()
        self._writer = None  # its manifest is saved: a patch's unsaved one is older
        self._lap("commit")
        recorded = self._record_ids(config, site, scan)
        built = BuildResult(
            output=self.output, pages=len(site.pages), files=len(outputs),
            written=result.written, unchanged=result.unchanged, removed=result.removed,
            skipped=loaded.assembled.skipped, warnings=tuple(sorted(problems)),
            seconds=time.perf_counter() - started, rendered=plan.pages_todo,
            recorded=tuple(recorded))
        assets_are_templates = units.loads_assets(templates_loaded)
        self.state = BuildState(
            fingerprint=fingerprint(),
            inputs=scan.inputs if not assets_are_templates or state.assets_are_templates else "",
            sources=scan.trusted,
            # Template warnings are not replayed per unit: then render everything next time.
            units=plan.units if not plan.problems else {},
            assets_are_templates=assets_are_templates or state.assets_are_templates,
            next_change=loaded.next_change, result=built, base=base, whole=whole,
            digests=loaded.digests, versions=versions)
        self._unsaved = loaded.keys
        if self.keep_memo and self.trust_outputs and not plan.problems:
            self._freeze = True
            self.hot = keep_hot(scan.shape, loaded, renderer, items, feeds, global_reads,
                                problems, [item.path for item in extra], plan.units,
                                writer.current)
        if self._persist_now:
            self.persist()
        return built

    def _plan(self, config: SiteConfig, state: BuildState, base: str, whole: str,
              versions: dict[str, tuple[str, ...]], site: Site, listings: tuple[Listing, ...],
              renderer: Renderer, writer: Writer,
              extra_units: Sequence[tuple[str, Callable[[], list[OutputFile]]]] = ()
              ) -> tuple[units.Plan, list[tuple[str, Page | Listing]], units.FeedUnits]:
        """Which pages, listings and feeds render again (the others' outputs are kept)."""
        from . import units

        changed = units.changed_fields(state.versions, versions) if state.base == base else {}
        if state.whole != whole:
            changed[store.SITE] = store.ALL_FIELDS
        items = units.page_units(site, listings)
        plan = units.Plan()
        intact = lambda paths: self._intact(writer, paths)  # noqa: E731
        same = state.whole == whole  # then the structure's part of each key is as it was
        keys = renderer.key
        assert isinstance(keys, units.Keys)

        taken: dict[str, str] = {}
        if not same and state.base == base:
            # The keys of the units that may be kept (their reads are unchanged), on all
            # cores: a post's key takes its related posts, ~0.1 ms each.
            maybe = [(uid, item) for uid, item in items
                     if (old := state.units.get(uid)) is not None
                     and units.reads_unchanged(old, changed)]
            targets = [(item, units.shows_related(state.units[uid].own)) for uid, item in maybe]
            taken = dict(zip([uid for uid, _ in maybe],
                             self.pool.map(apply_many, list(range(len(maybe))), "keys",
                                           least=POOL_MIN_KEYS, targets=targets,
                                           apply=lambda target: keys(*target)),
                             strict=True))

        def own(uid: str, item: Page | Listing, old: Unit | None) -> str | None:
            if old is None:
                return None
            if same:
                return keys.same_structure(item, old.own)
            return taken.get(uid) or keys(item, units.shows_related(old.own))
        units.plan_units(state, base, changed, items, own, intact, writer, plan)
        self._lap("keys")
        feeds = units.feed_units(site, listings)
        feeds.add(extra_units)  # rendered, kept and patched as feeds are
        plan.pages_todo = len(plan.todo)
        reach = feeds.reach
        units.plan_units(state, base, changed, feeds.units,
                         lambda uid, *_: keys.of(reach[uid]) if uid in reach else "-",
                         intact, writer, plan)
        return plan, items, feeds

    def _render(self, renderer: Renderer, site: Site, plan: units.Plan, feed_order: list[str],
                setup_reads: dict[str, int], templates_loaded: set[str],
                writer: Writer | None) -> list[OutputFile]:
        """Render the planned units (bytes go to disk as they come, through ``writer``);
        every output of the site, kept or new, pages first and feeds after."""
        feed_ids = set(feed_order)
        outputs = [o for uid, files in plan.kept.items() if uid not in feed_ids for o in files]
        feed_outputs = {uid: files for uid, files in plan.kept.items() if uid in feed_ids}
        # Sources come back from workers as copies: one string each keeps the state small.
        canonical = {p.source: p.source for p in site.pages}
        for uid, produced, deps, names, staged, key in self.pool.render(renderer, plan.todo,
                                                                        plan.problems, writer):
            templates_loaded.update(names)
            files = [OutputFile(o.path, origin=o.origin) for o in produced]
            if uid in feed_ids:
                deps = tuple(sorted(merge(dict(deps), setup_reads).items()))
                feed_outputs[uid] = files
            else:
                outputs += files
            deps = tuple((canonical.get(source, source), mask) for source, mask in deps)
            # The render's own key: it knows whether the page showed its related posts.
            own = key or plan.own[uid]
            assert own is not None, uid  # feeds carry theirs; pages and listings get one
            plan.units[uid] = Unit(own, deps,
                                   tuple((o.path, o.origin) for o in produced))
            if writer is not None:
                for item, done in zip(produced, staged, strict=True):
                    if done is None:
                        writer.add(item)
                    else:  # a worker wrote it already
                        writer.record(item.path, done)
        for uid in feed_order:
            outputs += feed_outputs[uid]
        return outputs

    def _patch(self, config: SiteConfig, state: BuildState, scan: Scan, writer: Writer,
               started: float) -> BuildResult | None:
        """kith serve's shortcut (patch.py), when it is proven to give the same output."""
        if self.hot is None:
            return None
        from .patch import patch_site

        patched = patch_site(self.hot, config, state, scan, writer, self.sources, self._lap,
                             started)
        if patched is None:
            self.hot = None
            gc.unfreeze()  # what the last full build froze may be garbage now
            return None
        self._writer = writer  # its manifest is saved by persist(), after the reload
        self.state, self.site, self._unsaved = patched.state, self.hot.site, patched.keys
        if self._persist_now:
            self.persist()
        return patched.result

    def _record_ids(self, config: SiteConfig, site: Site, scan: Scan) -> list[str]:
        """Append the new entries' IDs to the ledger. The feeds just rendered used exactly
        these IDs (their keys hold them), so the ledger as now written is what this build
        saw: the scan's digests move on with it (or the next build would not be a no-op)."""
        if not self.record_ids:
            return []
        recorded = update_id_ledger(site)
        if recorded:
            self.scanner.restamp(scan, root_files(config))
        return recorded

    def load(self, config: SiteConfig, scan: Scan) -> Loaded:
        """Sources -> published pages with their Markdown results -> the assembled site."""
        return self.sources.load(config, scan, lambda pages: select_pages(
            pages, drafts=self.drafts, future=self.future))

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
            self.sources.store.flush(keep=self._unsaved)
            self.sources.store.checkpoint()
            self._lap("save cache")
        self._unsaved = None

    # -- helpers ----------------------------------------------------------------------

    def state_now(self) -> BuildState:
        """The last good build's state (empty without a cache)."""
        if not self.use_cache:
            return BuildState()
        if self.state is None:
            self.state = store.load_state(self.state_file)
        return self.state

    def _cache_dir(self) -> Path | None:
        """.cache/ for stages that keep files of their own (None: a clean build)."""
        return (self.root / store.CACHE_DIR if self.use_cache
                and not self.sources.store.readonly else None)

    def settings_digest(self, config: SiteConfig) -> str:
        return digest(fingerprint(), repr(config), repr((self.drafts, self.future)),
                      os.environ.get("SOURCE_DATE_EPOCH", ""))

    def _lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._clock
        self._clock = now
        if self.pool.settle:
            gc.freeze()

    def _intact(self, writer: Writer, paths: Iterable[str]) -> bool:
        if self.trust_outputs:
            return all(path in writer.previous for path in paths)
        return all(writer.intact(path) for path in paths)
