"""``kith import jekyll SRC``: a Jekyll site -> site.yaml and content/, every URL kept.

The Jekyll side (which files Jekyll publishes, at which path) comes from
:mod:`.jekyll_site`. For each imported file the importer asks Kith's own content
and site stages where Kith would write it, and adds an explicit ``permalink:``
only where that differs from Jekyll's path. Where no permalink can reproduce the
path, the old URL becomes an alias (a redirect page). SRC is only ever read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import posixpath
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..build import select_pages
from ..config import DEFAULT_PERMALINKS, SiteConfig, check_permalink, parse_config
from ..content import CONTENT_DIR, read_page
from ..dates import parse_datetime
from ..errors import KithError, Problem
from ..model import Page
from ..site import assemble_site, output_path, page_url
from . import liquid
from .jekyll_site import (
    CONFIG_FILE,
    HTML_EXTS,
    Item,
    JekyllError,
    JekyllSite,
    document_destination,
    key_line,
    posts_template,
    read_site,
)
from .links import rewrite_links

SITE_FILE = "site.yaml"
# Files Kith's build writes at the site root; a Jekyll template for one is not missed.
_KITH_WRITES = {"feed.xml", "atom.xml", "feed.json", "sitemap.xml", "robots.txt"}
# Layout names every Jekyll theme has; Kith picks its own post/page layouts instead.
_COMMON_LAYOUTS = {"post", "page", "default", "home"}
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


@dataclass(frozen=True)
class Redirect:
    """An old URL that could not be kept, and where its redirect page sends readers."""

    old: str
    new: str
    source: str
    """The Jekyll file, relative to SRC."""


@dataclass(frozen=True)
class ImportReport:
    """What ``import_jekyll`` did."""

    source: Path
    target: Path
    counts: Mapping[str, int]
    """'posts', 'drafts', 'pages', 'documents', 'static files' imported, 'links re-pointed',
    and 'liquid TAG' for each kind of Liquid rewritten."""
    written: tuple[str, ...]
    """Files written, relative to the target ('site.yaml', 'content/posts/...')."""
    urls: Mapping[str, str]
    """Jekyll source -> the output path Jekyll wrote it to, which Kith writes it to too."""
    permalinks: int
    """Imported files that carry an explicit permalink: because Kith's default differs."""
    redirects: tuple[Redirect, ...]
    unconverted: tuple[Problem, ...]
    """Layouts, includes, plugins, Liquid tags and files Kith cannot take as they are."""
    problems: tuple[Problem, ...]
    """Every other warning and error; paths are relative to SRC."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in (*self.unconverted, *self.problems) if not p.warning)


@dataclass
class _Doc:
    """One Markdown file on its way into content/."""

    item: Item
    target: str
    """Relative to content/."""
    add: dict[str, Any]
    drop: set[str]
    want_url: str = ""
    want_dest: str = ""
    body: str = ""
    page: Page | None = None
    """How Kith reads the file (front matter only), once placed."""
    problems: tuple[Problem, ...] = ()
    """What Kith's reader says about it."""


def import_jekyll(src: Path, into: Path, force: bool = False) -> ImportReport:
    """Convert the Jekyll site in ``src`` into ``into``/site.yaml and ``into``/content/.

    Raises KithError when the import cannot start (not a Jekyll site, target not
    empty without ``force``, target inside SRC); everything else is in the report.
    """
    src, into = src.resolve(), into.resolve()
    _check_folders(src, into, force)
    try:
        site = read_site(src)
    except JekyllError as exc:
        raise KithError([Problem(CONFIG_FILE, exc.line, exc.message,
                                 "fix _config.yml (Jekyll cannot read it either)")]) from None
    existing = _existing(into / CONTENT_DIR)
    plan = _Planner(site, into)
    files = plan.run()
    written = []
    for rel, data in sorted(files.items()):
        path = into / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                shutil.copy2(data, path)
            else:
                path.write_bytes(data)
        except OSError as exc:
            where = data.relative_to(src).as_posix() if isinstance(data, Path) else rel
            plan.problems.append(Problem(where, 0, f"not written to {rel}: {exc.strerror}",
                                         "check permissions and free space, then import "
                                         "again with --force"))
            continue
        written.append(rel)
    left = sorted(existing - {r.removeprefix(CONTENT_DIR + "/") for r in written})
    if left:
        plan.problems.append(Problem(
            CONTENT_DIR, 0, f"{len(left)} files already in content/ were left as they were "
            f"(e.g. {left[0]})", "delete them if they came from an earlier import",
            warning=True))
    return ImportReport(
        source=src, target=into, counts=dict(plan.counts), written=tuple(written),
        urls=dict(sorted(plan.kept.items())), permalinks=plan.permalinks,
        redirects=tuple(plan.redirects), unconverted=tuple(sorted(set(plan.unconverted))),
        problems=tuple(sorted(set(plan.problems))))


