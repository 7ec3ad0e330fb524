"""`kith contacts import`: address-book exports -> contacts/<id>.yaml skeletons.

Reads vCard (Google Contacts, Apple Contacts, Android's vCard 2.1 with
quoted-printable values over several lines; folded lines; unescaped commas),
LinkedIn's ``Connections.csv`` (its "Notes:" preamble skipped, its profile URL
kept as the LinkedIn channel), Google's CSV export and a plain CSV with a
header row (name, email, phone, wechat, linkedin, url, company, title, notes, ...).

Records are merged when they share an email, a phone number, a handle or a
name: one person exported twice (or from two address books) becomes one
file. A record that matches an existing contact (by email, handle, name or
alias) is left alone: nothing is ever overwritten, and importing the same
file again writes nothing. Each new file is a skeleton to complete by hand
(circle, languages, interests, history); it is checked against the contacts
format before it is written, with ``added:`` set to today.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import quopri
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..yamlio import load_yaml
from .contacts import contact_files, load_book, normal_handle
from .fields import parse_contact
from .log import quoted
from .model import CONTACTS_DIR, Contact

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_SOCIAL = {"linkedin": "linkedin", "twitter": "x", "x": "x", "github": "github",
           "telegram": "telegram", "wechat": "wechat", "weixin": "wechat",
           "whatsapp": "whatsapp", "signal": "signal", "mastodon": "mastodon",
           "bluesky": "bluesky", "line": "other"}
CSV_COLUMNS = {"name": "name", "full name": "name", "display name": "name", "email": "email",
               "e-mail": "email", "email address": "email", "phone": "phone", "mobile": "phone",
               "company": "company", "organization": "company", "title": "title",
               "position": "title", "job title": "title", "notes": "notes", "note": "notes",
               "aliases": "alias", "alias": "alias", "nickname": "alias",
               "first name": "first", "given name": "first", "last name": "last",
               "family name": "last", "connected on": "met", "url": "url",
               "profile url": "url", "website": "url", **{k: k for k in _SOCIAL}}


@dataclass
class Record:
    """One person as an export has them."""

    source: str
    """'file:line' (or 'file: card N'), for messages."""
    name: str = ""
    aliases: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    channels: list[tuple[str, str]] = field(default_factory=list)
    company: str = ""
    title: str = ""
    notes: str = ""
    met_when: str = ""
    met_where: str = ""

    def identities(self) -> set[tuple[str, str]]:
        found = {("email", e.casefold()) for e in self.emails}
        found |= {("phone", _digits(p)) for p in self.phones if len(_digits(p)) >= 6}
        found |= {(kind, normal_handle(h)) for kind, h in self.channels}
        found |= {("name", _name_key(n)) for n in (self.name, *self.aliases) if _name_key(n)}
        return found

    def absorb(self, other: Record) -> None:
        for attr in ("aliases", "emails", "phones"):
            _add(getattr(self, attr), *getattr(other, attr))
        self.channels += [c for c in other.channels if c not in self.channels]
        if other.name and _name_key(other.name) != _name_key(self.name):
            _add(self.aliases, other.name)
        for attr in ("company", "title", "notes", "met_when", "met_where"):
            if not getattr(self, attr):
                setattr(self, attr, getattr(other, attr))


@dataclass
class ImportResult:
    written: list[str] = field(default_factory=list)
    merged: int = 0
    """Records folded into another record of the same import."""
    existing: int = 0
    """Records that matched a contact already in contacts/ (left alone)."""
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would write" if self.dry_run else "wrote"
        lines = [f"{verb} {path}" for path in self.written]
        lines.append(f"contacts import: {len(self.written)} new, {self.merged} duplicates merged, "
                     f"{self.existing} already in {CONTACTS_DIR}/ (left as they are); nothing "
                     "overwritten")
        return "\n".join(lines)


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def read_vcards(path: Path, text: str, problems: list[Problem]) -> list[Record]:
    """Cards from a vCard file (2.1, 3.0 or 4.0).

    vobject reads the lines: folding, and vCard 2.1's quoted-printable values
    that go on over several lines. The values we decode ourselves: vobject's
    value parser keeps only what comes before the first unescaped comma of a
    NOTE, TITLE or NICKNAME (its issue 140; exports from phones rarely escape
    commas), and it logs a line it cannot read together with its text.
    """
    import vobject.base as vcard

    records: list[Record] = []
    record: Record | None = None
    number = depth = 0
    for line, lineno in vcard.getLogicalLines(io.StringIO(text), allowQP=True):
        try:
            name, params, value, _ = vcard.parseLine(line, lineno)
        except vcard.ParseError:
            problems.append(Problem(path.name, max(1, lineno), "a line that is not a vCard "
                                    "property; left out", warning=True))
            continue
        name = name.upper()
        if name in ("BEGIN", "END") and value.strip().upper() == "VCARD":
            depth += 1 if name == "BEGIN" else -1
            if name == "BEGIN" and depth == 1:
                number += 1
                record = Record(f"{path.name}: card {number}")
            elif name == "END" and depth == 0 and record is not None:
                _finish_card(record, number, path, records, problems)
                record = None
            depth = max(depth, 0)
            continue
        if record is not None and depth == 1:  # a card nested in another (AGENT) is skipped
            _vcard_line(record, name, _param_map(params), value)
    if record is not None:  # no END:VCARD at the end of the file
        _finish_card(record, number, path, records, problems)
    return records


def _finish_card(record: Record, number: int, path: Path, records: list[Record],
                 problems: list[Problem]) -> None:
    if record.name:
        records.append(record)
    else:
        problems.append(Problem(path.name, 0, f"card {number} has no name; left out",
                                warning=True))


def _param_map(params: list[list[str]]) -> dict[str, set[str]]:
    """vCard parameters by upper-case name; vCard 2.1's bare 'CELL' is a TYPE."""
    found: dict[str, set[str]] = {}
    for param in params:
        if len(param) == 1:
            bare = param[0].upper()
            key = "ENCODING" if bare in ("QUOTED-PRINTABLE", "BASE64", "B") else "TYPE"
            found.setdefault(key, set()).add(bare.lower())
            continue
        for item in param[1:]:
            found.setdefault(param[0].upper(), set()).update(
                v.strip().strip('"').lower() for v in item.split(",") if v.strip())
    return found


