"""[Page] -> Site: URLs, collections, translations, taxonomies and list pages.

Everything that needs the whole site happens here, before any template renders:
permalinks, duplicate-output checks, resolving links between sources.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from html import unescape as html_unescape
from urllib.parse import quote, unquote

from .config import SiteConfig
from .content import CONTENT_DIR, slugify
from .errors import Problem
from .markdown import LINK_MARK
from .model import Deferred, Page, Series, Site, Term, translation_key
from .paths import MAX_NAME, case_key, output_key, output_problem, shown

# Link markers, and problem markers the Markdown stage leaves for this stage to report
# (a formula it kept as TeX): the attribute, with the space before it, goes.
_MARKED = re.compile(r'(?: (?=data-kith-problem))?(href|src|data-kith-problem)="' + LINK_MARK
                     + r'(\d+):([^"]*)"')
_ROOT_LINK = re.compile(r'((?:href|src)=")/(?!/)')
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Extensions that make a permalink a file of its own rather than a page.
FILE_TYPES = {"html", "htm", "xml", "json", "txt", "css", "js", "rss", "atom", "svg", "png",
              "jpg", "jpeg", "gif", "webp", "pdf", "ico", "webmanifest", "md"}


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


def lang_prefix(config: SiteConfig, lang: str) -> str:
    """'' for the site language, '/zh' for others."""
    return "" if lang == config.language else f"/{lang}"


def output_path(url: str) -> str:
    """Where a site-relative URL is written: '/a/' -> 'a/index.html', '/a' -> 'a.html'."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    last = path.rsplit("/", 1)[-1]
    if "." in last and last.rsplit(".", 1)[1].lower() in FILE_TYPES:
        return path
    return path + ".html"  # '/v1.2-release' is a page, not a file of type '2-release'


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
    if page.collection == "tutorials" and page.is_index:
        pattern = "/tutorials/:series/"
    elif page.collection == "pages" and not page.path:
        pattern = "/"
    else:
        pattern = config.permalinks[page.collection]
    return expand_permalink(pattern, page, config)


def assemble_site(config: SiteConfig, pages: Iterable[Page], statics: Iterable[str] = (),
                  link_problems: dict[str, list[Problem]] | None = None
                  ) -> tuple[Site, tuple[Listing, ...], list[Problem]]:
    """Give every page its URL and gather the site; problems are returned, not raised.

    ``link_problems`` receives each page's link warnings as well, by source (a
    long-lived builder patches one page's links without assembling again).
    """
    problems: list[Problem] = []
    statics = tuple(sorted(statics))
    placed = [_placed(p, url := page_url(p, config), output_path(url))
              for p in sorted(pages, key=lambda p: p.source)]
    by_source = {p.source: p for p in placed}
    static_set = set(statics)
    resolved = []
    for page in placed:
        own: list[Problem] = []
        resolved.append(resolve_links(page, by_source, static_set, config, own))
        problems += own
        if own and link_problems is not None:
            link_problems[page.source] = own
    placed = resolved

    dated: dict[str, dict[str, list[Page]]] = {c: defaultdict(list)
                                               for c in config.dated_collections}
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in placed:
        if page.collection in dated:
            dated[page.collection][page.lang].append(page)
        groups[translation_key(page)].append(page)
    by_date = {name: {lang: newest_first(items) for lang, items in sorted(per_lang.items())}
               for name, per_lang in dated.items()}
    newest = by_date.pop("posts")
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

    tutorials = _series(config, placed)
    taxonomies = _taxonomies(config, placed)
    site = Site(config=config, pages=tuple(placed), posts=newest, tutorials=tutorials,
                taxonomies=taxonomies, translations=translations, statics=statics,
                collections=by_date)
    listings = _listings(site)
    _check_outputs(site, listings, problems)
    return site, listings, problems


def newest_first(pages: Iterable[Page]) -> tuple[Page, ...]:
    return tuple(sorted(pages, key=lambda p: (p.date, p.slug), reverse=True))


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


def resolve_links(page: Page, by_source: dict[str, Page], statics: set[str],
                  config: SiteConfig, problems: list[Problem]) -> Page:
    """Turn link markers into URLs and put the base path on root-relative links.

    A marker in the summary is also in the body: each problem is reported once.
    """
    found: list[Problem] = []
    lazy = page.__dict__.get("html")
    if type(lazy) is Deferred:  # not loaded: check its links now, fix them once loaded
        fix = _link_fixer(page.source, by_source, statics, config, found)
        fix(" ".join(f'{attr}="{LINK_MARK}{line}:{href}"' for attr, line, href in lazy.marks))
        if lazy.marks or config.base_path != "/":
            lazy.fix = _link_fixer(page.source, by_source, statics, config, [])
    elif LINK_MARK in page.html or config.base_path != "/":
        fix = _link_fixer(page.source, by_source, statics, config, found)
        page = replace(page, html=fix(page.html), summary_html=fix(page.summary_html))
    problems.extend(dict.fromkeys(found))
    return page


def link_marks(html: str) -> tuple[tuple[str, str, str], ...]:
    """The (attr, line, href) link markers in Markdown's HTML, for Deferred.marks."""
    return tuple(_MARKED.findall(html)) if LINK_MARK in html else ()


