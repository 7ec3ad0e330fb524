"""The Jekyll site's feed, so subscribers notice nothing when Kith takes it over.

A feed reader knows an entry by its ID. Jekyll sites publish either jekyll-feed's
Atom feed, whose IDs are ``post.id | absolute_url`` (the URL's folder joined with
the post's slug), or a hand-made ``feed.xml`` template, usually with the post's
absolute URL as RSS guid. The importer writes each imported post's old ID into
``feed-ids.yaml`` (Kith's ledger of entry IDs) and tells site.yaml to keep the
feed's scope: every language and every post, as ``site.posts`` had.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..errors import Problem
from ..feed_ids import FEED_IDS_FILE, LEDGER_HEADER
from .jekyll_site import CONFIG_FILE, JekyllSite

_LOOP = re.compile(r"\{%-?\s*for\s+(\w+)\s+in\s+site\.posts\b([^%]*)%\}(.*?)\{%-?\s*endfor",
                   re.S)
_ID_ELEMENT = re.compile(r"<(guid|id)\b[^>]*>(.*?)</\1>", re.S)
_LIMIT = re.compile(r"\blimit\s*:\s*(\d+)")
# What Addressable's URI encoding keeps in a path (Jekyll escapes URLs with it).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


@dataclass(frozen=True)
class OldFeed:
    """The feed the Jekyll site published."""

    path: str
    """Its URL path ('/feed.xml')."""
    source: str
    """Where it came from: the template, or _config.yml for jekyll-feed."""
    uses: str
    """What its entry IDs were made of: 'url' (post.url) or 'id' (post.id)."""
    absolute: bool
    """IDs started with the site's address ({{ site.url }}, absolute_url)."""
    limit: int
    """Entries it carried (0: all)."""
    baseurl: bool = True
    """IDs held the base path ({{ site.baseurl }}, relative_url, absolute_url): post.url
    alone does not."""


def find(site: JekyllSite) -> tuple[OldFeed | None, list[Problem]]:
    """The site's own feed template, else jekyll-feed's feed, else None."""
    problems: list[Problem] = []
    for item in site.items:
        if item.kind != "page" or not item.written or not item.dest.endswith((".xml", ".atom",
                                                                               ".rss")):
            continue
        loop = _LOOP.search(item.body)
        if loop is None or ("<rss" not in item.body and "<feed" not in item.body):
            continue
        var = loop.group(1)
        found = _ID_ELEMENT.search(loop.group(3)) or re.search(r"<link\b[^>]*>(.*?)</link>",
                                                                 loop.group(3), re.S)
        expr = found.group(found.lastindex or 0) if found else ""
        uses = "id" if f"{var}.id" in expr else "url" if f"{var}.url" in expr else ""
        if not uses:
            problems.append(Problem(item.source, 0, "feed entry IDs not kept: its <guid> is "
                                    f"not made from {var}.url or {var}.id",
                                    "check feed-ids.yaml after the first build", warning=True))
            return None, problems
        limit = _LIMIT.search(loop.group(2))
        return OldFeed("/" + item.dest, item.source, uses,
                       "site.url" in expr or "absolute_url" in expr,
                       int(limit.group(1)) if limit else 0,
                       baseurl=any(w in expr for w in ("site.baseurl", "_url"))), problems
    plugins = [str(p) for key in ("plugins", "gems") for p in (site.config.get(key) or [])
               if isinstance(site.config.get(key), list)]
    if "jekyll-feed" in plugins:
        settings = site.config.get("feed") if isinstance(site.config.get("feed"), dict) else {}
        path = str(settings.get("path") or "feed.xml")
        limit = settings.get("posts_limit", 10)
        return OldFeed("/" + path.lstrip("/"), CONFIG_FILE, "id", True,
                       limit if isinstance(limit, int) else 10), problems
    return None, problems


# The feeds Kith writes at the site root (feeds.FORMATS): RSS, Atom, JSON Feed.
KITH_FEEDS = ("/feed.xml", "/atom.xml", "/feed.json")
_ALTERNATE = re.compile(r"<link\b[^>]*\btype\s*=\s*[\"']application/(?:rss|atom|feed)\+(?:xml|json)"
                        r"[\"'][^>]*>", re.I | re.S)
