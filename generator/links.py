"""Links in page bodies: markers resolved to URLs, and every internal link checked.

The Markdown stage cannot know URLs: links relative to the source file come out
as ``kith:LINE:PATH`` markers, resolved here to the target page's URL or the
copied file. Root-relative links, and the relative links of raw HTML (left as
written), are checked against every file the build writes. Each link that leads
nowhere is one warning with its line.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from .config import SiteConfig
from .content import CONTENT_DIR
from .errors import Problem
from .markdown import LINK_MARK
from .model import Deferred, Page
from .paths import LAYOUTS_DIR, theme_dir
from .urls import output_path, url_for

# Link markers, and problem markers the Markdown stage leaves for this stage to report
# (a formula it kept as TeX): the attribute, with the space before it, goes.
_MARKED = re.compile(r'(?: (?=data-kith-problem))?(href|src|data-kith-problem)="' + LINK_MARK
                     + r'(\d+):([^"]*)"')
_ROOT_LINK = re.compile(r'((?:href|src)=")/(?!/)')
PROBLEM_ATTR = "data-kith-problem"


def resolve_links(page: Page, by_source: dict[str, Page], statics: set[str],
                  config: SiteConfig, problems: list[Problem],
                  outputs: Collection[str] | None = None,
                  left_out: Mapping[str, tuple[str, str]] | None = None) -> Page:
    """Turn link markers into URLs and put the base path on root-relative links; warn
    once per link that leads nowhere. Without ``outputs`` (every output path of the
    site, see site_outputs) only links to sources and files are checked. ``left_out``:
    source -> (reason, hint) of the pages this build leaves out (drafts, future posts)."""
    links = Links(by_source, statics, config, (lambda: outputs) if outputs is not None
                  else None, left_out)
    problems += links.check(page)
    lazy = page.__dict__.get("html")
    if type(lazy) is Deferred or (LINK_MARK not in page.html and config.base_path == "/"):
        links.fix_in_place(page)  # a Deferred is fixed once loaded; the page is the same
        return page
    fix = links.fixer(page.source)
    return replace(page, html=fix(page.html), summary_html=fix(page.summary_html))


def _joined(source: str, target: str) -> str:
    """The path (from the site folder) that ``target``, relative to ``source``, names."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(target)))


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def link_marks(html: str) -> tuple[tuple[str, str, str], ...]:
    """The links in Markdown's HTML a site may lack, as (attr, line, href): markers
    (line from the Markdown stage; also its problem markers) and, with line '0',
    root-relative links and the relative links of raw HTML, which the Markdown stage
    leaves as written. In the order they appear."""
    found: list[tuple[int, str, str, str]] = []
    for attr in _LINK_ATTRS:
        if attr == PROBLEM_ATTR and LINK_MARK not in html:
            continue
        # str.find, not a regular expression: this runs on every page of a cold build.
        needle = f'{attr}="'
        at = html.find(needle)
        while at != -1:
            start = at + len(needle)
            end = html.find('"', start)
            if end == -1:
                break
            if at and html[at - 1] in " \t\n":  # an attribute, not 'data-href="'
                value = html[start:end]
                if value.startswith(LINK_MARK):
                    line, colon, target = value[len(LINK_MARK):].partition(":")
                    if colon and line.isdigit():
                        found.append((at, attr, line, target))
                elif (attr != PROBLEM_ATTR and value and value[0] not in "#?"
                      and not _SCHEME.match(value)):
                    found.append((at, attr, "0", value))
            at = html.find(needle, end)
    found.sort()
    return tuple((attr, line, href) for _, attr, line, href in found)


_LINK_ATTRS = ("href", "src", PROBLEM_ATTR)


