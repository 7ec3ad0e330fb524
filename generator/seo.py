"""What goes in every page's <head> besides the theme's own markup.

Canonical URL, description, Open Graph and Twitter cards, JSON-LD for posts,
prev/next for paginated lists, hreflang alternates and feed autodiscovery. The
<title> is the theme's. Every value is escaped here: front matter is text,
never markup.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any

from .channels import FeedScope, feed_scopes
from .config import SiteConfig
from .feeds import media
from .model import Page, Site
from .site import Listing, absolute_url, lang_prefix

# og:locale wants language_TERRITORY; these are the usual territories for bare tags.
OG_LOCALES = {
    "en": "en_US", "zh": "zh_CN", "zh-hans": "zh_CN", "zh-hant": "zh_TW", "ja": "ja_JP",
    "ko": "ko_KR", "es": "es_ES", "fr": "fr_FR", "de": "de_DE", "it": "it_IT", "pt": "pt_BR",
    "ru": "ru_RU", "hi": "hi_IN", "ar": "ar_AR", "he": "he_IL", "fa": "fa_IR", "nl": "nl_NL",
    "pl": "pl_PL", "tr": "tr_TR", "uk": "uk_UA", "vi": "vi_VN", "id": "id_ID", "th": "th_TH",
}
ARTICLE_TYPES = {"posts": "BlogPosting", "tutorials": "TechArticle"}
LISTING_TITLES = {"archive": "Archive", "terms": "", "404": "Page not found", "search": "Search"}


class Head:
    """``head_html`` for a template, made when the template prints it: a theme that
    writes its own <head> pays nothing (a tenth of a small page's render)."""

    __slots__ = ("_args", "_html")

    def __init__(self, site: Site, item: Any, translations: Sequence[Any]) -> None:
        self._args: tuple[Site, Any, Sequence[Any]] | None = (site, item, translations)
        self._html = ""

    def __html__(self) -> str:  # what Jinja's autoescape prints (as Markup)
        if self._args is not None:
            self._html, self._args = head_html(*self._args), None
        return self._html

    __str__ = __html__

    def __bool__(self) -> bool:
        return bool(self.__html__())


def head_html(site: Site, item: Any, translations: Sequence[Any]) -> str:
    """Extra <head> lines for a Page or a Listing; ``translations`` have .lang and .url."""
    config = site.config
    memo = _memo(site)
    absolute = memo.absolute_url
    page = item if isinstance(item, Page) else _listing_page(site, item)
    kind = "page" if isinstance(item, Page) else item.kind
    lang = getattr(item, "lang", config.language)
    language = config.lang(lang)
    site_title = language.title or config.title
    url = absolute(getattr(item, "url", "/"))
    title = _title(item, page, site_title)
    description = (page.description if page else "") or language.description \
        or config.description
    lines: list[str] = []

    def meta(attr: str, name: str, content: str | None) -> None:
        if content:
            lines.append(f'<meta {attr}="{name}" content="{escape(content)}">')

    if kind == "404":
        # Served at whatever path was missing: no canonical URL, and keep it out of indexes.
        lines.append('<meta name="robots" content="noindex">')
    else:
        if page is not None and page.extra.get("noindex") is True:
            lines.append('<meta name="robots" content="noindex">')
        lines.append(f'<link rel="canonical" href="{escape(url)}">')
    meta("name", "description", description)

    article = page is not None and not page.is_index and page.collection in ARTICLE_TYPES
    image = media(site, page, "image") if page else None
    image_alt = page.extra.get("image_alt") if page else None
    meta("property", "og:title", title)
    meta("property", "og:type", "article" if article else "website")
    if kind != "404":
        meta("property", "og:url", url)
    meta("property", "og:description", description)
    meta("property", "og:site_name", site_title)
    meta("property", "og:locale", memo.og_locale(language.tag))
    for alt in translations:
        meta("property", "og:locale:alternate", memo.og_locale(config.lang(alt.lang).tag))
    if image:
        meta("property", "og:image", image.url)
        meta("property", "og:image:alt", image_alt if isinstance(image_alt, str) else None)
    if article and page is not None and page.date:
        meta("property", "article:published_time", page.date.isoformat())
        if page.updated:
            meta("property", "article:modified_time", page.updated.isoformat())
        for tag in page.tags:
            meta("property", "article:tag", tag)
    # X reads og:title, og:description and og:image where its own tags are missing:
    # only the card type has no Open Graph twin (three fewer lines on every page).
    meta("name", "twitter:card", "summary_large_image" if image else "summary")

    if isinstance(item, Listing):
        for rel, target in (("prev", item.prev_url), ("next", item.next_url)):
            if target:
                lines.append(f'<link rel="{rel}" href="{escape(absolute(target))}">')

    if translations:
        group = [item, *translations]
        for alt in group:
            lines.append(f'<link rel="alternate" hreflang="{escape(config.lang(alt.lang).tag)}" '
                         f'href="{escape(absolute(alt.url))}">')
        default = next((alt for alt in group if alt.lang == config.language), None)
        if default is not None:
            lines.append(f'<link rel="alternate" hreflang="x-default" '
                         f'href="{escape(absolute(default.url))}">')

    lines.extend(feed_lines(site, item, lang))

    if article and page is not None and isinstance(item, Page):
        lines.append(json_ld(site, page))
    return "\n".join(lines) + "\n"


def feed_lines(site: Site, item: Any, lang: str) -> tuple[str, ...]:
    """The head's feed autodiscovery links for ``item`` in ``lang``."""
    return _memo(site).feed_lines(_feeds_for(site, item, lang))


def feed_links(site: Site, item: Any) -> list[dict[str, str]]:
    """The page language's feeds for the theme's footer: title, site-relative url, type."""
    return language_feed_links(site, getattr(item, "lang", site.config.language))


def language_feed_links(site: Site, lang: str) -> list[dict[str, str]]:
    """``feed_links`` for every page in ``lang``: the same for all of them."""
    config = site.config
    scopes = _by_base(site)
    scope = scopes.get(f"{lang_prefix(config, lang)}/") or scopes.get("/")
    if scope is None:
        return []
    return [{"title": fmt.label, "url": scope.url(fmt), "type": fmt.mime}
            for fmt in scope.formats]


def json_ld(site: Site, page: Page) -> str:
    """A schema.org BlogPosting (TechArticle for tutorial parts) in a script element."""
    config = site.config
    language = config.lang(page.lang)
    absolute = _memo(site).absolute_url
    url = absolute(page.url)
    author_name = page.extra.get("author")
    if not isinstance(author_name, str) or not author_name.strip():
        author_name = config.author.get("name")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ARTICLE_TYPES.get(page.collection, "Article"),
        "headline": page.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": language.tag,
    }
    if page.description:
        data["description"] = page.description
    if page.date:
        data["datePublished"] = page.date.isoformat()
        data["dateModified"] = (page.updated or page.date).isoformat()
    if author_name:
        author: dict[str, str] = {"@type": "Person", "name": author_name}
        if author_name == config.author.get("name") and config.author.get("url"):
            author["url"] = config.author["url"]
        data["author"] = author
    data["publisher"] = {"@type": "Organization", "name": language.title or config.title,
                         "url": absolute(f"{lang_prefix(config, page.lang)}/")}
    image = media(site, page, "image")
    if image:
        data["image"] = image.url
    if page.tags:
        data["keywords"] = list(page.tags)
    if page.words:
        data["wordCount"] = page.words
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Inside <script>, "</script>" or "<!--" in a title would end or break the element.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def og_locale(tag: str) -> str:
    """'en' -> 'en_US', 'pt-BR' -> 'pt_BR', 'zh-Hant' -> 'zh_TW'."""
    known = OG_LOCALES.get(tag.lower())
    if known:
        return known
    parts = tag.replace("_", "-").split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if region:
        return f"{parts[0].lower()}_{region.upper()}"
    return OG_LOCALES.get(parts[0].lower(), parts[0].lower())


