"""kramdown syntax rewritten for Kith: exact rewrites, then Kith's HTML against kramdown's."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from generator.importer.kramdown import convert
from generator.markdown import render_markdown


def rewrite(text: str) -> str:
    return convert(text, "p.md", 1).text


def test_attribute_lists() -> None:
    assert rewrite("{: .centered }  \n![](a.jpg){: .responsive }  \n*Source*{: .caption }\n"
                   "```\n{: .x}\n```") == (
        "{.centered}\n![](a.jpg){.responsive}  \n<em class=\"caption\">Source</em>\n"
        "```\n{: .x}\n```")
    # After a block (no blank line): kramdown gives it to that block; Kith reads it before.
    assert rewrite("| a |\n|---|\n| 1 |\n{: .wide}\n") == "{.wide}\n| a |\n|---|\n| 1 |\n"
    assert rewrite("Para\nlines\n{: #p .x}\n\nNext") == "{#p .x}\nPara\nlines\n\nNext"
    assert rewrite("## Title {#custom-id}\n") == "{#custom-id}\n## Title\n"
    assert rewrite("**B**{:#x .y data-k=\"v\"} `*c*{: .z}`") == \
        '<strong id="x" data-k="v" class="y">B</strong> `*c*{: .z}`'


def test_toc_becomes_front_matter() -> None:
    result = convert("Intro\n\n* TOC\n{:toc}\n\n## A\n", "p.md", 1)
    assert result.toc and result.text == "Intro\n\n\n## A\n"
    assert not convert("* TOC\n\n{:toc}\n", "p.md", 1).toc  # not kramdown's pattern


def test_extensions() -> None:
    assert rewrite("a\n\n{::nomarkdown}\n<div>*raw*</div>\n{:/nomarkdown}\n\nb") == \
        "a\n\n\n<div>*raw*</div>\n\n\nb"
    assert rewrite("x {::nomarkdown}<b>y</b>{:/} z") == "x <b>y</b> z"
    assert rewrite("{::comment}\nhidden -- here\n{:/comment}") == "<!--\nhidden - - here\n-->"
    result = convert("a\n\n{::nomarkdown}\nplain *text*\n{:/}\n\n{::options auto_ids=\"false\" /}"
                     "\n{::nomarkdown} open", "p.md", 10)
    assert [(p.line, p.message) for p in result.problems] == [
        (12, "{::nomarkdown} not converted: its content is not one HTML block"),
        (16, "kramdown {::options} not converted: dropped"),
        (17, "{::nomarkdown} has no {:/nomarkdown}: left as written"),
    ]


def test_abbreviations() -> None:
    text = ("The HTML spec, `HTML` code, [HTML](https://e.org/HTML) and <b class=\"HTML\">.\n\n"
            "*[HTML]: Hyper Text & Markup\n")
    assert rewrite(text) == (
        'The <abbr title="Hyper Text &amp; Markup">HTML</abbr> spec, `HTML` code, '
        '[<abbr title="Hyper Text &amp; Markup">HTML</abbr>](https://e.org/HTML) and '
        '<b class="HTML">.\n\n')


def test_pipes_in_code_spans_stay_in_their_table_cell() -> None:
    # kramdown keeps `a|b` in one cell; GitHub's tables would split it and lose "b`".
    table = "| a | b |\n|---|---|\n| `x|y` | ``z|`w`` |\n| `esc\\|aped` | q |\n"
    assert rewrite(table + "\n`p|q` outside\n\n```\n| `c|d` |\n|---|\n```\n") == (
        "| a | b |\n|---|---|\n| `x\\|y` | ``z\\|`w`` |\n| `esc\\\\|aped` | q |\n"
        "\n`p|q` outside\n\n```\n| `c|d` |\n|---|\n```\n")
    html = render_markdown(rewrite(table)).html
    assert "<td><code>x|y</code></td>\n<td><code>z|`w</code></td>" in html
    assert "<td><code>esc\\|aped</code></td>\n<td>q</td>" in html


def test_inline_double_dollars_are_inline_math() -> None:
    assert rewrite("Inline $$x^2$$ here\n\n$$a = b$$\n") == "Inline \\(x^2\\) here\n\n$$a = b$$\n"


# -- Kith's HTML against kramdown's (Debian's ruby-kramdown, GFM input, as Jekyll runs it) --

CASES = [
    "Para one\n{: .after}\n\n{: .before}\nPara two\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n{: .tbl}\n",
    "{: .centered }\n![](a.jpg){: .responsive }\n*Source: Photographer*{: .caption }\n",
    "## Head {#custom}\n\nText\n",
    "Text[^1] and more.\n\n[^1]: A note, with *emphasis*.\n",
    "The HTML and CSS.\n\n*[HTML]: Hyper Text Markup Language\n*[CSS]: Style sheets\n",
    "Term\n: Definition one\n\nOther\n: Definition two\n",
    "{::nomarkdown}\n<div class=\"x\">raw *no md*</div>\n{:/nomarkdown}\n",
    "Inline {::nomarkdown}<b>b</b>{:/} here.\n",
    "It's \"quoted\" -- and... a---b\n",
    "Say \"hi\" and 'bye', it's 1990's style.\n",
    "A **bold**{: .big} word and a [link](/x){: .out}.\n",
    "| a | b |\n|---|---|\n| `x|y` | ``z|`w`` |\n| `esc\\|aped` | q |\n",
]


class _Seen(HTMLParser):
    """Visible text, and (tag, sorted classes, id) of every element that has any."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.marked: list[tuple[str, str, str]] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = " ".join(sorted((values.get("class") or "").split()))
        if tag in ("a", "sup") and ("footnote" in classes or "header-anchor" in classes
                                    or "reversefootnote" in classes):
            self.skip += 1
            return
        if values.get("id", "").startswith(("fn", "markdown-toc")):
            return
        if classes and tag != "section":
            self.marked.append((tag, classes, values.get("id") or ""))

    def handle_endtag(self, tag: str) -> None:
        if self.skip and tag in ("a", "sup"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)


