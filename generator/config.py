"""site.yaml -> SiteConfig: validated, with every problem reported at once."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .dates import zone
from .errors import KithError, Problem, closest, describe, not_utf8, one_of
from .feed_settings import FeedSettings, read_feeds
from .paths import base_url_problem, shown, url_problem
from .yamlio import LineDict, YamlProblem, line_of, load_yaml

CONFIG_FILE = "site.yaml"

# BCP-47 tags and directions for site language codes that are not tags themselves.
KNOWN_TAGS = {"hant": "zh-Hant", "hans": "zh-Hans", "cn": "zh-CN", "tw": "zh-TW"}
RTL = {"ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"}

DEFAULT_PERMALINKS = {
    "posts": "/posts/:slug/",
    "tutorials": "/tutorials/:series/:slug/",
    "pages": "/:path/",
}
PERMALINK_TOKENS = (":year", ":month", ":day", ":slug", ":title", ":lang", ":collection",
                    ":series", ":path")
MARKDOWN_KEYS = {"typographer", "math", "math_script"}
MATH_MODES = ("mathml", "mathjax")
MATH_SCRIPT = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"
COLLECTION_KEYS = {"match", "title", "permalink", "url"}
NOTICE_KEYS = {"when", "text"}
BUILTIN_COLLECTIONS = ("posts", "tutorials", "pages")
MENU_KEYS = {"label", "url", "order"}
SEARCH_KEYS = {"enabled", "shard_size"}
IMAGE_KEYS = {"widths", "quality"}
ANALYTICS = {"plausible": {"domain", "src"}, "goatcounter": {"endpoint", "src"},
             "umami": {"website_id", "src"}}
"""Cookie-free analytics a site can turn on, and the keys of each."""
ANALYTICS_SRC = {"plausible": "https://plausible.io/js/script.js",
                 "goatcounter": "https://gc.zgo.at/count.js",
                 "umami": "https://cloud.umami.is/script.js"}


@dataclass(frozen=True)
class Language:
    """One language the site publishes in."""

    code: str
    """The site's own identifier, used in file suffixes and URL prefixes ('hant')."""
    tag: str
    """BCP-47 tag for lang attributes and hreflang ('zh-Hant')."""
    name: str
    """Name shown in the language switcher, in that language."""
    direction: str = "ltr"
    title: str | None = None
    description: str | None = None
    date_format: str | None = None


@dataclass(frozen=True)
class MarkdownSettings:
    typographer: bool = False
    """Curly quotes, dashes and ellipses (markdown-it's typographer)."""
    math: str = "mathml"
    """'mathml': formulas converted at build time; 'mathjax': TeX kept for MathJax."""
    math_script: str = MATH_SCRIPT
    """The MathJax script the theme loads when ``math`` is 'mathjax'."""

    @property
    def options(self) -> str:
        """What the Markdown stage needs, as words ('typographer mathjax'); '' by default."""
        words = ["typographer"] if self.typographer else []
        return " ".join([*words, *([self.math] if self.math != "mathml" else [])])


@dataclass(frozen=True)
class Collection:
    """Posts grouped by front matter (``type: note``): their own list, feeds and URLs."""

    name: str
    match: Mapping[str, Any]
    """Front matter key -> value a post must have to belong here."""
    title: Mapping[str, str] = field(default_factory=dict)
    """Language code -> title of the list page; '' for every language."""
    url: str = ""
    """The list page's URL in the site language ('/notes/'); others under /<code>/."""

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("") or self.name.capitalize()


@dataclass(frozen=True)
class Notice:
    """A label shown on a page and in its feed entry when its front matter matches."""

    when: Mapping[str, Any]
    text: Mapping[str, str]
    """Language code -> text; '' for every language."""

    def text_in(self, lang: str) -> str:
        return self.text.get(lang) or self.text.get("") or ""


@dataclass(frozen=True)
class MenuItem:
    """One entry of a language's menu (``menus:`` in site.yaml)."""

    label: str
    url: str
    """Site-relative ('/about/') or absolute ('https://...')."""
    order: int = 0
    """Entries are shown by order, then as listed."""


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool = True
    shard_size: int = 1000
    """Pages per index shard: an edit indexes its shard again, a query reads every shard."""


@dataclass(frozen=True)
class ImageSettings:
    widths: tuple[int, ...] = (480, 960, 1440)
    """Widths of the smaller copies made of each raster image (never wider than it)."""
    quality: int = 82
    """JPEG and WebP quality of those copies."""


