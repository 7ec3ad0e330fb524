"""kramdown's own syntax, rewritten into Markdown Kith renders the same way.

Jekyll renders Markdown with kramdown. Most of a kramdown post is CommonMark with
GitHub's extensions, which Kith reads as it is; footnotes and definition lists
are the same in both. What differs is rewritten here, line by line outside code:

- attribute lists: ``{: .class}`` -> ``{.class}``; a list on the line after a
  block (a paragraph, a table) moves before it, where Kith looks for it; a span
  list stays after its element (emphasis included); ``## Title {#id}`` -> an id
  list before the heading;
- ``* TOC`` + ``{:toc}`` -> ``toc: true`` in front matter (Kith's table of contents);
- ``{::nomarkdown}…{:/}`` -> the raw HTML inside; ``{::comment}`` -> an HTML comment;
- ``*[HTML]: Hyper Text Markup Language`` -> each "HTML" in the text becomes
  ``<abbr title="…">HTML</abbr>``;
- inline ``$$x$$`` (kramdown's inline math) -> ``\\(x\\)``.
- a ``|`` inside a code span in a table row -> ``\\|``: kramdown keeps it in the cell,
  GitHub's tables (Kith's) would start a new cell there and lose the rest of the code.

What cannot be rewritten is reported with its line.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from ..errors import Problem
from ..markdown_rules import fence_after

_IAL_LINE = re.compile(r"^( {0,3})\{:(?!:|/)\s*([^{}\n]*?)\s*\}[ \t]*$")
_SPAN_IAL = re.compile(r"\{:(?!:|/)\s*([^{}\n]*?)\s*\}")
_HEADER_ID = re.compile(r"^(#{1,6}[ \t].*?)[ \t]+\{#([\w:.-]+)\}[ \t]*$")
_TOC_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])[ \t]+\S.*$")
_TOC_MARK = re.compile(r"^ {0,3}\{:\s*(?:\.no_toc\s+)?toc\s*\}[ \t]*$")
_EXT_OPEN = re.compile(r"\{::(nomarkdown|comment|options)\b([^}]*?)(/?)\}")
_EXT_CLOSE = re.compile(r"\{:/(nomarkdown|comment)?\}")
_ABBR_DEF = re.compile(r"^ {0,3}\*\[([^\]\n]+)\]:[ \t]*(.*)$")
_INLINE_DOLLARS = re.compile(r"(?<![\\$])\$\$(?=\S)(.+?)(?<=\S)\$\$(?!\$)")
_CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
# A code span: a run of backticks closed by a run of the same length, no longer.
_TABLE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_EMPHASIS_IAL = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1\{:\s*([^{}\n]*?)\s*\}")
_ATTRIBUTE = re.compile(r"""([.#])([\w:-]+)|([\w:-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
# A line that is one $$…$$ and nothing else: display math in kramdown too.
_WHOLE_LINE_MATH = re.compile(r"\s*\$\$.+\$\$\s*")
# In prose, what an abbreviation must not be wrapped inside: code, link targets,
# autolinks, HTML tags and bare URLs.
_PROTECTED = re.compile(r"(`+).+?\1|\]\([^)\n]*\)|<[^>\n]+>|\bhttps?://\S+|\$\$?.+?\$\$?", re.S)


@dataclass
class Result:
    """What ``convert`` did to one file."""

    text: str
    toc: bool = False
    """The file asked for a table of contents ({:toc})."""
    converted: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)


def convert(text: str, source: str, first_line: int) -> Result:
    """``text`` (a body starting at ``first_line`` of ``source``) in Kith's Markdown."""
    result = Result(text)
    lines = text.split("\n")
    lines = _extensions(lines, source, first_line, result)
    lines = _abbreviations(lines, result)
    lines = _table_pipes(lines, result)
    out: list[str] = []
    fence = ""
    for number, line in enumerate(lines):
        fence, code = fence_after(line, fence)
        if code:
            out.append(line)
            continue
        _line(line, number, lines, out, result)
    result.text = "\n".join(out)
    return result


def _line(line: str, number: int, lines: list[str], out: list[str], result: Result) -> None:
    """One line of prose, into ``out`` (which may be rewritten backwards for an IAL)."""
    previous = out[-1] if out else ""
    if _TOC_MARK.match(line) and out and _TOC_ITEM.match(previous):
        out.pop()  # the list kramdown replaced with the table of contents
        result.toc = True
        result.converted["toc"] += 1
        return
    ial = _IAL_LINE.match(line)
    if ial:
        attrs = "{" + ial.group(2) + "}" if ial.group(2) else ""
        result.converted["attribute lists"] += 1
        if not attrs:
            return
        if previous.strip() and not _IAL_LINE.match(previous) and not previous.startswith("{"):
            # Right after a block: kramdown gives it to that block; Kith reads it before.
            start = len(out)
            while start > 0 and out[start - 1].strip():
                start -= 1
            out.insert(start, ial.group(1) + attrs)
            return
        out.append(ial.group(1) + attrs)
        return
    header = _HEADER_ID.match(line)
    if header:
        result.converted["attribute lists"] += 1
        out += ["{#" + header.group(2) + "}", header.group(1)]
        return
    out.append(_spans(line, result))


def _spans(line: str, result: Result) -> str:
    """Span attribute lists and inline $$ math, outside code spans."""
    if "{:" not in line and "$$" not in line:
        return line
    parts, pos = [], 0
    for code in _CODE_SPAN.finditer(line):
        parts += [_span_text(line[pos:code.start()], result), code.group(0)]
        pos = code.end()
    parts.append(_span_text(line[pos:], result))
    return "".join(parts)


def _span_text(text: str, result: Result) -> str:
    def emphasis(match: re.Match[str]) -> str:
        # Kith's attribute lists cannot follow emphasis: write the element in HTML.
        result.converted["attribute lists"] += 1
        tag = "strong" if len(match.group(1)) == 2 else "em"
        return f"<{tag}{_html_attributes(match.group(3))}>{match.group(2)}</{tag}>"

    def ial(match: re.Match[str]) -> str:
        result.converted["attribute lists"] += 1
        return "{" + match.group(1) + "}" if match.group(1) else ""

    text = _EMPHASIS_IAL.sub(emphasis, text)
    text = _SPAN_IAL.sub(ial, text)
    if "$$" in text and not _WHOLE_LINE_MATH.fullmatch(text):
        def math(match: re.Match[str]) -> str:
            result.converted["inline math"] += 1
            return "\\(" + match.group(1) + "\\)"

        text = _INLINE_DOLLARS.sub(math, text)
    return text


def _html_attributes(ial: str) -> str:
    """kramdown's '.a .b #x k="v"' as HTML attributes: ' id="x" class="a b" k="v"'."""
    classes, found = [], {}
    for match in _ATTRIBUTE.finditer(ial):
        if match.group(1) == ".":
            classes.append(match.group(2))
        elif match.group(1) == "#":
            found["id"] = match.group(2)
        else:
            found[match.group(3)] = next(v for v in match.group(4, 5, 6) if v is not None)
    if classes:
        found["class"] = " ".join([*found.get("class", "").split(), *classes])
    return "".join(f' {k}="{html.escape(v)}"' for k, v in found.items())


def _extensions(lines: list[str], source: str, first_line: int, result: Result) -> list[str]:
    """{::nomarkdown}, {::comment} and {::options}: their content, a comment, or nothing."""
    text = "\n".join(lines)
    if "{::" not in text and "{:/" not in text:
        return lines
    out: list[str] = []
    pos = 0
    while (found := _EXT_OPEN.search(text, pos)) is not None:
        out.append(text[pos:found.start()])
        kind, closed = found.group(1), found.group(3) == "/"
        line = first_line + text.count("\n", 0, found.start())
        if kind == "options" or closed:
            result.problems.append(Problem(
                source, line, f"kramdown {{::{kind}}} not converted: dropped",
                "Kith has no per-file Markdown options", warning=True))
            pos = found.end()
            continue
        end = _EXT_CLOSE.search(text, found.end())
        if end is None:
            result.problems.append(Problem(source, line, f"{{::{kind}}} has no {{:/{kind}}}: "
                                           "left as written", f"close it with {{:/{kind}}}"))
            out.append(found.group(0))
            pos = found.end()
            continue
        inner = text[found.end():end.start()]
        out.append(_extension_content(kind, inner, source, line, result, found.group(0),
                                      end.group(0)))
        pos = end.end()
    out.append(text[pos:])
    return "".join(out).split("\n")


def _extension_content(kind: str, inner: str, source: str, line: int, result: Result,
                       opener: str, closer: str) -> str:
    if kind == "comment":
        result.converted["comments"] += 1
        return "<!--" + inner.replace("--", "- -") + "-->"
    block = "\n" in inner
    body = inner.strip("\n")
    if block and (not body.lstrip().startswith("<") or re.search(r"\n[ \t]*\n", body)):
        # CommonMark keeps raw HTML raw only in a block that starts with a tag and has
        # no blank line: anything else would be read as Markdown.
        result.problems.append(Problem(
            source, line, "{::nomarkdown} not converted: its content is not one HTML block",
            "turn it into HTML that starts with a tag and has no blank lines", warning=True))
        return opener + inner + closer
    result.converted["nomarkdown"] += 1
    return f"\n{body}\n" if block else body


def _abbreviations(lines: list[str], result: Result) -> list[str]:
    """``*[ABBR]: title`` definitions, applied to the text as <abbr> and removed."""
    found = {m.group(1): m.group(2).strip() for line in lines
             if (m := _ABBR_DEF.match(line)) is not None}
    if not found:
        return lines
    kept = [line for line in lines if not _ABBR_DEF.match(line)]
    pattern = re.compile(r"(?<![\w-])(" + "|".join(
        re.escape(a) for a in sorted(found, key=len, reverse=True)) + r")(?![\w-])")

    def wrap(text: str) -> str:
        return pattern.sub(lambda m: f'<abbr title="{html.escape(found[m.group(1)])}">'
                           f"{m.group(1)}</abbr>", text)

    out, fence = [], ""
    for line in kept:
        fence, code = fence_after(line, fence)
        if code:
            out.append(line)
            continue
        if line.startswith(("    ", "\t")) or line.lstrip().startswith(("{", "<")):
            out.append(line)
            continue
        parts, pos = [], 0
        for protected in _PROTECTED.finditer(line):
            parts += [wrap(line[pos:protected.start()]), protected.group(0)]
            pos = protected.end()
        parts.append(wrap(line[pos:]))
        out.append("".join(parts))
    result.converted["abbreviations"] += len(found)
    return out


def _table_pipes(lines: list[str], result: Result) -> list[str]:
    """``|`` inside code spans of table rows escaped, so the cell keeps all its code."""
    out = list(lines)
    fence, in_table = "", False
    for number, line in enumerate(lines):
        fence, code = fence_after(line, fence)
        if code:
            in_table = False
            continue
        if not line.strip():
            in_table = False
            continue
        if not in_table and "|" in line and number + 1 < len(lines) \
                and "|" in lines[number + 1] and _DELIMITER_ROW.match(lines[number + 1]):
            in_table = True
        if in_table and "`" in line and "|" in line:
            def escape(code: re.Match[str]) -> str:
                result.converted["table pipes"] += code.group(0).count("|")
                return code.group(0).replace("|", "\\|")

            out[number] = _TABLE_CODE.sub(escape, line)
    return out
