"""YAML reading that remembers where each key was, for `path:line` errors.

Every YAML file Kith reads (front matter, site.yaml, strings.yaml, contacts, the
interaction log) goes through ``load_yaml``, which also refuses what would make
a later stage hang or overflow: aliases that expand past ALIAS_BUDGET values (an
"alias bomb"), aliases that contain themselves, nesting deeper than MAX_DEPTH;
and, where the caller asks, a key written twice in one mapping (PyYAML keeps the
last silently). Front matter first tries ``read_flat``, a line reader for its flat
shapes that answers exactly as load_yaml would, or not at all (``load_front_matter``).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

ALIAS_BUDGET = 10_000
"""Values that aliases may add to one document beyond the values written out."""
MAX_DEPTH = 64
"""Mappings and lists nested deeper than this are refused."""


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the 1-based line of each key (``lines[key]``)."""

    lines: dict[Any, int]
    line: int


class LineList(list):  # type: ignore[type-arg]
    """A sequence that knows the 1-based line of each item."""

    lines: list[int]
    line: int


class _Loader(yaml.SafeLoader):
    """The pure-Python loader: its messages are the ones users see. It also notes
    where each alias is used, which the composed nodes no longer tell."""

    first_line = 1
    merges = False
    unique_keys = False
    depth = 0

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_uses: list[tuple[yaml.Node, int]] = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self.anchors:
                self.alias_uses.append((self.anchors[event.anchor], event.start_mark.line))
        return super().compose_node(parent, index)


def _line(loader: Any, node: yaml.Node) -> int:
    return node.start_mark.line + loader.first_line


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    _enter(loader, node)
    if loader.merges and loader.unique_keys:  # merged keys may repeat its own: check first
        _check_keys(node, loader.first_line)
    loader.flatten_mapping(node)
    result = LineDict()
    result.lines = {}
    result.line = _line(loader, node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                "found an unhashable key", key_node.start_mark) from None
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = _line(loader, key_node)
    if len(result) != len(node.value) and loader.unique_keys and not loader.merges:
        _check_keys(node, loader.first_line)  # a key written twice: say which
    loader.depth -= 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    _enter(loader, node)
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.lines = [_line(loader, child) for child in node.value]
    result.line = _line(loader, node)
    loader.depth -= 1
    return result


def _enter(loader: Any, node: yaml.Node) -> None:
    """Count nesting while building (the shape check counts it when there are aliases)."""
    loader.depth += 1
    if loader.depth > MAX_DEPTH:
        raise YamlProblem(_line(loader, node), f"invalid YAML: nested more than {MAX_DEPTH} "
                          "levels deep", _DEEP_HINT)


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    # Keep dates as written ("2026-01-05", "2026-01-05 10:00 +08:00") and parse them
    # ourselves: PyYAML silently drops timezone offsets from datetimes.
    return loader.construct_scalar(node)


# libyaml's parser (PyYAML's C extension) reads front matter ~10x faster; the error
# messages come from the pure-Python parser, which the tests pin word for word.
_FastLoader: type[Any] = getattr(yaml, "CSafeLoader", _Loader)
_FastLoader = type("_FastLoader", (_FastLoader,), {"first_line": 1, "merges": False,
                                                    "unique_keys": False, "depth": 0})