@dataclass(frozen=True)
class Analytics:
    """A cookie-free analytics snippet: which service, and its settings."""

    service: str
    """'plausible', 'goatcounter' or 'umami'."""
    src: str
    """The script's URL."""
    value: str
    """Plausible: the domain; GoatCounter: the count endpoint; Umami: the website ID."""


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml says, with defaults filled in."""

    root: Path
    title: str
    base_url: str
    """Absolute, ending in '/'; may carry a path ('https://u.github.io/repo/')."""
    language: str
    languages: tuple[Language, ...]
    timezone: str = "UTC"
    author: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    permalinks: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PERMALINKS))
    paginate: int = 10
    paginate_terms: int = 50
    """Posts per tag or category page: a tag of a big site is read as an index, and
    ten a page made 30,000 posts 15,000 tag pages (200 MB, mostly the same chrome)."""
    taxonomies: tuple[str, ...] = ("tags", "categories")
    feeds: FeedSettings = field(default_factory=FeedSettings)
    cname: str = ""
    copyright: str = ""
    exclude: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    """Free-form settings for templates (``site.params``)."""
    markdown: MarkdownSettings = field(default_factory=MarkdownSettings)
    collections: tuple[Collection, ...] = ()
    """Collections declared in site.yaml, in order."""
    home_collections: tuple[str, ...] | None = None
    """Dated collections the home page, archive and main feeds list; None: all of them."""
    notices: tuple[Notice, ...] = ()
    footer: Mapping[str, str] = field(default_factory=dict)
    """Language code -> footer text (Markdown, one paragraph); '' for every language."""
    redirects: Mapping[str, str] = field(default_factory=dict)
    """Old URL -> where its redirect page sends readers."""
    menus: Mapping[str, tuple[MenuItem, ...]] = field(default_factory=dict)
    """Language code -> its menu; a language without one gets the theme's default."""
    search: SearchSettings = field(default_factory=SearchSettings)
    images: ImageSettings = field(default_factory=ImageSettings)
    analytics: tuple[Analytics, ...] = ()
    favicon: str = ""
    """A square image in content/ the favicon set is made from ('' = the theme's)."""
    lines: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)
    """The line of each top-level setting in site.yaml, for later stages' messages (not
    in the repr, which is the settings' digest: moving a line changes no output)."""

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or '/repo/'."""
        return urlsplit(self.base_url).path or "/"

    @property
    def tz(self) -> dt.tzinfo:
        return zone(self.timezone)

    def lang(self, code: str) -> Language:
        for language in self.languages:
            if language.code == code:
                return language
        return Language(code=code, tag=KNOWN_TAGS.get(code, code), name=code)

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.languages)

    @property
    def dated_collections(self) -> tuple[str, ...]:
        """'posts' and the collections declared in site.yaml (each takes posts)."""
        return ("posts", *(c.name for c in self.collections))

    @property
    def listed_collections(self) -> tuple[str, ...]:
        """The dated collections the home page and the archive list."""
        if self.home_collections is None:
            return self.dated_collections
        return self.home_collections

    def collection(self, name: str) -> Collection | None:
        return next((c for c in self.collections if c.name == name), None)


KNOWN_KEYS = {
    "title", "base_url", "language", "languages", "timezone", "author", "description",
    "permalinks", "paginate", "paginate_terms", "taxonomies", "feeds", "cname", "copyright",
    "exclude", "params",
    "markdown", "collections", "home_collections", "notices", "footer", "redirects",
    "menus", "search", "images", "analytics", "favicon",
}
LANGUAGE_KEYS = {"code", "tag", "name", "direction", "title", "description", "date_format"}
AUTHOR_KEYS = {"name", "email", "url"}


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """Read and validate ``root/site.yaml``; raise KithError with every problem."""
    config, problems = read_config(root, base_url)
    if problems:
        raise KithError(problems)
    return config


CONTENT_SETTINGS = frozenset({"title", "base_url", "language", "languages", "timezone",
                              "permalinks", "taxonomies", "exclude", "markdown",
                              "collections", "home_collections"})
"""The settings that shape how content is read: while one of them is wrong, the site's
pages cannot be checked (an unknown language, a permalink collision would be false)."""


def read_config(root: Path, base_url: str | None = None) -> tuple[SiteConfig, list[Problem]]:
    """``load_config``, but a wrong setting that does not shape how content is read
    (``paginate: ten``, a feed setting, a menu) comes back as a problem beside a config
    that has its default, so that a build can report the content's problems too.
    Raise KithError when the file cannot be read or a CONTENT_SETTINGS is wrong."""
    data = _load_data(root)
    config, problems = _parse_config(root, data, base_url)
    if problems and isinstance(data, LineDict):
        core = LineDict((k, v) for k, v in data.items() if k in CONTENT_SETTINGS)
        core.lines, core.line = getattr(data, "lines", {}), getattr(data, "line", 1)
        # 'langauges:' is an unknown setting, but the languages meant are not the default.
        misspelt = any(next(iter(difflib.get_close_matches(str(k), KNOWN_KEYS, n=1)), "")
                       in CONTENT_SETTINGS for k in data if k not in KNOWN_KEYS)
        if misspelt or _parse_config(root, core, base_url)[1]:
            raise KithError(problems)
    return config, problems


def _load_data(root: Path) -> Any:
    path = root / CONFIG_FILE
    if not path.is_file():
        raise KithError([Problem(CONFIG_FILE, 0, f"no {CONFIG_FILE} in {root}",
                                 "run kith in a site folder, or pass -C DIR")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KithError([not_utf8(CONFIG_FILE, raw, exc)]) from None
    try:
        return load_yaml(text, unique_keys=True) or LineDict()
    except YamlProblem as exc:
        raise KithError([Problem(CONFIG_FILE, exc.line, exc.message, exc.hint or
                                 "check indentation and quote values containing ': '")]) from None


class _Reader:
    """Reads one mapping of site.yaml, collecting problems with the line of each key."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.problems: list[Problem] = []

    def bad(self, key: Any, message: str, hint: str = "", where: Any = None) -> None:
        self.problems.append(Problem(CONFIG_FILE, line_of(where if where is not None
                                                          else self.data, key), message, hint))

    def text(self, key: str, default: str = "", required: bool = False) -> str:
        value = self.data.get(key, default)
        if key not in self.data and required:
            self.problems.append(Problem(CONFIG_FILE, 0, f"missing required setting '{key}'",
                                         f"add '{key}: ...' to {CONFIG_FILE}"))
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.bad(key, f"'{key}' must be text, got {describe(value)}",
                     f'e.g. {key}: "...", quoted if it holds ": " or starts with [ or {{')
            return default
        return str(value)