def _seen(html: str) -> tuple[str, list[tuple[str, str, str]]]:
    parser = _Seen()
    parser.feed(html)
    text = re.sub(r"\s+", " ", "".join(parser.text)).strip()
    return text.replace("↩︎", "").replace("↩", "").strip(), sorted(parser.marked)


@pytest.fixture(scope="module")
def kramdown_html() -> object:
    if shutil.which("ruby") is None:
        pytest.skip("ruby is not installed (apt-get install ruby-kramdown-parser-gfm)")
    probe = subprocess.run(["ruby", "-e", 'require "kramdown"; require "kramdown-parser-gfm"'],
                           capture_output=True, check=False)
    if probe.returncode:
        pytest.skip("kramdown is not installed (apt-get install ruby-kramdown-parser-gfm)")

    def render(text: str) -> str:
        script = ('require "kramdown"; require "kramdown-parser-gfm"; '
                  'print Kramdown::Document.new($stdin.read, input: "GFM", '
                  'math_engine: "mathjax").to_html')
        return subprocess.run(["ruby", "-e", script], input=text, capture_output=True,
                              text=True, check=True).stdout

    return render


@pytest.mark.parametrize("case", CASES)
def test_kith_shows_what_kramdown_showed(kramdown_html, case: str) -> None:
    expected = _seen(kramdown_html(case))
    got = _seen(render_markdown(rewrite(case), 1, "typographer").html)
    # kramdown writes footnote numbers without brackets; Kith's are [1].
    assert got[0].replace("[1]", "1") == expected[0]
    ours = [m for m in got[1] if m[1] not in ("footnote-item", "footnote-ref",
                                              "footnotes-list", "footnotes-sep")]
    theirs = [m for m in expected[1] if m[1] not in ("footnote", "footnotes")]
    assert ours == theirs
