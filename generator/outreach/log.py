"""The interaction log: contacts/log/<YYYY>.yaml, one flow mapping per line, append-only.

Reading goes line by line, so one bad line is reported with its number and
does not hide the others. Writing only ever appends one line: earlier lines
are never rewritten, and two machines' appends merge with `merge=union`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import os
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: appends are not locked
    fcntl = None  # type: ignore[assignment]

from ..errors import Problem, closest, not_utf8, one_of
from ..yamlio import YamlProblem, load_yaml
from .model import CHANNEL_TYPES, CONTACTS_DIR, KINDS, LOG_DIR, Touch
from .periods import parse_partial
from .problems import date_problem, duplicate_keys, safe_yaml_message, unknown_key

ENTRY_KEYS = ("date", "contact", "kind", "post", "channel", "note")
NEEDS_POST = ("share", "skip")
_YEAR_FILE = re.compile(r"^\d{4}\.yaml$")
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_SHAPE = "- {date: 2026-11-20, contact: alice-chen, kind: share, post: raft-log}"


def read_log(folder: Path, root: Path, ids: Collection[str],
             post_keys: Collection[str] | None, problems: list[Problem],
             today: dt.date | None = None) -> tuple[list[Touch], int]:
    """Touches from every log file in ``folder`` (one per contact named), and the number
    of entries. A bad line is reported and left out; the others still count."""
    touches: list[Touch] = []
    entries = 0
    if not folder.is_dir():
        return touches, entries
    for file in sorted(folder.iterdir()):
        if file.name.startswith(".") or file.is_dir():
            continue
        rel = file.relative_to(root).as_posix()
        if not _YEAR_FILE.match(file.name):
            problems.append(Problem(rel, 0, "not a log file; it is ignored",
                                    "log files are named YYYY.yaml", warning=True))
            continue
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(not_utf8(rel, raw, exc))
            continue
        # Split on '\n' only: str.splitlines() would also split on characters
        # that YAML and git treat as part of a line.
        for number, line in enumerate(text.split("\n"), start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            entries += 1
            entry = _parse_line(stripped, rel, number, problems)
            if entry is not None:
                found = _touches(entry, rel, number, ids, post_keys, problems)
                if found and today is not None and found[0].date > today:
                    problems.append(Problem(rel, number, "this entry is dated in the future",
                                            "it counts from that day on", warning=True))
                touches += found
    return touches, entries


def _parse_line(line: str, rel: str, number: int, problems: list[Problem]) -> Any:
    if not line.startswith("- {"):
        problems.append(Problem(rel, number, "each log entry must be one line: a '- ' and a "
                                "{...} mapping", f"e.g. {_SHAPE}"))
        return None
    try:
        data = load_yaml(line)
    except RecursionError:
        problems.append(Problem(rel, number, "nested too deeply to read", f"e.g. {_SHAPE}"))
        return None
    except YamlProblem as exc:
        problems.append(Problem(rel, number, safe_yaml_message(exc.message) +
                                " (each log entry must be one complete line)", f"e.g. {_SHAPE}"))
        return None
    if not (isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict)):
        problems.append(Problem(rel, number, "each log entry must be one {...} mapping",
                                f"e.g. {_SHAPE}"))
        return None
    for problem in duplicate_keys(line, rel, ENTRY_KEYS, number - 1):
        problems.append(Problem(rel, number, problem.message, problem.hint, True))
    return data[0]


def _touches(entry: Any, rel: str, number: int, ids: Collection[str],
             post_keys: Collection[str] | None, problems: list[Problem]) -> list[Touch]:
    before = len(problems)

    def bad(message: str, hint: str = "") -> None:
        problems.append(Problem(rel, number, message, hint))

    for key in entry:
        if key not in ENTRY_KEYS:
            problem = unknown_key(rel, entry, key, ENTRY_KEYS)
            problems.append(Problem(rel, number, problem.message, problem.hint))
    for key in ("date", "contact", "kind"):
        if key not in entry:
            bad(f"missing required key '{key}'", f"e.g. {_SHAPE}")
    date = None
    if "date" in entry:
        try:
            date = parse_partial(entry["date"])
        except ValueError as exc:
            bad(*date_problem("date", exc))
    kind = entry.get("kind")
    if "kind" in entry and kind not in KINDS:
        bad("'kind' is not a known kind",
            (closest(kind, KINDS) if isinstance(kind, str) else "") or one_of(KINDS))
    contacts: list[str] = []
    if "contact" in entry:
        raw = entry["contact"]
        values = raw if isinstance(raw, list) else [raw]
        if not values:
            bad("'contact' must name a contact id or a list of ids")
        for index, value in enumerate(values):
            what = "'contact'" if not isinstance(raw, list) else f"'contact' item {index + 1}"
            if not isinstance(value, str | int) or isinstance(value, bool):
                bad(f"{what} must be a contact id")
            elif str(value) not in ids:
                # Ids are file names, which messages show anyway: a near one is suggested.
                bad(f"{what} names no contact", closest_id(str(value), ids)
                    or "use the contact's file name without .yaml; run 'kith contacts check'")
            else:
                contacts.append(str(value))
    post = entry.get("post")
    if kind in NEEDS_POST and "post" not in entry:
        bad(f"a '{kind}' entry needs 'post': the post's key")
    if "post" in entry:
        if not isinstance(post, str | int) or isinstance(post, bool) or not str(post).strip():
            bad("'post' must be a post key")
        elif post_keys is not None and str(post) not in post_keys:
            bad("'post' names no post of this site",
                "use the key 'kith share --all' prints (the slug, without date or language)")
    channel = entry.get("channel")
    if "channel" in entry and channel not in CHANNEL_TYPES:
        bad("'channel' is not a channel type",
            (closest(channel, CHANNEL_TYPES) if isinstance(channel, str) else "")
            or one_of(CHANNEL_TYPES))
    note = entry.get("note", "")
    if "note" in entry and (isinstance(note, bool) or not isinstance(note, str | int | float)):
        bad("'note' must be text")
    if len(problems) > before or date is None:
        return []
    return [Touch(date=date, contact=cid, kind=str(kind), post=str(post or ""),
                  channel=str(channel or ""), note=str(note), path=rel, line=number)
            for cid in contacts]


def closest_id(wanted: str, ids: Collection[str]) -> str:
    """'did you mean ...' for a contact id: 'lina' finds 'li-na', 'Li Na' finds 'li-na'."""
    def squash(text: str) -> str:
        return re.sub(r"[\s_.-]+", "", text.casefold())

    by_squashed = {squash(i): i for i in sorted(ids)}
    found = by_squashed.get(squash(wanted))
    if found is None:
        near = difflib.get_close_matches(squash(wanted), sorted(by_squashed), n=1, cutoff=0.75)
        found = by_squashed[near[0]] if near else None
    return f"did you mean '{found}'?" if found else ""


# Characters YAML refuses to read, or that break a line for YAML or str.splitlines().
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def quoted(value: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly ``value``, on one line."""
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _scalar(value: str) -> str:
    """A YAML flow scalar that reads back as exactly ``value`` and stays on one line.

    Plain only when YAML reads it back as the same text: a contact file named 0x1f.yaml
    or 0b101.yaml is an integer to YAML 1.1 (found: 'kith log touch 0x1f' stopped with
    an internal error), like 'true', 'null' or '2026-01-01'.
    """
    if _PLAIN.match(value) and value.lower() not in _YAML_WORDS and \
            not re.match(r"^[\d._-]+$", value):
        try:
            if load_yaml(f"[{value}]") == [value]:
                return value
        except YamlProblem:
            pass
    return quoted(value)


