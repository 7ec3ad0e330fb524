"""_config.yml -> site.yaml: title, base URL, languages, permalinks, plugins, params."""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..config import (
    BUILTIN_COLLECTIONS,
    DEFAULT_PERMALINKS,
    KNOWN_KEYS,
    SiteConfig,
    check_permalink,
    parse_config,
)
from ..errors import KithError, Problem
from .frontmatter import plain
from .jekyll_site import CONFIG_FILE, Item, JekyllSite
from .jekyll_urls import posts_template
from .oldfeed import OldFeed

SITE_FILE = "site.yaml"
# Jekyll settings that site.yaml covers or that mean nothing to Kith; the rest go to params.
_JEKYLL_KEYS = {
    "source", "destination", "collections_dir", "plugins_dir", "layouts_dir", "data_dir",
    "includes_dir", "collections", "safe", "include", "exclude", "keep_files", "encoding",
    "markdown_ext", "strict_front_matter", "show_drafts", "limit_posts", "future",
    "unpublished", "whitelist", "plugins", "gems", "markdown", "highlighter", "lsi",
    "excerpt_separator", "incremental", "detach", "port", "host", "baseurl", "url",
    "show_dir_listing", "permalink", "paginate", "paginate_path", "timezone", "quiet",
    "verbose", "defaults", "liquid", "rdiscount", "redcarpet", "kramdown", "commonmark",
    "sass", "theme", "remote_theme", "title", "description", "lang", "author",
    "webrick", "livereload", "livereload_port", "profile", "disable_disk_cache",
    "languages", "default_lang", "locale",
}
_PLUGINS = {
    "jekyll-feed": "Kith writes /feed.xml itself (RSS 2.0 where jekyll-feed wrote Atom; feed "
                   "readers take either), plus /atom.xml and /feed.json",
    "jekyll-sitemap": "Kith writes /sitemap.xml and /robots.txt itself",
    "jekyll-seo-tag": "Kith's default theme writes the title, description, canonical, "
                      "Open Graph and hreflang tags",
    "jekyll-redirect-from": "redirect_from: became aliases: (Kith writes the redirect pages)",
    "jekyll-paginate": "Kith paginates the home, tag and category pages (paginate: in "
                       "site.yaml); page URLs become /page/2/",
    "jekyll-paginate-v2": "Kith paginates the home, tag and category pages (paginate: in "
                          "site.yaml); page URLs become /page/2/",
    "jekyll-relative-links": "Kith turns links to .md files into page URLs itself",
    "jekyll-optional-front-matter": "Kith reads Markdown with or without front matter",
    "jekyll-titles-from-headings": "Kith uses the file name when there is no title",
    "jekyll-default-layout": "Kith picks the post or page layout itself",
    "jekyll-readme-index": "not needed: Kith writes its own home page",
    "jekyll-github-metadata": "site.github is not available; put what you need in params:",
    "jekyll-archives": "Kith writes tag, category and archive pages itself (other URLs)",
    "jekyll-last-modified-at": "write updated: in the front matter instead",
    "jemoji": ":emoji: codes stay as text",
    "jekyll-mentions": "@mentions stay as text",
    "jekyll-gist": "{% gist %} tags are reported in each file that uses them",
    "jekyll-include-cache": "only matters to layouts, which need porting anyway",
    "jekyll-remote-theme": "Kith uses its own theme (layouts/)",
}
# ISO 639-1 codes, plus the Chinese variants Jekyll blogs use as file suffixes.
_LANGUAGE_CODES = (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu "
    "cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi "
    "ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks "
    "ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl "
    "nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl "
    "sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve "
    "vi vo wa wo xh yi yo za zh zu hant hans cn"
)
_ISO_639_1 = set(_LANGUAGE_CODES.split())


# First path segments Kith's own pages use (taxonomies, archive, search, pagination,
# theme files); a collection's list page there would be written twice.
_KITH_ROOTS = {"tags", "categories", "archive", "search", "page", "assets", "pagefind"}


# The list title of the kinds of posts blogs keep, in the theme's languages: a Chinese
# page headed "Notes" is an English string on a Chinese page.
_KIND_TITLES = {
    "notes": {"en": "Notes", "zh": "笔记", "hant": "筆記", "ja": "ノート", "es": "Notas",
              "fr": "Notes", "de": "Notizen", "hi": "नोट्स", "ar": "ملاحظات"},
}


