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
