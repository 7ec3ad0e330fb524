"""Site -> feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1); the units that also write
sitemap.xml and robots.txt (sitemap.py).

Pure: the same site gives the same bytes. Feed dates come from the entries,
never from the clock. Which feeds exist is channels.py's answer; entry IDs come
from feed_ids.py, never from the current URL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from . import __version__
from .channels import (
    FORMATS,
    FeedScope,
    feed_scopes,
    last_modified,
)
from .content import CONTENT_DIR
from .feed_ids import entry_ids
from .feed_settings import CONTENTS
from .model import OutputFile, Page, Site
from .notices import notice_html
from .site import Listing, absolute_url
from .sitemap import render_robots, render_sitemap


@dataclass(frozen=True)
class Media:
    """An enclosure: `audio:` or `image:` front matter resolved to a URL."""

    url: str
    """Absolute URL."""
    mime: str
    length: int
    """Bytes, from the file in content/ when it is local; 0 when unknown."""


# -- rendering --------------------------------------------------------------------


def render_feeds(site: Site, listings: Sequence[Listing] | None = None) -> list[OutputFile]:
    """Every feed, sitemap.xml and robots.txt. ``listings`` adds list pages to the sitemap."""
    return [item for _, render in feed_units(site, listings) for item in render()]


class FeedUnits(list[tuple[str, Callable[[], list[OutputFile]]]]):
    """What ``feed_units`` returns: (uid, render) pairs, plus ``forget`` for callers that
    keep them across builds of one site whose pages they patch in place (kith serve)."""

    def __init__(self, units: list[tuple[str, Callable[[], list[OutputFile]]]],
                 entries: dict[tuple[str, str], Any],
                 reach: dict[str, tuple[Any, ...]] | None = None) -> None:
        super().__init__(units)
        self._entries = entries
        self.reach = reach or {}
        """uid -> all a feed shows of the site's structure: its scope, its entries and
        their IDs (the sitemap and robots.txt have none: the sitemap lists every page)."""

    def forget(self, sources: Iterable[str]) -> None:
        """Drop the shared entries of pages whose content changed."""
        for source in sources:
            for content in CONTENTS:
                self._entries.pop((source, content), None)


def feed_units(site: Site, listings: Sequence[Listing] | None = None) -> FeedUnits:
    """The same outputs as separately renderable units (one per feed scope, the sitemap,
    robots.txt), so an incremental build re-renders only the feeds a change touches."""
    if listings is None:
        from .site import _listings  # same pure function the site stage uses

        listings = _listings(site)
    config = site.config
    ids = entry_ids(site)
    renderers = {"rss": _rss, "atom": _atom, "json": _json_feed}
    # A post sits in its site, language, collection and every tag feed: build its entry
    # and serialise it once per format (and content), then each feed only joins bytes.
    cache: dict[tuple[str, str], _Entry] = {}

    def scope_unit(scope: FeedScope) -> list[OutputFile]:
        pages = scope.shown
        entries = []
        for page in pages:
            entry = cache.get((page.source, scope.content))
            if entry is None:
                entry = cache[page.source, scope.content] = _Entry(
                    _entry(site, page, ids, scope.content))
            else:
                # Read what _entry read in every unit that shows the page, so each unit
                # is recorded as depending on those fields (cache.recording).
                _page_fields(page, scope.content)
            entries.append(entry)
        return [OutputFile(scope.url(fmt).lstrip("/"), renderers[fmt.name](site, scope, entries),
                           origin="feeds") for fmt in scope.formats]

    scopes = feed_scopes(site)
    units: list[tuple[str, Callable[[], list[OutputFile]]]] = [
        (scope.base, lambda scope=scope: scope_unit(scope)) for scope in scopes]
    reach = {}
    for scope in scopes:
        shown = scope.shown
        # Enclosures give their files' lengths: a file replaced is a new length.
        reach[scope.base] = (scope.base, scope.lang, scope.title, scope.link, scope.formats,
                             scope.content, shown, tuple(ids.get(p.source) for p in shown),
                             tuple((media(site, p, "audio"), media(site, p, "image"))
                                   for p in shown if "audio" in p.extra or "image" in p.extra))
    statics = set(site.statics)
    if "sitemap.xml" not in statics:  # a writer's own file wins
        units.append(("sitemap.xml", lambda: [
            OutputFile("sitemap.xml", render_sitemap(site, listings), origin="sitemap")]))
    if "robots.txt" not in statics:
        units.append(("robots.txt", lambda: [
            OutputFile("robots.txt", render_robots(config), origin="robots.txt")]))
    return FeedUnits(units, cache, reach)


def _channel(site: Site, scope: FeedScope) -> dict[str, Any]:
    config = site.config
    language = config.lang(scope.lang)
    author = dict(config.author)
    author.setdefault("name", language.title or config.title)
    return {
        "title": _clean(scope.title),
        "description": _clean(language.description or config.description or scope.title),
        "link": absolute_url(config, scope.link),
        "lang": language.tag,
        "author": {k: _clean(v) for k, v in author.items() if v},
    }


FULL_LIMIT = 1 << 20
"""A page whose HTML is longer (characters) is summarised even in a full-content feed:
every reader downloads a feed on every poll, and one 50 MB post made /feed.xml 50 MB
(and was half a GB of that build's memory). Its entry links to the page as every
entry does."""


def _page_fields(page: Page, content: str) -> tuple[str, str, str]:
    """Title, HTML and summary: every content-derived field an entry shows."""
    summary = page.summary_html or (f"<p>{escape(page.description)}</p>"
                                    if page.description else "")
    if content == "full" or not summary:
        html = page.html
        if len(html) <= FULL_LIMIT or not summary:
            return page.title, html, page.description
    return page.title, summary, page.description


def _entry(site: Site, page: Page, ids: Mapping[str, str], content: str) -> dict[str, Any]:
    config = site.config
    url = absolute_url(config, page.url)
    title, html, summary = _page_fields(page, content)
    html = notice_html(config, page) + html
    author = page.extra.get("author")
    return {
        "id": ids[page.source],
        "url": url,
        "title": _clean(title),
        "html": _clean_utf8(absolute_links(html, url)),
        "summary": _clean(summary),
        "date": page.date,
        "modified": last_modified(page),
        "tags": [_clean(t) for t in dict.fromkeys((*page.tags, *page.categories))],
        "lang": config.lang(page.lang).tag,
        "author": _clean(author) if isinstance(author, str) and author.strip() else None,
        # Atom lets entries inherit the feed's author, but readers (newsboat) show none.
        "site_author": _clean(config.author.get("name") or config.lang(page.lang).title
                              or config.title),
        "audio": media(site, page, "audio"),
        "image": media(site, page, "image"),
    }


# RSS and Atom are written as strings, not through feedgen's lxml trees: the same bytes
# feedgen 1.0 + lxml's pretty printer produced (element order, escaping, empty and
# self-closing elements, the errors it raised), at a tenth of the cost.
# tests/feeds/test_feed_bytes.py holds feedgen's version as the oracle.

_XML_DECL = "<?xml version='1.0' encoding='UTF-8'?>\n"
_NS_DC = ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
_NS_RSS = (' xmlns:atom="http://www.w3.org/2005/Atom"'
           ' xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0"')


KEEP_FORMS = 1 << 20
"""An entry whose HTML is larger (bytes) keeps none of its serialised forms: each feed
makes its own and drops it. Four forms of a 50 MB post's ~90 MB each, kept for the
whole feed stage, were ~0.4 GB of that build's peak; a small entry's forms are kept,
as most posts sit in several feeds."""


class _Entry:
    """One post's entry and its serialised forms, shared by every feed that shows it."""

    __slots__ = ("_atom", "_content", "_json", "_keep", "_rss", "data")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self._keep = len(data["html"]) <= KEEP_FORMS
        self._content: bytes | None = None
        self._atom: bytes | None = None
        self._rss: dict[tuple[str, str | None], bytes] = {}
        self._json: bytes | None = None

    def content(self) -> bytes:
        """The HTML escaped as XML text (RSS <description>, Atom <content>)."""
        if self._content is not None:
            return self._content
        content = _escape_bytes(self.data["html"], _XML_TEXT_BYTES)
        if self._keep:
            self._content = content
        return content

    def atom(self) -> bytes:
        if self._atom is not None:
            return self._atom
        atom = _atom_entry(self)
        if self._keep:
            self._atom = atom
        return atom

    def rss(self, name: str, email: str | None) -> bytes:
        """The <item>; the channel's author name and e-mail fill in a missing author."""
        key = (name, email)
        item = self._rss.get(key)
        if item is None:
            item = _rss_item(self, name, email)
            if self._keep:
                self._rss[key] = item
        return item

    def json(self) -> bytes:
        if self._json is not None:
            return self._json
        json = _json_item(self.data)
        if self._keep:
            self._json = json
        return json


def _rss(site: Site, scope: FeedScope, entries: Sequence[_Entry]) -> bytes:
    channel = _channel(site, scope)
    config = site.config
    # RSS <author> must be an e-mail address; names alone go in dc:creator.
    feed_email = channel["author"].get("email")
    dc = any(e.data["author"] for e in entries) or not feed_email
    title, link, description = channel["title"], channel["link"], channel["description"]
    if not (title and link and description):
        raise ValueError("Required fields not set")
    head = [_XML_DECL, "<rss", _NS_DC if dc else "", _NS_RSS, ">\n  <channel>\n",
            _el(4, "title", title), _el(4, "link", link), _el(4, "description", description),
            f'    <atom:link href="{_attr(absolute_url(config, scope.url(FORMATS[0])))}"'
            f' rel="self" type="{FORMATS[0].mime}"/>\n']
    copyright = _clean(config.copyright) if config.copyright else ""
    if copyright:
        head.append(_el(4, "copyright", copyright))
    head += [_el(4, "docs", "https://www.rssboard.org/rss-specification"),
             _el(4, "generator", "Kith")]
    if channel["lang"]:
        head.append(_el(4, "language", channel["lang"]))
    head.append(_el(4, "lastBuildDate", _rfc822(_newest(entries))))
    if feed_email:
        head.append(_el(4, "managingEditor", f"{feed_email} ({channel['author']['name']})"))
    name = channel["author"]["name"]
    return b"".join([
        "".join(head).encode(), *(e.rss(name, feed_email) for e in entries),
        b"  </channel>\n</rss>\n"])


def _rss_item(entry: _Entry, feed_name: str, feed_email: str | None) -> bytes:
    data = entry.data
    if not (data["title"] or data["html"]):
        raise ValueError("Required fields not set")
    out: list[str | bytes] = ["    <item>\n"]
    if data["title"]:
        out.append(_el(6, "title", data["title"]))
    if data["url"]:
        out.append(_el(6, "link", data["url"]))
    if data["html"]:
        out.append("      <description>")
        out.append(entry.content())
        out.append("</description>\n")
    name = data["author"] or feed_name
    if data["author"] is None and feed_email:
        out.append(_el(6, "author", f"{feed_email} ({name})" if name else feed_email))
    if data["id"]:
        permalink = "true" if data["id"] == data["url"] else "false"
        out.append(f'      <guid isPermaLink="{permalink}">{_text(data["id"])}</guid>\n')
    out += [_el(6, "category", tag) for tag in data["tags"]]
    enclosure = data["audio"] or data["image"]  # RSS allows one per item
    if enclosure:
        out.append(f'      <enclosure url="{_attr(enclosure.url)}"'
                   f' length="{enclosure.length}" type="{_attr(enclosure.mime)}"/>\n')
    out.append(_el(6, "pubDate", _rfc822(data["date"])))
    if not (data["author"] is None and feed_email):
        out.append(_el(6, "dc:creator", name))
    out.append("    </item>\n")
    return _join(out)


def _atom(site: Site, scope: FeedScope, entries: Sequence[_Entry]) -> bytes:
    channel = _channel(site, scope)
    config = site.config
    fmt = FORMATS[1]
    self_url = absolute_url(config, scope.url(fmt))
    if not (self_url and channel["title"]):
        raise ValueError("Required fields not set (title, id)")
    lang = f' xml:lang="{_attr(channel["lang"])}"' if channel["lang"] else ""
    head = [_XML_DECL, f'<feed xmlns="http://www.w3.org/2005/Atom"{lang}>\n',
            _el(2, "id", self_url), _el(2, "title", channel["title"]),
            _el(2, "updated", _iso(_newest(entries)))]
    author = channel["author"]
    if not author["name"]:
        raise ValueError("Data contains not all required keys")  # as feedgen
    head.append("  <author>\n")
    head += [_el(4, key, author[field]) for key, field in
             (("name", "name"), ("email", "email"), ("uri", "url")) if author.get(field)]
    head.append("  </author>\n")
    head += [f'  <link href="{_attr(channel["link"])}" rel="alternate" type="text/html"/>\n',
             f'  <link href="{_attr(self_url)}" rel="self" type="{fmt.mime}"/>\n']
    if __version__:
        head.append(f'  <generator version="{_attr(__version__)}">Kith</generator>\n')
    else:
        head.append("  <generator>Kith</generator>\n")
    copyright = _clean(config.copyright) if config.copyright else ""
    if copyright:
        head.append(_el(2, "rights", copyright))
    if channel["description"] != channel["title"] and channel["description"]:
        head.append(_el(2, "subtitle", channel["description"]))
    return b"".join(["".join(head).encode(), *(e.atom() for e in entries), b"</feed>\n"])


def _atom_entry(entry: _Entry) -> bytes:
    data = entry.data
    if not (data["id"] and data["title"]):
        raise ValueError("Required fields not set")
    out: list[str | bytes] = ["  <entry>\n", _el(4, "id", data["id"]),
                              _el(4, "title", data["title"]),
                              _el(4, "updated", _iso(data["modified"]))]
    name = data["author"] or data["site_author"]
    if name:
        out.append(f"    <author>\n{_el(6, 'name', name)}    </author>\n")
    if data["html"]:
        out += ['    <content type="html">', entry.content(), "</content>\n"]
    else:
        out.append('    <content type="html"/>\n')
    if data["summary"]:
        out.append(_el(4, "summary", data["summary"]))
    out += [f'    <category term="{_attr(tag)}"/>\n' for tag in data["tags"]]
    out.append(_el(4, "published", _iso(data["date"])))
    out.append(f'    <link href="{_attr(data["url"])}" rel="alternate" type="text/html"/>\n')
    for item in (data["audio"], data["image"]):
        if item:
            out.append(f'    <link href="{_attr(item.url)}" rel="enclosure"'
                       f' type="{_attr(item.mime)}" length="{item.length}"/>\n')
    out.append("  </entry>\n")
    return _join(out)


def _join(parts: list[str | bytes]) -> bytes:
    """Strings and the already encoded content, as one UTF-8 string."""
    chunks: list[bytes] = []
    run: list[str] = []
    for part in parts:
        if isinstance(part, bytes):
            chunks += ["".join(run).encode(), part]
            run = []
        else:
            run.append(part)
    chunks.append("".join(run).encode())
    return b"".join(chunks)


def _json_feed(site: Site, scope: FeedScope, entries: Sequence[_Entry]) -> bytes:
    channel = _channel(site, scope)
    author = channel["author"]
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel["title"],
        "home_page_url": channel["link"],
        "feed_url": absolute_url(site.config, scope.url(FORMATS[2])),
        "description": channel["description"],
        "language": channel["lang"],
        "authors": [{k: v for k, v in (("name", author["name"]), ("url", author.get("url")))
                     if v}],
        "items": [],
    }
    head = json.dumps(feed, ensure_ascii=False, indent=2)
    if not entries:
        return (head + "\n").encode()
    # "items" is the last key: splice the items, each serialised once per build, into
    # what json.dumps(indent=2) would have written around them.
    assert head.endswith('"items": []\n}')
    return b"".join([head[:-4].encode(), b"[\n    ", b",\n    ".join(e.json() for e in entries),
                     b"\n  ]\n}\n"])