def parse_config(root: Path, data: Any, base_url: str | None = None) -> SiteConfig:
    config, problems = _parse_config(root, data, base_url)
    if problems:
        raise KithError(problems)
    return config


def _parse_config(root: Path, data: Any, base_url: str | None = None
                  ) -> tuple[SiteConfig, list[Problem]]:
    """The config, each wrong value replaced by its default, and the problems."""
    if not isinstance(data, dict):
        raise KithError([Problem(CONFIG_FILE, 1, "expected a mapping of settings",
                                 "write 'key: value' lines, e.g. 'title: My site'")])
    read = _Reader(data)
    for key in data:
        if key not in KNOWN_KEYS:
            read.bad(key, f"unknown setting '{key}'",
                     closest(str(key), KNOWN_KEYS) or "free-form values go under 'params:'")
    title = read.text("title", required=True)
    url = _base_url(read, base_url)
    language = read.text("language", "en")
    languages = _languages(data, language, read.bad)
    timezone = read.text("timezone", "UTC")
    try:
        zone(timezone)
    except ValueError:
        read.bad("timezone", f"unknown time zone '{timezone}'",
                 "use an IANA name such as UTC, Europe/Berlin or Asia/Shanghai")
    author = _author(read)
    permalinks = _permalinks(read)
    paginate = _page_size(read, "paginate", 10)
    paginate_terms = _page_size(read, "paginate_terms", 50)
    taxonomies = data.get("taxonomies", ["tags", "categories"])
    if not isinstance(taxonomies, list) or not all(
            isinstance(t, str) and _TAXONOMY.match(t) for t in taxonomies):
        read.bad("taxonomies", "'taxonomies' must be a list of names in lower-case letters, "
                 "digits, '-' and '_' (each names a folder of the site)",
                 "e.g. [tags, categories]")
        taxonomies = ["tags", "categories"]
    feeds = read_feeds(data.get("feeds", {}), read.bad)
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        read.bad("exclude", "'exclude' must be a list of glob patterns",
                 "e.g. [drafts-old/**, '*.tmp']")
        exclude = []
    params = data.get("params", {})
    if not isinstance(params, dict):
        read.bad("params", "'params' must be a mapping", "e.g. params: {mastodon: me}")
        params = {}
    markdown = _markdown(read)
    collections = _collections(read, permalinks)
    home = _collection_names(read, "home_collections", collections)
    _check_main_collections(read, collections)
    notices = _notices(read)
    footer = _texts(read, data, "footer", [lang.code for lang in languages])
    redirects = _redirects(read)
    menus = _menus(read, [lang.code for lang in languages])
    search = _search(read)
    images = _images(read)
    analytics = _analytics(read)
    favicon = read.text("favicon")
    if favicon and not (root / favicon).is_file():
        read.bad("favicon", f"favicon {shown(favicon)} does not exist",
                 "name a square PNG or JPEG in the site folder, e.g. favicon: content/icon.png")
        favicon = ""
    texts = {key: read.text(key) for key in ("description", "cname", "copyright")}
    if texts["cname"] and not _DOMAIN.fullmatch(texts["cname"]):
        read.bad("cname", f"cname {shown(texts['cname'])} is not a domain name",
                 "write the bare domain, such as cname: blog.example.com (no https://, "
                 "no path; an international name in its xn-- form)")
    return SiteConfig(
        root=root, title=title, base_url=url, language=language, languages=languages,
        timezone=timezone, author=author, permalinks=permalinks, paginate=paginate,
        paginate_terms=paginate_terms,
        taxonomies=tuple(taxonomies), feeds=feeds, exclude=tuple(exclude), params=params,
        markdown=markdown, collections=collections, home_collections=home, notices=notices,
        footer=footer, redirects=redirects, menus=menus, search=search, images=images,
        analytics=analytics, favicon=favicon, **texts,
        lines={str(k): v for k, v in getattr(data, "lines", {}).items()},
    ), read.problems


