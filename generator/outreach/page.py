"""The private review page: this week first, a card per person, details on demand.

``outreach/index.html`` stays small however many posts the site has (under
300 KB at 3,000 posts): this week's plan, one card per person with their
best few posts, and the newest posts. Every post's full list, with drafts,
is a page of its own (``outreach/posts/<key>.html``), and ``posts.html``
lists them all. Filters by circle and channel, copy buttons for drafts and
log commands, ``lang`` on every draft. Self-contained: everything escaped,
a Content-Security-Policy that blocks all network access, no external file.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import quote

from .model import Contact, Suggestion
from .plan import PlanEntry, log_command
from .rank import Post, Ranker, absolute_url
from .report import post_date

RECENT_POSTS = 30
PER_PERSON = 3
LANG_TAGS = {"en": "en", "zh": "zh-Hans", "zh-hant": "zh-Hant", "ja": "ja"}

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:64rem;margin:1.5rem auto;padding:0 1rem;
color:#1b1b1b;background:#fff}h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;
border-top:1px solid #ccc;padding-top:1rem}h3{font-size:1.05rem;margin:.2rem 0}
.card{border:1px solid #bbb;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
.meta{color:#4a4a4a}pre{white-space:pre-wrap;background:#f3f3f3;padding:.5rem;border-radius:4px;
margin:.4rem 0}code{background:#f3f3f3;padding:0 .2rem}
button{font:inherit;margin:.2rem .4rem .2rem 0}
.warn{background:#fff4ce;padding:.5rem 1rem;border-radius:4px}.filters{display:flex;gap:1rem;
flex-wrap:wrap;align-items:center}ul.posts{padding-left:1.2rem}a{color:#0645ad}
@media(prefers-color-scheme:dark){body{background:#161616;color:#eee}.card{border-color:#555}
pre,code{background:#262626}.meta{color:#c8c8c8}.warn{background:#4a3b00}a{color:#8ab4f8}}
"""
_JS = """
document.addEventListener('click',function(e){var b=e.target;if(!b.dataset||!b.dataset.copy)
return;var t=document.getElementById(b.dataset.copy).textContent;
navigator.clipboard.writeText(t).then(function(){b.textContent='copied';});});
function kithFilter(){var c=document.getElementById('f-circle'),
h=document.getElementById('f-channel');
if(!c)return;document.querySelectorAll('[data-circle]').forEach(function(el){
var ok=(!c.value||el.dataset.circle===c.value)&&(!h.value||el.dataset.channel===h.value);
el.hidden=!ok;});}
document.addEventListener('change',kithFilter);
"""
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "img-src 'none'; connect-src 'none'; form-action 'none'")


def _page(title: str, body: Sequence[str], heading: str, when: str) -> str:
    e = html.escape
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="robots" content="noindex,nofollow">'
            '<meta name="referrer" content="no-referrer">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{e(title)} (private)</title><style>{_CSS}</style></head><body><main>"
            f"<h1>{heading}</h1>"
            f'<p class="warn">Private: generated from contacts/ on {when}. '
            "Do not publish or share this page.</p>"
            + "\n".join(body) + f"</main><script>{_JS}</script></body></html>\n")


class _Ids:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"c{self.n}"


def _copyable(text: str, lang: str, label: str, ids: _Ids, tag: str = "pre") -> str:
    e = html.escape
    ident = ids.next()
    lang_attr = f' lang="{LANG_TAGS.get(lang, lang)}"' if lang else ""
    return (f'<{tag} id="{ident}"{lang_attr}>{e(text)}</{tag}>'
            f'<button type="button" data-copy="{ident}">copy {label}</button>')


