"""Pygments' RegexLexer loop, with a state's rules tried a run at a time in one regex.

Pygments tries a state's rules one after another, a Python call each, until one
matches where the text stands: four microseconds a token in its Rust lexer, most of
a highlighted block's time. Python's regex engine tries the alternatives of
``(r1)|(r2)|...`` in the same order at that position and takes the first that
matches, so one call finds the rule that the loop finds, with the same match.

Once a state has settled into runs, it also looks at the character where the text
stands: a run keeps only the rules whose match can start with it (or be empty), read
off each rule's parsed pattern (``_starts``). Python's root state has 56 rules; at a
letter, a dozen can match, and the engine no longer tries the rest one by one.

Each rule keeps its flags in a scoped group, ``(?s-m:...)``; a rule that cannot be
put in an alternation (a backreference, whose group numbers would shift; a group name
another rule has; no compiled pattern) is tried alone, in its place, and the run
goes on after it. Actions that are callbacks (``bygroups``, ``using``) get the rule's
own match, with its own groups. The loop is Pygments' ``RegexLexer.
get_tokens_unprocessed`` otherwise; ``tests/test_lexing.py`` checks that every lexer
that uses that loop yields the same tokens.
"""

from __future__ import annotations

import re
import re._compiler as _sre_compiler  # Python's own parser and compiler (3.11 and on)
import re._constants as _sre
import re._parser as _sre_parser
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

Rule = tuple[Callable[..., Any], Any, Any]
"""(match function, action, new state), as Pygments keeps them in ``_tokens``."""
Run = tuple[Callable[[str, int], re.Match[str] | None] | None, dict[int, int], list[Rule]]
"""(the run's alternation's match or None for a rule tried alone, group -> rule, rules)."""

_LEADING_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_SCOPED = ((re.I, "i"), (re.M, "m"), (re.S, "s"), (re.X, "x"))
SETTLE = 1000
"""Matches of a state, in one process, after which its rules are tried in runs (at
5,000, a worker highlighting the bench's 2,500 posts ran 7% more instructions)."""
_BASE = re.M  # the alternation's own flags; each rule states its difference
_BACKREFERENCE = re.compile(r"\\[1-9]")


def accelerate(lexer: Lexer) -> Lexer:
    """``lexer``, made to find its tokens with this module's loop when it uses
    RegexLexer's (others, such as ExtendedRegexLexer's, are left as they are)."""
    if type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed:
        states = lexer.kith_states = _States(lexer._tokens)  # type: ignore[attr-defined]
        lexer.get_tokens_unprocessed = (  # type: ignore[method-assign]
            lambda text, stack=("root",): tokens(lexer, states, text, stack))
    return lexer


class _States(dict[str, list["Run"]]):
    """Each state's runs: its rules alone at first, as Pygments tries them; in runs
    once the state has matched ``SETTLE`` times in this process. An alternation takes
    as long to compile as a few thousand tokens take to find (Python's root state,
    included rules and all: 22 ms), so a site with a few code blocks never pays it."""

    def __init__(self, rules: dict[str, list[Rule]]) -> None:
        super().__init__()
        self.rules = rules
        self.matches: Counter[str] = Counter()

    def __missing__(self, state: str) -> list[Run]:
        runs = self[state] = [(None, {}, [rule]) for rule in self.rules[state]]
        return runs

    def settle(self, state: str) -> None:
        self[state] = _Dispatch(_runs(self.rules[state]))  # type: ignore[assignment]