def _title(name: str, languages: Sequence[str]) -> str | dict[str, str]:
    """A collection's title: per language where the word is known, else from its name."""
    english = name.replace("-", " ").title()
    known = _KIND_TITLES.get(name, {})
    titles = {lang: known.get(lang, english) for lang in languages}
    if len(set(titles.values())) <= 1:
        return english
    return titles


def _plural(word: str) -> str:
    """An English plural for a collection name: note -> notes, entry -> entries."""
    if not word or word.endswith("s") or not word.isascii():
        return word
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return word[:-1] + "ies"
    if word.endswith(("ch", "sh", "x", "z")):
        return word + "es"
    return word + "s"


def _kith_language(item: Item, languages: Sequence[str]) -> str:
    """The language Kith gives the imported file: its lang:, else its file name's -xx suffix
    when xx is one of the site's languages, else the site language."""
    lang = item.data.get("lang")
    if isinstance(lang, str) and lang.strip() in languages:
        return lang.strip()
    stem = posixpath.splitext(item.source.rpartition("/")[2])[0]
    return max((c for c in languages if stem.endswith(f"-{c}")), key=len, default=languages[0])


def values_in(value: Any, cap: int) -> int:
    """How many values ``value`` holds written out, counting no further than past ``cap``."""
    count, stack = 0, [value]
    while stack and count <= cap:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


@dataclass(frozen=True)
class Extras:
    """Settings the planner found outside _config.yml."""

    home_pages: tuple[Item, ...] = ()
    """Jekyll pages that were home pages of a language (index-zh.html)."""
    menus: tuple[Mapping[str, Any], ...] = ()
    """The header's links: {label, url, order}."""
    notices: tuple[Mapping[str, Any], ...] = ()
    footer: Mapping[str, str] = field(default_factory=dict)
    feed: OldFeed | None = None


_HOME = re.compile(r"^(?:index[-.]([A-Za-z]{2,4}(?:[-_][A-Za-z]{2,4})?)|([A-Za-z]{2,4})/index)"
                   r"\.(?:html?|md|markdown)$")


def home_language(source: str) -> str:
    """'zh' for a home page of another language (index-zh.html, zh/index.html), else ''."""
    found = _HOME.match(source)
    return (found.group(1) or found.group(2)) if found else ""


def is_kramdown(cfg: Mapping[str, Any]) -> bool:
    """Jekyll renders Markdown with kramdown unless _config.yml names another converter."""
    return str(cfg.get("markdown") or "kramdown").lower() == "kramdown"


