"""Which files Jekyll reads (exclude:, include:, special names) and the front matter
defaults (``defaults:``) each one gets: lib/jekyll/{entry_filter,frontmatter_defaults}.rb."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULT_EXCLUDES = (".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock",
                    "node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/",
                    "vendor/ruby/")


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = value
    return result


class Defaults:
    """``FrontmatterDefaults``: the ``defaults:`` sets that apply to a path and type."""

    def __init__(self, sets: Any, root: Path) -> None:
        self.root = root
        self.sets = [s for s in sets if isinstance(s, dict) and isinstance(s.get("values"), dict)
                     ] if isinstance(sets, list) else []

    @staticmethod
    def _clean(path: Any) -> str:
        if not isinstance(path, str) or not path:
            return ""
        return path.strip("/") if path.startswith("/") else path

    def _applies(self, scope: Mapping[str, Any], path: str, kind: str) -> bool:
        wanted = scope.get("type")
        aliases = {"page": "pages", "post": "posts", "draft": "drafts"}
        if wanted is not None and aliases.get(str(wanted), str(wanted)) != kind:
            return False
        scope_path = scope.get("path")
        if not isinstance(scope_path, str) or not scope_path:
            return True
        if "*" in scope_path:
            return any(path.startswith(p.relative_to(self.root).as_posix())
                       for p in self.root.glob(scope_path))
        return path.startswith(self._clean(scope_path))

    def _precedes(self, old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> bool:
        if old is None:
            return True
        new_path, old_path = self._clean(new.get("path")), self._clean(old.get("path"))
        if len(new_path) != len(old_path):
            return len(new_path) >= len(old_path)
        return "type" in new or "type" not in old

    def all(self, path: str, kind: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        old: Mapping[str, Any] | None = None
        for entry in self.sets:
            scope: Mapping[str, Any] = entry["scope"] if isinstance(entry.get("scope"), dict) \
                else {}
            if "scope" in entry and not self._applies(scope, path, kind):
                continue
            if self._precedes(old, scope):
                result, old = deep_merge(result, entry["values"]), scope
            else:
                result = deep_merge(entry["values"], result)
        return result


class EntryFilter:
    """``EntryFilter``: exclude/include globs, special names, backups."""

    def __init__(self, exclude: list[str], include: list[str]) -> None:
        self.include = include
        self.exclude = [p for p in exclude if p not in include]

    @staticmethod
    def _matches(patterns: list[str], entry: str, is_dir: bool) -> bool:
        # Jekyll joins both with the source folder and also accepts a plain prefix:
        # excluding "c" leaves out "cpp/" and "clash.log" too.
        entry = "/" + entry.strip("/")
        for pattern in patterns:
            joined = "/" + pattern.lstrip("/")
            if (fnmatch.fnmatchcase(entry, joined) or entry.startswith(joined)
                    or (is_dir and joined == entry + "/")):
                return True
        return False

    def excluded(self, rel: str, is_dir: bool) -> bool:
        return self._matches(self.exclude, rel, is_dir)

    def keep(self, base: str, entry: str, is_dir: bool) -> bool:
        """``entry`` is relative to the folder ``base`` (itself relative to the source)."""
        name = entry.rsplit("/", 1)[-1]
        if entry.endswith("."):
            return False
        included = self._matches(self.include, entry, is_dir) or self._matches(
            self.include, name, is_dir)
        if self.excluded(f"{base}/{entry}" if base else entry, is_dir) and not included:
            return False
        if included:
            return True
        special = ("." , "_", "#", "~")
        return not (entry.startswith(special) or name.startswith(special) or entry.endswith("~"))
