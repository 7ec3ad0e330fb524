"""feeds.py writes RSS, Atom and JSON Feed as strings, cleans and escapes content as
UTF-8 bytes, finds URLs in tags with a fast scan and reads the ID ledger without YAML
where it can: each must give exactly the bytes of the slower code it replaced.

That code is kept here as the oracle: feedgen + lxml for RSS and Atom, json.dumps for
JSON Feed, re.sub over every tag for absolute links, yaml.safe_load for ledger lines.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from generator import __version__, feed_ids, feeds
from generator.build import assemble
from generator.cache import recording
from generator.model import Site

from .conftest import FILES, SITE_YAML, write_site

# -- the oracle: feeds.py before it wrote feeds as strings ------------------------------


def oracle_rss(site: Site, scope: feeds.FeedScope, entries: Sequence[dict[str, Any]]) -> bytes:
    channel = feeds._channel(site, scope)
    fg = FeedGenerator()
    feed_email = channel["author"].get("email")
    if any(e["author"] for e in entries) or not feed_email:
        fg.load_extension("dc", atom=False, rss=True)
    fg.title(channel["title"])
    fg.link(href=feeds.absolute_url(site.config, scope.url(feeds.FORMATS[0])), rel="self",
            type=feeds.FORMATS[0].mime)
    fg.link(href=channel["link"], rel="alternate")
    fg.description(channel["description"])
    fg.language(channel["lang"])
    fg.generator("Kith", version=__version__)
    fg.docs("https://www.rssboard.org/rss-specification")
    if feed_email:
        fg.managingEditor(f"{feed_email} ({channel['author']['name']})")
    if site.config.copyright:
        fg.copyright(feeds._clean(site.config.copyright))
    fg.lastBuildDate(max(e["modified"] for e in entries))
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.title(entry["title"])
        fe.link(href=entry["url"])
        fe.guid(entry["id"], permalink=entry["id"] == entry["url"])
        fe.description(entry["html"])
        fe.pubDate(entry["date"])
        name = entry["author"] or channel["author"]["name"]
        if entry["author"] is None and feed_email:
            fe.author(name=name, email=feed_email)
        else:
            fe.dc.dc_creator(name)
        if entry["tags"]:
            fe.category([{"term": tag} for tag in entry["tags"]])
        enclosure = entry["audio"] or entry["image"]
        if enclosure:
            fe.enclosure(enclosure.url, str(enclosure.length), enclosure.mime)
    return bytes(fg.rss_str(pretty=True))


class _EntryLinks(BaseEntryExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: Any) -> Any:
        for attrs in self.links:
            xml_elem("link", entry, **attrs)
        return entry


def oracle_atom(site: Site, scope: feeds.FeedScope, entries: Sequence[dict[str, Any]]) -> bytes:
    channel = feeds._channel(site, scope)
    fmt = feeds.FORMATS[1]
    self_url = feeds.absolute_url(site.config, scope.url(fmt))
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(channel["title"])
    if channel["description"] != channel["title"]:
        fg.subtitle(channel["description"])
    fg.link(href=channel["link"], rel="alternate", type="text/html")
    fg.link(href=self_url, rel="self", type=fmt.mime)
    fg.language(channel["lang"])
    author = channel["author"]
    fg.author({k: v for k, v in (("name", author["name"]), ("email", author.get("email")),
                                 ("uri", author.get("url"))) if v})
    fg.generator("Kith", version=__version__)
    if site.config.copyright:
        fg.rights(feeds._clean(site.config.copyright))
    fg.updated(max(e["modified"] for e in entries))
    fg.register_extension("kith", BaseExtension, _EntryLinks, atom=True, rss=False)
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry["id"])
        fe.title(entry["title"])
        fe.updated(entry["modified"])
        fe.published(entry["date"])
        links = [{"href": entry["url"], "rel": "alternate", "type": "text/html"}]
        fe.content(entry["html"], type="html")
        if entry["summary"]:
            fe.summary(entry["summary"])
        if entry["author"] or entry["site_author"]:  # every entry names its author
            fe.author(name=entry["author"] or entry["site_author"])
        if entry["tags"]:
            fe.category([{"term": tag} for tag in entry["tags"]])
        for item in (entry["audio"], entry["image"]):
            if item:
                links.append({"href": item.url, "rel": "enclosure", "type": item.mime,
                              "length": str(item.length)})
        fe.kith.links = links
    return bytes(fg.atom_str(pretty=True))


def oracle_json(site: Site, scope: feeds.FeedScope, entries: Sequence[dict[str, Any]]) -> bytes:
    channel = feeds._channel(site, scope)
    author = channel["author"]
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel["title"],
        "home_page_url": channel["link"],
        "feed_url": feeds.absolute_url(site.config, scope.url(feeds.FORMATS[2])),
        "description": channel["description"],
        "language": channel["lang"],
        "authors": [{k: v for k, v in (("name", author["name"]), ("url", author.get("url")))
                     if v}],
        "items": [],
    }
    for entry in entries:
        item: dict[str, Any] = {"id": entry["id"], "url": entry["url"], "title": entry["title"],
                                "content_html": entry["html"]}
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
        feed["items"].append(item)
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode()


_TAG = re.compile(r"""<[A-Za-z](?:"[^"]*"|'[^']*'|[^'">])*>""")
_URL_ATTR = re.compile(
    r"""(\s(?:href|src|poster|cite|longdesc|background|action|data)\s*=\s*)"""
    r"""("[^"]*"|'[^']*'|[^\s"'>]+)""", re.I)
