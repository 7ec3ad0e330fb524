"""The fast renderer: markdown-it-pyrs parses, Python renders its tree.

markdown-it-py (``markdown_reference``) is the reference. markdown-it-pyrs (a Rust port
of the same parser) builds the syntax tree an order of magnitude faster; this module
renders that tree the way markdown-it-py, its plugins and Kith's render rules would,
and computes the same table of contents and plain text from it. An inline run it
does not render itself (math, attribute lists, GFM autolinks, tildes, the
typographer...) in a paragraph, list item or heading goes to the reference's inline
parser (``markdown_runs``), given the source markdown-it-py's block rules would give
it. A formula block of the top level is found by the reference's own rules and
given to pyrs as thematic breaks (``markdown_formula_blocks``). ``render`` returns
None, and the Markdown stage takes the reference, for what it does not reproduce
otherwise (formula blocks in containers, such runs in cells and footnotes,
alerts and task lists, nested footnotes, definition lists, unknown nodes) and
wherever pyrs 0.4 parses differently from markdown-it-py 4.3. The screens of
``markdown_screens`` run over the text first; the rest is checked while rendering,
and a page is declined the moment something unproven shows up.
"""

from __future__ import annotations

import bisect
import re
from typing import Any
from urllib.parse import unquote

from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.common.utils import mdTrim
from markdown_it_pyrs import MarkdownIt, Node
from mdit_py_plugins.anchors.index import unique_slug

from . import markdown_formula_blocks as formula_blocks
from . import markdown_pyrs, markdown_reference
from . import markdown_rules as rules
from . import markdown_runs as runs
from . import markdown_screens as screens
from .highlighting import highlight
from .markdown_rules import Parts
from .model import Heading

# No strikethrough and no tasklist: those stay literal text here, which the checks below
# see and reject (markdown-it-py's single-tilde and block-level checkbox rules differ).
_PARSER = MarkdownIt("commonmark").enable_many(["table", "footnote"])

# In text, what mdit-py-plugins' GFM autolinks start from (www., a scheme's colon, an
# email's @), and links to schemes one parser may refuse while the other links them.
_TEXT_UNSUPPORTED = re.compile(
    r"@|www\.|(?:https?|mailto|xmpp):|[(<]\s*(?:javascript|vbscript|file|data):", re.I)
# A link reference definition on a line of its own, without escapes (as
# markdown_screens.definition_lines counts them).
_ONE_LINE_DEFINITION = re.compile(r"\[(?!\^)[^\]\n\\]*\]:" + screens.SIMPLE_DEFINITION)
_QUOTE_MARKER = re.compile(r" {0,3}> ?")
# A quote marker after four spaces or more, behind quote markers: markdown-it-py's
# blockquote rule takes it on a quote's later line (it skips any indentation there),
# pyrs and CommonMark not.
_INDENTED_QUOTE_MARKER = re.compile(r"(?: {0,3}> ?)* {4,}>")
# A list item's marker and the spaces after it, before its text.
_ITEM_MARKER = re.compile(rb"([-+*]|\d{1,9}[.)])( +)(?=[^ \t\n])")
_BLOCK_START = re.compile(rb"[ \t]*(?:[>#*+<`~-]|\d{1,9}[.)])")
# * anywhere, _ unless inside a word (snake_case cannot open or close emphasis).
_LEFTOVER_DELIMITER = re.compile(r"\*|(?<![^\W_])_|_(?![^\W_])")
# An escaped pipe next to another pipe or after another backslash, in a table row.
_ODD_ESCAPED_PIPE = re.compile(rb"\\\|\||\\\\\|")
# A tab among a line's leading spaces, quote and list markers.
_TAB_IN_PREFIX = re.compile(rb"(?m)^[ >*+\-\d.)]*\t")
_BAD_SCHEME = re.compile(r"\s*(?:javascript|vbscript|file|data):", re.I)
_BACKREF = '<a href="#fnref{}" class="footnote-backref">\u21a9\ufe0e</a>'


Span = tuple[int, int]


class _Unsupported(Exception):
    """The page uses something the fast path does not reproduce exactly."""


