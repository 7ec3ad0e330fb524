"""Front matter edited the way a writer would: only the keys that change are touched.

Imported files keep their front matter as written (key order, quoting, comments);
the importer removes or adds whole top-level entries, and checks that the result
reads as intended.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from .jekyll_site import Item


def own_front(item: Item) -> Mapping[str, Any] | None:
    """The file's own front matter; None when it is not a YAML mapping."""
    return item.front


def defaults_of(item: Item, front: Mapping[str, Any]) -> dict[str, Any]:
    """Keys in Jekyll's view of the file that neither the file nor Jekyll itself set."""
    derived = {"title", "slug", "ext", "categories", "tags", "date", "draft", "excerpt"}
    return {k: v for k, v in item.data.items() if k not in front and k not in derived}


def plain(value: Any) -> Any:
    """YAML-safe copy: LineDicts and LineLists become plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


_KEY_LINE = re.compile(r"""^(?:"([^"]+)"|'([^']+)'|([^\s#'"-][^:]*?))\s*:(?:\s|$)""")


def edit_front_matter(yaml_text: str | None, original: Mapping[str, Any],
                       drop: Iterable[str], add: Mapping[str, Any]) -> str:
    """The front matter as written, less ``drop`` and ``add``'s keys, plus ``add``.

    Lines are kept as the author wrote them (order, quoting, comments); only whole
    top-level entries are removed. The result must parse to what is intended, else
    the mapping is written afresh.
    """
    remove = (set(drop) | set(add)) & set(original) if original else set()
    if not remove:  # nothing to cut: the written lines stay, the new ones are appended
        kept_text = (yaml_text or "").rstrip("\n")
        new = [_dump_entry(k, v) for k, v in add.items() if v is not None]
        text = "\n".join(part for part in (kept_text, *new) if part.strip())
        return text + "\n" if text.strip() else ""
    remove = set(drop) | set(add)
    kept: list[str] = []
    skipping = False
    for line in (yaml_text or "").splitlines():
        match = _KEY_LINE.match(line)
        if match:
            key = next(g for g in match.groups() if g is not None).strip()
            skipping = key in remove
        elif line and not line[0].isspace() and not line.startswith(("-", "#")):
            skipping = False
        if not skipping:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    new = [_dump_entry(k, v) for k, v in add.items() if v is not None]
    text = "\n".join([*kept, *new])
    text = text + "\n" if text.strip() else ""
    # Check the cut with the fast loader: both sides read the same way.
    try:
        expected = {k: v for k, v in (_fast_load(yaml_text) or {}).items() if k not in remove}
        expected.update(_fast_load("\n".join(new)) or {})
        if (_fast_load(text) or {}) == expected:
            return text
    except (yaml.YAMLError, AttributeError):
        pass
    fresh = {k: v for k, v in plain(original).items() if k not in remove}
    fresh.update({k: v for k, v in add.items() if v is not None})
    return yaml.safe_dump(fresh, allow_unicode=True, sort_keys=False, width=10_000) \
        if fresh else ""


def _dump_entry(key: str, value: Any) -> str:
    """One 'key: value' entry; short lists in flow style ('aliases: [/old/]')."""
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        flow = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
        return f"{key}: {flow.strip()}"
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10_000,
                          default_flow_style=False).rstrip("\n")


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _fast_load(text: str | None) -> Any:
    return yaml.load(text, Loader=_FAST_LOADER) if text and text.strip() else None
