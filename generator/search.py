"""Site -> the search index: Pagefind bundles, built at build time, served as static files.

Pagefind (from PyPI, its "extended" binary: Chinese and Japanese word segmentation)
indexes each page's plain text as a custom record, with its title as the one meta
field (Pagefind indexes it too, and ranks title matches higher); the bundle's files
come back through its service protocol in memory and go to the writer like any output.

Each language has its own bundles, so a reader searches the pages of the language
they read. A language is split into *shards* by date (``layout``): old pages in
shards of about ``shard_size``, the newest in smaller ones, with boundaries chosen
by the pages themselves, so that a new post or an edit of a recent one indexes a
small shard again, and adding or removing a page changes only its own shard. The
search page merges the shards at query time (Pagefind's ``mergeIndex``). A shard's
files are kept in ``.cache/search/`` by a digest of its pages, so a build that
renders everything again (a new post, a template change) indexes only the shards
whose pages changed.
"""

from __future__ import annotations

import atexit
import base64
import bisect
import collections
import contextlib
import hashlib
import importlib
import itertools
import json
import multiprocessing.util
import os
import pickle
import re
import shutil
import subprocess
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .errors import Problem
from .files import read_checked, write_checked
from .model import OutputFile, Page, Site

SEARCH_DIR = "pagefind"
CACHE_FOLDER = "search"
# What the search page loads; Pagefind's own UI bundles are left out.
_RUNTIME = ("pagefind.js", "pagefind-worker.js")
_DATA_PREFIXES = ("index/", "fragment/", "filter/")
SCALES = 4
"""Shard sizes: shard_size for old pages, then halves of it down to an eighth for
the newest (see ``layout``)."""


@dataclass(frozen=True)
class Shard:
    lang: str
    ident: str
    """'' for a language's first (oldest) shard, which also holds Pagefind's runtime;
    else a digest of the source of the shard's first page (stable while it is)."""
    pages: tuple[Page, ...]

    @property
    def folder(self) -> str:
        """Site-relative folder of the bundle: 'pagefind/en/', 'pagefind/en/5e0c8d2a41/'."""
        base = f"{SEARCH_DIR}/{self.lang}/"
        return f"{base}{self.ident}/" if self.ident else base


def searchable(page: Page) -> bool:
    """Pages a reader can land on from search: not noindex, not `search: false`."""
    extra = page.extra
    return extra.get("noindex") is not True and extra.get("search") is not False


# -- which pages go in which shard ------------------------------------------------------

