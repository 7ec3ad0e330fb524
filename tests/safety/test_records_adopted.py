"""Records under the name Kith gave them before (the output's absolute path) are adopted
whole, whatever the older Kith left: an unfinished commit's journal and staging folder,
records it wrote again after a newer Kith (a downgrade, then an upgrade), an output
given with --output. And sites sharing one .cache/ (a symlink) keep their own records."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from generator.build import build
from generator.files import absolute_records_name, records_name

from .conftest import SITE_YAML, post, run, tree

POSTS = {"2026-01-01-hello.md": "Hello", "2026-01-02-other.md": "Other"}


def _site(root: Path) -> Path:
    (root / "content/posts").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML)
    for name, title in POSTS.items():
        (root / "content/posts" / name).write_text(post(title))
    return root


def _clean(root: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns(".cache", "_site", "pub"))
    build(clean)
    return tree(clean / "_site")


def _as_kith_before(root: Path, output: Path) -> None:
    """Rename every record of ``output`` to the absolute name, as Kith before left them."""
    new, old = records_name(root, output), absolute_records_name(output)
    for entry in (root / ".cache").iterdir():
        if entry.name.startswith(("outputs-", "build-")) and f"-{new}." in entry.name:
            entry.rename(entry.with_name(entry.name.replace(new, old)))


def test_an_unfinished_commit_under_the_old_name_is_finished(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(root)
    (root / "content/posts/2026-01-01-hello.md").unlink()
    done = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build"],
                          env={**os.environ, "KITH_FAULT": "journal:1"}, capture_output=True,
                          start_new_session=True, timeout=120)
    assert done.returncode == -signal.SIGKILL
    _as_kith_before(root, root / "_site")
    assert (root / ".cache" / f"outputs-{absolute_records_name(root / '_site')}.journal").exists()
    build(root)
    assert not (root / "_site/posts/hello").exists()  # the journal's removes were done
    assert tree(root / "_site") == _clean(root, tmp_path)
    assert not any(p.name.endswith((".journal", ".staging")) for p in (root / ".cache").iterdir())


def test_records_written_again_by_an_older_kith_win(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(root)
    kept = {p: p.read_bytes() for p in (root / ".cache").glob("outputs-*.json")}
    (root / "content/posts/2026-01-03-third.md").write_text(post("Third"))
    build(root)
    _as_kith_before(root, root / "_site")  # the older Kith's build...
    for path, data in kept.items():  # ...and the newer one's records from before it
        path.write_bytes(data)
        os.utime(path, ns=(1, 1))
    (root / "content/posts/2026-01-03-third.md").unlink()
    build(root)
    assert not (root / "_site/posts/third").exists()
    assert tree(root / "_site") == _clean(root, tmp_path)


def test_an_output_given_with_output_is_still_known_after_the_upgrade(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    assert run(root, "build", "--output", str(root / "pub")) == 0
    _as_kith_before(root, root / "pub")
    (root / "content/posts/2026-01-01-hello.md").unlink()
    assert run(root, "build", "--output", str(root / "pub")) == 0  # not "did not write"
    assert tree(root / "pub") == _clean(root, tmp_path)


def test_sites_sharing_a_cache_folder_keep_their_own_records(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    a, b = _site(tmp_path / "a"), _site(tmp_path / "b")
    for root in (a, b):
        (root / ".cache").symlink_to(shared)
    (a / "content/verify.html").write_text("a's own\n")
    build(a)
    build(b)
    (b / "_site/verify.html").write_text("put there by hand\n")
    build(b)
    assert (b / "_site/verify.html").read_text() == "put there by hand\n"  # not a's to remove
    assert records_name(a, a / "_site") != records_name(b, b / "_site")
    (a / "content/posts/2026-01-01-hello.md").unlink()
    build(a)
    assert tree(a / "_site") == _clean(a, tmp_path)
