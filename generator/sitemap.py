"""Site -> sitemap.xml (with hreflang alternates) and robots.txt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape

from .channels import last_modified
from .config import SiteConfig
from .model import Page, Site
from .site import Listing, absolute_url, lang_prefix


def render_sitemap(site: Site, listings: Sequence[Listing]) -> bytes:
    """Every indexable page with lastmod and hreflang alternates for its translations."""
    config = site.config
    rows: dict[str, tuple[dt.datetime | None, list[tuple[str, str]]]] = {}
    for page in site.pages:
        if page.extra.get("sitemap") is False or page.extra.get("noindex") is True:
            continue
        group = [page, *site.translations_of(page)]
        modified = last_modified(page) if page.date else page.updated
        rows[page.url] = (modified, _alternates(config, [(p.lang, p.url) for p in group]))
    listed = [item for item in listings
              if item.kind not in ("404", "redirect") and item.number == 1]
    urls = {item.url for item in listed}
    for item in listed:
        group = [(item.lang, item.url)] + [(lang, url) for lang, url
                                           in listing_translations(config, item) if url in urls]
        rows.setdefault(item.url, (_listing_modified(site, item), _alternates(config, group)))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for url, (modified, alternates) in sorted(rows.items()):
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(absolute_url(config, url))}</loc>")
        if modified:
            lines.append(f"    <lastmod>{modified.isoformat()}</lastmod>")
        for hreflang, href in alternates:
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{escape(hreflang)}" '
                         f'href="{escape(href)}"/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def _alternates(config: SiteConfig, group: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """hreflang -> absolute URL for every language version, plus x-default."""
    if len(group) < 2:
        return []
    result = [(config.lang(lang).tag, absolute_url(config, url)) for lang, url in group]
    default = next((url for lang, url in group if lang == config.language), None)
    if default is not None:
        result.append(("x-default", absolute_url(config, default)))
    return result


def listing_translations(config: SiteConfig, listing: Listing) -> list[tuple[str, str]]:
    """(lang, url) of the same home, archive or index page in the other languages."""
    if listing.kind not in ("home", "archive", "terms") or listing.number != 1:
        return []
    rest = listing.url[len(lang_prefix(config, listing.lang)):]
    return [(code, lang_prefix(config, code) + rest) for code in config.language_codes
            if code != listing.lang]


def _listing_modified(site: Site, listing: Listing) -> dt.datetime | None:
    pages: Iterable[Page] = listing.items
    if listing.kind == "terms":
        pages = [p for term in site.taxonomies.get(listing.taxonomy, {}).get(listing.lang, ())
                 for p in term.pages]
    elif listing.kind == "series":
        pages = [p for s in site.tutorials.get(listing.lang, ()) if s.index.url == listing.url
                 for p in s.parts]
    elif listing.kind == "term" and listing.term is not None:
        pages = listing.term.pages
    dated = [last_modified(p) for p in pages if p.date is not None]
    return max(dated) if dated else None


def render_robots(config: SiteConfig) -> bytes:
    # Crawlers read robots.txt only at the host's root; on a project site
    # (user.github.io/repo/) this copy is ignored, and the sitemap line is still right.
    return (f"User-agent: *\nDisallow:\n\nSitemap: {absolute_url(config, '/sitemap.xml')}\n"
            ).encode()
