"""How the private side describes bad input: named by file, line and key, never by value.

Contact files and the log are private, and messages end up in terminals, CI
logs and bug reports. These helpers are shared by the readers of contacts,
the log and the settings; none of them echoes a value the user wrote.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from typing import Any

import yaml

from ..errors import Problem, closest, one_of
from ..yamlio import line_of
from .periods import DATE_FORMS

_SAFE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,40}$")


def unknown_key(path: str, where: Any, key: object, known: Collection[str],
                context: str = "", *, private: bool = True) -> Problem:
    """An unknown key, named only when it is a near-typo of a known one.

    A stray key may be private text that lost its indentation ('alice: likes k8s');
    a misspelt known key ('do_not_contac') is safe to show.
    """
    hint = closest(key, known) if isinstance(key, str) else ""
    typo = isinstance(key, str) and _SAFE_KEY.match(key) and (not private or \
        difflib.get_close_matches(key, list(known), n=1, cutoff=0.8))
    shown = f"'{key}'" if typo else "(not shown, in case it is private)"
    if not hint and isinstance(where, dict) and where.get(key, "") is None:
        # '{where: DroidKaigi, Tokyo}' or '{note: last chat Q2, follow up}': the comma ended
        # the value and what followed became a key with no value.
        example = 'note: "last chat Q2 2024, follow up in 6 months"' if "/log/" in path \
            else 'where: "DroidKaigi, Tokyo"'
        hint = f"a comma inside {{...}} ends a value: put the value before it in quotes ({example})"
    return Problem(path, line_of(where, key), f"unknown {context}key {shown}",
                   hint or one_of(known))


def safe_yaml_message(message: str) -> str:
    """A parser message with anything quoted from the file taken out."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", "(…)", message)


def date_problem(key: str, exc: ValueError) -> tuple[str, str]:
    """(message, hint) for a bad date, without the value."""
    if "real" in str(exc):
        return f"'{key}' is not a real date", "check the month and the day"
    return f"'{key}' must be {DATE_FORMS}", ""


def as_text(value: Any) -> str | None:
    """A scalar as text (YAML may read '2016' or 'yes' as other types); None if not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None


def duplicate_keys(text: str, rel: str, known: Collection[str],
                   line_offset: int = 0) -> list[Problem]:
    """Warnings for a key written twice in one mapping: YAML keeps the last one silently.

    A known key is named; any other is not (it may be private text).
    """
    try:
        # The C composer when there is one: this runs on every contact file and log line,
        # and the pure-Python one took most of `kith plan`'s time on 10,000 contacts.
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []  # the reader reports the syntax error itself
    found: list[Problem] = []
    todo = [root] if root is not None else []
    seen_nodes = 0
    while todo and seen_nodes < 100_000:  # an alias-heavy file is not walked forever
        node = todo.pop()
        seen_nodes += 1
        if isinstance(node, yaml.MappingNode):
            lines: dict[str, int] = {}
            for key_node, value_node in node.value:
                todo.append(value_node)
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                line = key_node.start_mark.line + 1 + line_offset
                key = key_node.value
                if key in lines:
                    shown = f"'{key}'" if key in known else "(not shown, in case it is private)"
                    found.append(Problem(
                        rel, line, f"duplicate key {shown}: this value replaces the one on "
                        f"line {lines[key]}", "keep one of them", warning=True))
                lines[key] = line
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return sorted(found)
