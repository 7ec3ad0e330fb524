"""An output folder the build may not write in (a read-only copy, files another user
made) stops the build before anything moves: _site/ stays the last good site, whole,
and the message names the folder, not a staged file in .cache/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import writer

from .conftest import SITE_YAML, kith_files, post, run, tree

HINT = ("  hint: make the output folder writable (chmod -R u+w), or build into another "
        "folder with --output")
LEFT = "build failed: 1 problem; the output folder was left as it was"


def _site(make_site) -> Path:
    root = make_site({"content/posts/2026-01-01-a.md": post("A"),
                      "content/posts/2026-01-02-b.md": post("B")}, config=SITE_YAML)
    assert run(root, "build") == 0
    return root


def _read_only(monkeypatch, *folders: Path) -> None:
    """The kernel's answer for a folder this process may not write in (as root, and on
    every file system, the tests cannot make one: root writes anywhere)."""
    access = os.access
    locked = {str(f) for f in folders}
    monkeypatch.setattr(writer.os, "access", lambda path, mode, **kw: (
        False if str(path).rstrip("/") in locked and mode & os.W_OK
        else access(path, mode, **kw)))


def test_a_read_only_output_folder_changes_nothing(make_site, monkeypatch, capsys) -> None:
    root = _site(make_site)
    (root / "content/posts/2026-01-01-a.md").write_text(post("A", body="Edited."))
    before = tree(root / "_site")
    capsys.readouterr()
    _read_only(monkeypatch, root / "_site/posts/a")
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"cannot write into '{root}/_site/posts/a': it is read-only; nothing was changed",
        HINT, LEFT]
    assert tree(root / "_site") == before
    assert kith_files(root) == []
    assert not list((root / ".cache").glob("outputs-*.journal"))
    monkeypatch.undo()
    assert run(root, "build") == 0
    assert "Edited." in (root / "_site/posts/a/index.html").read_text()


def test_a_stale_file_in_a_read_only_folder_stops_the_build_too(make_site, monkeypatch,
                                                                capsys) -> None:
    """Removing a page's file needs its folder writable; a new folder, the nearest
    existing one (here the output folder itself, with another folder read-only too)."""
    root = _site(make_site)
    (root / "content/posts/2026-01-02-b.md").unlink()
    (root / "content/posts/2026-01-03-c.md").write_text(post("C"))
    before = tree(root / "_site")
    capsys.readouterr()
    _read_only(monkeypatch, root / "_site", root / "_site/posts/b")
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"cannot write into '{root}/_site' (and 1 more folder in it): it is read-only; "
        "nothing was changed", HINT, LEFT]
    assert tree(root / "_site") == before


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_folder_made_read_only_with_chmod(make_site, capsys) -> None:
    root = _site(make_site)
    (root / "content/posts/2026-01-01-a.md").write_text(post("A", body="Edited."))
    before = tree(root / "_site")
    folder = root / "_site/posts/a"
    folder.chmod(0o555)
    try:
        capsys.readouterr()
        assert run(root, "build") == 1
    finally:
        folder.chmod(0o755)
    assert capsys.readouterr().err.splitlines()[0] == (
        f"cannot write into '{folder}': it is read-only; nothing was changed")
    assert tree(root / "_site") == before