for _loader in (_Loader, _FastLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

_MERGE_TAG = "tag:yaml.org,2002:merge"
_DEEP_HINT = "lists and mappings this deep are a mistake (or an attack): flatten the value"
# Where a parser gives up at the end of the text, the line worth showing is where
# the thing it was reading began: the opening quote or bracket.
_UNCLOSED = {
    "while scanning a quoted scalar": ("a quoted value starts here and is never closed",
                                       "add the closing quote, or remove the opening one"),
    "while parsing a flow sequence": ("the [ that starts a list here is never closed",
                                      "end the list with ], or write one '- item' per line"),
    "while parsing a flow mapping": ("the { that starts a mapping here is never closed",
                                     "end the mapping with }"),
}


class YamlProblem(Exception):
    """YAML that does not parse; ``line`` is 1-based, counted from ``first_line``.
    ``hint`` is set where this module knows better than a caller's general advice."""

    def __init__(self, line: int, message: str, hint: str = "") -> None:
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(f"{line}: {message}")


def load_yaml(text: str, first_line: int = 1, unique_keys: bool = False) -> Any:
    """Parse YAML, recording lines (the text's first line is ``first_line``); dates
    stay strings. Raises YamlProblem, also for the shapes the module doc refuses.

    ``unique_keys``: a key written twice in one mapping is a problem (the public
    build's files); else the last one wins, as in PyYAML (contacts warn themselves).
    """
    try:
        loader = _FastLoader(text)
    except yaml.YAMLError as exc:  # the Python reader checks characters at once
        raise _explain(text, first_line, exc, unique_keys) from None
    loader.first_line, loader.merges = first_line, "<<" in text
    loader.unique_keys = unique_keys
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" in text:  # anchors, so maybe aliases: measure before building anything
            _check_shape(node, text, first_line)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        fast_error = exc
    except RecursionError:  # only without libyaml: the Python composer recurses
        raise YamlProblem(first_line, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    raise _explain(text, first_line, fast_error, unique_keys) from None


def _explain(text: str, first_line: int, fast_error: yaml.YAMLError,
             unique_keys: bool) -> YamlProblem:
    """The pure-Python parser's account of a YAML error (its messages are clearer)."""
    error: yaml.YAMLError = fast_error  # if the Python parser takes it: libyaml's word
    try:
        loader = _Loader(text)
        loader.first_line, loader.merges = first_line, "<<" in text
        loader.unique_keys = unique_keys
        try:
            node = loader.get_single_node()
            if node is not None:
                loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        error = exc
    except RecursionError:  # nested deeper than the Python parser's stack
        pass
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(error.position, 0)) + first_line
        code = error.character if isinstance(error.character, int) else 0
        escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
        return YamlProblem(line, f"invalid YAML: character #x{code:04x} is not allowed "
                           "(control characters must be written as escapes)",
                           f'inside double quotes write it as "{escape}", or delete it')
    if not isinstance(error, yaml.MarkedYAMLError):
        return YamlProblem(first_line, f"invalid YAML: {error}")
    mark = error.problem_mark or error.context_mark
    line = mark.line if mark else 0
    what = error.problem or error.context or "invalid YAML"
    if what == "exceeded maximum nesting depth":  # libyaml's own limit (1,000)
        what = f"nested more than {MAX_DEPTH} levels deep"
    # A parser stops where it can no longer make sense of the text, often lines after
    # the real mistake: a quote or bracket that was opened and never closed.
    unclosed = _UNCLOSED.get(error.context or "")
    opened = error.context_mark
    if unclosed and opened and mark and (opened.line < line or mark.index >= len(text.rstrip())):
        return YamlProblem(opened.line + first_line, f"invalid YAML: {unclosed[0]}", unclosed[1])
    quote = _open_quote_line(text, line)
    if quote is not None:
        return YamlProblem(quote + first_line, "invalid YAML: a quoted value starts here and "
                           f"does not end on its line (YAML read on to line {line + first_line})",
                           _UNCLOSED["while scanning a quoted scalar"][1])
    return YamlProblem(line + first_line, f"invalid YAML: {what}")


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s"'#:][^:#]*:\s+)?(["'])(.*)$""")


def _open_quote_line(text: str, before: int) -> int | None:
    """The first line before ``before`` whose value opens a quote it does not close
    (a value may span lines inside quotes, which is how one stray quote swallows the
    lines after it)."""
    for number, line in enumerate(text.split("\n")[:before]):
        match = _QUOTED_VALUE.match(line)
        if not match:
            continue
        quote, rest = match.groups()
        if quote == '"':
            closed = re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None
        else:
            closed = re.search(r"'(?!')", rest.replace("''", "")) is not None
        if not closed:
            return number
    return None


def _check_shape(root: yaml.Node, text: str, first_line: int) -> None:
    """Refuse self-containing aliases, deep nesting and alias bombs before anything is
    built from the nodes (merges, and later walks of the values, would blow up)."""
    sizes: dict[int, int] = {}  # expanded size of each node, aliases counted in full
    heights: dict[int, int] = {}
    open_ids: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_ids.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            heights[key] = 1 + max((heights[id(c)] for c in children), default=0)
            continue
        if key in sizes:
            continue
        if key in open_ids:
            raise YamlProblem(_line_of(node, first_line),
                              "invalid YAML: an alias here refers to a value that contains it",
                              "an alias (*name) cannot stand inside its own anchor (&name)")
        open_ids.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))
    if heights[id(root)] > MAX_DEPTH:
        raise YamlProblem(_too_deep(root, heights, first_line),
                          f"invalid YAML: nested more than {MAX_DEPTH} levels deep", _DEEP_HINT)
    written = len(sizes)
    if sizes[id(root)] - written > ALIAS_BUDGET:
        raise YamlProblem(_bomb_line(text, first_line),
                          f"invalid YAML: aliases expand to more than {ALIAS_BUDGET:,} "
                          "values beyond those written out",
                          "each alias (*name) repeats its anchor's value (&name) in full; "
                          "write the values out, or use fewer aliases")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _line_of(node: yaml.Node, first_line: int) -> int:
    return node.start_mark.line + first_line


