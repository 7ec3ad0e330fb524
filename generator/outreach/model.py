"""The values the outreach stage hands around. Frozen, like the public build's.

Contacts and touches carry private text, so their ``repr`` shows only the id:
a stray debug print or a traceback must not spill a note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CONTACTS_DIR = "contacts"
LOG_DIR = "log"
ALIASES_FILE = "aliases.yaml"
SETTINGS_FILE = "settings.yaml"

CHANNEL_TYPES = ("email", "wechat", "linkedin", "github", "telegram", "whatsapp", "signal", "x",
                 "mastodon", "bluesky", "phone", "other")
KINDS = ("share", "touch", "chat", "call", "meet", "reply", "skip", "note")
NOT_A_TOUCH = ("note", "skip")
"""Log kinds that do not reset the clock: memory only, or a decision not to send."""


@dataclass(frozen=True)
class Cadence:
    """A wished-for touch interval: ``amount`` days, weeks, months or years."""

    amount: int
    unit: str
    """'d', 'w', 'm' or 'y'."""

    def after(self, day: dt.date) -> dt.date:
        if self.unit == "d":
            return day + dt.timedelta(days=self.amount)
        if self.unit == "w":
            return day + dt.timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit == "y" else 1)
        year, month = divmod(day.month - 1 + months, 12)
        year += day.year
        month += 1
        # Clamp the day: one month after Jan 31 is the last day of February.
        for d in (day.day, 30, 29, 28):
            try:
                return dt.date(year, month, d)
            except ValueError:
                continue
        raise AssertionError("unreachable")

    @property
    def days(self) -> int:
        return {"d": 1, "w": 7, "m": 30, "y": 365}[self.unit] * self.amount

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class Channel:
    type: str
    handle: str
    ok: bool = True
    """False: known, but never to be used for outreach."""


@dataclass(frozen=True)
class Interest:
    topic: str
    weight: int = 1
    """1-3: how much they care."""


@dataclass(frozen=True)
class HistoryItem:
    label: str
    """Quotable in drafts ('our HSBC project'): the first label written."""
    when: str = ""
    tags: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    """(language, label) for a label written per language ({en: ..., zh: ...}); empty
    when ``label`` is the only one and its language is whatever its script says."""


@dataclass(frozen=True, repr=False)
class Contact:
    """One person, from ``contacts/<id>.yaml``."""

    id: str
    path: str
    """Project-relative path of the file, for messages."""
    name: str
    aliases: tuple[str, ...] = ()
    greeting: str = ""
    languages: tuple[str, ...] = ()
    """BCP-47 codes, preferred first; empty means the site language."""
    city: str = ""
    timezone: str = ""
    company: str = ""
    title: str = ""
    channels: tuple[Channel, ...] = ()
    circle: int = 4
    interests: tuple[Interest, ...] = ()
    history: tuple[HistoryItem, ...] = ()
    met_where: str = ""
    met_when: str = ""
    met_via: str = ""
    notes: str = ""
    """Private: used for matching, never quoted in a draft."""
    taste: str = ""
    """Private: never used by the tool beyond showing it to the owner."""
    avoid_topics: tuple[str, ...] = ()
    cadence: Cadence | None = None
    """None: no wished-for interval ('none', or circle 1-2 without a cadence)."""
    last_contacted: dt.date | None = None
    """The seed from memory: a partial date already resolved to the end of its period."""
    do_not_contact: bool = False
    snooze_until: dt.date | None = None
    added: dt.date | None = None
    """When they were added to contacts/: a never-contacted person is due from then."""

    def __repr__(self) -> str:
        return f"Contact({self.id!r})"

    @property
    def channel(self) -> Channel | None:
        """The preferred usable channel, or None."""
        return next((c for c in self.channels if c.ok), None)


@dataclass(frozen=True, repr=False)
class Touch:
    """One line of the interaction log, for one contact."""

    date: dt.date
    """The end of the period for a partial date."""
    contact: str
    kind: str
    post: str = ""
    channel: str = ""
    note: str = ""
    path: str = ""
    line: int = 0

    def __repr__(self) -> str:
        return f"Touch({self.date.isoformat()}, {self.contact!r}, {self.kind!r})"


@dataclass(frozen=True, repr=False)
class Suggestion:
    """One person to send one post to, and why."""

    key: str
    """The post's translation-group key."""
    contact: str
    name: str
    score: float
    """Ranking score: relevance, lowered for language, nudged up when due."""
    relevance: float
    channel: str
    """Channel type to use."""
    handle: str
    link: str
    """Absolute URL of the version in the contact's language."""
    lang: str
    """Language code of the linked version."""
    draft_lang: str
    reasons: tuple[str, ...]
    draft: str
    due: bool = False
    subject: str = ""
    """An email draft's subject line."""

    def __repr__(self) -> str:
        return f"Suggestion({self.key!r}, {self.contact!r}, {self.score:.3f})"