def _check_folders(src: Path, into: Path, force: bool) -> None:
    if not src.is_dir():
        raise KithError([Problem(str(src), 0, "no such folder", "give the Jekyll site's folder")])
    if not (src / CONFIG_FILE).is_file() and not (src / "_posts").is_dir():
        raise KithError([Problem(str(src), 0, "not a Jekyll site: no _config.yml and no _posts/",
                                 "give the folder that holds _config.yml")])
    if into == src or into.is_relative_to(src) or src.is_relative_to(into / CONTENT_DIR):
        raise KithError([Problem(str(into), 0, "the target folder is inside the Jekyll site",
                                 "import into a folder outside SRC; SRC is never changed")])
    if into.exists() and not into.is_dir():
        raise KithError([Problem(str(into), 0, "the target is a file, not a folder",
                                 "give a folder with --into DIR")])
    if not force and into.is_dir() and any(p.name != ".git" for p in into.iterdir()):
        raise KithError([Problem(str(into), 0, "the target folder is not empty",
                                 "import into an empty folder (--into DIR), or pass --force "
                                 "to write over files with the same names")])


def _existing(content: Path) -> set[str]:
    if not content.is_dir():
        return set()
    return {p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file()}


class _Planner:
    """Works out every file to write; collects problems instead of stopping."""

    def __init__(self, site: JekyllSite, into: Path) -> None:
        self.site = site
        self.cfg = site.config
        self.into = into
        self.problems: list[Problem] = list(site.problems)
        self.unconverted: list[Problem] = []
        self.counts: Counter[str] = Counter()
        self.kept: dict[str, str] = {}
        self.redirects: list[Redirect] = []
        self.permalinks = 0
        self.files: dict[str, bytes | Path] = {}
        self.targets: dict[str, str] = {}
        """Jekyll source -> content-relative path, for links between files."""
        self.layouts: dict[str, list[str]] = defaultdict(list)
        self.edited: dict[tuple[str, str], str] = {}
        """(source, additions) -> front matter text: each file is edited once."""
        self.unreadable: set[str] = set()
        """Sources whose front matter does not parse: copied as written, not edited."""
        self.served: dict[str, str] = {}
        """Site path Jekyll served a file at ('notes/x', 'a/', 'x.png') -> imported file."""
        self.post_names: dict[str, str] = {}
        """'2012-01-02-wife' and 'en/2012-01-02-wife-en' -> source, for {% post_url %}."""

    def warn(self, path: str, message: str, hint: str = "", line: int = 0) -> None:
        self.problems.append(Problem(path, line, message, hint, warning=True))

    def not_converted(self, path: str, message: str, hint: str = "", line: int = 0,
                      warning: bool = True) -> None:
        self.unconverted.append(Problem(path, line, message, hint, warning=warning))

    # -- the whole run ---------------------------------------------------------

    def run(self) -> dict[str, bytes | Path]:
        docs = self._collect()
        self._claim_targets(docs)
        self._resolve_collisions(docs)
        config = self._config(docs)
        for doc in docs:
            self._front_matter(doc, config)
        self._dedupe_keys(docs, config)
        for doc in docs:
            self._place(doc, config)
        self._index_served(docs)
        for doc in docs:
            self._convert_body(doc, config)
            self.files[f"{CONTENT_DIR}/{doc.target}"] = self._text(doc).encode()
        self._verify(docs, config)
        self._report_theme()
        return self.files

    def _collect(self) -> list[_Doc]:
        docs: list[_Doc] = []
        skipped_collections: Counter[str] = Counter()
        for item in self.site.items:
            if item.kind == "static":
                if item.skipped:
                    skipped_collections[item.collection] += 1
                else:
                    self._static(item)
            elif item.kind == "document" and item.skipped == "not output":
                skipped_collections[item.collection] += 1
            elif item.kind == "page" and item.dest in ("index.html", "404.html") \
                    and "/" not in item.source:
                what = "home page (a list of posts)" if item.dest == "index.html" else \
                    "404 page (layouts/404.html)"
                self.not_converted(item.source, f"not imported: Kith writes its own {what}",
                                   "move any text you need into the theme's layouts/")
            elif item.kind == "page" and not item.markdown:
                self._template(item)
            else:
                docs.append(_Doc(item=item, target="", add={}, drop=set()))
        for label, count in sorted(skipped_collections.items()):
            self.warn(f"_{label}", f"collection '{label}' is not output by Jekyll "
                      f"(no 'output: true'): its {count} files are not imported",
                      "Kith has no data-only collections; copy what you need into pages")
        collections = self.cfg.get("collections")
        for label in collections if isinstance(collections, dict | list) else ():
            if label != "posts" and not (self.site.root / f"_{label}").exists():
                self.warn(CONFIG_FILE, f"collection '{label}' has no _{label}/ folder: "
                          "nothing to import from it")
        return docs

    # -- files that are not Markdown ---------------------------------------------

    def _static(self, item: Item) -> None:
        name = item.dest.rsplit("/", 1)[-1]
        ext = posixpath.splitext(name)[1].lower()
        if item.dest == "CNAME":
            return  # becomes cname: in site.yaml
        if ext in {".md", ".markdown", ".mkdown", ".mkdn", ".mkd"}:
            self.not_converted(item.source, "Markdown without front matter: Jekyll copies it "
                               f"as it is to /{item.dest}; not imported",
                               "add front matter (---, title: ..., ---) to make it a page "
                               "(GitHub Pages renders such files as pages), then import again")
            return
        if name.startswith("."):
            self.not_converted(item.source, "not imported: Kith does not publish dotfiles",
                               "configure the web server instead")
            return
        self.files[f"{CONTENT_DIR}/{item.dest}"] = self.site.root / item.source
        self.targets[item.source] = item.dest
        self.kept[item.source] = item.dest
        self.counts["static files"] += 1

    def _template(self, item: Item) -> None:
        """A page that is not Markdown (HTML, XML, Sass, ...) with front matter."""
        if item.skipped:
            return
        layout = item.data.get("layout")
        if item.output_ext in (".css",):
            self.not_converted(item.source, f"Sass stylesheet not converted (Jekyll wrote "
                               f"/{item.dest})", "compile it and put the .css file in "
                               f"content/{item.dest}, or style the Kith theme instead")
            return
        ctx = liquid.Context(item.source, item.body_line, self.cfg,
                             {**item.data, "url": item.url, "path": item.source},
                             link=self._link_for(item.dest))
        body = liquid.convert(item.body, ctx)
        liquid_left = [p for p in ctx.problems if "Liquid" in p.message or "{%" in p.message]
        if liquid_left or (layout not in (None, "none", "null", "") and item.output_ext in
                           HTML_EXTS):
            why = "it uses Liquid" if liquid_left else f"it uses the layout '{layout}'"
            hint = f"Kith writes its own /{item.dest}" if item.dest in _KITH_WRITES else \
                f"rebuild it as a Kith layout, or write its output into content/{item.dest}"
            self.not_converted(item.source, f"{item.output_ext.lstrip('.').upper() or 'file'} "
                               f"template not converted ({why}); Jekyll wrote /{item.dest}",
                               hint)
            return
        # Plain text with front matter and no layout: Jekyll wrote the body as it is.
        body = re.sub(r"\{%-?\s*(?:end)?raw\s*-?%\}", "", body)
        self.files[f"{CONTENT_DIR}/{item.dest}"] = body.encode()
        self.kept[item.source] = item.dest
        self.counts["static files"] += 1

    # -- where each Markdown file goes ---------------------------------------------

    def _claim_targets(self, docs: list[_Doc]) -> None:
        taken = {rel.removeprefix(CONTENT_DIR + "/") for rel in self.files}
        for doc in docs:
            target = self._target(doc)
            stem, ext = posixpath.splitext(target)
            n = 2
            while target in taken:
                target = f"{stem}-{n}{ext}"
                n += 1
            if n > 2:
                self.warn(doc.item.source, f"two files would be imported as "
                          f"content/{stem}{ext}: this one is content/{target}")
            taken.add(target)
            doc.target = target
            self.targets[doc.item.source] = target

    def _target(self, doc: _Doc) -> str:
        item = doc.item
        parts = item.source.split("/")
        name = parts[-1]
        stem = posixpath.splitext(name)[0]
        if item.kind in ("post", "draft"):
            magic = "_drafts" if item.kind == "draft" else "_posts"
            at = parts.index(magic)
            folders = parts[:at] + parts[at + 1:-1]
            # The date in the name stays the author's (zero-padded); a front matter date
            # still wins in Kith as in Jekyll. Undated drafts get Jekyll's date for them.
            match = re.match(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)$", stem)
            if match:
                year, month, day, rest = match.groups()
                day_text = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
            else:
                rest = stem
                day_text = f"{item.date or dt.datetime.fromtimestamp(item.mtime):%Y-%m-%d}"
            clean = re.sub(r"\s+", "-", rest.strip())
            if clean != rest:
                self._spaces(item, f"{day_text}-{clean}.md")
            folders = (["drafts"] if item.kind == "draft" else []) + folders
            return "/".join(["posts", *folders, f"{day_text}-{clean}.md"])
        if item.kind == "document":
            label = item.collection
            top = f"{label}-docs" if label in ("posts", "tutorials") else label
            parts = [top, *parts[1:]]
        elif parts[0] in ("posts", "tutorials"):
            # Those folders are Kith's collections; keep a page a page.
            self.warn(item.source, f"page in a '{parts[0]}/' folder: imported under "
                      f"jekyll-pages/{item.source}", "its URL stays the same")
            parts = ["jekyll-pages", *parts]
        folders = [re.sub(r"\s+", "-", p.strip()) for p in parts[:-1]]
        name = re.sub(r"\s+", "-", posixpath.splitext(parts[-1])[0].strip()) + ".md"
        target = "/".join([*folders, name])
        if re.search(r"\s", item.source):
            self._spaces(item, target)
        return target

    def _spaces(self, item: Item, new_path: str) -> None:
        folder_changed = re.search(r"\s", item.source.rpartition("/")[0])
        shown = f"content/{new_path}" if folder_changed else new_path.rsplit("/", 1)[-1]
        self.warn(item.source, f"file name has spaces: imported as {shown}",
                  f"its URL stays {item.url}" if item.written else "")

    def _resolve_collisions(self, docs: list[_Doc]) -> None:
        """Two Jekyll files, one output path: the one Jekyll wrote last keeps it."""
        claims: dict[str, list[Item]] = defaultdict(list)
        by_source = {doc.item.source: doc for doc in docs}
        for item in self.site.items:
            if item.written:
                claims[item.dest].append(item)
        taken = {item.dest for item in self.site.items if item.written}
        for doc in docs:
            item = doc.item
            doc.want_url, doc.want_dest = item.url, item.dest
            if not item.written and item.url and item.skipped in ("future", "unpublished",
                                                                   "draft"):
                dest = document_destination(item.url, item.output_ext)
                if dest not in taken:  # they get Jekyll's URL once published
                    doc.want_dest = dest
        for dest, items in sorted(claims.items()):
            if len(items) < 2:
                continue
            winner = self.site.winners[dest]
            for item in items:
                if item.source == winner:
                    continue
                loser = by_source.get(item.source)
                stamp = f"-{item.date:%Y-%m-%d}" if item.date and item.kind == "post" else "-2"
                url, new_dest = _bumped(item.url, item.output_ext, stamp, taken)
                taken.add(new_dest)
                self.warn(item.source, f"two files claim {item.url}: {winner} and {item.source}; "
                          f"Jekyll wrote {winner} there (the last one written wins)",
                          f"this one was never reachable in Jekyll; it is imported at {url}")
                if loser is not None:
                    loser.want_url, loser.want_dest = url, new_dest
                    loser.add["slug"] = None  # marks it for a slug of its own (_dedupe_keys)

    # -- site.yaml ---------------------------------------------------------------

    def _config(self, docs: list[_Doc]) -> SiteConfig:
        cfg = self.cfg
        language, languages = self._languages(docs)
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
        permalinks = self._permalinks(docs)
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
        params = {str(k): _plain(v) for k, v in cfg.items() if k not in _JEKYLL_KEYS}
        if params:
            data["params"] = params
        try:
            config = parse_config(self.into, data)
        except KithError as exc:  # a setting Kith refuses: drop it and say so
            for problem in exc.problems:
                self.warn(CONFIG_FILE, f"site.yaml: {problem.message}", problem.hint)
            for key in ("timezone", "permalinks", "author", "description"):
                data.pop(key, None)
            config = parse_config(self.into, data)
        text = ("# Imported from a Jekyll site (_config.yml) by kith import jekyll.\n"
                "# Settings for templates are under params: (site.params.NAME).\n")
        text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        self.files[SITE_FILE] = text.encode()
        self._report_config()
        return config

    def _languages(self, docs: list[_Doc]) -> tuple[str, list[str]]:
        counts: Counter[str] = Counter()
        found: set[str] = set()
        groups: dict[tuple[str, str], set[str]] = defaultdict(set)
        for doc in docs:
            lang = doc.item.data.get("lang")
            if isinstance(lang, str) and re.fullmatch(r"[A-Za-z][\w-]*", lang.strip()):
                found.add(lang.strip())
                counts[lang.strip()] += 1
                continue
            folder, _, name = doc.item.source.rpartition("/")
            stem = posixpath.splitext(name)[0]
            m = re.search(r"-([A-Za-z]{2,4})$", stem)
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
            ranked = sorted(found, key=lambda c: (-counts[c], c))
            language = ranked[0] if ranked else "en"
        others = sorted(found - {language}, key=lambda c: (-counts[c], c))
        return language, [language, *others]

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

    def _permalinks(self, docs: list[_Doc]) -> dict[str, str]:
        """Jekyll's patterns in Kith tokens, so posts written after the move look alike."""
        result: dict[str, str] = {}
        has_categories = any(d.item.data.get("categories") for d in docs if d.item.kind == "post")
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

    # -- front matter, keys, URLs --------------------------------------------------

    def _front_matter(self, doc: _Doc, config: SiteConfig) -> None:
        item = doc.item
        front = _front(item)
        if front is None:  # reported by the reader; the file is imported as written
            self.unreadable.add(item.source)
            return
        if item.kind == "draft":
            doc.add["draft"] = True
        layout = item.data.get("layout")
        if isinstance(layout, str) and layout:
            self.layouts[layout].append(item.source)
        doc.drop |= {"layout", "permalink", "redirect_from"}
        # Values Jekyll took from `defaults:` are written out: Kith has no defaults.
        for key, value in _defaults_of(item, front).items():
            if key not in ("layout", "permalink") and key not in front:
                doc.add.setdefault(key, _plain(value))
        if item.kind in ("post", "document") and "title" not in front:
            doc.add["title"] = item.data.get("title")
            self.warn(item.source, f"no title: imported with the one Jekyll showed, "
                      f"'{item.data.get('title')}'", "add a title: of your own")
        elif item.kind == "page" and not front.get("title"):
            self.warn(item.source, "no title: Kith names the page after its file",
                      "add a title: to the front matter")
        path_categories = item.data.get("categories") or []
        if item.kind in ("post", "draft") and path_categories and not front.get("categories") \
                and not front.get("category"):
            doc.add["categories"] = list(path_categories)
        if "date" in front and item.date is not None:
            try:
                parse_datetime(front["date"], config.tz)
            except ValueError:  # Jekyll read it; Kith wants ISO
                doc.add["date"] = item.date.isoformat(sep=" ")
        redirect_from = front.get("redirect_from")
        if redirect_from:
            values = redirect_from if isinstance(redirect_from, list) else [redirect_from]
            doc.add["aliases"] = ["/" + str(v).lstrip("/") for v in values]
        if front.get("redirect_to"):
            self.not_converted(item.source, "redirect_to not converted: Kith writes redirects "
                               "for old URLs (aliases:), not pages that only redirect",
                               "turn it into a link, or add the old URL to the target's aliases:",
                               line=key_line(item.front_matter, "redirect_to"))
        if not item.body.strip():
            self.warn(item.source, "empty body: Kith publishes it with its title and no text",
                      "write the text, or delete the file")
        if "slug" in doc.add and doc.add["slug"] is None:
            doc.add.pop("slug")
            doc.add["_rename"] = True

    def _parse(self, doc: _Doc, config: SiteConfig) -> None:
        """Read the file as Kith will (its front matter is all that places it)."""
        page, problems = read_page(config, doc.target, self._text(doc, body=False).encode())
        doc.page, doc.problems = page, tuple(problems)

    def _dedupe_keys(self, docs: list[_Doc], config: SiteConfig) -> None:
        """Kith wants one post per slug and language; Jekyll only one per URL."""
        groups: dict[tuple[str, str, str], list[_Doc]] = defaultdict(list)
        for doc in docs:
            if doc.item.source not in self.unreadable:
                self._parse(doc, config)
            if doc.page is not None:
                groups[(doc.page.collection, doc.page.key, doc.page.lang)].append(doc)
        for (collection, key, _lang), group in sorted(groups.items()):
            if len(group) < 2:
                continue
            group.sort(key=lambda d: (bool(d.add.get("_rename")), not d.item.written,
                                      -(d.item.date.timestamp() if d.item.date else 0)))
            for n, doc in enumerate(group[1:], start=2):
                if collection == "posts":
                    stamp = f"{doc.item.date:%Y-%m-%d}" if doc.item.date else str(n)
                    slug = f"{doc.page.slug}-{stamp}" if doc.page else f"{key}-{stamp}"
                    doc.add["slug"] = slug
                else:
                    stem, ext = posixpath.splitext(doc.target)
                    doc.target = f"{stem}-{n}{ext}"
                    self.targets[doc.item.source] = doc.target
                self._parse(doc, config)
        for doc in docs:
            doc.add.pop("_rename", None)

    def _place(self, doc: _Doc, config: SiteConfig) -> None:
        """Add a permalink (or, failing that, an alias) so Kith writes Jekyll's path."""
        item, want = doc.item, doc.want_dest
        if not want or doc.page is None:
            return
        if self._output(doc.page, config) == want:
            self._kept(doc)
            return
        # Jekyll's URL, or the URL of its output file where Kith would name the file
        # differently ('/v1.2' is written 'v1.2.html' by Jekyll, 'v1.2' by Kith).
        url = doc.want_url if output_path(doc.want_url) == want else _url_of(want)
        # Kith reads a front matter permalink as it is: no need to parse the file again.
        page = replace(doc.page, permalink=url)
        if self._output(page, config) == want:
            doc.add["permalink"] = url
            doc.page = page
            self.permalinks += 1
            self._kept(doc)
            return
        doc.add["aliases"] = [*doc.add.get("aliases", []), url]
        doc.page = replace(doc.page, extra={**doc.page.extra, "aliases": doc.add["aliases"]})
        new = page_url(doc.page, config)
        if item.written:
            self.redirects.append(Redirect(old=doc.want_url, new=new, source=item.source))
            self.warn(item.source, f"URL {doc.want_url} cannot be kept: the page moves to {new} "
                      "and the old URL redirects there")

    def _output(self, page: Page, config: SiteConfig) -> str:
        return output_path(page_url(page, config))

    def _kept(self, doc: _Doc) -> None:
        # A file that lost a collision had no URL of its own in Jekyll: nothing was kept.
        if doc.item.written and doc.want_dest == doc.item.dest:
            self.kept[doc.item.source] = doc.want_dest

    # -- bodies ---------------------------------------------------------------------

    def _index_served(self, docs: list[_Doc]) -> None:
        dests = {item.source: item.dest for item in self.site.items if item.dest}
        dests.update({doc.item.source: doc.want_dest for doc in docs if doc.want_dest})
        for source, dest in dests.items():
            content = self.targets.get(source) or (dest if source in self.kept else None)
            if content is None:
                continue
            for path in (dest, dest.removesuffix(".html")) if not dest.endswith(
                    "index.html") else (dest, dest.removesuffix("index.html"),
                                        dest.removesuffix("/index.html")):
                self.served.setdefault(path, content)

    def _convert_body(self, doc: _Doc, config: SiteConfig) -> None:
        item = doc.item
        if item.source.endswith(HTML_EXTS):
            self.warn(item.source, "HTML post imported as Markdown: check that it renders",
                      "Markdown keeps most HTML as it is")
        # Links first: they are read the Jekyll way, before Liquid writes Kith-style ones.
        body, changed = rewrite_links(item.body, url=item.url or doc.want_url, source=item.source,
                             target=doc.target, find_url=self.served.get,
                             find_source=self.targets.get)
        self.counts["links re-pointed"] += changed
        ctx = liquid.Context(item.source, item.body_line, self.cfg,
                             {**item.data, "url": item.url, "path": item.source},
                             link=self._link_for(doc.target))
        doc.body = liquid.convert(body, ctx)
        for tag, count in ctx.converted.items():
            self.counts[f"liquid {tag}"] += count
        for problem in ctx.problems:
            if "not converted" in problem.message:
                self.unconverted.append(problem)
            else:
                self.problems.append(problem)
        kind = {"post": "posts", "draft": "drafts", "page": "pages",
                "document": "documents"}[item.kind]
        self.counts[kind] += 1

    def _link_for(self, target: str) -> Callable[[str, str], str | None]:
        """Links for {% post_url %} and {% link %}: to the imported file, relative."""
        here = posixpath.dirname(f"{CONTENT_DIR}/{target}")
        if not self.post_names:
            for item in self.site.items:
                if item.kind == "post":
                    inner = posixpath.splitext(item.source.split("_posts/", 1)[-1])[0]
                    self.post_names.setdefault(inner, item.source)
                    self.post_names.setdefault(inner.rsplit("/", 1)[-1], item.source)

        def link(tag: str, arg: str) -> str | None:
            arg = arg.strip().strip("'\"")
            source = self.post_names.get(arg) if tag == "post_url" else arg.lstrip("/")
            if source is None or source not in self.targets:
                return None
            path = f"{CONTENT_DIR}/{self.targets[source]}"
            return posixpath.relpath(path, here)

        return link

    def _text(self, doc: _Doc, body: bool = True) -> str:
        add = {k: v for k, v in doc.add.items() if not k.startswith("_")}
        if doc.item.source in self.unreadable:
            yaml_text = (doc.item.front_matter or "").rstrip("\n") + "\n"
        else:
            key = (doc.item.source, repr(add))
            if key not in self.edited:
                self.edited[key] = _edit_front_matter(doc.item.front_matter,
                                                      doc.item.front or {}, doc.drop, add)
            yaml_text = self.edited[key]
        return f"---\n{yaml_text}---\n" + (doc.body if body else "")

    # -- checks ---------------------------------------------------------------------

    def _verify(self, docs: list[_Doc], config: SiteConfig) -> None:
        """Run Kith's own site assembly on the result, so the import says if it will build."""
        pages = [doc.page for doc in docs if doc.page is not None]
        published, _ = select_pages(pages, drafts=False, future=False)
        statics = [rel.removeprefix(CONTENT_DIR + "/") for rel, data in self.files.items()
                   if rel.startswith(CONTENT_DIR + "/") and not rel.endswith(".md")]
        _, _, problems = assemble_site(config, published, statics)
        for doc in docs:
            problems += doc.problems
        back = {f"{CONTENT_DIR}/{doc.target}": doc.item.source for doc in docs}
        for problem in problems:
            if not problem.warning:
                where = f"{problem.path}:{problem.line}" if problem.line else problem.path
                self.problems.append(replace(
                    problem, path=back.get(problem.path, problem.path), line=0,
                    message=f"the imported site will not build: {where}: {problem.message}"))

    def _report_theme(self) -> None:
        layouts_dir = {posixpath.splitext(f.removeprefix("_layouts/"))[0]: f
                       for f in self.site.theme_files if f.startswith("_layouts/")}
        for name in sorted(set(self.layouts) | set(layouts_dir)):
            users = self.layouts.get(name, [])
            where = layouts_dir.get(name) or (users[0] if users else CONFIG_FILE)
            used = f"used by {len(users)} file{'s' * (len(users) != 1)}"
            if users:
                used += ", e.g. " + ", ".join(users[:2])
            kith = "Kith uses its post and page layouts" if name in _COMMON_LAYOUTS else \
                f"those files use Kith's post or page layout until layouts/{name}.html exists"
            origin = "" if name in layouts_dir else " (from the theme)"
            self.not_converted(where, f"layout '{name}'{origin} not converted ({used})",
                               f"{kith}; port it to Jinja2, see docs/migrating-from-jekyll.md")
        for rel in self.site.theme_files:
            folder = rel.split("/", 1)[0]
            message = {
                "_includes": ("include not converted", "use it from a Kith layout: "
                              "{% include 'name.html' %} in layouts/"),
                "_data": ("data file not converted", "Kith has no site.data: put the values "
                          "templates need under params: in site.yaml"),
                "_sass": ("Sass partial not converted", "style Kith's theme instead "
                          "(layouts/assets/)"),
                "_plugins": ("plugin not converted: Kith runs no Ruby",
                             "rebuild what it did by hand, or drop it"),
            }.get(folder)
            if message:
                self.not_converted(rel, *message)


