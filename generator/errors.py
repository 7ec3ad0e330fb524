"""One error family for everything a user can get wrong.

Every problem names where it is (``path:line``), what is wrong, and a hint.
Stages collect problems instead of stopping at the first, so one run shows all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
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
        # Values quoted from files may hold control characters: shown as escapes, they
        # can neither move a terminal's cursor nor split one problem over two lines.
        path, message, hint = printable(self.path), printable(self.message), \
            printable(self.hint)
        where = path if not self.line else f"{path}:{self.line}"
        text = f"{where}: {message}" if where else message
        if self.warning:
            text = f"{where}: warning: {message}" if where else f"warning: {message}"
        return f"{text}\n  hint: {hint}" if hint else text


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
        super().__init__("\n".join(str(p) for p in self.problems))


def closest(word: str, allowed: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt key or name ('' when nothing is close)."""
    match = difflib.get_close_matches(word, sorted(allowed), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else ""


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