def _section(read: _Reader, key: str, known: set[str], example: str) -> dict[str, Any] | None:
    """A mapping setting with its unknown keys reported; None when absent or not a mapping."""
    raw = read.data.get(key)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        read.bad(key, f"'{key}' must be a mapping", f"e.g. {example}")
        return None
    for name in raw:
        if name not in known:
            read.bad(name, f"unknown {key} setting '{name}'",
                     closest(str(name), known) or one_of(known), where=raw)
    return raw


def _menus(read: _Reader, codes: list[str]) -> dict[str, tuple[MenuItem, ...]]:
    """``menus: {en: [{label, url, order}], zh: [...]}``; a plain list is every language's."""
    raw = read.data.get("menus")
    if raw is None:
        return {}
    example = "menus: {en: [{label: About, url: /about/}]}"
    if isinstance(raw, list):
        raw_by_lang: dict[Any, Any] = dict.fromkeys(codes, raw)
        where: dict[Any, Any] = dict.fromkeys(codes, read.data)
    elif isinstance(raw, dict):
        raw_by_lang, where = raw, dict.fromkeys(raw, raw)
    else:
        read.bad("menus", "'menus' must map a language code to a list of entries",
                 f"e.g. {example}")
        return {}
    menus: dict[str, tuple[MenuItem, ...]] = {}
    for code, entries in raw_by_lang.items():
        if str(code) not in codes:
            read.bad(code, f"menus for unknown language '{code}'",
                     closest(str(code), codes) or one_of(codes), where=raw)
            continue
        if not isinstance(entries, list):
            read.bad(code, f"menus.{code} must be a list of entries", f"e.g. {example}",
                     where=where[code])
            continue
        items = []
        for index, entry in enumerate(entries):
            item = _menu_item(read, entry, entries, index, str(code))
            if item is not None:
                items.append(item)
        menus[str(code)] = tuple(sorted(items, key=lambda i: i.order))  # stable: as listed
    return menus


def _menu_item(read: _Reader, entry: Any, entries: list[Any], index: int,
               code: str) -> MenuItem | None:
    if not isinstance(entry, dict):
        read.bad(index, f"menus.{code}: each entry must be a mapping with label and url",
                 "e.g. {label: About, url: /about/}", where=entries)
        return None
    for key in entry:
        if key not in MENU_KEYS:
            read.bad(key, f"unknown menu entry setting '{key}'",
                     closest(str(key), MENU_KEYS) or one_of(MENU_KEYS), where=entry)
    label, url, order = entry.get("label"), entry.get("url"), entry.get("order", index * 10)
    ok = True
    for key, value in (("label", label), ("url", url)):
        if not isinstance(value, str) or not value.strip():
            read.bad(key if key in entry else index,
                     f"menus.{code}: '{key}' must be text, got {describe(value)}",
                     "e.g. {label: About, url: /about/}", where=entry if key in entry else entries)
            ok = False
    if not isinstance(order, int) or isinstance(order, bool):
        read.bad("order", f"menus.{code}: 'order' must be a whole number, got {describe(order)}",
                 where=entry)
        ok = False
    if ok and not (str(url).startswith(("/", "#")) or _SCHEME.match(str(url))):
        read.bad("url", f"menus.{code}: url '{url}' must start with '/' or be absolute",
                 "site paths start with '/' and get the base path: /about/", where=entry)
        ok = False
    elif ok and _SCRIPT_SCHEME.match(str(url)):
        read.bad("url", f"menus.{code}: url {shown(str(url))} runs a script or opens a file, "
                 "on every page", "a menu links to a page: /about/ or https://...",
                 where=entry)
        ok = False
    return MenuItem(str(label).strip(), str(url), int(order)) if ok else None


