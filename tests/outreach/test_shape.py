"""The outreach package's shape: imports point one way, modules and functions stay small."""

from __future__ import annotations

import ast
from pathlib import Path

from kithpaths import REPO

PACKAGE = REPO / "generator" / "outreach"
DATA_TABLES = {"vocabulary"}
"""Modules that are a data table (one concept per line), not code."""


def local_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found |= {alias.name for alias in node.names}
    return found


def test_no_import_cycles() -> None:
    graph = {p.stem: local_imports(p) - {p.stem} for p in PACKAGE.glob("*.py")}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for other in sorted(graph.get(node, ())):
            if state.get(other) == 1:
                cycles.append(" -> ".join([*trail[trail.index(other):], other]))
            elif other in graph and other not in state:
                visit(other, [*trail, other])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []
    assert "contacts" not in graph["log"]  # the log never reaches into contacts


def code_lines(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and \
                isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            docstrings |= set(range(body[0].lineno, body[0].end_lineno + 1))
    lines = path.read_text(encoding="utf-8").splitlines()
    return sum(1 for n, line in enumerate(lines, 1)
               if line.strip() and not line.strip().startswith("#") and n not in docstrings)


def test_no_module_over_700_lines_of_code() -> None:
    sizes = {p.name: code_lines(p) for p in PACKAGE.glob("*.py") if p.stem not in DATA_TABLES}
    assert {name: n for name, n in sizes.items() if n > 700} == {}


def test_no_function_over_80_lines() -> None:
    long = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 80:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({length} lines)")
    assert long == []
