"""`kith deploy` publishes _site/ to a branch of a (local, bare) remote and touches
nothing else: not the working tree, not the index, not the current branch."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

IDENTITY = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **IDENTITY}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True, env=env).stdout.strip()


def snapshot(repo: Path) -> dict[str, str]:
    """Everything a deploy must leave alone."""
    files = {p.relative_to(repo).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
             for p in sorted(repo.rglob("*"))
             if p.is_file() and ".git" not in p.relative_to(repo).parts}
    return {
        "status": git(repo, "status", "--porcelain=v1", "-uall"),
        "staged": git(repo, "diff", "--cached"),
        "unstaged": git(repo, "diff"),
        "head": git(repo, "rev-parse", "HEAD"),
        "branch": git(repo, "symbolic-ref", "HEAD"),
        "branches": git(repo, "for-each-ref", "refs/heads"),
        "index": hashlib.sha1((repo / ".git/index").read_bytes()).hexdigest(),
        "files": repr(files),
    }


@pytest.fixture
def repo(tmp_path: Path, helpers: SimpleNamespace) -> tuple[Path, Path]:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    site = helpers.write_site(tmp_path / "site", config=helpers.SITE_YAML
                              + "cname: blog.example.com\n")
    git(site, "init", "--quiet", "-b", "main")
    git(site, "add", "site.yaml", "content")
    git(site, "commit", "--quiet", "-m", "source")
    git(site, "remote", "add", "origin", str(remote))
    helpers.build_site(site)
    # Work in progress that a deploy must not disturb: staged, unstaged, untracked.
    (site / "content/about.md").write_text("---\ntitle: About\n---\nStaged edit.\n")
    git(site, "add", "content/about.md")
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "# unstaged\n")
    (site / "notes.txt").write_text("untracked\n")
    return site, remote


def test_deploy_publishes_to_the_branch_and_touches_nothing(
        repo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    site, remote = repo
    before = snapshot(site)
    assert main(["-C", str(site), "deploy"]) == 0
    assert "to origin gh-pages" in capsys.readouterr().out
    assert snapshot(site) == before

    published = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    built = sorted(p.relative_to(site / "_site").as_posix()
                   for p in (site / "_site").rglob("*") if p.is_file())
    assert sorted(published) == sorted([*built, ".nojekyll", "CNAME"])
    assert git(remote, "show", "gh-pages:CNAME") == "blog.example.com"
    assert git(remote, "show", "gh-pages:.nojekyll") == ""
    assert git(remote, "show", "gh-pages:feed.xml") == (site / "_site/feed.xml").read_text() \
        .strip()
    assert git(remote, "for-each-ref", "--format=%(refname)", "refs/heads") == \
        "refs/heads/gh-pages"  # main was never pushed


def test_redeploy_adds_a_child_commit_only_when_the_site_changed(
        repo: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
        helpers: SimpleNamespace) -> None:
    site, remote = repo
    assert main(["-C", str(site), "deploy", "--message", "first"]) == 0
    first = git(remote, "rev-parse", "gh-pages")
    assert main(["-C", str(site), "deploy"]) == 0
    assert "nothing to push" in capsys.readouterr().out
    assert git(remote, "rev-parse", "gh-pages") == first
    (site / "content/extra.txt").write_text("new file\n")
    helpers.build_site(site)
    assert main(["-C", str(site), "deploy", "--branch", "gh-pages", "-m", "second"]) == 0
    assert git(remote, "log", "--format=%s", "gh-pages").splitlines() == ["second", "first"]


def test_deploy_to_another_remote_and_branch(repo: tuple[Path, Path], tmp_path: Path) -> None:
    site, _ = repo
    other = tmp_path / "other.git"
    git(tmp_path, "init", "--quiet", "--bare", str(other))
    assert main(["-C", str(site), "deploy", "--remote", str(other), "--branch", "site"]) == 0
    assert "index.html" in git(other, "ls-tree", "--name-only", "site")


def test_missing_site_folder_is_a_clear_error(repo: tuple[Path, Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    site, _ = repo
    shutil.rmtree(site / "_site")
    assert main(["-C", str(site), "deploy"]) == 1
    err = capsys.readouterr().err
    assert "_site: nothing to publish" in err and "kith build" in err


def test_refuses_to_overwrite_the_current_branch(repo: tuple[Path, Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    site, remote = repo
    assert main(["-C", str(site), "deploy", "--branch", "main"]) == 1
    assert "the branch you are working on" in capsys.readouterr().err
    assert git(remote, "for-each-ref", "refs/heads") == ""


def test_unknown_remote_and_no_repository(repo: tuple[Path, Path], tmp_path: Path,
                                          helpers: SimpleNamespace,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    site, _ = repo
    assert main(["-C", str(site), "deploy", "--remote", "nowhere"]) == 1
    assert "cannot reach remote 'nowhere'" in capsys.readouterr().err
    lone = helpers.write_site(tmp_path / "lone")
    helpers.build_site(lone)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no enclosing repository
    assert main(["-C", str(lone), "deploy"]) == 1
    assert "not in a git repository" in capsys.readouterr().err


def test_a_build_with_drafts_is_never_published(repo: tuple[Path, Path],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """kith build --drafts makes a complete site, drafts included: kith deploy refuses it
    until a build without --drafts replaced it."""
    site, remote = repo
    (site / "content/posts/2026-03-01-secret.md").write_text(
        "---\ntitle: Not yet\ndraft: true\n---\nUnfinished.\n")
    assert main(["-C", str(site), "build", "--drafts"]) == 0
    assert (site / "_site/posts/secret/index.html").is_file()
    capsys.readouterr()
    assert main(["-C", str(site), "deploy"]) == 1
    assert "_site: the last build into this folder included --drafts: its drafts or future " \
        "posts would go public" in capsys.readouterr().err
    assert git(remote, "for-each-ref", "refs/heads") == ""
    assert main(["-C", str(site), "build"]) == 0
    assert main(["-C", str(site), "deploy"]) == 0
    published = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "posts/secret/index.html" not in published and "index.html" in published
