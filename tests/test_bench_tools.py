"""The benchmark runs the code it names, wherever it is started from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kithpaths import REPO

sys.path.insert(0, str(REPO / "bench"))
import search_cost


def test_a_named_tree_runs_its_own_code_from_inside_a_checkout(tmp_path: Path) -> None:
    """Run from a checkout's root, `python -m generator` took that checkout's package
    ahead of PYTHONPATH: a comparison of two trees timed one of them twice."""
    tree = tmp_path / "tree"
    (tree / "generator").mkdir(parents=True)
    (tree / "generator" / "__init__.py").write_text("")
    (tree / "generator" / "__main__.py").write_text(
        "import generator, sys; print(generator.__file__, sys.argv[1:])\n")
    command = search_cost.kith_build(tree, tmp_path / "site")
    out = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == str(tree / "generator" / "__init__.py")
