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
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_CADENCE = re.compile(r"^(\d{1,4})\s*([dwmy])$")

DATE_FORMS = "a date (2024-05-31), a month (2024-05), a year (2024) or a quarter (2024-Q2)"


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
        if m := _FULL.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        if m := _QUARTER.match(text):
            year, month = int(m[1]), int(m[2]) * 3
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        if m := _YEAR.match(text):
            return dt.date(int(m[1]), 12, 31)
    except ValueError:
        raise ValueError("not a real date") from None
    raise ValueError(f"expected {DATE_FORMS}")


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


DEFAULT_CADENCE = {1: None, 2: None, 3: Cadence(6, "m"), 4: Cadence(12, "m"), 5: Cadence(24, "m")}
"""From the contact's circle: the closest people need no reminder."""


def ago(days: int) -> str:
    """'3 days', '5 months', '2 years': rough, for reasons."""
    if days < 60:
        return f"{days} day{'s' * (days != 1)}"
    if days < 730:
        months = round(days / 30.4)
        return f"{months} months"
    return f"{days / 365:.1f} years".replace(".0 ", " ")