class _Dispatch(dict[str, list[Run]]):
    """A settled state's runs for each character the text can stand at ("" at its end):
    each run keeps the rules that can match there, in their order."""

    def __init__(self, runs: list[Run]) -> None:
        super().__init__()
        self.runs = runs
        self.alternations: dict[tuple[int, ...], list[Run]] = {}

    def __missing__(self, char: str) -> list[Run]:
        if char and not char.isascii():
            runs = self.runs  # _starts knows the ASCII characters only
        else:
            # Letters share their runs, and digits theirs: each letter's own would take
            # more compiling (an alternation each) than its matches could save.
            among = (char if not char else _LETTERS if char in _LETTERS
                     else _DIGITS if char in _DIGITS else char)
            runs = self.get(among[0]) if among is not char else None
            if runs is None:
                runs = []
                if among is not char:
                    self[among[0]] = runs  # the letters', or the digits'
                for run in self.runs:
                    kept = [rule for rule in run[2] if _can_start(rule, among)]
                    if len(kept) == len(run[2]):
                        runs.append(run)
                    elif len(kept) <= _ALONE:
                        runs.extend((None, {}, [rule]) for rule in kept)
                    else:
                        runs.extend(self._alternation(kept))
        self[char] = runs
        return runs

    def _alternation(self, rules: list[Rule]) -> list[Run]:
        key = tuple(id(rule) for rule in rules)
        if key not in self.alternations:
            self.alternations[key] = _alternation(
                [(_scoped(rule[0].__self__), rule[0].__self__, rule)  # type: ignore[attr-defined,misc]
                 for rule in rules])
        return self.alternations[key]


def _can_start(rule: Rule, among: str) -> bool:
    """Whether the rule's match can start with a character of ``among`` (ASCII; ""
    at the text's end)."""
    pattern = getattr(rule[0], "__self__", None)
    starts = _starts(pattern) if isinstance(pattern, re.Pattern) else None
    if starts is None:
        return True
    chars, empty = starts
    return empty or not chars.isdisjoint(among)


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_ALONE = 3
"""Up to this many rules, a run's rules are tried alone: cheaper than compiling them."""


_ASCII = tuple(map(chr, range(128)))
_EVERY = frozenset(_ASCII)
_CONSUMING = (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)


@cache
def _starts(pattern: re.Pattern[str]) -> tuple[frozenset[str], bool] | None:
    """The ASCII characters a match of ``pattern`` can start with, and whether it can be
    empty; None when that cannot be read. A character item's own characters are found
    by the regex engine (flags, classes, case folding and all); the sequence around
    it (groups, branches, repeats, assertions, which consume nothing) is read here,
    erring toward more characters."""
    try:
        tree = _sre_parser.parse(pattern.pattern, pattern.flags)
        return _sequence(tree, tree.state.flags)
    except Exception:  # an unexpected tree: this rule is tried wherever the text stands
        return None


def _sequence(items: Any, flags: int) -> tuple[frozenset[str], bool]:
    chars: frozenset[str] = frozenset()
    for op, av in items:
        first, empty = _item(op, av, flags)
        chars |= first
        if not empty:
            return chars, False
    return chars, True


def _item(op: Any, av: Any, flags: int) -> tuple[frozenset[str], bool]:
    if op in _CONSUMING:
        return _characters(op, av, flags), False
    if op is _sre.SUBPATTERN:
        _group, on, off, items = av
        return _sequence(items, (flags | on) & ~off)
    if op is _sre.ATOMIC_GROUP:
        return _sequence(av, flags)
    if op is _sre.BRANCH:
        found = [_sequence(items, flags) for items in av[1]]
        return frozenset().union(*(f for f, _ in found)), any(e for _, e in found)
    if op in _REPEATS:
        least, _most, items = av
        first, empty = _sequence(items, flags)
        return first, empty or least == 0
    if op in _ZERO_WIDTH:
        return frozenset(), True
    return _EVERY, True  # a backreference, a conditional: anything, or nothing


def _characters(op: Any, av: Any, flags: int) -> frozenset[str]:
    """The ASCII characters one character item matches, asked of the regex engine."""
    if op is _sre.NOT_LITERAL or op is _sre.ANY:
        return _EVERY
    item = _sre_parser.SubPattern(_sre_parser.State(), [(op, av)])
    match = _sre_compiler.compile(item, flags).match
    return frozenset(c for c in _ASCII if match(c))


def _runs(rules: list[Rule]) -> list[Run]:
    """The state's rules as runs tried in turn; a run's alternation keeps their order."""
    runs: list[Run] = []
    run: list[tuple[str, re.Pattern[str], Rule]] = []
    names: set[str] = set()
    for rule in rules:
        pattern = getattr(rule[0], "__self__", None)
        source = _scoped(pattern) if isinstance(pattern, re.Pattern) else None
        if source is None or names & pattern.groupindex.keys():  # type: ignore[union-attr]
            runs.extend(_alternation(run))
            run, names = [], set()
        if source is None:
            runs.append((None, {}, [rule]))
        else:
            run.append((source, pattern, rule))  # type: ignore[arg-type]
            names |= pattern.groupindex.keys()  # type: ignore[union-attr]
    runs.extend(_alternation(run))
    return runs


