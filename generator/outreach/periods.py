"""Dates as people remember them, and touch intervals.

A partial date means the END of its period: 'last talked 2024-Q2' means we
cannot be sure of anything later than June 30, so due-ness is never overstated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .model import Cadence

_FULL = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[-/ ]?[Qq]([1-4])$|^[Qq]([1-4])[-/ ]?(\d{4})$")
_HALF = re.compile(r"^(\d{4})[-/ ]?[Hh]([12])$|^[Hh]([12])[-/ ]?(\d{4})$")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})(?:/(\d{1,2}))?$")
_YEAR = re.compile(r"^(\d{4})$")
_CADENCE = re.compile(r"^(\d{1,4})\s*([dwmy])$")

DATE_FORMS = ("a date (2024-05-31), a month (2024-05), a year (2024), a quarter (2024-Q2 or "
              "Q2 2024) or a half (2024-H1)")


def parse_partial(value: object) -> dt.date:
    """'2024-05-31', '2024-05', '2024', '2024-Q2' -> the last day they can mean.

    Raises ValueError without quoting the value (it may be private).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) \
        else ""
    try:
        if m := _FULL.match(text) or _SLASHED.match(text):
            if m[3] is None:  # 2024/05
                return _month_end(int(m[1]), int(m[2]))
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH.match(text):
            return _month_end(int(m[1]), int(m[2]))
        if m := _QUARTER.match(text):
            year, quarter = (m[1], m[2]) if m[1] else (m[4], m[3])
            return _month_end(int(year), int(quarter) * 3)
        if m := _HALF.match(text):
            year, half = (m[1], m[2]) if m[1] else (m[4], m[3])
            return _month_end(int(year), int(half) * 6)
        if m := _YEAR.match(text):
            return dt.date(int(m[1]), 12, 31)
    except ValueError:
        raise ValueError("not a real date") from None
    raise ValueError(f"expected {DATE_FORMS}")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_full(value: object) -> dt.date:
    """A whole date only (for snooze_until and --date)."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _FULL.match(value.strip()):
        return parse_partial(value)
    raise ValueError("expected a date like 2026-01-31")


def parse_cadence(value: object) -> Cadence | None:
    """'30d', '2w', '6m', '1y' or 'none' (-> None). Raises ValueError."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "none":
            return None
        if m := _CADENCE.match(text):
            amount = int(m[1])
            if amount > 0:
                return Cadence(amount, m[2])
    raise ValueError("expected a duration like 30d, 6m or 1y, or none")


DEFAULT_CADENCE = {1: Cadence(6, "m"), 2: Cadence(6, "m"), 3: Cadence(6, "m"),
                   4: Cadence(12, "m"), 5: Cadence(24, "m")}
"""From the contact's circle. The core (1-2) get a micro-touch about every six months:
that is the writer's own rule. contacts/settings.yaml may change any of these."""


def ago(days: int) -> str:
    """'3 days', '5 months', '2 years': rough, for reasons."""
    if days < 60:
        return f"{days} day{'s' * (days != 1)}"
    if days < 730:
        months = round(days / 30.4)
        return f"{months} months"
    return f"{days / 365:.1f} years".replace(".0 ", " ")