def _suggestion_card(s: Suggestion, heading: str, ids: _Ids, circle: int) -> str:
    e = html.escape
    reasons = "".join(f"<li>{e(r)}</li>" for r in s.reasons)
    subject = f'<p>Subject: {_copyable(s.subject, s.draft_lang, "subject", ids, "span")}</p>' \
        if s.subject else ""
    return (f'<div class="card" data-circle="{circle}" data-channel="{e(s.channel)}">'
            f"<h3>{heading}</h3>"
            f'<p class="meta">score {s.score:.2f} · via {e(s.channel)}: {e(s.handle)} · '
            f'<a href="{e(s.link)}" rel="noreferrer">{e(s.link)}</a></p>'
            f"<ul>{reasons}</ul>{subject}{_copyable(s.draft, s.draft_lang, 'draft', ids)}"
            f"{_copyable(log_command(s), '', 'log command', ids, 'code')}</div>")


def _plan_card(ranker: Ranker, entry: PlanEntry, n: int, ids: _Ids) -> str:
    e = html.escape
    c = entry.contact
    heading = f"{n}. {e(c.name)} <span class=\"meta\">({e(c.id)}, circle {c.circle})</span>"
    if entry.suggestion is not None:
        post = ranker.posts[entry.suggestion.key]
        # 'when' is in the heading already: the reasons do not say it again.
        shown = replace(entry.suggestion, reasons=tuple(
            r for r in entry.suggestion.reasons if r != entry.why_now))
        return _suggestion_card(shown, f"{heading}<br>{e(entry.why_now)}<br>"
                                f"post: {e(post.primary.title)}", ids, c.circle)
    lang = entry.note_lang
    return (f'<div class="card" data-circle="{c.circle}" data-channel="{e(entry.channel)}">'
            f"<h3>{heading}</h3><p>{e(entry.why_now)}. No post fits them: a personal note "
            f"beats a link.</p>{_copyable(entry.note, lang, 'note', ids)}"
            f"{_copyable(entry.command, '', 'log command', ids, 'code')}</div>")


def _person_card(ranker: Ranker, contact: Contact, listed: set[str]) -> str:
    """Their best posts, whether or not they made a post's top five (found: a friend in
    this week's plan with a post was shown 'No post clears the bar')."""
    e = html.escape
    gate = ranker.person_gate(contact)
    standing = gate or ranker.schedule.standing(contact).reason(ranker.today)
    channel = contact.channel.type if contact.channel else ""
    items = []
    for post, rel in [] if gate else ranker.best_posts(contact, PER_PERSON):
        anchor = f"#{quote(contact.id)}" if post.key in listed else ""
        below = "" if anchor else " · below the post's top five"
        items.append(f'<li><a href="{_href(post.key)}{anchor}">{e(post.primary.title)}</a> '
                     f"({ranker.score(contact, rel):.2f}{below})</li>")
    posts = f'<ul class="posts">{"".join(items)}</ul>' if items else \
        "<p>No post clears the bar.</p>"
    return (f'<div class="card" data-circle="{contact.circle}" data-channel="{e(channel)}">'
            f"<h3>{e(contact.name)} <span class=\"meta\">({e(contact.id)}, circle "
            f"{contact.circle}, {e(channel or 'no channel')})</span></h3>"
            f'<p class="meta">{e(standing)}</p>{posts}</div>')


def _filters(ranker: Ranker) -> str:
    channels = sorted({c.channel.type for c in ranker.book.contacts.values() if c.channel})
    circle = "".join(f'<option value="{n}">{n}</option>' for n in range(1, 6))
    channel = "".join(f'<option value="{html.escape(c)}">{html.escape(c)}</option>'
                      for c in channels)
    return ('<div class="filters" role="group" aria-label="filters">'
            '<label for="f-circle">circle</label><select id="f-circle">'
            f'<option value="">all</option>{circle}</select>'
            '<label for="f-channel">channel</label><select id="f-channel">'
            f'<option value="">all</option>{channel}</select></div>')


