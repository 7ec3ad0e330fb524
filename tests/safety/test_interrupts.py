"""Stopped builds: Ctrl-C, a full disk, sources deleted mid-build. One clear message,
no traceback, the output folder whole, no temporary file left, and state files
(the feed-ID ledger, the manifest) never truncated."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import pool
from generator.build import Builder
from generator.files import interrupts_deferred
from generator.scan import Scanner

from .conftest import SITE_YAML, kith_files, post, run, tree

FILES: dict[str, str | bytes] = {
    **{f"content/posts/2026-01-0{i}-p{i}.md": post(f"P{i}", "tags: [x]\n") for i in range(1, 6)},
    "content/posts/pic.png": b"png",
}


def kith(root: Path, *args: str, fault: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KITH_FAULT": fault} if fault else dict(os.environ)
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(root), *args],
                          env=env, capture_output=True, text=True, start_new_session=True,
                          timeout=120, preexec_fn=_as_in_a_terminal)


def _as_in_a_terminal() -> None:
    # A shell ignores SIGINT in what it starts in the background (`make test &`), and
    # the ignore is inherited: Kith there is right not to stop, and Ctrl-C could not be
    # tested. The build under test gets Ctrl-C's default, as in a terminal.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(sys.platform != "linux", reason="signals to a process group")
@pytest.mark.parametrize(("fault", "posts"), [("stage:3:INT", 5), ("rename:2:INT", 5),
                                             ("stage:30:INT", 180)])
def test_ctrl_c_is_one_line_and_leaves_a_whole_site(make_site, fault: str, posts: int) -> None:
    """Ctrl-C reaches the whole process group as a terminal sends it; with 180 posts the
    cold build's workers are rendering and staging when it comes."""
    files = {f"content/posts/2026-02-{1 + i % 28:02d}-n{i}.md":
             post(f"N{i}", f"tags: [g{i % 7}]\n") for i in range(posts)}
    root = make_site(files, config=SITE_YAML)
    cold = posts > 100
    if not cold:
        assert kith(root, "build").returncode == 0
    before = tree(root / "_site") if not cold else {}
    (root / "content/posts/2026-03-01-new.md").write_text(post("New"))
    done = kith(root, "build", fault=fault)
    # A first build stopped before its commit has no site to speak of.
    left = "nothing was written to _site/" if cold else \
        "_site/ holds a complete site, nothing half-built"
    assert (done.returncode, done.stderr, done.stdout) == (130, f"interrupted; {left}\n", "")
    assert kith_files(root) == []
    after = tree(root / "_site") if not cold else {}
    if fault.startswith("stage"):
        assert after == before
    else:  # Ctrl-C waits for the commit to end: the whole new site is there
        assert "posts/new/index.html" in after
    assert kith(root, "build").returncode == 0


@pytest.mark.skipif(sys.platform != "linux", reason="signals to a process group")
def test_ctrl_c_while_kith_starts_is_one_line(make_site) -> None:
    root = make_site(FILES, config=SITE_YAML)
    done = kith(root, "build", fault="start:1:INT")
    assert (done.returncode, done.stderr, done.stdout) == (130, "interrupted\n", "")


def test_a_reader_that_leaves_early_gets_no_traceback(make_site) -> None:
    """`kith build | head -1`: stdout closes while Kith still prints."""
    root = make_site({**FILES, "content/posts/2026-01-09-d.md": post("D", "draft: true\n")},
                     config=SITE_YAML)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(root), "build"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before Kith prints its first line
    err = proc.stderr.read()
    assert (proc.wait(timeout=60), err) == (141, b"")
    assert (root / "_site/index.html").is_file()


def test_a_full_disk_never_truncates_the_feed_id_ledger(make_site, monkeypatch, capsys) -> None:
    root = make_site(FILES, config=SITE_YAML)
    assert run(root, "build") == 0
    ledger = (root / "feed-ids.yaml").read_bytes()
    (root / "content/posts/2026-01-09-new.md").write_text(post("New"))
    real_write = os.write

    def full_disk(fd: int, data: bytes) -> int:
        if "feed-ids.yaml" in os.readlink(f"/proc/self/fd/{fd}"):
            written = real_write(fd, bytes(data)[:10])  # a few bytes fit, then the disk is full
            if written:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    capsys.readouterr()
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "feed-ids.yaml: No space left on device",
        "  hint: free some disk space, then run kith build again",
        "build stopped; _site/ holds a complete site, nothing half-built"]
    assert (root / "feed-ids.yaml").read_bytes() == ledger
    assert kith_files(root) == []
    monkeypatch.setattr(os, "write", real_write)
    assert run(root, "build") == 0
    assert (root / "feed-ids.yaml").read_bytes().startswith(ledger)
    assert b"2026-01-09-new.md" in (root / "feed-ids.yaml").read_bytes()


