"""Crash consistency: a build killed at any moment, then another build, gives exactly
the bytes of a clean build, with no temporary file and no orphaned page anywhere.

Builds run as processes of their own group and are killed with SIGKILL at fault
points (``KITH_FAULT=point:N``, see generator/files.py): while pages are staged,
right after the journal is written, between the removals and renames of the
commit, after the manifest, and while the build state and the feed-ID ledger
are saved. One case kills a build whose workers stage files on two cores.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from generator.writer import manifest_path, read_manifest

from .conftest import SITE_YAML, kith_files, run, tree

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL of a process group")

V1: dict[str, str | bytes] = {
    **{f"content/posts/2026-01-0{i}-p{i}.md":
       f"---\ntitle: Post {i}\ntags: [t{i}, common]\n---\n\nBody {i}.\n" for i in range(1, 7)},
    "content/posts/2026-01-07-old.md": "---\ntitle: Old\naliases: [/was/old/]\n---\nOld.\n",
    "content/posts/2026-01-08-draft.md": "---\ntitle: Draft\ndraft: true\n---\nSecret draft.\n",
    "content/posts/pic.png": b"\x89PNG one",
    "content/about.md": "---\ntitle: About\n---\nAbout.\n",
}
# v2: a body edited, a post and its alias and tag gone, a post added, a static changed.
V2: dict[str, str | bytes | None] = {
    "content/posts/2026-01-01-p1.md": "---\ntitle: Post 1\ntags: [t1, common]\n---\n\nNew.\n",
    "content/posts/2026-01-07-old.md": None,
    "content/posts/2026-01-09-new.md": "---\ntitle: New\ntags: [fresh]\n---\nNew post.\n",
    "content/posts/pic.png": b"\x89PNG two",
}


def write(root: Path, files: dict[str, str | bytes | None]) -> Path:
    for rel, data in files.items():
        path = root / rel
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return root


def new_site(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True)
    (folder / "site.yaml").write_text(SITE_YAML)
    return write(folder, dict(files))


def kill_at(root: Path, fault: str, *args: str) -> None:
    """Run `kith build` in its own process group and let the fault point SIGKILL it."""
    done = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", *args],
                          env={**os.environ, "KITH_FAULT": fault}, capture_output=True,
                          start_new_session=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, (fault, done.returncode, done.stderr[-2000:])


def clean(root: Path, scratch: Path, *args: str) -> dict[str, bytes]:
    """A clean build of a copy of ``root``'s sources."""
    copy = scratch / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    shutil.copytree(root / "content", copy / "content")
    shutil.copy2(root / "site.yaml", copy / "site.yaml")
    build(copy, output=copy / "out", cache=False, jobs=1, drafts="--drafts" in args)
    return tree(copy / "out")


def assert_consistent(root: Path, expected: dict[str, bytes]) -> None:
    assert tree(root / "_site") == expected
    assert kith_files(root) == []
    manifest = read_manifest(manifest_path(root, root / "_site"))
    assert sorted(manifest) == sorted(expected)  # nothing unlisted: no orphan, ever
    ledger = root / "feed-ids.yaml"
    assert not ledger.exists() or ledger.read_text().endswith("\n")


# A cold build moves its staged tree's top-level entries: rename:N is the Nth of those.
COLD = ["stage:1", "journal:1", "rename:1", "rename:4", "manifest:1", "atomic-write:3",
        "atomic-write:4"]


@pytest.mark.parametrize("fault", COLD)
def test_a_killed_cold_build_then_a_build_equals_a_clean_build(tmp_path: Path,
                                                               fault: str) -> None:
    root = new_site(tmp_path / "site", V1)
    kill_at(root, fault)
    assert run(root, "build") == 0
    assert_consistent(root, clean(root, tmp_path))


INCREMENTAL = ["stage:1", "journal:1", "remove:1", "rename:1", "rename:4", "atomic-write:2",
               "manifest:1", "atomic-write:3"]


def built_v1(tmp_path: Path) -> Path:
    """V1, built (the manifest and build state name the output by its absolute path,
    so a copy of a built site would start afresh)."""
    root = new_site(tmp_path / "site", V1)
    assert run(root, "build") == 0
    return root


@pytest.mark.parametrize("fault", INCREMENTAL)
def test_a_killed_incremental_build_then_a_build_equals_a_clean_build(
        tmp_path: Path, fault: str) -> None:
    root = write(built_v1(tmp_path), V2)
    kill_at(root, fault)
    assert run(root, "build") == 0
    assert_consistent(root, clean(root, tmp_path))
    again = tree(root / "_site")
    assert run(root, "build") == 0 and tree(root / "_site") == again  # settled


def test_killed_twice_in_a_row_during_commits(tmp_path: Path) -> None:
    root = write(built_v1(tmp_path), V2)
    kill_at(root, "rename:2")
    # The next build finishes the first commit, then dies in its own.
    write(root, {"content/posts/2026-01-02-p2.md": "---\ntitle: Post 2\n---\n\nEdited.\n"})
    kill_at(root, "rename:1")
    assert run(root, "build") == 0
    assert_consistent(root, clean(root, tmp_path))


def test_a_killed_drafts_build_leaves_no_draft_in_sight(tmp_path: Path) -> None:
    """The reported incident: a failed `kith build --drafts` left a .kith- file holding a
    draft's HTML beside the post, and `kith deploy` published it."""
    root = built_v1(tmp_path)
    before = tree(root / "_site")
    kill_at(root, "stage:5", "--drafts")
    assert tree(root / "_site") == before  # staged under .cache/, not beside the pages
    assert not any(b"Secret draft" in data for data in tree(root / "_site").values())
    assert run(root, "build") == 0
    assert_consistent(root, clean(root, tmp_path))


def test_a_killed_build_with_workers(tmp_path: Path) -> None:
    """Enough pages for the render stage to run on two cores; a worker dies mid-staging."""
    files: dict[str, str | bytes] = {
        f"content/posts/2026-02-{1 + i % 28:02d}-n{i}.md":
        f"---\ntitle: N {i}\ntags: [g{i % 7}]\n---\n\nText {i}.\n" for i in range(180)}
    root = new_site(tmp_path / "site", files)
    kill_at(root, "stage:40")
    assert run(root, "build") == 0
    assert_consistent(root, clean(root, tmp_path))


@pytest.mark.parametrize("fault", ["rename:3", "manifest:1", "atomic-write:3"])
def test_killed_mid_commit_then_the_edit_undone(tmp_path: Path, fault: str) -> None:
    """The next build finishes the killed commit (v2's files) while the build state is
    still v1's: files the commit renamed must not pass for v1's because the state says
    their sources did not change since v1."""
    root = built_v1(tmp_path)
    original = {rel: (root / rel).read_bytes() for rel in V2 if (root / rel).exists()}
    write(root, V2)
    kill_at(root, fault)
    write(root, {**{rel: None for rel in V2 if rel not in original}, **original})
    assert run(root, "build") == 0
    assert_consistent(root, clean(root, tmp_path))
