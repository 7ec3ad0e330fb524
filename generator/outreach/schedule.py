"""When to be in touch: cadence, due dates and holding back after a share.

The rules, as docs/outreach.md states them:

- **Last touch** is the latest of ``last_contacted`` (a partial date means the
  end of its period) and every log entry up to today that is not a ``note``
  or a ``skip``; a reply counts.
- **Cadence** is the contact's own, else their circle's default (circles 1-2
  about six months: a micro-touch twice a year for the core; 3: six months;
  4: a year; 5: two years; ``contacts/settings.yaml`` may change these);
  ``cadence: none`` means never due.
- **Due** on last touch + cadence. Someone never contacted is due from the day
  they were added (``added:``), or from today when that is not known.
- **Held back**: a ``share`` (a link sent) holds a person
  back for half their cadence (at least 30 days) unless they replied after it:
  nobody gets link after link while their last one is unanswered.
- ``snooze_until`` and ``do_not_contact`` stop everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import NOT_A_TOUCH, Cadence, Contact, Touch
from .periods import ago

ONE_WAY = ("share",)
"""A shared link waits for an answer: it holds a person back until they reply. A `touch`
(a birthday note, a hello) resets the clock but holds nobody back."""
MIN_HOLD_DAYS = 30


@dataclass(frozen=True)
class Standing:
    """One person's place in the schedule on one day."""

    last_touch: dt.date | None
    due_on: dt.date | None
    """None: no cadence, never due."""
    held_until: dt.date | None
    """After a one-way message without a reply: not suggested before this day."""
    overdue: int | None
    """Days past ``due_on`` (0 on the day), None when not due."""
    cadence: Cadence | None

    @property
    def urgency(self) -> float:
        """How overdue, as a share of the cadence (0 on the due day)."""
        if self.overdue is None or self.cadence is None:
            return 0.0
        return self.overdue / self.cadence.days

    def reason(self, today: dt.date) -> str:
        """The schedule in words, for reasons and the plan."""
        if self.last_touch is None:
            since = "never contacted"
        else:
            since = f"last touch {self.last_touch.isoformat()} " \
                    f"({ago((today - self.last_touch).days)} ago)"
        if self.cadence is None:
            return since
        if self.overdue is None:
            return f"{since}; not due until {self.due_on.isoformat() if self.due_on else '-'}"
        if self.last_touch is None:
            return f"{since}; due since they were added (every {self.cadence})" if \
                self.overdue else f"{since}; due from today (every {self.cadence})"
        return f"{since}; due for a touch (every {self.cadence}), " + (
            f"overdue by {ago(self.overdue)}" if self.overdue else "from today")


class Schedule:
    """Everyone's standing as of ``today``, from their files and the log."""

    def __init__(self, touches: Iterable[Touch], today: dt.date) -> None:
        self.today = today
        self.touches: dict[str, list[Touch]] = {}
        for touch in sorted(touches, key=lambda t: (t.date, t.path, t.line)):
            if touch.date <= today:
                self.touches.setdefault(touch.contact, []).append(touch)

    def of(self, contact_id: str) -> list[Touch]:
        return self.touches.get(contact_id, [])

    def last_touch(self, contact: Contact) -> dt.date | None:
        dates = [t.date for t in self.of(contact.id) if t.kind not in NOT_A_TOUCH]
        if contact.last_contacted and contact.last_contacted <= self.today:
            dates.append(contact.last_contacted)
        return max(dates, default=None)

    def held_until(self, contact: Contact) -> dt.date | None:
        """The day a one-way message stops holding this person back (None: not held)."""
        touches = self.of(contact.id)
        sent = [t.date for t in touches if t.kind in ONE_WAY]
        if not sent:
            return None
        last = max(sent)
        if any(t.kind == "reply" and t.date >= last for t in touches):
            return None
        days = MIN_HOLD_DAYS if contact.cadence is None else \
            max(MIN_HOLD_DAYS, contact.cadence.days // 2)
        until = last + dt.timedelta(days=days)
        return until if until > self.today else None

    def standing(self, contact: Contact) -> Standing:
        last = self.last_touch(contact)
        cadence = contact.cadence
        due_on = None
        if cadence is not None:
            if last is not None:
                due_on = cadence.after(last)
            else:
                due_on = min(contact.added, self.today) if contact.added else self.today
        overdue = (self.today - due_on).days if due_on and due_on <= self.today else None
        return Standing(last, due_on, self.held_until(contact), overdue, cadence)

    def gate(self, contact: Contact) -> str:
        """Why nobody should contact this person now ('' when nothing stops it)."""
        if contact.do_not_contact:
            return "do_not_contact"
        if contact.snooze_until and contact.snooze_until > self.today:
            return "snoozed"
        if contact.channel is None:
            return "no usable channel"
        held = self.held_until(contact)
        if held is not None:
            return f"held back until {held.isoformat()} (a message without a reply yet)"
        return ""

    def already(self, contact_id: str) -> Mapping[str, str]:
        """post key -> 'shared' or 'skipped', for posts already decided for this person."""
        return {t.post: "shared" if t.kind == "share" else "skipped"
                for t in self.of(contact_id) if t.kind in ("share", "skip") and t.post}
