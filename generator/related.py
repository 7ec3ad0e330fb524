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
    posts_of: dict[int, tuple[tuple[str, ...], dict[str, int]]] = field(default_factory=dict)
    """id(term) -> the sources of the term's posts (newest first) and each one's place
    among them: computed once per term, not once per post that carries it."""
    posts: dict[str, int] = field(default_factory=dict)
    """Posts per language, for the rarity weight."""
    page: dict[str, Page] = field(default_factory=dict)
    """source -> post."""
    stamp: dict[str, float] = field(default_factory=dict)
    """source -> the post's date as a timestamp (the tie-break, computed once)."""


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
                    if page.source not in index.page:
                        index.page[page.source] = page
                        index.stamp[page.source] = _stamp(page)
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
    for term in terms:
        sources, places = _posts_of(index, term)
        if len(sources) < 2:
            continue
        weight = math.log(1 + total / len(sources))
        here = places.get(page.source, 0)
        window = sources[max(0, here - WINDOW):here + WINDOW + 1]
        if not scores:  # 0.0 + weight is weight: the first term's sums, made in C
            scores = dict.fromkeys(window, weight)
            get = scores.get
            continue
        for source in window:
            scores[source] = get(source, 0.0) + weight
    scores.pop(page.source, None)
    if not scores:
        return ()
    stamps = index.stamp
    stamp = _stamp(page)
    # Only candidates within a hair of the limit-th best score can rank (rounding to 9
    # places moves a score by far less than 1e-6). sorted() in C beats nlargest's loop.
    floor = sorted(scores.values(), reverse=True)[:limit][-1] - 1e-6
    # Most shared weight first, then nearest in date, then by path: nsmallest over the
    # keys themselves is sorted()[:limit] without sorting every candidate.
    best = heapq.nsmallest(limit, [(-round(score, 9), abs(stamps[source] - stamp), source)
                                   for source, score in scores.items() if score >= floor])
    return tuple(index.page[source] for _, _, source in best)


def _stamp(page: Page) -> float:
    return page.date.timestamp() if page.date else 0.0


def _posts_of(index: _Index, term: Term) -> tuple[tuple[str, ...], dict[str, int]]:
    found = index.posts_of.get(id(term))
    if found is None:
        sources = tuple(p.source for p in term.pages if p.collection == "posts")
        found = index.posts_of[id(term)] = (sources, {s: i for i, s in enumerate(sources)})
    return found