def _bumped(url: str, output_ext: str, stamp: str, taken: set[str]) -> tuple[str, str]:
    """A free URL next to ``url``: '/x' -> '/x-2012-03-24', '/a/x/' -> '/a/x-2/'."""
    n = 1
    while True:
        mark = stamp if n == 1 else f"{stamp}-{n}"
        if url.endswith("/"):
            new = url[:-1] + mark + "/"
        else:
            head, dot, ext = url.rpartition(".")
            new = f"{head}{mark}.{ext}" if dot and "/" not in ext else url + mark
        dest = document_destination(new, output_ext or ".html")
        if dest not in taken:
            return new, dest
        n += 1


def _url_of(dest: str) -> str:
    """The URL Kith writes to ``dest``: 'a/index.html' -> '/a/', 'x.html' -> '/x.html'."""
    if dest == "index.html" or dest.endswith("/index.html"):
        return "/" + dest.removesuffix("index.html")
    return "/" + dest


def _front(item: Item) -> Mapping[str, Any] | None:
    """The file's own front matter; None when it is not a YAML mapping."""
    return item.front


def _defaults_of(item: Item, front: Mapping[str, Any]) -> dict[str, Any]:
    """Keys in Jekyll's view of the file that neither the file nor Jekyll itself set."""
    derived = {"title", "slug", "ext", "categories", "tags", "date", "draft", "excerpt"}
    return {k: v for k, v in item.data.items() if k not in front and k not in derived}


