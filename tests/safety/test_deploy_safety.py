"""`kith deploy` publishes exactly the files the last complete build wrote: never a
temporary file, a leftover of a killed build, a file put there by hand, or a
symlink out of the folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.writer import manifest_path, read_manifest

from .conftest import SITE_YAML, post, run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
IDENTITY = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **IDENTITY}).stdout.strip()


@pytest.fixture
def site(make_site, tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    root = make_site({"content/posts/2026-01-01-a.md": post("A"),
                      "content/posts/2026-01-02-draft.md": post("Draft", "draft: true\n",
                                                                "Secret draft.")},
                     config=SITE_YAML)
    git(root, "init", "--quiet", "-b", "main")
    git(root, "remote", "add", "origin", str(remote))
    assert run(root, "build") == 0
    return root


def published(root: Path) -> list[str]:
    remote = root.parent / "remote.git"
    return sorted(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines())


def built(root: Path) -> list[str]:
    return sorted([*read_manifest(manifest_path(root, root / "_site")), ".nojekyll"])


def test_leftovers_and_hand_made_files_are_not_published(site: Path, capsys) -> None:
    # What Kith before version 3 could leave: a draft's HTML beside a post.
    (site / "_site/posts/a/.kith-3n_h3kp8").write_text("<p>Secret draft.</p>")
    (site / "_site/notes.txt").write_text("mine\n")
    capsys.readouterr()
    assert run(site, "deploy") == 0
    out = capsys.readouterr().out
    assert "left out 2 files no kith build wrote: notes.txt, posts/a/.kith-3n_h3kp8" in out
    assert published(site) == built(site)


def test_deploy_after_a_build_killed_mid_commit_is_refused(site: Path, capsys) -> None:
    (site / "content/posts/2026-01-03-b.md").write_text(post("B"))
    done = subprocess.run([sys.executable, "-m", "generator", "-C", str(site), "build"],
                          env={**os.environ, "KITH_FAULT": "rename:2"}, capture_output=True,
                          start_new_session=True, timeout=120)
    assert done.returncode == -signal.SIGKILL
    capsys.readouterr()
    assert run(site, "deploy") == 1
    assert capsys.readouterr().err.splitlines() == [
        "_site: the last build into this folder was stopped before it finished",
        "  hint: run kith build first"]
    assert git(site.parent / "remote.git", "for-each-ref", "refs/heads") == ""
    assert run(site, "build") == 0 and run(site, "deploy") == 0
    assert "posts/b/index.html" in published(site)


def test_deploy_after_a_build_killed_while_staging_publishes_the_last_good_site(
        site: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "generator", "-C", str(site), "build",
                           "--drafts"], env={**os.environ, "KITH_FAULT": "stage:3"},
                          capture_output=True, start_new_session=True, timeout=120)
    assert done.returncode == -signal.SIGKILL
    assert run(site, "deploy") == 0
    assert published(site) == built(site)
    found = subprocess.run(["git", "grep", "-l", "Secret draft", "gh-pages"],
                           cwd=site.parent / "remote.git", capture_output=True, text=True)
    assert found.stdout == ""


def test_no_record_of_a_build_is_refused(site: Path, tmp_path: Path, capsys) -> None:
    other = tmp_path / "public"
    other.mkdir()
    (other / "index.html").write_text("<p>from somewhere</p>")
    capsys.readouterr()
    assert run(site, "deploy", "--output", str(other)) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{other}: no kith build wrote this folder (there is no record of its files in "
        ".cache/)", "  hint: run kith build first (with --output for another folder): kith "
        "deploy publishes only what the build wrote"]


def test_a_built_file_swapped_for_a_symlink_is_refused(site: Path, tmp_path: Path,
                                                       capsys) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private\n")
    (site / "_site/robots.txt").unlink()
    os.symlink(secret, site / "_site/robots.txt")
    (site / "_site/feed.json").unlink()
    capsys.readouterr()
    assert run(site, "deploy") == 1
    assert capsys.readouterr().err.splitlines() == [
        "_site/feed.json: is missing or no longer a plain file since the build",
        "  hint: run kith build again",
        "_site/robots.txt: is missing or no longer a plain file since the build",
        "  hint: run kith build again"]
