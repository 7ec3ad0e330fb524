"""Dates as writers write them: a date means midnight in the site's time zone."""

from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def zone(name: str) -> dt.tzinfo:
    """An IANA zone; raises ValueError for unknown names."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(name) from None


def parse_datetime(value: object, tz: dt.tzinfo) -> dt.datetime:
    """Parse a front matter date: date -> midnight in ``tz``; offsets are kept.

    Raises ValueError with a short reason.
    """
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise ValueError("expected a date like 2026-01-31 or 2026-01-31 09:30 +08:00")
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError("expected a date like 2026-01-31 or 2026-01-31 09:30 +08:00")
    year, month, day, hour, minute, second, offset = m.groups()
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        # A day at either end of the calendar cannot move to another time zone.
        raise ValueError(f"year {int(year)} is out of range ({FIRST_YEAR} to {LAST_YEAR})")
    try:
        when = dt.datetime(int(year), int(month), int(day), int(hour or 0),
                           int(minute or 0), int(second or 0))
    except ValueError as exc:
        raise ValueError(f"not a real date ({exc})") from None
    if offset is None:
        return when.replace(tzinfo=tz)
    if offset == "Z":
        return when.replace(tzinfo=dt.UTC)
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"time zone offset {offset} is out of range (-23:59 to +23:59)")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return when.replace(tzinfo=dt.timezone(sign * delta))


FIRST_YEAR, LAST_YEAR = 2, 9998


def build_time() -> dt.datetime:
    """'Now' for deciding what is future-dated; honours SOURCE_DATE_EPOCH."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)
