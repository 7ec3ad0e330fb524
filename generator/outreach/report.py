"""Share lists as data, text, Markdown and a local review page; the private outreach/ folder.

Everything here is private output. It is written only under ``outreach/`` at
the site root, which must never resolve into ``_site/`` or ``content/``
(checked through symlinks), and which gets its own ``.gitignore``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dates import build_time
from ..errors import KithError, Problem
from ..model import Site
from .contacts import CONTACTS_DIR, Book, load_book
from .model import Contact, Suggestion
from .rank import DEFAULT_LIMIT, Post, Ranker, absolute_url

OUTREACH_DIR = "outreach"
PUBLIC_DIRS = ("_site", "content")
RECENT = 3
"""Without POST or --all, `kith share` shows this many of the newest posts not yet shared."""


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


SAMPLE_DIR = f"{CONTACTS_DIR}/sample"


def load_ranker(site: Site, root: Path, today: dt.date,
                contacts_dir: str = CONTACTS_DIR) -> tuple[Ranker, Book]:
    """Contacts checked against this site's posts; raises KithError on any error."""
    keys = {page.key for pages in site.posts.values() for page in pages}
    book = load_book(root, keys, contacts_dir)
    if book.errors:
        raise KithError(book.problems)
    return Ranker(site, book, today), book


def share_lists(ranker: Ranker, posts: Iterable[Post], limit: int = DEFAULT_LIMIT
                ) -> list[tuple[Post, list[Suggestion]]]:
    return [(post, ranker.suggestions(post, limit)) for post in posts]


def unshared(ranker: Ranker, count: int = RECENT) -> list[Post]:
    """The newest posts nobody has been sent yet."""
    shared = {t.post for t in ranker.book.touches if t.kind == "share"}
    return [p for p in ranker.posts.values() if p.key not in shared][:count]


def due_list(ranker: Ranker) -> list[DueEntry]:
    """People due for a touch, most overdue first, each with their single best post."""
    entries = []
    for contact in ranker.book.contacts.values():
        if ranker.person_gate(contact):
            continue
        overdue = ranker.overdue_days(contact)
        if overdue is None:
            continue
        best = ranker.best_post(contact)
        suggestion = ranker.suggest(contact, best[0], best[1]) if best else None
        entries.append(DueEntry(contact, ranker.due(contact)[1], overdue, suggestion))
    entries.sort(key=lambda e: (-e.overdue, e.contact.id))
    return entries


# --- data


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
            "suggestions": [{
                "contact": s.contact, "name": s.name, "score": s.score, "channel": s.channel,
                "link": s.link, "reasons": list(s.reasons), "draft": s.draft,
            } for s in suggestions],
        } for post, suggestions in lists],
    }


