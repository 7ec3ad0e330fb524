"""What incremental builds remember in ``.cache/``, and how they prove it still holds.

Two stores, both discarded whole when they are unreadable, corrupt or written by
other code (a different Kith version, Python or library version, or edited
sources of Kith itself):

* ``content.sqlite``: parse results (front matter -> Page) keyed by the source
  bytes, its path and the settings ``read_page`` reads, and Markdown results
  keyed by the body and its first line. One file, WAL mode: several processes
  may read and write it at once. Each row carries a CRC, so a damaged row is a
  miss, never wrong HTML.
* ``build-<output>.pickle``: what the last good build of one output folder saw
  (source digests, structure digests, each output's dependencies). Replaced
  atomically (written aside, flushed to disk, renamed: ``files.atomic_write``).

Rendering is skipped only when equality is proven: every output records which
pages' content-derived fields (title, html, text, ...) its templates read
(``TrackedPage``); everything else a template can see goes into digests that are
part of its key: settings, templates and Kith's own code in every key; the URLs,
dates, tags and links of the pages a render is handed (itself, its neighbours, its
related posts, a list's items) in that output's key; and the whole site's
structure in the key of an output whose template read a whole collection (``SITE``).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import platform
import re
import shutil
import sqlite3
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import __version__
from .config import SiteConfig
from .files import atomic_write, records_name
from .links import link_marks, placements
from .markdown import Rendered
from .model import LIGHT_FIELDS, Deferred, Page

CACHE_DIR = ".cache"
FORMAT = 1
# Libraries whose code shapes what the stores keep (Pillow and Pagefind put their
# versions in their own caches' keys: images.py, search.py).
_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins",
              "math-core", "pygments", "pyyaml", "feedgen")

# Page fields whose reads are recorded per output. They are fixed by the page's own
# source bytes once the site's structure is fixed; every other field is structure.
# ('updated' is structure: the sitemap reads it for every page.)
VOLATILE = ("title", "body", "body_line", "summary", "lines", "html", "toc",
            "summary_html", "text", "words", "reading_minutes", "lead")
STRUCTURAL = tuple(f.name for f in fields(Page) if f.name not in VOLATILE)
FIELD_BIT = {name: 1 << i for i, name in enumerate(VOLATILE)}
"""Reads are recorded per field, as a bit mask per source: appending a paragraph to a
post changes its html and text but not its title, so the lists that show the title
do not render again."""
ALL_FIELDS = (1 << len(VOLATILE)) - 1
# SiteConfig attributes read_page() may read; tests/perf checks nothing else is read.
PARSE_SETTINGS = ("language", "languages", "timezone", "collections", "markdown")


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha1()  # the fastest here (SHA-NI); not a security boundary
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


_FINGERPRINT: str | None = None


def fingerprint() -> str:
    """Kith's version and code, Python's and the libraries' versions: any change drops caches."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        parts = [__version__, sys.version, platform.machine(), str(FORMAT)]
        versions = library_versions(_LIBRARIES)
        parts += (f"{name}={versions[name]}" for name in _LIBRARIES)
        # An editable install keeps its version while its code changes.
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*.py")):
            parts.append(path.relative_to(package).as_posix())
            parts.append(hashlib.sha1(path.read_bytes()).hexdigest())
        _FINGERPRINT = digest(*parts)
    return _FINGERPRINT


def library_versions(names: Iterable[str]) -> dict[str, str]:
    """Distribution -> its installed version ('-': not installed), as
    ``importlib.metadata.version`` finds it: the first ``NAME-VERSION.dist-info``
    folder along sys.path. Read from the folders' names because importing
    importlib.metadata (email, zipfile, csv, ...) took ~30 ms of every build, most of a
    no-op's imports; a name met first in another form is left to importlib.metadata."""
    wanted = {_distribution_key(name): name for name in names}
    found: dict[str, str | None] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:  # a zip file, a folder that is gone
            continue
        for item in listing:
            stem, dot, kind = item.rpartition(".")
            name, _, version = stem.partition("-")
            wanted_name = wanted.get(_distribution_key(name)) if dot else None
            if wanted_name is not None and wanted_name not in found \
                    and kind in ("dist-info", "egg-info", "egg", "egg-link"):
                found[wanted_name] = version if kind == "dist-info" and version else None
    versions = {name: found.get(name) for name in names}
    if None in versions.values():  # an egg, a link, or not found: as the library says
        from importlib import metadata
        for name, version in versions.items():
            if version is None:
                try:
                    versions[name] = metadata.version(name)
                except metadata.PackageNotFoundError:
                    versions[name] = "-"
    return versions  # type: ignore[return-value]


