"""One error family for everything a user can get wrong.

Every problem names where it is (``path:line``), what is wrong, and a hint.
Stages collect problems instead of stopping at the first, so one run shows all.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the user's input."""

    path: str
    """Project-relative path of the file at fault ('' when there is none)."""
    line: int
    """1-based line, 0 when the whole file is at fault."""
    message: str
    """What is wrong, quoting the bad value when that value is not private."""
    hint: str = ""
    """What to do about it."""
    warning: bool = False
    """A warning is reported but does not fail the build."""

    def __str__(self) -> str:
        hint = printable(self.hint)
        return f"{self.headline()}\n  hint: {hint}" if hint else self.headline()

    def headline(self) -> str:
        """The first line, ``path:line: [warning: ]message``, without the hint."""
        # Values quoted from files may hold control characters: shown as escapes, they
        # can neither move a terminal's cursor nor split one problem over two lines.
        path, message = printable(self.path), printable(self.message)
        where = path if not self.line else f"{path}:{self.line}"
        text = f"{where}: {message}" if where else message
        if self.warning:
            text = f"{where}: warning: {message}" if where else f"warning: {message}"
        return text


# C0 and C1 controls, DEL, and what str.splitlines() takes for a line break.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes os.fsdecode could not decode


def printable(text: str) -> str:
    """``text`` with control characters and undecodable bytes written as escapes."""
    if not (_UNPRINTABLE.search(text) or _NOT_UTF8.search(text)):
        return text
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class KithError(Exception):
    """Raised with every problem found; the CLI prints them and exits 1."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        self.repeated: frozenset[Problem] = frozenset()
        """Its warnings that the last good build also reported (set by the build)."""
        super().__init__("\n".join(str(p) for p in self.problems))


def repeated(problems: Iterable[Problem], before: Iterable[Problem]) -> frozenset[Problem]:
    """The warnings among ``problems`` that ``before`` (what the last good build reported)
    held too: the same path, line and message; a reworded hint does not make one new."""
    seen = {(p.path, p.line, p.message) for p in before if p.warning}
    return frozenset(p for p in problems
                     if p.warning and (p.path, p.line, p.message) in seen) if seen else frozenset()


# A value a message quotes: '...' or "...", opened after a space or a parenthesis and closed
# before one or a punctuation mark (so that "don't" inside a value does not end it).
_LAST_CLOSE = {q: re.compile(f".*{q}(?=$|[\\s:;,.)])", re.DOTALL) for q in "'\""}
_QUOTED = {q: re.compile(f"(?<![^\\s(]){q}.*?{q}(?=$|[\\s:;,.)])", re.DOTALL) for q in "'\""}
_TRAILING = re.compile(r""": (['"])\.\.\.\1$""")


def kind(problem: Problem) -> str:
    """What a problem says without the values it quotes, to count problems of one kind
    together: "link to '...': the site has no such page or file", "image without alt text"."""
    text = problem.message
    for q in "'\"":
        if q not in text:
            continue
        # Searched up to the last quote that may close one: past it, every opening quote
        # would scan to the end in vain (quadratic on a message full of them).
        last = _LAST_CLOSE[q].match(text)
        if last is not None:
            end = last.end() + 1
            text = _QUOTED[q].sub(f"{q}...{q}", text[:end]) + text[end:]
    return printable(_TRAILING.sub("", text)) or "(no message)"


KINDS_SHOWN = 8
"""Kinds of warning a closing count names one by one; the rest are counted together."""


def warning_report(problems: Sequence[Problem], repeated: frozenset[Problem] = frozenset(),
                   *, everything: bool = False, rerun: str = "kith build --all-warnings"
                   ) -> list[str]:
    """A build's problems as printed, one string per problem or line.

    The warnings come first, in order: each one the last good build did not report
    (``repeated`` holds those it did), or every one with ``everything``; a hint is given
    after the first warning that has it, not again. Then, when there are warnings, a
    closing count by kind that says how many were not shown and that ``rerun`` shows
    them. Errors come last, every one in full with its hint (nearest the line that says
    the build failed).
    """
    warnings = [p for p in problems if p.warning]
    hidden = frozenset() if everything else repeated.intersection(warnings)
    lines, hints = [], set()
    for warning in warnings:
        if warning in hidden:
            continue
        lines.append(warning.headline() if warning.hint in hints else str(warning))
        if warning.hint:
            hints.add(warning.hint)
    if warnings:
        lines += _closing_count(warnings, hidden, rerun)
    return lines + [str(p) for p in problems if not p.warning]


def _closing_count(warnings: list[Problem], hidden: frozenset[Problem], rerun: str
                   ) -> list[str]:
    """'3,056 warnings, 2 new; 3,054 as in the last build, not shown again (...)' and
    the count of each kind, most frequent first."""
    total, old = len(warnings), len(hidden)
    head = f"{total:,} warning{'s' * (total != 1)}"
    if old:
        them = "them" if old > 1 else "it"
        shown = f"as in the last build, not shown again ({rerun} shows {them})"
        head += f" {shown}" if old == total else f", {total - old:,} new; {old:,} {shown}"
    names = [kind(w) for w in warnings]
    kinds = Counter(names)
    if len(kinds) == 1:
        return [f"{head}: {names[0]}"]
    new = Counter(n for n, w in zip(names, warnings, strict=True) if w not in hidden) \
        if old else Counter()
    ordered = sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    width = len(f"{ordered[0][1]:,}")
    lines = [f"{head}:"]
    for name, n in ordered[:KINDS_SHOWN]:
        extra = f" ({new[name]:,} new)" if new[name] else ""
        lines.append(f"  {n:>{width},}  {name}{extra}")
    rest = ordered[KINDS_SHOWN:]
    if rest:
        lines.append(f"  {sum(n for _, n in rest):>{width},}  of {len(rest):,} other kinds")
    return lines


def not_utf8(path: str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """``path:line: not valid UTF-8 (byte 0xff)``: the line and the byte, not an offset."""
    line = raw[: exc.start].count(b"\n") + 1
    return Problem(path, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                   "save the file as UTF-8")


def closest(word: str, allowed: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt key or name ('' when nothing is close)."""
    match = difflib.get_close_matches(word, sorted(allowed), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else ""


def counted(n: int, one: str, many: str = "") -> str:
    """'1 share list', '2 share lists', '3 people' (``many``: an irregular plural)."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def one_of(allowed: Iterable[str]) -> str:
    return "allowed: " + ", ".join(sorted(allowed))


def describe(value: object) -> str:
    """How a bad value reads in a message: its kind for containers, else the value."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'" if isinstance(value, str) else repr(value)