_HREF = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.S)
_SITE_PREFIX = re.compile(r"\{\{-?\s*site\.(?:url|baseurl)\s*-?\}\}")
_FILTERED = re.compile(r"""\{\{-?\s*["']([^"']+)["']\s*\|\s*(?:relative|absolute)_url\s*-?\}\}""")


def feed_path_problems(site: JekyllSite, feed: OldFeed | None) -> list[Problem]:
    """Feed URLs readers subscribed to that Kith will not write: the old feed's path when
    it is not one of Kith's, and a feed the layouts advertise that Jekyll did not build
    (a file made by a script, as the real blog's /feeds/feed.xml was)."""
    problems: list[Problem] = []
    if feed is not None and feed.path not in KITH_FEEDS:
        problems.append(Problem(
            feed.source, 0, f"feed readers subscribed to {feed.path} get no new posts: Kith's "
            "feed is /feed.xml (RSS) and /atom.xml", f"on your host, redirect {feed.path} to "
            "/feed.xml (GitHub Pages cannot), or tell subscribers the new address",
            warning=True))
    outputs = set(site.winners)
    seen = {feed.path} if feed is not None else set()
    for rel in site.theme_files:
        if not rel.startswith(("_layouts/", "_includes/")):
            continue
        try:
            text = (site.root / rel).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        for link in _ALTERNATE.finditer(text):
            href = _HREF.search(link.group(0))
            path = _feed_path(href.group(2), site.config) if href else ""
            if not path or path in seen or path in KITH_FEEDS or path.lstrip("/") in outputs:
                continue
            seen.add(path)
            problems.append(Problem(
                rel, text.count("\n", 0, link.start()) + 1, f"the layout sends feed readers to "
                f"{path}, which Jekyll did not build (a script wrote it?): Kith's feed is "
                "/feed.xml", f"keep writing {path} after kith build as you did, or link "
                "readers to /feed.xml", warning=True))
    return problems


def _feed_path(href: str, config: Mapping[str, Any]) -> str:
    """A feed link as a site path ('/feeds/feed.xml'); '' when it is another site's."""
    href = _FILTERED.sub(lambda m: m.group(1), _SITE_PREFIX.sub("", href.strip()))
    if "{{" in href or "{%" in href:
        return ""
    site_url = str(config.get("url") or "").rstrip("/")
    if site_url and href.startswith(site_url):
        href = href[len(site_url):]
    baseurl = "/" + str(config.get("baseurl") or "").strip("/")
    if baseurl != "/" and href.startswith(baseurl + "/"):
        href = href[len(baseurl):]
    return href if href.startswith("/") and not href.startswith("//") else ""


def entry_id(feed: OldFeed, config: Mapping[str, Any], url: str, slug: str) -> str:
    """The ID the old feed gave a post with Jekyll URL ``url`` and slug ``slug``."""
    # Document#id: File.dirname(url) (Ruby's ignores a trailing slash) joined with the slug.
    path = url if feed.uses == "url" else posixpath.join(
        posixpath.dirname(url.rstrip("/")) or "/", slug)
    path = quote(path, safe=_PATH_SAFE)
    baseurl = str(config.get("baseurl") or "").strip("/") if feed.baseurl else ""
    path = f"/{baseurl}{path}" if baseurl else path
    if not feed.absolute:
        return path
    return str(config.get("url") or "").rstrip("/") + path


def ledger(entries: Sequence[tuple[str, str]]) -> bytes:
    """feed-ids.yaml with (Kith source, ID) lines, in the form ``kith build`` writes."""
    lines = [f"{json.dumps(source, ensure_ascii=False)}: {json.dumps(entry, ensure_ascii=False)}"
             for source, entry in sorted(entries)]
    return (LEDGER_HEADER + "\n".join(lines) + "\n").encode()


__all__ = ["FEED_IDS_FILE", "KITH_FEEDS", "OldFeed", "entry_id", "feed_path_problems", "find",
           "ledger"]