def _decoded(value: str, params: dict[str, set[str]]) -> str:
    """A raw value as text: quoted-printable and its charset undone; '' for binary data."""
    encoding = params.get("ENCODING", set())
    if encoding & {"b", "base64"}:
        return ""  # a photo or a key
    if "quoted-printable" in encoding:
        charset = next(iter(sorted(params.get("CHARSET", {"utf-8"}))))
        raw = quopri.decodestring(value.encode("utf-8"))
        try:
            return raw.decode(charset, "replace")
        except LookupError:
            return raw.decode("utf-8", "replace")
    return value


def _split(value: str, separator: str) -> list[str]:
    """Split on a separator that is not escaped with a backslash."""
    parts, current, escaped = [], [], False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", ":": ":", "\\": "\\"}


def _text(value: str) -> str:
    """A vCard text value with its backslash escapes undone."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[0]), value).strip()


def _vcard_line(record: Record, name: str, params: dict[str, set[str]], raw: str) -> None:
    kinds = params.get("TYPE", set()) | params.get("X-SERVICE-TYPE", set())
    value = _decoded(raw, params)
    if name == "FN":
        record.name = _text(value)
    elif name == "N" and not record.name:
        parts = [" ".join(_text(p) for p in _split(part, ",")) for part in _split(value, ";")]
        family, given = [*parts, "", ""][:2]
        record.name = " ".join(p for p in (given.strip(), family.strip()) if p)
    elif name == "NICKNAME":
        _add(record.aliases, *(_text(n) for n in _split(value, ",")))
    elif name == "EMAIL" and "@" in value:
        _add(record.emails, _text(value))
    elif name == "TEL" and _text(value):
        _add(record.phones, _text(value))
    elif name == "ORG":
        record.company = record.company or _text(_split(value, ";")[0])
    elif name == "TITLE":
        record.title = record.title or _text(value)
    elif name == "NOTE":
        record.notes = record.notes or _text(value)
    elif name in ("URL", "X-SOCIALPROFILE", "IMPP"):
        _social(record, _text(value), kinds)


def _add(values: list[str], *new: str) -> None:
    """Append values not there yet (phones compared by digits, the rest case-blind)."""
    def key(v: str) -> str:
        digits = _digits(v)
        return digits if len(digits) >= 6 and not re.search(r"[A-Za-z@]", v) else v.casefold()

    seen = {key(v) for v in values}
    for value in new:
        if value and key(value) not in seen:
            values.append(value)
            seen.add(key(value))


def _social(record: Record, text: str, kinds: set[str]) -> None:
    """A profile or messenger handle, known by its label, its site or its scheme."""
    lowered = text.lower()
    host = lowered.split("://", 1)[1] if "://" in lowered else lowered
    host = host.split("/", 1)[0] if "/" in host else ""
    for word, kind in _SOCIAL.items():
        domain = f"{word}.com"  # by host: 'x.com' is not found inside 'dropbox.com'
        if word in kinds or host == domain or host.endswith("." + domain) or \
                lowered.startswith(f"{word}:"):
            handle = re.sub(r"^(x-apple:|[a-z]+:)", "", text, flags=re.I)
            if kind in ("linkedin", "github", "x"):
                handle = handle.rstrip("/").rsplit("/", 1)[-1] if "/" in handle else handle
            if handle and (kind, handle) not in record.channels:
                record.channels.append((kind, handle))
            return


def read_csv(path: Path, text: str, problems: list[Problem]) -> list[Record]:
    lines = text.splitlines()
    start = _header_line(lines)
    if start is None:
        problems.append(Problem(path.name, 0, "no header row with a name column",
                                "a CSV needs a header such as: name,email,wechat,company"))
        return []
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    header = [h.strip().lower() for h in next(reader)]
    records = []
    for offset, row in enumerate(reader, start=start + 2):
        if not any(cell.strip() for cell in row):
            continue
        record = Record(f"{path.name}:{offset}")
        first = last = ""
        for column, cell in zip(header, row, strict=False):
            cell = cell.strip()
            if not cell:
                continue
            first, last = _csv_cell(record, column, cell, first, last)
        if not record.name:
            record.name = " ".join(p for p in (first, last) if p)
        if "linkedin.com" in text[:2000].lower() or "connected on" in header:
            record.met_where = record.met_where or "LinkedIn"
        if not record.name:
            problems.append(Problem(path.name, offset, "this row has no name; left out",
                                    warning=True))
            continue
        records.append(record)
    return records


def _header_line(lines: Sequence[str]) -> int | None:
    """The header row: LinkedIn puts a 'Notes:' preamble before it."""
    for index, line in enumerate(lines[:20]):
        cells = {c.strip().strip('"').lower() for c in line.split(",")}
        if cells & {"name", "full name", "display name", "first name", "given name"}:
            return index
    return None


def _csv_cell(record: Record, column: str, cell: str, first: str, last: str) -> tuple[str, str]:
    google = re.match(r"e-mail \d+ - value|phone \d+ - value|organization( \d+ -)? (name|title)",
                      column)
    kind = CSV_COLUMNS.get(column) or (google and (
        "email" if column.startswith("e-mail") else "phone" if column.startswith("phone")
        else "company" if column.endswith("name") else "title"))
    if kind == "name":
        record.name = cell
    elif kind == "first":
        first = cell
    elif kind == "last":
        last = cell
    elif kind == "email":
        _add(record.emails, *(e.strip() for e in cell.split(":::") if "@" in e))
    elif kind == "phone":
        _add(record.phones, *(p.strip() for p in cell.split(":::") if p.strip()))
    elif kind == "url":  # LinkedIn's own column: the profile, the one way to reach them there
        _social(record, cell, set())
    elif kind in ("company", "title", "notes"):
        setattr(record, kind, getattr(record, kind) or cell)
    elif kind == "alias":
        _add(record.aliases, *(a.strip() for a in re.split(r"[;,]", cell) if a.strip()))
    elif kind == "met":
        record.met_when = _connected_on(cell)
    elif kind in _SOCIAL:
        _social(record, cell if ":" in cell or "/" in cell else f"{kind}:{cell}", {kind})
    return first, last


def _connected_on(text: str) -> str:
    """'02 May 2019' (LinkedIn) or '2019-05-02' -> '2019-05-02'; '' when unreadable."""
    m = re.match(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$", text.strip())
    if m and m[2].lower() in _MONTHS:
        return f"{int(m[3]):04d}-{_MONTHS[m[2].lower()]:02d}-{int(m[1]):02d}"
    return text.strip() if re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()) else ""


def merge_records(records: Iterable[Record]) -> tuple[list[Record], int]:
    """One record per person: records sharing an email, phone, handle or name merge."""
    people: list[Record] = []
    owner: dict[tuple[str, str], Record] = {}
    merged = 0
    for record in records:
        match = next((owner[k] for k in sorted(record.identities()) if k in owner), None)
        if match is None:
            people.append(record)
            match = record
        else:
            match.absorb(record)
            merged += 1
        for key in match.identities():
            owner.setdefault(key, match)
    return people, merged


def existing_keys(contacts: Iterable[Contact]) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for c in contacts:
        for channel in c.channels:
            if channel.type == "email":
                keys.add(("email", channel.handle.casefold()))
            elif channel.type == "phone":
                keys.add(("phone", _digits(channel.handle)))
            keys.add((channel.type, normal_handle(channel.handle)))
        keys |= {("name", _name_key(n)) for n in (c.name, *c.aliases) if _name_key(n)}
    return keys


def new_id(record: Record, taken: set[str]) -> str:
    latin = next((n for n in (record.name, *record.aliases) if re.search(r"[A-Za-z]", n)), "")
    base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", latin).encode(
        "ascii", "ignore").decode().lower()).strip("-")
    if not base and record.emails:
        base = re.sub(r"[^a-z0-9]+", "-", record.emails[0].split("@")[0].lower()).strip("-")
    if not base:
        base = re.sub(r"[\s/\\.]+", "", unicodedata.normalize("NFC", record.name))[:40] or "contact"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def skeleton(record: Record, today: dt.date, origin: str) -> str:
    """A contact file to complete by hand; only what the export knew, nothing invented."""
    lines = [f"# Imported from {origin} on {today.isoformat()} by kith contacts import.",
             "# Complete it: circle (1 closest ... 5 distant), languages, interests, history;",
             "# then run 'kith contacts check'.", f"name: {quoted(record.name)}"]
    if record.aliases:
        lines.append("aliases: [" + ", ".join(quoted(a) for a in record.aliases) + "]")
    if record.company or record.title:
        org = [f"company: {quoted(record.company)}"] if record.company else []
        org += [f"title: {quoted(record.title)}"] if record.title else []
        lines.append("org: {" + ", ".join(org) + "}")
    channels = [("email", e) for e in record.emails] + record.channels + \
        [("phone", p) for p in record.phones]
    if channels:
        lines.append("channels:")
        lines += [f"  - {{type: {kind}, handle: {quoted(handle)}}}" for kind, handle in channels]
    met = [f"when: {record.met_when}"] if record.met_when else []
    met += [f"where: {quoted(record.met_where)}"] if record.met_where else []
    if met:
        lines.append("how_we_met: {" + ", ".join(met) + "}")
    if record.notes:
        lines.append(f"notes: {quoted(record.notes)}")
    lines += ["circle: 4", f"added: {today.isoformat()}"]
    return "\n".join(lines) + "\n"


def import_files(root: Path, files: Sequence[Path], *, dry_run: bool = False,
                 today: dt.date) -> ImportResult:
    """Read every export, merge duplicates, and write a skeleton per new person."""
    result = ImportResult(dry_run=dry_run)
    records: list[Record] = []
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            result.problems.append(Problem(path.name, 0, f"cannot read it ({why})",
                                           "export again as UTF-8 vCard or CSV"))
            continue
        if "BEGIN:VCARD" in text[:4000].upper():
            records += read_vcards(path, text, result.problems)
        else:
            records += read_csv(path, text, result.problems)
    people, result.merged = merge_records(records)
    folder = root / CONTACTS_DIR
    book = load_book(root) if folder.is_dir() else None
    known = existing_keys(book.contacts.values()) if book else set()
    taken = {f.stem for f in contact_files(folder)[0]} if folder.is_dir() else set()
    for person in people:
        if person.identities() & known:
            result.existing += 1
            continue
        cid = new_id(person, taken)
        text = skeleton(person, today, ", ".join(sorted({p.name for p in files})))
        rel = f"{CONTACTS_DIR}/{cid}.yaml"
        checked: list[Problem] = []
        if parse_contact(cid, rel, load_yaml(text), checked) is None:
            result.problems.append(Problem(person.source, 0, "this record does not make a "
                                           "valid contact; left out", "add it by hand"))
            continue
        known |= person.identities()
        result.written.append(rel)
        if not dry_run:
            folder.mkdir(exist_ok=True)
            with (root / rel).open("x", encoding="utf-8", newline="\n") as out:  # never overwrite
                out.write(text)
    return result
