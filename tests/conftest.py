"""Shared helpers: tiny sites written into tmp_path, and the repo's own paths."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from kithpaths import REPO, SHARED  # noqa: F401 - re-exported for tests

MINIMAL_CONFIG = """\
title: Test site
base_url: https://example.com/
language: en
languages: [en, zh]
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site({'content/posts/2026-01-01-x.md': '...'}) -> site root with site.yaml."""

    def make(files: dict[str, str | bytes], config: str = MINIMAL_CONFIG) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        (root / "site.yaml").write_text(config, encoding="utf-8")
        return write_tree(root, files)

    return make


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # "Now" decides what is future-dated; pin it so tests never depend on the clock.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")  # 2026-11-25T00:00:00Z
