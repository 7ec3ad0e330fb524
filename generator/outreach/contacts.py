"""contacts/ -> Book: every contact, the log and the user's aliases, validated.

Every problem names the file, the line and the key. None quotes a value:
contact files are private, and error messages end up in terminals, CI logs
and bug reports. Even a rejected value (a misspelt channel type, an unknown
contact id in the log) is described, never echoed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dates import zone
from ..errors import Problem, closest, one_of
from ..yamlio import YamlProblem, line_of, load_yaml
from .model import CHANNEL_TYPES, Channel, Contact, HistoryItem, Interest, Touch
from .periods import DATE_FORMS, DEFAULT_CADENCE, parse_cadence, parse_partial

CONTACTS_DIR = "contacts"
LOG_DIR = "log"
ALIASES_FILE = "aliases.yaml"

CONTACT_KEYS = ("name", "aliases", "greeting", "languages", "city", "timezone", "org",
                "channels", "circle", "interests", "history", "how_we_met", "notes", "taste",
                "avoid_topics", "cadence", "last_contacted", "do_not_contact", "snooze_until")
ORG_KEYS = ("company", "title")
CHANNEL_KEYS = ("type", "handle", "ok")
INTEREST_KEYS = ("topic", "weight")
HISTORY_KEYS = ("label", "when", "tags")
MET_KEYS = ("when", "where", "via")

_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_SAFE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,40}$")


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

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


def unknown_key(path: str, where: Any, key: object, known: Collection[str],
                context: str = "") -> Problem:
    """An unknown key, named only when it is a near-typo of a known one.

    A stray key may be private text that lost its indentation ('alice: likes k8s');
    a misspelt known key ('do_not_contac') is safe to show.
    """
    hint = closest(key, known) if isinstance(key, str) else ""
    typo = isinstance(key, str) and _SAFE_KEY.match(key) and \
        difflib.get_close_matches(key, list(known), n=1, cutoff=0.8)
    shown = f"'{key}'" if typo else "(not shown, in case it is private)"
    return Problem(path, line_of(where, key), f"unknown {context}key {shown}",
                   hint or one_of(known))


def _text(value: Any) -> str | None:
    """A scalar as text (YAML may read '2016' or 'yes' as other types); None if not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None


def load_book(root: Path, post_keys: Collection[str] | None = None,
              contacts_dir: str = CONTACTS_DIR) -> Book:
    """Read ``root/contacts``; problems are collected, never raised.

    ``post_keys``: the site's post keys, to check the log's ``post`` values
    (None skips that check). ``contacts_dir``: another folder, such as the samples.
    """
    folder = root / contacts_dir
    if not folder.is_dir():
        return Book(problems=(Problem(CONTACTS_DIR, 0, "no contacts/ folder",
                                      "create contacts/ with one <id>.yaml per person; "
                                      "see contacts/README.md"),))
    problems: list[Problem] = []
    files, skipped = contact_files(folder)
    by_id: dict[str, str] = {}
    raw: list[tuple[str, str, Any]] = []
    for file in files:
        rel = file.relative_to(root).as_posix()
        cid = file.stem
        if cid in by_id:
            problems.append(Problem(rel, 0, f"contact id already used by {by_id[cid]}",
                                    "ids are file names and must be unique across contacts/; "
                                    "rename one file"))
            continue
        by_id[cid] = rel
        data = _read_yaml(file, rel, problems)
        if data is not None:
            raw.append((cid, rel, data))
    contacts: dict[str, Contact] = {}
    for cid, rel, data in raw:
        contact = parse_contact(cid, rel, data, problems, set(by_id))
        if contact is not None:
            contacts[cid] = contact
    from .log import read_log  # the log checks ids against the contacts just read

    touches, entries = read_log(root, set(by_id), post_keys, problems, contacts_dir)
    groups = _read_aliases(root, problems, contacts_dir)
    return Book(contacts=dict(sorted(contacts.items())), touches=tuple(touches),
                alias_groups=tuple(groups), problems=tuple(sorted(problems)),
                log_entries=entries, skipped=tuple(skipped))