def _check_keys(node: yaml.MappingNode, first_line: int) -> None:
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
            continue
        line = _line_of(key_node, first_line)
        if key_node.value in seen:
            raise YamlProblem(line, f"invalid YAML: the key '{key_node.value}' appears twice "
                              f"in one mapping (first on line {seen[key_node.value]})",
                              "keep one of them: YAML allows each key once")
        seen[key_node.value] = line


def _too_deep(root: yaml.Node, heights: dict[int, int], first_line: int) -> int:
    """The line of the first value past MAX_DEPTH, down the deepest path."""
    node, depth = root, 1
    while depth <= MAX_DEPTH:
        node = max(_children(node), key=lambda c: heights[id(c)])
        depth += 1
    return _line_of(node, first_line)


def _bomb_line(text: str, first_line: int) -> int:
    """The line of the alias that takes the expansion past the budget."""
    loader = _Loader(text)
    try:
        loader.get_single_node()
    finally:
        loader.dispose()
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        # Iterative: the shape check has bounded the depth, not the width.
        if id(node) not in sizes:
            pending = [node]
            while pending:
                top = pending[-1]
                missing = [c for c in _children(top) if id(c) not in sizes]
                if missing:
                    pending.extend(missing)
                else:
                    pending.pop()
                    sizes[id(top)] = 1 + sum(sizes[id(c)] for c in _children(top))
        return sizes[id(node)]

    added = 0
    for target, line in loader.alias_uses:
        added += size(target)
        if added > ALIAS_BUDGET:
            return line + first_line
    return first_line


def line_of(data: Any, key: Any, default: int = 0) -> int:
    """Line of ``key`` in a LineDict (or item index in a LineList)."""
    lines = getattr(data, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key, getattr(data, "line", default))
    if isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
        return lines[key]
    return getattr(data, "line", default)


# --- Front matter's flat shapes, read line by line -----------------------------------
#
# Nearly every front matter block is `key: scalar` lines, flow lists on one line
# (`tags: [a, b]`) and simple block lists (`- a`). ``read_flat`` reads exactly those
# and returns what ``load_yaml`` would (types, values, key order, ``line``/``lines``);
# for anything else it returns None and the caller takes ``load_yaml``. It declines
# generously: tabs, CR, BOM, control and YAML line-break characters, anchors, aliases,
# tags, block scalars, flow mappings, multi-line scalars, escapes in double quotes,
# a ':' in a value before anything but a letter, digit or '/', indented, quoted or
# duplicate keys, keys that are not text (yes:, null:), lines over 1,000 characters.
# Plain scalars are typed by the loader's own resolver and constructors (YAML 1.1 as PyYAML
# reads it: yes/no/on/off, 0x.., 1_000, .inf, ~, timestamps kept as written).

