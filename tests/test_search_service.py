"""The Pagefind service: one per process, kept between shards, restarted when it dies."""

from __future__ import annotations

import os
import signal
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import search

pytestmark = pytest.mark.skipif(search.executable() is None, reason="no Pagefind binary")

RECORDS = [{"url": f"/p{i}/", "language": "en", "content": f"word{i} consensus quorum",
            "meta": {"title": f"Post {i}"}} for i in range(20)]
ZH = [{"url": "/zh/a/", "language": "zh-cn", "content": "缓存可以让增量构建更快。",
       "meta": {"title": "阿尔法"}}]


def _service_pid() -> int:
    assert search._SERVICE is not None
    return search._SERVICE[1].proc.pid


def _index_in_child(_: int) -> tuple[int, dict[str, bytes]]:
    files = search.index(RECORDS)
    return _service_pid(), files


def test_a_kept_service_gives_the_same_bytes_as_a_fresh_one() -> None:
    search._stop_service()
    fresh = search.index(RECORDS)
    pid = _service_pid()
    assert search.index(ZH) != fresh  # another index in between
    assert search.index(RECORDS) == fresh
    assert _service_pid() == pid  # one process for every shard
    search._stop_service()
    assert search.index(RECORDS) == fresh


def test_a_killed_service_is_started_again() -> None:
    first = search.index(RECORDS)
    pid = _service_pid()
    os.kill(pid, signal.SIGKILL)
    search._SERVICE[1].proc.wait()  # type: ignore[index]
    assert search.index(RECORDS) == first
    assert _service_pid() != pid


def test_a_service_killed_mid_shard_is_an_error_then_started_again(monkeypatch) -> None:
    search.index(RECORDS)
    service = search._SERVICE[1]  # type: ignore[index]
    real = service.call

    def dies(payloads):
        os.kill(service.proc.pid, signal.SIGKILL)
        service.proc.wait()
        return real(payloads)

    monkeypatch.setattr(service, "call", dies)
    with pytest.raises(RuntimeError, match="Pagefind stopped"):
        search.index(RECORDS)
    assert search._SERVICE is None
    assert search.index(RECORDS)["pagefind-entry.json"]


def test_forked_workers_start_their_own_service() -> None:
    parent = search.index(RECORDS)
    pid = _service_pid()
    with ProcessPoolExecutor(2, mp_context=get_context("fork")) as pool:  # as pool.py
        found = list(pool.map(_index_in_child, range(4)))
    assert {files == parent for _, files in found} == {True}
    children = {child for child, _ in found}
    assert pid not in children
    for child in children:  # each worker stopped its service as it ended
        assert not Path(f"/proc/{child}").exists()
    assert search.index(RECORDS) == parent and _service_pid() == pid  # the parent's lives on


def _tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_an_edit_indexes_one_small_shard_and_equals_a_clean_build(make_site, tmp_path,
                                                                  monkeypatch) -> None:
    from generator.build import build
    files = {f"content/posts/2026-{i // 28 + 1:02d}-{i % 28 + 1:02d}-p{i}.md":
             f"---\ntitle: P{i}\n---\nBody {i} of the archive.\n" for i in range(160)}
    root = make_site(files, config="title: T\nbase_url: https://e.org/\nlanguage: en\n"
                     "search: {shard_size: 64}\n")
    build(root, jobs=2)
    indexed: list[int] = []
    real = search.index
    monkeypatch.setattr(search, "index", lambda items: indexed.append(len(items)) or real(items))
    newest = "content/posts/2026-06-20-p159.md"
    (root / newest).write_text("---\ntitle: P159\n---\nBody with zeppelin now.\n")
    build(root, jobs=2)
    assert len(indexed) == 1 and indexed[0] <= 16  # the newest shard: about 64/8 pages
    clean = tmp_path / "clean"
    build(root, output=clean, cache=False, jobs=2)
    assert _tree(root / "_site" / "pagefind") == _tree(clean / "pagefind")


def test_a_record_that_cannot_be_sent_is_an_error_not_a_hang() -> None:
    bad = [{**RECORDS[0], "content": "lone \ud800 surrogate"}, *RECORDS]
    with pytest.raises(RuntimeError, match="Pagefind stopped: 'utf-8' codec can't encode"):
        search.index(bad)
    assert search._SERVICE is None
    assert search.index(RECORDS)["pagefind-entry.json"]


def test_an_error_answer_stops_the_service_without_waiting(monkeypatch) -> None:
    search.index(RECORDS)
    service = search._SERVICE[1]  # type: ignore[index]
    with pytest.raises(RuntimeError, match="Pagefind: "):
        # An unknown index: Pagefind answers an error, then reads on.
        service.call([{"type": "GetFiles", "index_id": 987654}] +
                     [{"type": "NewIndex", "config": None}] * 300)
    assert service.proc.poll() is not None