def _scoped(pattern: re.Pattern[Any]) -> str | None:
    """The rule's pattern in a group with its flags, or None when it must run alone."""
    source = pattern.pattern
    if not isinstance(source, str) or pattern.flags & (re.A | re.L):
        return None
    if "(?P=" in source or "(?(" in source or _BACKREFERENCE.search(source):
        return None  # a backreference (or, harmlessly, an escaped backslash and a digit)
    while (flags := _LEADING_FLAGS.match(source)) is not None:
        source = source[flags.end():]  # stated again below, scoped
    on = "".join(c for flag, c in _SCOPED if pattern.flags & flag and not _BASE & flag)
    off = "".join(c for flag, c in _SCOPED if _BASE & flag and not pattern.flags & flag)
    if pattern.flags & re.X:
        source += "\n"  # a verbose pattern's last comment ends before the group does
    return f"(?{on}-{off}:{source})" if off else f"(?{on}:{source})"


def _alternation(run: list[tuple[str, re.Pattern[str], Rule]]) -> list[Run]:
    """One run for ``run``, or each rule alone if their alternation will not compile."""
    if len(run) < 2:
        return [(None, {}, [rule]) for _, _, rule in run]
    which, group = {}, 1
    for i, (_, pattern, _) in enumerate(run):
        which[group] = i  # the rule's wrapping group: the last to close when it matches
        group += 1 + pattern.groups
    try:
        combined = re.compile("|".join(f"({source})" for source, _, _ in run), _BASE)
    except (re.error, RecursionError, OverflowError):
        combined = None
    if combined is None or combined.groups != group - 1:
        return [(None, {}, [rule]) for _, _, rule in run]
    return [(combined.match, which, [rule for _, _, rule in run])]


def tokens(lexer: Lexer, runs: _States, text: str,
           stack: tuple[str, ...] = ("root",)) -> Iterator[tuple[int, Any, str]]:
    """What ``RegexLexer.get_tokens_unprocessed(lexer, text, stack)`` yields."""
    pos = 0
    statestack = list(stack)
    name = statestack[-1]
    state = runs[name]
    matches, settle = runs.matches, SETTLE
    while True:
        for combined, which, rules in (state if state.__class__ is list
                                       else state[text[pos:pos + 1]]):
            if combined is None:
                match, action, new_state = rules[0]
                m = match(text, pos)
                if not m:
                    continue
                value = m.group()
            else:
                m = combined(text, pos)
                if not m:
                    continue
                group = m.lastindex
                match, action, new_state = rules[which[group]]  # type: ignore[index]
                value = m.group(group)  # type: ignore[arg-type]
            if action is not None:
                if type(action) is _TokenType:
                    yield pos, action, value
                else:  # a callback reads the rule's groups: its own match has them
                    yield from action(lexer, m if combined is None else match(text, pos))
            pos = m.end()
            matches[name] = count = matches[name] + 1
            if count == settle:
                runs.settle(name)
                state = runs[name]
            if new_state is not None:
                if isinstance(new_state, tuple):
                    for step in new_state:
                        if step == "#pop":
                            if len(statestack) > 1:
                                statestack.pop()
                        elif step == "#push":
                            statestack.append(statestack[-1])
                        else:
                            statestack.append(step)
                elif isinstance(new_state, int):
                    # pop, but keep at least one state (as Pygments does)
                    if abs(new_state) >= len(statestack):
                        del statestack[1:]
                    else:
                        del statestack[new_state:]
                elif new_state == "#push":
                    statestack.append(statestack[-1])
                else:
                    raise AssertionError(f"wrong state def: {new_state!r}")
                name = statestack[-1]
                state = runs[name]
            break
        else:  # no rule matched here
            if pos >= len(text):
                break
            if text[pos] == "\n":  # at a line's end, back to "root"
                statestack = ["root"]
                name = "root"
                state = runs[name]
                yield pos, Whitespace, "\n"
            else:
                yield pos, Error, text[pos]
            pos += 1