def _distribution_key(name: str) -> str:
    """A distribution's name as its metadata folder may spell it, normalized
    ('Markdown_It.py' and 'markdown-it-py' are one project)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def parse_settings(config: SiteConfig) -> str:
    return digest(*(repr(getattr(config, name)) for name in PARSE_SETTINGS))


# -- keys of the content store ---------------------------------------------------

def parse_key(source: str, source_digest: str, settings: str) -> str:
    """The key of a source's parse result: its path, bytes and parse settings."""
    return digest("parse", source, source_digest, settings)


def markdown_key(page: Page) -> str:
    """The key of a page's Markdown result: its body, the body's first line and the
    site's Markdown options."""
    return digest("markdown", page.body, str(page.body_line), page.markdown)


def brief_key(pkey: str) -> str:
    """The key of a source's brief: the parsed page without its body, its problems, its
    Markdown key and that result's facts (one small row per source in a warm build)."""
    return f"{pkey}:brief"


def facts_key(mkey: str) -> str:
    return f"{mkey}:facts"


def light_key(mkey: str) -> str:
    """The key of a Markdown result's LIGHT_FIELDS, stored apart (see ``Deferred``)."""
    return f"{mkey}:light"


def light_of(rendered: Rendered) -> tuple[Any, ...]:
    return tuple(getattr(rendered, name) for name in LIGHT_FIELDS)


def result_rows(mkey: str, rendered: Rendered, facts: Facts) -> list[tuple[str, bytes]]:
    """A Markdown result as the store keeps it: whole, its facts, its light fields."""
    return [(mkey, _pack(rendered)), (facts_key(mkey), _pack(facts)),
            (light_key(mkey), _pack(light_of(rendered)))]


Facts = tuple[tuple[tuple[str, str, str], ...], str, str, str, dict[str, list[int]], str]
"""What a Markdown result tells without loading it: its link markers, versions of the
summary, word count and reading time, the lines of its unmarked links (from the body,
whose digest is in the result's key), and a version of its lead."""


def facts_of(rendered: Rendered, body: str, body_line: int) -> Facts:
    marks = link_marks(rendered.html) + link_marks(rendered.summary_html)
    return (marks, short_digest(rendered.summary_html), str(rendered.words),
            str(rendered.reading_minutes), placements(body, body_line, marks),
            short_digest(rendered.lead))


def short_digest(value: str) -> str:
    return digest(value)[:16]


def without_body(page: Page) -> Page:
    """The page as its brief keeps it (``replace`` would run the dataclass checks again)."""
    brief = object.__new__(type(page))
    brief.__dict__.update(page.__dict__, body="")
    return brief


# -- dependency recording ----------------------------------------------------------

Reads = dict[str, int]
"""Source -> bit mask (FIELD_BIT) of the content-derived fields read."""


class _Recorder(threading.local):
    sources: Reads | None = None


RECORDER = _Recorder()


@contextlib.contextmanager
def recording() -> Iterator[Reads]:
    """Collect which content-derived fields of which sources are read inside the block."""
    outer = RECORDER.sources
    RECORDER.sources = found = {}
    try:
        yield found
    finally:
        RECORDER.sources = outer
        if outer is not None:
            replay(found)


SITE = "\0site"
"""A pseudo source: a render that read a whole collection of the site (``site.posts``,
every term of a taxonomy...) records it, and renders again whenever the site's
structure changes. No path holds a NUL."""


def note_site() -> None:
    """Record, for the output being rendered, a read of the site's whole structure."""
    found = RECORDER.sources
    if found is not None:
        found[SITE] = 1


RELATED = "\0related:"
"""A pseudo source per page: a render showed that page's own related posts (``note_related``).
A {% cache %} fragment that showed them carries it to every render that reuses it."""


def note_related(source: str) -> None:
    """Record, for the output being rendered, that it showed ``source``'s related posts."""
    found = RECORDER.sources
    if found is not None:
        found[RELATED + source] = 1


def pop_related_notes(reads: Reads, source: str | None) -> bool:
    """Take the related-posts notes out of ``reads``: whether the render showed the
    related posts of page ``source`` (its own: its key then holds them). Any other
    page's, shown through a fragment first rendered for that page, is a read of the
    whole site, as ``related(p)`` of another page is."""
    notes = [key for key in reads if key.startswith(RELATED)]
    for key in notes:
        del reads[key]
    own = source is not None and RELATED + source in notes
    if len(notes) > own:
        reads[SITE] = 1
    return own