def _file(key: str) -> str:
    """A post's page name: its key, letters of any script kept (读书笔记.html). Anything
    else is replaced and a short digest of the key added, so that two keys never share a
    page: found with two Chinese keys that both became ____.html."""
    name = re.sub(r"[^\w.-]", "_", key).lstrip(".") or "_"
    if name != key:
        name += "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return name


def _href(key: str) -> str:
    return "posts/" + quote(_file(key)) + ".html"


def index_page(ranker: Ranker, lists: Sequence[tuple[Post, list[Suggestion]]],
               plan: Sequence[PlanEntry]) -> str:
    e = html.escape
    ids = _Ids()
    body = [_filters(ranker), f"<h2>This week ({len(plan)} people)</h2>"]
    if not plan:
        body.append("<p>Nobody to get in touch with this week.</p>")
    body += [_plan_card(ranker, entry, n, ids) for n, entry in enumerate(plan, 1)]
    listed: dict[str, set[str]] = {}
    for _, suggestions in lists:
        for s in suggestions:
            listed.setdefault(s.contact, set()).add(s.key)
    body.append(f"<h2>People ({len(ranker.book.contacts)}, closest first)</h2>")
    for contact in sorted(ranker.book.contacts.values(), key=lambda c: (c.circle, c.id)):
        body.append(_person_card(ranker, contact, listed.get(contact.id, set())))
    body.append(f'<h2>Newest posts</h2><p><a href="posts.html">All {len(lists)} posts</a></p>'
                '<ul class="posts">')
    for post, suggestions in lists[:RECENT_POSTS]:
        body.append(f'<li><a href="{_href(post.key)}">{e(post.primary.title)}</a> '
                    f"<span class=\"meta\">({post_date(post)}, {len(suggestions)} "
                    f"{'person' if len(suggestions) == 1 else 'people'})</span></li>")
    body.append("</ul>")
    return _page("Who might care", body, f"Who might care · {e(ranker.site.config.title)}",
                 ranker.today.isoformat())


def post_page(ranker: Ranker, post: Post, suggestions: Sequence[Suggestion]) -> str:
    e = html.escape
    ids = _Ids()
    url = absolute_url(ranker.site, post.primary)
    body = ['<p><a href="../index.html">Back to this week</a></p>',
            f'<p class="meta"><code>{e(post.key)}</code> · {post_date(post)} · '
            f'<a href="{e(url)}" rel="noreferrer">{e(url)}</a></p>']
    body.append(f"<h2>Who might care ({len(suggestions)})</h2>")
    if not suggestions:
        body.append("<p>Nobody clears the bar for this post.</p>")
    for n, s in enumerate(suggestions, 1):
        circle = ranker.book.contacts[s.contact].circle
        body.append(f'<section id="{e(s.contact)}">' + _suggestion_card(
            s, f"{n}. {e(s.name)} ({e(s.contact)})", ids, circle) + "</section>")
    return _page(post.primary.title, body, e(post.primary.title), ranker.today.isoformat())


def all_posts_page(ranker: Ranker, lists: Sequence[tuple[Post, list[Suggestion]]]) -> str:
    e = html.escape
    items = "".join(f'<li><a href="{_href(p.key)}">{e(p.primary.title)}</a> '
                    f"({post_date(p)}, {len(s)})</li>" for p, s in lists)
    return _page("All posts", ['<p><a href="index.html">Back to this week</a></p>',
                               f'<ul class="posts">{items}</ul>'], "All posts",
                 ranker.today.isoformat())


def pages(ranker: Ranker, lists: Sequence[tuple[Post, list[Suggestion]]],
          plan: Sequence[PlanEntry]) -> dict[str, str]:
    """Every page by its path under outreach/: index.html, posts.html, posts/<key>.html."""
    result = {f"posts/{_file(post.key)}.html": post_page(ranker, post, suggestions)
              for post, suggestions in lists}
    result["posts.html"] = all_posts_page(ranker, lists)
    result["index.html"] = index_page(ranker, lists, plan)
    return result
