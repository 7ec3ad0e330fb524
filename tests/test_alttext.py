"""The alt-text check's shortcuts (one scan of the body, lines that cannot hold an
image skipped) never hide a warning that the plain line-by-line rule gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import alttext
from generator.errors import Problem
from generator.markdown_rules import fence_after

PIECES = ["![](a.png)", "![ ](b.png)", "![x](c.png)", "![][ref]", "<img src=d.png>",
          "<IMG SRC='e.png'>", '<img alt="" src=f>', "<img alt=g", "src=h>", "<img\nsrc=i>",
          "```", "~~~", "    ", "\t", "`", "- ", "text", " ", "\n", "\n\n", "!", "[", "]",
          "<", "img", "](j)", "`k`", "![`l`](m.png)", "!`n`[](o.png)"]


def _plain(source: str, body: str, first_line: int) -> list[Problem]:
    """The rule as first written: every line outside code, code spans cut out."""
    found = []
    fence = ""
    for number, line in enumerate(body.split("\n"), first_line):
        fence, code = fence_after(line, fence)
        if code:
            continue
        if line.startswith(("    ", "\t")) and not line.lstrip().startswith(("-", "*", "+")):
            continue
        text = alttext._CODE_SPAN.sub("`", line)
        for match in alttext._EMPTY_MD.finditer(text):
            target = match.group(1) if match.group(1) is not None else f"[{match.group(2)}]"
            found.append(alttext._warn(source, number, target))
        for tag in alttext._IMG.findall(text):
            if not alttext._HAS_ALT.search(tag):
                src = alttext._SRC.search(tag)
                found.append(alttext._warn(source, number, src.group(1) if src else "<img>"))
    return found


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_the_shortcuts_equal_the_plain_rule(pieces: list[str]) -> None:
    body = "".join(pieces)
    source = "content/posts/a.md"
    assert alttext.missing_alt(source, body, 5) == _plain(source, body, 5)


def test_an_image_whose_alt_text_is_code_has_alt_text() -> None:
    """``![`npm test`](run.gif)`` has alt text ("npm test"): no warning, whatever else
    the body holds (cutting the code span out used to leave ``![](run.gif)``)."""
    line = "Run it: ![`npm test`](run.gif)\n"
    source = "content/posts/a.md"
    assert alttext.missing_alt(source, line, 1) == []
    assert alttext.missing_alt(source, line + '\n<img src="b.png" alt="">\n', 1) == []
    assert alttext.missing_alt(source, line + "\n![](c.png)\n", 1) == [
        alttext._warn(source, 3, "c.png")]
    # and a code span between "!" and "[" makes no image at all
    assert alttext.missing_alt(source, "!`x`[](d.png) and ![](e.png)\n", 1) == [
        alttext._warn(source, 1, "e.png")]
