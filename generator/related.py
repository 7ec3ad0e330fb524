"""Related posts: the posts that share the most (and the rarest) tags and categories.

Computed at build time from the site's structure, in the post's language, the same
on every build: ties go to the post nearest in date, then to the source path. For
a big site each term contributes only the posts nearest in date to the one being
shown (``WINDOW`` on each side), so a tag on 10,000 posts costs what a small one does.
"""

from __future__ import annotations

import heapq
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
    posts_of: dict[int, tuple[tuple[Page, ...], dict[str, int]]] = field(default_factory=dict)
    """id(term) -> the term's posts (newest first) and each one's place among them:
    computed once per term, not once per post that carries it."""
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
        posts, places = _posts_of(index, term)
        if len(posts) < 2:
            continue
        weight = math.log(1 + total / len(posts))
        here = places.get(page.source, 0)
        for other in posts[max(0, here - WINDOW):here + WINDOW + 1]:
            source = other.source
            scores[source] = scores.get(source, 0.0) + weight
            found[source] = other
    scores.pop(page.source, None)
    if not scores:
        return ()
    stamp = _stamp(page)
    # Most shared weight first, then nearest in date, then by path: nsmallest over the
    # keys themselves is sorted()[:limit] without sorting every candidate.
    best = heapq.nsmallest(limit, [(-round(score, 9), abs(_stamp(found[source]) - stamp), source)
                                   for source, score in scores.items()])
    return tuple(found[source] for _, _, source in best)


def _stamp(page: Page) -> float:
    return page.date.timestamp() if page.date else 0.0


def _posts_of(index: _Index, term: Term) -> tuple[tuple[Page, ...], dict[str, int]]:
    found = index.posts_of.get(id(term))
    if found is None:
        posts = tuple(p for p in term.pages if p.collection == "posts")
        found = index.posts_of[id(term)] = (posts, {p.source: i for i, p in enumerate(posts)})
    return found
