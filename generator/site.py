"""[Page] -> Site: URLs, collections, translations, taxonomies and list pages.

Everything that needs the whole site happens here, before any template renders:
permalinks, duplicate-output checks, and (by links.py, once every output is known)
resolving and checking the links in page bodies.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from .channels import feed_scopes
from .config import SiteConfig
from .content import CONTENT_DIR, slugify, term_key
from .errors import Problem
from .links import Links
from .links import resolve_links as resolve_links
from .model import Page, Series, Site, Term, translation_key
from .paths import MAX_NAME, case_key, output_key, output_problem, shown
from .urls import FILE_TYPES as FILE_TYPES  # re-exported for the later stages
from .urls import absolute_url as absolute_url
from .urls import lang_prefix as lang_prefix
from .urls import output_path
from .urls import url_for as url_for

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Listing:
    """A generated page: home, a tag or category page, an index, the archive, 404."""

    kind: str
    """'home', 'term', 'terms', 'archive', 'series', 'collection', '404' or 'redirect'."""
    lang: str
    url: str
    output: str
    title: str = ""
    items: tuple[Page, ...] = ()
    number: int = 1
    total: int = 1
    first_url: str = ""
    prev_url: str | None = None
    next_url: str | None = None
    taxonomy: str = ""
    term: Term | None = None
    target: str = ""
    """For redirects: the site-relative URL to send readers to."""
    collection: str = ""
    """For a collection's list page: its name."""


def expand_permalink(pattern: str, page: Page, config: SiteConfig,
                     prefix_lang: bool = True) -> str:
    """Fill a permalink pattern's tokens; other languages go under /<code>/ unless
    the pattern places :lang itself or is the page's own exact permalink."""
    date = page.date.astimezone(config.tz) if page.date else None
    values = {
        ":year": f"{date.year:04d}" if date else "",
        ":month": f"{date.month:02d}" if date else "",
        ":day": f"{date.day:02d}" if date else "",
        ":slug": page.slug, ":title": page.name or page.slug,
        ":lang": page.lang, ":collection": page.collection, ":series": page.series or "",
        ":path": page.path,
    }
    url = re.sub(r":[a-z]+", lambda m: values.get(m.group(0), m.group(0)), pattern)
    url = re.sub(r"/{2,}", "/", url)
    if prefix_lang and ":lang" not in pattern:
        url = lang_prefix(config, page.lang) + url
    return url


def page_url(page: Page, config: SiteConfig) -> str:
    if page.permalink:
        return expand_permalink(page.permalink, page, config, prefix_lang=False)
    return expand_permalink(_pattern(page, config), page, config)


def _pattern(page: Page, config: SiteConfig) -> str:
    """The permalink pattern that places ``page``."""
    if page.permalink:
        return page.permalink
    if page.collection == "tutorials" and page.is_index:
        return "/tutorials/:series/"
    if page.collection == "pages" and not page.path:
        return "/"
    return config.permalinks[page.collection]


def assemble_site(config: SiteConfig, pages: Iterable[Page], statics: Iterable[str] = (),
                  link_problems: dict[str, list[Problem]] | None = None,
                  left_out: Mapping[str, tuple[str, str]] | None = None
                  ) -> tuple[Site, tuple[Listing, ...], list[Problem]]:
    """Give every page its URL and gather the site; problems are returned, not raised.

    ``link_problems`` receives each page's link warnings as well, by source (a
    long-lived builder patches one page's links without assembling again);
    ``left_out``: source -> (reason, hint) of the pages this build leaves out.
    """
    problems: list[Problem] = []
    statics = tuple(sorted(statics))
    placed = [_placed(p, url := page_url(p, config), output_path(url))
              for p in sorted(pages, key=lambda p: p.source)]
    _check_dates(config, placed, problems)
    statics = _writable(statics, problems)
    dated: dict[str, dict[str, list[Page]]] = {c: defaultdict(list)
                                               for c in config.dated_collections}
    for page in placed:
        if page.collection in dated:
            dated[page.collection][page.lang].append(page)
    by_date = {name: {lang: newest_first(items) for lang, items in sorted(per_lang.items())}
               for name, per_lang in dated.items()}
    newest = by_date.pop("posts")
    targets: dict[str, str] = {}  # filled below, as links are resolved
    site = Site(config=config, pages=tuple(placed), posts=newest,
                tutorials=_series(config, placed),
                taxonomies=_taxonomies(config, placed, problems),
                translations=_translations(config, placed, problems), statics=statics,
                collections=by_date, links=targets)
    listings = _listings(site)
    # Links are resolved once every output is known: a root-relative link may name
    # a tag page or a feed. The placed pages are this call's own copies: fixed in place.
    by_source = {p.source: p for p in placed}
    links = Links(by_source, set(statics), config, lambda: site_outputs(site, listings),
                  left_out)
    for page in placed:
        own = links.check(page)
        links.fix_in_place(page)
        problems += own
        if own and link_problems is not None:
            link_problems[page.source] = own
    targets.update(links.targets)
    problems += links.check_redirects()
    _check_outputs(site, listings, problems)
    return site, listings, problems


