"""YAML reading that remembers where each key was, for `path:line` errors."""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the 1-based line of each key (``lines[key]``)."""

    lines: dict[Any, int]
    line: int


class LineList(list):  # type: ignore[type-arg]
    """A sequence that knows the 1-based line of each item."""

    lines: list[int]
    line: int


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.lines = {}
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                "found an unhashable key", key_node.start_mark) from None
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.lines = [child.start_mark.line + 1 for child in node.value]
    result.line = node.start_mark.line + 1
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # Keep dates as written ("2026-01-05", "2026-01-05 10:00 +08:00") and parse them
    # ourselves: PyYAML silently drops timezone offsets from datetimes.
    return loader.construct_scalar(node)


# libyaml's parser (PyYAML's C extension) reads front matter ~10x faster; the error
# messages come from the pure-Python parser, which the tests pin word for word.
_FastLoader: type[Any] = getattr(yaml, "CSafeLoader", _Loader)
if _FastLoader is not _Loader:
    _FastLoader = type("_FastLoader", (_FastLoader,), {})

for _loader in dict.fromkeys((_Loader, _FastLoader)):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlProblem(Exception):
    """YAML that does not parse; ``line`` is 1-based within the text given."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


def load_yaml(text: str) -> Any:
    """Parse YAML, recording lines; dates stay strings. Raises YamlProblem."""
    try:
        return yaml.load(text, Loader=_FastLoader)  # a (C)SafeLoader subclass
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        return_msg = f"invalid YAML: {what}"
        raise YamlProblem(line, return_msg) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"invalid YAML: {exc}") from None


def line_of(data: Any, key: Any, default: int = 0) -> int:
    """Line of ``key`` in a LineDict (or item index in a LineList)."""
    lines = getattr(data, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key, getattr(data, "line", default))
    if isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
        return lines[key]
    return getattr(data, "line", default)