def layout(names: Sequence[str], size: int) -> list[int]:
    """Where shards start in ``names`` (a language's pages, oldest first).

    A page starts a shard when its hash is the smallest within ``w`` pages on either
    side (content-defined chunking by local minima: shards mostly hold between
    ``w`` + 1 and 3 ``w`` pages, and only the neighbourhood of a page added, removed
    or re-dated can change). Only pages with ``w`` pages on either side count, so a
    new post never moves a boundary before it. The scales are nested: boundaries at
    ``w`` = size/2 cut the old pages; the stretch after the last of them (the newest
    pages), and any stretch over twice the scale, are cut at half that scale, and
    so on down to size/8: the newest pages are in shards of about size/8, each older
    stretch in bigger ones. Pure in ``names`` and ``size``.
    """
    if not names:
        return []
    hashes = [_hash(name) for name in names]
    scales = [max(2, size >> level) for level in range(SCALES)]
    minima = [_local_minima(hashes, scale // 2) for scale in scales]
    starts: list[int] = []

    def cut(low: int, high: int, level: int) -> None:
        """Shards of names[low:high] at ``level`` and finer."""
        if level == len(scales):
            starts.append(low)
            return
        found = minima[level]
        inner = found[bisect.bisect_right(found, low):bisect.bisect_left(found, high)]
        edges = [low, *inner, high]
        for a, b in itertools.pairwise(edges):
            newest = b == len(names)
            if newest or b - a > 2 * scales[level]:
                cut(a, b, level + 1)
            else:
                starts.append(a)

    cut(0, len(names), 0)
    return starts


def _hash(name: str) -> int:
    return int.from_bytes(hashlib.sha1(name.encode()).digest()[:8], "big")


def _local_minima(hashes: list[int], w: int) -> list[int]:
    """Indices i with w pages on either side whose hash is smaller than every other in
    [i - w, i + w] (a sliding-window minimum: O(n))."""
    n = len(hashes)
    found = []
    window: collections.deque[int] = collections.deque()  # indices, hashes increasing
    j = 0
    for i in range(w, n - w):
        while j <= i + w:
            while window and hashes[window[-1]] >= hashes[j]:
                window.pop()
            window.append(j)
            j += 1
        while window[0] < i - w:
            window.popleft()
        if window[0] == i:
            found.append(i)
    return found


def shards(site: Site) -> list[Shard]:
    """Every language's shards, in a fixed order (language, then date)."""
    if not site.config.search.enabled:
        return []
    return [s for lang in sorted({p.lang for p in site.pages}) for s in lang_shards(site, lang)]


_MEMO: dict[tuple[int, str], tuple[Any, list[Shard]]] = {}


def lang_shards(site: Site, lang: str) -> list[Shard]:
    """``lang``'s shards, oldest first (memoized per site: the search page and the
    index units ask for the same)."""
    key = (id(site), lang)
    found = _MEMO.get(key)
    if found is not None and found[0]() is site:
        return found[1]
    pages = sorted((p for p in site.pages if p.lang == lang and searchable(p)),
                   key=_age)
    starts = layout([p.source for p in pages], site.config.search.shard_size)
    ends = [*starts[1:], len(pages)] if starts else []
    result = [Shard(lang, "" if n == 0 else _hash_text(pages[a].source), tuple(pages[a:b]))
              for n, (a, b) in enumerate(zip(starts, ends, strict=True))]
    for stale in [k for k, (ref, _) in _MEMO.items() if ref() is None]:
        del _MEMO[stale]
    _MEMO[key] = (weakref.ref(site), result)
    return result


def _age(page: Page) -> tuple[bool, float, str]:
    """Oldest first; undated pages (about, tutorials) before every post."""
    return (page.date is not None, page.date.timestamp() if page.date else 0.0, page.source)


def _hash_text(source: str) -> str:
    # Not _hash: shards start where it is small, which would make every name '00...'.
    return hashlib.sha256(source.encode()).hexdigest()[:10]


def bundle_folders(site: Site, lang: str) -> list[str]:
    """Site-relative folders of ``lang``'s bundles, the first one holding pagefind.js.

    Pure in the site's structure (which pages each language has, their dates), so a
    page's list never changes without the structure changing.
    """
    if not site.config.search.enabled:
        return []
    return [s.folder for s in lang_shards(site, lang)]


@dataclass(frozen=True)
class ShardUnit:
    """Indexes one shard (a build unit: the incremental builder runs it again only when
    one of its pages' title or HTML changed)."""

    shard: Shard
    config: SiteConfig
    cache_dir: Path | None
    heavy = True
    """Seconds of work: the process pool gives it a chunk of its own, first."""

    def __call__(self) -> list[OutputFile]:
        return render_shard(self.shard, self.config, self.cache_dir)

    @property
    def reach(self) -> tuple[Any, ...]:
        """All the shard shows of the site's structure: its pages (a new post joins
        one shard; the others stand)."""
        return (self.shard.lang, self.shard.ident, self.shard.pages)


def search_units(site: Site, cache_dir: Path | None
                 ) -> tuple[list[tuple[str, ShardUnit]], list[Problem]]:
    """One build unit per shard, and a problem when Pagefind cannot run here.

    ``cache_dir``: where shards are kept between builds (None: no cache, e.g. a clean
    build); files of shards that no longer exist are removed from it.
    """
    found = shards(site)
    if not found:
        return [], []
    if executable() is None:
        return [], [Problem("site.yaml", 0, "the search index was not built: the Pagefind "
                            "binary is missing", "pip install 'pagefind[extended]', or set "
                            "'search: false' in site.yaml", warning=True)]
    _prune(cache_dir, {_cache_prefix(s) for s in found})
    return [(f"search:{s.folder}", ShardUnit(s, site.config, cache_dir)) for s in found], []


def records(shard: Shard, config: SiteConfig) -> list[dict[str, Any]]:
    """What Pagefind indexes for each page: its text, its title (a meta field Pagefind
    indexes and ranks higher), its language."""
    language = config.lang(shard.lang).tag.lower()
    return [{"url": page.url, "language": language, "content": html_text(page.html),
             "meta": {"title": page.title}} for page in shard.pages]


_ANCHOR = re.compile(r'<a class="header-anchor"[^>]*>.*?</a>|<(script|style)\b.*?</\1>', re.S)
_BLOCK = re.compile(r"</?(?:p|li|h[1-6]|pre|div|td|th|tr|br|hr|blockquote|figcaption|dt|dd|"
                    r"table|ul|ol|section|figure)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_CHUNK = 1 << 20
"""Characters of HTML cleaned at a time: the pieces a substitution or a split holds stay
small (split whole, a 50 MB post made an object of every word: 420 MB)."""


def html_text(html: str) -> str:
    """A page's words as a reader sees them: block ends and <br> are spaces, inline tags
    nothing; white space squeezed to single spaces."""
    parts: list[str] = []
    for a, b in _chunks(html):
        piece = _squeeze(_clean(html[a:b]))
        if parts and parts[-1].endswith(" ") and piece.startswith(" "):
            piece = piece[1:]  # one space where two chunks meet
        if piece:
            parts.append(piece)
    if parts:
        parts[0] = parts[0].lstrip(" ")
        parts[-1] = parts[-1].rstrip(" ")
    return "".join(parts)


def _squeeze(text: str) -> str:
    """Each run of white space (what str.split() splits on) as one space, at the ends
    too. A split and a join: a regex over every character took three times as long."""
    core = " ".join(text.split())
    if not core:
        return " " if text else ""
    return f"{' ' if text[0].isspace() else ''}{core}{' ' if text[-1].isspace() else ''}"


def _clean(html: str) -> str:
    text = _TAG.sub("", _BLOCK.sub(" ", _ANCHOR.sub("", html)))
    return unescape(text)


def _chunks(html: str) -> list[tuple[int, int]]:
    """Bounds of about ``_CHUNK`` characters, each ending before a tag that starts a
    line outside any script, style or heading anchor (in the HTML the Markdown stage
    writes, a raw '<' is always a tag's: text has '&lt;'), so no pattern above spans
    two chunks. After a few cuts that fall inside such elements the rest is one chunk
    (raw HTML built to defeat the cuts costs memory, never time)."""
    bounds, start, n = [], 0, len(html)
    while n - start > _CHUNK:
        cut = html.find("\n<", start + _CHUNK) + 1
        for _ in range(_TRIES):
            if cut == 0:
                break
            end = _element_end(html, start, cut)
            if end == -1:
                break
            cut = html.find("\n<", end) + 1
        else:
            cut = 0
        if cut == 0:
            break
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


_TRIES = 8
_ELEMENTS = (("<script", "</script>"), ("<style", "</style>"),
             ('<a class="header-anchor"', "</a>"))


def _element_end(html: str, start: int, cut: int) -> int:
    """Where the script, style or heading anchor begun after ``start`` that ``cut`` is
    inside of (or is the closing '<' of) ends; -1 when it is inside none."""
    for opening, closing in _ELEMENTS:
        begun = html.rfind(opening, start, cut)
        if begun != -1:
            close = html.find(closing, begun)
            if close >= cut:
                return close + len(closing)
    return -1


def render_shard(shard: Shard, config: SiteConfig, cache_dir: Path | None) -> list[OutputFile]:
    """The shard's bundle as output files (the runtime too, in a language's first shard)."""
    # The key reads what the records are made of, not the records: a shard found in the
    # cache costs no text extraction.
    key = hashlib.sha256(json.dumps(
        [version(), config.lang(shard.lang).tag,
         [(p.url, p.title, hashlib.sha256(p.html.encode()).hexdigest()) for p in shard.pages]],
        ensure_ascii=False).encode()).hexdigest()[:24]
    files = _cached(cache_dir, shard, key)
    if files is None:
        files = index(records(shard, config))
        _store(cache_dir, shard, key, files)
    entry = json.loads(files.get("pagefind-entry.json", b"{}"))
    wasm = {f"wasm.{lang.get('wasm') or 'unknown'}.pagefind"
            for lang in entry.get("languages", {}).values()}
    keep = []
    for path, data in sorted(files.items()):
        if path.startswith("wasm.") and path not in wasm:
            continue  # the language's own word stemmer only
        runtime = path in _RUNTIME or path.startswith("wasm.")
        if shard.ident and runtime:
            continue  # merged shards use the first shard's runtime
        if runtime or path.startswith(_DATA_PREFIXES) or path.endswith(".pf_meta") \
                or path == "pagefind-entry.json":
            keep.append(OutputFile(f"{shard.folder}{path}", data, origin="search index"))
    return keep


# -- the Pagefind service ---------------------------------------------------------------

@cache
def executable() -> str | None:
    """The Pagefind binary from PyPI (the extended one, for CJK, when installed).

    Found as ``pagefind.service.get_executable`` finds it, without importing that
    module: it imports asyncio (20 ms of the start of every build that renders).
    """
    found = os.environ.get("PAGEFIND_BINARY_PATH")
    for package in () if found else ("pagefind_bin_extended", "pagefind_bin"):
        with contextlib.suppress(ImportError, OSError):
            found = str(importlib.import_module(package).get_executable())
            break
    found = found or shutil.which("pagefind_extended") or shutil.which("pagefind")
    return found if found and Path(found).is_file() else None


@cache
def version() -> str:
    binary = executable()
    if binary is None:
        return ""
    result = subprocess.run([binary, "--version"], capture_output=True, text=True)
    return f"{Path(binary).name} {result.stdout.strip()}"


def index(items: list[dict[str, Any]]) -> dict[str, bytes]:
    """Index records with this process's Pagefind service; the bundle's files by path.

    Speaks the service's protocol (base64 JSON messages ending in ','), as the
    ``pagefind`` package does, but pipelined: its client waits 0.1 s per message,
    which is 8 minutes for 5,000 pages. The service process is kept for the next
    shard: the extended binary loads its Chinese and Japanese dictionaries once per
    process (0.2 s and 0.7 s here).
    """
    with _LOCK:
        service = _service()
        try:
            index_id = service.call([{"type": "NewIndex", "config": None}])[0]["index_id"]
            service.call([{"type": "AddRecord", "index_id": index_id, "url": r["url"],
                           "content": r["content"], "language": r["language"],
                           "meta": r["meta"], "filters": None, "sort": None} for r in items])
            files = service.call([{"type": "GetFiles", "index_id": index_id}])[0]["files"]
            service.call([{"type": "DeleteIndex", "index_id": index_id}])
        except BaseException:
            _stop_service()
            raise
    out = {f["path"]: base64.b64decode(f["content"]) for f in files}
    if "pagefind-entry.json" in out:
        # Pagefind lists languages in hash-map order: the same index, other bytes.
        entry = json.loads(out["pagefind-entry.json"])
        out["pagefind-entry.json"] = json.dumps(entry, sort_keys=True,
                                                separators=(",", ":")).encode()
    return out


_LOCK = threading.Lock()
_SERVICE: tuple[int, _Service] | None = None
"""(the process that started it, the service): a forked worker starts its own."""


def _after_fork() -> None:
    # A fork while another thread (kith serve's) indexes would copy a held lock.
    global _LOCK
    _LOCK = threading.Lock()


os.register_at_fork(after_in_child=_after_fork)


def _service() -> _Service:
    global _SERVICE
    if _SERVICE is None or _SERVICE[0] != os.getpid() or _SERVICE[1].proc.poll() is not None:
        binary = executable()
        if binary is None:
            raise RuntimeError("the Pagefind binary is missing")
        proc = subprocess.Popen([binary, "--service"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if _SERVICE is None:
            atexit.register(_stop_service)
        if _SERVICE is None or _SERVICE[0] != os.getpid():
            # A forked worker ends without atexit: multiprocessing's finalizers run, so
            # its service is waited for (its CPU time counted, no orphan left).
            multiprocessing.util.Finalize(None, _stop_service, exitpriority=10)
        _SERVICE = (os.getpid(), _Service(proc))
    return _SERVICE[1]


def _stop_service() -> None:
    """Close this process's service (it exits at the end of its input; a worker that
    exits without this closes that input all the same)."""
    global _SERVICE
    if _SERVICE is not None and _SERVICE[0] == os.getpid():
        _SERVICE[1].close()
    _SERVICE = None


class _Service:
    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.last = 0
        self.buffer = bytearray()

    def call(self, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send every request (from a thread, so a full pipe cannot block both ends),
        then read one answer per request."""
        assert self.proc.stdin is not None
        first = self.last + 1
        self.last += len(payloads)
        failed: list[BaseException] = []

        def send() -> None:
            try:
                for n, payload in enumerate(payloads, first):
                    # UTF-8, not \\u escapes: a CJK character is 3 bytes, not 6.
                    message = json.dumps({"message_id": n, "payload": payload},
                                         ensure_ascii=False).encode()
                    self.proc.stdin.write(base64.b64encode(message))  # type: ignore[union-attr]
                    del message
                    self.proc.stdin.write(b",")  # type: ignore[union-attr]
                self.proc.stdin.flush()  # type: ignore[union-attr]
            except BaseException as exc:
                failed.append(exc)
                # The service then reads the end of its input and stops: the reader
                # below gets an answer or an end, never waits for ever.
                with contextlib.suppress(OSError):
                    self.proc.stdin.close()  # type: ignore[union-attr]

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        answers: dict[int, dict[str, Any]] = {}
        try:
            while len(answers) < len(payloads):
                answer = json.loads(base64.b64decode(self._read()))
                payload = answer.get("payload", {})
                if payload.get("type") == "Error":
                    raise RuntimeError(f"Pagefind: {payload.get('message')}")
                answers[int(answer["message_id"])] = payload
        except BaseException:
            cause = list(failed)
            self.proc.kill()  # a sender blocked on a full pipe gets an error and ends
            self.proc.wait()
            sender.join()
            if cause:
                raise RuntimeError(f"Pagefind stopped: {cause[0]}") from cause[0]
            raise
        sender.join()
        if failed:
            raise RuntimeError(f"Pagefind stopped: {failed[0]}")
        return [answers[n] for n in range(first, self.last + 1)]

    def _read(self) -> bytes:
        # A bundle comes back as one message of megabytes, 64 KB a read: appended to a
        # bytearray and searched from where the last search stopped, not copied and
        # scanned whole at each read (that was quadratic in the shard's size).
        out, buffer = self.proc.stdout, self.buffer
        assert out is not None
        searched = 0
        while (end := buffer.find(b",", searched)) < 0:
            searched = len(buffer)
            chunk = out.read1(1 << 20)
            if not chunk:
                raise RuntimeError("Pagefind stopped before it answered")
            buffer += chunk
        message = bytes(buffer[:end])
        del buffer[:end + 1]  # cheap: a bytearray drops its start in place
        return message

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# -- the shard cache --------------------------------------------------------------------

def _cache_prefix(shard: Shard) -> str:
    return f"{shard.lang}-{shard.ident or 'first'}-"


def _pack_path(cache_dir: Path, shard: Shard, key: str) -> Path:
    return cache_dir / CACHE_FOLDER / f"{_cache_prefix(shard)}{key}.pickle"


def _cached(cache_dir: Path | None, shard: Shard, key: str) -> dict[str, bytes] | None:
    if cache_dir is None:
        return None
    blob = read_checked(_pack_path(cache_dir, shard, key))
    if blob is None:
        return None  # missing or damaged: index again
    try:
        files = pickle.loads(blob)
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None
    return files if isinstance(files, dict) else None


def _store(cache_dir: Path | None, shard: Shard, key: str, files: dict[str, bytes]) -> None:
    """Keep this shard's newest bundle only (other keys of the same shard are stale)."""
    if cache_dir is None:
        return
    target = _pack_path(cache_dir, shard, key)
    blob = pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL)
    write_checked(target, blob)
    with contextlib.suppress(OSError):
        prefix = _cache_prefix(shard)
        for old in target.parent.glob(f"{prefix}*.pickle"):
            if old.name != target.name and "-" not in old.name[len(prefix):]:
                old.unlink(missing_ok=True)


def _prune(cache_dir: Path | None, wanted: set[str]) -> None:
    """Remove the kept bundles of shards the site no longer has."""
    if cache_dir is None:
        return
    with contextlib.suppress(OSError):
        for old in (cache_dir / CACHE_FOLDER).glob("*.pickle"):
            prefix = old.name.rsplit("-", 1)[0] + "-"
            if prefix not in wanted:
                old.unlink(missing_ok=True)