_SRCSET_ATTR = re.compile(r"""(\s(?:srcset|imagesrcset)\s*=\s*)("[^"]*"|'[^']*')""", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def oracle_absolute_links(html: str, page_url: str) -> str:
    parts = urlsplit(page_url)
    origin = f"{parts.scheme}://{parts.netloc}"

    def fix(url: str) -> str:
        stripped = url.strip()
        if not stripped or _SCHEME.match(stripped):
            return url
        if stripped[0] == "/" and stripped[1:2] != "/":
            return origin + stripped
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

    def fix_tag(match: re.Match[str]) -> str:
        return _SRCSET_ATTR.sub(fix_srcset, _URL_ATTR.sub(fix_attr, match.group(0)))

    return _TAG.sub(fix_tag, html)


# -- whole feeds against the oracle -------------------------------------------------------

# Everything the serialisers treat specially: markup, quotes, CR, tabs, characters XML
# refuses, non-ASCII, an author, a permalink ID, empty tags, no summary, enclosures.
TRICKY: dict[str, str | bytes] = {
    "content/posts/2026-04-01-odd.md": (
        "---\n"
        'title: "A & B <c> \\"q\\" \'s\' \\t tab \\r cr \\x01 bell ünï 中文 \\U0001F600"\n'
        "summary: \"Sum & <sum> \\r\\n line\"\n"
        "author: \"Bo <bo@x> & co\"\n"
        "id: https://example.com/posts/odd/\n"
        "tags: [\"a&b\", \"<t>\", \"q\\\"uote\", \"\"]\n"
        "audio: /clip.ogg\n"
        "---\n"
        "Text with \r\ncarriage return, \x0b vertical tab, a [rel](../x/) link, "
        "[frag](#top), [q](?a=1&b=2) and `<code> & \"q\"`.\n\n"
        "<p title='x > y' data-x=\"a<b\"><a href=\"/in/quotes/\">in</a></p>\n\n"
        "<img alt=\"x src=/sneaky.png\" SRC = 'up.png'> \\ back\\slash \u2028 sep\n"
    ),
    "content/clip.ogg": b"OggS" + b"0" * 50,
    "content/posts/2026-04-02-plain.md": "---\ntitle: Plain\ndate: 2026-04-02T08:00:00Z\n"
                                         "---\n\n",
}

CONFIGS = {
    "with-email": SITE_YAML,
    "no-email": SITE_YAML.replace("author: {name: Ada Writer, email: ada@example.com, "
                                  "url: https://example.com/about/}",
                                  "author: {name: Ada & <Writer>}\n"
                                  "copyright: \"© 2026 Ada & co <x>\"")
    + "feeds: {content: summary, limit: 0}\n",
}


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_feeds_match_feedgen_and_json_dumps(tmp_path: Path, config: str) -> None:
    root = write_site(tmp_path / "site", {**FILES, **TRICKY}, CONFIGS[config])
    site = assemble(root).site
    ids = feed_ids.entry_ids(site)
    scopes = feeds.feed_scopes(site)
    assert len(scopes) >= 8
    for scope in scopes:
        pages = scope.entries[:scope.limit] if scope.limit else scope.entries
        entries = [feeds._Entry(feeds._entry(site, page, ids, scope.content))
                   for page in pages]
        dicts = [dict(e.data, html=e.data["html"].decode()) for e in entries]
        assert feeds._rss(site, scope, entries) == oracle_rss(site, scope, dicts), scope.base
        assert feeds._atom(site, scope, entries) == oracle_atom(site, scope, dicts), scope.base
        assert (feeds._json_feed(site, scope, entries)
                == oracle_json(site, scope, dicts)), scope.base


def test_empty_content_and_missing_fields_match_feedgen(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", FILES)
    site = assemble(root).site
    scope = feeds.feed_scopes(site)[0]
    data = feeds._entry(site, scope.entries[0], feed_ids.entry_ids(site), scope.content)
    for html, title in ((b"", "Title"), (b"", "\x01"), (b"<p>x</p>", "")):
        entry = feeds._Entry({**data, "html": html, "title": feeds._clean(title)})
        oracle = dict(entry.data, html=html.decode())
        for ours, theirs in ((feeds._rss, oracle_rss), (feeds._atom, oracle_atom)):
            try:
                want: bytes | type[Exception] = theirs(site, scope, [oracle])
            except ValueError:
                want = ValueError
            if want is ValueError:
                with pytest.raises(ValueError):
                    ours(site, scope, [feeds._Entry(entry.data)])
            else:
                assert ours(site, scope, [feeds._Entry(entry.data)]) == want


def test_feed_units_share_entries_but_each_records_its_reads(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", FILES)
    site = assemble(root).site
    for uid in ("/tags/python/", "/posts/", "/zh/"):
        with recording() as cold:  # every entry made afresh
            dict(feeds.feed_units(site))[uid]()
        units = dict(feeds.feed_units(site))
        for other in units:
            units[other]()  # now every entry is cached
        with recording() as warm:
            units[uid]()
        assert cold and warm == cold, uid


def test_an_entry_too_large_to_keep_gives_the_same_feeds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries over feeds.KEEP_FORMS serialise afresh for each feed (bounded memory for a
    huge post): the same bytes as entries that keep their forms."""
    root = write_site(tmp_path / "site", {**FILES, **TRICKY}, CONFIGS["with-email"])
    site = assemble(root).site

    def every_feed() -> dict[str, bytes]:
        return {o.path: o.data for _, render in feeds.feed_units(site) for o in render()
                if o.data is not None}

    kept = every_feed()
    monkeypatch.setattr(feeds, "KEEP_FORMS", 0)
    units = feeds.feed_units(site)
    for _, render in units:
        render()
    assert units._entries and all(
        e._content is None and e._atom is None and e._json is None and not e._rss
        for e in units._entries.values() if e.data["html"])
    assert every_feed() == kept


# -- the pieces --------------------------------------------------------------------------

SNIPPETS = ['<a href="/x">', "<a href='y'>", "<a HREF=z>", '<img src="a.png" srcset="b.png 1x, '
            '/c.png 2x">', "<p>", "</p>", "<td style=\"a:b\">", '<h2 id="s">', "<a href=#f>",
            '<a class="c" href="#g" aria-hidden="true">', " href=/t ", "<", ">", '"', "'", "=",
            " ", "\n", "<b title=\"x>y\">", "<i data='q<r'>", "<a\thref\t=\t'../u'>", "text",
            "<video poster=p.jpg>", "<form action=\"?q\">", "&amp;", "中文", "\u3000href=/w",
            "<a title='it's'>", "<x-y z=1>", "<!-- c -->", "<br/>", "<a href=\"//h/p\">",
            "<source srcset='s.webp 2x,,  t.webp'>", "<a href='#'>", "<a href='#a\tb'>",
            "<q cite=\"/c\">", "<a href=\" /sp \">", "<a  STYLE=x href=y>", "<iD=1 src=s>"]


def test_absolute_links_matches_a_scan_of_every_tag() -> None:
    rng = random.Random(7)
    bases = ["https://example.com/posts/a/", "https://example.com/sub/zh/b/?q#f"]
    for _ in range(20000):
        html = "".join(rng.choice(SNIPPETS) for _ in range(rng.randint(0, 12)))
        for base in bases:
            assert feeds.absolute_links(html, base) == oracle_absolute_links(html, base), html


def test_content_bytes_match_clean_escape_and_json() -> None:
    rng = random.Random(3)
    alphabet = [chr(c) for c in range(0, 0x90)] + list("\u2028\ufffe\uffff\ufeffé中😀")
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        clean = feeds._clean(text)
        data = feeds._clean_utf8(text)
        assert data == clean.encode()
        assert (feeds._escape_bytes(data, feeds._XML_TEXT_BYTES).decode()
                == clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\r", "&#13;"))
        assert (feeds._escape_bytes(data, feeds._JSON_BYTES)
                == json.dumps(clean, ensure_ascii=False)[1:-1].encode())


def test_ledger_lines_read_as_yaml_reads_them(tmp_path: Path) -> None:
    rng = random.Random(11)
    alphabet = ([chr(c) for c in range(0, 0x300)]
                + list("\u2028\u2029\ufeff\ufffe\uffff\ud7ff\ue000😀:#'\"\\-{}[],&*!|>%@`\t"))
    fast = 0
    for _ in range(30000):
        key, value = ("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4)))
                      for _ in range(2))
        line = f'"{key}": "{value}"'
        match = feed_ids._LEDGER_LINE.fullmatch(line)
        if match:
            fast += 1
            assert yaml.safe_load(line) == {match[1]: match[2]}, line
    assert fast > 10000
    path = tmp_path / feed_ids.FEED_IDS_FILE
    path.write_text('# c\n"content/a.md": "tag:x,2026-01-01:a"\n'
                    "'content/b.md': 'tag:x,2026-01-01:b'\n"
                    '"content/a.md": "tag:x,2026-01-01:later"\n', encoding="utf-8")
    assert feed_ids.load_ledger(tmp_path) == {"content/a.md": "tag:x,2026-01-01:a",
                                           "content/b.md": "tag:x,2026-01-01:b"}


def test_rfc822_dates_need_no_locale() -> None:
    import datetime as dt

    from feedgen.util import formatRFC2822

    zone = dt.timezone(dt.timedelta(hours=-3, minutes=-30))
    for day in range(0, 800, 13):
        when = dt.datetime(2024, 1, 1, 5, 6, 7, tzinfo=zone) + dt.timedelta(days=day)
        assert feeds._rfc822(when) == formatRFC2822(when)



def test_a_page_too_long_for_a_feed_is_summarised_even_in_full_feeds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over feeds.FULL_LIMIT characters of HTML an entry carries the page's summary (a
    reader downloads the feed on every poll); shorter pages keep their whole text."""
    long_body = "The first paragraph.\n\n" + "More words here. " * 200 + "\n"
    root = write_site(tmp_path / "site", {
        "content/posts/2026-01-01-long.md": f"---\ntitle: Long\n---\n\n{long_body}",
        "content/posts/2026-01-02-short.md": "---\ntitle: Short\n---\n\nShort text.\n",
    }, SITE_YAML)
    site = assemble(root).site
    monkeypatch.setattr(feeds, "FULL_LIMIT", 1000)
    rss = next(o.data for _, render in feeds.feed_units(site) for o in render()
               if o.path == "feed.xml")
    items = {m.group(1): m.group(2) for m in re.finditer(
        rb"<title>(\w+)</title>.*?<description>(.*?)</description>", rss, re.S)}
    assert items[b"Long"] == b"&lt;p&gt;The first paragraph.&lt;/p&gt;"
    assert items[b"Short"].startswith(b"&lt;p&gt;Short text.&lt;/p&gt;")
    monkeypatch.setattr(feeds, "FULL_LIMIT", 1 << 20)
    rss = next(o.data for _, render in feeds.feed_units(site) for o in render()
               if o.path == "feed.xml")
    assert b"More words here. More words here." in rss