# Characters the reader does not accept anywhere: all but printable ASCII and non-ASCII
# that YAML neither breaks lines at (\x85, \u2028, \u2029) nor refuses (controls,
# surrogates, BOM, \ufffe-\uffff). Listed, not as the complement of what is taken
# ([^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]):
# re took 7 ms to compile that on every build.
_FLAT_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff"
                       "\ufffe\uffff]")
_FLAT_MAX_LINE = 1000
_FLAT_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +(.*))?")
_FLAT_ITEM = re.compile(r"( *)- +(.*)")
_FLAT_SINGLE = re.compile(r"'([^']*(?:''[^']*)*)'( *(?: #.*)?)")
_FLAT_DOUBLE = re.compile(r'"([^"\\]*)"( *(?: #.*)?)')
# What cannot start a plain scalar (a '-' can, before a digit or '.': -1, -.inf).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
# What a plain value (cut at its ' #' comment) may not hold: flow brackets, and a ':'
# before anything but a letter, digit or '/' (times and URLs keep theirs).
_BRACKETS = re.compile(r"[\[\]{}]")
_ODD_COLON = re.compile(r":(?![0-9A-Za-z/])")
_DATE_START = re.compile(r"[0-9]{4}-")
# A flow list on one line with a quoted item or a comment: items are plain words (no
# quotes, ':', '#' or brackets) or simply quoted; only spaces or a comment after ']'.
_FLOW_PLAIN = r"[^-?:,\[\]{}#&*!|>'\"%@` ][^,:\[\]{}#'\"]*?"
_FLOW_ITEM = rf"""(?:'[^']*(?:''[^']*)*'|"[^"\\]*"|{_FLOW_PLAIN})"""
_FLAT_FLOW = re.compile(rf"\[ *((?:{_FLOW_ITEM} *(?:, *{_FLOW_ITEM} *)*)?)\] *(?: #.*)?")
_FLOW_ITEMS = re.compile(rf" *({_FLOW_ITEM}) *(?:,|$)")
# A flow list of plain words only, split at its commas.
_FLOW_ODD = re.compile(r"""[\[\]{}:#'"]""")
_SCALAR_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:timestamp"}
_DECLINE = object()


class _ScalarMaker(yaml.constructor.SafeConstructor):
    """Runs the loader's own constructor of a scalar tag on a lone value."""


_SCALAR_MAKER = _ScalarMaker()


def _plain(value: str) -> Any:
    """A plain scalar as the loader types it (resolver, then constructor), or _DECLINE."""
    if _DATE_START.match(value) and _FastLoader.yaml_constructors.get(
            "tag:yaml.org,2002:timestamp") is _construct_timestamp:
        return value  # a timestamp, which stays text, or text: no number has '-' there
    resolvers = _FastLoader.yaml_implicit_resolvers
    found = resolvers.get(value[0] if value else "")
    if found is None and None not in resolvers:
        return value  # nothing types a word that starts so
    tag = "tag:yaml.org,2002:str"
    for tag_, regexp in (found or []) + resolvers.get(None, []):
        if regexp.match(value):
            tag = tag_
            break
    if tag == "tag:yaml.org,2002:str":
        return value
    if tag not in _SCALAR_TAGS:
        return _DECLINE
    node = yaml.ScalarNode(tag, value)
    return _FastLoader.yaml_constructors[tag](_SCALAR_MAKER, node)


_STR_KEYS: set[str] = set()


def _str_key(key: str) -> bool:
    """Whether a plain key reads as text; remembered (front matter repeats its keys)."""
    if type(_plain(key)) is not str:
        return False
    if len(_STR_KEYS) < 10_000:
        _STR_KEYS.add(key)
    return True


_WORDS: dict[str, Any] = {}
"""Short values already read (or _DECLINE): languages, tags, true, false repeat."""
_WORDS_MAX = 20_000
_MISSING = object()


def _flat_value(text: str) -> Any:
    """One value written on its line (after 'key: ' or '- '): a scalar, or _DECLINE."""
    value = _WORDS.get(text, _MISSING)
    if value is _MISSING:
        value = _read_value(text)
        if len(text) <= 40 and len(_WORDS) < _WORDS_MAX:
            _WORDS[text] = value
    return value


