"""Which pages are published: drafts and future-dated pages stay out unless asked for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .dates import build_time
from .model import Page


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str
    """'draft' or 'future-dated YYYY-MM-DD'."""
    hint: str


def select_pages(pages: Iterable[Page], *, drafts: bool, future: bool
                 ) -> tuple[list[Page], tuple[Skipped, ...]]:
    """Leave out drafts and future-dated pages unless asked for."""
    now = build_time()
    kept, skipped = [], []
    for page in pages:
        if page.draft and not drafts:
            skipped.append(Skipped(page.source, "draft", "--drafts includes it"))
        elif page.date is not None and page.date > now and not future:
            skipped.append(Skipped(page.source, f"future-dated {page.date.date().isoformat()}",
                                   "--future includes it"))
        else:
            kept.append(page)
    return kept, tuple(skipped)


def left_out(skipped: Iterable[Skipped]) -> dict[str, tuple[str, str]]:
    """Source -> (reason, hint) of the pages a build leaves out, for the link check."""
    return {s.source: (s.reason, s.hint) for s in skipped}
