"""Relative links in imported Markdown, re-pointed so they reach what they reached.

On a Jekyll site the browser resolves a relative link against the page's URL
(``assets/x.png`` on ``/2020/01/05/post/`` asks for ``/2020/01/05/post/assets/x.png``);
only links to ``.md`` files are resolved against the source file
(jekyll-relative-links, on by default on GitHub Pages). Kith resolves every
relative link against the source file. So each relative link is rewritten to
the imported file Jekyll served there (Kith then checks it and writes its URL),
or, when there is none, to the root-relative URL the browser asked for.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote

from ..markdown_rules import fence_after

_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.S)
_INLINE = re.compile(r"(!?\[(?:[^\]\\\n]|\\.)*\]\(\s*)(<[^>\n]*>|[^\s)]+)")
# Link reference definitions; a footnote's definition ([^1]: text) is not one.
_REFERENCE = re.compile(r"^( {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)
_ATTRIBUTE = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])([^"'\n]*)\2""", re.I)
_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?)")
MARKDOWN_EXTS = (".md", ".markdown", ".mkdown", ".mkdn", ".mkd")


def rewrite_links(body: str, *, url: str, source: str, target: str,
                  find_url: Callable[[str], str | None],
                  find_source: Callable[[str], str | None]) -> tuple[str, int]:
    """``body`` with relative links made to work from ``target`` (relative to content/).

    ``url`` is the page's Jekyll URL, ``source`` its Jekyll file; ``find_url`` maps a
    site path ('assets/x.png', 'notes/x') to the imported file served there and
    ``find_source`` a Jekyll source path to its imported file (both content-relative).
    Returns the text and how many links changed.
    """
    changed = 0
    here = posixpath.dirname(target)
    base = url if url.endswith("/") else posixpath.dirname(url).rstrip("/") + "/"

    def fix(link: str, markdown: bool) -> str:
        bracketed = link.startswith("<") and link.endswith(">")
        raw = link[1:-1] if bracketed else link
        if not raw or _ABSOLUTE.match(raw) or "{{" in raw or "{%" in raw:
            return link
        cut = min((i for i in (raw.find("#"), raw.find("?")) if i >= 0), default=len(raw))
        path, tail = unquote(raw[:cut]), raw[cut:]
        found: str | None
        if path.lower().endswith(MARKDOWN_EXTS):
            found = find_source(posixpath.normpath(posixpath.join(posixpath.dirname(source),
                                                                  path)))
            if found is None:
                return link
            new = posixpath.relpath(found, here)
        else:
            site_path = posixpath.normpath(posixpath.join(base, path or "."))
            if (path.endswith("/") or not path) and site_path != "/":
                site_path += "/"
            found = find_url(site_path.lstrip("/"))
            new = posixpath.relpath(found, here) if found and markdown else site_path
        new += tail
        if new == raw:
            return link
        nonlocal changed
        changed += 1
        return f"<{new}>" if markdown and (bracketed or re.search(r"[\s()<>]", new)) else new

    def outside_code(text: str) -> str:
        text = _INLINE.sub(lambda m: m.group(1) + fix(m.group(2), True), text)
        text = _REFERENCE.sub(lambda m: m.group(1) + fix(m.group(2), True), text)
        return _ATTRIBUTE.sub(lambda m: m.group(1) + m.group(2) + fix(m.group(3), False)
                              + m.group(2), text)

    out: list[str] = []
    prose: list[str] = []
    fence = ""
    for line in body.splitlines(keepends=True):
        opened = fence
        fence, code = fence_after(line, fence)
        if not code:
            prose.append(line)
            continue
        if not opened:
            out.append(_spans(prose, outside_code))
            prose = []
        out.append(line)
    out.append(_spans(prose, outside_code))
    return "".join(out), changed


def _spans(lines: list[str], fix: Callable[[str], str]) -> str:
    """Apply ``fix`` to prose, leaving `code spans` as they are."""
    text = "".join(lines)
    out, pos = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(fix(text[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(fix(text[pos:]))
    return "".join(out)