class SiteYaml:
    """Works out site.yaml from _config.yml and the files being imported."""

    def __init__(self, site: JekyllSite, into: Path) -> None:
        self.site = site
        self.cfg = site.config
        self.into = into
        self.problems: list[Problem] = []
        self.unconverted: list[Problem] = []
        self.text = b""
        """site.yaml's bytes, once ``config`` has run."""

    def warn(self, path: str, message: str, hint: str = "", line: int = 0) -> None:
        self.problems.append(Problem(path, line, message, hint, warning=True))

    def not_converted(self, path: str, message: str, hint: str = "", line: int = 0) -> None:
        self.unconverted.append(Problem(path, line, message, hint, warning=True))

    def config(self, items: Sequence[Item], extras: Extras | None = None) -> SiteConfig:
        extras = extras or Extras()
        data = self._basics(items)
        data.update(self._kith_settings(items, data["languages"], extras))
        config = self._parse(data)
        text = ("# Imported from a Jekyll site (_config.yml) by kith import jekyll.\n"
                "# Settings for templates are under params: (site.params.NAME).\n")
        text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        if extras.menus and "menus" not in KNOWN_KEYS:
            menus = yaml.safe_dump({"menus": self._menus(extras.menus, data["languages"])},
                                   allow_unicode=True, sort_keys=False, width=100)
            text += ("# The header's links, for when Kith's theme reads menus: (uncomment):\n"
                     + "".join(f"# {line}\n" for line in menus.splitlines()))
        self.text = text.encode()
        self._report_config()
        return config

    def _parse(self, data: dict[str, Any]) -> SiteConfig:
        try:
            return parse_config(self.into, data)
        except KithError as exc:  # a setting Kith refuses: drop it and say so
            for problem in exc.problems:
                self.warn(CONFIG_FILE, f"site.yaml: {problem.message}", problem.hint)
            for key in ("timezone", "permalinks", "author", "description", "notices", "footer",
                        "menus", "redirects"):
                data.pop(key, None)
            return parse_config(self.into, data)

    def _basics(self, items: Sequence[Item]) -> dict[str, Any]:
        """What _config.yml says directly: title, URL, languages, author, permalinks, ..."""
        cfg = self.cfg
        language, languages = self._languages(items)
        title = cfg.get("title")
        if not isinstance(title, str) or not title.strip():
            title = self.site.root.name
            self.warn(CONFIG_FILE, f"no title: using '{title}'", "set title: in site.yaml")
        url = str(cfg.get("url") or "").strip().rstrip("/")
        if not re.match(r"^https?://[^/]", url):
            self.warn(CONFIG_FILE, f"no absolute url: ({url or 'missing'}): base_url is "
                      "https://example.com/", "set base_url: in site.yaml to the site's address")
            url = "https://example.com"
        baseurl = str(cfg.get("baseurl") or "").strip("/")
        data: dict[str, Any] = {
            "title": title.strip(),
            "base_url": f"{url}/{baseurl}/" if baseurl else f"{url}/",
            "language": language,
            "languages": languages,
        }
        if isinstance(cfg.get("description"), str) and cfg["description"].strip():
            data["description"] = cfg["description"].strip()
        if cfg.get("timezone"):
            data["timezone"] = str(cfg["timezone"])
        author = self._author()
        if author:
            data["author"] = author
        permalinks = self._permalinks(items)
        if permalinks:
            data["permalinks"] = permalinks
        if isinstance(cfg.get("paginate"), int) and not isinstance(cfg["paginate"], bool) \
                and cfg["paginate"] > 0:
            data["paginate"] = cfg["paginate"]
        cname = self.site.root / "CNAME"
        if cname.is_file() and not any(e == "CNAME" for e in self.site.excluded):
            name = cname.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            if name:
                data["cname"] = name[0].strip()
        params = {str(k): plain(v) for k, v in cfg.items() if k not in _JEKYLL_KEYS}
        if params:
            data["params"] = params
        return data

    def _kith_settings(self, items: Sequence[Item], languages: list[str],
                       extras: Extras) -> dict[str, Any]:
        """What the site's Markdown, content and theme meant, as Kith settings."""
        data: dict[str, Any] = {}
        kramdown = self.cfg.get("kramdown") if isinstance(self.cfg.get("kramdown"), dict) else {}
        if is_kramdown(self.cfg) and str(kramdown.get("smart_quotes", "")).replace(" ", "") \
                != "apos,apos,quot,quot":
            data["markdown"] = {"typographer": True}  # kramdown's smart quotes and dashes
        collections = self._collections(items, languages)
        if collections:
            data["collections"] = collections
            data["home_collections"] = ["posts"]
        if extras.home_pages:
            data["redirects"] = self._home_redirects(extras.home_pages, languages)
        if extras.menus and "menus" in KNOWN_KEYS:
            data["menus"] = self._menus(extras.menus, languages)
        if extras.notices:
            data["notices"] = list(extras.notices)
        if extras.footer:
            data["footer"] = dict(extras.footer)
        if extras.feed is not None:
            feeds: dict[str, Any] = {"main_languages": "all"}
            if collections:
                feeds["main_collections"] = ["posts", *collections]
            if extras.feed.limit:
                feeds["limit"] = extras.feed.limit
            data["feeds"] = feeds
        return {k: v for k, v in data.items() if v}

    def _collections(self, items: Sequence[Item], languages: Sequence[str]
                     ) -> dict[str, Any]:
        """Posts with a front matter ``type:`` other than 'post' (a blog's 'note's): a
        collection each, off the home page, with its own list page and feed."""
        kinds = sorted({str(i.data["type"]) for i in items if i.kind in ("post", "draft")
                        and isinstance(i.data.get("type"), str)
                        and str(i.data["type"]).strip().lower() not in ("post", "posts", "")})
        found: dict[str, Any] = {}
        outputs = set(self.site.winners)
        # Kith's own collections, and paths Kith's own pages take: a list page there would
        # clash with them.
        taken = {*BUILTIN_COLLECTIONS, *_KITH_ROOTS, *languages}
        for kind in kinds:
            word = re.sub(r"[^\w]+", "-", kind.strip().lower()).strip("-_")
            name = _plural(word)
            if not re.fullmatch(r"[a-z][\w-]*", name or "-"):
                self.warn(CONFIG_FILE, f"posts with type: {kind} stay posts: the type is not a "
                          "word a collection can be named after",
                          "add a collection to site.yaml by hand: collections: {NAME: {match: "
                          f"{{type: {kind}}}}}}}")
                continue
            if name in taken or name in found:
                name = f"{word}-posts"
            n = 2
            while name in found:  # 'note' and 'Note': two kinds, two collections
                name, n = f"{word}-posts-{n}", n + 1
            url = f"/{name}/" if f"{name}/index.html" not in outputs else f"/{name}-list/"
            found[name] = {"match": {"type": kind}, "title": _title(name, languages),
                           **({"url": url} if url != f"/{name}/" else {})}
            # Kith lists a collection only in the languages it has posts in (pages with the
            # same type, such as notes/*.md, stay pages, as they were in Jekyll).
            typed = [i for i in items if i.kind in ("post", "draft") and i.data.get("type") == kind]
            codes = {_kith_language(i, languages) for i in typed if i.kind == "post"} \
                or {_kith_language(i, languages) for i in typed}
            where = ", ".join(("" if code == languages[0] else f"/{code}") + url
                              for code in languages if code in codes)
            self.warn(CONFIG_FILE, f"posts with type: {kind} are the collection '{name}': not on "
                      f"the home page, listed at {where} with their own feed; their URLs stay",
                      "see collections: and home_collections: in site.yaml")
        return found

    def _home_redirects(self, pages: Sequence[Item], languages: list[str]) -> dict[str, str]:
        """Jekyll home pages of other languages (index-zh.html) -> Kith's (/zh/)."""
        found = {}
        for item in pages:
            code = home_language(item.source)
            if code in languages[1:]:
                found[item.url] = f"/{code}/"
            elif code == languages[0]:
                found[item.url] = "/"
        return found

    def _menus(self, links: Sequence[Mapping[str, Any]], languages: list[str]
               ) -> dict[str, list[dict[str, Any]]]:
        # The header showed the same links on every page, whatever its language.
        return {code: [dict(link) for link in links] for code in languages}

    def _languages(self, items: Sequence[Item]) -> tuple[str, list[str]]:
        counts: Counter[str] = Counter()
        found: set[str] = set()
        groups: dict[tuple[str, str], set[str]] = defaultdict(set)
        suffixes: list[str] = []  # per item: the code its file name ends in, or ''
        for item in items:
            lang = item.data.get("lang")
            if isinstance(lang, str) and re.fullmatch(r"[A-Za-z][\w-]*", lang.strip()):
                found.add(lang.strip())
                counts[lang.strip()] += 1
                continue
            folder, _, name = item.source.rpartition("/")
            stem = posixpath.splitext(name)[0]
            m = re.search(r"-([A-Za-z]{2,4})$", stem)
            suffixes.append(m.group(1) if m else "")
            if not m:
                continue
            code = m.group(1)
            counts[code] += 1
            if code in folder.split("/"):
                found.add(code)
            if code.lower() in _ISO_639_1:
                groups[(folder, stem[: m.start()])].add(code)
        for codes in groups.values():
            if len(codes) > 1:
                found |= codes
        declared = self.cfg.get("languages")  # jekyll-polyglot
        if isinstance(declared, list):
            found |= {str(c) for c in declared if isinstance(c, str)}
        language = ""
        for key in ("default_lang", "lang", "locale"):
            value = self.cfg.get(key)
            if isinstance(value, str) and value.strip():
                value = value.strip()
                language = value if value in found else re.split(r"[-_]", value)[0].lower()
                break
        if not language:
            unmarked = sum(1 for code in suffixes if code not in found)
            language = self._main_language(found, counts, unmarked)
        others = sorted(found - {language}, key=lambda c: (-counts[c], c))
        return language, [language, *others]

    def _main_language(self, found: set[str], counts: Counter[str], unmarked: int) -> str:
        """No lang:/locale: in _config.yml. Jekyll's own default is English (jekyll-seo-tag
        and the default layouts write en-US), so 'en' when the content has it, or when
        most files say no language at all; else the one language with the most files. A
        tie is never broken by counting: it is reported, with the first in alphabetical
        order taken for now."""
        if not found or "en" in found:
            return "en"
        ranked = sorted(found, key=lambda c: (-counts[c], c))
        if unmarked > counts[ranked[0]]:
            self.warn(CONFIG_FILE, f"no lang: in _config.yml: {unmarked} files name no language "
                      f"and are taken to be in 'en', Jekyll's default (more than the "
                      f"{counts[ranked[0]]} in '{ranked[0]}')",
                      "set language: in site.yaml (or lang: in _config.yml and import again)")
            return "en"
        tied = [c for c in ranked if counts[c] == counts[ranked[0]]]
        if len(tied) > 1:
            self.warn(CONFIG_FILE, f"no lang: in _config.yml and no main language: "
                      f"{', '.join(tied)} have {counts[ranked[0]]} files each; "
                      f"'{ranked[0]}' is the site language for now",
                      "set language: in site.yaml (or lang: in _config.yml and import again)")
        return ranked[0]

    def _author(self) -> dict[str, str]:
        raw = self.cfg.get("author")
        author: dict[str, str] = {}
        if isinstance(raw, str) and raw.strip():
            author["name"] = raw.strip()
        elif isinstance(raw, dict):
            author = {k: str(raw[k]) for k in ("name", "email", "url")
                      if isinstance(raw.get(k), str | int)}
        if "email" not in author and isinstance(self.cfg.get("email"), str) and author:
            author["email"] = self.cfg["email"]
        return author

    def _permalinks(self, items: Sequence[Item]) -> dict[str, str]:
        """Jekyll's patterns in Kith tokens, so posts written after the move look alike."""
        result: dict[str, str] = {}
        has_categories = any(i.data.get("categories") for i in items if i.kind == "post")
        posts = posts_template(self.cfg).replace(":output_ext", ".html")
        if not has_categories:
            posts = posts.replace("/:categories", "")
        if all(t in (":year", ":month", ":day", ":title") for t in re.findall(r":[a-z_]+", posts)) \
                and posts.startswith("/") and not check_permalink(posts):
            result["posts"] = posts
        else:
            self.warn(CONFIG_FILE, f"the posts permalink '{posts_template(self.cfg)}' has no Kith "
                      "equivalent: each imported post carries its own permalink:",
                      f"new posts use Kith's {DEFAULT_PERMALINKS['posts']}; set permalinks: "
                      "in site.yaml to change that")
        style = str(self.cfg.get("permalink") or "date")
        if style == "pretty" or (style not in ("date", "ordinal", "none", "weekdate")
                                 and style.endswith("/")):
            pages = "/:path/"
        elif style in ("date", "ordinal", "none", "weekdate") or style.endswith(":output_ext"):
            pages = "/:path.html"
        else:
            pages = "/:path"
        if pages != DEFAULT_PERMALINKS["pages"]:
            result["pages"] = pages
        return result

    def _report_config(self) -> None:
        cfg = self.cfg
        plugins = [str(p) for key in ("plugins", "gems") for p in (cfg.get(key) or [])
                   if isinstance(cfg.get(key), list)]
        lines = getattr(cfg, "lines", {})
        for plugin in dict.fromkeys(plugins):
            line = lines.get("plugins", lines.get("gems", 0))
            if plugin in _PLUGINS:
                self.warn(CONFIG_FILE, f"plugin '{plugin}': {_PLUGINS[plugin]}", line=line)
            else:
                self.not_converted(CONFIG_FILE, f"unknown plugin '{plugin}' not converted",
                                   "check what it added to the site and rebuild that by hand",
                                   line=line)
        for key in ("theme", "remote_theme"):
            if cfg.get(key):
                self.not_converted(CONFIG_FILE, f"{key} '{cfg[key]}' not converted: Kith uses "
                                   "its own theme (layouts/)", "port what you need into "
                                   "layouts/ (see docs/migrating-from-jekyll.md)",
                                   line=lines.get(key, 0))
        if self.site.excluded:
            shown = ", ".join(self.site.excluded[:12]) + (" …" if len(self.site.excluded) > 12
                                                          else "")
            self.warn(CONFIG_FILE, f"not imported, as Jekyll leaves them out (exclude:): {shown}",
                      "scripts that write into them now belong to content/",
                      line=lines.get("exclude", 0))
        if cfg.get("future") is True:
            self.warn(CONFIG_FILE, "future: true: Kith leaves future-dated posts out unless "
                      "built with --future", line=lines.get("future", 0))