def _json_item(entry: dict[str, Any]) -> bytes:
    """One item as json.dumps(indent=2) writes it inside "items" (two levels deep)."""
    item: dict[str, Any] = {
        "id": entry["id"],
        "url": entry["url"],
        "title": entry["title"],
        "content_html": "",  # spliced in below
    }
    if entry["summary"]:
        item["summary"] = entry["summary"]
    if entry["image"]:
        item["image"] = entry["image"].url
    item["date_published"] = entry["date"].isoformat()
    if entry["modified"] != entry["date"]:
        item["date_modified"] = entry["modified"].isoformat()
    if entry["author"]:
        item["authors"] = [{"name": entry["author"]}]
    if entry["tags"]:
        item["tags"] = entry["tags"]
    item["language"] = entry["lang"]
    if entry["audio"]:
        attachment: dict[str, Any] = {"url": entry["audio"].url,
                                      "mime_type": entry["audio"].mime}
        if entry["audio"].length:
            attachment["size_in_bytes"] = entry["audio"].length
        item["attachments"] = [attachment]
    # JSON strings never hold a raw newline, so every newline is indentation, and this
    # key's line (two spaces deep) is the only one like it.
    text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
    before, after = text.split('\n      "content_html": ""', 1)
    return b"".join([before.encode(), b'\n      "content_html": "',
                     _escape_bytes(entry["html"], _JSON_BYTES), b'"', after.encode()])