def _search(read: _Reader) -> SearchSettings:
    if isinstance(read.data.get("search"), bool):  # 'search: false'; true is the default
        return SearchSettings(enabled=read.data["search"])
    raw = _section(read, "search", SEARCH_KEYS, "search: {shard_size: 1000} or search: false")
    if raw is None:
        return SearchSettings()
    enabled, size = raw.get("enabled", True), raw.get("shard_size", 1000)
    if not isinstance(enabled, bool):
        read.bad("enabled", f"search.enabled must be true or false, got {enabled!r}", where=raw)
        enabled = True
    if not isinstance(size, int) or isinstance(size, bool) or size < 50:
        read.bad("shard_size", f"search.shard_size must be a whole number of at least 50, "
                 f"got {size!r}", "the default, 1000, suits most sites", where=raw)
        size = 1000
    return SearchSettings(enabled=enabled, shard_size=size)


def _images(read: _Reader) -> ImageSettings:
    raw = _section(read, "images", IMAGE_KEYS, "images: {widths: [480, 960], quality: 80}")
    if raw is None:
        return ImageSettings()
    widths, quality = raw.get("widths", list(ImageSettings.widths)), raw.get("quality", 82)
    if not isinstance(widths, list) or not widths or not all(
            isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8192 for w in widths):
        read.bad("widths", f"images.widths must be a list of widths in pixels (16-8192), "
                 f"got {widths!r}", "e.g. [480, 960, 1440]", where=raw)
        widths = list(ImageSettings.widths)
    if not isinstance(quality, int) or isinstance(quality, bool) or not 1 <= quality <= 100:
        read.bad("quality", f"images.quality must be a whole number from 1 to 100, "
                 f"got {quality!r}", where=raw)
        quality = 82
    return ImageSettings(widths=tuple(sorted(set(widths))), quality=quality)


def _analytics(read: _Reader) -> tuple[Analytics, ...]:
    """Off unless named: ``analytics: {plausible: {domain: example.com}}``."""
    raw = _section(read, "analytics", set(ANALYTICS), "analytics: {plausible: {domain: x.org}}")
    found = []
    for service, settings in sorted((raw or {}).items()):
        if service not in ANALYTICS:
            continue
        value_key = sorted(ANALYTICS[service] - {"src"})[0]
        if not isinstance(settings, dict) or not isinstance(settings.get(value_key), str) \
                or not settings[value_key].strip():
            read.bad(service, f"analytics.{service} needs '{value_key}'",
                     f"e.g. {service}: {{{value_key}: ...}}", where=raw)
            continue
        for key in settings:
            if key not in ANALYTICS[service]:
                read.bad(key, f"unknown analytics.{service} setting '{key}'",
                         closest(str(key), ANALYTICS[service]) or one_of(ANALYTICS[service]),
                         where=settings)
        src = settings.get("src", ANALYTICS_SRC[service])
        if not isinstance(src, str) or not re.match(r"https?://[^\s/?#]", src, re.I):
            read.bad("src", f"analytics.{service}.src must be an http(s) URL, got {src!r}",
                     where=settings)
            continue
        found.append(Analytics(service, src, settings[value_key].strip()))
    return tuple(found)


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
"""An absolute URL's start (urlsplit raises on some URLs people type: 'http://[::1/')."""
_SCRIPT_SCHEME = re.compile(r"\s*(?:javascript|vbscript|data|file):", re.I)
_DOMAIN = re.compile(r"(?=.{1,253}\Z)(?:(?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z][A-Za-z0-9-]*"
                     r"(?<!-)")


def _base_url(read: _Reader, given: str | None) -> str:
    """The site's absolute URL, ending in '/'; ``given`` (--base-url) wins over site.yaml."""
    url = given or read.text("base_url", "http://localhost:8000/", required=given is None)
    found = base_url_problem(url)
    if found:
        wrong, told = found
        read.problems.append(Problem(
            CONFIG_FILE if given is None else "--base-url",
            line_of(read.data, "base_url") if given is None else 0,
            f"base_url {shown(told)} {wrong}",
            "write it like https://example.com/ or https://user.github.io/repo/"))
    return url if url.endswith("/") else url + "/"


def _author(read: _Reader) -> dict[str, str]:
    author: dict[str, str] = {}
    raw = read.data.get("author", {})
    if isinstance(raw, str):
        return {"name": raw}
    if not isinstance(raw, dict):
        read.bad("author", "'author' must be a name or a mapping with name, email, url",
                 "e.g. author: {name: Mei Lin, email: mei@example.com}")
        return author
    for key, value in raw.items():
        if key not in AUTHOR_KEYS:
            read.bad(key, f"unknown author setting '{key}'", closest(str(key), AUTHOR_KEYS)
                     or one_of(AUTHOR_KEYS), where=raw)
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            read.bad(key, f"author {key} must be text, got {describe(value)}",
                     f'e.g. {key}: "..."', where=raw)
        else:
            author[key] = str(value)
    return author


