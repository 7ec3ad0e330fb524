"""One contact file's data -> Contact, one small reader per key.

Every problem names the file, the line and the key; none quotes a value (see
problems.py). Errors make the file unusable (it is skipped, the rest of
contacts/ still works); warnings do not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from ..dates import zone
from ..errors import Problem, closest, one_of
from ..yamlio import line_of
from .languages import language_problem
from .model import CHANNEL_TYPES, Cadence, Channel, Contact, HistoryItem, Interest
from .periods import DATE_FORMS, DEFAULT_CADENCE, parse_cadence, parse_partial
from .problems import as_text, date_problem, unknown_key

CONTACT_KEYS = ("name", "aliases", "greeting", "languages", "city", "timezone", "org",
                "channels", "circle", "interests", "history", "how_we_met", "notes", "taste",
                "avoid_topics", "cadence", "last_contacted", "do_not_contact", "snooze_until",
                "added")
ORG_KEYS = ("company", "title")
CHANNEL_KEYS = ("type", "handle", "ok")
INTEREST_KEYS = ("topic", "weight")
HISTORY_KEYS = ("label", "when", "tags")
MET_KEYS = ("when", "where", "via")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


@dataclass
class Reader:
    """Reads one contact file's mapping, collecting problems as it goes."""

    rel: str
    data: Any
    problems: list[Problem]
    today: dt.date | None = None

    def bad(self, key: Any, message: str, hint: str = "", where: Any = None,
            warning: bool = False) -> None:
        owner = self.data if where is None else where
        self.problems.append(Problem(self.rel, line_of(owner, key), message, hint, warning))

    def text(self, key: str, owner: Any = None) -> str:
        owner = self.data if owner is None else owner
        if key not in owner:
            return ""
        value = as_text(owner[key])
        if value is None:
            self.bad(key, f"'{key}' must be text", where=owner)
            return ""
        return value.strip()

    def words(self, key: str) -> tuple[str, ...]:
        if key not in self.data:
            return ()
        value = self.data[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.bad(key, f"'{key}' must be a list", "e.g. [one, two]")
            return ()
        result = []
        for index, item in enumerate(value):
            item_text = as_text(item)
            if item_text is None or not item_text.strip():
                self.bad(index, f"'{key}' item {index + 1} must be text", where=value)
            else:
                result.append(item_text.strip())
        return tuple(result)

    def date(self, key: str, owner: Any = None, label: str = "",
             future_hint: str = "") -> dt.date | None:
        """A (partial) date; a warning when it lies after today and ``future_hint`` says why
        that matters."""
        owner = self.data if owner is None else owner
        if key not in owner:
            return None
        name = label or key
        try:
            day = parse_partial(owner[key])
        except ValueError as exc:
            self.bad(key, *date_problem(name, exc), where=owner)
            return None
        if future_hint and self.today is not None and day > self.today:
            self.bad(key, f"'{name}' is in the future", future_hint, where=owner, warning=True)
        return day

    def mapping(self, key: str, known: Collection[str], example: str) -> Mapping[str, Any]:
        if key not in self.data:
            return {}
        value = self.data[key]
        if not isinstance(value, dict):
            self.bad(key, f"'{key}' must be a mapping", example)
            return {}
        for sub, item in value.items():
            if sub not in known:
                self.problems.append(unknown_key(self.rel, value, sub, known, f"{key} "))
            elif as_text(item) is None:
                self.bad(sub, f"'{key}.{sub}' must be text", where=value)
        return value


def parse_contact(cid: str, rel: str, data: Any, problems: list[Problem],
                  ids: Collection[str] | None = None, *, today: dt.date | None = None,
                  cadences: Mapping[int, Cadence | None] = DEFAULT_CADENCE) -> Contact | None:
    """Validate one contact file's data; add problems; None when it has an error."""
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "expected a mapping of keys",
                                "start with 'name: Their Name'"))
        return None
    before = len(problems)
    r = Reader(rel, data, problems, today)
    for key in data:
        if key not in CONTACT_KEYS:
            problems.append(unknown_key(rel, data, key, CONTACT_KEYS))
    name = _name(r)
    org = r.mapping("org", ORG_KEYS, "e.g. org: {company: Acme, title: CTO}")
    met = _met(r, ids)
    circle = _circle(r)
    cadence = cadences.get(circle)
    if "cadence" in data:
        try:
            cadence = parse_cadence(as_text(data["cadence"]))
        except ValueError as exc:
            r.bad("cadence", f"'cadence' is not valid: {exc}")
    contact = Contact(
        id=cid, path=rel, name=name, aliases=r.words("aliases"), greeting=r.text("greeting"),
        languages=_languages(r), city=r.text("city"), timezone=_timezone(r),
        company=(as_text(org.get("company")) or "").strip(),
        title=(as_text(org.get("title")) or "").strip(), channels=_channels(r),
        circle=circle, interests=_interests(r), history=_history(r),
        met_where=(as_text(met.get("where")) or "").strip(),
        met_when=(as_text(met.get("when")) or "").strip(),
        met_via=(as_text(met.get("via")) or "").strip(), notes=r.text("notes"),
        taste=r.text("taste"), avoid_topics=r.words("avoid_topics"), cadence=cadence,
        last_contacted=r.date("last_contacted", future_hint=(
            "a touch cannot be later than today; it is ignored until then")),
        do_not_contact=_flag(r, "do_not_contact"), snooze_until=r.date("snooze_until"),
        added=r.date("added", future_hint="they count as added from that day"))
    if any(not p.warning for p in problems[before:]):
        return None
    return contact