def replay(reads: Reads) -> None:
    """Record ``reads`` again: for memos, whose reuse must depend on what the first use read."""
    found = RECORDER.sources
    if found is not None:
        for source, mask in reads.items():
            found[source] = found.get(source, 0) | mask


def merge(*parts: Reads) -> Reads:
    merged: Reads = {}
    for reads in parts:
        for source, mask in reads.items():
            merged[source] = merged.get(source, 0) | mask
    return merged


class LazyBody:
    """Stands for a page's Markdown body once rendered: fetched again only if read.

    Bodies are a quarter of a big site's memory and nothing reads them after the
    Markdown stage, except a template that asks for ``page.body``.
    """

    __slots__ = ("fetch",)

    def __init__(self, fetch: Callable[[], str]) -> None:
        self.fetch = fetch

    def __reduce__(self) -> tuple[Any, ...]:
        return (str, (self.fetch(),))


def _tracked_field(name: str) -> property:
    bit = FIELD_BIT[name]

    def get(self: Page) -> Any:
        d = self.__dict__
        found = RECORDER.sources
        if found is not None:
            source = d["source"]
            found[source] = found.get(source, 0) | bit
        value = d[name]
        kind = type(value)
        if kind is Deferred:
            value.fill(d, name)
            return d[name]
        if kind is LazyBody:
            caller = sys._getframe(1)
            if (caller.f_code.co_name in ("replace", "_replace")
                    and caller.f_globals.get("__name__") == "dataclasses"):
                return value  # dataclasses.replace() copies the stand-in, not the text
            return value.fetch()
        return value

    def put(self: Page, value: Any) -> None:  # the frozen dataclass __init__ lands here
        self.__dict__[name] = value

    return property(get, put)


class TrackedPage(Page):
    """A Page that reports reads of its content-derived fields to ``recording()``.

    Reads of structural fields (source, url, date, tags, ...) stay plain attribute
    lookups, so sorting and indexing whole collections costs nothing extra.
    """


for _name in VOLATILE:
    setattr(TrackedPage, _name, _tracked_field(_name))


def track(page: Page) -> TrackedPage:
    tracked = TrackedPage.__new__(TrackedPage)
    tracked.__dict__.update(page.__dict__)
    return tracked


def structure(page: Page) -> tuple[Any, ...]:
    d = page.__dict__
    return tuple(d[name] for name in STRUCTURAL)


# -- the content store -------------------------------------------------------------

