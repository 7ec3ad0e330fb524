"""Code blocks drop Pygments' spans that change nothing: every character looks the same
in both styles of highlight.css as in Pygments' full output."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments import format as pygments_format
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import find_lexer_class_by_name, get_all_lexers, get_lexer_by_name
from pygments.token import Token, _TokenType

from generator.highlighting import _FORMATTER, STYLES, _lexer, highlight

SNIPPETS = {
    "python": "import os\n\nclass A(Base):\n    '''Doc.'''\n    def f(self, x: int = 3) -> list:\n"
              "        return [str(i) for i in range(x)]  # note\n\n@deco\ndef g(*a, **k):\n"
              "    yield from (b + 1 for b in a if b is not None)\n",
    "yaml": "site:\n  title: \"Hello\"\n  list: [1, 2.5, true, null]\n  a: &x {y: 1}\n  b: *x\n",
    "html": "<!doctype html>\n<p class=\"x\" data-y='z'>hi &amp; bye<!-- c --></p>\n"
            "<script>let a = 1 + 2;</script>\n<style>p { color: red }</style>\n",
    "rust": "fn main() {\n    let mut v: Vec<u32> = vec![1, 2];\n    println!(\"{v:?}\");\n}\n",
    "javascript": "const f = async (a, b = {}) => {\n  return `${a}` ?? null; // c\n};\n",
    "bash": "#!/bin/sh\nset -e\nfor f in *.md; do echo \"$f\" | sed 's/a/b/g'; done\n",
    "go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tm := map[string]int{\"a\": 1}\n"
          "\tfmt.Println(m[\"a\"])\n}\n",
    "sql": "SELECT a, COUNT(*) AS n FROM t WHERE b > 3 GROUP BY a ORDER BY n DESC;\n",
    "json": "{\"a\": [1, 2, {\"b\": null}], \"c\": true}\n",
    "diff": "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n",
    "c": "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 1 << 2); return 0; }\n",
    "java": "public class A { @Override public String toString() { return \"a\" + 1; } }\n",
    "css": ".a > b:hover { color: #fff; margin: 0 auto !important; }\n",
    "toml": "[tool.x]\nname = \"kith\"\nversion = 1.0\n",
    "latex": "\\begin{equation} e^{i\\pi} + 1 = 0 \\end{equation}\n",
    # Whitespace tokens that hold more than whitespace: a line continuation, a comment
    "cython": "x = 1 + \\\n    2\n",
    "mojo": "fn f() -> Int:\n    return 1 + \\\n        2\n",
    "kuin": "func main()\n  ;; comment\nend func\n",
}
_RULE = re.compile(r"^\s*\.highlight \.([\w-]+) \{ ([^}]*) \}", re.M)
_BASE = re.compile(r"^\s*\.highlight \{ ([^}]*) \}", re.M)


def _styles() -> list[tuple[dict[str, str], dict[str, dict[str, str]]]]:
    """(base declarations, class -> declarations) of highlight.css's light and dark parts
    (``assets.highlight_css`` scopes and minifies these rules)."""
    light, dark = (HtmlFormatter(style=name).get_style_defs(".highlight") for name in STYLES)

    def decls(text: str) -> dict[str, str]:
        pairs = (part.split(":", 1) for part in text.split(";") if ":" in part)
        return {key.strip(): value.strip() for key, value in pairs}

    return [(decls(_BASE.search(part).group(1)),  # type: ignore[union-attr]
             {m.group(1): decls(m.group(2)) for m in _RULE.finditer(part)})
            for part in (light, dark)]


class _Looks(HTMLParser):
    """Each character of a highlighted block with the declarations that apply to it."""

    def __init__(self, base: dict[str, str], rules: dict[str, dict[str, str]]) -> None:
        super().__init__(convert_charrefs=True)
        self.base, self.rules = base, rules
        self.stack: list[dict[str, str]] = [{"color": base.get("color", "inherit")}]
        self.chars: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span":
            looks = dict(self.stack[-1])
            for name in (dict(attrs).get("class") or "").split():
                looks.update(self.rules.get(name, {}))
            self.stack.append(looks)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for char in data:
            looks = dict(self.stack[-1])
            if char.isspace():  # a space has no colour to see
                looks.pop("color", None)
            self.chars.append((char, tuple(sorted(looks.items()))))


def _seen(html: str, base: dict[str, str], rules: dict[str, dict[str, str]]) -> list:
    looks = _Looks(base, rules)
    looks.feed(html)
    return looks.chars


@pytest.mark.parametrize("lang", sorted(SNIPPETS))
def test_every_character_looks_as_with_all_of_pygments_spans(lang: str) -> None:
    code = SNIPPETS[lang]
    full = pygments_highlight(code, get_lexer_by_name(lang), HtmlFormatter(nowrap=True))
    ours = highlight(code, lang, "")
    body = ours.split(">", 2)[2].rsplit("</code>", 1)[0]  # inside <pre ...><code ...>
    assert unescape(re.sub(r"<[^>]+>", "", body)) == code
    for base, rules in _styles():
        assert _seen(body, base, rules) == _seen(full, base, rules)


def test_plain_spans_are_dropped() -> None:
    ours = highlight(SNIPPETS["python"], "python", "")
    full = pygments_highlight(SNIPPETS["python"], get_lexer_by_name("python"),
                              HtmlFormatter(nowrap=True))
    assert '<span class="w">' in full and '<span class="w">' not in ours
    assert '<span class="p">' in full and '<span class="p">' not in ours
    assert '<span class="k">def</span>' in ours  # keywords keep their colour
    assert len(ours) < 0.75 * len(full)


def _token_types() -> list:
    """Every token type Pygments' lexers use (loading a lexer creates its types)."""
    for _, aliases, _, _ in get_all_lexers():
        if aliases:
            find_lexer_class_by_name(aliases[0])

    def walk(ttype: _TokenType) -> Iterator[_TokenType]:
        yield ttype
        for sub in sorted(ttype.subtypes, key=str):
            yield from walk(sub)

    return list(walk(Token))


