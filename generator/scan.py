"""content/ on disk -> Scan: which sources and static files exist, and digests of them.

A source's digest is remembered with its stat (cache.known_digest), so a warm build
reads only the files that changed. A long-lived builder (kith serve) hands in the
paths its file watcher saw change and the last scan is updated instead of walking
the whole folder again.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from . import cache as store
from .cache import BuildState, digest
from .config import CONFIG_FILE, SiteConfig
from .content import CONTENT_DIR, MARKDOWN_SUFFIXES, _walk
from .errors import Problem
from .feed_ids import FEED_IDS_FILE
from .paths import LAYOUTS_DIR, theme_dir


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
    parts: tuple[str, str, str, str, str] = ("", "", "", "", "")
    """What ``inputs`` and ``shape`` digest besides the root files (see ``restamp``)."""


class Scanner:
    """Scans one site's content/ again and again, remembering the last scan."""

    def __init__(self, keep_bytes: bool) -> None:
        self.keep_bytes = keep_bytes
        """Keep the bytes read for digests (else the workers read the files again)."""
        self.last: Scan | None = None

    def forget(self) -> None:
        """The next scan looks at everything (hints given since are spent)."""
        self.last = None

    def scan(self, config: SiteConfig, state: BuildState, settings: str,
             hints: Iterable[Path] | None = None) -> Scan:
        """List sources and compute their digests (from stat when the file is old enough).

        ``settings``: digest of the build's settings; ``hints``: the only paths that
        changed since the last scan (from a file watcher), ignored when they name a folder.
        """
        folder = config.root / CONTENT_DIR
        sources, statics, trusted, paths, problems = self._start(config, folder, hints)
        raw: dict[str, bytes] = {}
        now = time.time_ns()
        cut = len(os.fspath(folder)) + 1
        for path in paths:
            rel = path[cut:].replace(os.sep, "/") if os.sep != "/" else path[cut:]
            st = os.stat(path)
            if os.path.splitext(rel)[1].lower() not in MARKDOWN_SUFFIXES:
                statics[rel] = f"{rel}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
                continue
            source = f"{CONTENT_DIR}/{rel}"
            known = store.known_digest(state.sources, source, st)
            if known is None:
                with open(path, "rb") as handle:
                    data = handle.read()
                known = digest(data)
                if self.keep_bytes:
                    raw[source] = data
            sources[source] = known
            if store.trustworthy(st, now):
                trusted[source] = (store.stat_signature(st), known)
        last = self.last
        # Sorted as load_pages sorts: by path parts (unless the hints added no file).
        if last is None or not (sources.keys() <= last.sources.keys()):
            sources = dict(sorted(sources.items(), key=lambda kv: kv[0].split("/")))
        if last is None or not (statics.keys() <= last.statics_stamps.keys()):
            statics = dict(sorted(statics.items(), key=lambda kv: kv[0].split("/")))
        # One joined string per group ("\0" is in no path): one hash update, not 5,000.
        # The walk's warnings too: a new link not followed is no no-op (it must be said).
        settings = "\0".join([settings, *sorted(str(p) for p in problems)])
        parts = (settings, "\0".join([f"{k}={v}" for k, v in sources.items()]),
                 "\0".join(sources), "\0".join(statics.values()),
                 "\0".join(_theme_stamps(config)))
        scan = Scan(sources, raw, trusted, tuple(statics), tuple(problems), "", statics,
                    config.exclude, "", parts)
        self.restamp(scan, root_files(config))
        self.last = scan
        return scan

    @staticmethod
    def restamp(scan: Scan, roots: str) -> None:
        """Digest the scan again with ``roots`` (root_files): after the build itself wrote
        one of them (the feed ID ledger)."""
        settings, with_digests, names, statics, stamps = scan.parts
        scan.inputs = digest(settings, with_digests, statics, stamps, roots)
        scan.shape = digest(settings, names, statics, stamps, roots)

    def _start(self, config: SiteConfig, folder: Path, hints: Iterable[Path] | None
               ) -> tuple[dict[str, str], dict[str, str], dict[str, tuple[tuple[int, ...], str]],
                          Iterable[str], list[Problem]]:
        """What the last scan still says, and the paths to look at: the hinted ones, or
        (without a usable last scan) every file under content/."""
        last = self.last
        if hints is not None and last is not None and last.exclude == config.exclude:
            hinted, ok = _hinted(folder, set(hints), last)
            if ok:
                sources, statics = dict(last.sources), dict(last.statics_stamps)
                trusted = dict(last.trusted)
                paths = [os.fspath(p) for p in hinted if p.is_file() and not _ignored(
                    p.relative_to(folder), config.exclude)]
                present = set(map(Path, paths))
                for path in hinted:
                    rel = path.relative_to(folder).as_posix()
                    trusted.pop(f"{CONTENT_DIR}/{rel}", None)
                    if path not in present:  # the others are updated in place, in order
                        sources.pop(f"{CONTENT_DIR}/{rel}", None)
                        statics.pop(rel, None)
                # The last walk's warnings (a link not followed) stand until a walk again.
                gone = {f"{CONTENT_DIR}/{p.relative_to(folder).as_posix()}" for p in hinted}
                return sources, statics, trusted, paths, [
                    p for p in last.problems if p.path not in gone]
        self.last = None
        if not folder.is_dir():
            return {}, {}, {}, [], [Problem(CONTENT_DIR, 0, "no content/ folder",
                                            "create content/posts/YYYY-MM-DD-title.md")]
        walk = _walk(folder, config.exclude)
        return {}, {}, {}, walk, list(walk.problems)  # symlinks not followed


def root_files(config: SiteConfig) -> str:
    """Files beside site.yaml that stages read themselves (feeds: the ID ledger)."""
    parts = []
    for name in (CONFIG_FILE, FEED_IDS_FILE):
        if name:
            try:
                parts.append(digest(name, (config.root / name).read_bytes()))
            except OSError:
                parts.append(f"{name}:-")
    return digest(*parts)


def _theme_stamps(config: SiteConfig) -> list[str]:
    """Stat of every file of the site's layouts/ and of the default theme."""
    stamps = []
    own = config.root / LAYOUTS_DIR
    for theme in dict.fromkeys([own.resolve(), theme_dir().resolve()]):
        for path in sorted(theme.rglob("*")) if theme.is_dir() else ():
            with contextlib.suppress(OSError):
                st = os.stat(path)
                stamps.append(f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
    return stamps


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
        # A link is judged by the walk's rules (followed only inside the site folder,
        # warned about otherwise): never read through a hint.
        if path.is_symlink() or path.is_dir() or not rel or rel == ".":
            return [], False
        prefix = f"{CONTENT_DIR}/{rel}/"
        if any(s.startswith(prefix) for s in last.sources) or any(
                s.startswith(f"{rel}/") for s in last.statics):
            return [], False  # a folder that went away
        found.append(path)
    return found, True