def _permalinks(read: _Reader) -> dict[str, str]:
    permalinks = dict(DEFAULT_PERMALINKS)
    raw = read.data.get("permalinks", {})
    if not isinstance(raw, dict):
        read.bad("permalinks", "'permalinks' must map a collection to a pattern",
                 "e.g. permalinks: {posts: /:year/:month/:slug/}")
        return permalinks
    for key, value in raw.items():
        if key not in DEFAULT_PERMALINKS:
            read.bad(key, f"unknown collection '{key}' in permalinks",
                     closest(str(key), DEFAULT_PERMALINKS) or one_of(DEFAULT_PERMALINKS),
                     where=raw)
        elif not isinstance(value, str) or not value.startswith("/"):
            read.bad(key, f"permalink pattern for '{key}' must start with '/', got {value!r}",
                     "e.g. /posts/:slug/", where=raw)
        elif url_problem(value):  # a pattern becomes files: it must stay inside the site
            read.bad(key, f"permalink pattern for '{key}' {shown(value)} {url_problem(value)}",
                     "e.g. /posts/:slug/", where=raw)
        else:
            problem = check_permalink(value)
            if problem:
                read.bad(key, problem, "tokens: " + " ".join(PERMALINK_TOKENS), where=raw)
            permalinks[key] = value
    return permalinks


def check_permalink(pattern: str) -> str:
    """'' when the pattern only uses known tokens, else what is wrong."""
    for word in pattern.replace(".", "/").replace("-", "/").split("/"):
        if word.startswith(":") and word not in PERMALINK_TOKENS:
            return f"unknown permalink token '{word}' in {pattern!r}"
    return ""


def _languages(data: dict, default: str, bad: Any) -> tuple[Language, ...]:
    raw = data.get("languages", [default])
    entries: list[tuple[str, Any, Any]] = []  # (code, settings, where)
    if isinstance(raw, dict):
        entries = [(str(code), settings or {}, raw) for code, settings in raw.items()]
    elif isinstance(raw, list):
        for index, item in enumerate(raw):
            if isinstance(item, str):
                entries.append((item, {}, raw))
            elif isinstance(item, dict) and isinstance(item.get("code"), str):
                entries.append((item["code"], item, item))
            else:
                bad(index, "each language must be a code or a mapping with 'code'",
                    "e.g. languages: [en, zh] or {en: {name: English}, zh: {name: 中文}}",
                    where=raw)
    else:
        bad("languages", "'languages' must be a list of codes or a mapping of code to settings")
    if not _CODE.match(default):
        bad("language", f"language code '{default}' {_CODE_RULE}", _CODE_HINT)
        entries = [entry for entry in entries if entry[0] != default]  # reported once
    result = [language for code, settings, where in entries
              if (language := _language(code, settings, where or data, bad)) is not None]
    if _CODE.match(default) and default not in [lang.code for lang in result]:
        result.insert(0, Language(code=default, tag=KNOWN_TAGS.get(default, default),
                                  name=NATIVE_NAMES.get(default, default),
                                  direction="rtl" if default in RTL else "ltr"))
    return tuple(result)


# A code is a URL prefix (/zh/) and a file-name suffix (-zh.md): letters and digits.
_CODE = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
_CODE_RULE = "must be letters and digits, with '-' between parts"
_CODE_HINT = "e.g. en, zh, hant, pt-BR"
_TAXONOMY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LANGUAGE_TEXTS = ("tag", "name", "title", "description", "date_format")


def _language(code: str, settings: Any, where: Any, bad: Any) -> Language | None:
    """One language's settings, checked; None when the language cannot be used."""
    if not _CODE.match(code):
        bad(code, f"language code '{code}' {_CODE_RULE}", _CODE_HINT, where=where)
        return None
    if not isinstance(settings, dict):
        bad(code, f"settings for language '{code}' must be a mapping", where=where)
        return None
    for key in settings:
        if key not in LANGUAGE_KEYS:
            bad(key, f"unknown language setting '{key}'",
                closest(str(key), LANGUAGE_KEYS) or one_of(LANGUAGE_KEYS), where=settings)
    texts: dict[str, str] = {}
    for key in _LANGUAGE_TEXTS:
        value = settings.get(key)
        if value is not None and not isinstance(value, str):
            bad(key, f"language setting '{key}' must be text, got {describe(value)}",
                f'e.g. {key}: "..."', where=settings)
        elif value is not None:
            texts[key] = value
    direction = str(settings.get("direction", "rtl" if code.split("-")[0] in RTL else "ltr"))
    if direction not in ("ltr", "rtl"):
        bad("direction", f"direction must be ltr or rtl, got '{direction}'", where=settings)
    return Language(
        code=code, tag=texts.get("tag", KNOWN_TAGS.get(code, code)),
        name=texts.get("name", NATIVE_NAMES.get(code, code)), direction=direction,
        title=texts.get("title"), description=texts.get("description"),
        date_format=texts.get("date_format"))


