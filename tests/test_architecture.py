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
    {"errors", "yamlio", "dates", "config", "feed_settings", "model", "paths", "files"},
    # The Markdown stage's pieces: rules and formulas <- screens <- renderers <- stage.
    {"markdown_rules", "lexing", "highlighting", "markdown_pyrs", "markdown_guards",
     "formulas"},
    {"markdown_screens", "alttext"},
    {"markdown_reference", "markdown_runs", "markdown_formula_blocks", "markdown_fast"},
    {"markdown_sections"},
    {"content", "markdown", "urls", "links", "channels"},
    {"site", "notices", "feed_ids"},
    {"menus", "related", "assets", "images", "search", "prose", "layout_checks"},
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
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module is None:
            names.update(alias.name for alias in node.names)  # from . import units
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
            names.add(node.module.split(".")[1])
    return names


def test_stages_import_only_earlier_layers() -> None:
    layer_of = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    wrong = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem == "__init__":
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


def module_graph() -> dict[str, set[str]]:
    """Every module of the package (subpackages too) -> the package modules it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        name = ".".join(rel.parts)
        package = rel.parts[:-1]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = list(package[:len(package) - node.level + 1])
                    target = [*base, *(node.module or "").split(".")] if node.module else base
                elif (node.module or "").startswith("generator."):
                    target = node.module.split(".")[1:]
                else:
                    continue
                for alias in node.names:  # `from . import cache` names a module
                    found.add(_existing([*target, alias.name]) or _existing(target) or "")
        graph[name] = {m for m in found if m and m != name}
    return graph


def _existing(parts: list[str]) -> str | None:
    parts = [p for p in parts if p]
    path = PACKAGE.joinpath(*parts)
    if path.with_suffix(".py").is_file():
        return ".".join(parts)
    if (path / "__init__.py").is_file():
        return ".".join([*parts, "__init__"]) if parts else None
    return None


def test_no_import_cycles() -> None:
    graph = module_graph()
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    assert cycles == []


def test_every_module_has_a_layer() -> None:
    """A new top-level module must say where it stands, or the layer test skips it."""
    placed = {name for layer in LAYERS for name in layer}
    assert sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"
                  and p.stem not in placed) == []


def code_lines(path: Path) -> int:
    """Lines of code: not blank, not a comment, not a docstring."""
    tree = ast.parse(path.read_text())
    docs: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            docs.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return sum(1 for i, line in enumerate(path.read_text().splitlines(), 1)
               if line.strip() and not line.strip().startswith("#") and i not in docs)


# Data tables, not logic: the word lists outreach matches interests with.
DATA_TABLES = {"outreach/vocabulary.py"}


def test_modules_and_functions_stay_readable() -> None:
    """No module over 700 lines of code, no function over 80 lines, build.py ≤ 400."""
    big, long = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        limit = 400 if rel == "build.py" else 700
        if rel not in DATA_TABLES and code_lines(path) > limit:
            big.append(f"{rel}: {code_lines(path)} lines of code")
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    long.append(f"{rel}:{node.lineno} {node.name}: {length} lines")
    assert (big, long) == ([], [])


def test_kith_build_loads_no_other_command(tmp_path: Path) -> None:
    """The CLI registers serve, deploy, outreach and import only for commands other than
    build and new: loading them cost every build ~0.1 s."""
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    (site / "content" / "posts" / "2026-01-01-a.md").write_text("---\ntitle: A\n---\nText.\n")
    code = (
        "import sys; from generator.cli import main; "
        f"code = main(['-C', {str(site)!r}, 'build']); "
        "print(code, sorted(m for m in sys.modules if m.split('.')[1:2] in "
        "(['serve'], ['deploy'], ['outreach'], ['importer'])))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=tmp_path)
    assert result.stdout.strip().splitlines()[-1] == "0 []"
    code = "from generator.cli import main; main(['-C', 'x', '--help'])"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=tmp_path).stdout
    assert all(f"    {name} " in shown for name in ("build", "serve", "deploy", "share",
                                                     "import"))


def test_every_module_is_in_the_architecture_doc() -> None:
    """docs/architecture.md names every module of generator/, so it stays true to it."""
    text = (REPO / "docs/architecture.md").read_text(encoding="utf-8")
    missing = [p.stem for p in sorted(PACKAGE.glob("*.py"))
               if p.stem not in ("__init__", "__main__") and f"`{p.stem}" not in text]
    assert missing == []