class ContentCache:
    """Parse and Markdown results by content hash, in one SQLite file."""

    def __init__(self, root: Path, enabled: bool = True, readonly: bool = False) -> None:
        self.path = root / CACHE_DIR / "content.sqlite"
        self.enabled = enabled
        self.readonly = readonly
        """Use what is there, write nothing (commands that only read the site)."""
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self.pending: dict[str, bytes] = {}

    def _connect(self) -> sqlite3.Connection | None:
        if not self.enabled:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db, self._pid = None, os.getpid()
        if self.readonly:
            return self._connect_readonly()
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                     check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                # No fsync: a killed process loses nothing (the OS has the pages); a
                # power cut may damage the file, which reads as a miss (each row has a
                # CRC, a damaged database is dropped). A cold build writes ~30 KB per
                # post here, and fsyncs at each checkpoint cost it seconds at 30,000.
                db.execute("PRAGMA synchronous=OFF")
                db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS entries (k TEXT PRIMARY KEY, v BLOB)")
                row = db.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
                if row is None or row[0] != fingerprint():
                    with db:
                        db.execute("BEGIN IMMEDIATE")
                        db.execute("DELETE FROM entries")
                        db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)",
                                   (fingerprint(),))
                self._db = db
                return db
            except sqlite3.Error:
                # Not a database, or a damaged one: start again from nothing.
                self._drop()
                if attempt:
                    self.enabled = False
        return None

    def _connect_readonly(self) -> sqlite3.Connection | None:
        if not self.path.is_file():
            return None
        try:
            # absolute(): a site named by a relative path (the API takes one) has no URI.
            db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True, timeout=30,
                                 check_same_thread=False)
            row = db.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[0] != fingerprint():
            db.close()
            return None
        self._db = db
        return db

    def _drop(self) -> None:
        if self.readonly:
            return
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        wanted = list(dict.fromkeys(keys))
        db = self._connect()
        if db is None or not wanted:
            return {}
        found: dict[str, Any] = {}
        try:
            for start in range(0, len(wanted), 900):
                chunk = wanted[start:start + 900]
                marks = ",".join("?" * len(chunk))
                for key, blob in db.execute(f"SELECT k, v FROM entries WHERE k IN ({marks})",
                                            chunk):
                    value = _unpack(blob)
                    if value is not _MISS:
                        found[key] = value
        except sqlite3.Error:
            self._db = None
            self._drop()
            return {}
        return found

    def put(self, key: str, value: Any) -> None:
        self.put_packed(key, _pack(value))

    def put_packed(self, key: str, blob: bytes) -> None:
        """Store a row already made by ``pack`` (a worker process packs its results)."""
        if self.enabled and not self.readonly:
            self.pending[key] = blob
            if len(self.pending) >= 256:  # keep few pickled rows in memory
                self.flush()

    def flush(self, keep: set[str] | None = None) -> None:
        """Write pending rows; with ``keep``, forget rows no current source uses."""
        pending, self.pending = self.pending, {}
        if self.readonly:
            return
        db = self._connect()
        if db is None:
            return
        try:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", pending.items())
                if keep is not None:
                    stale = [k for (k,) in db.execute("SELECT k FROM entries") if k not in keep]
                    # Only when worth it: a renamed file's old rows cost little meanwhile.
                    if len(stale) > max(64, len(keep) // 10):
                        db.executemany("DELETE FROM entries WHERE k = ?", ((k,) for k in stale))
        except sqlite3.Error:
            self._db = None
            self._drop()

    def checkpoint(self) -> None:
        """Move the write-ahead log into the database and empty it. A build that renders
        much (a cold one, or a warm one after Kith's code changed) left it at its largest,
        half the database again (172 MB beside 336 MB at 5,000 posts): CI caches it.

        A build that replaced most rows (a Markdown setting changed: every result is
        stored anew, then the old ones deleted) leaves the file twice its size, nearly
        half of it free pages; past a third, it is rewritten (VACUUM), not carried so."""
        db = None if self.readonly else self._connect()
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                free = db.execute("PRAGMA freelist_count").fetchone()[0]
                if free * 3 > db.execute("PRAGMA page_count").fetchone()[0]:  # a third
                    db.execute("VACUUM")
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None


_MISS = object()


def pack(value: Any) -> bytes:
    """A row as the store keeps it: a CRC, then the pickle."""
    return _pack(value)


def _pack(value: Any) -> bytes:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return zlib.crc32(data).to_bytes(4, "little") + data


def _unpack(blob: bytes) -> Any:
    try:
        data = memoryview(blob)[4:]
        if zlib.crc32(data) != int.from_bytes(blob[:4], "little"):
            return _MISS
        return pickle.loads(data)
    except Exception:
        return _MISS


# -- per-output-folder build state -------------------------------------------------

@dataclass
class Unit:
    """One page or listing as last rendered."""

    own: str
    """Digest of what a listing carries besides pages (its title, page number...)."""
    deps: tuple[tuple[str, int], ...]
    """(source, FIELD_BIT mask) of the content-derived fields the render read."""
    outputs: tuple[tuple[str, str], ...]
    """(path, origin) of each file it produced."""


@dataclass
class BuildState:
    fingerprint: str = ""
    inputs: str = ""
    """Digest of everything a no-op check compares (settings, sources, templates, statics)."""
    sources: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict)
    """Source path -> (stat signature, content digest), for files old enough to trust."""
    units: Mapping[str, Unit] = field(default_factory=dict)
    assets_are_templates: bool = False
    next_change: float | None = None
    """Earliest date (POSIX) at which a future-dated page becomes due."""
    result: Any = None
    """What the last build reported, replayed by a no-op build."""
    base: str = ""
    """Digest of what every render sees besides pages: settings, templates, Kith, each
    language's navigation, feeds and years. Units are reused only under the same base."""
    whole: str = ""
    """Digest of the site's whole structure (URLs, dates, tags, which pages exist): what
    the units that read ``SITE`` depend on. The others' keys name the pages they reach."""
    digests: Mapping[str, str] = field(default_factory=dict)
    """Source path -> content digest, as of that build."""
    versions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Published source -> a version of each VOLATILE field (see build.field_versions)."""


def unpickle(data: bytes | memoryview) -> Any:
    """pickle.loads with the cyclic garbage collector paused: unpickling creates objects
    by the hundred thousand, and each collection they trigger walks every object alive
    (loading the units of a 30,000-post site took 2 s with collections, 0.3 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


class Packed(Mapping[str, Any]):
    """A read-only mapping kept pickled until something reads it.

    A no-op build loads the build state but never reads its units, digests or versions:
    at 30,000 posts unpickling the units alone (48,000 of them) took 1.2 s of a 2 s no-op.
    """

    __slots__ = ("_blob", "_data")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._data: dict[str, Any] | None = None

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Packed:
        if isinstance(data, Packed):
            return data
        return cls(pickle.dumps(dict(data), protocol=pickle.HIGHEST_PROTOCOL))

    def __reduce__(self) -> tuple[Any, ...]:
        # Saved again unread (a no-op that saves the state): the same bytes, not re-pickled.
        return Packed, (self._blob if self._data is None else
                        pickle.dumps(self._data, protocol=pickle.HIGHEST_PROTOCOL),)

    def _dict(self) -> dict[str, Any]:
        if self._data is None:
            self._data = unpickle(self._blob)
            self._blob = b""
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())

    def __contains__(self, key: object) -> bool:
        return key in self._dict()

    def get(self, key: str, default: Any = None) -> Any:
        return self._dict().get(key, default)

    def keys(self) -> Any:
        return self._dict().keys()

    def items(self) -> Any:
        return self._dict().items()

    def values(self) -> Any:
        return self._dict().values()

    def __eq__(self, other: object) -> bool:
        return dict(self._dict()) == dict(other) if isinstance(other, Mapping) else False

    __hash__ = None  # type: ignore[assignment]


