"""Golden output for the repo's example site: every file, byte for byte.

After an intended change, refresh with `make golden` (KITH_UPDATE_GOLDEN=1) and
review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kithpaths import REPO

from generator.build import build

GOLDEN = Path(__file__).parent / "golden" / "example"


def example_copy(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    root.mkdir()
    for name in ("content", "layouts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    return root


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_example_site_matches_golden(tmp_path: Path) -> None:
    root = example_copy(tmp_path)
    build(root, output=tmp_path / "out")
    got = files(tmp_path / "out")
    if os.environ.get("KITH_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in got.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    want = files(GOLDEN)
    assert sorted(got) == sorted(want), "file list changed; run `make golden` if intended"
    for rel in sorted(want):
        assert got[rel] == want[rel], f"{rel} differs; run `make golden` if intended"
