"""Pygments' RegexLexer loop, with a state's rules tried a run at a time in one regex.

Pygments tries a state's rules one after another, a Python call each, until one
matches where the text stands: four microseconds a token in its Rust lexer, most of
a highlighted block's time. Python's regex engine tries the alternatives of
``(r1)|(r2)|...`` in the same order at that position and takes the first that
matches, so one call finds the rule that the loop finds, with the same match.

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
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

Rule = tuple[Callable[..., Any], Any, Any]
"""(match function, action, new state), as Pygments keeps them in ``_tokens``."""
Run = tuple[Callable[[str, int], re.Match[str] | None] | None, dict[int, int], list[Rule]]
"""(the run's alternation's match or None for a rule tried alone, group -> rule, rules)."""

_LEADING_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_SCOPED = ((re.I, "i"), (re.M, "m"), (re.S, "s"), (re.X, "x"))
SETTLE = 5000
"""Matches of a state, in one process, after which its rules are tried in runs."""
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
        self[state] = _runs(self.rules[state])


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
        for combined, which, rules in state:
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