def _esc(text: str) -> str:
    # markdown-it-py's escapeHtml: & < > " (not ').
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def render(body: str, first_line: int = 1, options: str = "") -> Parts | None:
    """One body (Liquid raw markers already dropped) via markdown-it-pyrs, or None."""
    plan = None
    if formula_blocks.openers(body) and "\r" not in body and "\x00" not in body:
        plan = formula_blocks.plan(body, first_line, options)
        body = plan.body  # each top-level formula block's lines made breaks
    spaces = not body.isascii() and screens.UNICODE_SPACE.search(body) is not None
    if screens.unsupported(body, spaces, options, formulas_checked=True):
        return None
    tree = markdown_pyrs.tree(_PARSER, body)
    if tree is None:
        return None
    renderer = _Renderer(body, first_line, spaces, options)
    if plan is not None:
        if not formula_blocks.verify(plan, tree):
            return None
        renderer.breaks = plan.breaks
    try:
        renderer.root(tree)
    except _Unsupported:
        return None
    if renderer.definitions != screens.definition_lines(body):
        return None  # a link reference definition one parser took and the other did not
    text = "\n".join(p for p in renderer.parts if p.strip())
    return Parts("".join(renderer.out), tuple(renderer.toc), text)


class _Renderer:
    """markdown-it-py's token stream rendering, replayed over a markdown-it-pyrs tree."""

    def __init__(self, body: str, first_line: int, spaces: bool, options: str = "") -> None:
        self.body = body
        self.spaces = spaces  # the body has Unicode spaces (NBSP, U+3000...)
        self.first_line = first_line
        self.options = options
        self.typographer = "typographer" in options.split()
        # What markdown-it-py cuts off each line of a run in the current container (see
        # ``run_lines``): 0 outside lists, -1 in a list item (up to its content column
        # of spaces, found when needed), after ``quotes`` quote markers (outside lists);
        # None in containers where that is not all (a quote in a list, or the reverse).
        self.indent: int | None = 0
        self.quotes = 0
        self.run_title: str | None = None  # a heading's title when the reference parsed it
        self.item_start = -1  # where the current list item's marker is
        # A link reference definition needs "]:"; without one, markdown-it-py's env
        # holds no references and a run can be parsed on its own.
        self.references = "]:" in body
        self.tree: Node | None = None
        self.env: dict[str, Any] | None = None  # the reference's, for parse_run
        self.raw: bytes | None = None  # srcmap offsets are in UTF-8 bytes
        self.out: list[str] = []
        self.parts: list[str] = []  # plain text, one entry per inline run
        self.toc: list[Heading] = []
        self.slugs: set[str] = set()
        self.notes: dict[str, int] = {}  # footnote label -> id, in order of first reference
        self.note_refs: dict[str, int] = {}  # footnote label -> references so far
        self.after_hidden = False  # the last token was a tight list's hidden paragraph
        self.pairs = "$" in body or "~" in body  # math or strikethrough possible
        self.brackets = "\\(" in body or "\\[" in body  # texmath, or \\( \\[ math
        self.tabs = "\t" in body
        self.tab_lines: list[int] | None = None
        self.definitions = 0  # link reference definitions met
        # markdown_formula_blocks' breaks: byte offset -> formula HTML (or '': the
        # formula's later lines), each a thematic break of the top level
        self.breaks: dict[int, str] = {}

    # -- source ------------------------------------------------------------------------
    def source(self) -> bytes:
        if self.raw is None:
            self.raw = self.body.encode("utf-8")
        return self.raw

    # Source offsets: pyrs's are UTF-8 byte offsets. Those of blocks are right; those of
    # inline nodes can be off (after entities, multi-byte characters, some emphasis),
    # so an inline run is located by its block's span (``Span``), and an inline node's
    # own offsets are used only where the text they point at is checked.
    def span_of(self, node: Node) -> Span:
        span = node.srcmap
        if span is None:
            raise _Unsupported("no source position")
        return span

    def line_at(self, offset: int) -> int:
        """The file line of a byte offset (``token.map[0]`` for a run's start)."""
        return self.first_line + self.source().count(b"\n", 0, offset)

    def pairs_in(self, span: Span, row: bool = False) -> bool:
        raw = self.source()
        source = raw[span[0]:span[1]]
        if not (source.count(b"$") > 1 or source.count(b"~") > 1):
            return False
        if not row:
            return True
        end = raw.find(b"\n", span[1])  # a cell: what lies between its row's pipes
        source = raw[raw.rfind(b"\n", 0, span[0]) + 1:len(raw) if end < 0 else end]
        return b"\\|" in source or any(cell.count(b"$") > 1 or cell.count(b"~") > 1
                                        for cell in source.split(b"|"))

    def typography_in(self, span: Span) -> bool:
        source = self.source()[span[0]:span[1]].decode("utf-8", "replace")
        return screens.TYPOGRAPHY.search(source) is not None

    def brackets_in(self, span: Span) -> bool:
        raw = self.source()
        return raw.find(b"\\(", span[0], span[1]) >= 0 or raw.find(b"\\[", span[0], span[1]) >= 0

    def content_column(self, item_start: int) -> int | None:
        """markdown-it-py's content column of the list item whose marker is at
        ``item_start`` (its blkIndent), when the line holds no tab before it."""
        raw = self.source()
        line_start = raw.rfind(b"\n", 0, item_start) + 1
        match = _ITEM_MARKER.match(raw, item_start)
        if match is None or b"\t" in raw[line_start:item_start]:
            return None
        spaces = len(match.group(2))
        # Five spaces or more after the marker: one of them, and indented code.
        return item_start - line_start + len(match.group(1)) + (1 if spaces > 4 else spaces)

    def tab_in_prefix(self, span: Span) -> bool:
        if self.tab_lines is None:  # where lines with such a tab start (fences' too)
            self.tab_lines = [m.start() for m in _TAB_IN_PREFIX.finditer(self.source())]
        raw = self.source()
        start = raw.rfind(b"\n", 0, span[0]) + 1
        i = bisect.bisect_left(self.tab_lines, start)
        return i < len(self.tab_lines) and self.tab_lines[i] < span[1]

    def code_spans_lines(self, node: Node, content: str, span: Span) -> bool:
        """A code span over lines, or one whose source cannot be found (say so)."""
        raw = self.source()
        if raw.find(b"\n", span[0], span[1]) < 0:
            return False  # a one-line run (most are): its code spans are too
        own = node.srcmap
        if own is None or not span[0] <= own[0] < own[1] <= span[1]:
            return True
        source = raw[own[0]:own[1]]
        if b"\n" in source or source[:1] != b"`" or source[-1:] != b"`":
            return True
        inner = source.strip(b"`").decode("utf-8", "replace")
        return inner != content and inner != f" {content} "

    def row_starts_block(self, row: Node) -> bool:
        """A table row whose line another block rule would take (markdown-it-py ends
        the table there; pyrs keeps going)."""
        span = row.srcmap
        if span is None:
            return True
        raw = self.source()
        line_start = raw.rfind(b"\n", 0, span[0]) + 1
        if b"\\|" in raw[line_start:span[1]] and _ODD_ESCAPED_PIPE.search(raw, line_start,
                                                                           span[1]):
            return True  # "\||": the cells split differently
        return _BLOCK_START.match(raw, line_start) is not None

    def site_link(self, href: str, span: Span) -> str:
        if not href or href.startswith(("#", "/", "?")) or rules.SCHEME.match(href):
            return href  # (checked first: line_at counts lines)
        return rules.site_link(href, self.line_at(span[0]))

    # -- blocks ------------------------------------------------------------------------
    def open_tag(self, tag: str) -> str:
        # renderToken: a block opening after a hidden paragraph starts on a new line.
        if self.after_hidden:
            self.after_hidden = False
            return "\n" + tag
        return tag

    def root(self, node: Node) -> None:
        self.tree = node
        notes: Node | None = None
        breaks = self.breaks
        seen = 0
        for child in self.content(node):
            if child.name == "footnote_container":
                notes = child
            elif breaks and child.name == "hr" and self.span_of(child)[0] in breaks:
                seen += 1
                self.out.append(breaks[self.span_of(child)[0]])  # a formula block
            else:
                self.block(child)
        if seen != len(breaks):
            raise _Unsupported("a formula block's break is not a top-level thematic break")
        if notes is not None:
            self.footnotes(notes)
        elif self.notes:
            raise _Unsupported("footnote references without definitions")

    def blocks(self, nodes: list[Node]) -> None:
        for node in nodes:
            self.block(node)

    def content(self, node: Node) -> list[Node]:
        # Link reference definitions leave no token in markdown-it-py's stream.
        children = node.children
        kept = [c for c in children if c.name != "definition"]
        self.definitions += len(children) - len(kept)
        return kept

    def block(self, node: Node) -> None:
        name = node.name
        out = self.out
        if name == "paragraph":
            opening = len(out)
            out.append(self.open_tag("<p>"))
            self.inline_run(node.children, self.span_of(node),
                            opening=None if self.indent is None else opening)
            out.append("</p>\n")
        elif name in ("heading", "lheading"):
            self.heading(node)
        elif name == "fence":
            self.after_hidden = False
            self.verbatim_end(node)
            self.fence(node)
        elif name in ("bullet_list", "ordered_list"):
            self.list(node)
        elif name == "code_block":
            self.after_hidden = False
            self.verbatim_end(node)
            out.append(f"<pre><code>{_esc(node.meta['content'])}</code></pre>\n")
        elif name == "html_block":
            self.after_hidden = False
            self.verbatim_end(node)
            content = node.meta["content"]
            if content.lstrip(" ")[:2] in _RAW_HTML_STARTS and _unclosed_raw_html(content):
                # markdown-it-py (CommonMark 0.31) carries <pre>, <script>, <!-- ...
                # on over a blank line in a container; pyrs ends them there.
                raise _Unsupported("unclosed raw HTML block")
            out.append(content)
        elif name == "blockquote":
            children = self.content(node)
            if not children:
                out.append(self.open_tag("<blockquote></blockquote>\n"))
                return
            out.append(self.open_tag("<blockquote>\n"))
            indent, quotes = self.indent, self.quotes
            if indent == 0:
                self.quotes += 1
            else:
                self.indent = None
            self.blocks(children)
            self.indent, self.quotes = indent, quotes
            out.append("</blockquote>\n")
        elif name == "table":
            self.table(node)
        elif name == "hr":
            out.append(self.open_tag("<hr />\n"))
        else:
            raise _Unsupported(name)

    def verbatim_end(self, node: Node) -> None:
        # pyrs ends verbatim content with a newline even where the file does not.
        if self.body.endswith("\n"):
            return
        span = node.srcmap
        if span is None or span[1] >= len(self.source().rstrip(b" \t")):
            raise _Unsupported("verbatim block at the end of a file without a newline")

    def heading(self, node: Node) -> None:
        level = node.meta["level"]
        start = len(self.out)
        self.out.append("")  # the opening tag, once the id is known
        self.run_title = None
        title = self.inline_run(node.children, self.span_of(node),
                                opening=None if self.indent is None else -1, kind=node.name)
        # anchors_plugin's slug is of the text and code (a formula's TeX is not in it)
        slug = unique_slug(rules.heading_id(title if self.run_title is None
                                            else self.run_title), self.slugs)
        self.out[start] = self.open_tag(f'<h{level} id="{_esc(slug)}">')
        self.parts[-1] = title + " "  # anchors_plugin's space before the permalink
        self.out.append(f' <a class="header-anchor" href="#{_esc(slug)}" aria-hidden="true"'
                        f' tabindex="-1">#</a></h{level}>\n')
        if slug:
            self.toc.append(Heading(level, slug, title.strip()))

    def fence(self, node: Node) -> None:
        meta = node.meta
        info = meta.get("info") or ""
        if not info.isascii() or any(c in info for c in "\\&{"):
            raise _Unsupported("fence info")  # entities, escapes, attributes
        words = screens.ASCII_SPACE.split(info.strip(), maxsplit=1)
        lang = words[0]
        attrs = words[1] if len(words) == 2 else ""
        self.out.append(highlight(meta["content"], lang, attrs) + "\n")

    def list(self, node: Node) -> None:
        if node.name == "ordered_list":
            start = node.meta.get("start", 1)
            self.out.append(self.open_tag("<ol>\n" if start == 1 else f'<ol start="{start}">\n'))
            close = "</ol>\n"
        else:
            self.out.append(self.open_tag("<ul>\n"))
            close = "</ul>\n"
        out = self.out
        outer, outer_start = self.indent, self.item_start
        for item in node.children:
            if item.name != "list_item" or item.attrs:
                raise _Unsupported("list item")
            children = self.content(item)
            if not children:
                out.append("<li></li>\n")
                continue
            # A tight list has no paragraph nodes: its inline runs sit in the item itself.
            # A run starts on the item's line (screens refuse empty first lines) or on
            # the line after the block before it, and ends where the next block starts.
            item_start, item_end = self.span_of(item)
            self.indent = None if outer is None or self.quotes else -1
            self.item_start = item_start
            opening = None if self.indent is None else -1
            start = item_start
            run: list[Node] = []
            first = True
            for child in item.children:
                if child.name in _INLINE:
                    run.append(child)
                    continue
                child_start, child_end = self.span_of(child)
                if child.name == "definition":  # no token in markdown-it-py's stream
                    start = child_end + 1
                    continue
                if run:
                    if first:
                        out.append("<li>")
                        first = False
                    self.inline_run(run, (start, child_start), opening=opening)
                    self.after_hidden = True
                    run = []
                if first:
                    out.append("<li>\n")
                    first = False
                self.block(child)
                start = child_end + 1
            if run:
                if first:
                    out.append("<li>")
                self.inline_run(run, (start, item_end), opening=opening)
            self.after_hidden = False
            out.append("</li>\n")
        self.after_hidden = False
        self.indent, self.item_start = outer, outer_start
        out.append(close)

    def table(self, node: Node) -> None:
        styles = []
        for align in node.meta.get("alignments") or []:
            if align == "none":
                styles.append("")
            elif align in ("left", "center", "right"):
                styles.append(f' style="text-align:{align}"')
            else:
                raise _Unsupported("alignment")
        out = self.out
        out.append(self.open_tag("<table>\n"))
        for section in node.children:
            if section.name == "thead":
                tag, cell = "thead", "th"
            elif section.name == "tbody":
                tag, cell = "tbody", "td"
            else:
                raise _Unsupported(section.name)
            out.append(f"<{tag}>\n")
            for row in section.children:
                if (row.name != "trow" or len(row.children) != len(styles)
                        or self.row_starts_block(row)):
                    raise _Unsupported("table row")
                out.append("<tr>\n")
                for style, td in zip(styles, row.children, strict=True):
                    out.append(f"<{cell}{style}>")
                    # markdown-it-py maps cells to the row
                    self.inline_run(td.children, self.span_of(row), row=True)
                    out.append(f"</{cell}>\n")
                out.append("</tr>\n")
            out.append(f"</{tag}>\n")
        out.append("</table>\n")

    def footnotes(self, container: Node) -> None:
        defs: dict[str, Node] = {}
        for note in container.children:
            meta = note.meta
            if note.name != "footnote_def" or meta.get("inline"):
                raise _Unsupported("footnote")
            if meta.get("label") not in self.notes:
                # pyrs keeps only referenced notes: this one is referenced from a note.
                raise _Unsupported("footnote referenced from a footnote")
            defs[meta.get("label")] = note
        if not self.notes:
            return
        out = self.out
        out.append('<hr class="footnotes-sep" />\n<section class="footnotes">\n'
                   '<ol class="footnotes-list">\n')
        for label, ident in self.notes.items():
            note = defs.get(label)
            if note is None or not note.children:
                raise _Unsupported("footnote definition")
            n = ident + 1
            out.append(f'<li id="fn{n}" class="footnote-item">')
            paragraphs = note.children
            for i, para in enumerate(paragraphs):
                if para.name != "paragraph":
                    raise _Unsupported("footnote block")
                out.append("<p>")
                self.inline_run(para.children, self.span_of(para), in_note=True)
                if i == len(paragraphs) - 1:
                    for j in range(self.note_refs[label]):
                        out.append(" " + _BACKREF.format(f"{n}:{j}" if j else n))
                out.append("</p>\n")
            out.append("</li>\n")
        out.append("</ol>\n</section>\n")

    # -- inlines -----------------------------------------------------------------------
    def inline_run(self, nodes: list[Node], span: Span, in_note: bool = False,
                   opening: int | None = None, row: bool = False,
                   kind: str = "paragraph") -> str:
        """Render one inline token's children; record and return its plain text.

        ``span``: the byte offsets of the run's source (from its block). ``opening``:
        for a paragraph's run outside quotes, where in ``out`` its opening tag is (-1:
        a tight list's hidden paragraph); markdown-it-py's inline parser takes such
        a run where the tree walk cannot (``parse_run``; ``kind``: the block's, as
        pyrs names it). ``row``: a table cell's run, ``span`` its row's.
        """
        text: list[str] = []
        if self.tabs and self.tab_in_prefix(span):
            # Tabs in a container's indentation: some are kept verbatim, some not.
            raise _Unsupported("tab before a line's text")
        mark = len(self.out)
        try:
            self.inline(nodes, span, text, in_note)
            if self.pairs and self.pairs_in(span, row):
                # Two $ or two ~ in one inline's source (link targets included) could be
                # math or single-tilde strikethrough.
                raise _Unsupported("$ or ~")
            if self.typographer and self.typography_in(span):
                raise _Unsupported("typographer")  # replacements, smart quotes
            if self.brackets and self.brackets_in(span):
                # pyrs reads \( and \[ as escaped brackets; here they open a formula.
                raise _Unsupported("\\( or \\[")
            last = -2 if in_note and len(nodes) > 1 else -1  # before the note's back-link
            if self.spaces and nodes and (_edge_space(nodes[0], 0)
                                          or _edge_space(nodes[last], -1)):
                # markdown-it-py trims Unicode spaces (NBSP, U+3000...) off a block's
                # content, pyrs only ASCII ones.
                raise _Unsupported("Unicode space at the edge of a block")
        except _Unsupported:
            if opening is None:
                raise
            del self.out[mark:]
            joined = self.parse_run(span, opening, kind)
        else:
            joined = "".join(text)
        self.parts.append(joined)
        return joined

    def run_lines(self, span: Span) -> tuple[list[str], int]:
        """The lines of a run's block as markdown-it-py's block parser leaves them to
        the inline parser (``getLines(..., blkIndent)``, before the trim), and the
        body line of the first.

        At the top level nothing is cut off. In a list item (and lists in it), up
        to the item's content column of spaces, and on the item's first line the
        markers; in quotes (and quotes in them), each line's "> " markers, up to as
        many as the quotes (fewer on a lazy line). The rest of a run's first line
        before ``span`` must be spaces.
        """
        indent = self.indent
        if indent is None:
            raise _Unsupported("container prefix")
        raw = self.source()
        start, end = span
        line_start = raw.rfind(b"\n", 0, start) + 1
        if end < len(raw) and raw[end] != 10:  # a tight run ends where a block starts
            end = raw.rfind(b"\n", start, end)
            if end < 0 or raw[end:span[1]].strip(b" \n"):
                raise _Unsupported("run not on whole lines")
        lines = raw[line_start:end].decode("utf-8").split("\n")
        cut = 0  # (the prefixes are ASCII: their characters are bytes)
        marker_line = False
        if self.quotes:
            if any(_INDENTED_QUOTE_MARKER.match(line) for line in lines[1:]):
                raise _Unsupported("quote marker after four spaces")
            for i, line in enumerate(lines):
                cut = 0
                for _ in range(self.quotes):
                    marker = _QUOTE_MARKER.match(line, cut)
                    if marker is None:
                        break
                    cut = marker.end()
                lines[i] = line[cut:]
                if i == 0:
                    first_cut = cut
            cut = first_cut
        elif indent:
            indent = self.content_column(self.item_start)
            if indent is None:
                raise _Unsupported("tab before a list item's text")
            marker_line = line_start == raw.rfind(b"\n", 0, self.item_start) + 1
            for i, line in enumerate(lines):
                lines[i] = line[indent if i == 0 and marker_line else
                                min(indent, len(line) - len(line.lstrip(" "))):]
            cut = indent if marker_line else 0
        if (raw[line_start + cut:start].strip(b" ") if line_start + cut <= start
                else not marker_line):  # a tight item's first run starts at its marker
            raise _Unsupported("run not on whole lines")
        return lines, raw.count(b"\n", 0, line_start)

    def reference_env(self) -> dict[str, Any]:
        """markdown-it-py's env after its block parse: the link reference definitions.

        The fast path takes only definitions on one line, without escapes (the
        count of such lines must be the count of pyrs's definitions, ``render``):
        each means the same on its own, so markdown-it-py parses them alone, in
        the document's order (the first of a label wins).
        """
        assert self.tree is not None
        raw = self.source()
        lines = []
        for node in self.tree.walk():
            if node.name == "definition":
                start = self.span_of(node)[0]
                line_end = raw.find(b"\n", start)
                line = raw[start:len(raw) if line_end < 0 else line_end].decode("utf-8")
                if not _ONE_LINE_DEFINITION.fullmatch(line):
                    raise _Unsupported("link reference definition")
                lines.append(line)
        env: dict[str, Any] = {}
        markdown_reference.parser(self.options).parse("\n\n".join(lines), env)
        return env

    def parse_run(self, span: Span, opening: int, kind: str) -> str:
        """A paragraph's or heading's inline run, parsed and rendered by the reference.

        Its source is what markdown-it-py's block rules give the inline parser
        (``run_lines``, then the paragraph's, heading's or setext heading's cut
        and trim). The run is parsed alone, so it must not need the document's
        environment (reference links, footnotes). A paragraph's first line that
        mdit-py-plugins' attrs_block rule takes ({.class}) is not the paragraph's: at
        the top level, its attributes go on the paragraph that the next line starts
        (a line no other block rule may take), whose opening tag is ``out[opening]``.
        """
        lines, line = self.run_lines(span)
        attributes = None
        if kind == "heading":
            src = runs.atx_content(lines[0]) if len(lines) == 1 else None
            if src is None:
                raise _Unsupported("heading")
        else:
            if kind == "lheading":
                lines.pop()  # the underline
            if lines[0].lstrip(" ")[:1] == "{":
                attributes = runs.attribute_line(lines[0])
                if attributes is not None:
                    if (kind != "paragraph" or self.indent or self.quotes or opening < 0
                            or len(lines) < 2
                            or not runs.PARAGRAPH_START.match(lines[1])
                            or any("|" in rest for rest in lines[1:])):
                        raise _Unsupported("block attribute list")
                    del lines[0]
                    line += 1
            src = mdTrim("\n".join(lines))
        if "[^" in src:
            raise _Unsupported("run may need the document's footnotes")
        env = None  # without a "[", no run needs the references
        if self.references and "[" in src:
            if self.env is None:
                self.env = self.reference_env()
            env = self.env
        try:
            tag, html, text, title = runs.reference_run(
                src, line, self.first_line, self.options, attributes, kind == "paragraph", env)
        except Exception:  # the reference, for the whole page, says what is wrong
            raise _Unsupported("inline run") from None
        if tag != "<p>":
            self.out[opening] = self.out[opening].replace("<p>", tag)
        self.run_title = title
        self.out.append(html)
        return text

    def inline(self, nodes: list[Node], span: Span, text: list[str], in_note: bool,
               depth: int = 0) -> None:
        """Render inline nodes; ``depth``: inside how many emphases and links."""
        if depth > _MAX_INLINE_DEPTH:
            raise _Unsupported("inline nesting")  # Python's recursion limit is near
        append = self.out.append  # bound once: this loop sees every inline node
        keep = text.append
        for node in nodes:
            name = node.name
            if name == "text" or name == "text_special":  # the hot path: inlined checks
                content = node.meta["content"]
                if content[:1] == "{" or (
                        ("@" in content or ":" in content or "w." in content or "W." in content)
                        and _TEXT_UNSUPPORTED.search(content)):
                    raise _Unsupported("text")
                if (("*" in content or "_" in content) and name == "text"
                        and _LEFTOVER_DELIMITER.search(content)):
                    # An emphasis delimiter pyrs left unmatched: its delimiter pairing
                    # differs from markdown-it-py's in corner cases.
                    raise _Unsupported("unmatched * or _")
                keep(content)
                if "&" in content or "<" in content or ">" in content or '"' in content:
                    if "<!" in content:
                        # markdown-it-py takes <!E> (any letter) as inline HTML, pyrs as text
                        raise _Unsupported("declaration")
                    content = _esc(content)
                append(content)
            elif name == "softbreak":
                append("\n")
                keep("\n")  # a wrapped line's words stay apart in the text
            elif name == "code_inline":
                content = _code_text(node)
                if self.code_spans_lines(node, content, span):
                    raise _Unsupported("code span over lines")  # indentation kept or not
                if not content.strip(" "):
                    raise _Unsupported("blank code span")  # pyrs strips its spaces
                keep(content)
                append(f"<code>{_esc(content)}</code>")
            elif name == "em" or name == "strong":
                tag = name
                append(f"<{tag}>")
                self.inline(node.children, span, text, in_note, depth + 1)
                append(f"</{tag}>")
            elif name == "link":
                meta = node.meta
                href = self.site_link(_checked_url(meta["url"]), span)
                title = meta.get("title")
                append(f'<a href="{_esc(href)}" title="{_esc(title)}">' if title
                           else f'<a href="{_esc(href)}">')
                self.inline(node.children, span, text, in_note, depth + 1)
                append("</a>")
            elif name == "image":
                meta = node.meta
                src = self.site_link(_checked_url(meta["url"]), span)
                alt = _esc(_alt_text(node.children))
                title = meta.get("title")
                append(f'<img src="{_esc(src)}" alt="{alt}" title="{_esc(title)}" '
                           'loading="lazy" />' if title else
                           f'<img src="{_esc(src)}" alt="{alt}" loading="lazy" />')
            elif name == "hardbreak":
                append("<br />\n")
                keep("\n")
            elif name == "html_inline":
                content = node.meta["content"]
                append(content)
                if rules.LINE_BREAK_TAG.match(content):
                    keep("\n")  # <br>: the words on either side stay apart, as at a break
            elif name == "footnote_ref":
                if in_note:
                    raise _Unsupported("footnote reference inside a footnote")
                append(self.footnote_ref(node))
            elif name == "footnote_ref_anchor" and in_note:
                continue
            elif name == "autolink":
                content = self.autolink(node, span)
                keep(content)
            else:
                raise _Unsupported(name)

    def footnote_ref(self, node: Node) -> str:
        label = node.meta.get("label")
        span = node.srcmap
        if not isinstance(label, str) or span is None:
            raise _Unsupported("footnote reference")
        # markdown-it-py matches labels exactly and never across spaces.
        if (self.source()[span[0]:span[1]] != f"[^{label}]".encode()
                or screens.ASCII_SPACE.search(label)):
            raise _Unsupported("footnote label")
        ident = self.notes.setdefault(label, len(self.notes))
        sub = self.note_refs.get(label, 0)
        self.note_refs[label] = sub + 1
        n = ident + 1
        refid = f"{n}:{sub}" if sub else str(n)
        return (f'<sup class="footnote-ref"><a href="#fn{n}" id="fnref{refid}">[{refid}]'
                "</a></sup>")

    def autolink(self, node: Node, span: Span) -> str:
        children = node.children
        if len(children) != 1 or children[0].name != "text_special":
            raise _Unsupported("autolink")
        raw = children[0].meta["content"]
        url = node.meta["url"]
        if url.lower().startswith("mailto:") and not raw.lower().startswith("mailto:"):
            href = normalizeLink("mailto:" + raw)
        else:
            href = normalizeLink(raw)
        content = normalizeLinkText(raw)
        href = self.site_link(href, span)
        self.out.append(f'<a href="{_esc(href)}">{_esc(content)}</a>')
        return content


