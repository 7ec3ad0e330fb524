"""What the site's layouts get wrong, said in the writer's terms: a hook no template
includes, and Jinja's messages without Kith's class names, with a hint."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Problem, closest, one_of
from .paths import LAYOUTS_DIR


def unused_hooks(own: Path, dirs: list[Path]) -> list[Problem]:
    """A file in the site's layouts/hooks/ that no template includes: a misspelt hook
    (``hooks/haed.html``) would be left out of every page without a word."""
    hooks = own / "hooks"
    if not hooks.is_dir():
        return []
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for d in dirs
             for p in sorted(d.rglob("*.html")) if p.is_file()}
    known = sorted({m for t in texts.values() for m in _HOOK.findall(t)})
    problems = []
    for path in sorted(hooks.glob("*.html")):
        if not any(f"hooks/{path.name}" in t for p, t in texts.items() if p != path):
            problems.append(Problem(
                f"{LAYOUTS_DIR}/hooks/{path.name}", 0, "no template includes this hook",
                (closest(path.name, known) or one_of(known)) + " (docs/theme.md, Hooks)",
                warning=True))
    return problems


_HOOK = re.compile(r"[\"']hooks/([\w.-]+\.html)[\"']")
_OBJECT = re.compile(r"'generator\.[\w.]*?(\w+) object'")
_OBJECT_NAMES = {"TrackedPage": "page", "Page": "page", "SiteView": "site", "Site": "site",
                 "Language": "lang", "Paginator": "paginator", "Term": "term",
                 "Series": "series", "Heading": "heading"}


def plain(message: str) -> str:
    """Jinja's message without Kith's class names: "'generator.cache.TrackedPage object'
    has no attribute 'x'" is "the page has no attribute 'x'"."""
    return _OBJECT.sub(lambda m: f"the {_OBJECT_NAMES.get(m.group(1), m.group(1).lower())}",
                       message)


_NONE_ATTRIBUTE = re.compile(r"'None' has no attribute '(\w+)'")


def template_hint(message: str, line: str = "") -> str:
    """The hint for a template error; ``line``: the template's line, where known."""
    none = _NONE_ATTRIBUTE.match(message)
    if none:  # which variable is none: the one the line reads the attribute of, if one
        names = set(re.findall(rf"([A-Za-z_][\w.]*)\.{none.group(1)}\b", line))
        if len(names) == 1 and (name := names.pop()) != "page":
            return (f"'{name}' is none here; test it first, {{% if {name} %}}...{{% endif %}} "
                    "(docs/theme.md, Template variables)")
        return ("a variable is none here: on lists (the home page, tag pages, the archive) "
                "'page' is none; test it first, {% if page %}...{% endif %} "
                "(docs/theme.md, Template variables)")
    if "has no attribute" in message:
        return "check the name against docs/theme.md, Template variables"
    return "fix the template, or check the variable's name"
