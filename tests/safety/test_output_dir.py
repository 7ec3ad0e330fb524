"""`kith build --output DIR`: only a folder Kith built before, or an empty or new one.

A folder of the user's that holds files needs --force; the home folder, the site
folder, its sources, templates, private folders, .git, .cache, a parent of the
site, another site and a file are refused even with --force. A refusal changes
nothing anywhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import SITE_YAML, post, run, tree

HINT = "  hint: choose an empty folder such as _site"


@pytest.fixture
def site(make_site) -> Path:
    return make_site({"content/posts/2026-01-01-a.md": post("A"),
                      "layouts/.keep": "", "contacts/alice.md": "private\n",
                      ".git/HEAD": "ref: refs/heads/main\n", "notes/mine.txt": "mine\n",
                      "afile": "a file\n", "other/site.yaml": "title: other\n"},
                     config=SITE_YAML)


@pytest.mark.parametrize(("output", "reason"), [
    (".", "it is the site folder itself"),
    ("..", "it contains the site folder"),
    ("/", "it contains the site folder"),
    ("content", "it is inside the site's sources (content/)"),
    ("content/posts", "it is inside the site's sources (content/)"),
    ("layouts", "it is inside the site's templates (layouts/)"),
    ("contacts", "it is inside your private contacts (contacts/)"),
    ("outreach/public", "it is inside your private share lists (outreach/)"),
    (".git", "it is inside the site's git repository (.git/)"),
    (".cache", "it is Kith's cache (.cache/)"),
    ("afile", "it is a file, not a folder"),
    ("other", "it holds a site.yaml (another site's sources?)"),
])
@pytest.mark.parametrize("force", [False, True])
def test_never_these_folders(site: Path, capsys, output: str, reason: str,
                             force: bool) -> None:
    target = (site / output).resolve() if not output.startswith("/") else Path(output)
    before = tree(site.parent)
    assert run(site, "build", "--output", output if output.startswith("/")
               else str(site / output), *(["--force"] if force else [])) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"--output: refusing to write the site into '{target}': {reason}", HINT,
        "build failed: 1 problem; the output folder was left as it was"]
    assert tree(site.parent) == before


@pytest.mark.parametrize("force", [False, True])
def test_never_the_home_folder(site: Path, tmp_path: Path, monkeypatch, capsys,
                               force: bool) -> None:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert run(site, "build", "--output", str(home), *(["--force"] if force else [])) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"--output: refusing to write the site into '{home}': it is your home folder")
    assert [p.name for p in home.iterdir()] == [".config"]


def test_a_folder_with_someone_elses_files_needs_force(site: Path, capsys) -> None:
    mine = site / "notes"
    assert run(site, "build", "--output", str(mine)) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"--output: refusing to write the site into '{mine}': it holds files Kith did not "
        "write (such as 'mine.txt'), and nothing records that Kith built there",
        "  hint: choose an empty or new folder; --force builds into it anyway (Kith then "
        "removes only files it wrote itself)",
        "build failed: 1 problem; the output folder was left as it was"]
    assert [p.name for p in mine.iterdir()] == ["mine.txt"]
    assert run(site, "build", "--output", str(mine), "--force") == 0
    assert (mine / "posts/a/index.html").is_file()
    # Kith's record of the folder now exists: no --force needed, and its own stale
    # files go while the user's file stays.
    (site / "content/posts/2026-01-01-a.md").unlink()
    (site / "content/posts/2026-01-02-b.md").write_text(post("B"))
    assert run(site, "build", "--output", str(mine)) == 0
    assert not (mine / "posts/a").exists() and (mine / "posts/b/index.html").is_file()
    assert (mine / "mine.txt").read_text() == "mine\n"


@pytest.mark.parametrize("output", ["fresh", "deep/new/folder", "empty"])
def test_empty_or_missing_folders_are_fine(site: Path, output: str) -> None:
    (site / "empty").mkdir()
    assert run(site, "build", "--output", str(site / output)) == 0
    assert (site / output / "index.html").is_file()


def test_the_default_output_and_kith_serve_folder_need_nothing(site: Path) -> None:
    assert run(site, "build") == 0
    assert run(site, "build") == 0
    assert run(site, "build", "--output", str(site / ".cache/serve")) == 0


@pytest.mark.parametrize("force", [False, True])
def test_never_inside_another_output_folder(site: Path, capsys, force: bool) -> None:
    """A site built inside another would stay there for good (none of its files are
    the outer build's), and be published with it."""
    assert run(site, "build") == 0
    public = site.parent / "public"
    assert run(site, "build", "--output", str(public)) == 0
    capsys.readouterr()
    before = tree(site.parent)
    flag = ["--force"] if force else []
    for output, name in ((site / "_site/posts", "_site/"), (site / "_site/x/y", "_site/"),
                         (public / "posts", f"{public}/")):
        assert run(site, "build", "--output", str(output), *flag) == 1
        assert capsys.readouterr().err.splitlines() == [
            f"--output: refusing to write the site into '{output}': it is inside {name}, "
            "the output folder of another build", HINT,
            "build failed: 1 problem; the output folder was left as it was"]
    assert tree(site.parent) == before


def test_the_default_output_is_refused_inside_before_any_build(site: Path, capsys) -> None:
    assert run(site, "build", "--output", str(site / "_site/posts")) == 1
    assert "it is inside _site/, the output folder of another build" in capsys.readouterr().err
    assert not (site / "_site").exists()


def test_never_inside_another_sites_sources_but_inside_its_output(make_site, capsys) -> None:
    """A sub-site inside another site's _site/ is that site's affair (its builds keep
    files they did not write); inside its content/ or .cache/, its next build would read
    what this one writes."""
    site = make_site({"content/posts/2026-01-01-a.md": post("A")}, config=SITE_YAML)
    other = site.parent / "other"
    (other / "content").mkdir(parents=True)
    (other / "site.yaml").write_text(SITE_YAML)
    for name in ("content", "layouts", ".cache", "contacts", "outreach", ".git"):
        output = other / name / "sub"
        assert run(site, "build", "--output", str(output), "--force") == 1
        assert capsys.readouterr().err.splitlines()[0] == (
            f"--output: refusing to write the site into '{output}': it is inside {name}/ of "
            f"another site ({other})")
        assert not output.exists()
    assert run(site, "build", "--output", str(other / "_site/sub")) == 0
    assert (other / "_site/sub/posts/a/index.html").is_file()


def test_an_output_folder_deleted_since_is_no_longer_in_the_way(site: Path) -> None:
    public = site.parent / "public"
    assert run(site, "build", "--output", str(public)) == 0
    shutil.rmtree(public)
    assert run(site, "build", "--output", str(public / "sub")) == 0