def test_no_token_type_loses_a_span_that_shows() -> None:
    """Each type whose span is dropped looks like plain code in both styles, on any
    character (on whitespace only in a Whitespace token that holds nothing else)."""
    full = HtmlFormatter(nowrap=True)
    for ttype in _token_types():
        classes = full._get_css_classes(ttype)
        if not classes or _FORMATTER._get_css_classes(ttype):
            continue  # no span, or kept
        for base, rules in _styles():
            for char in ("x", " ") if ttype is not Token.Text.Whitespace else (" ",):
                shown = _seen(f'<span class="{classes}">{char}</span>', base, rules)
                assert shown == _seen(char, base, rules), (ttype, char)


def test_a_code_block_reads_the_same_whatever_was_highlighted_before() -> None:
    """Pygments' XQuery lexer keeps a stack on its class; a block it left unclosed
    changed the next XQuery block's colours (same input, other bytes)."""
    later = ',"s"}<!--c-->{if ('
    alone = highlight(later, "xquery", "")
    highlight('if (1 <a>{element e let $x := }', "xquery", "")
    assert highlight(later, "xquery", "") == alone


# -- the formatter's one pass against Pygments' own formatting --------------------------

_TYPES = [Token.Text, Token.Text.Whitespace, Token.Name, Token.Name.Builtin, Token.Keyword,
          Token.Punctuation, Token.Operator, Token.Comment.Single, Token.Literal.String,
          Token.Error, Token.Generic.Emph, Token.Other]
_VALUES = st.text(alphabet="a \n\t<&>\"'\\", max_size=6)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TYPES), _VALUES), max_size=20))
def test_one_pass_formatting_writes_what_pygments_writes(
        tokens: list[tuple[_TokenType, str]]) -> None:
    # Empty tokens, same-span neighbours, spans over line ends, blank lines, a last line
    # without its newline, whitespace tokens holding more than whitespace.
    assert _FORMATTER.html(iter(tokens)) == pygments_format(iter(tokens), _FORMATTER)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([*sorted(SNIPPETS), "text", "markdown", "php", "ruby"]),
       st.text(alphabet="abc xy1 \n\t(){}[]<>&;:'\"#/*\\-+=.$@%", max_size=80))
def test_highlighting_writes_what_pygments_highlight_writes(lang: str, code: str) -> None:
    lexer = _lexer(lang)
    assert lexer is not None
    expected = pygments_highlight(code, lexer, _FORMATTER)
    assert highlight(code, lang, "").split(">", 2)[2] == f"{expected}</code></pre>"


@pytest.mark.parametrize("lang", sorted(SNIPPETS))
def test_snippets_highlight_as_pygments_highlight_does(lang: str) -> None:
    expected = pygments_highlight(SNIPPETS[lang], _lexer(lang), _FORMATTER)
    assert highlight(SNIPPETS[lang], lang, "").split(">", 2)[2] == f"{expected}</code></pre>"


def test_a_lexer_with_filters_or_its_own_get_tokens_is_read_through_get_tokens() -> None:
    """The formatter skips Pygments' get_tokens only where that changes nothing: a
    filter (here, keywords in capitals) and a lexer's own get_tokens still apply."""
    from pygments.lexers.python import PythonLexer

    from generator.highlighting import _unprocessed

    code = SNIPPETS["python"]
    filtered = get_lexer_by_name("python")
    filtered.add_filter("keywordcase", case="upper")
    html = _FORMATTER.html_of(_unprocessed(filtered, code))
    assert "IMPORT" in html and html == pygments_highlight(code, filtered, _FORMATTER)

    class Shouting(PythonLexer):
        def get_tokens(self, text: str, unfiltered: bool = False) -> Iterator:
            for ttype, value in super().get_tokens(text, unfiltered):
                yield ttype, value.upper()

    html = _FORMATTER.html_of(_unprocessed(Shouting(), code))
    assert "RETURN" in html and html == pygments_highlight(code, Shouting(), _FORMATTER)
