"""Share lists and the weekly plan as data, text and Markdown (folder.py writes them).

Everything here is private output: it goes to stdout or, through folder.py,
to the private ``outreach/`` folder.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dates import build_time
from ..errors import KithError
from ..model import Site
from .contacts import Book, contact_files, load_book
from .model import CONTACTS_DIR, Contact, Suggestion
from .plan import PlanEntry, candidates, log_command
from .rank import DEFAULT_LIMIT, Post, Ranker, absolute_url

RECENT = 3
"""Without POST or --all, `kith share` shows this many of the newest posts with someone
still to tell."""
SAMPLE_DIR = f"{CONTACTS_DIR}/sample"


@dataclass(frozen=True)
class DueEntry:
    contact: Contact
    reason: str
    overdue: int
    """Days past their cadence."""
    suggestion: Suggestion | None
    """The single best post for them, or None when nothing clears the bar."""


def today_for(site: Site) -> dt.date:
    """'Today' in the site's time zone (honours SOURCE_DATE_EPOCH, like the build)."""
    return build_time().astimezone(site.config.tz).date()


def contacts_folder(root: Path) -> tuple[str, str]:
    """(contacts folder to read, a note saying so when it is the fictional samples).

    A fresh clone has no contacts of its own, only contacts/sample/: every command
    then uses the samples, and says so, so that the build, `share`, `due` and `plan`
    agree with each other.
    """
    own = root / CONTACTS_DIR
    if own.is_dir() and not contact_files(own)[0] and (root / SAMPLE_DIR).is_dir():
        return SAMPLE_DIR, (f"using the fictional samples in {SAMPLE_DIR}/: add your own "
                            f"contacts to {CONTACTS_DIR}/ (see {CONTACTS_DIR}/README.md)")
    return CONTACTS_DIR, ""


def load_ranker(site: Site, root: Path, today: dt.date) -> tuple[Ranker, Book, str]:
    """Contacts checked against this site's posts. A broken contact file is left out (its
    problems are in ``book.problems``); only a missing contacts/ folder is an error."""
    folder, note = contacts_folder(root)
    keys = {page.key for pages in site.posts.values() for page in pages}
    book = load_book(root, keys, folder, today)
    if not (root / folder).is_dir():
        raise KithError(book.problems)
    return Ranker(site, book, today), book, note


def share_lists(ranker: Ranker, posts: Iterable[Post], limit: int = DEFAULT_LIMIT
                ) -> list[tuple[Post, list[Suggestion]]]:
    return [(post, ranker.suggestions(post, limit)) for post in posts]


def unshared(ranker: Ranker, count: int = RECENT) -> list[Post]:
    """The newest posts that still have someone to tell: one share does not hide a post
    from the better-matched people who never got it."""
    found = []
    for post in ranker.posts.values():
        if ranker.suggestions(post, 1):
            found.append(post)
            if len(found) == count:
                break
    return found


def due_list(ranker: Ranker) -> list[DueEntry]:
    """People due for a touch, in the weekly plan's order (core first, then the longer
    overdue), each with their single best post."""
    entries = []
    for contact, standing in candidates(ranker):
        best = ranker.best_post(contact)
        suggestion = ranker.suggest(contact, *best) if best else None
        entries.append(DueEntry(contact, standing.reason(ranker.today), standing.overdue or 0,
                                suggestion))
    return entries


# --- data


def _suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {"contact": s.contact, "name": s.name, "score": s.score, "channel": s.channel,
            "link": s.link, "reasons": list(s.reasons), "draft": s.draft,
            "subject": s.subject or None, "lang": s.draft_lang}


def share_json(ranker: Ranker, lists: Sequence[tuple[Post, list[Suggestion]]]) -> dict[str, Any]:
    """The `kith share --json` shape that other tools rely on."""
    site = ranker.site
    return {
        "today": ranker.today.isoformat(),
        "posts": [{
            "key": post.key,
            "source": post.primary.source,
            "title": post.primary.title,
            "url": absolute_url(site, post.primary),
            "suggestions": [_suggestion_json(s) for s in suggestions],
        } for post, suggestions in lists],
    }


def due_json(ranker: Ranker, entries: Sequence[DueEntry]) -> dict[str, Any]:
    return {
        "today": ranker.today.isoformat(),
        "due": [{
            "contact": e.contact.id, "name": e.contact.name, "circle": e.contact.circle,
            "reason": e.reason, "overdue_days": e.overdue,
            "post": e.suggestion.key if e.suggestion else None,
            "link": e.suggestion.link if e.suggestion else None,
            "score": e.suggestion.score if e.suggestion else None,
            "channel": e.suggestion.channel if e.suggestion else None,
            "draft": e.suggestion.draft if e.suggestion else None,
        } for e in entries],
    }