def _link_fixer(source: str, by_source: dict[str, Page], statics: set[str],
                config: SiteConfig, problems: list[Problem]) -> Callable[[str], str]:
    folder = posixpath.dirname(source)

    def resolve(match: re.Match[str]) -> str:
        attr, line, href = match.group(1), int(match.group(2)), match.group(3)
        if attr == "data-kith-problem":
            message, _, hint = html_unescape(href).partition("\n")
            problems.append(Problem(source, line, message, hint, warning=True))
            return ""
        target, hash_, fragment = href.partition("#")
        target, _, query = target.partition("?")
        resolved = posixpath.normpath(posixpath.join(folder, unquote(target)))
        suffix = (f"?{query}" if query else "") + (f"#{fragment}" if hash_ else "")
        if resolved in by_source:
            url = by_source[resolved].url
        elif resolved.startswith(CONTENT_DIR + "/") and resolved[len(CONTENT_DIR) + 1:] in statics:
            url = "/" + resolved[len(CONTENT_DIR) + 1:]
        else:
            if target and not target.endswith("/"):
                problems.append(Problem(source, line, f"link to a missing file '{target}'",
                                        "check the path; links are relative to this file",
                                        warning=True))
            return match.group(0).replace(f"{LINK_MARK}{line}:", "")
        return f'{attr}="{url_for(config, url)}{suffix}"'

    def fix(html: str) -> str:
        if not html:
            return html
        if config.base_path != "/":
            html = _ROOT_LINK.sub(lambda m: m.group(1) + config.base_path, html)
        return _MARKED.sub(resolve, html)

    return fix


def url_for(config: SiteConfig, path: str) -> str:
    """A site-relative path ('/posts/x/') as a link under the base path, percent-encoded."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", path):
        return path
    return quote(config.base_path.rstrip("/") + "/" + path.lstrip("/"), safe="/#?&=%~+:@!$,;")


def absolute_url(config: SiteConfig, path: str) -> str:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", path):
        return path
    base = config.base_url.split("/", 3)
    return "/".join(base[:3]) + url_for(config, path)


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


@cache
def term_slug(name: str) -> str:
    return slugify(name).lower()


def _taxonomies(config: SiteConfig, pages: list[Page]) -> dict[str, dict[str, tuple[Term, ...]]]:
    result: dict[str, dict[str, tuple[Term, ...]]] = {}
    for taxonomy in config.taxonomies:
        found: dict[tuple[str, str], list[Page]] = defaultdict(list)
        names: dict[tuple[str, str], str] = {}
        for page in pages:
            if page.collection == "pages" or page.is_index:
                continue
            for name in taxonomy_values(page, taxonomy):
                key = (page.lang, term_slug(name))
                found[key].append(page)
                names.setdefault(key, name)
        per_lang: dict[str, list[Term]] = defaultdict(list)
        for (lang, slug), items in sorted(found.items()):
            url = f"{lang_prefix(config, lang)}/{taxonomy}/{slug}/"
            ordered = tuple(sorted(items, key=lambda p: (p.date or _EPOCH, p.slug), reverse=True))
            per_lang[lang].append(Term(taxonomy=taxonomy, name=names[(lang, slug)], slug=slug,
                                       lang=lang, url=url, pages=ordered))
        result[taxonomy] = {lang: tuple(sorted(terms, key=lambda t: t.name.lower()))
                            for lang, terms in sorted(per_lang.items())}
    return result


def taxonomy_values(page: Page, taxonomy: str) -> tuple[str, ...]:
    if taxonomy == "tags":
        return page.tags
    if taxonomy == "categories":
        return page.categories
    value = page.extra.get(taxonomy, ())
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]) if v)


def _paginate(config: SiteConfig, kind: str, lang: str, base: str, items: tuple[Page, ...],
              **fields: object) -> list[Listing]:
    size = config.paginate
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
    for page in site.pages:
        claims[_claim(page.output, page.source, problems, page)].append(page.source)
    for listing in listings:
        who = ("a redirect (aliases:)" if listing.kind == "redirect"
               else f"the generated {listing.kind} page")
        claims[_claim(listing.output, who, problems)].append(who)
    for static in site.statics:
        source = f"{CONTENT_DIR}/{static}"
        claims[_claim(static, source, problems)].append(source)
    # Sort only the clashes (there are usually none), not every output of the site.
    for output, sources in sorted((o, s) for o, s in claims.items() if len(s) > 1):
        files = [s for s in sources if s.startswith(CONTENT_DIR + "/")] or sources
        problems.append(Problem(
            files[0], 0, f"'{output}' would be written by {len(sources)} inputs: "
            + ", ".join(sources),
            "give one of them another slug or permalink"))
    folded: dict[str, str] = {}
    for output in claims:
        other = folded.setdefault(case_key(output), output)
        if other != output:
            first, second = sorted((other, output))
            problems.append(Problem(
                claims[first][0], 0, f"'{first}' and '{second}' differ only in case: on macOS "
                "and Windows one would overwrite the other", "make their slugs differ by more "
                "than case", warning=True))


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
