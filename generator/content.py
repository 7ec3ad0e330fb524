"""content/ -> [Page] and the list of files copied as-is.

Reads front matter, works out collection, date, slug and language, and reports
every problem with its file and line. Markdown is rendered by a later stage.
"""

from __future__ import annotations

import datetime as dt
import errno
import fnmatch
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .alttext import missing_alt
from .config import SiteConfig
from .dates import parse_datetime
from .errors import Problem, describe, not_utf8, one_of, printable
from .model import Page
from .paths import segment_problem, shown, url_problem
from .yamlio import LineDict, YamlProblem, line_of, load_front_matter

CONTENT_DIR = "content"
MARKDOWN_SUFFIXES = (".md", ".markdown")
_POST_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_ORDER_PREFIX = re.compile(r"^(\d+)[-_.\s]+(.+)$")
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes os.fsdecode could not decode
# In text: the controls HTML and XML refuse (tabs and line breaks are white space there).
_ODD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SHOWN_TEXT = ("title", "summary")  # (slugs, permalinks and ids have checks of their own)
# What a feed entry ID cannot hold: white space, control characters, what XML refuses.
_NOT_IN_ID = re.compile("[\\s\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """The first character of ``text`` a title or summary may not hold, if any."""
    found = _ODD_TEXT.search(text)
    return found.group(0) if found else None


KNOWN_KEYS = {
    "title": str, "date": None, "updated": None, "summary": str, "tags": list,
    "categories": list, "draft": bool, "lang": str, "slug": str, "permalink": str,
    "layout": str, "order": int, "aliases": list, "id": str,
}
# Jekyll-era keys that mean the same thing as a Kith key.
KEY_ALIASES = {"description": "summary", "excerpt": "summary", "published": "draft",
               "last_modified_at": "updated", "category": "categories", "tag": "tags"}


@dataclass(frozen=True)
class Content:
    """Everything read from content/."""

    pages: tuple[Page, ...]
    """Page values, sorted by source path (drafts and future posts included)."""
    statics: tuple[str, ...]
    """Other files to copy, relative to content/."""
    problems: tuple[Problem, ...] = field(default=())


def load_pages(config: SiteConfig) -> Content:
    """Read every source under content/; problems are collected, not raised."""
    base = config.root / CONTENT_DIR
    pages, statics, problems = [], [], []
    if not base.is_dir():
        return Content((), (), (Problem(CONTENT_DIR, 0, "no content/ folder",
                                        "create content/posts/YYYY-MM-DD-title.md"),))
    walk = _walk(base, config.exclude)
    problems.extend(walk.problems)
    for path in sorted(map(Path, walk)):
        rel = path.relative_to(base).as_posix()
        if path.suffix.lower() in MARKDOWN_SUFFIXES:
            page, found = read_page(config, rel, path.read_bytes())
            problems.extend(found)
            if page is not None:
                pages.append(page)
        else:
            statics.append(rel)
    return Content(tuple(pages), tuple(statics), tuple(problems))


class Walk(list[str]):
    """The files ``_walk`` found (as strings: a Path costs as much as a stat, 0.5 s at
    30,000 files), and its warnings about symlinks it did not follow."""

    problems: list[Problem]


def _walk(base: Path, exclude: tuple[str, ...]) -> Walk:
    """Files under ``base``, in no particular order.

    Symlinks are followed only to targets inside the site folder (``base``'s parent),
    and never into its private parts (contacts/, outreach/, .git/ and other hidden
    names): one leading elsewhere, a dangling one, a loop, or a folder link into a
    part of the site already walked is skipped with a warning.
    """
    found = Walk()
    found.problems = []
    top = os.path.realpath(base.parent)
    roots = [os.path.realpath(base)]
    linked: list[tuple[str, str]] = []  # folder links, walked after every real folder
    stack = [(os.fspath(base), "")]
    while stack or linked:
        if not stack:
            path, rel = linked.pop()
            real = _link_target(rel, path, top, roots, found.problems, folder=True)
            if real is not None:
                roots.append(real)
                stack.append((path, rel + "/"))
            continue
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            # Dotfiles and editor droppings are never content.
            if entry.name.startswith(".") or entry.name.endswith("~"):
                continue
            rel = prefix + entry.name
            if entry.is_symlink():
                try:
                    is_dir = entry.is_dir()
                except OSError:  # a loop
                    is_dir = False
                if is_dir:
                    linked.append((entry.path, rel))
                    continue
                if _link_target(rel, entry.path, top, roots, found.problems) is None:
                    continue
            elif entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, rel + "/"))
                continue
            if entry.is_file() and not any(fnmatch.fnmatch(rel, p) for p in exclude):
                found.append(entry.path)
    return found


def _link_target(rel: str, path: str, top: str, roots: list[str],
                 problems: list[Problem], folder: bool = False) -> str | None:
    """A symlink's real target when it may be followed; else None, with a warning."""
    source = f"{CONTENT_DIR}/{rel}"
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        what = "loops" if exc.errno == errno.ELOOP else "leads to nothing"
        problems.append(Problem(source, 0, f"a symbolic link that {what} "
                                f"(to {shown(os.readlink(path))}); skipped",
                                "fix or remove the link", warning=True))
        return None
    if not _within(real, top):
        problems.append(Problem(source, 0, f"a symbolic link to {shown(real, 300)}, outside "
                                "the site folder; not followed", "copy what it links to into "
                                "the site folder, or build from the folder that holds it",
                                warning=True))
        return None
    private = _private_part(real, top)
    if private is not None:
        problems.append(Problem(source, 0, f"a symbolic link into {shown(private)}, which is "
                                "never published; not followed", "remove the link; copy "
                                "into content/ what you mean to publish", warning=True))
        return None
    if not folder:
        return real
    where = shown(os.path.relpath(real, top), 300)
    if _within(roots[0], real) or _within(real, os.path.join(top, "_site")):
        what = "that holds content/ (a loop)" if _within(roots[0], real) else \
            "in the output folder"
        problems.append(Problem(source, 0, f"a symbolic link to {where}, a folder {what}; "
                                "not followed", "remove the link", warning=True))
        return None
    if any(_within(real, r) for r in roots):
        problems.append(Problem(source, 0, f"a symbolic link to a folder the site already "
                                f"includes ({where}); not followed",
                                "remove the link, or link to the files one by one",
                                warning=True))
        return None
    return real


PRIVATE_DIRS = ("contacts", "outreach")
"""Folders of the site that only the outreach code reads: a link under content/ must not
publish them."""


def _private_part(real: str, top: str) -> str | None:
    """The private part of the site folder ``real`` lies in (contacts/, outreach/, or a
    hidden folder or file such as .git/ or .env, never content), or None."""
    parts = os.path.relpath(real, top).split(os.sep)
    for i, part in enumerate(parts):
        if (part.startswith(".") and part != ".") or (i == 0 and part in PRIVATE_DIRS):
            folder = i + 1 < len(parts) or os.path.isdir(real)
            return "/".join(parts[: i + 1]) + ("/" if folder else "")
    return None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def slugify(text: str) -> str:
    """URL-safe slug that keeps letters of every script (with their vowel signs and
    other combining marks, as in Devanagari) and the writer's case."""
    text = unicodedata.normalize("NFC", text).strip()
    text = re.sub(r"[\s_]+", "-", text)
    text = "".join(c for c in text if c in "-.~" or unicodedata.category(c)[0] in "LMN")
    return re.sub(r"-{2,}", "-", text).strip("-.") or "untitled"


@cache
def term_key(name: str) -> str:
    """What makes two spellings one tag: case, and spaces versus hyphens, do not count
    ('Machine learning' is 'machine-learning'). Equal keys give equal slugs."""
    text = unicodedata.normalize("NFC", name).strip().lower()
    return re.sub(r"[\s_-]+", "-", text)


def unique_terms(names: Any) -> tuple[str, ...]:
    """A page's tags in the order written, each term once (its first spelling)."""
    kept: dict[str, str] = {}
    for name in names:
        kept.setdefault(term_key(name), name)
    return tuple(kept.values())


def read_page(config: SiteConfig, rel: str, raw: bytes) -> tuple[Page | None, list[Problem]]:
    """Parse one Markdown source (``rel`` is relative to content/)."""
    source = f"{CONTENT_DIR}/{rel}"
    bad_name = file_name_problem(rel)
    if bad_name:
        return None, [bad_name]
    text, problems = _decode(source, raw)
    if text is None:
        return None, problems
    meta, body, body_line, problems = split_front_matter(source, text)
    if meta is None:
        return None, problems

    def bad(key: str, message: str, hint: str = "") -> None:
        problems.append(Problem(source, line_of(meta, key, 1), message, hint))

    values, extra = _values(meta, bad)
    _parse_dates(values, config, bad)
    _check_output_keys(meta, values, bad, problems, source)
    parts = rel.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    # Jekyll's :title: the whole file name after the date, language suffix included.
    name = slugify(_POST_NAME.sub(r"\2", stem))
    lang, stem = _language(config, stem, values, bad)
    where = _place(config, source, parts, stem, values, meta, problems)
    updated = values.get("updated")
    if updated is not None and where.date is not None and updated < where.date:
        problems.append(Problem(source, line_of(meta, "updated", 1),
                                "the update date is before the page's date "
                                f"('{_day(updated)}' < '{_day(where.date)}')",
                                "the page would say it changed before it was published: fix "
                                "one of the two", warning=True))
    title = values.get("title")
    if not title and not where.is_index:
        title = where.stem.replace("-", " ").strip().capitalize() or "Untitled"
        if not any(KEY_ALIASES.get(k, k) == "title" and meta[k] not in (None, "")
                   for k in meta):  # else its error is told already
            problems.append(Problem(source, 1, f"no title; using {title!r}",
                                    "add 'title: ...' to the front matter", warning=True))

    page = Page(
        source=source, collection=where.collection,
        title=title or (where.series or where.path or "Home"),
        slug=where.slug, lang=lang, key=where.key, body=body, body_line=body_line,
        date=where.date, updated=values.get("updated"), summary=values.get("summary"),
        tags=unique_terms(values.get("tags", ())),
        categories=unique_terms(values.get("categories", ())),
        draft=values.get("draft", False), layout=values.get("layout"),
        permalink=values.get("permalink"), series=where.series, order=where.order,
        is_index=where.is_index, path=where.path, name=name,
        lines={str(k): v for k, v in getattr(meta, "lines", {}).items()},
        extra={**extra, **{k: values[k] for k in ("aliases", "id") if k in values}},
        markdown=config.markdown.options,
    )
    problems += missing_alt(source, body, body_line)
    return page, problems


def file_name_problem(rel: str) -> Problem | None:
    """A file name no URL, feed or terminal can carry (a line break, bytes that are not
    UTF-8) is refused with the name shown escaped."""
    shown = f"{CONTENT_DIR}/{printable(rel)}"
    if _NOT_UTF8.search(rel):
        return Problem(shown, 0, "file name is not valid UTF-8",
                       "rename the file; names become URLs, which must be UTF-8")
    if _CONTROL.search(rel):
        return Problem(shown, 0, "file name contains a control character (such as a "
                       "line break or tab)", "rename the file")
    return None


def _decode(source: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [not_utf8(source, raw, exc)]
    if "\r" in text:  # (rare: two scans of every file saved)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def _day(when: dt.datetime) -> str:
    """A date as written: the day alone at midnight."""
    return when.date().isoformat() if when.time() == dt.time() else when.isoformat()


def _values(meta: LineDict, bad: Callable[..., None]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Known keys checked and converted (Jekyll spellings folded in); the rest as extras."""
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in meta.items():
        name = KEY_ALIASES.get(key, key) if key not in KNOWN_KEYS else key
        if name not in KNOWN_KEYS:
            extra[str(key)] = value
            continue
        if key == "published":  # Jekyll: published: false means a draft
            value = not value if isinstance(value, bool) else value
        if name in values:
            continue
        ok, value = _convert(key, name, value, bad)
        if ok:
            values[name] = value
    return values, extra


def _convert(key: str, name: str, value: Any, bad: Callable[..., None]) -> tuple[bool, Any]:
    """(True, value as Kith keeps it) or (False, None) after reporting why not."""
    kind = KNOWN_KEYS[name]
    if name in ("tags", "categories", "aliases"):
        if isinstance(value, str):
            value = [v for v in re.split(r"[,\s]+" if name != "aliases" else r"\s+", value) if v]
        if value is None:
            value = []
        odd = [v for v in value if not isinstance(v, str | int | float) or isinstance(v, bool)
               ] if isinstance(value, list) else [value]
        if odd:  # name the item at fault: 'got a list' says nothing about a list
            got = describe(value) if not isinstance(value, list) else \
                f"a list holding {describe(odd[0]) if odd[0] is not None else 'an empty item'}"
            bad(key, f"'{key}' must be a list of words, got {got}",
                "e.g. aliases: [/2019/01/old-post/]" if name == "aliases"
                else f"e.g. {key}: [python, web]")
            return False, None
        words = [str(v) for v in value]
        odd_word = next((w for w in words if _CONTROL.search(w) or _NOT_UTF8.search(w)), None)
        if odd_word is not None and name != "aliases":  # terms show on pages, feeds
            bad(key, f"'{key}' holds {shown(odd_word)}, with a control character",
                f"e.g. {key}: [python, web]")
            return False, None
        return True, words
    if kind is str:
        if value is None:
            return False, None
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            bad(key, f"'{key}' must be text, got {describe(value)}", f"quote it: {key}: \"...\"")
            return False, None
        if name == "id" and _NOT_IN_ID.search(value):
            bad(key, f"'{key}' must be a URI without spaces or control characters, got "
                f"'{printable(value)}'", "e.g. id: tag:example.com,2026-01-31:posts/x")
            return False, None
        if name in _SHOWN_TEXT and control_character(value):  # <title>, head: raw there
            bad(key, f"'{key}' holds {shown(value)}, with a control character",
                "remove it (a YAML escape such as \\x01 or \\u0085 writes one)")
            return False, None
        return True, value
    if kind is bool and not isinstance(value, bool):
        bad(key, f"'{key}' must be true or false, got {describe(value)}")
        return False, None
    if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        bad(key, f"'{key}' must be a whole number, got {describe(value)}")
        return False, None
    return True, value


def _parse_dates(values: dict[str, Any], config: SiteConfig, bad: Callable[..., None]) -> None:
    for key in ("date", "updated"):
        if key in values:
            try:
                values[key] = parse_datetime(values[key], config.tz)
            except ValueError as exc:
                bad(key, f"bad {key} {values[key]!r}: {exc}")
                del values[key]
    if "permalink" in values and not values["permalink"].startswith("/"):
        bad("permalink", f"permalink must start with '/', got {values['permalink']!r}",
            "e.g. permalink: /about/")
        del values["permalink"]


def _language(config: SiteConfig, stem: str, values: dict[str, Any],
              bad: Callable[..., None]) -> tuple[str, str]:
    """(language, file stem without its language suffix)."""
    codes = config.language_codes
    lang = config.language
    suffix = max((c for c in codes if stem.endswith(f"-{c}")), key=len, default=None)
    if suffix:
        lang, stem = suffix, stem[: -len(suffix) - 1]
    if "lang" in values:
        if values["lang"] in codes:
            lang = values["lang"]
        else:
            bad("lang", f"unknown language '{values['lang']}'",
                f"{one_of(codes)} (add it to 'languages' in site.yaml)")
    return lang, stem


@dataclass(frozen=True)
class _Place:
    """Where a source sits: its collection, and what its folder and name say."""

    collection: str
    stem: str
    slug: str
    path: str
    key: str
    date: dt.datetime | None = None
    series: str | None = None
    order: int | None = None
    is_index: bool = False


def _place(config: SiteConfig, source: str, parts: list[str], stem: str,
           values: dict[str, Any], meta: LineDict, problems: list[Problem]) -> _Place:
    """The folder decides the collection; the file name gives date, order and slug.
    A post's date is its front matter ``date:``, else its file name's; a post with
    neither is an error, drafts included (never the file's time: builds must not
    depend on when a file was copied or checked out)."""
    collection, series, order, is_index = "pages", None, values.get("order"), False
    date = values.get("date")
    if parts[0] == "posts" and len(parts) > 1:
        collection = "posts"
        m = _POST_NAME.match(stem)
        if m:
            stem = m.group(2)
            if date is None:
                try:
                    date = parse_datetime(m.group(1), config.tz)
                except ValueError as exc:
                    problems.append(Problem(source, 0, f"bad date in file name: {exc}",
                                            "name posts YYYY-MM-DD-slug.md"))
        elif date is None and "date" not in meta:  # a bad date is reported where written
            problems.append(Problem(source, 1, "post has no date",
                                    "name it YYYY-MM-DD-slug.md or add 'date: YYYY-MM-DD'"))
    elif parts[0] == "tutorials" and len(parts) > 2:
        collection, series = "tutorials", parts[1]
        if stem in ("_index", "index"):
            is_index, stem = True, series
        else:
            m = _ORDER_PREFIX.match(stem)
            if m:
                stem = m.group(2)
                if order is None:
                    order = int(m.group(1))
    if collection == "posts":
        collection = _declared_collection(config, meta)
    slug = values.get("slug") or slugify(stem)
    if collection == "pages":
        folder = "/".join(parts[:-1])
        if stem in ("index", "_index"):
            path, is_index = folder, True
        else:
            path = f"{folder}/{slugify(stem)}" if folder else slugify(stem)
        key = path
    elif collection == "tutorials":
        path = f"tutorials/{series}" + ("" if is_index else f"/{slug}")
        key = path
    else:
        path, key = f"posts/{slug}", slug
    return _Place(collection, stem, slug, path, key, date, series, order, is_index)


def _check_output_keys(meta: LineDict, values: dict[str, Any],
                       bad: Callable[[str, str, str], None], problems: list[Problem],
                       source: str) -> None:
    """permalink:, slug: and aliases: become files: each must stay inside the site.

    A refused value is dropped (the page keeps its default URL), so one mistake
    gives one message."""
    for key, check, hint in (
            ("permalink", url_problem, "a permalink is a path inside the site, with '/' "
             "between names, e.g. permalink: /about/ or /notes/:slug/"),
            ("slug", segment_problem, "a slug is one name in the URL, e.g. slug: raft-log; "
             "permalink: sets a whole path")):
        value = values.get(key)
        problem = check(value) if isinstance(value, str) else None
        if problem:
            bad(key, f"{key} {shown(value)} {problem}", hint)  # type: ignore[arg-type]
            del values[key]
    if "aliases" not in values:
        return
    name = next((k for k in meta if KEY_ALIASES.get(k, k) == "aliases"), "aliases")
    items = meta.get(name)
    kept = []
    for i, alias in enumerate(values["aliases"]):
        problem = url_problem("/" + alias.lstrip("/"))
        if problem is None:
            kept.append(alias)
            continue
        line = line_of(items, i, line_of(meta, name, 1)) if isinstance(items, list) \
            else line_of(meta, name, 1)
        problems.append(Problem(source, line, f"alias {shown(alias)} {problem}",
                                "an alias is an old path of this site, "
                                "e.g. aliases: [/2019/01/old-post/]"))
    values["aliases"] = kept


def _declared_collection(config: SiteConfig, meta: dict[str, Any]) -> str:
    """The first collection in site.yaml whose ``match:`` the post's front matter has."""
    for collection in config.collections:
        if all(key in meta and meta[key] == value for key, value in collection.match.items()):
            return collection.name
    return "posts"


def split_front_matter(source: str, text: str) -> tuple[LineDict | None, str, int, list[Problem]]:
    """(front matter, body, body's first line, problems); front matter {} when absent."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return LineDict(), text, 1, []
    end = _FRONT_END.search(text, 4)
    if end is None:
        return None, "", 1, [Problem(source, 1, "front matter starts with '---' but never ends",
                                     "close it with a line holding only '---'")]
    raw = text[4: end.start()]
    body_start = end.end() + 1
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    try:
        # Lines counted from the file's second line: after the opening '---'.
        meta = load_front_matter(raw, 2, unique_keys=True) if raw.strip() else LineDict()
    except YamlProblem as exc:
        return None, "", 1, [Problem(source, exc.line, f"front matter: {exc.message}",
                                     exc.hint or "check indentation; quote values that "
                                     "contain ': ' or '#'")]
    if meta is None:
        meta = LineDict()
    if not isinstance(meta, dict):
        return None, "", 1, [Problem(source, 2, "front matter must be 'key: value' lines, "
                                     f"got {describe(meta)}", "e.g. title: My post")]
    return meta, text[body_start:], body_line, []
