"""Where the repo and the shared reference data are (importable from every test folder)."""

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@cache
def bench_corpus() -> ModuleType:
    """bench/corpus.py, the project's own corpus generator (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("kith_bench_corpus",
                                                  REPO / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