def _translations(config: SiteConfig, placed: list[Page], problems: list[Problem]
                  ) -> dict[str, tuple[Page, ...]]:
    """Pages sharing a key are one page in several languages: two in one language clash."""
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in placed:
        groups[translation_key(page)].append(page)
    order = {code: i for i, code in enumerate(config.language_codes)}
    translations = {key: tuple(sorted(group, key=lambda p: (order.get(p.lang, 99), p.lang)))
                    for key, group in sorted(groups.items()) if len(group) > 1}
    for key, group in sorted(groups.items()):
        langs = [p.lang for p in group]
        for lang in sorted({lang for lang in langs if langs.count(lang) > 1}):
            same = [p.source for p in group if p.lang == lang]
            if len({p.output for p in group if p.lang == lang}) == 1:
                continue  # reported below, as two inputs writing one file
            problems.append(Problem(same[1], 0, f"two '{lang}' versions of '{key.split(':', 1)[1]}'"
                                    f": {same[0]} and {same[1]}",
                                    "give one a different slug, or a lang: of its own"))
    return translations


def _writable(statics: tuple[str, ...], problems: list[Problem]) -> tuple[str, ...]:
    """Content files whose names cannot be outputs are reported here, once, and left
    out: later stages (images, the writer) read and name every static they get."""
    kept = []
    for rel in statics:
        before = len(problems)
        _claim(rel, f"{CONTENT_DIR}/{rel}", problems)
        if len(problems) == before:
            kept.append(rel)
    return tuple(kept)


def _check_dates(config: SiteConfig, placed: list[Page], problems: list[Problem]) -> None:
    """A URL pattern with :year, :month or :day needs a date; posts without one are
    reported when read, so here it is pages and tutorials."""
    for page in placed:
        if page.date is not None or page.collection in config.dated_collections:
            continue  # an undated post is reported when read
        pattern = _pattern(page, config)
        used = [t for t in (":year", ":month", ":day") if t in pattern]
        if used:
            where = "its permalink" if page.permalink else f"the {page.collection} pattern in " \
                "site.yaml"
            problems.append(Problem(
                page.source, page.lines.get("permalink", 1),
                f"{where} '{pattern}' uses {used[0]}, but this page has no date",
                "add 'date: YYYY-MM-DD' to its front matter, or a permalink: without dates"))


def newest_first(pages: Iterable[Page]) -> tuple[Page, ...]:
    return tuple(sorted(pages, key=_newest_key, reverse=True))


def listed_posts(site: Site, lang: str) -> tuple[Page, ...]:
    """What the home page and the archive list in ``lang``: the dated collections
    ``home_collections`` names (every one by default), newest first."""
    names = site.config.listed_collections
    if names == ("posts",):
        return site.posts.get(lang, ())
    found = [p for name in names for p in (site.posts if name == "posts" else
                                          site.collections.get(name, {})).get(lang, ())]
    return newest_first(found)


def _placed(page: Page, url: str, output: str) -> Page:
    """``replace(page, url=url, output=output)``, without re-running __init__ (a tenth of
    assembling a big site): pages are frozen, and their fields were checked when read."""
    placed = object.__new__(type(page))
    placed.__dict__.update(page.__dict__, url=url, output=output)
    return placed


def site_outputs(site: Site, listings: Sequence[Listing] | None = None) -> frozenset[str]:
    """The files of the build a body may link to, relative to the output folder: pages,
    listings, content files, feeds, sitemap.xml and robots.txt. The theme's files
    (links.LATER_STAGES: assets under hashed names, the favicon set, the search
    index) are named by later stages and not checked. tests/test_links.py compares
    the two with the files of a real build."""
    if _outputs_memo and _outputs_memo[0][0] is site:
        return _outputs_memo[0][1]
    if listings is None:
        listings = _listings(site)
    known = {p.output for p in site.pages}
    known.update(listing.output for listing in listings)
    known.update(site.statics)
    known.update(("sitemap.xml", "robots.txt"))
    known.update(scope.url(fmt).lstrip("/") for scope in feed_scopes(site)
                 for fmt in scope.formats)
    result = frozenset(known)
    _outputs_memo[:] = [(site, result)]
    return result