def state_path(root: Path, output: Path, name: str | None = None) -> Path:
    """Where ``.cache/`` keeps the state of builds into ``output`` (``name``: under another
    name than ``records_name``'s)."""
    return root / CACHE_DIR / f"build-{name or records_name(root, output)}.pickle"


def load_state(path: Path) -> BuildState:
    try:
        with open(path, "rb") as handle:
            header = handle.read(64).split(b"\n", 1)[0]
            handle.seek(len(header) + 1)
            body = handle.read()
        crc, _, fp = header.decode().partition(" ")
        if fp != fingerprint() or int(crc, 16) != zlib.crc32(body):
            return BuildState()
        state = unpickle(body)
        return state if isinstance(state, BuildState) else BuildState()
    except Exception:  # unreadable, truncated, from other code: start afresh
        return BuildState()


def save_state(path: Path, state: BuildState) -> None:
    # The parts a no-op build does not read stay pickled inside the pickle (Packed).
    body = pickle.dumps(replace(state, units=Packed.of(state.units),
                                digests=Packed.of(state.digests),
                                versions=Packed.of(state.versions)),
                        protocol=pickle.HIGHEST_PROTOCOL)
    header = f"{zlib.crc32(body):08x} {fingerprint()}\n".encode()
    atomic_write(path, header + body)
    # The writer's outputs are described by a saved state again: it may trust them
    # (writer.py creates this marker before each commit; the names share the output's id).
    path.with_name(path.name.replace("build-", "outputs-", 1)).with_suffix(
        ".unsettled").unlink(missing_ok=True)


def trust_more(path: Path, state: BuildState, trusted: dict[str, tuple[tuple[int, ...], str]]
               ) -> BuildState:
    """After a no-op build: remember the digests of sources that have become old enough
    to trust (``Scan.trusted``), when there are enough of them to be worth a save.

    A source changed less than 2 s before a build read it (a checkout right before a CI
    build: all of them) is read again by every build until a state that trusts it is
    saved, and a no-op saves nothing else.
    """
    new = sum(1 for source, entry in trusted.items() if state.sources.get(source) != entry)
    if new == 0 or new < len(trusted) // 100:  # reading a few files costs less than a save
        return state
    state = replace(state, sources=trusted)
    save_state(path, state)
    return state


def templates_dir(root: Path) -> Path | None:
    """Jinja's compiled templates, kept with the content cache (about 0.1 s per build).

    Compiled code depends on Kith's Jinja settings and extensions, not just the
    template's source: one folder per fingerprint, older ones removed.
    """
    folder = root / CACHE_DIR / f"templates-{fingerprint()[:16]}"
    if folder.is_dir():
        return folder
    try:
        for old in (root / CACHE_DIR).glob("templates-*"):
            shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


# -- source files ------------------------------------------------------------------

# A file changed within this window may change again within the clock's granularity
# without its stat changing, so its digest is not remembered by stat (as git does).
RACY_NS = 2_000_000_000


def stat_signature(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def known_digest(known: Mapping[str, tuple[tuple[int, ...], str]], rel: str,
                 st: os.stat_result) -> str | None:
    entry = known.get(rel)
    return entry[1] if entry is not None and entry[0] == stat_signature(st) else None


def trustworthy(st: os.stat_result, now_ns: int) -> bool:
    return now_ns - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS
