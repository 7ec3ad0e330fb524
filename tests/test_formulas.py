"""Formulas become MathML at build time; money stays text; what cannot convert is named."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.cli import main
from generator.formulas import formula_html, to_mathml
from generator.markdown import render_fast, render_markdown, render_markdown_reference

NS = 'xmlns="http://www.w3.org/1998/Math/MathML"'
VRMS = (f"<math {NS}><msub><mi>V</mi><mrow><mi>R</mi><mi>M</mi><mi>S</mi></mrow></msub>"
        "</math>")


def html(text: str, options: str = "") -> str:
    return render_markdown(text, 1, options).html


def test_every_delimiter_becomes_mathml() -> None:
    half = f"<math {NS} display=\"block\"><mfrac><mn>1</mn><mn>2</mn></mfrac></math>"
    assert html("a $V_{RMS}$ b") == f"<p>a {VRMS} b</p>\n"
    assert html("a \\(V_{RMS}\\) b") == f"<p>a {VRMS} b</p>\n"
    # kramdown sites wrote \\( \\) so that MathJax saw \( \) in the page.
    assert html("a \\\\( V_{RMS} \\\\) b") == f"<p>a {VRMS} b</p>\n"
    assert html("$$\n\\frac{1}{2}\n$$\n") == f'<div class="math display">{half}</div>\n'
    assert html("\\[\n\\frac{1}{2}\n\\]\n") == f'<div class="math display">{half}</div>\n'
    # Display math inside a paragraph stays inside it (no <div> in a <p>).
    assert html("Take:\n\\\\[\n\\frac{1}{2}\n\\\\]\nso") == f"<p>Take:\n{half}\nso</p>\n"
    assert html("so $$\\frac{1}{2}$$ ok") == f"<p>so {half} ok</p>\n"


def test_double_backslashes_inside_escaped_brackets_are_tex_line_breaks() -> None:
    out = html("\\\\[ \\begin{pmatrix} a \\\\\\\\ b \\end{pmatrix} \\\\]")
    assert "<mtr><mtd><mi>a</mi></mtd></mtr><mtr><mtd><mi>b</mi></mtd></mtr>" in out


def test_real_blog_math_renders_in_kramdown_notation() -> None:
    note = ("The root mean square (RMS) voltage, \\\\( V_{RMS} \\\\), represents the "
            "effective value.\n\n2. **RMS calculation**: Take the square root:\n   \\\\[\n"
            "   V_{RMS} = \\sqrt{\\frac{V_{max}^2}{2}} = \\frac{V_{max}}{\\sqrt{2}}\n   \\\\]\n")
    out = html(note)
    assert "\\(" not in out and "\\[" not in out and "V_{" not in out
    assert out.count("<math ") == 2 and out.count('display="block"') == 1
    assert "<msqrt><mn>2</mn></msqrt>" in out


MONEY = [
    "~$416 billion (based on market cap as of early 2025)",
    "$300 billion (post-money valuation after a $40 billion funding round)",
    "ranging from $170–$416 billion, r",
    "| Tencent | $416 billion | 110,558 | ~$3.76 million |",
    "costs $38k, or $5 and $6.",
    "\\$ 612 profit",
    "(from $18.4 billion in 2024 to $61.5 billion in 2025)",
]


def test_dollar_amounts_stay_text() -> None:
    for text in MONEY:
        out = html(text)
        assert "<math" not in out and "math inline" not in out, text
        assert "$" in out


AMOUNT = st.builds(lambda n, unit: f"${n}{unit}", st.integers(0, 10**6),
                   st.sampled_from(["", "k", "M", " billion", ".5 million", "–$2"]))
WORD = st.sampled_from(["after", "a", "round", "of", "to", "from", "(", ")", ",", "~", "|",
                        "and", "up", "2025", "at"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(AMOUNT, WORD), min_size=1, max_size=12))
def test_any_prose_of_amounts_stays_text(parts: list[str]) -> None:
    text = " ".join(parts)
    out = html(text)
    assert "<math" not in out and "math inline" not in out, text


def test_a_formula_math_core_refuses_stays_tex_with_a_mark() -> None:
    out = formula_html("\\ce{H2O}", False, "mathml", 7, "kith:")
    assert out.startswith('<span class="math inline" data-kith-problem="kith:7:formula not '
                          'converted to MathML, shown as TeX: Unknown command &quot;\\ce&quot;')
    assert out.endswith('>\\(\\ce{H2O}\\)</span>')
    assert formula_html("x", False, "mathjax", 7, "kith:") == \
        '<span class="math inline">\\(x\\)</span>'
    try:
        to_mathml("\\frac{1}{", False)
    except ValueError as exc:
        assert str(exc) == 'Expected closing token "}", but reached end of input (at character 10)'
    else:
        raise AssertionError("an unclosed brace must be refused")


def test_refused_formulas_are_warned_with_file_and_line(make_site, capsys) -> None:
    root = make_site({
        "content/posts/2026-01-01-chem.md":
            "---\ntitle: Chem\n---\n\nWater is\n$\\ce{H2O}$ and $x^2$.\n\n$$\n\\unknown{x}\n$$\n",
    })
    assert main(["-C", str(root), "build"]) == 0
    out = capsys.readouterr().err
    assert out.count("warning: formula not converted") == 2, out
    assert ("content/posts/2026-01-01-chem.md:5: warning: formula not converted to MathML, "
            "shown as TeX: Unknown command \"\\ce\": '\\ce{H2O}'\n  hint: write it in the LaTeX "
            "math that MathJax and KaTeX accept") in out
    assert ("content/posts/2026-01-01-chem.md:8: warning: formula not converted to MathML, "
            "shown as TeX: Unknown command \"\\unknown\"") in out
    page = (root / "_site/posts/chem/index.html").read_text()
    assert "data-kith-problem" not in page and "kith:" not in page
    assert '<span class="math inline">\\(\\ce{H2O}\\)</span>' in page
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in page
    feed = (root / "_site/feed.xml").read_text()
    assert "data-kith-problem" not in feed and "&lt;math xmlns=" in feed
    # A warm build (the page's HTML is not loaded) warns the same.
    assert main(["-C", str(root), "build", "--all-warnings"]) == 0
    assert "chem.md:5: warning: formula not converted" in capsys.readouterr().err


def test_client_side_rendering_keeps_tex_and_loads_mathjax(make_site) -> None:
    root = make_site({"content/posts/2026-01-01-m.md": "---\ntitle: M\n---\n\n$x^2$\n"},
                     config="title: T\nbase_url: https://example.com/\n"
                            "markdown: {math: mathjax}\n")
    build(root)
    page = (root / "_site/posts/m/index.html").read_text()
    assert '<span class="math inline">\\(x^2\\)</span>' in page
    assert '<script async src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js">' \
        in page
    plain = (root / "_site/index.html").read_text()
    assert "mathjax" in plain  # the theme loads it on every page (summaries have math)


def test_summaries_and_descriptions_keep_formulas(make_site) -> None:
    root = make_site({"content/posts/2026-01-01-m.md":
                      "---\ntitle: M\n---\n\nThe voltage \\\\( V_{RMS} \\\\) is effective.\n"})
    build(root)
    feed = (root / "_site/feed.json").read_text()
    assert "\\u003cmath" in feed or "<math xmlns" in feed
    page = (root / "_site/posts/m/index.html").read_text()
    # The description (meta, feeds) is plain text: the formula's TeX.
    assert 'content="The voltage V_{RMS} is effective."' in page
    # Lists show the summary paragraph as HTML when it holds a formula, not its TeX.
    home = (root / "_site/index.html").read_text()
    summary = re.search(r'<div class="entry-summary">(.*?)</div>', home, re.S)
    assert summary is not None and "<math" in summary.group(1)
    assert "V_{RMS}" not in home.split("<body", 1)[1]


TOC_POST = ("---\ntitle: T\ntoc: true\n---\n\n## Area of $\\pi r^2$ circles[^1]\n\nA.\n\n"
            "## Plain [heading](https://example.org/)\n\nB.\n\n[^1]: Note.\n")


def test_a_table_of_contents_shows_formulas_as_the_heading_does(make_site) -> None:
    """A heading's TOC entry is its plain text, where a formula is its TeX: the page
    showed "Area of π r²" and its contents "Area of \\pi r^2"."""
    for config, formula in (("", "<math xmlns"),
                            ("markdown: {math: mathjax}\n",
                             '<span class="math inline">\\(\\pi r^2\\)</span>')):
        root = make_site({"content/posts/2026-01-01-t.md": TOC_POST},
                         config="title: T\nbase_url: https://example.com/\n" + config)
        build(root)
        page = (root / "_site/posts/t/index.html").read_text()
        toc = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
        assert f'<a href="#area-of--circles">Area of {formula}' in toc, toc
        assert "pi r^2 circles</a>" not in toc  # no TeX as text, no footnote mark
        assert "circles</a>" in toc and "fnref" not in toc
        assert '<a href="#plain-heading">Plain heading</a>' in toc  # others as before


def test_inline_math_takes_the_reference_parser_and_blocks_the_reference() -> None:
    # The fast path hands a run with inline math to the reference's inline parser
    # (markdown_runs), and a formula block of the top level to the reference's render
    # rule (markdown_formula_blocks); one in a list item declines the page.
    for body in ["a $x$ b", "a \\(x\\) b", "a \\\\( x \\\\) b", "$$\nx\n$$\n"]:
        fast = render_fast(body, 1)
        assert fast is not None and fast == render_markdown_reference(body, 1)
        assert "<math" in fast.html
    assert render_fast("- $$\n  x\n  $$\n", 1) is None
    assert "<math" in render_markdown_reference("- $$\n  x\n  $$\n", 1).html


def test_definition_lists() -> None:
    out = html("Term\n: The *definition*.\n")
    assert out == "<dl>\n<dt>Term</dt>\n<dd>The <em>definition</em>.</dd>\n</dl>\n"
    assert render_fast("Term\n: x\n", 1) is None


def test_typographer_is_a_site_option() -> None:
    text = "It's \"quoted\" -- and... (c)"
    assert html(text) == "<p>It's &quot;quoted&quot; -- and... (c)</p>\n"
    assert html(text, "typographer") == "<p>It’s “quoted” – and… ©</p>\n"
    # The fast path hands a run with them to the reference's inline parser.
    fast = render_fast(text, 1, "typographer")
    assert fast is not None and fast == render_markdown_reference(text, 1, "typographer")
    assert fast.html == "<p>It’s “quoted” – and… ©</p>\n"
    # Without the characters it changes, the fast path takes the page, unchanged.
    plain = "# Title\n\nNo quotes here, only words; and a [link](/x).\n"
    fast = render_fast(plain, 1, "typographer")
    assert fast is not None and fast == render_markdown_reference(plain, 1, "typographer")


PIECES = st.sampled_from(["word", "It's", '"q"', "--", "...", "(c)", "+-", "`code's`",
                          "*em*", "[a](/b)", "\n\n", "\n", "- item", "# h", "文字", ": x",
                          "Term\n: def", "$5", "$x$", "'", "\"", ",,", "!!!!", "??"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=14), st.sampled_from(["", "typographer", "mathjax",
                                                       "typographer mathjax"]))
def test_fast_path_with_options_is_equal_or_declines(parts: list[str], options: str) -> None:
    body = " ".join(parts)
    fast = render_fast(body, 3, options)
    if fast is not None:
        assert fast == render_markdown_reference(body, 3, options), body


def test_math_is_deterministic_and_cached_per_option(make_site, tmp_path: Path) -> None:
    root = make_site({"content/posts/2026-01-01-m.md": "---\ntitle: M\n---\n\n$x$ \"q\"\n"})
    build(root)
    first = (root / "_site/posts/m/index.html").read_bytes()
    config = (root / "site.yaml").read_text()
    (root / "site.yaml").write_text(config + "markdown: {typographer: true}\n")
    build(root)
    curly = (root / "_site/posts/m/index.html").read_text()
    assert "“q”" in curly
    (root / "site.yaml").write_text(config)
    build(root)
    assert (root / "_site/posts/m/index.html").read_bytes() == first
    assert re.search(rb"<math [^>]*><mi>x</mi></math>", first)


def test_deeply_nested_formulas_are_refused_not_crashing(make_site, capsys) -> None:
    # math-core recurses per group: ~5,000 nested \frac overflowed the stack and killed
    # the build process (a segfault, no message). Kith refuses past 100 levels.
    deep = "\\frac{" * 5000 + "x" + "}{y}" * 5000
    root = make_site({"content/posts/2026-01-01-deep.md":
                      f"---\ntitle: Deep\n---\n\n$${deep}$$\n"})
    assert main(["-C", str(root), "build"]) == 0
    err = capsys.readouterr().err
    assert ("content/posts/2026-01-01-deep.md:5: warning: formula not converted to MathML, "
            "shown as TeX: groups nested 5000 deep (Kith converts at most 100)") in err


TOKENS = st.sampled_from(["\\frac", "{", "}", "x", "^", "_", "\\left(", "\\right)", "&", "\\\\",
                          "\\begin{matrix}", "\\end{matrix}", "\\sqrt", "[", "]", "2", "\\alpha",
                          "\\text{", "\\mathbb{R}", " ", "\\over", "'", "\\,", "\\unknown"])


@settings(max_examples=500, deadline=None)
@given(st.lists(TOKENS, max_size=60), st.booleans())
def test_any_tex_converts_or_is_refused_with_a_reason(tokens: list[str], display: bool) -> None:
    tex = "".join(tokens)
    try:
        out = to_mathml(tex, display)
    except ValueError as exc:
        assert str(exc)
    else:
        assert out.startswith("<math ") and out.endswith("</math>")


def test_a_dollar_in_a_code_span_closes_no_formula() -> None:
    # CommonMark ranks code spans above every other inline; the math rule took the `$`
    # inside `$a$` as the end of a formula opened by "$40" and swallowed the code.
    assert html("It costs $40 billion, then `$a$` and") == \
        "<p>It costs $40 billion, then <code>$a$</code> and</p>\n"
    assert html("`x` $y$ `z$`") == f"<p><code>x</code> <math {NS}><mi>y</mi></math> " \
        "<code>z$</code></p>\n"
    assert html("\\\\( a `b \\\\) c` d") == "<p>\\( a <code>b \\\\) c</code> d</p>\n"
    assert html("$a `b` c$") == "<p>$a <code>b</code> c$</p>\n"
    assert html("$x\\`$ `y`").startswith("<p><span class=\"math inline\"")  # escaped: TeX


CODE_PIECES = st.sampled_from(["$", "$$", "$5", "$x$", "`", "``", "`$a$`", "` $ `", "x",
                               " ", "\\(", "\\)", "\\\\(", "\\\\)", "\\`", "*", "_"])
_CODE = re.compile(r"<code>(.*?)</code>", re.S)


@settings(max_examples=400, deadline=None)
@given(st.lists(CODE_PIECES, max_size=16))
def test_code_spans_are_what_commonmark_makes_of_them(parts: list[str]) -> None:
    # Differential: formulas may take any text, but never a code span CommonMark sees.
    from markdown_it import MarkdownIt
    body = "a " + "".join(parts)  # one paragraph: no line opens a $$ block
    plain = _CODE.findall(MarkdownIt("commonmark").render(body))
    ours = _CODE.findall(render_markdown_reference(body, 1).html)
    assert ours == plain, body