_outputs_memo: list[tuple[Site, frozenset[str]]] = []


def _series(config: SiteConfig, pages: list[Page]) -> dict[str, tuple[Series, ...]]:
    groups: dict[tuple[str, str], list[Page]] = defaultdict(list)
    for page in pages:
        if page.collection == "tutorials" and page.series:
            groups[(page.lang, page.series)].append(page)
    result: dict[str, list[Series]] = defaultdict(list)
    for (lang, name), group in sorted(groups.items()):
        index = next((p for p in group if p.is_index), None)
        parts = sorted((p for p in group if not p.is_index),
                       key=lambda p: (p.order if p.order is not None else 1 << 30, p.slug))
        if index is None:
            title = name.replace("-", " ").title()
            stub = Page(source=f"{CONTENT_DIR}/tutorials/{name}", collection="tutorials",
                        title=title, slug=name, lang=lang, key=f"tutorials/{name}", body="",
                        series=name, is_index=True, path=f"tutorials/{name}")
            url = page_url(stub, config)
            index = replace(stub, url=url, output=output_path(url))
        result[lang].append(Series(name=name, lang=lang, index=index, parts=tuple(parts)))
    return {lang: tuple(items) for lang, items in sorted(result.items())}


# Characters a slug would drop but that tell terms apart: C++, C#, F#, Notepad++.
_TERM_WORDS = {"+": "plus", "#": "sharp"}
_EMOJI_SELECTORS = dict.fromkeys(range(0xFE00, 0xFE10))


@cache
def term_slug(name: str) -> str:
    """A term's URL segment: the slug of its term_key, with '+' and '#' after a letter
    spelt out ('c-plus-plus', 'c-sharp') and symbols such as emoji named ('rocket'),
    so that a URL does not lose what tells two terms apart."""
    text = term_key(name).translate(_EMOJI_SELECTORS)
    out: list[str] = []
    for i, char in enumerate(text):
        if char in _TERM_WORDS and i and (text[i - 1].isalnum() or text[i - 1] in _TERM_WORDS):
            out.append(f"-{_TERM_WORDS[char]}-")
        elif unicodedata.category(char) == "So":
            out.append("-" + unicodedata.name(char, "").lower().replace(" ", "-") + "-")
        else:
            out.append(char)
    return slugify("".join(out)).lower()


def _taxonomies(config: SiteConfig, pages: list[Page], problems: list[Problem]
                ) -> dict[str, dict[str, tuple[Term, ...]]]:
    result: dict[str, dict[str, tuple[Term, ...]]] = {}
    for taxonomy in config.taxonomies:
        found: dict[tuple[str, str], list[Page]] = defaultdict(list)
        # (lang, slug) -> term_key -> spelling -> (uses, first page)
        spellings: dict[tuple[str, str], dict[str, dict[str, list[Any]]]] = defaultdict(dict)
        for page in pages:
            if page.collection == "pages" or page.is_index:
                continue
            names = taxonomy_values(page, taxonomy)
            if len(names) > MAX_TERMS:
                problems.append(Problem(
                    page.source, _taxonomy_line(page, taxonomy),
                    f"{len(names):,} {taxonomy} on one page; at most {MAX_TERMS}",
                    f"each of them gets a page and feeds that list this page with all "
                    f"its {taxonomy}: the site grows with the square of their number; keep "
                    "the few that say what it is about"))
                continue
            for name in names:
                key = (page.lang, term_slug(name))
                if len(key[1].encode()) > MAX_SEGMENT:
                    problems.append(_too_long(page, taxonomy, name, key[1]))
                    continue
                if not found[key] or found[key][-1] is not page:  # once per page
                    found[key].append(page)
                seen = spellings[key].setdefault(term_key(name), {})
                seen.setdefault(name, [0, page])[0] += 1
        per_lang: dict[str, list[Term]] = defaultdict(list)
        for (lang, slug), items in sorted(found.items()):
            url = f"{lang_prefix(config, lang)}/{taxonomy}/{slug}/"
            terms = spellings[(lang, slug)]
            if len(terms) > 1:
                problems.append(_clash(taxonomy, url, terms))
            # Shown as most pages write it (the first such page breaks a tie).
            uses = {n: c for spelt in terms.values() for n, c in spelt.items()}
            name = max(uses, key=lambda n: (uses[n][0], -items.index(uses[n][1])))
            ordered = tuple(sorted(items, key=_newest_key, reverse=True))
            per_lang[lang].append(Term(taxonomy=taxonomy, name=name, slug=slug,
                                       lang=lang, url=url, pages=ordered))
        result[taxonomy] = {lang: tuple(sorted(terms, key=lambda t: t.name.lower()))
                            for lang, terms in sorted(per_lang.items())}
    return result


