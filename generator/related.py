"""Related posts: the posts that share the most (and the rarest) tags and categories.

Computed at build time from the site's structure, in the post's language, the same
on every build: ties go to the post nearest in date, then to the source path. For
a big site each term contributes only the posts nearest in date to the one being
shown (``WINDOW`` on each side), so a tag on 10,000 posts costs what a small one does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .model import Page, Site, Term

LIMIT = 4
WINDOW = 40
TAXONOMIES = ("tags", "categories")


@dataclass
class _Index:
    site: Site
    terms: dict[tuple[str, str], list[Term]] = field(default_factory=dict)
    """(language, source) -> the terms the page carries."""
    positions: dict[int, dict[str, int]] = field(default_factory=dict)
    """id(term) -> source -> place among the term's posts (newest first)."""
    posts: dict[str, int] = field(default_factory=dict)
    """Posts per language, for the rarity weight."""


_memo: list[_Index] = []


def _index(site: Site) -> _Index:
    if _memo and _memo[0].site is site:
        return _memo[0]
    index = _Index(site)
    for taxonomy in TAXONOMIES:
        for lang, terms in site.taxonomies.get(taxonomy, {}).items():
            for term in terms:
                for page in term.pages:
                    index.terms.setdefault((lang, page.source), []).append(term)
    index.posts = {lang: len(posts) for lang, posts in site.posts.items()}
    _memo[:] = [index]
    return index


def related_posts(site: Site, page: Page, limit: int = LIMIT) -> tuple[Page, ...]:
    """Up to ``limit`` other posts in ``page``'s language sharing a tag or category."""
    if page.collection != "posts":
        return ()
    index = _index(site)
    terms = index.terms.get((page.lang, page.source), [])
    total = max(index.posts.get(page.lang, 1), 1)
    scores: dict[str, float] = {}
    found: dict[str, Page] = {}
    for term in terms:
        posts = [p for p in term.pages if p.collection == "posts"] \
            if any(p.collection != "posts" for p in term.pages) else term.pages
        if len(posts) < 2:
            continue
        weight = math.log(1 + total / len(posts))
        here = _position(index, term, posts, page.source)
        for other in posts[max(0, here - WINDOW):here + WINDOW + 1]:
            if other.source != page.source:
                scores[other.source] = scores.get(other.source, 0.0) + weight
                found[other.source] = other
    if not scores:
        return ()
    stamp = page.date.timestamp() if page.date else 0.0

    def rank(source: str) -> tuple[float, float, str]:
        other = found[source]
        distance = abs((other.date.timestamp() if other.date else 0.0) - stamp)
        return (-round(scores[source], 9), distance, source)

    return tuple(found[s] for s in sorted(scores, key=rank)[:limit])


def _position(index: _Index, term: Term, posts: tuple[Page, ...] | list[Page],
              source: str) -> int:
    places = index.positions.get(id(term))
    if places is None:
        places = index.positions[id(term)] = {p.source: i for i, p in enumerate(posts)}
    return places.get(source, 0)
