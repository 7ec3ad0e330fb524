"""site.yaml -> SiteConfig: validated, with every problem reported at once."""

from __future__ import annotations

import datetime as dt
import re
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
        raise KithError([Problem(CONFIG_FILE, exc.line, exc.message, exc.hint or
                                 "check indentation and quote values containing ': '")]) from None
    return parse_config(root, data, base_url)


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
            self.bad(key, f"'{key}' must be text, got {describe(value)}")
            return default
        return str(value)


def parse_config(root: Path, data: Any, base_url: str | None = None) -> SiteConfig:
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
    paginate = data.get("paginate", 10)
    if not isinstance(paginate, int) or isinstance(paginate, bool) or paginate < 1:
        read.bad("paginate",
                 f"'paginate' must be a whole number of at least 1, got {describe(paginate)}")
        paginate = 10
    taxonomies = data.get("taxonomies", ["tags", "categories"])
    if not isinstance(taxonomies, list) or not all(
            isinstance(t, str) and _TAXONOMY.match(t) for t in taxonomies):
        read.bad("taxonomies", "'taxonomies' must be a list of names in lower-case letters, "
                 "digits, '-' and '_' (each names a folder of the site)",
                 "e.g. [tags, categories]")
        taxonomies = ["tags", "categories"]
    feeds = _feeds(data.get("feeds", {}), read.bad)
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        read.bad("exclude", "'exclude' must be a list of glob patterns",
                 "e.g. [drafts-old/**, '*.tmp']")
        exclude = []
    params = data.get("params", {})
    if not isinstance(params, dict):
        read.bad("params", "'params' must be a mapping")
        params = {}
    texts = {key: read.text(key) for key in ("description", "cname", "copyright")}
    if read.problems:
        raise KithError(read.problems)
    return SiteConfig(
        root=root, title=title, base_url=url, language=language, languages=languages,
        timezone=timezone, author=author, permalinks=permalinks, paginate=paginate,
        taxonomies=tuple(taxonomies), feeds=feeds, exclude=tuple(exclude), params=params,
        **texts,
    )


def _base_url(read: _Reader, given: str | None) -> str:
    """The site's absolute URL, ending in '/'; ``given`` (--base-url) wins over site.yaml."""
    url = given or read.text("base_url", "http://localhost:8000/", required=given is None)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        read.problems.append(Problem(
            CONFIG_FILE if given is None else "--base-url",
            line_of(read.data, "base_url") if given is None else 0,
            f"base_url '{url}' is not an absolute http(s) URL",
            "write it like https://example.com/ or https://user.github.io/repo/"))
    return url if url.endswith("/") else url + "/"


def _author(read: _Reader) -> dict[str, str]:
    author: dict[str, str] = {}
    raw = read.data.get("author", {})
    if isinstance(raw, str):
        return {"name": raw}
    if not isinstance(raw, dict):
        read.bad("author", "'author' must be a name or a mapping with name, email, url")
        return author
    for key, value in raw.items():
        if key not in AUTHOR_KEYS:
            read.bad(key, f"unknown author setting '{key}'", closest(str(key), AUTHOR_KEYS)
                     or one_of(AUTHOR_KEYS), where=raw)
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            read.bad(key, f"author {key} must be text, got {describe(value)}", where=raw)
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
                where=settings)
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