MAX_TERMS = 100
"""Terms of one taxonomy on one page: each term's page and feeds repeat all of them."""
MAX_SEGMENT = 255
"""Bytes in one file name on common file systems: a term's slug names its folder."""


def _too_long(page: Page, taxonomy: str, name: str, slug: str) -> Problem:
    shown = name if len(name) <= 40 else name[:40] + "…"
    return Problem(page.source, _taxonomy_line(page, taxonomy),
                   f"{taxonomy} '{shown}' is too long for a URL: its page would be a folder "
                   f"named with {len(slug.encode()):,} bytes (at most {MAX_SEGMENT})",
                   "shorten it; a term is a word or two")


def _clash(taxonomy: str, url: str, terms: dict[str, dict[str, list[Any]]]) -> Problem:
    """Different terms that one URL would have to serve: an error, never a silent merge."""
    firsts = [(min(spelt.values(), key=lambda u: u[1].source)[1], next(iter(spelt)))
              for spelt in terms.values()]
    firsts.sort(key=lambda f: (f[0].source, f[1]))
    names = " and ".join(f"'{name}'" for _, name in firsts)
    page = firsts[-1][0]
    elsewhere = "; ".join(f"'{name}' is in {p.source}" for p, name in firsts[:-1])
    return Problem(page.source, _taxonomy_line(page, taxonomy),
                   f"{taxonomy} {names} would share the page {url}",
                   f"{elsewhere}; write them the same way, or rename one")


def _taxonomy_line(page: Page, taxonomy: str) -> int:
    for key in (taxonomy, taxonomy.rstrip("s"), "category" if taxonomy == "categories" else ""):
        if key in page.lines:
            return page.lines[key]
    return 1


def _newest_key(page: Page) -> tuple[dt.datetime, str]:
    """Newest first when reversed; an undated page (reported elsewhere) sorts last."""
    return (page.date or _EPOCH, page.slug)


def taxonomy_values(page: Page, taxonomy: str) -> tuple[str, ...]:
    if taxonomy == "tags":
        return page.tags
    if taxonomy == "categories":
        return page.categories
    value = page.extra.get(taxonomy, ())
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]) if v)


def _paginate(config: SiteConfig, kind: str, lang: str, base: str, items: tuple[Page, ...],
              **fields: object) -> list[Listing]:
    size = config.paginate_terms if kind == "term" else config.paginate
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [()]
    urls = [base] + [f"{base}page/{n}/" for n in range(2, len(chunks) + 1)]
    return [Listing(kind=kind, lang=lang, url=urls[i], output=output_path(urls[i]),
                    items=chunk, number=i + 1, total=len(chunks), first_url=base,
                    prev_url=urls[i - 1] if i else None,
                    next_url=urls[i + 1] if i + 1 < len(chunks) else None, **fields)  # type: ignore[arg-type]
            for i, chunk in enumerate(chunks)]


def _listings(site: Site) -> tuple[Listing, ...]:
    config = site.config
    listings: list[Listing] = []
    languages = sorted({config.language, *site.posts})
    for lang in languages:
        prefix = lang_prefix(config, lang)
        posts = listed_posts(site, lang)
        listings += _paginate(config, "home", lang, f"{prefix}/", posts)
        for taxonomy, per_lang in site.taxonomies.items():
            terms = per_lang.get(lang, ())
            if not terms:
                continue
            url = f"{prefix}/{taxonomy}/"
            listings.append(Listing(kind="terms", lang=lang, url=url, output=output_path(url),
                                    taxonomy=taxonomy))
            for term in terms:
                listings += _paginate(config, "term", lang, term.url, term.pages,
                                      taxonomy=taxonomy, term=term, title=term.name)
        if posts:
            url = f"{prefix}/archive/"
            listings.append(Listing(kind="archive", lang=lang, url=url, output=output_path(url),
                                    items=posts))
        if config.search.enabled:
            url = f"{prefix}/search/"
            listings.append(Listing(kind="search", lang=lang, url=url, output=output_path(url)))
    listings += _collection_listings(site)
    for lang, series_list in site.tutorials.items():
        if series_list:  # even one series: /tutorials/ is where readers look
            url = f"{lang_prefix(config, lang)}/tutorials/"
            listings.append(Listing(kind="tutorials", lang=lang, url=url,
                                    output=output_path(url)))
    for series_list in site.tutorials.values():
        for series in series_list:
            if series.index.source.endswith((".md", ".markdown")):
                continue  # written from its own source
            listings.append(Listing(kind="series", lang=series.lang, url=series.index.url,
                                    output=series.index.output, title=series.index.title))
    listings.append(Listing(kind="404", lang=config.language, url="/404.html",
                            output="404.html"))
    for page in site.pages:
        for alias in page.extra.get("aliases", ()):
            url = "/" + str(alias).lstrip("/")
            listings.append(Listing(kind="redirect", lang=page.lang, url=url,
                                    output=output_path(url), target=page.url,
                                    title=page.title))
    for old, new in sorted(config.redirects.items()):
        listings.append(Listing(kind="redirect", lang=config.language, url=old,
                                output=output_path(old), target=new, title=new))
    return tuple(listings)