def _title(item: Any, page: Page | None, site_title: str) -> str:
    if isinstance(item, Page):
        return item.title
    if page is not None:
        return page.title
    if item.kind == "home":
        return site_title
    label = item.title or LISTING_TITLES.get(item.kind) or item.taxonomy.capitalize()
    return f"{label} · {site_title}" if label else site_title


def _listing_page(site: Site, listing: Listing) -> Page | None:
    """A series index without a source file still has a synthesized Page."""
    if listing.kind != "series":
        return None
    for series in site.tutorials.get(listing.lang, ()):
        if series.index.url == listing.url:
            return series.index
    return None


class _Memo:
    """What every page's head repeats, computed once per site (pure functions of it)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.by_base = {scope.base: scope for scope in feed_scopes(site)}
        self._absolute: dict[str, str] = {}
        self._locales: dict[str, str] = {}
        self._feeds: dict[tuple[str, ...], tuple[str, ...]] = {}

    def absolute_url(self, path: str) -> str:
        found = self._absolute.get(path)
        if found is None:
            found = self._absolute[path] = absolute_url(self.site.config, path)
        return found

    def og_locale(self, tag: str) -> str:
        found = self._locales.get(tag)
        if found is None:
            found = self._locales[tag] = og_locale(tag)
        return found

    def feed_lines(self, scopes: Sequence[FeedScope]) -> tuple[str, ...]:
        """Autodiscovery links for these feeds, in every enabled format."""
        key = tuple(scope.base for scope in scopes)
        found = self._feeds.get(key)
        if found is None:
            found = self._feeds[key] = tuple(
                f'<link rel="alternate" type="{fmt.mime}" '
                f'title="{escape(f"{scope.title} ({fmt.label})")}" '
                f'href="{escape(self.absolute_url(scope.url(fmt)))}">'
                for scope in scopes for fmt in scope.formats)
        return found


_memo_cache: list[_Memo] = []


def _memo(site: Site) -> _Memo:
    if not (_memo_cache and _memo_cache[0].site is site):
        _memo_cache[:] = [_Memo(site)]
    return _memo_cache[0]


def _by_base(site: Site) -> dict[str, FeedScope]:
    """Feeds by the URL they belong to; built once per site, not once per page."""
    return _memo(site).by_base


def _feeds_for(site: Site, item: Any, lang: str) -> list[FeedScope]:
    """The page language's feed, the site feed, and on term pages the term's feed."""
    config: SiteConfig = site.config
    scopes = _by_base(site)
    bases = [f"{lang_prefix(config, lang)}/", "/"]
    if isinstance(item, Listing) and item.kind == "term" and item.term is not None:
        bases.append(item.term.url)
    result = []
    for base in dict.fromkeys(bases):
        if base in scopes:
            result.append(scopes[base])
    return result
