"""The Pagefind service: one per process, kept between shards, restarted when it dies."""

from __future__ import annotations

import os
import signal
from multiprocessing import get_context

import pytest

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
    with get_context("fork").Pool(2) as pool:
        found = pool.map(_index_in_child, range(4))
    assert {files == parent for _, files in found} == {True}
    assert pid not in {child for child, _ in found}
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
