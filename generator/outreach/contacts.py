"""contacts/ -> Book: every contact, the log, the user's aliases and settings, validated.

One mistake costs one file: a contact file with an error is left out (its
problems say `path:line` and why) and everybody else still works. Problems
never quote a value: see problems.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, not_utf8
from ..yamlio import YamlProblem, line_of, load_yaml
from .fields import CONTACT_KEYS, parse_contact
from .log import read_log
from .model import (
    ALIASES_FILE,
    CONTACTS_DIR,
    LOG_DIR,
    SETTINGS_FILE,
    Cadence,
    Contact,
    Touch,
)
from .periods import DEFAULT_CADENCE, parse_cadence
from .problems import as_text, duplicate_keys, safe_yaml_message, unknown_key

__all__ = ["CONTACTS_DIR", "Book", "Settings", "contact_files", "git_exposure", "load_book",
           "parse_contact"]

DEFAULT_PLAN_SIZE = 5
MAX_FILE_BYTES = 1_000_000
"""A contact file larger than this is left out: found with 13 MB of notes, which took
`kith plan` 67 s and 1.2 GB (every word of the notes is segmented and matched)."""
SETTINGS_KEYS = ("cadence", "plan_size")


@dataclass(frozen=True)
class Settings:
    """contacts/settings.yaml: the circles' default cadences and the weekly plan's size."""

    cadences: Mapping[int, Cadence | None] = field(default_factory=lambda: dict(DEFAULT_CADENCE))
    plan_size: int = DEFAULT_PLAN_SIZE


@dataclass(frozen=True)
class Book:
    """Everything in contacts/, as of one reading."""

    contacts: Mapping[str, Contact] = field(default_factory=dict)
    touches: tuple[Touch, ...] = ()
    alias_groups: tuple[tuple[str, ...], ...] = ()
    problems: tuple[Problem, ...] = ()
    log_entries: int = 0
    skipped: tuple[str, ...] = ()
    """Sub-folders left out because they are separate contacts folders (e.g. sample/)."""
    left_out: tuple[str, ...] = ()
    """Contact files left out because of an error in them."""
    settings: Settings = field(default_factory=Settings)
    folder: str = CONTACTS_DIR
    """The contacts folder read, relative to the site root."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


def load_book(root: Path, post_keys: Collection[str] | None = None,
              contacts_dir: str = CONTACTS_DIR, today: dt.date | None = None) -> Book:
    """Read ``root/contacts``; problems are collected, never raised.

    ``post_keys``: the site's post keys, to check the log's ``post`` values
    (None skips that check). ``contacts_dir``: another folder, such as the samples.
    ``today``: dates after it are warned about (None: no such check).
    """
    folder = root / contacts_dir
    if not folder.is_dir():
        return Book(problems=(Problem(contacts_dir, 0, f"no {contacts_dir}/ folder",
                                      f"create {contacts_dir}/ with one <id>.yaml per person; "
                                      "see contacts/README.md"),), folder=contacts_dir)
    problems: list[Problem] = []
    settings = _read_settings(root, contacts_dir, problems)
    files, skipped = contact_files(folder)
    by_id: dict[str, str] = {}
    raw: list[tuple[str, str, Any]] = []
    for file in files:
        rel = file.relative_to(root).as_posix()
        cid = file.stem
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            problems.append(Problem(shown, 0, "the file name is not valid UTF-8",
                                    "rename the file: its name is the contact's id"))
            continue
        if cid in by_id:
            problems.append(Problem(rel, 0, f"contact id already used by {by_id[cid]}",
                                    "ids are file names and must be unique across contacts/; "
                                    "rename one file"))
            continue
        by_id[cid] = rel
        data = read_yaml(file, rel, problems, CONTACT_KEYS)
        if data is not None:
            raw.append((cid, rel, data))
    contacts: dict[str, Contact] = {}
    for cid, rel, data in raw:
        contact = parse_contact(cid, rel, data, problems, set(by_id), today=today,
                                cadences=settings.cadences)
        if contact is not None:
            contacts[cid] = contact
    problems += shared_handles(contacts.values())
    touches, entries = read_log(root / contacts_dir / LOG_DIR, root, set(by_id), post_keys,
                                problems, today)
    groups = _read_aliases(root, problems, contacts_dir)
    left_out = sorted(rel for cid, rel in by_id.items() if cid not in contacts)
    return Book(contacts=dict(sorted(contacts.items())), touches=tuple(touches),
                alias_groups=tuple(groups), problems=tuple(sorted(set(problems))),
                log_entries=entries, skipped=tuple(skipped), left_out=tuple(left_out),
                settings=settings, folder=contacts_dir)


