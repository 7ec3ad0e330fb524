"""Site -> the search index: Pagefind bundles, built at build time, served as static files.

Pagefind (from PyPI, its "extended" binary: Chinese and Japanese word segmentation)
indexes each page's title and plain text as a custom record; the bundle's files come
back through its service protocol in memory and go to the writer like any output.

Each language has its own bundles, so a reader searches the pages of the language
they read. A big language is split into *shards* (a stable hash of the source path
picks the shard): an edit indexes its shard again, not the whole site, and the
search page merges the shards at query time (Pagefind's ``mergeIndex``). A shard's
files are kept in ``.cache/search/`` by a digest of its records, so a build that
renders everything again (a new post, a template change) indexes only shards whose
pages changed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import pickle
import re
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .errors import Problem
from .model import OutputFile, Page, Site

SEARCH_DIR = "pagefind"
CACHE_FOLDER = "search"
# What the search page loads; Pagefind's own UI bundles are left out.
_RUNTIME = ("pagefind.js", "pagefind-worker.js")
_DATA_PREFIXES = ("index/", "fragment/", "filter/")


@dataclass(frozen=True)
class Shard:
    lang: str
    number: int
    count: int
    """How many shards the language has."""
    pages: tuple[Page, ...]

    @property
    def folder(self) -> str:
        """Site-relative folder of the bundle: 'pagefind/en/', 'pagefind/en/1/'."""
        base = f"{SEARCH_DIR}/{self.lang}/"
        return base if self.number == 0 else f"{base}{self.number}/"


def searchable(page: Page) -> bool:
    """Pages a reader can land on from search: not noindex, not `search: false`."""
    extra = page.extra
    return extra.get("noindex") is not True and extra.get("search") is not False


def shard_count(pages: int, size: int) -> int:
    """A power of two, so that a site growing past a threshold re-shards rarely."""
    count = 1
    while pages > count * size:
        count *= 2
    return count


def shards(site: Site) -> list[Shard]:
    """Every language's shards, in a fixed order (language, then number)."""
    config = site.config
    if not config.search.enabled:
        return []
    by_lang: dict[str, list[Page]] = {}
    for page in site.pages:  # sorted by source
        if searchable(page):
            by_lang.setdefault(page.lang, []).append(page)
    found = []
    for lang in sorted(by_lang):
        pages = by_lang[lang]
        count = shard_count(len(pages), config.search.shard_size)
        buckets: list[list[Page]] = [[] for _ in range(count)]
        for page in pages:
            buckets[_bucket(page.source, count)].append(page)
        found += [Shard(lang, n, count, tuple(bucket)) for n, bucket in enumerate(buckets)]
    return found


def _bucket(source: str, count: int) -> int:
    return int.from_bytes(hashlib.sha1(source.encode()).digest()[:4], "big") % count


def bundle_folders(site: Site, lang: str) -> list[str]:
    """Site-relative folders of ``lang``'s bundles, the first one holding pagefind.js.

    Pure in the site's structure (how many searchable pages each language has), so a
    page's list never changes without the structure changing.
    """
    config = site.config
    if not config.search.enabled:
        return []
    total = sum(1 for p in site.pages if p.lang == lang and searchable(p))
    if not total:
        return []
    count = shard_count(total, config.search.shard_size)
    return [Shard(lang, n, count, ()).folder for n in range(count)]


def search_units(site: Site, cache_dir: Path | None
                 ) -> tuple[list[tuple[str, Callable[[], list[OutputFile]]]], list[Problem]]:
    """One build unit per shard, and a problem when Pagefind cannot run here.

    ``cache_dir``: where shards are kept between builds (None: no cache, e.g. a clean
    build). A unit reads its pages' titles and text, so the incremental builder runs it
    again only when one of those changed.
    """
    found = shards(site)
    if not found:
        return [], []
    if executable() is None:
        return [], [Problem("site.yaml", 0, "the search index was not built: the Pagefind "
                            "binary is missing", "pip install 'pagefind[extended]', or set "
                            "'search: false' in site.yaml", warning=True)]
    return [(f"search:{s.lang}:{s.number}", _unit(s, site.config, cache_dir))
            for s in found], []


def _unit(shard: Shard, config: SiteConfig, cache_dir: Path | None
          ) -> Callable[[], list[OutputFile]]:
    return lambda: render_shard(shard, config, cache_dir)


def records(shard: Shard, config: SiteConfig) -> list[dict[str, Any]]:
    """What Pagefind indexes for each page: its title and text, in its language."""
    language = config.lang(shard.lang).tag.lower()
    out = []
    for page in shard.pages:
        out.append({"url": page.url, "language": language,
                    "content": f"{page.title}\n{html_text(page.html)}",
                    "meta": {"title": page.title}})
    return out


