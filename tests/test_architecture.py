"""The shape the architecture promises: imports point one way, outreach stays private."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from kithpaths import REPO

PACKAGE = REPO / "generator"
# Foundation first, orchestration last: a module may import only from earlier layers.
LAYERS = [
    {"errors", "yamlio", "dates", "config", "model", "paths", "files"},
    {"alttext"},
    # The Markdown stage's pieces: rules and formulas <- screens <- renderers <- stage.
    {"markdown_rules", "markdown_pyrs", "markdown_guards", "formulas"},
    {"markdown_screens"},
    {"markdown_reference", "markdown_fast"},
    {"markdown_sections"},
    {"content", "markdown", "urls", "links", "channels"},
    {"site", "notices", "feed_ids"},
    {"menus", "related", "assets", "images", "search", "prose"},
    {"seo", "feeds", "layouts", "sitemap"},
    {"cache", "writer", "selection"},
    {"pool"},
    {"scan", "units"},
    {"sources"},
    {"patch"},
    {"build"},
    {"serve", "deploy", "cli", "__main__"},
]


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
            names.add(node.module.split(".")[1])
    return names


def test_stages_import_only_earlier_layers() -> None:
    layer_of = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    wrong = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem == "__init__" or path.stem not in layer_of:
            continue
        for name in imports_of(path) - {""}:
            if name in layer_of and layer_of[name] > layer_of[path.stem]:
                wrong.append(f"{path.stem} imports {name}")
    assert wrong == []


def test_public_build_never_imports_outreach(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from generator.build import build; "
        f"build(Path({str(REPO)!r}), output=Path({str(tmp_path / 'out')!r})); "
        "print(sorted(m for m in sys.modules if m.startswith('generator.outreach')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=tmp_path)
    assert result.stdout.strip() == "[]"