def contact_files(folder: Path) -> tuple[list[Path], list[str]]:
    """Contact files under ``folder``, and nested contacts folders that were left out.

    A sub-folder is a group of contacts, unless it has its own log/ or
    aliases.yaml: then it is a separate contacts folder (like the shipped
    sample/) and mixing its people into this one would be wrong.
    """
    files: list[Path] = []
    skipped: list[str] = []
    seen: set[Path] = set()

    def walk(directory: Path, top: bool) -> None:
        if directory.resolve() in seen:
            return  # a symlink back up the tree
        seen.add(directory.resolve())
        # Files before sub-folders: with a duplicate id, the outer file is the contact.
        for entry in sorted(directory.iterdir(), key=lambda e: (e.is_dir(), e.name)):
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir():
                if top and entry.name == LOG_DIR:
                    continue
                if (entry / LOG_DIR).is_dir() or (entry / ALIASES_FILE).is_file():
                    skipped.append(entry.relative_to(folder.parent).as_posix() + "/")
                    continue
                walk(entry, False)
            elif entry.suffix == ".yaml" and not (
                    top and entry.name in (ALIASES_FILE, SETTINGS_FILE)):
                files.append(entry)

    walk(folder, True)
    return files, skipped


def read_yaml(file: Path, rel: str, problems: list[Problem],
              known: Collection[str] = ()) -> Any:
    """A YAML file's data, or None with a problem; duplicate keys are warned about."""
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            problems.append(Problem(rel, 0, f"larger than {MAX_FILE_BYTES // 1_000_000} MB; "
                                    "it is left out",
                                    "a contact needs a few lines: keep long notes elsewhere"))
            return None
        raw = file.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(not_utf8(rel, raw, exc))
        return None
    except OSError as exc:
        problems.append(Problem(rel, 0, f"cannot read the file ({exc.strerror})"))
        return None
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#")
                                for line in text.splitlines()):
        problems.append(Problem(rel, 0, "the file is empty; it is left out",
                                "a contact needs at least 'name: Their Name'"))
        return None
    try:
        data = load_yaml(text)
        problems += duplicate_keys(text, rel, known)
    except YamlProblem as exc:
        problems.append(Problem(rel, exc.line, safe_yaml_message(exc.message),
                                "check indentation, and quote values containing ': ' or '#'"))
        return None
    except RecursionError:
        problems.append(Problem(rel, 0, "nested too deeply to read",
                                "a contact file needs only a few levels of lists and mappings"))
        return None
    return data


def shared_handles(contacts: Collection[Contact]) -> list[Problem]:
    """A warning when two files give the same handle, or the same name (a name in one, an
    alias in the other: 'Calvin Leung' with alias 梁嘉豪, and a file for 梁嘉豪): one person
    in two files, or a typo."""
    owners: dict[tuple[str, str], Contact] = {}
    found = []
    for contact in sorted(contacts, key=lambda c: c.path):
        keys = [((c.type, normal_handle(c.handle)), f"a {c.type} handle") for c in contact.channels]
        keys += [(("name", n), "a name") for n in dict.fromkeys(
            " ".join(unicodedata.normalize("NFKC", text).casefold().split())
            for text in (contact.name, *contact.aliases)) if n]
        warned: set[tuple[str, str]] = set()
        for key, what in keys:
            first = owners.setdefault(key, contact)
            if first is not contact and (what, first.path) not in warned:
                warned.add((what, first.path))
                found.append(Problem(
                    contact.path, 0, f"{what} here is also in {first.path}",
                    f"one person in two files? merge them; otherwise fix the "
                    f"{'name or alias' if what == 'a name' else 'handle'}", warning=True))
    return found


def normal_handle(handle: str) -> str:
    """Handles compared loosely: case, spaces, a leading @ and URL prefixes do not count."""
    text = handle.strip().casefold().removeprefix("mailto:").removeprefix("tel:")
    for prefix in ("https://", "http://", "www.", "linkedin.com/in/", "github.com/"):
        text = text.removeprefix(prefix)
    text = text.rstrip("/").lstrip("@")
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-()")\
        if text.replace("+", "").replace(" ", "").replace("-", "").isdigit() else text


