"""The example site the incremental and no-op tests edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_incremental import CONFIG, FILES, write


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write(root, "site.yaml", CONFIG)
    for rel, data in FILES.items():
        write(root, rel, data)
    return root