def _name(r: Reader) -> str:
    name = r.text("name")
    if "name" not in r.data:
        r.problems.append(Problem(r.rel, 0, "missing required key 'name'",
                                  "add 'name: Their Name'"))
    elif not name:
        r.bad("name", "'name' must not be empty")
    return name


def _languages(r: Reader) -> tuple[str, ...]:
    languages = r.words("languages")
    listed = isinstance(r.data.get("languages"), list)
    for index, code in enumerate(languages):
        # 'languages: zh' is one code written without a list: its line is the key's.
        where, key = (r.data["languages"], index) if listed else (r.data, "languages")
        if not _LANG.match(code):
            r.bad(key, f"'languages' item {index + 1} is not a language code",
                  "use BCP-47 codes such as en, zh, zh-Hant, ja", where=where)
        elif hint := language_problem(code):
            r.bad(key, f"'languages' item {index + 1} is not a known language code", hint,
                  where=where, warning=True)
    return languages


def _timezone(r: Reader) -> str:
    timezone = r.text("timezone")
    if timezone:
        try:
            zone(timezone)
        except ValueError:
            r.bad("timezone", "'timezone' is not a known IANA time zone",
                  "e.g. Asia/Shanghai, Europe/London, America/New_York")
    return timezone


def _circle(r: Reader) -> int:
    if "circle" not in r.data:
        return 4
    value = r.data["circle"]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    r.bad("circle", "'circle' must be a whole number from 1 (closest) to 5 (distant)")
    return 4


def _flag(r: Reader, key: str) -> bool:
    if key not in r.data:
        return False
    if isinstance(r.data[key], bool):
        return bool(r.data[key])
    r.bad(key, f"'{key}' must be true or false")
    return False


def _met(r: Reader, ids: Collection[str] | None) -> Mapping[str, Any]:
    met = r.mapping("how_we_met", MET_KEYS, "e.g. how_we_met: {when: 2019, where: a meetup}")
    via = (as_text(met.get("via")) or "").strip()
    if via and ids is not None and via not in ids:
        r.bad("via", "'how_we_met.via' names no contact",
              "use another contact's id: its file name without .yaml", met)
    if (as_text(met.get("when")) or "").strip():
        r.date("when", met, "how_we_met.when")
    return met


def _items(r: Reader, key: str, example: str) -> list[tuple[int, int, Any]]:
    """(index, line, item) of a list-valued key; a problem when it is not a list."""
    if key not in r.data:
        return []
    items = r.data[key]
    if not isinstance(items, list):
        r.bad(key, f"'{key}' must be a list", example)
        return []
    return [(index, line_of(items, index), item) for index, item in enumerate(items)]


