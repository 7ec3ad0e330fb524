"""Images without alt text, found in a page's Markdown with the line they are on.

Run by the content stage with each page's parse, so the warnings are cached with it
and repeated on every build (an incremental build renders few pages, but warns about
all of them). A screen reader says only "image" for ``![](chart.png)``; describe it:
``![Latency by week, 2025](chart.png)``. HTML ``<img alt="">`` is a deliberate
"decorative" mark and is left alone; an ``<img>`` with no ``alt`` at all is not.
"""

from __future__ import annotations

import re

from .errors import Problem
from .markdown_rules import fence_after

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_EMPTY_ALT = re.compile(r"!\[\s*\]")
"""What every empty Markdown alt text starts with (``_EMPTY_MD``), wherever it stands."""
_EMPTY_MD = re.compile(r"!\[\s*\]\(\s*<?([^)\s>]*)|!\[\s*\]\[([^\]]*)\]")
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_IMG_START = re.compile(r"<img\b", re.I)
_HAS_ALT = re.compile(r"\balt\s*=", re.I)
_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]*)""", re.I)
HINT = "describe what it shows: ![what it shows](image.png); HTML alt=\"\" marks a decorative one"


def missing_alt(source: str, body: str, first_line: int) -> list[Problem]:
    """A warning per image without alt text, outside code blocks and code spans."""
    if _EMPTY_ALT.search(body) is None and _IMG_START.search(body) is None:
        return []  # no HTML image, and Markdown ones all have alt text (the common case)
    return _scan(source, body, first_line)


def _scan(source: str, body: str, first_line: int) -> list[Problem]:
    """``missing_alt`` line by line."""
    found = []
    fence = ""
    for number, line in enumerate(body.split("\n"), first_line):
        fence, code = fence_after(line, fence)
        if code or ("!" not in line and "<" not in line):
            continue  # (no image can start on a line without "![" or "<img", spans cut or not)
        if line.startswith(("    ", "\t")) and not line.lstrip().startswith(("-", "*", "+")):
            continue  # an indented code block (or a continuation: rare with images)
        # A code span becomes one "`", not nothing: cut out, it joined what stood around
        # it ("![`npm test`](run.gif)" read as "![](run.gif)", an image without alt text).
        text = _CODE_SPAN.sub("`", line)
        for match in _EMPTY_MD.finditer(text):
            target = match.group(1) if match.group(1) is not None else f"[{match.group(2)}]"
            found.append(_warn(source, number, target))
        for tag in _IMG.findall(text):
            if not _HAS_ALT.search(tag):
                src = _SRC.search(tag)
                found.append(_warn(source, number, src.group(1) if src else "<img>"))
    return found


def _warn(source: str, line: int, target: str) -> Problem:
    return Problem(source, line, f"image without alt text: '{target}'", HINT, warning=True)