def _old_html_text(html: str) -> str:
    """html_text before it was chunked (split/join: an object per word)."""
    from html import unescape
    text = search._TAG.sub("", search._BLOCK.sub(" ", search._ANCHOR.sub("", html)))
    return " ".join(unescape(text).split())


_PIECES = st.one_of(
    st.text(st.sampled_from("ab 中\n\t\xa0\u3000\x1c&;#x"), max_size=12),
    st.sampled_from(["<p>", "</p>\n", "<em>", "</em>", "<li>", "</li>\n", "<br>", "&lt;",
                     "&amp;", "&nbsp;", "&#10;", '<a class="header-anchor" href="#x">#</a>',
                     "<script>a<b\n<c</script>\n", "<style>\n<p>x</style>", "\n<pre><code>",
                     "</code></pre>\n", '<img alt="x y">', "<h2 id=\"a\">", "</h2>\n"]))


@given(st.lists(_PIECES, max_size=60), st.integers(1, 40))
@settings(max_examples=300, deadline=None)
def test_chunked_html_text_equals_the_whole_pass(pieces: list[str], chunk: int) -> None:
    html = "".join(pieces)
    saved = search._CHUNK
    search._CHUNK = chunk
    try:
        assert search.html_text(html) == _old_html_text(html)
    finally:
        search._CHUNK = saved


class _Pipe:
    """A service's stdout that hands out the given chunks, one per read."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)

    def read1(self, size: int) -> bytes:
        assert size > 0
        return self.chunks.pop(0) if self.chunks else b""


@given(st.lists(st.binary(max_size=30).map(lambda b: b.replace(b",", b"")), min_size=1,
                max_size=20),
       st.lists(st.integers(1, 50), min_size=1, max_size=10))
@settings(max_examples=300, deadline=None)
def test_answers_are_read_whole_however_the_pipe_cuts_them(messages: list[bytes],
                                                           cuts: list[int]) -> None:
    """One message per ',', whatever the reads return: a bundle arrives as one message
    of megabytes in 64 KB reads, a run of small answers in one read."""
    stream = b"".join(m + b"," for m in messages)
    chunks, at = [], 0
    while at < len(stream):
        size = cuts[len(chunks) % len(cuts)]
        chunks.append(stream[at:at + size])
        at += size
    service = search._Service.__new__(search._Service)
    service.proc = type("Proc", (), {"stdout": _Pipe(chunks)})()
    service.buffer = bytearray()
    assert [service._read() for _ in messages] == messages
    with pytest.raises(RuntimeError, match="stopped before it answered"):
        service._read()


def test_a_bundle_of_megabytes_is_read_in_linear_time() -> None:
    """Four megabytes in 64 KB reads: each read is searched once (the old loop searched
    and copied everything gathered so far at every read)."""
    body = b"A" * (4 << 20)
    chunks = [body[i:i + (64 << 10)] for i in range(0, len(body), 64 << 10)] + [b",x,"]
    searched: list[int] = []

    class Counting(bytearray):  # the bytes each search of the buffer looks at
        def find(self, sub: bytes, start: int = 0, *args: int) -> int:  # type: ignore[override]
            searched.append(len(self) - start)
            return super().find(sub, start, *args)

        def __contains__(self, sub: object) -> bool:
            searched.append(len(self))
            return super().__contains__(sub)

        def partition(self, sep: bytes) -> tuple[bytearray, bytearray, bytearray]:  # type: ignore[override]
            searched.append(len(self))
            return super().partition(sep)
    service = search._Service.__new__(search._Service)
    service.proc = type("Proc", (), {"stdout": _Pipe(chunks)})()
    service.buffer = Counting()
    assert service._read() == body
    assert sum(searched) <= len(body) + (64 << 10) * 2, sum(searched)
    assert service._read() == b"x"


def test_the_binary_is_found_as_pagefind_finds_it_without_asyncio(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kith imported ``pagefind.service`` to find the binary, and with it asyncio: 20 ms
    of every build that renders. It finds the same binary on its own."""
    import subprocess
    import sys

    from pagefind.service import get_executable

    assert search.executable() == str(get_executable())
    code = ("import sys; from generator import search; search.executable(); "
            "print('asyncio' in sys.modules, 'pagefind.service' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONSAFEPATH": "1"})
    assert shown.stdout.split() == ["False", "False"]
    own = tmp_path / "pagefind"
    own.write_bytes(b"")
    for path, found in ((str(own), str(own)), (str(tmp_path / "none"), None)):
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", path)
        search.executable.cache_clear()
        try:
            assert search.executable() == found
            assert (get_executable() is not None and get_executable().is_file()) == bool(found)
        finally:
            search.executable.cache_clear()
