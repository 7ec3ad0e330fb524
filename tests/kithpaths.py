"""Where the repo and the shared reference data are (importable from every test folder)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