def _markdown(read: _Reader) -> MarkdownSettings:
    raw = read.data.get("markdown", {})
    if not isinstance(raw, dict):
        read.bad("markdown", "'markdown' must be a mapping",
                 "e.g. markdown: {typographer: true, math: mathml}")
        return MarkdownSettings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in MARKDOWN_KEYS:
            read.bad(key, f"unknown markdown setting '{key}'",
                     closest(str(key), MARKDOWN_KEYS) or one_of(MARKDOWN_KEYS), where=raw)
        elif key == "typographer" and not isinstance(value, bool):
            read.bad(key, f"markdown.typographer must be true or false, got {describe(value)}",
                     where=raw)
        elif key == "math" and value not in MATH_MODES:
            read.bad(key, f"markdown.math must be {' or '.join(MATH_MODES)}, got {value!r}",
                     "mathml renders formulas at build time; mathjax leaves TeX for MathJax "
                     "in the browser", where=raw)
        elif key == "math_script" and not (isinstance(value, str) and value.strip()):
            read.bad(key, f"markdown.math_script must be a URL, got {describe(value)}",
                     where=raw)
        else:
            values[key] = value
    return MarkdownSettings(**values)


def _collections(read: _Reader, permalinks: dict[str, str]) -> tuple[Collection, ...]:
    """``collections:``; each collection's URL pattern goes into ``permalinks``."""
    raw = read.data.get("collections", {})
    if not isinstance(raw, dict):
        read.bad("collections", "'collections' must map a name to its settings",
                 "e.g. collections: {notes: {match: {type: note}}}")
        return ()
    found: list[Collection] = []
    for name, settings in raw.items():
        name = str(name)
        if name in BUILTIN_COLLECTIONS or not _NAME.fullmatch(name):
            read.bad(name, f"collection name '{name}' is taken or not a plain word",
                     f"not {', '.join(BUILTIN_COLLECTIONS)}; letters, digits, '-' and '_'",
                     where=raw)
            continue
        if not isinstance(settings, dict) or not isinstance(settings.get("match"), dict) \
                or not settings["match"]:
            read.bad(name, f"collection '{name}' needs 'match:', the front matter its posts "
                     "have", "e.g. notes: {match: {type: note}}", where=raw)
            continue
        for key in settings:
            if key not in COLLECTION_KEYS:
                read.bad(key, f"unknown collection setting '{key}'",
                         closest(str(key), COLLECTION_KEYS) or one_of(COLLECTION_KEYS),
                         where=settings)
        permalink = settings.get("permalink", permalinks["posts"])
        if not isinstance(permalink, str) or not permalink.startswith("/") or \
                check_permalink(permalink):
            read.bad("permalink", f"collection '{name}': bad permalink {permalink!r}",
                     "e.g. /notes/:slug/; tokens: " + " ".join(PERMALINK_TOKENS),
                     where=settings)
            permalink = permalinks["posts"]
        permalinks[name] = permalink
        url = settings.get("url", f"/{name}/")
        if not isinstance(url, str) or not url.startswith("/") or not url.endswith("/"):
            read.bad("url", f"collection '{name}': its list page URL must start and end with "
                     f"'/', got {url!r}", f"e.g. url: /{name}/", where=settings)
            url = f"/{name}/"
        elif url_problem(url):  # its list pages become files: they must stay inside
            read.bad("url", f"collection '{name}': its list page URL {shown(url)} "
                     f"{url_problem(url)}", f"e.g. url: /{name}/", where=settings)
            url = f"/{name}/"
        found.append(Collection(name=name, match=dict(settings["match"]),
                                title=_texts(read, settings, "title"), url=url))
    return tuple(found)


_NAME = re.compile(r"[A-Za-z][\w-]*")