def plan_json(ranker: Ranker, entries: Sequence[PlanEntry]) -> dict[str, Any]:
    return {
        "today": ranker.today.isoformat(),
        "plan": [{
            "contact": e.contact.id, "name": e.contact.name, "circle": e.contact.circle,
            "why_now": e.why_now, "channel": e.channel,
            "post": e.suggestion.key if e.suggestion else None,
            "title": ranker.posts[e.suggestion.key].primary.title if e.suggestion else None,
            "link": e.suggestion.link if e.suggestion else None,
            "reasons": list(e.suggestion.reasons[:-1]) if e.suggestion else [],
            "draft": e.suggestion.draft if e.suggestion else e.note,
            "subject": (e.suggestion.subject or None) if e.suggestion else None,
            "lang": e.suggestion.draft_lang if e.suggestion else e.note_lang or None,
            "command": e.command,
        } for e in entries],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- text


def post_date(post: Post) -> str:
    return post.date.date().isoformat() if post.date else "undated"


def _indent(text: str, prefix: str) -> str:
    lines = text.splitlines() or [""]
    return lines[0] + "".join(f"\n{prefix}{line}" for line in lines[1:])


def share_text(ranker: Ranker, lists: Sequence[tuple[Post, list[Suggestion]]]) -> str:
    out: list[str] = []
    for post, suggestions in lists:
        out.append(f"{post.key}: “{post.primary.title}” ({post_date(post)}, "
                   f"{'/'.join(post.langs)})")
        out.append(f"  {absolute_url(ranker.site, post.primary)}")
        if not suggestions:
            out.append("  nobody clears the bar for this post")
        for n, s in enumerate(suggestions, 1):
            pad = " " * 11
            out.append(f"  {n}. {s.name} ({s.contact})  score {s.score:.2f}  "
                       f"via {s.channel}: {s.handle}")
            out.append(f"     link  {s.link}")
            out.append("     why   " + f"\n{pad}".join(s.reasons))
            if s.subject:
                out.append(f"     subj  {s.subject}")
            out.append("     draft " + _indent(s.draft, pad))
            out.append(f"     then  {log_command(s)}")
        out.append("")
    return "\n".join(out)


def due_text(ranker: Ranker, entries: Sequence[DueEntry]) -> str:
    if not entries:
        return (f"nobody is due for a touch on {ranker.today.isoformat()} "
                f"({_nobody_why(ranker)})\n")
    out = [f"due for a touch on {ranker.today.isoformat()}, core circles first "
           f"({len(entries)}; 'kith plan' picks this week's few):"]
    for e in entries:
        out.append(f"  {e.contact.name} ({e.contact.id}, circle {e.contact.circle}): {e.reason}")
        s = e.suggestion
        if s is None:
            out.append("     no post clears the bar for them: a personal note beats a link")
            continue
        post = ranker.posts[s.key]
        out.append(f"     best post  {s.key}: “{post.primary.title}” (score {s.score:.2f})")
        out.append(f"     via        {s.channel}: {s.handle}")
        out.append(f"     link       {s.link}")
        out.append("     draft      " + _indent(s.draft, " " * 16))
        out.append(f"     then       {log_command(s)}")
    return "\n".join(out) + "\n"


def plan_text(ranker: Ranker, entries: Sequence[PlanEntry], size: int) -> str:
    if not entries:
        return (f"nobody to get in touch with this week ({ranker.today.isoformat()}): "
                f"{_nobody_why(ranker)}\n")
    out = [f"this week ({ranker.today.isoformat()}): {len(entries)} of at most {size}, "
           "core circles first"]
    for n, e in enumerate(entries, 1):
        pad = " " * 11
        out.append(f"{n}. {e.contact.name} ({e.contact.id}, circle {e.contact.circle}) "
                   f"via {e.channel}")
        out.append(f"     when  {e.why_now}")
        s = e.suggestion
        if s is None:
            out.append("     post  none fits: a personal note")
            out.append("     draft " + _indent(e.note, pad))
        else:
            out.append(f"     post  {s.key}: “{ranker.posts[s.key].primary.title}”")
            out.append(f"     link  {s.link}")
            out.append("     why   " + f"\n{pad}".join(s.reasons[:-1] or ("-",)))
            if s.subject:
                out.append(f"     subj  {s.subject}")
            out.append("     draft " + _indent(s.draft, pad))
        out.append(f"     then  {e.command}")
    return "\n".join(out) + "\n"


def _nobody_why(ranker: Ranker) -> str:
    """Why a list is empty, in counts only (never a name)."""
    book = ranker.book
    if not book.contacts:
        left = f"; {len(book.left_out)} contact files left out (run 'kith contacts check')" \
            if book.left_out else ""
        return f"no contacts in {book.folder}/{left}"
    gated: dict[str, int] = {}
    due = no_post = 0
    for contact in book.contacts.values():
        gate = ranker.person_gate(contact)
        if gate:
            key = gate.split(" (")[0].split(" until")[0]
            gated[key] = gated.get(key, 0) + 1
        elif ranker.schedule.standing(contact).overdue is not None:
            due += 1
            no_post += contact.circle > 2 and ranker.best_post(contact) is None
    parts = [f"{len(book.contacts)} contacts", f"{due} due"]
    if no_post:
        parts[-1] += (f" ({no_post} with no post that fits them; only circles 1-2 get a "
                      "personal note)")
    parts += [f"{n} {why}" for why, n in sorted(gated.items())]
    return ", ".join(parts)


def post_markdown(ranker: Ranker, post: Post, suggestions: Sequence[Suggestion]) -> str:
    lines = [f"# Who might care: {post.primary.title}", "",
             f"- key: `{post.key}`", f"- published: {post_date(post)} ({'/'.join(post.langs)})",
             f"- url: {absolute_url(ranker.site, post.primary)}",
             f"- as of: {ranker.today.isoformat()}", "",
             "Private: generated from contacts/. Never publish this file.", ""]
    if not suggestions:
        lines.append("Nobody clears the relevance bar for this post.")
    for n, s in enumerate(suggestions, 1):
        lines += [f"## {n}. {s.name} (`{s.contact}`), score {s.score:.2f}", "",
                  f"- via {s.channel}: {s.handle}", f"- link: {s.link}", "- why:"]
        lines += [f"  - {reason}" for reason in s.reasons]
        if s.subject:
            lines += [f"- subject: {s.subject}"]
        lines += ["", "```text", s.draft, "```", "", f"Then: `{log_command(s)}`", ""]
    return "\n".join(lines).rstrip() + "\n"
