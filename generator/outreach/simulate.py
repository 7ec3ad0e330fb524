"""A year of weekly plans, replayed: what the cadence rules do over time.

``simulate`` runs ``kith plan`` once a week from ``start``, and after each plan
acts as a scripted writer would: every suggested post is logged as a ``share``
and every personal note as a ``touch`` (on the plan's day), and a scripted
set of people reply a few days later. Posts appear on their own dates. It
checks, week by week, what the plan promises:

- the plan is never over its size;
- nobody is suggested inside half their cadence after a share they did not
  answer;
- no core person (circle 1-2, reachable) is overdue by more than a week at
  any plan, once the backlog of the first weeks is cleared.

It writes nothing: the log lives in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..model import Site
from .contacts import Book
from .model import Touch
from .plan import CORE, weekly_plan
from .rank import Ranker
from .schedule import MIN_HOLD_DAYS

GRACE_DAYS = 7
"""A plan runs weekly: someone who falls due on a Tuesday is in next Monday's plan."""


@dataclass
class YearResult:
    weeks: int = 0
    planned: int = 0
    shares: int = 0
    notes: int = 0
    replies: int = 0
    largest_plan: int = 0
    core_max_overdue: int = 0
    """The most days any reachable core person was overdue at a plan, after the warm-up."""
    core_touches: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        core = sorted(self.core_touches.values())
        return (f"{self.weeks} weeks: {self.planned} people planned ({self.shares} shares, "
                f"{self.notes} personal notes), {self.replies} replies; largest plan "
                f"{self.largest_plan}; core people overdue at most {self.core_max_overdue} days "
                f"after the warm-up; touches per core person {core[0] if core else 0}-"
                f"{core[-1] if core else 0}; {len(self.violations)} rule violations")


def simulate(site: Site, book: Book, start: dt.date, weeks: int, size: int,
             replies: Callable[[str, int], bool], warmup: int = 4) -> YearResult:
    """Replay ``weeks`` weekly plans; ``replies(contact, week)`` says who answers a share."""
    result = YearResult()
    log = list(book.touches)
    for week in range(weeks):
        today = start + dt.timedelta(weeks=week)
        ranker = Ranker(site, replace(book, touches=tuple(log)), today)
        for key in [k for k, p in ranker.posts.items() if p.date and p.date.date() > today]:
            del ranker.posts[key]  # not written yet
        ranker._candidates.clear()
        if week >= warmup:
            _check_core(ranker, today, result)
        plan = weekly_plan(ranker, size)
        result.weeks += 1
        result.planned += len(plan)
        result.largest_plan = max(result.largest_plan, len(plan))
        if len(plan) > size:
            result.violations.append(f"{today}: plan of {len(plan)} > {size}")
        for entry in plan:
            contact = entry.contact
            if contact.circle in CORE:
                result.core_touches[contact.id] = result.core_touches.get(contact.id, 0) + 1
            if entry.suggestion is None:
                log.append(Touch(today, contact.id, "touch", channel=entry.channel))
                result.notes += 1
                continue
            _check_hold(ranker, contact.id, today, result)
            log.append(Touch(today, contact.id, "share", post=entry.suggestion.key,
                             channel=entry.channel))
            result.shares += 1
            if replies(contact.id, week):
                log.append(Touch(today + dt.timedelta(days=3), contact.id, "reply"))
                result.replies += 1
    return result


def _check_core(ranker: Ranker, today: dt.date, result: YearResult) -> None:
    for contact in ranker.book.contacts.values():
        if contact.circle not in CORE or contact.do_not_contact or contact.channel is None or \
                (contact.snooze_until and contact.snooze_until > today):
            continue
        standing = ranker.schedule.standing(contact)
        if standing.overdue is not None:
            result.core_max_overdue = max(result.core_max_overdue, standing.overdue)
            if standing.overdue > GRACE_DAYS:
                result.violations.append(f"{today}: {contact.id} overdue by {standing.overdue}")


def _check_hold(ranker: Ranker, cid: str, today: dt.date, result: YearResult) -> None:
    contact = ranker.book.contacts[cid]
    touches = ranker.schedule.of(cid)
    shares = [t.date for t in touches if t.kind == "share"]
    if not shares:
        return
    last = max(shares)
    if any(t.kind == "reply" and t.date >= last for t in touches):
        return
    half = MIN_HOLD_DAYS if contact.cadence is None else max(MIN_HOLD_DAYS,
                                                             contact.cadence.days // 2)
    if (today - last).days < half:
        result.violations.append(f"{today}: {cid} suggested {(today - last).days} days after "
                                 f"an unanswered share")