class Links:
    """Checks and resolves the links of pages against one site."""

    def __init__(self, by_source: dict[str, Page], statics: set[str], config: SiteConfig,
                 outputs: Callable[[], Collection[str]] | None,
                 left_out: Mapping[str, tuple[str, str]] | None = None) -> None:
        self.by_source, self.statics, self.config = by_source, statics, config
        self.left_out = left_out or {}
        """Sources this build leaves out (a draft, a future post) -> (reason, hint): a
        link to one is no typo, and is told so."""
        self._outputs = outputs
        self.targets: dict[str, str] = {}
        """Source -> what its marked links resolved to, one URL a line, for the pages
        checked that have any: a page's HTML changes when one of them moves."""
        self._known: Collection[str] | None = None
        self._verdicts: dict[tuple[str, str], list[_Unplaced]] = {}
        """(href, folder of the page for a raw HTML link) -> _site_link's answer: the
        same links recur on thousands of pages ('/images/x.png', a nav of links)."""

    def check(self, page: Page) -> list[Problem]:
        """One warning per link (and line) that leads to nothing the site has."""
        lazy = page.__dict__.get("html")
        deferred = type(lazy) is Deferred
        marks = lazy.marks if deferred else (
            link_marks(page.html) + link_marks(page.summary_html))
        # Each marked link resolved once: for its warning and for where the page leads.
        resolved = {href: self._resolve(page.source, href) for attr, line, href in marks
                    if line != "0" and attr != PROBLEM_ATTR}
        if resolved:
            self.targets[page.source] = "\n".join(
                f"{href}\t{found[0] if found else ''}" for href, found in resolved.items())
        problems: list[Problem | _Unplaced] = []
        for attr, line, href in dict.fromkeys(marks):  # the summary repeats the body's
            if attr == PROBLEM_ATTR:  # the Markdown stage's own finding, for this stage
                message, _, hint = unescape(href).partition("\n")
                problems.append(Problem(page.source, int(line), message, hint, warning=True))
            elif line != "0":
                missing = _unresolved(href, resolved[href])
                if missing:
                    problems.append(self._missing(page.source, int(line), missing))
            elif self._outputs is not None:
                problems += self._site_link(page, href)
        if not any(isinstance(p, _Unplaced) for p in problems):
            return problems  # type: ignore[return-value]
        # Their lines: found by the Markdown stage (a Deferred page's, up to PLACED_MAX),
        # else in the body, read once (each read of it fetches it from the store).
        placed = lazy.placed if deferred else {}
        unplaced = [p.href for p in problems if isinstance(p, _Unplaced) and p.href not in placed]
        if unplaced:
            placed = {**placed, **placements(page.body, page.body_line,
                                             (("href", "0", href) for href in unplaced),
                                             limit=None)}
        return [placed_problem for p in problems for placed_problem in (
            [Problem(page.source, line, p.message, p.hint, warning=True)
             for line in placed[p.href]]
            if isinstance(p, _Unplaced) else [p])]

    def fix_in_place(self, page: Page) -> None:
        """Resolve markers in ``page`` itself (a copy this module made), or, for a page
        whose Markdown fields are not loaded yet, once they are."""
        d = page.__dict__
        lazy = d.get("html")
        if type(lazy) is Deferred:
            if any(line != "0" for _, line, _ in lazy.marks) or self.config.base_path != "/":
                lazy.fix = Links(self.by_source, self.statics, self.config, None).fixer(
                    page.source)
            return
        if LINK_MARK in d.get("html", "") or self.config.base_path != "/":
            fix = self.fixer(page.source)
            d["html"], d["summary_html"] = fix(d["html"]), fix(d["summary_html"])

    def _missing(self, source: str, line: int, target: str) -> Problem:
        left_out = self.left_out.get(_joined(source, target))
        if left_out is not None:
            reason, hint = left_out
            return Problem(source, line, f"link to '{target}', which this build leaves out "
                           f"({reason})", f"the link works once that page is published "
                           f"({hint})", warning=True)
        return Problem(source, line, f"link to a missing file '{target}'",
                       "check the path; links are relative to this file", warning=True)

    def _resolve(self, source: str, href: str) -> tuple[str, str] | None:
        """(site-relative URL, '?query#fragment') of a link relative to ``source``."""
        target, hash_, fragment = href.partition("#")
        target, _, query = target.partition("?")
        resolved = _joined(source, target)
        suffix = (f"?{query}" if query else "") + (f"#{fragment}" if hash_ else "")
        if resolved in self.by_source:
            return self.by_source[resolved].url, suffix
        rel = resolved[len(CONTENT_DIR) + 1:]
        if resolved.startswith(CONTENT_DIR + "/") and rel in self.statics:
            return "/" + rel, suffix
        return None

    def fixer(self, source: str) -> Callable[[str], str]:
        config = self.config

        def resolve(match: re.Match[str]) -> str:
            attr, line, href = match.group(1), match.group(2), match.group(3)
            if attr == PROBLEM_ATTR:
                return ""  # reported by check(); the attribute and its space go
            found = self._resolve(source, href)
            if found is None:
                return match.group(0).replace(f"{LINK_MARK}{line}:", "")
            return f'{attr}="{url_for(config, found[0])}{found[1]}"'

        def fix(html: str) -> str:
            if not html:
                return html
            if config.base_path != "/":
                html = _ROOT_LINK.sub(lambda m: m.group(1) + config.base_path, html)
            return _MARKED.sub(resolve, html) if LINK_MARK in html else html

        return fix

    def check_redirects(self) -> list[Problem]:
        """A warning for each redirect of site.yaml whose target the site does not have
        (a typo there sends every reader of an old link to a 404)."""
        problems = []
        for old, new in sorted(self.config.redirects.items()):
            if _SCHEME.match(new):
                continue
            for found in self._judge(new, ""):
                problems.append(Problem(
                    "site.yaml", self.config.lines.get("redirects", 0),
                    found.message.replace("link to", f"redirect from '{old}' to", 1),
                    "check the target in 'redirects:'" if "no such page" in found.message
                    else found.hint, warning=True))
        return problems

    def _site_link(self, page: Page, href: str) -> list[_Unplaced]:
        """Warnings for a root-relative link, or a raw HTML relative one, to no output."""
        raw_html = not _markdown_link(href)
        # The browser resolves a raw HTML one against the page's own URL.
        key = (href, posixpath.dirname(page.url.rstrip("/") + "/x") if raw_html else "")
        found = self._verdicts.get(key)
        if found is None:
            found = self._verdicts[key] = self._judge(href, key[1])
        return found

    def _judge(self, href: str, folder: str) -> list[_Unplaced]:
        """_site_link's answer for ``href`` on a page in ``folder`` ('' when root-relative)."""
        if self._known is None:
            self._known = self._outputs() if self._outputs else ()
        path = unescape(href).partition("#")[0].partition("?")[0]
        raw_html = folder != ""  # (a page's folder is never '': at least '/')
        if raw_html:
            path = posixpath.join(folder, path)
        if "/." in path:
            path = _dots_resolved(path)  # as the browser asks: /posts/../about/ is /about/
        path = unquote(path)
        if not path or _exists(path, self._known, self.config.root):
            return []
        base = self.config.base_path
        if raw_html:
            message = f"link to '{href}' leads nowhere: in raw HTML it means '{path}'"
            hint = ("raw HTML links are left as written; use a Markdown link to the "
                    "file, or a root-relative /path/")
        elif base != "/" and path.startswith(base) and _exists(path[len(base) - 1:],
                                                              self._known, self.config.root):
            message = f"link to '{href}' includes the base path {base}"
            hint = f"write '{path[len(base) - 1:]}': Kith adds {base} itself"
        else:
            message = f"link to '{href}': the site has no such page or file"
            hint = "check the URL; root-relative links start at the site's root"
        return [_Unplaced(href, message, hint)]