def _collection_names(read: _Reader, key: str, collections: tuple[Collection, ...],
                      where: Any = None) -> tuple[str, ...] | None:
    data = where if where is not None else read.data
    if key not in data:
        return None
    raw = data[key]
    known = ("posts", *(c.name for c in collections))
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        read.bad(key, f"'{key}' must be a list of collection names",
                 f"e.g. {key}: [posts]; {one_of(known)}", where=data)
        return None
    for name in raw:
        if name not in known:
            read.bad(key, f"'{key}' names an unknown collection '{name}'",
                     closest(name, known) or one_of(known), where=data)
    return tuple(n for n in raw if n in known)


def _check_main_collections(read: _Reader, collections: tuple[Collection, ...]) -> None:
    raw = read.data.get("feeds")
    if isinstance(raw, dict) and "main_collections" in raw:
        _collection_names(read, "main_collections", collections, where=raw)


def _texts(read: _Reader, data: Any, key: str, codes: Sequence[str] = ()) -> dict[str, str]:
    """A text, or a mapping of language code (or 'default') to text, as {code: text}
    ('' for every language without its own); with ``codes``, other codes are refused."""
    value = data.get(key)
    if value is None:
        return {}
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {"": str(value)}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        for code in (k for k in value if codes and k != "default" and str(k) not in codes):
            read.bad(code, f"{key} for unknown language '{code}'", (closest(str(code), codes)
                     or one_of(codes)) + " ('default' for the rest)", where=value)
        # 'default': the text for languages without one of their own.
        return {"" if k == "default" else str(k): v for k, v in value.items()}
    read.bad(key, f"'{key}' must be a text or a mapping of language code to text, "
             f"got {describe(value)}", f"e.g. {key}: {{en: ..., zh: ...}}", where=data)
    return {}


def _page_size(read: _Reader, key: str, default: int) -> int:
    value = read.data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        read.bad(key, f"'{key}' must be a whole number of at least 1, got {describe(value)}",
                 f"e.g. {key}: {default}")
        return default
    return value


def _notices(read: _Reader) -> tuple[Notice, ...]:
    raw = read.data.get("notices", [])
    if not isinstance(raw, list):
        read.bad("notices", "'notices' must be a list of {when: ..., text: ...}",
                 "e.g. notices: [{when: {generated: true}, text: Generated by AI}]")
        return ()
    found = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("when"), dict) \
                or "text" not in item:
            read.bad(index, "each notice needs 'when:' (front matter to match) and 'text:'",
                     "e.g. {when: {generated: true}, text: {en: Generated by AI, zh: AI生成}}",
                     where=raw)
            continue
        for key in item:
            if key not in NOTICE_KEYS:
                read.bad(key, f"unknown notice setting '{key}'",
                         closest(str(key), NOTICE_KEYS) or one_of(NOTICE_KEYS), where=item)
        text = _texts(read, item, "text")
        if text:
            found.append(Notice(when=dict(item["when"]), text=text))
    return tuple(found)


def _redirects(read: _Reader) -> dict[str, str]:
    raw = read.data.get("redirects", {})
    if not isinstance(raw, dict):
        read.bad("redirects", "'redirects' must map an old URL to a new one",
                 "e.g. redirects: {/index-zh.html: /zh/}")
        return {}
    found = {}
    for old, new in raw.items():
        if not isinstance(old, str) or not old.startswith("/") or not isinstance(new, str) \
                or not new.strip():
            read.bad(old, f"redirect {old!r} -> {new!r}: the old URL must start with '/', "
                     "the new one be a URL", "e.g. /index-zh.html: /zh/", where=raw)
            continue
        problem = url_problem(old)
        if problem:  # the old URL becomes a file: it must stay inside the site
            read.bad(old, f"redirect from {shown(old)}: the old URL {problem}",
                     "e.g. /index-zh.html: /zh/", where=raw)
            continue
        if new.strip().rstrip("/") == old.rstrip("/"):
            read.bad(old, f"redirect {shown(old)} -> itself: a reader would go round and "
                     "round", "remove it, or send it to another page", where=raw)
            continue
        if not _REDIRECT_TARGET.match(new.strip()):  # no javascript: or data: on a page
            read.bad(old, f"redirect {shown(old)} -> {shown(new.strip())}: the new URL must "
                     "be a path of the site or an http(s) address", "e.g. /index-zh.html: "
                     "/zh/ or /old/: https://elsewhere.example/", where=raw)
            continue
        found[old] = new.strip()
    return found


_REDIRECT_TARGET = re.compile(r"(?:/(?!/)|https?://)[^\s\x00-\x1f\x7f]*\Z", re.I)


NATIVE_NAMES = {
    "en": "English", "zh": "中文", "ja": "日本語", "es": "Español", "hi": "हिन्दी",
    "fr": "Français", "de": "Deutsch", "ar": "العربية", "hant": "繁體中文", "ko": "한국어",
    "ru": "Русский", "pt": "Português", "it": "Italiano",
}
