"""The process pool: parse, Markdown and templates on all cores when a build is big.

Workers are forked. They inherit what they need through ``_JOB`` (set just before a
pool starts: the settings, the renderer, the units) and send back small results:
packed cache rows instead of objects, the paths of files they staged instead of bytes.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any

from . import cache as store
from .cache import Facts, facts_of, recording
from .config import SiteConfig
from .content import CONTENT_DIR, read_page
from .errors import Problem
from .markdown import Rendered, render_markdown
from .model import Deferred, OutputFile, Page
from .site import Listing
from .writer import Staged, Writer

if TYPE_CHECKING:  # (layouts imports Jinja: a build with nothing to render needs none)
    from .layouts import Renderer

# Below these counts a process pool costs more than it saves.
POOL_MIN_MARKDOWN = 32
POOL_MIN_RENDER = 200
POOL_MIN_KEYS = 1000  # ~0.15 ms each: below, forking costs more than it saves

Unit_ = Page | Listing | Callable[[], list[OutputFile]]
"""What renders into files: a page, a listing, or a feed unit."""
Rendering = tuple[str, list[OutputFile], tuple[tuple[str, int], ...], set[str],
                  list[Staged | None], str | None]
"""(unit id, files, (source, fields) read, templates loaded, what a worker did with each
file, the unit's key: ``Renderer.key`` of a page or listing)."""
Parsed = tuple[Page | None, tuple[Problem, ...]]


class Pool:
    """Runs a build's per-source and per-unit work, on ``jobs`` processes when it pays."""

    def __init__(self, jobs: int, progress: Progress) -> None:
        self.jobs = jobs
        self.progress = progress
        self.settle = False
        """A one-shot build's pool: the build freezes the heap at each stage's end and
        unfreezes it when done; forking freezes it again (see ``frozen``)."""

    def map(self, func: Callable[[list[Any]], list[Any]], items: list[Any], what: str,
            each: Callable[[int, list[Any]], None] | None = None, least: int = POOL_MIN_MARKDOWN,
            **job: Any) -> list[Any]:
        """func over items, in chunks, on all cores when it pays (``least`` items); results
        in order.

        ``each(offset, results)``: called per chunk instead of keeping all results.
        """
        _JOB.update(job)
        results: list[Any] = []
        done = 0
        try:
            if self.jobs == 1 or len(items) < least or not can_fork():
                self.progress.update(what, 0, len(items))
                parts: Iterable[list[Any]] = [func(items)]
                pool = None
            else:
                size = max(4, min(64, len(items) // (self.jobs * 8)))
                chunks = [items[i:i + size] for i in range(0, len(items), size)]
                pool = ProcessPoolExecutor(self.jobs, mp_context=get_context("fork"))
            # Frozen while results arrive too: what was there before needs no scanning.
            with frozen(self.settle) if pool is not None else contextlib.nullcontext():
                if pool is not None:
                    parts = pool.map(func, chunks)  # forks the workers
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

    def render(self, renderer: Renderer, todo: list[tuple[str, Unit_]],
               problems: list[Problem], writer: Writer | None = None) -> Iterator[Rendering]:
        """Render units, yielding (id, outputs, deps, templates, staged) in ``todo``'s order
        (on all cores, the longest first).

        On all cores, workers also stage the files with ``writer`` (when given) and
        send back what they did, not the bytes.
        """
        if self.jobs > 1 and len(todo) >= POOL_MIN_RENDER and can_fork():
            yield from self._render_forked(renderer, todo, writer)
        else:
            for done, (uid, item) in enumerate(todo, 1):
                yield render_one(renderer, uid, item)
                if done % 50 == 0:
                    self.progress.update("rendering", done, len(todo))
        problems.extend(renderer.problems())

    def _render_forked(self, renderer: Renderer, todo: list[tuple[str, Unit_]],
                       writer: Writer | None) -> Iterator[Rendering]:
        # Longest first, so that the last chunks end together: units that take seconds
        # (the search index's shards) a chunk each, then the lists (the longest first)
        # and feeds in small chunks, the pages (short and alike) in large ones. A list of
        # every post in a last chunk of 128 units left one core idle for a tenth of the
        # render. The results come back in ``todo``'s order all the same.
        order = sorted(range(len(todo)), key=lambda i: _weight(todo[i][1]), reverse=True)
        heavy = sum(1 for i in order if getattr(todo[i][1], "heavy", False))
        pages = sum(1 for _, unit in todo if isinstance(unit, Page))
        _JOB.update(renderer=renderer, units=[todo[i] for i in order],
                    before=len(renderer.problems()), writer=writer)
        trouble, done = False, 0
        try:
            size = max(8, min(128, len(todo) // (self.jobs * 6)))
            small = max(1, min(8, (len(todo) - pages - heavy) // (self.jobs * 8)))
            lists_end = len(todo) - pages
            bounds = [(i, i + 1) for i in range(heavy)] + [
                (i, min(i + small, lists_end)) for i in range(heavy, lists_end, small)] + [
                (i, min(i + size, len(todo))) for i in range(lists_end, len(todo), size)]
            waiting: dict[int, Rendering] = {}
            next_index = 0
            with ProcessPoolExecutor(self.jobs, mp_context=get_context("fork")) as pool, \
                    frozen(self.settle):  # while results arrive too
                parts = pool.map(_render_many, bounds)  # forks the workers
                for (start, _), (part, bad) in zip(bounds, parts, strict=True):
                    trouble = trouble or bad
                    done += len(part)
                    self.progress.update("rendering", done, len(todo))
                    for offset, rendering in enumerate(part):
                        waiting[order[start + offset]] = rendering
                    while next_index in waiting:
                        yield waiting.pop(next_index)
                        next_index += 1
        except BaseException:
            if writer is not None:
                writer.abort(sweep=True)  # files a crashed worker staged
            raise
        finally:
            _JOB.clear()
        if trouble:  # messages aggregate across pages: render here too, for exact ones
            for uid, item in todo:
                render_one(renderer, uid, item)


def _weight(unit: Unit_) -> tuple[bool, bool, int]:
    """How long a unit takes to render, roughly: a heavy one (``heavy``), then a list
    or feed (by its length), then a page."""
    if isinstance(unit, Page):
        return False, False, 0
    return (getattr(unit, "heavy", False), True,
            len(unit.items) if isinstance(unit, Listing) else 0)


def render_one(renderer: Renderer, uid: str, item: Unit_, writer: Writer | None = None
               ) -> Rendering:
    """Render a page, a listing or a feed unit, noting what it read and which templates;
    with ``writer``, stage its files too and keep only their paths."""
    names: set[str] = getattr(renderer, "_kith_loaded", set())
    start = set(names)
    key = None
    with recording() as reads:
        if isinstance(item, Page):
            produced = list(renderer.page(item))
        elif isinstance(item, Listing):
            produced = list(renderer.listing(item))
        else:
            produced = item()
        # (in the block: an outer recording must not get the notes either)
        own_related = store.pop_related_notes(reads, item.source if isinstance(item, Page)
                                              else None)
    if renderer.key is not None and isinstance(item, Page | Listing):
        # here, on all cores: a cold build keys every unit
        key = renderer.key(item, related=own_related)  # (a listing's key has no related)
    staged: list[Staged | None] = [None] * len(produced)
    if writer is not None:
        for i, file in enumerate(produced):
            if file.data is not None:
                staged[i] = writer.stage(file)
                produced[i] = OutputFile(file.path, origin=file.origin)
    return uid, produced, tuple(sorted(reads.items())), names - start, staged, key


def parse_sources(config: SiteConfig, items: list[tuple[str, bytes]]) -> list[Parsed]:
    """Front matter -> pages, with their problems (in this process)."""
    out = []
    for source, raw in items:
        page, problems = read_page(config, source[len(CONTENT_DIR) + 1:], raw)
        out.append((page, tuple(problems)))
    return out


_JOB: dict[str, Any] = {}
"""What forked workers inherit: set just before the pool starts."""


@contextmanager
def frozen(again: bool = False) -> Iterator[None]:
    """Workers forked in here inherit the heap in the collector's permanent generation:
    their collections then never walk (and so copy, page by page) the parent's objects.

    A heap frozen already is left so (kith serve's), or with ``again`` (a one-shot
    build's, which unfreezes it when done) frozen again with what is new since."""
    was = gc.get_freeze_count()
    if not was or again:
        gc.freeze()
    try:
        yield
    finally:
        if not was:
            gc.unfreeze()


def can_fork() -> bool:
    # Forking a process that runs other threads (kith serve) can inherit held locks.
    return sys.platform == "linux" and threading.active_count() == 1


# -- what workers run ----------------------------------------------------------------

def parse_many(items: list[tuple[str, bytes]]) -> list[Parsed]:
    return parse_sources(_JOB["config"], items)


def read_many(items: list[tuple[str, str]]) -> list[Any]:
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
        if store.digest(data) != expected:
            out.append(None)
            continue
        found = parse_sources(config, [(source, data)])[0]
        page, problems = found
        rows = [(store.parse_key(source, expected, settings), store.pack(found))]
        mkey, facts = "", None
        if page is not None:
            mkey = store.markdown_key(page)
            rendered = render_markdown(page.body, page.body_line, page.markdown, page.source)
            facts = facts_of(rendered, page.body, page.body_line)
            rows += store.result_rows(mkey, rendered, facts)
            page = store.without_body(page)
        out.append(((page, problems, mkey, facts), rows))
    return out


def markdown_many(items: list[tuple[str, int, str, str]]) -> list[Any]:
    """Markdown results; with ``pack``, as (facts, stored rows) keyed by their Markdown
    key (``mkey``): the main process then neither unpickles nor pickles them."""
    if _JOB.get("pack"):
        return [_packed(item[4], render_markdown(*item[:4]), item[0], item[1])
                for item in items]
    return [render_markdown(*item[:4]) for item in items]


def _packed(mkey: str, rendered: Rendered, body: str, body_line: int
            ) -> tuple[Facts, list[tuple[str, bytes]]]:
    facts = facts_of(rendered, body, body_line)
    return facts, store.result_rows(mkey, rendered, facts)


def apply_many(indexes: list[int]) -> list[Any]:
    """``apply`` to the ``targets`` at these indexes (both inherited: only numbers and the
    results cross between processes)."""
    func, items = _JOB["apply"], _JOB["targets"]
    return [func(items[i]) for i in indexes]


def _render_many(bounds: tuple[int, int]) -> tuple[list[Any], bool]:
    renderer: Renderer = _JOB["renderer"]
    if Deferred.filled is None:  # this worker: let each unit's HTML go after it
        Deferred.filled = []
    # Files are staged here, on all cores, rather than one by one by the main process.
    part = []
    for uid, item in _JOB["units"][slice(*bounds)]:
        part.append(render_one(renderer, uid, item, _JOB["writer"]))
        Deferred.release()
    return part, len(renderer.problems()) > _JOB["before"]


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