def _plain(value: Any) -> Any:
    """YAML-safe copy: LineDicts and LineLists become plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_KEY_LINE = re.compile(r"""^(?:"([^"]+)"|'([^']+)'|([^\s#'"-][^:]*?))\s*:(?:\s|$)""")


def _edit_front_matter(yaml_text: str | None, original: Mapping[str, Any],
                       drop: Iterable[str], add: Mapping[str, Any]) -> str:
    """The front matter as written, less ``drop`` and ``add``'s keys, plus ``add``.

    Lines are kept as the author wrote them (order, quoting, comments); only whole
    top-level entries are removed. The result must parse to what is intended, else
    the mapping is written afresh.
    """
    remove = (set(drop) | set(add)) & set(original) if original else set()
    if not remove:  # nothing to cut: the written lines stay, the new ones are appended
        kept_text = (yaml_text or "").rstrip("\n")
        new = [_dump_entry(k, v) for k, v in add.items() if v is not None]
        text = "\n".join(part for part in (kept_text, *new) if part.strip())
        return text + "\n" if text.strip() else ""
    remove = set(drop) | set(add)
    kept: list[str] = []
    skipping = False
    for line in (yaml_text or "").splitlines():
        match = _KEY_LINE.match(line)
        if match:
            key = next(g for g in match.groups() if g is not None).strip()
            skipping = key in remove
        elif line and not line[0].isspace() and not line.startswith(("-", "#")):
            skipping = False
        if not skipping:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    new = [_dump_entry(k, v) for k, v in add.items() if v is not None]
    text = "\n".join([*kept, *new])
    text = text + "\n" if text.strip() else ""
    # Check the cut with the fast loader: both sides read the same way.
    try:
        expected = {k: v for k, v in (_fast_load(yaml_text) or {}).items() if k not in remove}
        expected.update(_fast_load("\n".join(new)) or {})
        if (_fast_load(text) or {}) == expected:
            return text
    except (yaml.YAMLError, AttributeError):
        pass
    fresh = {k: v for k, v in _plain(original).items() if k not in remove}
    fresh.update({k: v for k, v in add.items() if v is not None})
    return yaml.safe_dump(fresh, allow_unicode=True, sort_keys=False, width=10_000) \
        if fresh else ""


def _dump_entry(key: str, value: Any) -> str:
    """One 'key: value' entry; short lists in flow style ('aliases: [/old/]')."""
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        flow = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
        return f"{key}: {flow.strip()}"
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10_000,
                          default_flow_style=False).rstrip("\n")


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _fast_load(text: str | None) -> Any:
    return yaml.load(text, Loader=_FAST_LOADER) if text and text.strip() else None


# -- command line ------------------------------------------------------------------


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``kith import jekyll SRC [--into DIR] [--force]``."""
    p = commands.add_parser("import", help="convert another generator's site into a Kith site")
    kinds = p.add_subparsers(title="from", metavar="GENERATOR")
    q = kinds.add_parser(
        "jekyll", help="a Jekyll site: _config.yml, _posts/, _drafts/, pages, collections",
        description="Convert a Jekyll site into site.yaml and content/, keeping every URL. "
                    "SRC is only read; a summary lists what could not be converted.")
    q.add_argument("src", metavar="SRC", help="the Jekyll site's folder (never changed)")
    q.add_argument("--into", metavar="DIR",
                   help="where to write site.yaml and content/ (default: the site folder, "
                        "-C DIR or the current folder)")
    q.add_argument("--force", action="store_true",
                   help="write into a folder that is not empty, over files with the same names")
    q.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    into = Path(args.into).resolve() if args.into else Path(args.root)
    report = import_jekyll(Path(args.src), into, force=args.force)
    for line in summary(report):
        print(line)
    return 1 if report.errors else 0