@pytest.mark.parametrize("victim", [".journal", "outputs-", "build-"])
def test_a_full_disk_while_saving_state_files(make_site, monkeypatch, capsys,
                                             victim: str) -> None:
    """The journal, the manifest, the build state: each written aside, so a full disk
    leaves the old file whole and the next build (with space) settles everything."""
    root = make_site(FILES, config=SITE_YAML)
    assert run(root, "build") == 0
    before = tree(root / "_site")
    (root / "content/posts/2026-01-01-p1.md").write_text(post("P1 edited"))
    real_write = os.write

    def full_disk(fd: int, data: bytes) -> int:
        if victim in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    capsys.readouterr()
    assert run(root, "build") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(": No space left on device") and victim in err[0]
    assert err[1] == "  hint: free some disk space, then run kith build again"
    assert err[2] == "build stopped; _site/ holds a complete site, nothing half-built"
    if victim == ".journal":  # before anything was visible
        assert tree(root / "_site") == before
    monkeypatch.setattr(os, "write", real_write)
    assert run(root, "build") == 0
    assert b"P1 edited" in (root / "_site/posts/p1/index.html").read_bytes()
    assert kith_files(root) == []


def test_a_source_deleted_during_the_build(make_site, monkeypatch, capsys) -> None:
    root = make_site(FILES, config=SITE_YAML)
    assert run(root, "build") == 0
    before = tree(root / "_site")
    (root / "content/posts/2026-01-01-p1.md").write_text(post("P1 edited"))
    real_scan = Scanner.scan

    def scan_then_delete(self: Scanner, *args: object, **kwargs: object) -> object:
        found = real_scan(self, *args, **kwargs)  # type: ignore[arg-type]
        (root / "content/posts/2026-01-01-p1.md").unlink()  # the writer renames it away
        return found

    monkeypatch.setattr(Scanner, "scan", scan_then_delete)
    capsys.readouterr()
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/posts/2026-01-01-p1.md: No such file or directory",
        "  hint: a file was deleted or renamed while the site was being built: run kith "
        "build again",
        "build stopped; _site/ holds a complete site, nothing half-built"]
    assert tree(root / "_site") == before
    monkeypatch.setattr(Scanner, "scan", real_scan)
    assert run(root, "build") == 0
    assert not (root / "_site/posts/p1").exists()


def test_a_static_file_deleted_during_the_build(make_site, monkeypatch, capsys) -> None:
    root = make_site(FILES, config=SITE_YAML)
    assert run(root, "build") == 0
    before = tree(root / "_site")
    (root / "content/posts/pic.png").write_bytes(b"new png")
    real_render = Builder._render

    def render_then_delete(self: Builder, *args: object, **kwargs: object) -> object:
        (root / "content/posts/pic.png").unlink()
        return real_render(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Builder, "_render", render_then_delete)
    monkeypatch.setattr(pool, "POOL_MIN_RENDER", 10**9)
    capsys.readouterr()
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/posts/pic.png: was deleted or renamed while the site was being built",
        "  hint: run kith build again",
        "build failed: 1 problem; the output folder was left as it was"]
    assert tree(root / "_site") == before
    assert kith_files(root) == []



def test_signals_wait_for_the_end_of_a_commit() -> None:
    """SIGTERM (a closed terminal, a CI timeout) and SIGINT are held while staged files
    are renamed into place, then act."""
    got: list[str] = []
    old = signal.signal(signal.SIGTERM, lambda signum, frame: got.append("signal"))
    try:
        with interrupts_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            got.append("commit done")
        time.sleep(0.05)
    finally:
        signal.signal(signal.SIGTERM, old)
    assert got == ["commit done", "signal"]