def due_json(ranker: Ranker, entries: Sequence[DueEntry]) -> dict[str, Any]:
    return {
        "today": ranker.today.isoformat(),
        "due": [{
            "contact": e.contact.id, "name": e.contact.name, "reason": e.reason,
            "overdue_days": e.overdue,
            "post": e.suggestion.key if e.suggestion else None,
            "link": e.suggestion.link if e.suggestion else None,
            "score": e.suggestion.score if e.suggestion else None,
            "channel": e.suggestion.channel if e.suggestion else None,
            "draft": e.suggestion.draft if e.suggestion else None,
        } for e in entries],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- text


def _date(post: Post) -> str:
    return post.date.date().isoformat() if post.date else "undated"


def _indent(text: str, prefix: str) -> str:
    lines = text.splitlines() or [""]
    return lines[0] + "".join(f"\n{prefix}{line}" for line in lines[1:])


def log_command(s: Suggestion) -> str:
    return f"kith log share {s.contact} --post {s.key} --channel {s.channel}"


def share_text(ranker: Ranker, lists: Sequence[tuple[Post, list[Suggestion]]]) -> str:
    out: list[str] = []
    for post, suggestions in lists:
        out.append(f"{post.key}: “{post.primary.title}” ({_date(post)}, "
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
            out.append("     draft " + _indent(s.draft, pad))
            out.append(f"     then  {log_command(s)}")
        out.append("")
    return "\n".join(out)


def due_text(ranker: Ranker, entries: Sequence[DueEntry]) -> str:
    if not entries:
        return f"nobody is due for a touch on {ranker.today.isoformat()}\n"
    out = [f"due for a touch on {ranker.today.isoformat()}, most overdue first:"]
    for e in entries:
        out.append(f"  {e.contact.name} ({e.contact.id}): {e.reason}")
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


def post_markdown(ranker: Ranker, post: Post, suggestions: Sequence[Suggestion]) -> str:
    lines = [f"# Who might care: {post.primary.title}", "",
             f"- key: `{post.key}`", f"- published: {_date(post)} ({'/'.join(post.langs)})",
             f"- url: {absolute_url(ranker.site, post.primary)}",
             f"- as of: {ranker.today.isoformat()}", "",
             "Private: generated from contacts/. Never publish this file.", ""]
    if not suggestions:
        lines.append("Nobody clears the relevance bar for this post.")
    for n, s in enumerate(suggestions, 1):
        lines += [f"## {n}. {s.name} (`{s.contact}`), score {s.score:.2f}", "",
                  f"- via {s.channel}: {s.handle}", f"- link: {s.link}", "- why:"]
        lines += [f"  - {reason}" for reason in s.reasons]
        lines += ["", "```text", s.draft, "```", "", f"Then: `{log_command(s)}`", ""]
    return "\n".join(lines).rstrip() + "\n"


# --- the review page

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;background:#fff}h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.5rem;
border-top:1px solid #ddd;padding-top:1rem}.card{border:1px solid #ddd;border-radius:6px;
padding:.75rem 1rem;margin:.75rem 0}.meta{color:#555}pre{white-space:pre-wrap;background:#f6f6f6;
padding:.5rem;border-radius:4px}button{font:inherit}.warn{background:#fff4ce;padding:.5rem 1rem;
border-radius:4px}@media(prefers-color-scheme:dark){body{background:#161616;color:#eee}
.card{border-color:#444}pre{background:#222}.meta{color:#aaa}.warn{background:#4a3b00}}
"""
_JS = """
document.addEventListener('click',function(e){var b=e.target;if(!b.dataset||!b.dataset.copy)
return;var t=document.getElementById(b.dataset.copy).textContent;
navigator.clipboard.writeText(t).then(function(){b.textContent='copied';});});
"""


def review_page(ranker: Ranker, lists: Sequence[tuple[Post, list[Suggestion]]],
                due: Sequence[DueEntry]) -> str:
    """One self-contained page: no network, everything escaped."""
    e = html.escape
    counter = 0

    def card(s: Suggestion, heading: str) -> str:
        nonlocal counter
        counter += 1
        reasons = "".join(f"<li>{e(r)}</li>" for r in s.reasons)
        return (f'<div class="card"><h3>{heading}</h3>'
                f'<p class="meta">score {s.score:.2f} · via {e(s.channel)}: {e(s.handle)} · '
                f'<a href="{e(s.link)}" rel="noreferrer">{e(s.link)}</a></p>'
                f"<ul>{reasons}</ul><pre id=\"d{counter}\">{e(s.draft)}</pre>"
                f'<button type="button" data-copy="d{counter}">copy draft</button> '
                f"<code>{e(log_command(s))}</code></div>")

    body = [f"<h1>Who might care · {e(ranker.site.config.title)}</h1>",
            f'<p class="warn">Private: generated from contacts/ on {ranker.today.isoformat()}. '
            "Do not publish or share this page.</p>", "<h2>Due for a touch</h2>"]
    if not due:
        body.append("<p>Nobody is due.</p>")
    for entry in due:
        name = f"{e(entry.contact.name)} ({e(entry.contact.id)})"
        if entry.suggestion:
            post = ranker.posts[entry.suggestion.key]
            body.append(card(entry.suggestion, f"{name}: {e(entry.reason)}<br>"
                             f"best post: {e(post.primary.title)}"))
        else:
            body.append(f'<div class="card"><h3>{name}: {e(entry.reason)}</h3>'
                        "<p>No post clears the bar for them: a personal note beats a link.</p>"
                        "</div>")
    for post, suggestions in lists:
        url = absolute_url(ranker.site, post.primary)
        body.append(f'<h2 id="{e(post.key)}">{e(post.primary.title)}</h2>'
                    f'<p class="meta"><code>{e(post.key)}</code> · {_date(post)} · '
                    f'<a href="{e(url)}" rel="noreferrer">{e(url)}</a></p>')
        if not suggestions:
            body.append("<p>Nobody clears the bar for this post.</p>")
        for n, s in enumerate(suggestions, 1):
            body.append(card(s, f"{n}. {e(s.name)} ({e(s.contact)})"))
    csp = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
           "img-src 'none'; connect-src 'none'")
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            '<meta name="robots" content="noindex,nofollow">'
            '<meta name="referrer" content="no-referrer">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>Who might care (private)</title><style>{_CSS}</style></head><body>"
            + "\n".join(body) + f"<script>{_JS}</script></body></html>\n")


# --- the outreach/ folder


def outreach_dir(root: Path, public: Sequence[Path] = ()) -> Path:
    """root/outreach, refused if it resolves inside (or around) a published folder."""
    folder = root / OUTREACH_DIR
    target = folder.resolve()
    for public_dir in [*(root / name for name in PUBLIC_DIRS), *public]:
        resolved = public_dir.resolve()
        if target == resolved or target.is_relative_to(resolved) or \
                resolved.is_relative_to(target):
            shown = public_dir.name if public_dir.parent == root else str(public_dir)
            raise KithError([Problem(
                OUTREACH_DIR, 0,
                f"outreach/ resolves to {target}, which overlaps {shown}/; private share "
                "lists must never be written where the site is published from",
                "make outreach/ a plain folder at the site root (remove the symlink)")])
    return folder


def _write(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temp, path)


def write_reports(site: Site, root: Path, today: dt.date | None = None, *,
                  public: Sequence[Path] = ()) -> list[str]:
    """Write the private share lists to root/outreach/; return short, non-private lines.

    ``public``: more folders the site is published to (e.g. a --output folder), which
    outreach/ must not overlap. Raises KithError for contacts problems or a bad outreach/.
    """
    folder = outreach_dir(root, public)
    day = today or today_for(site)
    ranker, book = load_ranker(site, root, day)
    note = ""
    if not book.contacts and f"{SAMPLE_DIR}/" in book.skipped:
        # A fresh clone shows the product with the fictional samples, and says so.
        ranker, book = load_ranker(site, root, day, SAMPLE_DIR)
        note = f" from the fictional samples in {SAMPLE_DIR}/ (add your own to {CONTACTS_DIR}/)"
    if not book.contacts:
        left_out = "".join(f"; left out {f} (a separate contacts folder)" for f in book.skipped)
        return [f"outreach: no contacts in {CONTACTS_DIR}/ yet, nothing written{left_out}"]
    lists = share_lists(ranker, ranker.posts.values())
    due = due_list(ranker)
    folder.mkdir(exist_ok=True)
    _write(folder / ".gitignore", "# Private share lists generated by kith: never commit.\n*\n")
    written = set()
    for post, suggestions in lists:
        name = f"{post.key}.md"
        _write(folder / name, post_markdown(ranker, post, suggestions))
        written.add(name)
    for stale in folder.glob("*.md"):
        if stale.name not in written:
            stale.unlink()
    _write(folder / "share.json", dumps(share_json(ranker, lists)))
    _write(folder / "index.html", review_page(ranker, lists, due))
    suggested = sum(len(s) for _, s in lists)
    with_people = sum(1 for _, s in lists if s)
    return [f"outreach: {len(lists)} share lists in {OUTREACH_DIR}/ (private): {suggested} "
            f"suggestions for {with_people} posts; {len(due)} people due for a touch{note}"]