def summary(report: ImportReport) -> list[str]:
    """The import, in the words the command prints."""
    counts = report.counts
    parts = [f"{counts.get(key, 0)} {key if counts.get(key, 0) != 1 else key.rstrip('s')}"
             for key in ("posts", "drafts", "pages", "documents", "static files")]
    written = len(report.urls)
    lines = [f"Imported {report.source} into {report.target}:",
             f"  {', '.join(parts)}; {len(report.written)} files written",
             f"  URLs: {written} kept at Jekyll's paths, {len(report.redirects)} redirected; "
             f"{report.permalinks} files carry a permalink: (Kith's default differs)"]
    liquid_counts = [f"{n} {k.removeprefix('liquid ').replace('output', '{{ }} value')}"
                     for k, n in sorted(counts.items()) if k.startswith("liquid ")]
    if liquid_counts:
        lines.append(f"  Liquid rewritten: {', '.join(liquid_counts)}")
    if counts.get("links re-pointed"):
        lines.append(f"  {counts['links re-pointed']} relative links re-pointed (Kith reads "
                     "them from the file, Jekyll's readers from the URL)")
    if report.redirects:
        lines.append(f"Redirects ({len(report.redirects)}): the old URL now sends readers on")
        lines += [f"  {r.old} -> {r.new}  ({r.source})" for r in report.redirects]
    if report.unconverted:
        lines.append(f"Not converted ({len(report.unconverted)}):")
        lines += [_indent(str(p)) for p in report.unconverted]
    warnings = [p for p in report.problems if p.warning]
    errors = [p for p in report.problems if not p.warning]
    if warnings:
        lines.append(f"Warnings ({len(warnings)}):")
        lines += [_indent(str(p)) for p in warnings]
    if errors:
        lines.append(f"Errors ({len(errors)}): fix these before kith build")
        lines += [_indent(str(p)) for p in errors]
    lines.append(f"Next: kith -C {report.target} build")
    return lines


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
