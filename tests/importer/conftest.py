"""Fixtures for the importer tests: the shared corpus and a small tricky Jekyll site."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from jekyll_fixtures import CORPUS, TRICKY_SITE, write_tree


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not here ({CORPUS})")
    return CORPUS.resolve()


@pytest.fixture
def tricky(tmp_path: Path) -> Callable[..., Path]:
    """tricky(style='pretty', extra={...}) -> a Jekyll source folder."""

    def make(style: str = "pretty", extra: dict[str, str] | None = None,
             name: str = "jekyll") -> Path:
        files = dict(TRICKY_SITE)
        files["_config.yml"] = files["_config.yml"].replace(
            "permalink: pretty", f"permalink: {yaml.safe_dump(style).splitlines()[0]}")
        files.update(extra or {})
        return write_tree(tmp_path / name, files)

    return make
