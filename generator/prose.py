"""A page's HTML (links resolved) -> the HTML the theme shows.

Runs when a page renders, after the site stage resolved its links: code blocks get
a header with their language (the theme's script adds a copy button to it), and
images get their size, smaller copies to choose from and a caption (``images.py``).
Pure in the page's HTML and the site's images, so incremental builds stay exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html import escape, unescape

from pygments.lexers import find_lexer_class_by_name
from pygments.util import ClassNotFound

from .images import ImageSet, rewrite_images

_CODE = re.compile(r'<pre class="highlight" tabindex="0"><code(?: class="language-([^"]*)")?>')


@dataclass(frozen=True)
class Finished:
    html: str
    has_code: bool
    """Whether the page shows highlighted code (it then loads the highlighting styles)."""
    problems: tuple[str, ...] = ()


def finish_html(html: str, images: ImageSet | None = None) -> Finished:
    has_code = 'class="highlight"' in html
    if has_code:
        html = label_code_blocks(html)
    if images is not None and "<img" in html:
        html = rewrite_images(html, images)
    return Finished(html, has_code)


def label_code_blocks(html: str) -> str:
    """``<pre class="highlight">`` -> the same, in a figure-like box with a header that
    names its language; without JavaScript the label is there and nothing else changes."""
    out: list[str] = []
    last = 0
    for match in _CODE.finditer(html):
        end = html.find("</pre>", match.end())
        if end < 0:
            break
        end += len("</pre>")
        lang = unescape(match.group(1) or "")
        label = language_name(lang)
        head = (f'<div class="code-head"><span class="code-lang">{escape(label)}</span></div>'
                if label else '<div class="code-head"></div>')
        out += [html[last:match.start()], '<div class="code-block">', head,
                html[match.start():end], "</div>"]
        last = end
    out.append(html[last:])
    return "".join(out)


@cache
def language_name(lang: str) -> str:
    """'py' -> 'Python' (Pygments' name); a language Pygments does not know, as written."""
    if not lang:
        return ""
    try:  # the class's name: making a lexer compiles its rules (a render worker's 4%)
        name = str(find_lexer_class_by_name(lang).name)
    except ClassNotFound:
        return lang
    return "" if name == "Text only" else name


# An h2/h3 as both renderers write it: its id, then its content up to the anchor link.
_HEADING = re.compile(r'<h[23] id="([^"]*)">(.*?) <a class="header-anchor"', re.S)
# What a table of contents' link may not hold: another link, a footnote reference.
_NOT_IN_TOC = re.compile(r'<sup class="footnote-ref">.*?</sup>|</?a\b[^>]*>', re.S)
_FORMULAS = ("<math", 'class="math inline"')


def formula_headings(html: str) -> dict[str, str]:
    """Heading id -> the heading's HTML, for the h2 and h3 that hold a formula (MathML,
    or TeX left for MathJax): a table of contents shows them so, where the heading's
    plain text would show the formula's TeX ("Area of \\pi r^2")."""
    if not any(f in html for f in _FORMULAS):
        return {}
    return {unescape(m.group(1)): _NOT_IN_TOC.sub("", m.group(2))
            for m in _HEADING.finditer(html) if any(f in m.group(2) for f in _FORMULAS)}