def _read_settings(root: Path, contacts_dir: str, problems: list[Problem]) -> Settings:
    file = root / contacts_dir / SETTINGS_FILE
    if not file.is_file():
        return Settings()
    rel = file.relative_to(root).as_posix()
    data = read_yaml(file, rel, problems, SETTINGS_KEYS)
    if data is None:
        return Settings()
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "expected a mapping", "e.g. plan_size: 5"))
        return Settings()
    for key in data:
        if key not in SETTINGS_KEYS:  # shown only when a near typo: a pasted line may be private
            problems.append(unknown_key(rel, data, key, SETTINGS_KEYS))
    cadences = dict(DEFAULT_CADENCE)
    table = data.get("cadence", {})
    if not isinstance(table, dict):
        problems.append(Problem(rel, line_of(data, "cadence"),
                                "'cadence' must map circles to durations", "e.g. {1: 6m, 2: 6m}"))
        table = {}
    for circle, value in table.items():
        if circle not in cadences:
            problems.append(Problem(rel, line_of(table, circle),
                                    "'cadence' keys are circles: 1, 2, 3, 4 or 5"))
            continue
        try:
            cadences[circle] = parse_cadence(as_text(value))
        except ValueError as exc:
            problems.append(Problem(rel, line_of(table, circle),
                                    f"'cadence' for circle {circle} is not valid: {exc}"))
    size = data.get("plan_size", DEFAULT_PLAN_SIZE)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 100:
        problems.append(Problem(rel, line_of(data, "plan_size"),
                                "'plan_size' must be a whole number from 1 to 100"))
        size = DEFAULT_PLAN_SIZE
    return Settings(cadences, size)


def _read_aliases(root: Path, problems: list[Problem],
                  contacts_dir: str = CONTACTS_DIR) -> list[tuple[str, ...]]:
    file = root / contacts_dir / ALIASES_FILE
    if not file.is_file():
        return []
    rel = file.relative_to(root).as_posix()
    data = read_yaml(file, rel, problems)
    if data is None:
        return []
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "expected a mapping of term to term(s)",
                                "e.g. k8s: kubernetes, or kubernetes: [k8s, 容器编排]"))
        return []
    groups = []
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        texts = [as_text(key), *(as_text(v) for v in values)]
        if any(t is None or not t.strip() for t in texts):
            problems.append(Problem(rel, line_of(data, key),
                                    "each alias must map a term to a term or a list of terms",
                                    "e.g. k8s: kubernetes, or kubernetes: [k8s, 容器编排]"))
            continue
        groups.append(tuple(str(t).strip() for t in texts))
    return groups


def git_exposure(root: Path, contacts_dir: str = CONTACTS_DIR) -> Problem | None:
    """A warning when the site is a git work tree that would commit contacts/.

    A blog's repository is often public (GitHub Pages). Kith's own repository ignores
    contacts/, but a site made with `kith import jekyll` or by hand has no such line, and
    one `git add -A` would publish every contact and the log. Nothing is changed: only
    the user knows whether contacts/ should be ignored or be a private repository.
    """
    folder = root / contacts_dir
    if (folder / ".git").exists() or not any((d / ".git").exists()
                                             for d in (root, *root.parents)):
        return None  # its own (private) repository, or no git here at all
    git = shutil.which("git")
    files = contact_files(folder)[0] if folder.is_dir() else []
    if git is None or not files:
        return None
    private = {f.relative_to(root).as_posix() for f in files}
    log = folder / LOG_DIR
    if log.is_dir():
        private |= {f.relative_to(root).as_posix() for f in log.iterdir() if f.is_file()}
    try:
        listed = subprocess.run([git, "-C", str(root), "ls-files", "-z", "--", contacts_dir],
                                capture_output=True, timeout=20)
        tracked = bool(private & set(listed.stdout.decode("utf-8", "replace").split("\0")))
        ignored = subprocess.run([git, "-C", str(root), "check-ignore", "-q",
                                  min(private)], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return None
    if ignored and not tracked:
        return None
    what = "are committed to" if tracked else "are not ignored by"
    return Problem(contacts_dir, 0, f"your contacts {what} this site's git repository: a push "
                   "would publish them and the log",
                   f"add '/{contacts_dir}/' to .gitignore"
                   + (f" and run 'git rm -r --cached {contacts_dir}'" if tracked else "")
                   + f", or make {contacts_dir}/ its own private repository", warning=True)
