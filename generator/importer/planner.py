"""The import plan: every file to write into the Kith site, and every problem.

For each Jekyll file the planner asks Kith's own content and site stages where
Kith would write it, and adds an explicit ``permalink:`` only where that differs
from Jekyll's path; where no permalink can reproduce the path, the old URL becomes
an alias (a redirect page). Nothing is written here: ``jekyll.import_jekyll``
writes what ``Planner.run`` returns.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import SiteConfig
from ..content import CONTENT_DIR, read_page
from ..dates import parse_datetime
from ..errors import Problem
from ..markdown import MORE
from ..model import Page
from ..paths import shown, url_problem
from ..selection import select_pages
from ..site import assemble_site, output_path, page_url
from . import kramdown, liquid, oldfeed
from .frontmatter import defaults_of, edit_front_matter, own_front, plain
from .jekyll_site import CONFIG_FILE, HTML_EXTS, Item, JekyllSite, key_line
from .jekyll_urls import document_destination
from .links import rewrite_links
from .redirects import aliases_from
from .siteyaml import SITE_FILE, Extras, SiteYaml, home_language, is_kramdown, values_in
from .theme import report_theme
from .theme_settings import read_theme_settings

MAX_DEFAULT_VALUES = 10_000
"""A defaults: value is written into every file it applies to: at most this big (a
list of 10,000 authors in each of 5,000 posts would be a site of gigabytes)."""
# Files Kith's build writes at the site root; a Jekyll template for one is not missed.
_KITH_WRITES = {"feed.xml", "atom.xml", "feed.json", "sitemap.xml", "robots.txt"}


@dataclass(frozen=True)
class Redirect:
    """An old URL that could not be kept, and where its redirect page sends readers."""

    old: str
    new: str
    source: str
    """The Jekyll file, relative to SRC."""


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


class Planner:
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
        self.home_pages: list[Item] = []
        self.feed: oldfeed.OldFeed | None = None
        self.huge_defaults: set[str] = set()
        self.kramdown = is_kramdown(self.cfg)
        """Jekyll rendered Markdown with kramdown (its default): its syntax is rewritten."""

    def warn(self, path: str, message: str, hint: str = "", line: int = 0) -> None:
        self.problems.append(Problem(path, line, message, hint, warning=True))

    def not_converted(self, path: str, message: str, hint: str = "", line: int = 0,
                      warning: bool = True) -> None:
        self.unconverted.append(Problem(path, line, message, hint, warning=warning))

    # -- the whole run ---------------------------------------------------------

    def run(self) -> dict[str, bytes | Path]:
        docs = self._collect()
        self._claim_targets(docs)
        docs = self._resolve_collisions(docs)
        config = self._config(docs)
        for doc in docs:
            self._front_matter(doc, config)
        self._dedupe_keys(docs, config)
        for doc in docs:
            self._place(doc, config)
        self._index_served(docs)
        self._feed_ids(docs)
        for doc in docs:
            self._convert_body(doc, config)
            self.files[f"{CONTENT_DIR}/{doc.target}"] = self._text(doc).encode()
        self._verify(docs, config)
        self.unconverted += report_theme(self.site, self.layouts)
        return self.files

    def _config(self, docs: list[_Doc]) -> SiteConfig:
        site_yaml = SiteYaml(self.site, self.into)
        self.feed, found = oldfeed.find(self.site)
        self.problems += found + oldfeed.feed_path_problems(self.site, self.feed)
        theme = read_theme_settings(self.site)
        self.problems += theme.problems
        self.unconverted += theme.unconverted
        extras = Extras(home_pages=tuple(self.home_pages), menus=theme.menus,
                        notices=theme.notices, footer=theme.footer, feed=self.feed)
        config = site_yaml.config([doc.item for doc in docs], extras)
        self.files[SITE_FILE] = site_yaml.text
        self.problems += site_yaml.problems
        self.unconverted += site_yaml.unconverted
        for item in self.home_pages:
            target = config.redirects.get(item.url)
            if target is None:
                self._template(item)
            else:
                self.redirects.append(Redirect(old=item.url, new=target, source=item.source))
        return config

    def _feed_ids(self, docs: list[_Doc]) -> None:
        """feed-ids.yaml: each post the old feed carried keeps the ID it had there."""
        if self.feed is None:
            return
        entries = [(f"{CONTENT_DIR}/{doc.target}",
                    oldfeed.entry_id(self.feed, self.cfg, doc.item.url, doc.item.slug))
                   for doc in docs if doc.item.kind == "post" and doc.item.written]
        if entries:
            self.files[oldfeed.FEED_IDS_FILE] = oldfeed.ledger(entries)
            self.counts["feed entry IDs kept"] += len(entries)

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
            elif item.kind == "page" and item.written and home_language(item.source) \
                    and not item.markdown:
                self.home_pages.append(item)  # a redirect to Kith's home page, if it has one
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
            clean = _clean_name(rest)
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
        folders = [_clean_name(p) for p in parts[:-1]]
        name = _clean_name(posixpath.splitext(parts[-1])[0]) + ".md"
        target = "/".join([*folders, name])
        if _REFUSED_IN_NAMES.search(item.source):
            self._spaces(item, target)
        return target

    def _spaces(self, item: Item, new_path: str) -> None:
        folder_changed = _REFUSED_IN_NAMES.search(item.source.rpartition("/")[0])
        shown_path = f"content/{new_path}" if folder_changed else new_path.rsplit("/", 1)[-1]
        odd = sorted({c for c in _REFUSED_IN_NAMES.findall(item.source) for c in c} - {" "})
        what = "spaces" if not odd else "characters no URL can hold (" + ", ".join(
            shown(c) for c in odd) + ")"
        self.warn(item.source, f"file name has {what}: imported as {shown_path}",
                  f"its URL stays {item.url}" if item.written and not odd else "")

    def _resolve_collisions(self, docs: list[_Doc]) -> list[_Doc]:
        """Two Jekyll files, one output path: the one Jekyll wrote last keeps it, the
        others are left out (no reader could reach them). Returns the docs to import."""
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
        losers: set[str] = set()
        for dest, items in sorted(claims.items()):
            if len(items) < 2:
                continue
            winner = self.site.winners[dest]
            for item in items:
                if item.source == winner:
                    continue
                losers.add(item.source)
                self.warn(item.source, f"two files claim {item.url}: {winner} and {item.source}; "
                          f"Jekyll wrote {winner} there (the last one written wins)",
                          "this one was never reachable in Jekyll: not imported")
                if item.kind == "static":  # copied already: take it back
                    target = self.targets.pop(item.source, "")
                    self.kept.pop(item.source, None)
                    if self.files.get(f"{CONTENT_DIR}/{target}") == self.site.root / item.source:
                        del self.files[f"{CONTENT_DIR}/{target}"]
                        self.counts["static files"] -= 1
        for source in losers & by_source.keys():
            self.targets.pop(source, None)
        return [doc for doc in docs if doc.item.source not in losers]

    # -- site.yaml ---------------------------------------------------------------

    # -- front matter, keys, URLs --------------------------------------------------

    def _front_matter(self, doc: _Doc, config: SiteConfig) -> None:
        item = doc.item
        front = own_front(item)
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
        for key, value in defaults_of(item, front).items():
            if key in ("layout", "permalink") or key in front:
                continue
            if values_in(value, MAX_DEFAULT_VALUES) > MAX_DEFAULT_VALUES:
                if key not in self.huge_defaults:  # YAML aliases: said once, not per file
                    self.huge_defaults.add(key)
                    self.warn(CONFIG_FILE, f"defaults: value of '{key}' not written into the "
                              f"files: it holds more than {MAX_DEFAULT_VALUES:,} values, "
                              "copied into each file", f"set {key}: in the files that need it")
                continue
            doc.add.setdefault(key, plain(value))
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
        if front.get("redirect_from") not in (None, "", []):
            aliases, problems = aliases_from(item, front["redirect_from"], self.site.winners)
            self.problems += problems
            if aliases:
                doc.add["aliases"] = aliases
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
                self._date_from_jekyll(doc, config)
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

    def _date_from_jekyll(self, doc: _Doc, config: SiteConfig) -> None:
        """A dated post Kith cannot date by its name ('2020-02-04-zh.md': the date then
        a language suffix, with no slug between) gets the date Jekyll gave it."""
        if doc.page is None or doc.page.date is not None or doc.item.date is None \
                or doc.item.kind not in ("post", "draft") or "date" in doc.add:
            return
        doc.add["date"] = doc.item.date.isoformat(sep=" ")
        self._parse(doc, config)

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
        refused = url_problem(url)
        if refused:  # no page, and no redirect either, can be written at such a path
            self.warn(item.source, f"URL {shown(doc.want_url)} cannot be kept: it {refused}; "
                      f"the page moves to {page_url(doc.page, config)}",
                      "Kith writes no file, not even a redirect, at such a path; links to "
                      "it needed percent-encoding: point them at the new URL", line=key_line(
                          item.front_matter, "permalink"))
            return
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
        if self.kramdown:
            converted = kramdown.convert(doc.body, item.source, item.body_line)
            doc.body = converted.text
            if converted.toc:
                doc.add["toc"] = True
            for what, count in converted.converted.items():
                self.counts[f"kramdown {what}"] += count
            self.unconverted += [p for p in converted.problems if "not converted" in p.message]
            self.problems += [p for p in converted.problems if "not converted" not in p.message]
        self._excerpt(doc)
        for problem in ctx.problems:
            if "not converted" in problem.message:
                self.unconverted.append(problem)
            else:
                self.problems.append(problem)
        kind = {"post": "posts", "draft": "drafts", "page": "pages",
                "document": "documents"}[item.kind]
        self.counts[kind] += 1

    def _excerpt(self, doc: _Doc) -> None:
        """A custom ``excerpt_separator`` (site or file) -> Kith's <!--more--> marker."""
        separator = doc.item.data.get("excerpt_separator", self.cfg.get("excerpt_separator"))
        if not isinstance(separator, str) or not separator.strip() or separator in (
                "\n\n", MORE) or separator not in doc.body:
            return
        if re.fullmatch(r"\s*<!--.*-->\s*", separator, re.S):  # a comment: no one saw it
            doc.body = doc.body.replace(separator, MORE, 1)
            self.counts["excerpt separators"] += 1
        elif not self.counts["excerpt separators left"]:
            self.warn(doc.item.source, f"excerpt_separator {shown(separator)} not converted: "
                      "Kith ends a summary at <!--more--> (it shows the separator as text)",
                      f"replace {shown(separator)} with <!--more--> where a summary should end",
                      line=key_line(doc.item.front_matter, "excerpt_separator"))
            self.counts["excerpt separators left"] += 1

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
                self.edited[key] = edit_front_matter(doc.item.front_matter,
                                                      doc.item.front or {}, doc.drop, add)
            yaml_text = self.edited[key]
        return f"---\n{yaml_text}---\n" + (doc.body if body else "")

    # -- checks ---------------------------------------------------------------------

    def _verify(self, docs: list[_Doc], config: SiteConfig) -> None:
        """Run Kith's own site assembly on the result, so the import says if it will build."""
        # A file Kith's reader refuses is reported as it is; the rest is assembled.
        pages = [doc.page for doc in docs if doc.page is not None
                 and not any(not p.warning for p in doc.problems)]
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



_REFUSED_IN_NAMES = re.compile(r"[\s\\?#\x00-\x1f\x7f]+")
"""What Kith refuses in a file or folder name (a path it writes), and spaces."""


def _clean_name(name: str) -> str:
    """A file or folder name Kith can write: spaces and refused characters -> '-'."""
    return _REFUSED_IN_NAMES.sub("-", name.strip())


def _url_of(dest: str) -> str:
    """The URL Kith writes to ``dest``: 'a/index.html' -> '/a/', 'x.html' -> '/x.html'."""
    if dest == "index.html" or dest.endswith("/index.html"):
        return "/" + dest.removesuffix("index.html")
    return "/" + dest
