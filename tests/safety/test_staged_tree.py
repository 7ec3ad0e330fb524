"""A first build (an empty output folder) stages files at their own paths in the staging
folder's tree, and the commit moves the tree's top-level entries: a few renames instead
of one rename and one folder per file. These tests pin what that shortcut must keep:
nothing visible before the commit, the same files and manifest, and a file-by-file
commit whenever the output folder is no longer empty or a move fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import build
from generator.model import OutputFile
from generator.writer import TREE, Writer, manifest_path, read_manifest

from .conftest import tree

FILES = {"index.html": b"home", "posts/a/index.html": b"A", "posts/b/index.html": b"B",
         "assets/x.css": b"css", "feed.xml": b"<rss/>"}


def staged_writer(tmp_path: Path) -> tuple[Writer, Path]:
    out = tmp_path / "_site"
    writer = Writer(out, manifest_path(tmp_path, out))
    for path, data in FILES.items():
        writer.add(OutputFile(path, data))
    return writer, out


def count_moves(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real_rename, real_replace = os.rename, os.replace

    def rename(src: str, dst: str) -> None:
        calls.append(f"rename {Path(dst).name}")
        real_rename(src, dst)

    def replace(src: str, dst: str) -> None:
        calls.append(f"replace {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_nothing_is_visible_before_the_commit_then_the_tree_moves_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writer, out = staged_writer(tmp_path)
    staged = writer.staging / TREE
    assert tree(staged) == FILES  # at their own paths, with their bytes
    assert not out.exists()
    calls = count_moves(monkeypatch)
    writer.commit()
    monkeypatch.undo()
    assert sorted(c for c in calls if c.startswith("rename ")) == [
        "rename assets", "rename feed.xml", "rename index.html", "rename posts"]
    assert tree(out) == FILES
    assert not writer.staging.exists()
    assert sorted(read_manifest(writer.manifest)) == sorted(FILES)


def test_a_file_that_appeared_in_the_output_meanwhile_is_kept(tmp_path: Path) -> None:
    writer, out = staged_writer(tmp_path)
    (out / "posts").mkdir(parents=True)
    (out / "posts/mine.txt").write_bytes(b"someone else's")  # the folder is not empty now
    writer.commit()
    assert tree(out) == {**FILES, "posts/mine.txt": b"someone else's"}
    assert not writer.staging.exists()
    assert sorted(read_manifest(writer.manifest)) == sorted(FILES)  # not claimed


def test_a_move_that_fails_midway_is_finished_file_by_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writer, out = staged_writer(tmp_path)
    real_rename = os.rename
    moved: list[str] = []

    def rename(src: str, dst: str) -> None:
        if len(moved) == 2:
            raise OSError(39, "Directory not empty", dst)  # as if the target appeared
        moved.append(dst)
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    writer.commit()
    monkeypatch.undo()
    assert tree(out) == FILES
    assert not writer.staging.exists()
    assert sorted(read_manifest(writer.manifest)) == sorted(FILES)


def test_an_aborted_first_build_leaves_no_tree(tmp_path: Path) -> None:
    writer, out = staged_writer(tmp_path)
    writer.abort()
    assert not (writer.staging / TREE).exists()
    assert not out.exists()


def test_the_output_may_be_a_symlink_to_an_empty_folder(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "content/posts").mkdir(parents=True)
    (root / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    (root / "content/posts/2026-01-01-a.md").write_text("---\ntitle: A\n---\nHello.\n")
    real = tmp_path / "published"
    real.mkdir()
    (root / "_site").symlink_to(real)
    build(root, jobs=1)
    assert (root / "_site").is_symlink()
    assert (real / "posts/a/index.html").is_file()
    assert not list(root.glob(".cache/*.staging"))


def test_a_full_disk_while_staging_leaves_no_tree_and_no_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    import errno

    from generator import writer as writer_module
    from generator.cli import main
    root = tmp_path / "site"
    (root / "content/posts").mkdir(parents=True)
    (root / "site.yaml").write_text("title: T\nbase_url: https://example.org/\nsearch: false\n")
    for i in range(1, 6):
        (root / f"content/posts/2026-01-0{i}-p{i}.md").write_text(
            f"---\ntitle: P{i}\n---\nText {i}.\n")
    real = writer_module._write_at
    calls = []

    def full(tree: str, item: OutputFile, made: set[str]) -> str | None:
        calls.append(item.path)
        if len(calls) == 4:
            real(tree, item, made)  # a file and its folders are there, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(tree, item, made)

    monkeypatch.setattr(writer_module, "_write_at", full)
    assert main(["-C", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert f"_site/{calls[3]}: No space left on device" in err
    assert not (root / "_site").exists()
    assert [p for p in (root / ".cache").rglob("*") if TREE in p.parts] == []
