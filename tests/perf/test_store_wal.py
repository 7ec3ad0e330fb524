"""The store's write-ahead log is emptied when a build saves its cache.

A build that renders much (a cold one, or a warm one after a Markdown setting or Kith's
code changed) left ``content.sqlite-wal`` at its largest: 172 MB beside a 336 MB
database at 5,000 posts, archived and restored with ``.cache/`` by every CI run. The
build now moves the log into the database and truncates it, and gives back the pages
of results it replaced.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from test_incremental import clean_build, tree, write

from generator.build import build

POSTS = 40


def test_the_log_is_empty_after_builds_that_render_much(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = "title: W\nbase_url: https://example.com/\nlanguage: en\nsearch: false\n"
    write(root, "site.yaml", config)
    for i in range(POSTS):
        write(root, f"content/posts/2026-01-{i % 28 + 1:02d}-p{i}.md",
              f"---\ntitle: P{i}\n---\n\n" + f"Paragraph {i} 'quoted' -- text.\n\n" * 200)
    wal = root / ".cache/content.sqlite-wal"
    database = root / ".cache/content.sqlite"
    sizes = []
    for markdown in ("", "markdown: {typographer: true}\n", ""):
        write(root, "site.yaml", config + markdown)  # every Markdown result made again
        build(root)
        assert not wal.exists() or wal.stat().st_size == 0
        assert tree(root / "_site") == clean_build(root, tmp_path)
        sizes.append(database.stat().st_size)
    # The old results' pages are given back, not kept free (the file was twice its
    # size after each change).
    assert max(sizes) < sizes[0] * 1.25, sizes
    with sqlite3.connect(root / ".cache/content.sqlite") as db:  # whole, without its log
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert build(root).written == 0