def format_entry(date: dt.date, contact: str, kind: str, post: str = "", channel: str = "",
                 note: str = "") -> str:
    parts = [f"date: {date.isoformat()}", f"contact: {_scalar(contact)}", f"kind: {kind}"]
    if post:
        parts.append(f"post: {_scalar(post)}")
    if channel:
        parts.append(f"channel: {_scalar(channel)}")
    if note:
        parts.append(f"note: {quoted(note)}")
    return "- {" + ", ".join(parts) + "}"


def append_entry(root: Path, date: dt.date, contact: str, kind: str, post: str = "",
                 channel: str = "", note: str = "") -> tuple[Path, str]:
    """Append one entry to contacts/log/<year>.yaml (created if missing).

    Raises ValueError (never quoting the text) when a value is not text that can be
    stored: a lone surrogate from bytes that were not UTF-8.
    """
    for value in (contact, post, channel, note):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("not valid text (bytes that are not UTF-8)") from None
    line = format_entry(date, contact, kind, post, channel, note)
    parsed = load_yaml(line)  # refuse to write a line that would not read back
    expected = {"date": date.isoformat(), "contact": contact, "kind": kind}
    if post:
        expected["post"] = post
    if channel:
        expected["channel"] = channel
    if note:
        expected["note"] = note
    if [{str(k): str(v) for k, v in parsed[0].items()}] != [expected]:
        raise AssertionError("a log line did not read back as written")
    folder = root / CONTACTS_DIR / LOG_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{date.year:04d}.yaml"
    _append(path, line)
    return path, line


def _append(path: Path, line: str) -> None:
    """Append one line, all of it or nothing.

    Two `kith log` runs at once take turns (an advisory lock), so neither reads the end of
    the file while the other writes, and whole lines never interleave. A failed write (a
    full disk) is cut off again: half a line would stay in the log as a broken entry.
    Raises OSError.
    """
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        prefix = b""
        if size:
            os.lseek(fd, size - 1, os.SEEK_SET)
            prefix = b"" if os.read(fd, 1) == b"\n" else b"\n"
        data = prefix + (line + "\n").encode("utf-8")
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)  # also lets go of the lock