# HTML blocks that end at a closing marker, not at a blank line (CommonMark types 1-5).
_RAW_HTML_STARTS = frozenset({"<p", "<P", "<s", "<S", "<t", "<T", "<!", "<?"})
_RAW_HTML = re.compile(r"<(?:(pre|script|style|textarea)(?![^\s/>])|(!--)|(\?)|(![A-Za-z])|"
                       r"(!\[CDATA\[))", re.I)
_RAW_HTML_END = {1: re.compile(r"</(?:pre|script|style|textarea)>", re.I),
                 2: re.compile("-->"), 3: re.compile(r"\?>"), 4: re.compile(">"),
                 5: re.compile(r"\]\]>")}


def _unclosed_raw_html(content: str) -> bool:
    """An HTML block of types 1-5 whose closing marker pyrs did not reach."""
    start = content.lstrip(" ")
    match = _RAW_HTML.match(start)
    if match is None:
        return False
    kind = next(i for i, group in enumerate(match.groups(), 1) if group)
    return _RAW_HTML_END[kind].search(start, match.end()) is None


_MAX_INLINE_DEPTH = 100
_INLINE = frozenset({"text", "text_special", "softbreak", "hardbreak", "code_inline", "em",
                     "strong", "link", "image", "html_inline", "footnote_ref", "autolink"})
