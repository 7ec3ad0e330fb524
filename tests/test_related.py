"""Related posts: the fast selection equals a plain sort of every candidate."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import related


def _site(tagged: list[tuple[int, frozenset[int]]]) -> tuple[SimpleNamespace, list]:
    """Posts (day, tags) in one language, newest first, as related.py reads a site."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    posts = [SimpleNamespace(source=f"content/posts/{i:03d}.md", collection="posts",
                             lang="en", date=start + timedelta(days=day), tags=tags)
             for i, (day, tags) in enumerate(tagged)]
    posts.sort(key=lambda p: (p.date, p.source), reverse=True)
    names = sorted({t for p in posts for t in p.tags})
    terms = tuple(SimpleNamespace(pages=tuple(p for p in posts if name in p.tags))
                  for name in names)
    site = SimpleNamespace(taxonomies={"tags": {"en": terms}}, posts={"en": tuple(posts)})
    return site, posts


def _plain(site: SimpleNamespace, page: SimpleNamespace) -> tuple:
    """The rule as stated: windowed shared weight, then nearest date, then path."""
    total = len(site.posts["en"])
    scores: dict[str, float] = {}
    for term in site.taxonomies["tags"]["en"]:
        sources = [p.source for p in term.pages]
        if page.source not in sources or len(sources) < 2:
            continue
        here = sources.index(page.source)
        weight = math.log(1 + total / len(sources))
        for source in sources[max(0, here - related.WINDOW):here + related.WINDOW + 1]:
            scores[source] = scores.get(source, 0.0) + weight
    scores.pop(page.source, None)
    date = {p.source: p.date.timestamp() for p in site.posts["en"]}
    ranked = sorted(scores, key=lambda s: (-round(scores[s], 9),
                                           abs(date[s] - page.date.timestamp()), s))
    return tuple(ranked[:related.LIMIT])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.frozensets(st.integers(0, 5), max_size=4)),
                min_size=1, max_size=120))
def test_related_posts_equal_a_plain_sort_of_every_candidate(tagged) -> None:
    site, posts = _site(tagged)
    for page in posts:
        got = tuple(p.source for p in related.related_posts(site, page))  # type: ignore[arg-type]
        assert got == _plain(site, page)
