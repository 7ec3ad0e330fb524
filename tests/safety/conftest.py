"""Helpers for the attacks: whole trees as bytes, the CLI, hypothesis settings."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import settings

from generator.cli import main

# Property tests here are deterministic and quiet: the same examples on every run, no
# database in the repo. A decorator, not a profile: other folders' tests keep theirs.
PROPERTIES = settings(derandomize=True, database=None, deadline=None, max_examples=300)

SITE_YAML = """\
title: Test site
base_url: https://example.com/
language: en
languages: [en]
"""


def post(title: str, extra: str = "", body: str = "Body.") -> str:
    return f"---\ntitle: {title}\n{extra}---\n\n{body}\n"


def tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) -> its bytes; symlinks as 'link:target'.

    ``skip``: folder names not looked into (such as Kith's own .cache)."""
    found: dict[str, bytes] = {}
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        for name in sorted(names) + [d for d in dirs if os.path.islink(Path(current, d))]:
            path = Path(current, name)
            rel = path.relative_to(folder).as_posix()
            found[rel] = (b"link:" + os.readlink(path).encode() if path.is_symlink()
                          else path.read_bytes())
    return found


def kith_files(folder: Path) -> list[str]:
    """Kith's temporary files anywhere under ``folder``."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.name.startswith(".kith-"))


def run(root: Path, *args: str) -> int:
    return main(["-C", str(root), *args])
