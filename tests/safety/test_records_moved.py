"""The records of a site's builds (the output's manifest and build state in .cache/) move
with the site folder.

The Pages workflow restores .cache/ and _site/ into a workspace whose path may differ
from the run that saved them (a repository renamed, a job in a container). The records
were named by the output's absolute path: not found there, nothing recorded the old
pages as Kith's, and the pages of a post deleted in that push stayed published, run
after run (a helper's attack, stop 29). They are named by the output's path inside the
site folder now; records under the old name are adopted once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import build
from generator.files import absolute_records_name, records_name

from .conftest import SITE_YAML, post, tree


def _site(root: Path) -> Path:
    (root / "content/posts").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML)
    for day, title in ((1, "hello"), (2, "other"), (3, "third")):
        (root / f"content/posts/2026-01-0{day}-{title}.md").write_text(post(title.title()))
    return root


def _clean(root: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns(".cache", "_site"))
    build(clean)
    return tree(clean / "_site")


def _records(root: Path) -> list[str]:
    return sorted(p.name for p in (root / ".cache").iterdir()
                  if p.name.startswith(("outputs-", "build-")) and not p.name.endswith(".lock"))


def test_a_site_moved_with_its_cache_and_output_removes_a_deleted_posts_pages(
        tmp_path: Path) -> None:
    first = _site(tmp_path / "run1" / "repo")
    build(first)
    moved = tmp_path / "run2" / "renamed-repo"
    moved.parent.mkdir()
    shutil.move(first, moved)  # .cache/ and _site/ restored at another path
    (moved / "content/posts/2026-01-01-hello.md").unlink()
    result = build(moved)
    assert not (moved / "_site/posts/hello").exists()
    assert result.removed >= 1
    assert tree(moved / "_site") == _clean(moved, tmp_path)
    assert _records(moved) == [f"build-{records_name(moved, moved / '_site')}.pickle",
                               f"outputs-{records_name(moved, moved / '_site')}.json"]


def test_records_under_the_old_name_are_adopted_once(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(root)
    output = root / "_site"
    new, old = records_name(root, output), absolute_records_name(output)
    assert new != old
    cache = root / ".cache"
    for kind, suffix in (("outputs", "json"), ("build", "pickle")):  # as Kith left them
        (cache / f"{kind}-{new}.{suffix}").rename(cache / f"{kind}-{old}.{suffix}")
    (root / "content/posts/2026-01-01-hello.md").unlink()
    result = build(root)
    assert not (output / "posts/hello").exists()  # its pages were known as Kith's
    assert result.unchanged > 0  # the state was adopted too: a warm build
    assert tree(output) == _clean(root, tmp_path)
    assert _records(root) == [f"build-{new}.pickle", f"outputs-{new}.json"]


def test_an_output_outside_the_site_folder_keeps_its_name_by_absolute_path(
        tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "site", tmp_path / "public"
    assert records_name(root, elsewhere) == absolute_records_name(elsewhere)
    assert records_name(root, root / "_site") != records_name(tmp_path / "b", tmp_path / "_site")
    assert records_name(root, root / "_site") == records_name(tmp_path / "b", tmp_path / "b/_site")