def _read_value(text: str) -> Any:
    first = text[:1]
    if first == "'":
        match = _FLAT_SINGLE.fullmatch(text)
        return match.group(1).replace("''", "'") if match else _DECLINE
    if first == '"':
        match = _FLAT_DOUBLE.fullmatch(text)
        return match.group(1) if match else _DECLINE
    if not first or (first in _INDICATORS and (first != "-" or text[1:2] not in _MINUS_OK)):
        return _DECLINE
    cut = text.find(" #")
    value = (text if cut < 0 else text[:cut]).rstrip(" ")
    if _BRACKETS.search(value) or (":" in value and _ODD_COLON.search(value)):
        return _DECLINE
    return _plain(value)


_MINUS_OK = frozenset("0123456789.")


def _flow_list(text: str, line: int) -> Any:
    """A flow list written on one line (``text`` starts with '['), or _DECLINE."""
    result = LineList()
    result.line = line
    if text[-1] == "]" and _FLOW_ODD.search(text, 1, len(text) - 1) is None:
        inner = text[1:-1]
        words = [word.strip(" ") for word in inner.split(",")] if inner.strip(" ") else []
        values = []
        for word in words:
            value = _flat_value(word)  # (no ' #' nor brackets here: as a value, the same)
            if value is _DECLINE:
                return _DECLINE
            values.append(value)
        result.extend(values)
        result.lines = [line] * len(values)
        return result
    flow = _FLAT_FLOW.fullmatch(text)
    if flow is None:
        return _DECLINE
    inner = flow.group(1)
    result.lines = []
    if inner:
        for match in _FLOW_ITEMS.finditer(inner):
            item = match.group(1)
            if item[0] == "'":
                value = item[1:-1].replace("''", "'")
            elif item[0] == '"':
                value = item[1:-1]
            else:
                value = _plain(item.rstrip(" "))
                if value is _DECLINE:
                    return _DECLINE
            result.append(value)
            result.lines.append(line)
    return result


def read_flat(text: str, first_line: int = 1) -> LineDict | None:
    """``load_yaml(text, first_line)`` for flat front matter (a mapping of top-level
    keys to scalars and lists of scalars), or None: not sure, ask ``load_yaml``."""
    if _FLAT_ODD.search(text):
        return None
    result = LineDict()
    lines: dict[Any, int] = {}
    result.lines = lines
    items: LineList | None = None  # the block list being read
    pending: str | None = None  # a key with nothing after it yet (null, or a list)
    indent = -1
    key_line = _FLAT_KEY.fullmatch
    number = first_line - 1
    for line in text.split("\n"):
        number += 1
        if not line:
            continue
        if len(line) > _FLAT_MAX_LINE:
            return None
        first = line[0]
        if first == "#":
            continue
        if first == " " or first == "-":
            if not line.strip(" "):
                continue
            item = _FLAT_ITEM.fullmatch(line)
            if item is None or (pending is None and items is None):
                return None
            if items is None:
                indent = len(item.group(1))
                items = LineList()
                items.line = number
                items.lines = []
                result[pending] = items
                pending = None
            elif len(item.group(1)) != indent:
                return None
            value = _flat_value(item.group(2))
            if value is _DECLINE:
                return None
            items.append(value)
            items.lines.append(number)
            continue
        match = key_line(line)
        if match is None:
            return None
        key, rest = match.groups()
        if key in lines or (key not in _STR_KEYS and not _str_key(key)):
            return None  # written twice, or a key that is not text (true:, null:)
        items = None
        pending = None
        if not result:
            result.line = number
        lines[key] = number
        if not rest or rest[0] == "#":
            pending = key
            result[key] = None  # keeps the key's place; a list below replaces it
            continue
        value = _flow_list(rest, number) if rest[0] == "[" else _flat_value(rest)
        if value is _DECLINE:
            return None
        result[key] = value
    if not result:
        return None
    return result


def load_front_matter(text: str, first_line: int = 1, unique_keys: bool = False) -> Any:
    """``load_yaml``, through ``read_flat`` when the text is flat enough for it."""
    flat = read_flat(text, first_line)
    if flat is not None:
        return flat
    return load_yaml(text, first_line, unique_keys)
