"""A Jekyll source tree, read the way ``jekyll build`` reads it.

Nothing here knows about Kith. It answers two questions: which files would
Jekyll publish, and at which URL and output path. The importer needs the answers
to keep every URL; tests check them against hand-written expectations and, when
it is installed, a real Jekyll. The rules mirror Jekyll 3.10 (what GitHub Pages
runs) and agree with 4.3 for everything 3.10 supports; the Ruby they follow is in
lib/jekyll/{reader,page,document}.rb. URL rules are in :mod:`.jekyll_urls`, which
files are read and their front matter defaults in :mod:`.jekyll_scope`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..dates import build_time, parse_datetime, zone
from ..errors import Problem, describe
from ..yamlio import YamlProblem, load_yaml
from .jekyll_scope import DEFAULT_EXCLUDES, Defaults, EntryFilter, deep_merge
from .jekyll_urls import (
    add_permalink_suffix,
    document_destination,
    expand_document_url,
    expand_hash_url,
    expand_page_url,
    extname,
    page_destination,
    posts_template,
    slugify,
    titleize_slug,
)

CONFIG_FILE = "_config.yml"
DEFAULT_MARKDOWN_EXT = "markdown,mkdown,mkdn,mkd,md"
HTML_EXTS = (".html", ".xhtml", ".htm")
# Folders Jekyll reads for its own purposes; the importer reports what is in them.
THEME_DIRS = ("_layouts", "_includes", "_data", "_sass", "_plugins")

_FRONT_MATTER = re.compile(r"\A(---[ \t]*\n(.*?)\n?)^((?:---|\.\.\.)[ \t]*$\n?)", re.S | re.M)
_DATE_NAME = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)(\.[^.]+)$", re.S)


class JekyllError(Exception):
    """The source is not a Jekyll site that can be read."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Item:
    """One file of the Jekyll source and what Jekyll makes of it."""

    source: str
    """Path relative to the Jekyll source, '/' separators ('_posts/en/2012-01-02-wife-en.md')."""
    kind: str
    """'post', 'draft', 'page', 'document' (of a collection) or 'static'."""
    collection: str = ""
    """Collection label for posts, drafts and documents."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """Front matter over the matching ``defaults:``, as Jekyll sees it."""
    front_matter: str | None = None
    """The YAML text between the '---' lines as written; None when there is none."""
    front: Mapping[str, Any] | None = field(default_factory=dict)
    """That text, parsed; None when it is not a YAML mapping (reported)."""
    body: str = ""
    body_line: int = 1
    """Line of the file where the body starts."""
    date: dt.datetime | None = None
    slug: str = ""
    """Jekyll's ``page.slug``: front matter slug, else the file name after the date."""
    output_ext: str = ""
    url: str = ""
    """``page.url``, unescaped ('/notes/x-en'); '' when it could not be worked out."""
    dest: str = ""
    """Output file relative to _site ('notes/x-en.html'); '' when not written."""
    skipped: str = ""
    """Why Jekyll does not write it: 'draft', 'unpublished', 'future', 'not output', ..."""
    mtime: float = 0.0

    @property
    def written(self) -> bool:
        return bool(self.dest)

    @property
    def markdown(self) -> bool:
        return self.output_ext == ".html" and not self.source.endswith(HTML_EXTS)


@dataclass(frozen=True)
class JekyllSite:
    """A Jekyll source tree, read."""

    root: Path
    config: Mapping[str, Any]
    items: tuple[Item, ...]
    """Every post, draft, page, document and static file, in Jekyll's write order."""
    theme_files: tuple[str, ...]
    """Files under _layouts/, _includes/, _data/, _sass/, _plugins/."""
    excluded: tuple[str, ...]
    """Top-level entries left out by ``exclude:`` (not the '_' and '.' ones)."""
    problems: tuple[Problem, ...]
    winners: Mapping[str, str]
    """Output path -> the source Jekyll leaves there (the last one written wins)."""

    def outputs(self) -> dict[str, str]:
        """Output path -> source, for every file Jekyll writes (after collisions)."""
        return dict(self.winners)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(YAML text or None, body, first body line), by Jekyll's front matter regexp."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    return match.group(2), text[match.end():], text.count("\n", 0, match.end()) + 1


