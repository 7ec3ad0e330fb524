"""Screens over a page's text: what markdown-it-pyrs must not be given.

The fast path (``markdown_fast``) renders markdown-it-pyrs's tree the way markdown-it-py
would. Some differences cannot be seen in the tree, only in the text: syntax the
fast path does not reproduce (math, alerts, task lists) and places where pyrs 0.4
parses differently from markdown-it-py 4.3, found by comparing both on real posts and
on random Markdown fragments (tests/test_markdown_fuzz.py keeps the minimal cases).
``unsupported`` answers before pyrs sees the body; a wrong "yes" only costs speed.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it_pyrs import MarkdownIt

from . import markdown_pyrs

# Blocks only: each paragraph's, heading's or cell's source as one text node.
_BLOCKS_ONLY = MarkdownIt("zero").enable_many(
    ["paragraph", "heading", "lheading", "fence", "code", "blockquote", "hr", "list",
     "html_block", "table", "footnote", "reference"])

# Whole-body signs of syntax the tree alone cannot reveal: \\( \\[ (texmath; pyrs keeps
# only the escaped character), >[! (a GFM alert opens a blockquote), CR and NUL
# (normalised differently), and where pyrs's source offsets would not be file lines.
_ALERT = re.compile(r">[ \t]*\[!")
_TASK_BOX = re.compile(r"\[[ xX]\]")
# Screens run on every page: a one-character test (memchr) or a compiled literal is
# several times cheaper than `"ab" in body` on long text, so they gate the rest.
_FOOTNOTE_MARK = re.compile(r"\[\^")
_COLON_DASH = re.compile(r"-:|:-")
_LABEL_END = re.compile(r"\]:")

ASCII_SPACE = re.compile(r"[ \t\n\f\v]+")


# What the reference's definition lists would change: a line opening with ':' or '~'
# and a space (a definition). Such pages take the reference path. (Over "\n" + body
# + "\n": a pattern starting with a newline lets the regex engine skip ahead; ^ with
# re.M tried every position, a quarter of the screens' time.)
_DEFINITION_LINE = re.compile(r"\n[ \t>]*[:~](?=[ \t\n])")
# What the typographer (replacements and smart quotes) would change: the fast path's
# tree walk declines an inline run with these, and hands a paragraph's to the
# reference's inline parser (markdown_fast.parse_run).
TYPOGRAPHY = re.compile(r"""['"]|\+-|\.\.|\?\?\?\?|!!!!|,,|--|\((?:c|tm|r)\)""", re.I)


def extras_used(text: str, options: str) -> bool:
    """Syntax of the reference's extensions (definition lists), which the fast path
    does not reproduce; ``text`` is "\n" + body + "\n". (The typographer, which the
    site may turn on in ``options``, is checked a run at a time by the tree walk.)"""
    return (":" in text or "~" in text) and _DEFINITION_LINE.search(text) is not None


def unsupported(body: str, spaces: bool, options: str = "",
                formulas_checked: bool = False) -> bool:
    """Whole-body signs of syntax the tree alone cannot reveal, or where pyrs differs.

    Found by comparing both parsers on real posts and on random Markdown fragments.
    Line patterns run over "\n" + body + "\n" and start with a newline, which lets
    the regex engine skip ahead; substring tests guard the rest.
    """
    if "\r" in body or "\x00" in body or python_only_space(body):
        return True
    text = f"\n{body}\n"
    if (not formulas_checked and ("$$" in body or "\\[" in body)
            and FORMULA_OPENER.search(text)):
        # A $$ or \[ line may open a formula block (over blank lines, too). The fast
        # path looks for those itself first, and plans around them
        # (markdown_formula_blocks): it says formulas_checked.
        return True
    if extras_used(text, options):
        return True
    if _DEEP_PREFIX.search(text) and _deep(text):
        return True  # pyrs recurses without a limit (its stack overflows near 45,000)
    brackets = body.count("[")
    if brackets + body.count("*") + body.count("_") > MAX_DELIMITERS and _many_delimiters(body):
        return True  # pyrs's emphasis pairing takes quadratic time
    if brackets >= MAX_BRACKETS and _deep_brackets(body):
        return True  # markdown-it-py stops parsing links at its nesting limit, pyrs not
    if _TASK_BOX.search(body) and _TASK_ITEM.search(text):
        return True
    if "!" in body and _ALERT.search(body):
        return True
    if _EMPTY_ITEM.search(text):
        return True  # an empty item may interrupt a paragraph in one parser, not the other
    if ">" in body and _LAZY_QUOTE.search(text):
        return True  # what may interrupt a blockquote's lazy continuation differs
    if "\t" in body and ">" in body and _TAB_AFTER_QUOTE.search(text):
        return True  # markdown-it-py keeps some of those tabs verbatim, pyrs expands them
    if "|" in body and _odd_nested_table(text):
        return True  # a table in a quote or list item: the block rules' order differs
    if not body.isascii():
        if spaces and (_UNICODE_SPACE_AT_LINE_START.search(text)
                       or _UNICODE_SPACE_AT_LINE_END.search(text)):
            return True  # markdown-it-py skips Unicode spaces as indentation, pyrs not
        if ("*" in body or "_" in body) and _odd_flanking(body):
            return True
    footnotes = _FOOTNOTE_MARK.search(body) is not None
    if footnotes and _odd_footnote_definitions(body):
        return True
    if "`" in body and "[" in body and _unclosed_code_in_label(body, footnotes):
        return True
    if "<" in body and "<!" in body and _odd_html_comment(body):
        return True
    if "<" in body and _BLOCK_TAG_CHANGED.search(body):
        return True  # CommonMark 0.31 made <search> a block tag and <source> not
    return ("|" in body or _COLON_DASH.search(body) is not None) and _odd_table(text)


# A line whose text (after any container prefix: indentation, quote and list markers,
# a task box, a footnote label) starts with $$ or \[: dollarmath's or texmath's block
# rule may take it.
FORMULA_OPENER = re.compile(r"\n(?:[ \t>*+.)\d-]|\[[ xX]\]|\[\^[^\]\n]*\]:)*(?:\$\$|\\\[)")


def formula_opener_lines(body: str) -> list[int]:
    """The indexes of the body's lines that may open a formula block (FORMULA_OPENER)."""
    text = f"\n{body}"
    found = []
    line = at = 0
    for match in FORMULA_OPENER.finditer(text):  # a match starts at its line's "\n"
        line += text.count("\n", at, match.start())
        at = match.start()
        found.append(line)
    return found

_MARKERS = r"(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*"
# markdown-it-py finds a task-list checkbox at the start of a list item's first line.
_TASK_ITEM = re.compile(r"\n[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+[ \t>]*)+\[[ xX]\]")
# A tab in a line's container prefix, after a ">".
_TAB_AFTER_QUOTE = re.compile(r"\n[ \t>*+\-\d.)]*>[ \t>*+\-\d.)]*\t")
# A table's delimiter row (or what may be one) behind a ">" or a list marker.
_NESTED_DELIMITER_ROW = re.compile(
    r"\n[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])[ \t])[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t][ \t>]*)*"
    r"[ \t|:]*-[ \t|:-]*(?=\n)")
# A list item with nothing after its marker.
_EMPTY_ITEM = re.compile(r"\n[ \t>]*(?:[-+*][ \t]+)*(?:[-+*]|\d{1,9}[.)])[ \t]*(?=\n)")
# A blockquote line followed by a line without ">" (a lazy continuation, or not),
# unless the quote sits in a bullet list and the next line is that list's next item.
_LAZY_QUOTE = re.compile(
    rf"\n(?:(?![ \t]+>|[-+*][ \t])[ \t]*{_MARKERS}>[^\n]*\n(?![ \t]*>)[ \t]*\S"
    rf"|[ \t]*{_MARKERS}>[^\n]*\n(?![ \t]*>|[ \t]*[-+*][ \t])[ \t]*\S)")
# White space to Python's regular expressions (markdown-it-py's \s: '<span> \x1c' is an
# HTML block there), not to markdown-it's JavaScript nor to pyrs.
_PYTHON_ONLY_SPACES = "\x1c\x1d\x1e\x1f\x85"


def python_only_space(body: str) -> bool:
    """Whether ``body`` holds one of ``_PYTHON_ONLY_SPACES``: five substring tests are
    ~14x cheaper than a character class searched over a whole post."""
    return any(c in body for c in _PYTHON_ONLY_SPACES)


_UNICODE_SPACES = "\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
UNICODE_SPACE = re.compile(f"[{_UNICODE_SPACES}]")
_UNICODE_SPACE_AT_LINE_START = re.compile(rf"\n[ \t>]*[{_UNICODE_SPACES}]")
_UNICODE_SPACE_AT_LINE_END = re.compile(rf"[{_UNICODE_SPACES}][ \t]*\n")
# A table's delimiter row (any line of |, :, - and spaces with a | and a -).
_DELIMITER_ROW = re.compile(r"\n([ \t]*[|:-][ \t|:-]*)(?=\n)")
_BLOCK_START_LINE = re.compile(r"[ \t]*(?:[>#*+<`~-]|\d{1,9}[.)])")
_BLOCK_TAG_CHANGED = re.compile(r"</?(?:search|source)(?![A-Za-z0-9-])", re.I)
_DECLARATION = re.compile(r"<!(?!--|\[CDATA\[|[A-Z])")
# A link reference definition markdown-it-py and pyrs agree on: one line, no escapes.
_DEFINITION = re.compile(rf"\n[ \t>]*{_MARKERS}\[(?!\^)[^\]\n]*\]:([^\n]*)")
SIMPLE_DEFINITION = (r"[ \t]*(?:<[^<>\n\\]*>|[^\s<>\\][^\s\\]*)"
                     r"(?:[ \t]+(?:\"[^\"\n\\]*\"|'[^'\n\\]*'|\([^()\n\\]*\)))?[ \t]*")
"""A definition's destination and title, on one line and without escapes."""
_SIMPLE_DEFINITION = re.compile(SIMPLE_DEFINITION)
_FOOTNOTE_ANYWHERE = re.compile(r"\[\^([^\]\n]*)\]:")
_FOOTNOTE_AT = re.compile(r"\[\^([^\]\n]*)\]:(.*)")
_FENCED = re.compile(r"\n[ \t]*(`{3,}|~{3,})[^\n]*\n.*?\n[ \t]*\1[ \t]*(?=\n)", re.S)
_BACKTICKS = re.compile(r"`+")
_UNESCAPED_BACKTICKS = re.compile(r"(?<!\\)`+")


MAX_DEPTH = 64
"""Nesting the fast path takes: a line's container prefix must weigh less than this."""
MAX_DELIMITERS = 1000
"""Emphasis delimiters and brackets the fast path takes in one stretch of text."""
# Lines whose prefix (indentation, ">", list markers) may weigh MAX_DEPTH: a tab weighs
# 4 columns, so 16 characters can.
_DEEP_PREFIX = re.compile(r"\n[ \t>*+.)\d-]{16,}")


def _deep(text: str) -> bool:
    """A line that may sit MAX_DEPTH or more token levels deep.

    A block quote takes a ">" (and the space after it) of its lines' prefix and adds
    a level; a list item takes at least two columns (a marker and a space, or
    indentation) and adds two (list and item). So a prefix's columns, "> " counted
    once, bound the depth; lazy continuation lines open nothing.
    """
    for match in _DEEP_PREFIX.finditer(text):
        prefix = match.group().replace("> ", ">")
        if len(prefix) - 1 + 3 * prefix.count("\t") >= MAX_DEPTH:
            return True
    return False


def _many_delimiters(body: str) -> bool:
    """More than MAX_DELIMITERS of * _ [ between two blank lines (at most)."""
    return any(chunk.count("*") + chunk.count("_") + chunk.count("[") > MAX_DELIMITERS
               for chunk in body.split("\n\n"))


MAX_BRACKETS = 32
_BRACKET = re.compile(r"[\[\]]")


def _deep_brackets(body: str) -> bool:
    """MAX_BRACKETS "[" open at once (escapes counted too: an over-estimate)."""
    depth = 0
    for match in _BRACKET.finditer(body):
        if match.group() == "[":
            depth += 1
            if depth >= MAX_BRACKETS:
                return True
        elif depth:
            depth -= 1
    return False


def _line_before(text: str, line_start: int) -> tuple[str, int]:
    """The line ending just before ``line_start`` (a newline's index) and its own."""
    start = text.rfind("\n", 0, line_start)
    return text[start + 1:line_start], start




def _odd_flanking(body: str) -> bool:
    """An emphasis delimiter next to a non-ASCII symbol, space or control character.

    markdown-it-py counts Unicode symbols (S*) as punctuation when deciding whether
    * and _ open or close emphasis (CommonMark 0.31); pyrs does not.
    """
    for delimiter in "*_":  # str.find: a regex scan of long non-ASCII text is slower
        i = body.find(delimiter)
        while i >= 0:
            for char in (body[i - 1:i] if i else "", body[i + 1:i + 2]):
                if char > "\x7f" and unicodedata.category(char)[0] in "SZC":
                    return True
            i = body.find(delimiter, i + 1)
    return False


def _odd_nested_table(text: str) -> bool:
    """A line behind ">" or a list marker that may be a table's delimiter row.

    markdown-it-py tries tables before blockquotes and lists, pyrs after; an escaped
    pipe in the line above counts for markdown-it-py.
    """
    for match in _NESTED_DELIMITER_ROW.finditer(text):
        line, _ = _line_before(text, match.start())
        if "|" in match.group() or ":" in match.group() or "|" in line:
            return True
    return False


def _odd_table(text: str) -> bool:
    """A table whose lines another block may claim first, or as a lazy continuation.

    markdown-it-py tries tables before blockquotes and lists, and does not let a
    table interrupt a blockquote's or list item's lazy paragraph; pyrs differs.
    """
    for match in _DELIMITER_ROW.finditer(text):
        row = match.group(1)
        if "-" not in row:
            continue
        line, start = _line_before(text, match.start())
        if start < 0 or not line.strip():
            continue  # no header
        if ("|" in line) != ("|" in row):
            # "--" under "a |", "-|" under "a": a table for one parser, not the other
            return True
        if "|" not in line:
            if ":" in row:
                return True  # "-:" under "a": pyrs makes a one-column table
            continue  # a setext underline or a rule
        while start >= 0 and line.strip():
            if _BLOCK_START_LINE.match(line):
                return True
            line, start = _line_before(text, start)
    return False


def definition_lines(body: str) -> int | None:
    """How many lines are link reference definitions; None if one is not simple."""
    if "]" not in body or not _LABEL_END.search(body):
        return 0
    count = 0
    text = f"\n{body}\n"
    for match in _DEFINITION.finditer(text):
        if not _SIMPLE_DEFINITION.fullmatch(match.group(1)):
            return None
        if text[match.end() + 1:match.end() + 80].lstrip(" \t")[:1] in ("\"", "'", "("):
            return None  # a title on the next line, maybe: the parsers disagree on some
        count += 1
    return count


def _odd_footnote_definitions(body: str) -> bool:
    """Footnote definitions other than "[^label]: text" after a blank line (or another)."""
    labels = []
    for match in _FOOTNOTE_ANYWHERE.finditer(body):
        line_start = body.rfind("\n", 0, match.start()) + 1
        line_end = body.find("\n", match.end())
        rest = body[match.end():line_end if line_end >= 0 else len(body)]
        if not _plain_footnote_line(body[line_start:match.start()], match.group(1), rest):
            return True  # also one inside another's text
        if line_start:
            above = body[body.rfind("\n", 0, line_start - 1) + 1:line_start - 1]
            previous = _FOOTNOTE_AT.match(above)
            if above.strip() and (previous is None or not _plain_footnote_line(
                    "", previous.group(1), previous.group(2))):
                return True
        labels.append(match.group(1))
    first = _FOOTNOTE_ANYWHERE.search(body)
    if first and body.count("[^", first.start()) > len(labels):
        # A reference after the definitions began, maybe inside one that nothing
        # references: markdown-it-py still counts it, pyrs drops the definition.
        return True
    # markdown-it-py keeps a label's last definition, pyrs its first.
    return len(labels) != len(set(labels))


def _plain_footnote_line(prefix: str, label: str, rest: str) -> bool:
    # At the margin, a label without spaces, text indented less than a code block.
    indent = len(rest) - len(rest.lstrip(" "))
    return (not prefix and bool(label) and not ASCII_SPACE.search(label)
            and bool(rest.strip()) and indent <= 3 and rest[indent:indent + 1] != "\t")


def _odd_html_comment(body: str) -> bool:
    """Declarations and comments where CommonMark 0.31 (markdown-it-py) and pyrs differ."""
    if _DECLARATION.search(body):
        return True
    start = body.find("<!--")
    while start >= 0:
        end = body.find("-->", start + 4)
        if end < 0:
            return True
        inner = body[start + 4:end]
        if inner.startswith((">", "->")) or inner.endswith("-") or "--" in inner:
            return True
        start = body.find("<!--", end + 3)
    return False


def _unclosed_code_in_label(body: str, footnotes: bool) -> bool:
    """A backtick run without its closer after a '[' in one inline.

    markdown-it-pyrs 0.4 panics on it (index out of bounds in code_pair.rs while
    scanning a link label, e.g. "[`x"); markdown_pyrs catches the panic and keeps its
    message off the terminal, but a screened page costs no parse.
    A quick look first (fences dropped; by paragraph from the line of its first '[',
    and by line); if that finds one, per inline, as a parser without inline rules
    splits them.
    """
    fences = "```" in body or ("~" in body and "~~~" in body)
    prose = _FENCED.sub("\n", f"\n{body}\n") if fences else body
    if not _suspect_paragraph(prose):
        return False
    if footnotes:
        return True  # unreferenced footnotes are parsed, yet absent from the tree
    blocks = markdown_pyrs.tree(_BLOCKS_ONLY, body)
    if blocks is None:
        return True
    for node in blocks.walk():
        inline = "".join(c.meta["content"] for c in node.children if c.name == "text")
        if inline and _unclosed_after_bracket(inline):
            return True
    return False


def _suspect_paragraph(prose: str) -> bool:
    """A paragraph (text between blank lines) with a backtick after its first '[', and
    one unclosed after a '[' from that line on or within a line.

    The paragraphs are found with str.find from one '[' to the next, not by splitting
    the page: most hold no '[' followed by a backtick."""
    pos = 0
    while (bracket := prose.find("[", pos)) >= 0:
        end = prose.find("\n\n", bracket)  # where the paragraph of this first '[' ends
        if end < 0:
            end = len(prose)
        if prose.find("`", bracket, end) >= 0:
            before = prose.rfind("\n\n", 0, bracket)
            start = before + 2 if before >= 0 else 0
            if _unclosed_after_bracket(prose[prose.rfind("\n", 0, bracket) + 1:end]) or any(
                    _unclosed_after_bracket(line) for line in prose[start:end].split("\n")):
                return True
        pos = end
    return False


def _last_unescaped(text: str) -> int:
    return max(m.start() for m in _UNESCAPED_BACKTICKS.finditer(text))


def _unclosed_after_bracket(text: str) -> bool:
    # Backslashes before backticks taken both as escapes and as literal (they are
    # literal inside code spans).
    start = text.find("[")
    if start < 0 or text.find("`", start) < 0:
        return False
    if "``" not in text:  # single backticks pair in turn: an odd count leaves the last
        escaped = text.count("\\`")
        total = text.count("`")
        if total % 2 and text.rfind("`") > start:
            return True
        return bool(escaped and (total - escaped) % 2
                    and _UNESCAPED_BACKTICKS.findall(text) and _last_unescaped(text) > start)
    for pattern in (_BACKTICKS, _UNESCAPED_BACKTICKS):
        runs = [(m.end(), len(m.group())) for m in pattern.finditer(text)]
        lengths = [length for _, length in runs]
        i = 0
        while i < len(runs):
            end, length = runs[i]
            try:
                i = lengths.index(length, i + 1) + 1  # the closer, as code spans pair
            except ValueError:
                if end > start:
                    return True
                i += 1
    return False