_ANCHOR = re.compile(r'<a class="header-anchor"[^>]*>.*?</a>|<(script|style)\b.*?</\1>', re.S)
_BLOCK = re.compile(r"</?(?:p|li|h[1-6]|pre|div|td|th|tr|br|hr|blockquote|figcaption|dt|dd|"
                    r"table|ul|ol|section|figure)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def html_text(html: str) -> str:
    """A page's words as a reader sees them: block ends are spaces, inline tags nothing
    (the Markdown stage's plain text drops line breaks inside paragraphs)."""
    text = _TAG.sub("", _BLOCK.sub(" ", _ANCHOR.sub("", html)))
    return " ".join(unescape(text).split())


def render_shard(shard: Shard, config: SiteConfig, cache_dir: Path | None) -> list[OutputFile]:
    """The shard's bundle as output files (the runtime too, in a language's first shard)."""
    wanted = records(shard, config)
    key = hashlib.sha256(json.dumps([version(), wanted], ensure_ascii=False,
                                    sort_keys=True).encode()).hexdigest()[:24]
    files = _cached(cache_dir, shard, key)
    if files is None:
        files = index(wanted)
        _store(cache_dir, shard, key, files)
    entry = json.loads(files.get("pagefind-entry.json", b"{}"))
    wasm = {f"wasm.{lang.get('wasm') or 'unknown'}.pagefind"
            for lang in entry.get("languages", {}).values()}
    keep = []
    for path, data in sorted(files.items()):
        if path.startswith("wasm.") and path not in wasm:
            continue  # the language's own word stemmer only
        runtime = path in _RUNTIME or path.startswith("wasm.")
        if shard.number != 0 and runtime:
            continue  # merged shards use the first shard's runtime
        if runtime or path.startswith(_DATA_PREFIXES) or path.endswith(".pf_meta") \
                or path == "pagefind-entry.json":
            keep.append(OutputFile(f"{shard.folder}{path}", data, origin="search index"))
    return keep


# -- the Pagefind service ---------------------------------------------------------------

@cache
def executable() -> str | None:
    """The Pagefind binary from PyPI (the extended one, for CJK, when installed)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return str(found) if found is not None and Path(found).is_file() else None


@cache
def version() -> str:
    binary = executable()
    if binary is None:
        return ""
    result = subprocess.run([binary, "--version"], capture_output=True, text=True)
    return f"{Path(binary).name} {result.stdout.strip()}"


def index(items: list[dict[str, Any]]) -> dict[str, bytes]:
    """Index records with one Pagefind service process; the bundle's files by path.

    Speaks the service's protocol (base64 JSON messages ending in ','), as the
    ``pagefind`` package does, but pipelined: its client waits 0.1 s per message,
    which is 8 minutes for 5,000 pages.
    """
    binary = executable()
    if binary is None:
        raise RuntimeError("the Pagefind binary is missing")
    proc = subprocess.Popen([binary, "--service"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    service = _Service(proc)
    try:
        index_id = service.call([{"type": "NewIndex", "config": None}])[0]["index_id"]
        service.call([{"type": "AddRecord", "index_id": index_id, "url": r["url"],
                       "content": r["content"], "language": r["language"], "meta": r["meta"],
                       "filters": None, "sort": None} for r in items])
        files = service.call([{"type": "GetFiles", "index_id": index_id}])[0]["files"]
    finally:
        service.close()
    out = {f["path"]: base64.b64decode(f["content"]) for f in files}
    if "pagefind-entry.json" in out:
        # Pagefind lists languages in hash-map order: the same index, other bytes.
        entry = json.loads(out["pagefind-entry.json"])
        out["pagefind-entry.json"] = json.dumps(entry, sort_keys=True,
                                                separators=(",", ":")).encode()
    return out


class _Service:
    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.last = 0
        self.buffer = b""

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
                    message = json.dumps({"message_id": n, "payload": payload})
                    self.proc.stdin.write(base64.b64encode(message.encode()) + b",")  # type: ignore[union-attr]
                self.proc.stdin.flush()  # type: ignore[union-attr]
            except OSError as exc:
                failed.append(exc)

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
        finally:
            sender.join()
        if failed:
            raise RuntimeError(f"Pagefind stopped: {failed[0]}")
        return [answers[n] for n in range(first, self.last + 1)]

    def _read(self) -> bytes:
        out = self.proc.stdout
        assert out is not None
        while b"," not in self.buffer:
            chunk = out.read1(1 << 20)
            if not chunk:
                raise RuntimeError("Pagefind stopped before it answered")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b",")
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

def _pack_path(cache_dir: Path, shard: Shard, key: str) -> Path:
    return cache_dir / CACHE_FOLDER / f"{shard.lang}-{shard.number}-{key}.pickle"


def _cached(cache_dir: Path | None, shard: Shard, key: str) -> dict[str, bytes] | None:
    if cache_dir is None:
        return None
    try:
        data = _pack_path(cache_dir, shard, key).read_bytes()
        digest, blob = data[:32], data[32:]
        if hashlib.sha256(blob).digest() != digest:
            return None  # damaged: index again
        files = pickle.loads(blob)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        return None
    return files if isinstance(files, dict) else None


def _store(cache_dir: Path | None, shard: Shard, key: str, files: dict[str, bytes]) -> None:
    """Keep this shard's newest bundle only (other keys of the same shard are stale)."""
    if cache_dir is None:
        return
    target = _pack_path(cache_dir, shard, key)
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        blob = pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        tmp.write_bytes(hashlib.sha256(blob).digest() + blob)
        os.replace(tmp, target)
        for old in _stale(target.parent, f"{shard.lang}-{shard.number}-", target.name):
            old.unlink(missing_ok=True)


def _stale(folder: Path, prefix: str, keep: str) -> Iterable[Path]:
    return (p for p in folder.glob(f"{prefix}*.pickle") if p.name != keep
            and p.name[len(prefix):].count("-") == 0)