def _newest(entries: Sequence[_Entry]) -> dt.datetime:
    return max(entry.data["modified"] for entry in entries)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (lxml refuses them)."""
    return _XML_INVALID.sub("", str(text))


# Long content is cleaned and escaped as UTF-8 bytes: bytes.translate and bytes.replace
# are several times faster than re.sub and str.replace on non-ASCII text, and give the
# same result, since in UTF-8 no byte of a multi-byte character is below 0x80.
_CONTROL_BYTES = bytes(c for c in range(32) if chr(c) not in "\t\n\r")
_XML_TEXT_BYTES = ((b"&", b"&amp;"), (b"<", b"&lt;"), (b">", b"&gt;"), (b"\r", b"&#13;"))
# json.dumps(ensure_ascii=False) for text without the control characters _clean drops.
_JSON_BYTES = ((b"\\", b"\\\\"), (b'"', b'\\"'), (b"\n", b"\\n"), (b"\r", b"\\r"), (b"\t", b"\\t"))


def _clean_utf8(text: str) -> bytes:
    """_clean(text).encode()."""
    if "\ufffe" in text or "\uffff" in text:
        text = text.replace("\ufffe", "").replace("\uffff", "")
    return text.encode().translate(None, _CONTROL_BYTES)


def _escape_bytes(data: bytes, table: tuple[tuple[bytes, bytes], ...]) -> bytes:
    for char, escaped in table:
        if char in data:
            data = data.replace(char, escaped)
    return data


def _text(value: str) -> str:
    """Escaped as lxml escapes element text."""
    if _XML_REFUSED.search(value):
        raise ValueError("All strings must be XML compatible")  # as lxml
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


def _attr(value: str) -> str:
    """Escaped as lxml escapes attribute values."""
    value = _text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#9;")
    return value


def _el(indent: int, tag: str, text: str) -> str:
    """A text-only element on its own line (lxml writes <x></x> for empty text)."""
    return f"{' ' * indent}<{tag}>{_text(text)}</{tag}>\n"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _rfc822(when: dt.datetime) -> str:
    """strftime('%a, %d %b %Y %H:%M:%S %z') in the C locale, without touching the locale."""
    if when.tzinfo is None:
        raise ValueError("Datetime object has no timezone info")
    return (f"{_DAYS[when.weekday()]}, {when.day:02d} {_MONTHS[when.month - 1]} "
            f"{when.strftime('%Y %H:%M:%S %z')}")


def _iso(when: dt.datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("Datetime object has no timezone info")
    return when.isoformat()


# -- absolute links inside content --------------------------------------------------

_TAG = re.compile(r"""<[A-Za-z](?:"[^"]*"|'[^']*'|[^'">])*>""")
_URL_ATTR = re.compile(
    r"""(\s(?:href|src|poster|cite|longdesc|background|action|data)\s*=\s*)"""
    r"""("[^"]*"|'[^']*'|[^\s"'>]+)""", re.I)