def _collection_listings(site: Site) -> list[Listing]:
    """Each declared collection's list pages, per language it has pages in."""
    config = site.config
    listings: list[Listing] = []
    for collection in config.collections:
        for lang, pages in site.collections.get(collection.name, {}).items():
            listings += _paginate(config, "collection", lang,
                                  lang_prefix(config, lang) + collection.url, pages,
                                  title=collection.title_in(lang), collection=collection.name)
    return listings


def _check_outputs(site: Site, listings: tuple[Listing, ...], problems: list[Problem]) -> None:
    """Every output stays inside the output folder, and no two inputs write one file
    (compared as the disk compares names: 'café' in NFC and NFD is one file)."""
    claims: dict[str, list[str]] = defaultdict(list)
    by_url = {page.url: page.source for page in site.pages}
    for page in site.pages:
        claims[_claim(page.output, page.source, problems, page)].append(page.source)
    for listing in listings:
        who = f"the generated {listing.kind} page"
        if listing.kind == "redirect":  # name the file that asked for it
            who = ("a redirect (redirects: in site.yaml)" if listing.url in
                   site.config.redirects else "a redirect (aliases: in "
                   f"{by_url.get(listing.target, 'a page')})")
        claims[_claim(listing.output, who, problems)].append(who)
    for static in site.statics:
        source = f"{CONTENT_DIR}/{static}"
        claims[_claim(static, source, problems)].append(source)
    # Sort only the clashes (there are usually none), not every output of the site.
    for output, sources in sorted((o, s) for o, s in claims.items() if len(s) > 1):
        files = [s for s in sources if s.startswith(CONTENT_DIR + "/")] or \
            [s.removeprefix("a redirect (aliases: in ").removesuffix(")") for s in sources
             if s.startswith("a redirect (aliases: in ")] or sources
        problems.append(Problem(
            files[0], 0, f"'{output}' would be written by {len(sources)} inputs: "
            + ", ".join(sources), _clash_hint(sources)))
    folded: dict[str, str] = {}
    for output in claims:
        other = folded.setdefault(case_key(output), output)
        if other != output:
            first, second = sorted((other, output))
            problems.append(Problem(
                claims[first][0], 0, f"'{first}' and '{second}' differ only in case: on macOS "
                "and Windows one would overwrite the other", "make their slugs differ by more "
                "than case", warning=True))


def _clash_hint(sources: list[str]) -> str:
    """Two file names that print alike (an accented letter as one character, or as a
    letter and a combining mark, as files copied from a Mac may have it) are told apart."""
    if len({unicodedata.normalize("NFC", s) for s in sources}) < len(set(sources)):
        return ("two of these file names look the same but spell an accented letter "
                "differently (one character, or a letter and a combining mark, as macOS "
                "may write it): delete or rename one")
    return "give one of them another slug or permalink"


_PLAIN = re.compile(r"[\w.~-]+(?:/[\w.~-]+)*", re.ASCII)


def _claim(output: str, who: str, problems: list[Problem], page: Page | None = None) -> str:
    """The output's key for the duplicate check; a problem when it would leave the site."""
    if len(output) <= MAX_NAME and _PLAIN.fullmatch(output) and "/./" not in f"/{output}/" \
            and "/../" not in f"/{output}/":
        return output  # the common case, without looking at each character
    problem = output_problem(output)
    if problem:
        own = who.startswith(CONTENT_DIR + "/")
        # The front matter line that decided the URL (0: the file's name or folder did).
        line = (page.lines.get("permalink") or page.lines.get("slug") or 0) if page else 0
        problems.append(Problem(
            who if own else "", line,
            f"output path {shown(output)} {problem}" + ("" if own else f" (from {who})"),
            "check permalink:, slug:, aliases: and folder names, and permalinks: in "
            "site.yaml"))
    return output_key(output)
