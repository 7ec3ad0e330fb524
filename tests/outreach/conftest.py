"""Outreach test helpers: a copy of the fixture site, and running kith in-process."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A private copy of fixtures/site: tests may append to its log."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    return root


@pytest.fixture
def kith(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """kith('share', '--all', root=...) -> (exit code, stdout, stderr)."""

    def run(*argv: str, root: Path) -> tuple[int, str, str]:
        code = main(["-C", str(root), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