def _channels(r: Reader) -> tuple[Channel, ...]:
    result = []
    for index, line, item in _items(r, "channels",
                                    "e.g. channels: [{type: email, handle: a@example.com}]"):
        where = f"'channels' item {index + 1}"
        if not isinstance(item, dict):
            r.problems.append(Problem(r.rel, line, f"{where} must be a mapping",
                                      "e.g. {type: wechat, handle: my_handle}"))
            continue
        before = len(r.problems)
        for key in item:
            if key not in CHANNEL_KEYS:
                r.problems.append(unknown_key(r.rel, item, key, CHANNEL_KEYS, "channel "))
        kind = as_text(item.get("type"))
        if kind is None:
            r.problems.append(Problem(r.rel, line, f"{where} needs a 'type'",
                                      one_of(CHANNEL_TYPES)))
        elif kind not in CHANNEL_TYPES:
            r.problems.append(Problem(r.rel, line_of(item, "type", line),
                                      f"{where}: unknown channel type",
                                      closest(kind, CHANNEL_TYPES) or one_of(CHANNEL_TYPES)))
        handle = as_text(item.get("handle"))
        if handle is None or not handle.strip():
            r.problems.append(Problem(r.rel, line_of(item, "handle", line),
                                      f"{where} needs a 'handle' (text)",
                                      "the address, user name or number to reach them at"))
        usable = item.get("ok", True)
        if not isinstance(usable, bool):
            r.problems.append(Problem(r.rel, line_of(item, "ok", line),
                                      f"{where}: 'ok' must be true or false"))
        if len(r.problems) == before:
            result.append(Channel(str(kind), str(handle).strip(), bool(usable)))
    return tuple(result)


def _interests(r: Reader) -> tuple[Interest, ...]:
    result = []
    for index, line, item in _items(
            r, "interests", "e.g. interests: [kubernetes, {topic: payments, weight: 2}]"):
        where = f"'interests' item {index + 1}"
        if not isinstance(item, dict):
            topic = as_text(item)
            if topic is None or not topic.strip():
                r.problems.append(Problem(r.rel, line, f"{where} must be a topic or "
                                          "{topic, weight}"))
            else:
                result.append(Interest(topic.strip()))
            continue
        for key in item:
            if key not in INTEREST_KEYS:
                r.problems.append(unknown_key(r.rel, item, key, INTEREST_KEYS, "interest "))
        topic = as_text(item.get("topic"))
        weight = item.get("weight", 1)
        if topic is None or not topic.strip():
            r.problems.append(Problem(r.rel, line, f"{where} needs a 'topic' (text)"))
        elif not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 3:
            r.problems.append(Problem(r.rel, line_of(item, "weight", line),
                                      f"{where}: 'weight' must be 1, 2 or 3"))
        else:
            result.append(Interest(topic.strip(), weight))
    return tuple(result)


def _history(r: Reader) -> tuple[HistoryItem, ...]:
    result = []
    for index, line, item in _items(r, "history",
                                    "e.g. history: [{label: our HSBC project, when: 2020}]"):
        where = f"'history' item {index + 1}"
        if not isinstance(item, dict):
            r.problems.append(Problem(r.rel, line, f"{where} must be a mapping",
                                      "e.g. {label: our HSBC project, when: 2020}"))
            continue
        for key in item:
            if key not in HISTORY_KEYS:
                r.problems.append(unknown_key(r.rel, item, key, HISTORY_KEYS, "history "))
        labels = _labels(item.get("label"))
        if not labels:
            r.problems.append(Problem(r.rel, line, f"{where} needs a 'label' (text, or "
                                      "one text per language)",
                                      "e.g. {label: our HSBC project} or "
                                      "{label: {en: our HSBC project, zh: 汇丰的项目}}"))
            continue
        when = as_text(item.get("when")) or ""
        if "when" in item and not _is_date(item["when"]):
            r.problems.append(Problem(r.rel, line_of(item, "when", line),
                                      f"{where}: 'when' must be {DATE_FORMS}"))
        tags: list[str] = []
        raw_tags = item.get("tags", [])
        if isinstance(raw_tags, str):
            raw_tags = [raw_tags]
        if not isinstance(raw_tags, list) or any(as_text(t) is None for t in raw_tags):
            r.problems.append(Problem(r.rel, line_of(item, "tags", line),
                                      f"{where}: 'tags' must be a list of words"))
        else:
            tags = [str(t).strip() for t in raw_tags if str(t).strip()]
        per_language = tuple(labels) if isinstance(item.get("label"), dict) else ()
        result.append(HistoryItem(labels[0][1], when.strip(), tuple(tags), per_language))
    return tuple(result)


def _labels(value: Any) -> list[tuple[str, str]]:
    """[(language or '', label)] from a label that is text or {language: text}."""
    if isinstance(value, dict):
        pairs = [(str(k), as_text(v)) for k, v in value.items()]
        if not pairs or any(t is None or not t.strip() or not _LANG.match(k) for k, t in pairs):
            return []
        return [(k, str(t).strip()) for k, t in pairs]
    text = as_text(value)
    return [("", text.strip())] if text and text.strip() else []


def _is_date(value: Any) -> bool:
    try:
        parse_partial(value)
    except ValueError:
        return False
    return True