def contact_files(folder: Path) -> tuple[list[Path], list[str]]:
    """Contact files under ``folder``, and nested contacts folders that were left out.

    A sub-folder is a group of contacts, unless it has its own log/ or
    aliases.yaml: then it is a separate contacts folder (like the shipped
    sample/) and mixing its people into this one would be wrong.
    """
    files: list[Path] = []
    skipped: list[str] = []

    def walk(directory: Path, top: bool) -> None:
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
            elif entry.suffix == ".yaml" and not (top and entry.name == ALIASES_FILE):
                files.append(entry)

    walk(folder, True)
    return files, skipped


def _read_yaml(file: Path, rel: str, problems: list[Problem]) -> Any:
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, 0, f"not valid UTF-8 (byte {exc.start})",
                                "save the file as UTF-8"))
        return None
    except OSError as exc:
        problems.append(Problem(rel, 0, f"cannot read the file ({exc.strerror})"))
        return None
    try:
        return load_yaml(text)
    except YamlProblem as exc:
        problems.append(Problem(rel, exc.line, safe_yaml_message(exc.message),
                                "check indentation, and quote values containing ': ' or '#'"))
        return None


def safe_yaml_message(message: str) -> str:
    """A parser message with anything quoted from the file taken out."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", "(…)", message)


def parse_contact(cid: str, rel: str, data: Any, problems: list[Problem],
                  ids: Collection[str] | None = None) -> Contact | None:
    """Validate one contact file's data; add problems; None when it is unusable."""
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "expected a mapping of keys",
                                "start with 'name: Their Name'"))
        return None
    before = len(problems)

    def bad(key: Any, message: str, hint: str = "", where: Any = None) -> None:
        problems.append(Problem(rel, line_of(data if where is None else where, key),
                                message, hint))

    for key in data:
        if key not in CONTACT_KEYS:
            problems.append(unknown_key(rel, data, key, CONTACT_KEYS))

    def text(key: str) -> str:
        if key not in data:
            return ""
        value = _text(data[key])
        if value is None:
            bad(key, f"'{key}' must be text")
            return ""
        return value.strip()

    def words(key: str, where: Any = None, source: Any = None) -> tuple[str, ...]:
        owner = data if source is None else source
        if key not in owner:
            return ()
        value = owner[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            bad(key, f"'{key}' must be a list", "e.g. [one, two]", where=where)
            return ()
        result = []
        for index, item in enumerate(value):
            item_text = _text(item)
            if item_text is None or not item_text.strip():
                bad(index, f"'{key}' item {index + 1} must be text", where=value)
            else:
                result.append(item_text.strip())
        return tuple(result)

    name = text("name")
    if "name" not in data:
        problems.append(Problem(rel, 0, "missing required key 'name'",
                                "add 'name: Their Name'"))
    elif not name:
        bad("name", "'name' must not be empty")

    languages = words("languages")
    for index, code in enumerate(languages):
        if not _LANG.match(code):
            bad(index, f"'languages' item {index + 1} is not a language code",
                "use BCP-47 codes such as en, zh, zh-Hant, ja", where=data["languages"])

    timezone = text("timezone")
    if timezone:
        try:
            zone(timezone)
        except ValueError:
            bad("timezone", "'timezone' is not a known IANA time zone",
                "e.g. Asia/Shanghai, Europe/London, America/New_York")

    company = title = ""
    if "org" in data:
        org = data["org"]
        if isinstance(org, dict):
            for key, value in org.items():
                if key not in ORG_KEYS:
                    problems.append(unknown_key(rel, org, key, ORG_KEYS, "org "))
                elif _text(value) is None:
                    bad(key, f"'org.{key}' must be text", where=org)
            company = (_text(org.get("company")) or "").strip()
            title = (_text(org.get("title")) or "").strip()
        else:
            bad("org", "'org' must be a mapping", "e.g. org: {company: Acme, title: CTO}")

    channels = _channels(data, rel, problems)
    circle = 4
    if "circle" in data:
        value = data["circle"]
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
            circle = value
        else:
            bad("circle", "'circle' must be a whole number from 1 (closest) to 5 (distant)")

    interests = _interests(data, rel, problems)
    history = _history(data, rel, problems)

    met_where = met_when = met_via = ""
    if "how_we_met" in data:
        met = data["how_we_met"]
        if isinstance(met, dict):
            for key, value in met.items():
                if key not in MET_KEYS:
                    problems.append(unknown_key(rel, met, key, MET_KEYS, "how_we_met "))
                elif _text(value) is None:
                    bad(key, f"'how_we_met.{key}' must be text", where=met)
            met_where = (_text(met.get("where")) or "").strip()
            met_via = (_text(met.get("via")) or "").strip()
            if met_via and ids is not None and met_via not in ids:
                bad("via", "'how_we_met.via' names no contact",
                    "use another contact's id: its file name without .yaml", met)
            met_when = (_text(met.get("when")) or "").strip()
            if met_when:
                _check_date(met_when, "how_we_met.when", lambda m, h: bad("when", m, h, met))
        else:
            bad("how_we_met", "'how_we_met' must be a mapping",
                "e.g. how_we_met: {when: 2019, where: a meetup}")

    notes, taste = text("notes"), text("taste")
    avoid = words("avoid_topics")

    cadence = DEFAULT_CADENCE[circle]
    if "cadence" in data:
        try:
            cadence = parse_cadence(_text(data["cadence"]))
        except ValueError as exc:
            bad("cadence", f"'cadence' is not valid: {exc}")

    last = None
    if "last_contacted" in data:
        last = _check_date(data["last_contacted"], "last_contacted",
                           lambda m, h: bad("last_contacted", m, h))
    snooze = None
    if "snooze_until" in data:
        snooze = _check_date(data["snooze_until"], "snooze_until",
                             lambda m, h: bad("snooze_until", m, h))
    dnc = False
    if "do_not_contact" in data:
        if isinstance(data["do_not_contact"], bool):
            dnc = data["do_not_contact"]
        else:
            bad("do_not_contact", "'do_not_contact' must be true or false")

    if len(problems) > before and any(not p.warning for p in problems[before:]):
        return None
    return Contact(
        id=cid, path=rel, name=name, aliases=words("aliases"), greeting=text("greeting"),
        languages=languages, city=text("city"), timezone=timezone, company=company,
        title=title, channels=channels, circle=circle, interests=interests, history=history,
        met_where=met_where, met_when=met_when, met_via=met_via, notes=notes, taste=taste,
        avoid_topics=avoid, cadence=cadence, last_contacted=last, do_not_contact=dnc,
        snooze_until=snooze)


def _check_date(value: Any, key: str, bad: Callable[[str, str], None]) -> Any:
    try:
        return parse_partial(value)
    except ValueError as exc:
        bad(*date_problem(key, exc))
        return None


def date_problem(key: str, exc: ValueError) -> tuple[str, str]:
    """(message, hint) for a bad date, without the value."""
    if "real" in str(exc):
        return f"'{key}' is not a real date", "check the month and the day"
    return f"'{key}' must be {DATE_FORMS}", ""


def _channels(data: Any, rel: str, problems: list[Problem]) -> tuple[Channel, ...]:
    if "channels" not in data:
        return ()
    items = data["channels"]
    if not isinstance(items, list):
        problems.append(Problem(rel, line_of(data, "channels"), "'channels' must be a list",
                                "e.g. channels: [{type: email, handle: a@example.com}]"))
        return ()
    result = []
    for index, item in enumerate(items):
        where = f"'channels' item {index + 1}"
        line = line_of(items, index)
        if not isinstance(item, dict):
            problems.append(Problem(rel, line, f"{where} must be a mapping",
                                    "e.g. {type: wechat, handle: my_handle}"))
            continue
        ok = True
        for key in item:
            if key not in CHANNEL_KEYS:
                problems.append(unknown_key(rel, item, key, CHANNEL_KEYS, "channel "))
        kind = _text(item.get("type"))
        if kind is None:
            problems.append(Problem(rel, line, f"{where} needs a 'type'", one_of(CHANNEL_TYPES)))
            ok = False
        elif kind not in CHANNEL_TYPES:
            problems.append(Problem(rel, line_of(item, "type", line),
                                    f"{where}: unknown channel type",
                                    closest(kind, CHANNEL_TYPES) or one_of(CHANNEL_TYPES)))
            ok = False
        handle = _text(item.get("handle"))
        if handle is None or not handle.strip():
            problems.append(Problem(rel, line_of(item, "handle", line),
                                    f"{where} needs a 'handle' (text)",
                                    "the address, user name or number to reach them at"))
            ok = False
        usable = item.get("ok", True)
        if not isinstance(usable, bool):
            problems.append(Problem(rel, line_of(item, "ok", line),
                                    f"{where}: 'ok' must be true or false"))
            ok = False
        if ok:
            result.append(Channel(str(kind), str(handle).strip(), bool(usable)))
    return tuple(result)


def _interests(data: Any, rel: str, problems: list[Problem]) -> tuple[Interest, ...]:
    if "interests" not in data:
        return ()
    items = data["interests"]
    if not isinstance(items, list):
        problems.append(Problem(rel, line_of(data, "interests"), "'interests' must be a list",
                                "e.g. interests: [kubernetes, {topic: payments, weight: 2}]"))
        return ()
    result = []
    for index, item in enumerate(items):
        line = line_of(items, index)
        where = f"'interests' item {index + 1}"
        if isinstance(item, dict):
            for key in item:
                if key not in INTEREST_KEYS:
                    problems.append(unknown_key(rel, item, key, INTEREST_KEYS, "interest "))
            topic = _text(item.get("topic"))
            weight = item.get("weight", 1)
            if topic is None or not topic.strip():
                problems.append(Problem(rel, line, f"{where} needs a 'topic' (text)"))
                continue
            if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 3:
                problems.append(Problem(rel, line_of(item, "weight", line),
                                        f"{where}: 'weight' must be 1, 2 or 3"))
                continue
            result.append(Interest(topic.strip(), weight))
        else:
            topic = _text(item)
            if topic is None or not topic.strip():
                problems.append(Problem(rel, line, f"{where} must be a topic or "
                                        "{topic, weight}"))
                continue
            result.append(Interest(topic.strip()))
    return tuple(result)


def _history(data: Any, rel: str, problems: list[Problem]) -> tuple[HistoryItem, ...]:
    if "history" not in data:
        return ()
    items = data["history"]
    if not isinstance(items, list):
        problems.append(Problem(rel, line_of(data, "history"), "'history' must be a list",
                                "e.g. history: [{label: our HSBC project, when: 2020}]"))
        return ()
    result = []
    for index, item in enumerate(items):
        line = line_of(items, index)
        where = f"'history' item {index + 1}"
        if not isinstance(item, dict):
            problems.append(Problem(rel, line, f"{where} must be a mapping",
                                    "e.g. {label: our HSBC project, when: 2020}"))
            continue
        for key in item:
            if key not in HISTORY_KEYS:
                problems.append(unknown_key(rel, item, key, HISTORY_KEYS, "history "))
        label = _text(item.get("label"))
        if label is None or not label.strip():
            problems.append(Problem(rel, line, f"{where} needs a 'label' (text)"))
            continue
        when = _text(item.get("when")) or ""
        if "when" in item:
            try:
                parse_partial(item["when"])
            except ValueError:
                problems.append(Problem(rel, line_of(item, "when", line),
                                        f"{where}: 'when' must be {DATE_FORMS}"))
        tags: list[str] = []
        raw_tags = item.get("tags", [])
        if isinstance(raw_tags, str):
            raw_tags = [raw_tags]
        if not isinstance(raw_tags, list) or any(_text(t) is None for t in raw_tags):
            problems.append(Problem(rel, line_of(item, "tags", line),
                                    f"{where}: 'tags' must be a list of words"))
        else:
            tags = [str(t).strip() for t in raw_tags if str(t).strip()]
        result.append(HistoryItem(label.strip(), when.strip(), tuple(tags)))
    return tuple(result)


def _read_aliases(root: Path, problems: list[Problem],
                  contacts_dir: str = CONTACTS_DIR) -> list[tuple[str, ...]]:
    file = root / contacts_dir / ALIASES_FILE
    if not file.is_file():
        return []
    rel = file.relative_to(root).as_posix()
    data = _read_yaml(file, rel, problems)
    if data is None:
        return []
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "expected a mapping of term to term(s)",
                                "e.g. k8s: kubernetes, or kubernetes: [k8s, 容器编排]"))
        return []
    groups = []
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        texts = [_text(key), *(_text(v) for v in values)]
        if any(t is None or not t.strip() for t in texts):
            problems.append(Problem(rel, line_of(data, key),
                                    "each alias must map a term to a term or a list of terms",
                                    "e.g. k8s: kubernetes, or kubernetes: [k8s, 容器编排]"))
            continue
        groups.append(tuple(str(t).strip() for t in texts))
    return groups