def _dots_resolved(path: str) -> str:
    """A root-relative path with its "." and ".." segments resolved, as a browser does
    before it asks (RFC 3986's remove_dot_segments; unlike normpath, "//" stays)."""
    out: list[str] = []
    segments = path.split("/")[1:]
    for i, segment in enumerate(segments):
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
            continue
        if i == len(segments) - 1:
            out.append("")  # /a/.. is /, /a/. is /a/
    return "/" + "/".join(out)


def _unresolved(href: str, found: tuple[str, str] | None) -> str:
    """'' when a marked link resolved (``found``) or names a folder, else its target."""
    target = href.partition("#")[0].partition("?")[0]
    if found is not None or not target or target.endswith("/"):
        return ""
    return target


@dataclass(frozen=True)
class _Unplaced:
    """A warning about a link whose lines are still to be found in the page's body."""

    href: str
    message: str
    hint: str


LATER_STAGES = ("pagefind/", "favicon.ico", "apple-touch-icon.png", "site.webmanifest")
"""Outputs of the theme's stages (the search index, the favicon set and its manifest):
links into them are not checked. Under assets/, see later_stage: only what the theme
writes there."""
ASSETS = "assets/"
_THEME_WRITES = re.compile(r"assets/(?:[^/]+\.[0-9a-f]{10}\.(?:css|js)|icon-(?:192|512)\.png)")
"""Hashed CSS and JS names, and the icons made from the favicon (assets.py)."""


