"""An output path that was a folder of this build's pages becomes a file (a post deleted,
a static file of its name added): the commit removes the old pages, prunes the folder,
and puts the file there, as a clean build would. A folder that keeps anyone else's file
still stops the build before anything changes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.errors import KithError

from .conftest import tree


def test_a_post_folder_replaced_by_a_static_file_of_its_name(make_site: Any,
                                                              tmp_path: Path) -> None:
    root = make_site({"content/posts/2026-01-01-hello.md": "---\ntitle: Hello\n---\nHi.\n",
                      "content/posts/2026-01-02-other.md": "---\ntitle: Other\n---\nO.\n"})
    build(root)
    assert (root / "_site/posts/hello/index.html").is_file()
    (root / "content/posts/2026-01-01-hello.md").unlink()
    (root / "content/posts/hello").write_text("a file now\n")
    build(root)
    assert (root / "_site/posts/hello").read_text() == "a file now\n"
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns(".cache", "_site"))
    build(clean)
    assert tree(root / "_site") == tree(clean / "_site")


def test_a_folder_holding_someone_elses_file_still_stops_the_build(make_site: Any) -> None:
    root = make_site({"content/posts/2026-01-01-hello.md": "---\ntitle: Hello\n---\nHi.\n"})
    build(root)
    (root / "_site/posts/hello/mine.txt").write_text("not Kith's")
    (root / "content/posts/2026-01-01-hello.md").unlink()
    (root / "content/posts/hello").write_text("a file now\n")
    with pytest.raises(KithError, match="a folder of that name is in the way"):
        build(root)
    assert (root / "_site/posts/hello/mine.txt").read_text() == "not Kith's"
    assert (root / "_site/posts/hello/index.html").is_file()  # left as it was


def test_a_folder_with_an_empty_folder_inside_still_stops_the_build(make_site: Any) -> None:
    """Nothing in an empty folder is removed, so nothing prunes it: the rename would
    have met a folder half-way through the commit. Refused before anything moves."""
    root = make_site({"content/posts/2026-01-01-hello.md": "---\ntitle: Hello\n---\nHi.\n"})
    build(root)
    (root / "_site/posts/hello/empty").mkdir()
    (root / "content/posts/2026-01-01-hello.md").unlink()
    (root / "content/posts/hello").write_text("a file now\n")
    with pytest.raises(KithError, match="a folder of that name is in the way"):
        build(root)
    assert (root / "_site/posts/hello/index.html").is_file()  # left as it was
    assert (root / "_site/posts/hello/empty").is_dir()