# What markdown-it-py's mdTrim removes beyond ASCII whitespace.
_UNICODE_SPACE_CHARS = frozenset(
    "\u00a0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))))


def _edge_space(node: Node, end: int) -> bool:
    if node.name not in ("text", "text_special"):
        return False
    content = node.meta["content"]
    return bool(content) and content[end] in _UNICODE_SPACE_CHARS


def _check_text(content: str) -> None:
    # {.class} right after an element is an attribute list (attrs_plugin requires the
    # brace to start the text); a line of its own is a block attribute list.
    if content.startswith("{") or (
            ("@" in content or ":" in content or "w." in content or "W." in content)
            and _TEXT_UNSUPPORTED.search(content)):  # (the regex alone is slow on prose)
        raise _Unsupported("text")


def _code_text(node: Node) -> str:
    parts = []
    for child in node.children:
        if child.name != "text":
            raise _Unsupported("code span")
        parts.append(child.meta["content"])
    return "".join(parts)


def _alt_text(nodes: list[Node], depth: int = 0) -> str:
    """markdown-it-py's renderInlineAsText over a nested tree."""
    if depth > _MAX_INLINE_DEPTH:
        raise _Unsupported("nested images")
    parts: list[str] = []
    for node in nodes:
        name = node.name
        if name == "text" or name == "text_special":
            content = node.meta["content"]
            _check_text(content)
            if "$" in content or "~" in content or (
                    name == "text" and _LEFTOVER_DELIMITER.search(content)):
                raise _Unsupported("alt text")  # math, tildes, emphasis paired otherwise
            parts.append(content)
        elif name == "code_inline":
            parts.append(_code_text(node))
        elif name == "html_inline":
            parts.append(node.meta["content"])
        elif name in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif name in ("em", "strong", "link", "image"):
            parts.append(_alt_text(node.children, depth + 1))
        else:
            raise _Unsupported(name)  # footnote refs in alt text count in markdown-it-py
    return "".join(parts)


_PLAIN_MAILTO = re.compile(r"mailto:[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\Z")
_HOST = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]*)|^//([^/?#]*)|^mailto:(.*)$", re.I)


def _checked_url(url: Any) -> str:
    """pyrs normalises like markdown-it-py, except hosts markdown-it-py would punycode."""
    if not isinstance(url, str) or _BAD_SCHEME.match(url):
        raise _Unsupported("url")
    if "@" in url and not _PLAIN_MAILTO.match(url):
        raise _Unsupported("url with @")  # mdurl's idea of user info may differ
    if "%" in url:
        decoded = unquote(url)
        if decoded != decoded.strip():
            raise _Unsupported("url")  # markdown-it-py strips Unicode spaces (&nbsp;)
    match = _HOST.match(url)
    if match and any(g and ("%" in g or "[" in g or g.count(":") > 1) for g in match.groups()):
        raise _Unsupported("url host")  # punycode, IPv6, odd ports: mdurl's business
    return url