def later_stage(out: str, root: Path) -> bool:
    """Whether a later stage writes output ``out``: the search index, the favicon set, or
    one of the theme's assets. Only those: an imported Jekyll site keeps its images
    in /assets/ too, and a missing one must be warned about."""
    if out.startswith(LATER_STAGES):
        return True
    if not out.startswith(ASSETS):
        return False
    if _THEME_WRITES.fullmatch(out):
        return True
    name = out[len(ASSETS):]
    if ".." in name.split("/"):
        return False
    return any((folder / ASSETS / name).is_file() for folder in (root / LAYOUTS_DIR, theme_dir()))


def _exists(path: str, known: Collection[str], root: Path) -> bool:
    """Whether a site-relative path is served: as written, or as a folder's index."""
    out, as_written = output_path(path), path.lstrip("/")
    # As written too: '/clip.mp4' names a file, though output_path reads a type it does
    # not list as a page ('clip.mp4.html').
    return (out in known or as_written in known
            or (not path.endswith("/") and output_path(path + "/") in known)
            or later_stage(out, root) or later_stage(as_written, root))


def _lines_with(body: str, body_line: int, href: str, markdown: bool) -> list[int]:
    """Lines of the body that link to ``href`` (the Markdown stage gives unmarked links
    no line): as an HTML attribute, or also as a Markdown link target; the body's first
    line when the link is written some other way."""
    # Each place a form of the target occurs (a search of the whole body, not a test of
    # each line: a 50 MB post has 360,000 lines) is judged within its own line. Lines
    # are counted between one place and the next, in order: no table of every line's
    # start (that loop was most of the cost of placing a warning).
    places = []
    for form in {href, unescape(href), unquote(unescape(href))}:
        at = body.find(form)
        while at >= 0:
            places.append((at, len(form)))
            at = body.find(form, at + 1)
    places.sort()
    found: list[int] = []
    line = counted = 0  # newlines before ``counted``
    start = end = -1  # the current line's bounds, found once per line (a minified
    # one-line body may hold the target thousands of times)
    for at, size in places:
        line += body.count("\n", counted, at)
        counted = at
        if found and found[-1] == line:
            continue
        if at > end:
            start = body.rfind("\n", 0, at) + 1
            end = body.find("\n", at)
            end = len(body) if end < 0 else end
        if (at + size <= end and _led(body, start, at, markdown)
                and _TAIL.match(body, at + size, end)):
            found.append(line)
    return [body_line + line for line in found] or [body_line]


def _led(body: str, start: int, at: int, markdown: bool) -> bool:
    """Whether what comes before ``at`` (from ``start``) ends as a link target's lead:
    an attribute's ``=`` and quote, or a Markdown link's ``](`` or definition's ``]:``
    and ``<``, spaces between. Read backwards from ``at``: a regular expression ending
    there is tried at every position of the line, which on a one-line body holding the
    target 20,000 times took 30 s."""
    k = at - 1 if at > start and body[at - 1] in "\"'" else at
    j = k
    while j > start and body[j - 1].isspace():
        j -= 1
    if j > start and body[j - 1] == "=":
        return True
    if not markdown:
        return False
    k = at - 1 if at > start and body[at - 1] == "<" else at
    j = k
    while j > start and body[j - 1].isspace():
        j -= 1
    return j - 1 > start and body[j - 2:j] in ("](", "]:")


PLACED_MAX = 64
"""Unmarked links a Markdown worker places per page."""


def placements(body: str, body_line: int, marks: Iterable[tuple[str, str, str]],
               limit: int | None = PLACED_MAX) -> dict[str, list[int]]:
    """The lines of each unmarked link (line '0') among ``marks``, should it lead nowhere;
    none when there are more than ``limit`` of them.

    Found where the body is at hand (a Markdown worker) and kept with the marks, so that
    checking a site with many broken links reads no body again (a warm build of 5,000
    posts with 2,600 pages of them spent 0.6 s doing so, on one core). Each is a search
    of the whole body: a page of thousands of links (an index of every post) leaves its
    broken ones to the site stage."""
    hrefs = dict.fromkeys(href for attr, line, href in marks
                          if line == "0" and attr != PROBLEM_ATTR)
    if limit is not None and len(hrefs) > limit:
        return {}
    return {href: _lines_with(body, body_line, href, _markdown_link(href)) for href in hrefs}



def _markdown_link(href: str) -> bool:
    """A root-relative link may be Markdown's; the relative links of raw HTML are not."""
    return unescape(href).partition("#")[0].partition("?")[0].startswith("/")


# What may follow a link target (fixed once: a pattern per link cost a compile each,
# 0.6 s at 1,500 broken links); what may come before it is _led's.
_TAIL = re.compile(r"(?=[\"'\s)>]|$)")
