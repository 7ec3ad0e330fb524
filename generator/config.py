"""site.yaml -> SiteConfig: validated, with every problem reported at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .dates import zone
from .errors import KithError, Problem, closest, describe, one_of
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
FEED_KEYS = {"content", "limit", "rss", "atom", "json", "per_language", "per_tag",
             "per_collection"}


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
class FeedSettings:
    content: str = "full"
    """'full' or 'summary': what feed entries carry."""
    limit: int = 20
    """Entries per feed; 0 means all."""
    rss: bool = True
    atom: bool = True
    json: bool = True
    per_language: bool = True
    per_tag: bool = True
    per_collection: bool = True


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
    taxonomies: tuple[str, ...] = ("tags", "categories")
    feeds: FeedSettings = field(default_factory=FeedSettings)
    cname: str = ""
    copyright: str = ""
    exclude: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    """Free-form settings for templates (``site.params``)."""

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


KNOWN_KEYS = {
    "title", "base_url", "language", "languages", "timezone", "author", "description",
    "permalinks", "paginate", "taxonomies", "feeds", "cname", "copyright", "exclude", "params",
}
LANGUAGE_KEYS = {"code", "tag", "name", "direction", "title", "description", "date_format"}
AUTHOR_KEYS = {"name", "email", "url"}


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """Read and validate ``root/site.yaml``; raise KithError with every problem."""
    path = root / CONFIG_FILE
    if not path.is_file():
        raise KithError([Problem(CONFIG_FILE, 0, f"no {CONFIG_FILE} in {root}",
                                 "run kith in a site folder, or pass -C DIR")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KithError([Problem(CONFIG_FILE, 0, f"not valid UTF-8 (byte {exc.start})",
                                 "save the file as UTF-8")]) from None
    try:
        data = load_yaml(text) or LineDict()
    except YamlProblem as exc:
        raise KithError([Problem(CONFIG_FILE, exc.line, exc.message,
                                 "check indentation and quote values containing ': '")]) from None
    return parse_config(root, data, base_url)


def parse_config(root: Path, data: Any, base_url: str | None = None) -> SiteConfig:
    problems: list[Problem] = []

    def bad(key: Any, message: str, hint: str = "", where: Any = None) -> None:
        problems.append(Problem(CONFIG_FILE, line_of(where if where is not None else data, key),
                                message, hint))

    if not isinstance(data, dict):
        raise KithError([Problem(CONFIG_FILE, 1, "expected a mapping of settings",
                                 "write 'key: value' lines, e.g. 'title: My site'")])
    for key in data:
        if key not in KNOWN_KEYS:
            bad(key, f"unknown setting '{key}'",
                closest(str(key), KNOWN_KEYS) or "free-form values go under 'params:'")

    def text(key: str, default: str = "", required: bool = False) -> str:
        value = data.get(key, default)
        if key not in data and required:
            problems.append(Problem(CONFIG_FILE, 0, f"missing required setting '{key}'",
                                    f"add '{key}: ...' to {CONFIG_FILE}"))
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            bad(key, f"'{key}' must be text, got {describe(value)}")
            return default
        return str(value)

    title = text("title", required=True)
    url = base_url or text("base_url", "http://localhost:8000/", required=base_url is None)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        where = "base_url" if base_url is None else None
        problems.append(Problem(CONFIG_FILE if base_url is None else "--base-url",
                                line_of(data, where) if where else 0,
                                f"base_url '{url}' is not an absolute http(s) URL",
                                "write it like https://example.com/ or https://user.github.io/repo/"))
    if not url.endswith("/"):
        url += "/"

    language = text("language", "en")
    languages = _languages(data, language, bad)
    timezone = text("timezone", "UTC")
    try:
        zone(timezone)
    except ValueError:
        bad("timezone", f"unknown time zone '{timezone}'",
            "use an IANA name such as UTC, Europe/Berlin or Asia/Shanghai")

    author: dict[str, str] = {}
    raw_author = data.get("author", {})
    if isinstance(raw_author, str):
        author = {"name": raw_author}
    elif isinstance(raw_author, dict):
        for key, value in raw_author.items():
            if key not in AUTHOR_KEYS:
                bad(key, f"unknown author setting '{key}'", closest(str(key), AUTHOR_KEYS)
                    or one_of(AUTHOR_KEYS), where=raw_author)
            else:
                author[key] = str(value)
    else:
        bad("author", "'author' must be a name or a mapping with name, email, url")

    permalinks = dict(DEFAULT_PERMALINKS)
    raw_links = data.get("permalinks", {})
    if not isinstance(raw_links, dict):
        bad("permalinks", "'permalinks' must map a collection to a pattern",
            "e.g. permalinks: {posts: /:year/:month/:slug/}")
    else:
        for key, value in raw_links.items():
            if key not in DEFAULT_PERMALINKS:
                bad(key, f"unknown collection '{key}' in permalinks",
                    closest(str(key), DEFAULT_PERMALINKS) or one_of(DEFAULT_PERMALINKS),
                    where=raw_links)
            elif not isinstance(value, str) or not value.startswith("/"):
                bad(key, f"permalink pattern for '{key}' must start with '/', got {value!r}",
                    "e.g. /posts/:slug/", where=raw_links)
            else:
                problem = check_permalink(value)
                if problem:
                    bad(key, problem, "tokens: " + " ".join(PERMALINK_TOKENS), where=raw_links)
                permalinks[key] = value

    paginate = data.get("paginate", 10)
    if not isinstance(paginate, int) or isinstance(paginate, bool) or paginate < 1:
        bad("paginate",
            f"'paginate' must be a whole number of at least 1, got {describe(paginate)}")
        paginate = 10

    taxonomies = data.get("taxonomies", ["tags", "categories"])
    if not isinstance(taxonomies, list) or not all(isinstance(t, str) and t for t in taxonomies):
        bad("taxonomies", "'taxonomies' must be a list of names", "e.g. [tags, categories]")
        taxonomies = ["tags", "categories"]

    feeds = _feeds(data.get("feeds", {}), bad)

    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        bad("exclude", "'exclude' must be a list of glob patterns", "e.g. [drafts-old/**, '*.tmp']")
        exclude = []
    params = data.get("params", {})
    if not isinstance(params, dict):
        bad("params", "'params' must be a mapping")
        params = {}

    if problems:
        raise KithError(problems)
    return SiteConfig(
        root=root, title=title, base_url=url, language=language, languages=languages,
        timezone=timezone, author=author, description=text("description"),
        permalinks=permalinks, paginate=paginate, taxonomies=tuple(taxonomies), feeds=feeds,
        cname=text("cname"), copyright=text("copyright"), exclude=tuple(exclude),
        params=params,
    )


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
                entries.append((item, {}, None))
            elif isinstance(item, dict) and isinstance(item.get("code"), str):
                entries.append((item["code"], item, item))
            else:
                bad(index, "each language must be a code or a mapping with 'code'",
                    "e.g. languages: [en, zh] or {en: {name: English}, zh: {name: 中文}}",
                    where=raw)
    else:
        bad("languages", "'languages' must be a list of codes or a mapping of code to settings")
    result: list[Language] = []
    for code, settings, where in entries:
        if not isinstance(settings, dict):
            bad(code, f"settings for language '{code}' must be a mapping", where=where or data)
            continue
        for key in settings:
            if key not in LANGUAGE_KEYS:
                bad(key, f"unknown language setting '{key}'",
                    closest(str(key), LANGUAGE_KEYS) or one_of(LANGUAGE_KEYS), where=settings)
        direction = str(settings.get("direction", "rtl" if code.split("-")[0] in RTL else "ltr"))
        if direction not in ("ltr", "rtl"):
            bad("direction", f"direction must be ltr or rtl, got '{direction}'", where=settings)
        result.append(Language(
            code=code, tag=str(settings.get("tag", KNOWN_TAGS.get(code, code))),
            name=str(settings.get("name", NATIVE_NAMES.get(code, code))), direction=direction,
            title=settings.get("title"), description=settings.get("description"),
            date_format=settings.get("date_format"),
        ))
    if default not in [lang.code for lang in result]:
        result.insert(0, Language(code=default, tag=KNOWN_TAGS.get(default, default),
                                  name=NATIVE_NAMES.get(default, default),
                                  direction="rtl" if default in RTL else "ltr"))
    return tuple(result)


def _feeds(raw: Any, bad: Any) -> FeedSettings:
    if raw is False:
        return FeedSettings(rss=False, atom=False, json=False)
    if not isinstance(raw, dict):
        bad("feeds", "'feeds' must be a mapping", "e.g. feeds: {content: summary, limit: 50}")
        return FeedSettings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in FEED_KEYS:
            bad(key, f"unknown feeds setting '{key}'", closest(str(key), FEED_KEYS)
                or one_of(FEED_KEYS), where=raw)
        elif key == "content" and value not in ("full", "summary"):
            bad(key, f"feeds.content must be full or summary, got {value!r}", where=raw)
        elif key == "limit" and (not isinstance(value, int) or isinstance(value, bool)
                                 or value < 0):
            bad(key, f"feeds.limit must be a whole number (0 = all), got {value!r}", where=raw)
        elif key not in ("content", "limit") and not isinstance(value, bool):
            bad(key, f"feeds.{key} must be true or false, got {value!r}", where=raw)
        else:
            values[key] = value
    return FeedSettings(**values)


NATIVE_NAMES = {
    "en": "English", "zh": "中文", "ja": "日本語", "es": "Español", "hi": "हिन्दी",
    "fr": "Français", "de": "Deutsch", "ar": "العربية", "hant": "繁體中文", "ko": "한국어",
    "ru": "Русский", "pt": "Português", "it": "Italiano",
}