def has_front_matter(path: Path) -> bool:
    """``Utils.has_yaml_header?``: the first line is '---' (trailing blanks allowed)."""
    try:
        with path.open("rb") as handle:
            first = handle.readline()
    except OSError:
        return False  # copied as a static file, where the error is reported
    return re.match(rb"\A---\s*\r?\n", first) is not None


def read_site(root: Path, now: dt.datetime | None = None) -> JekyllSite:
    """Read the Jekyll source in ``root``; raise JekyllError when it cannot be read."""
    return _Reader(root, now or build_time()).read()


class _Reader:
    def __init__(self, root: Path, now: dt.datetime) -> None:
        if not root.is_dir():
            raise JekyllError(f"{root} is not a folder")  # checked by callers first
        self.root = root
        self.now = now
        self.problems: list[Problem] = []
        self.config = self._config()
        cfg = self.config
        self.tz = self._zone(cfg.get("timezone"))
        self.style = str(cfg.get("permalink") or "date")
        exts = cfg.get("markdown_ext", DEFAULT_MARKDOWN_EXT)
        self.markdown_exts = {"." + e.strip().lower() for e in str(exts).split(",") if e.strip()}
        exclude = [str(e) for e in cfg.get("exclude") or [] if isinstance(e, str | int)]
        include = [str(e) for e in cfg.get("include", [".htaccess"]) or []
                   if isinstance(e, str | int)]
        self.filter = EntryFilter([*exclude, *DEFAULT_EXCLUDES], include)
        self.defaults = Defaults(cfg.get("defaults"), root)
        self.collections_dir = str(cfg.get("collections_dir") or "").strip("/")
        self.future = cfg.get("future") is True
        self.unpublished = cfg.get("unpublished") is True
        self.items: list[Item] = []
        self.excluded: list[str] = []

    # -- config ------------------------------------------------------------

    def _config(self) -> dict[str, Any]:
        path = self.root / CONFIG_FILE
        if not path.is_file():
            yml = self.root / "_config.yaml"
            if yml.is_file():
                path = yml
            else:
                self.problems.append(Problem(
                    CONFIG_FILE, 0, "no _config.yml: reading with Jekyll's defaults",
                    "check that SRC is the Jekyll site's folder", warning=True))
                return {}
        try:
            data = load_yaml(path.read_text(encoding="utf-8-sig")) or {}
        except YamlProblem as exc:
            raise JekyllError(exc.message, exc.line) from None
        except UnicodeDecodeError:
            raise JekyllError("not valid UTF-8") from None
        if not isinstance(data, dict):
            raise JekyllError("expected a mapping of settings", 1)
        return data

    def _zone(self, name: Any) -> dt.tzinfo:
        if not name:
            return dt.UTC
        try:
            return zone(str(name))
        except ValueError:
            self.problems.append(Problem(CONFIG_FILE, 0, f"unknown time zone '{name}': using UTC",
                                         "use an IANA name such as Asia/Shanghai", warning=True))
            return dt.UTC

    # -- walking -----------------------------------------------------------

    def read(self) -> JekyllSite:
        self._directory("")
        self._collections()
        theme = sorted(rel for folder in THEME_DIRS for rel in self._files(folder, dots=False))
        ordered = self._write_order()
        winners: dict[str, str] = {}
        for item in ordered:
            winners[item.dest] = item.source
        return JekyllSite(root=self.root, config=self.config, items=tuple(ordered) + tuple(
            i for i in self.items if not i.written), theme_files=tuple(theme),
            excluded=tuple(self.excluded), problems=tuple(self.problems), winners=winners)

    def _files(self, folder: str, dots: bool) -> Iterator[str]:
        """Files below ``folder`` (relative to the source), recursively, sorted."""
        base = self.root / folder
        if not base.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(base):
            if not dots:
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            dirnames.sort()
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            for name in sorted(filenames):
                if dots or not name.startswith("."):
                    yield f"{rel_dir}/{name}"

    def _directory(self, rel: str) -> None:
        base = self.root / rel if rel else self.root
        dirs, pages, statics = [], [], []
        try:
            names = sorted(os.listdir(base))
        except OSError as exc:
            self.problems.append(Problem(rel, 0, f"cannot read the folder: {exc.strerror}",
                                         "check its permissions"))
            return
        for name in names:
            path = base / name
            is_dir = path.is_dir()
            if not self.filter.keep(rel, name, is_dir):
                if not rel and self.filter.excluded(name, is_dir) and not name.startswith(
                        ("_", ".")):
                    self.excluded.append(name + ("/" if is_dir else ""))
                continue
            entry = f"{rel}/{name}" if rel else name
            if path.is_symlink():
                self.problems.append(Problem(entry, 0, "symbolic link: not imported",
                                             "GitHub Pages (safe mode) skips links too; copy "
                                             "the file in if you need it", warning=True))
                continue
            if is_dir:
                dirs.append(entry)
            elif has_front_matter(path):
                pages.append(entry)
            else:
                statics.append(entry)
        if not self.collections_dir or rel.startswith(self.collections_dir):
            self._posts(rel, "_posts")
            self._posts(rel, "_drafts")
        for entry in dirs:
            self._directory(entry)
        for entry in pages:
            self._page(entry)
        for entry in statics:
            self.items.append(self._static(entry))

    def _posts(self, rel: str, magic: str) -> None:
        folder = f"{rel}/{magic}" if rel else magic
        for path in self._files(folder, dots=False):
            entry = path[len(folder) + 1:]
            if not self.filter.keep(folder, entry, False):
                continue
            name = entry.rsplit("/", 1)[-1]
            if magic == "_posts" and not _DATE_NAME.match(name):
                continue  # Jekyll ignores files in _posts without a date in the name
            if "." not in name.lstrip("."):
                continue
            if (self.root / path).is_symlink():
                continue
            self._document(path, "posts", "draft" if magic == "_drafts" else "post")

    def _collections(self) -> None:
        collections = self.config.get("collections")
        if isinstance(collections, list):
            collections = {str(label): {} for label in collections}
        if not isinstance(collections, dict):
            return
        for label in collections:
            if label == "posts":
                continue
            folder = "/".join(p for p in (self.collections_dir, f"_{label}") if p)
            if not (self.root / folder).is_dir():
                continue
            for path in self._files(folder, dots=True):
                entry = path[len(folder) + 1:]
                if not self.filter.keep("", entry, False):
                    continue
                if has_front_matter(self.root / path):
                    self._document(path, str(label), "document")
                else:
                    self.items.append(self._static(path, str(label)))

    def collection_meta(self, label: str) -> dict[str, Any]:
        collections = self.config.get("collections")
        if isinstance(collections, dict) and isinstance(collections.get(label), dict):
            return collections[label]
        return {}

    # -- files -------------------------------------------------------------

    def _text(self, rel: str) -> tuple[str | None, dict[str, Any] | None, str, int] | None:
        """(front matter text, parsed data, body, body line), or None when unreadable.

        The data is None when the front matter is not a YAML mapping (reported here).
        """
        try:
            raw = (self.root / rel).read_bytes()
        except OSError as exc:
            self.problems.append(Problem(rel, 0, f"cannot read it: {exc.strerror}: not imported",
                                         "check its permissions"))
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(Problem(rel, line, "not valid UTF-8: not imported",
                                         "save the file as UTF-8 (Jekyll skips it too)"))
            return None
        text = text.replace("\r\n", "\n")
        yaml_text, body, body_line = split_front_matter(text)
        data: dict[str, Any] | None = {}
        if yaml_text is not None and yaml_text.strip():
            try:
                loaded = load_front_matter(yaml_text)
            except YamlProblem as exc:
                self.problems.append(Problem(
                    rel, exc.line + 1, f"front matter: {exc.message}",
                    "fix the YAML (Jekyll failed on it too); the file is imported as written"))
                return yaml_text, None, body, body_line
            if isinstance(loaded, dict):
                data = loaded
            elif loaded is not None:
                self.problems.append(Problem(rel, 2, "front matter is not 'key: value' lines",
                                             "e.g. title: My post; the file is imported as "
                                             "written"))
                return yaml_text, None, body, body_line
        return yaml_text, data, body, body_line

    def _output_ext(self, ext: str) -> str:
        ext = ext.lower()
        if ext in self.markdown_exts:
            return ".html"
        if ext in (".scss", ".sass"):
            return ".css"
        return ext

    def _page(self, rel: str) -> None:
        read = self._text(rel)
        if read is None:
            return
        yaml_text, own, body, body_line = read
        front = own or {}
        folder, _, name = rel.rpartition("/")
        ext = extname(name)
        basename = (name[: -len(ext)] if ext else name).rstrip(".")
        output_ext = self._output_ext(ext)
        data = {**self.defaults.all(rel, "pages"), **front}
        if output_ext not in HTML_EXTS:
            template = "/:path/:basename:output_ext"
        elif basename == "index":
            template = "/:path/"
        else:
            template = add_permalink_suffix("/:path/:basename", self.style)
        permalink = self._permalink(rel, data, yaml_text)
        url = "" if permalink is None else expand_page_url(
            permalink or template, f"/{folder}" if folder else "", basename, output_ext)
        skipped = "" if data.get("published", True) is not False or self.unpublished \
            else "unpublished"
        skipped = skipped or ("" if url else "bad permalink")
        self.items.append(Item(
            source=rel, kind="page", data=data, front_matter=yaml_text, front=own, body=body,
            body_line=body_line, output_ext=output_ext, url=url,
            dest="" if skipped else page_destination(url, output_ext), skipped=skipped,
            mtime=(self.root / rel).stat().st_mtime))

    def _static(self, rel: str, collection: str = "") -> Item:
        if collection:
            meta = self.collection_meta(collection)
            if not meta.get("output"):
                return Item(source=rel, kind="static", collection=collection,
                            skipped="not output")
            name = rel.rsplit("/", 1)[-1]
            ext = extname(name)
            cleaned = (rel[: -len(ext)] if ext else rel).rstrip(".").replace(
                f"_{collection}", "", 1)
            template = meta.get("permalink") or add_permalink_suffix("/:collection/:path",
                                                                       self.style)
            url = expand_hash_url(str(template), [
                ("collection", collection), ("path", cleaned), ("output_ext", ""),
                ("name", name[: -len(ext)] if ext else name), ("title", "")])
            url = url.removesuffix("/") + ext
            return Item(source=rel, kind="static", collection=collection, url=url,
                        dest=url.lstrip("/"))
        return Item(source=rel, kind="static", url="/" + rel, dest=rel)

    def _document(self, rel: str, collection: str, kind: str) -> None:
        read = self._text(rel)
        if read is None:
            return
        yaml_text, own, body, body_line = read
        front = own or {}
        name = rel.rsplit("/", 1)[-1]
        ext = extname(name)
        stem = name[: -len(ext)] if ext else name
        special = "_drafts" if kind == "draft" else (
            "_posts" if collection == "posts" else f"_{collection}")
        defaults = self.defaults.all(rel, collection)
        data = deep_merge(defaults, front)
        categories = self._categories(rel, special, name, defaults, front)
        data["categories"] = categories
        dated = self._document_date(rel, name, kind, yaml_text, data)
        if dated is None:
            return
        date, slug = dated
        slug = (stem if slug is None else slug).rstrip(".")
        fm_slug = data.get("slug")
        data_slug = str(fm_slug) if fm_slug not in (None, "") else slug
        if not data.get("title"):
            data["title"] = titleize_slug(slug)
        output_ext = self._output_ext(ext)
        skipped = self._skipped(collection, kind, data, date)
        cleaned = (rel[: -len(ext)] if ext else rel).replace(f"_{collection}", "", 1).rstrip(".")
        values = self._placeholders(collection, cleaned, stem, data_slug, categories, date,
                                    output_ext)
        url = self._document_url(rel, collection, data, yaml_text, values)
        skipped = skipped or ("" if url else "bad permalink")
        self.items.append(Item(
            source=rel, kind=kind, collection=collection, data=data, front_matter=yaml_text,
            front=own,
            body=body, body_line=body_line, date=date, slug=data_slug, output_ext=output_ext,
            url=url, dest="" if skipped else document_destination(url, output_ext),
            skipped=skipped, mtime=(self.root / rel).stat().st_mtime))

    def _document_date(self, rel: str, name: str, kind: str, yaml_text: str | None,
                       data: Mapping[str, Any]) -> tuple[dt.datetime, str | None] | None:
        """(date, the slug after the file name's date or None), or None when the date is
        bad (reported)."""
        date: dt.datetime | None = None
        match = _DATE_NAME.match(name)
        slug: str | None = None
        if match:
            year, month, day, slug = (match.group(1), match.group(2), match.group(3),
                                      match.group(4))
            try:
                date = dt.datetime(int(year), int(month), int(day), tzinfo=self.tz)
            except ValueError:
                if "date" not in data:
                    self.problems.append(Problem(
                        rel, 0, f"bad date in the file name '{name}': not imported",
                        "Jekyll stops on it too; rename it YYYY-MM-DD-slug.md"))
                    return None
        if "date" in data and data["date"] is not None:
            parsed = self._date(data["date"])
            if parsed is None:
                self.problems.append(Problem(rel, key_line(yaml_text, "date"),
                                             f"bad date {data['date']!r}: not imported",
                                             "write it like 2026-01-31 or 2026-01-31 09:30 +08:00"))
                return None
            date = parsed.astimezone(self.tz)  # Utils.parse_date calls #localtime
        if date is None:
            # Jekyll dates drafts by the file's time and other documents by the build.
            mtime = (self.root / rel).stat().st_mtime
            when = dt.datetime.fromtimestamp(mtime) if kind == "draft" else self.now
            date = when.astimezone(self.tz)
        return date, slug

    def _skipped(self, collection: str, kind: str, data: Mapping[str, Any],
                 date: dt.datetime) -> str:
        """Why Jekyll does not write the document ('' when it does)."""
        if kind == "draft":
            return "draft"
        if collection != "posts" and not self.collection_meta(collection).get("output"):
            return "not output"
        if data.get("published", True) is False and not self.unpublished:
            return "unpublished"
        if date > self.now and not self.future:
            return "future"
        return ""

    def _document_url(self, rel: str, collection: str, data: Mapping[str, Any],
                      yaml_text: str | None, values: Mapping[str, str]) -> str:
        """``page.url``; '' (reported) when its template uses an unknown token."""
        if collection == "posts":
            template = posts_template(self.config)
        else:
            template = self.collection_meta(collection).get("permalink") or \
                add_permalink_suffix("/:collection/:path", self.style)
        permalink = self._permalink(rel, data, yaml_text)
        if permalink is None:
            return ""
        try:
            return expand_document_url(permalink or str(template), values)
        except KeyError as exc:
            where = "its permalink" if permalink else "the permalink setting"
            self.problems.append(Problem(
                rel, key_line(yaml_text, "permalink"), f"{where} uses unknown token {exc.args[0]}",
                "Jekyll stops on it too; tokens: " + " ".join(f":{k}" for k in sorted(values))))
            return ""

    def _permalink(self, rel: str, data: Mapping[str, Any], yaml_text: str | None
                   ) -> str | None:
        """Front matter ``permalink:`` ('' when there is none); None (reported) when it
        is not text: Jekyll stops on a list or a number there."""
        permalink = data.get("permalink")
        if permalink in (None, "", False):
            return ""
        if isinstance(permalink, str):
            return permalink
        self.problems.append(Problem(
            rel, key_line(yaml_text, "permalink"), f"permalink must be a path, got "
            f"{describe(permalink)}: the file is imported without it",
            "Jekyll stops on it too; write it as text, e.g. permalink: /about/"))
        return None

    def _categories(self, rel: str, special: str, name: str, defaults: Mapping[str, Any],
                    front: Mapping[str, Any]) -> list[str]:
        # Folders above _posts are categories (blog/_posts/x.md -> blog); front matter
        # 'categories' (a list, or words) and 'category' (one value) add to them.
        found: list[str] = []
        if not rel.startswith(special):
            head = re.sub(re.escape(special) + ".*", "", rel, count=1, flags=re.S)
            found = [c for c in head.split("/") if c and c not in (special, name)]
        for source in (defaults, front):
            value = source.get("categories")
            if isinstance(value, str):
                value = value.split()
            if isinstance(value, list):
                found += [str(v) for v in value if v is not None]
        single = front.get("category", defaults.get("category"))
        if single is not None and not isinstance(single, list | dict):
            found.append(str(single))
        return list(dict.fromkeys(found))

    def _date(self, value: Any) -> dt.datetime | None:
        try:
            return parse_datetime(value, self.tz)
        except ValueError:
            pass
        text = str(value).strip()
        for pattern in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S",
                        "%Y/%m/%d", "%Y/%m/%d %H:%M", "%d %B %Y", "%B %d, %Y", "%b %d, %Y"):
            try:
                when = dt.datetime.strptime(text, pattern)
            except ValueError:
                continue
            return when if when.tzinfo else when.replace(tzinfo=self.tz)
        return None

    @staticmethod
    def _placeholders(collection: str, cleaned: str, stem: str, slug: str,
                      categories: list[str], date: dt.datetime, output_ext: str
                      ) -> dict[str, str]:
        lowered = list(dict.fromkeys(c.lower() for c in categories))
        return {
            "collection": collection, "path": cleaned, "output_ext": output_ext,
            "name": slugify(stem) or "",
            "title": slugify(slug, "pretty", cased=True) or "",
            "slug": slugify(slug) or "",
            "categories": "/".join(lowered),
            "slugified_categories": "/".join(dict.fromkeys(slugify(c) or "" for c in categories)),
            "year": date.strftime("%Y"), "month": date.strftime("%m"),
            "day": date.strftime("%d"), "hour": date.strftime("%H"),
            "minute": date.strftime("%M"), "second": date.strftime("%S"),
            "i_day": str(date.day), "i_month": str(date.month),
            "short_month": date.strftime("%b"), "long_month": date.strftime("%B"),
            "short_year": date.strftime("%y"), "y_day": date.strftime("%j"),
            "week": date.strftime("%V"), "short_day": date.strftime("%a"),
            "long_day": date.strftime("%A"),
        }

    def _write_order(self) -> list[Item]:
        # Site#each_site_file: pages (by file name), static files, then documents
        # (posts first, each collection by date then path); the last write wins.
        written = [i for i in self.items if i.written]
        pages = sorted((i for i in written if i.kind == "page"),
                       key=lambda i: (i.source.rsplit("/", 1)[-1], i.source))
        statics = sorted((i for i in written if i.kind == "static"), key=lambda i: i.source)
        labels = ["posts", *[str(k) for k in (self.config.get("collections") or {})
                             if k != "posts"]] if isinstance(
            self.config.get("collections"), dict) else ["posts"]
        docs = [i for i in written if i.kind in ("post", "document")]
        docs.sort(key=lambda i: (labels.index(i.collection) if i.collection in labels
                                 else len(labels), i.date or self.now, i.source))
        return [*pages, *statics, *docs]


def key_line(yaml_text: str | None, key: str) -> int:
    """File line of a top-level front matter key (the '---' is line 1); 0 if absent."""
    for number, line in enumerate((yaml_text or "").splitlines(), start=2):
        if re.match(rf"""^["']?{re.escape(key)}["']?\s*:""", line):
            return number
    return 0


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Front matter is read for every file: libyaml when there is one."""


# Dates stay as written, as in Kith's own reader (PyYAML drops their offsets).
_FastLoader.add_constructor("tag:yaml.org,2002:timestamp",
                            lambda loader, node: loader.construct_scalar(node))


def load_front_matter(text: str) -> Any:
    """Parse front matter YAML; raises YamlProblem (with its line) when it is invalid."""
    try:
        return yaml.load(text, Loader=_FastLoader)  # a SafeLoader subclass
    except yaml.YAMLError:
        return load_yaml(text)  # the slow reader names the line