_SRCSET_ATTR = re.compile(r"""(\s(?:srcset|imagesrcset)\s*=\s*)("[^"]*"|'[^']*')""", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_UNSAFE = re.compile("[\t\r\n]")

# The fast path. Most tags are "simple": no '<' or '>' inside, quotes balanced, so _TAG
# ends them at their first '>' and none hides another. _SIMPLE_TAG matches such a tag.
# _MAYBE_URL_TAG stops at every '<' + letter that is not a simple tag whose every '=' is
# plain: its search skips text at C speed and spends a few steps per tag, instead of a
# Python call per tag. A plain '=' cannot end a match of _URL_ATTR or _SRCSET_ATTR: the
# character before it is neither a space nor the last letter of a URL attribute name,
# or the name before it is a common one that ends in such a letter (style, id, ...).
_PLAIN_EQ = r"(?:(?<![fcrenatdFCRENATD\s])|(?<=style)|(?<=id)|(?<=aria-hidden))="
_MAYBE_URL_TAG = re.compile(
    rf"""<[A-Za-z](?:[^<>"'=]++|"(?:[^<>"=]++|{_PLAIN_EQ})*+"|'(?:[^<>'=]++|{_PLAIN_EQ})*+'"""
    rf"""|{_PLAIN_EQ})*+(?!>)""")
_SIMPLE_TAG = re.compile(r"""<[A-Za-z](?:[^<>"']++|"[^<>"]*+"|'[^<>']*+')*+>""")


def absolute_links(html: str, page_url: str) -> str:
    """Every URL in tags made absolute against ``page_url`` (readers have no base URL)."""
    if "=" not in html:  # both attribute patterns need one
        return html
    fix_tag: Callable[[str], str] | None = None
    out = []
    done = 0
    for match in _MAYBE_URL_TAG.finditer(html):
        fix_tag = fix_tag or _tag_fixer(page_url)
        tag = _SIMPLE_TAG.match(html, match.start())
        if tag is None:
            # Not simple: _TAG's spans may differ from naive ones; scan as _TAG does.
            return _fix_every_tag(html, fix_tag)
        # Every tag before this one was simple, so this '<' starts a tag for _TAG too,
        # and _TAG's span is the simple one.
        out += [html[done:tag.start()], fix_tag(tag.group(0))]
        done = tag.end()
    if not out:
        return html
    out.append(html[done:])
    return "".join(out)


def _fix_every_tag(html: str, fix_tag: Callable[[str], str]) -> str:
    return _TAG.sub(lambda match: fix_tag(match.group(0)), html)


def _tag_fixer(page_url: str) -> Callable[[str], str]:
    parts = urlsplit(page_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    here = urljoin(page_url, "#")  # the page's URL without a fragment

    def fix(url: str) -> str:
        stripped = url.strip()
        if not stripped or _SCHEME.match(stripped):
            return url
        # The common cases, without urljoin (urlsplit drops tabs and newlines: not here).
        if stripped[0] == "/" and stripped[1:2] != "/":
            return origin + stripped
        if stripped[0] == "#" and not _URL_UNSAFE.search(stripped):
            return here + stripped if len(stripped) > 1 else here
        return urljoin(page_url, stripped)

    def fix_attr(match: re.Match[str]) -> str:
        value = match.group(2)
        quote_char = value[0] if value[0] in "\"'" else ""
        inner = value[1:-1] if quote_char else value
        return f"{match.group(1)}{quote_char}{fix(inner)}{quote_char}"

    def fix_srcset(match: re.Match[str]) -> str:
        value = match.group(2)
        candidates = []
        for candidate in value[1:-1].split(","):
            parts = candidate.strip().split(None, 1)
            if parts:
                candidates.append(" ".join([fix(parts[0]), *parts[1:]]))
        return f"{match.group(1)}{value[0]}{', '.join(candidates)}{value[0]}"

    def fix_tag(tag: str) -> str:
        return _SRCSET_ATTR.sub(fix_srcset, _URL_ATTR.sub(fix_attr, tag))

    return fix_tag


# -- enclosures -------------------------------------------------------------------------

MIME_TYPES = {
    # A fixed table: the system's mimetypes database differs between machines.
    "mp3": "audio/mpeg", "m4a": "audio/mp4", "aac": "audio/aac", "ogg": "audio/ogg",
    "oga": "audio/ogg", "opus": "audio/ogg", "wav": "audio/wav", "flac": "audio/flac",
    "mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "mov": "video/quicktime",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
    "webp": "image/webp", "avif": "image/avif", "svg": "image/svg+xml", "pdf": "application/pdf",
}


def media(site: Site, page: Page, key: str) -> Media | None:
    """Front matter ``key`` (a path beside the page, a /site/path or a URL) as Media."""
    value = page.extra.get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    config = site.config
    ext = posixpath.splitext(urlsplit(value).path)[1].lstrip(".").lower()
    mime = MIME_TYPES.get(ext, "application/octet-stream")
    if _SCHEME.match(value) or value.startswith("//"):
        return Media(urljoin(config.base_url, value), mime, 0)
    path = unquote(value.split("#")[0].split("?")[0])
    if path.startswith("/"):
        rel = posixpath.normpath(path.lstrip("/"))
    else:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(page.source), path))
        prefix = CONTENT_DIR + "/"
        if not rel.startswith(prefix):
            return Media(urljoin(absolute_url(config, page.url), value), mime, 0)
        rel = rel[len(prefix):]
    length = 0
    if rel in site.statics:  # only published files: never stat outside content/
        with contextlib.suppress(OSError):
            length = (config.root / CONTENT_DIR / rel).stat().st_size
    return Media(absolute_url(config, "/" + rel), mime, length)
