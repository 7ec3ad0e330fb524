"""The no-op build: what it trusts, what it saves, and that an edit afterwards is seen.

A source changed less than ``cache.RACY_NS`` before a build read it is not remembered by
its stat (git's "racy clean" rule). A no-op build saves the state again when enough
sources have since become old enough to trust, so a site checked out right before its
first build is not read in full by every later build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_incremental import clean_build, tree

from generator import build as build_module
from generator import cache
from generator.build import build


def state_of(site: Path) -> cache.BuildState:
    return cache.load_state(cache.state_path(site, site / "_site"))


def sources(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in (site / "content").rglob("*.md")}


def test_racy_sources_are_trusted_after_the_next_no_op(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 10**18)  # every source "just changed"
    build(site)
    assert state_of(site).sources == {}
    monkeypatch.setattr(cache, "RACY_NS", 0)  # ... and now old enough
    builder = build_module.Builder(site)
    again = builder.build()
    assert (again.written, again.rendered) == (0, 0)
    assert "assemble" not in builder.timings  # a no-op
    assert set(state_of(site).sources) == sources(site)
    # An edit made afterwards, same size and mtime: the inode's ctime still tells.
    path = site / "content/posts/2026-01-03-gamma.md"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Gamma", "Gamme"), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    edited = build(site)
    assert edited.written > 0
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_no_op_with_nothing_new_to_trust_saves_nothing(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    build(site)
    state_file = cache.state_path(site, site / "_site")
    before = state_file.stat()
    build(site)
    after = state_file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_state_saved_again_unread_still_drives_an_incremental_build(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The units, digests and versions stay pickled (cache.Packed) through a no-op that
    saves the state; the next real build reads them and renders only what changed."""
    monkeypatch.setattr(cache, "RACY_NS", 10**18)
    first = build(site)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    build(site)  # saves the state again, its units unread
    loaded = state_of(site)
    assert isinstance(loaded.units, cache.Packed) and loaded.units._data is None
    assert loaded.units and loaded.digests and set(loaded.digests) <= sources(site)
    path = site / "content/posts/2026-01-03-gamma.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    edited = build(site)
    assert 0 < edited.rendered < first.rendered / 2
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_packed_mappings_read_and_save_as_dicts(tmp_path: Path) -> None:
    data = {f"k{i}": (i, str(i)) for i in range(100)}
    packed = cache.Packed.of(data)
    assert cache.Packed.of(packed) is packed
    assert packed == data and dict(packed.items()) == data and len(packed) == 100
    assert packed.get("k5") == (5, "5") and packed.get("nope", 1) == 1 and "k9" in packed
    state = cache.BuildState(units=data, digests={"a": "b"}, versions={})
    target = tmp_path / "state.pickle"
    cache.save_state(target, state)
    loaded = cache.load_state(target)
    cache.save_state(target, loaded)  # unread: saved as the same bytes
    again = cache.load_state(target)
    assert again.units == data and again.digests == {"a": "b"} and again.versions == {}
    shutil.copy(target, tmp_path / "copy")
    assert cache.load_state(tmp_path / "copy").units == data


# What a no-op build must not import: the renderers and their libraries (a third of its
# time before). Checked in a fresh interpreter, as `kith build` runs.
RENDERING = ("jinja2", "pygments", "markdown_it", "markdown_it_pyrs", "mdit_py_plugins",
             "math_core", "importlib.metadata", "generator.layouts", "generator.feeds",
             "generator.markdown_fast", "generator.markdown_reference")


def test_a_no_op_build_imports_no_renderer(site: Path) -> None:
    build(site)
    code = ("import sys; from generator.cli import main; "
            f"code = main(['-C', {str(site)!r}, 'build']); "
            f"print(code, sorted(m for m in {RENDERING!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=site)
    assert out.stdout.splitlines()[-1] == "0 []"
    assert "0 files written" in out.stdout


def test_an_edit_after_a_no_op_renders_with_what_it_imports_then(site: Path,
                                                                  tmp_path: Path) -> None:
    build(site)
    page = next((site / "content").rglob("*.md"))
    page.write_text(page.read_text() + "\n```python\nprint('late')\n```\n")
    code = ("import sys; from generator.cli import main; "
            f"print(main(['-C', {str(site)!r}, 'build']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=site)
    assert out.stdout.splitlines()[-1] == "0"
    assert tree(site / "_site") == clean_build(site, tmp_path)
