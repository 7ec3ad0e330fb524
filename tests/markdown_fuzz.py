"""Random Markdown for differential tests: the fast renderer against the reference.

Pages are built from fragments that reach the constructs where markdown-it-pyrs and
markdown-it-py have been seen to part ways: container prefixes (quotes, list
markers, tabs, odd indentation) before block starters (fences, headings, tables,
HTML blocks, comments, definitions), and inline runs of emphasis, code spans, links,
images inside images, raw HTML, entities and Unicode spaces. ``page(rng)`` is
deterministic for a seeded ``random.Random``; ``shrink`` reduces a failing page to
a minimal one, for the regression list in tests/test_markdown_fuzz.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable

WORDS = ("alpha", "b", "中文", "é", "😀", "snake_case", "it's", "“q”", "(p)", "end.", "x",
         "1.", "#", "|", "||", "\\", "\\|", ">", "<", "~", "$", "{", "@", "!", "[", "]",
         "*", "_", "**", "`", "``", "&", "&amp;", "&copy;", "&#35;", "\u3000", "\xa0", "\t",
         "-", "--", ":", "=", "www.x.org", "http://e.org", "a@b.co", "<!--more-->")
INLINE = ("*em*", "**strong**", "_u_", "__uu__", "***both***", "*a **b** c*", "`code`",
          "`` a`b ``", "[link](a.md)", "[t](b.md \"T\")", "[abs](https://e.org/x)",
          "![img](i.png)", "![a ![b](c.png) d](e.png)", "![![x](y)](z)", "[![i](i.png)](l.md)",
          "[ref]", "[ref][]", "[^1]", "[^n]", "<span>x</span>", "<b>", "</b>", "<!-- c -->",
          "a<br>b", "<br/>", "<BR class=x>", "<bro>",
          "<!E>", "<!x>", "<?php ?>", "<![CDATA[x]]>", "<http://a.b/c>", "<a@b.co>",
          "[`x`](y.md)", "[a`b](c)", "*[l](b.md)*", "\\*", "\\_", "\\`", "\\[", "&bogus;",
          "a<!E>", "[x]", "[]()", "[a](<b c>)", "**x*", "*x**", "_x*", "[*a*](b)", "`x\ny`",
          "![__`c`_]()", "![_*__](a)", "![a\\\nb](c)", "\\|", "\\||", "\\\\|")
PREFIXES = ("", "", "", "", "> ", "> > ", "- ", "* ", "+ ", "1. ", "2) ", "10. ", "  ",
            "   ", "- > ", "> - ",
            ">", ">\t", "-\t", "    ", "\t", " - ", "- - ", "1. - ", "> 1. ", "- [ ] ",
            "- [x] ", "> - [ ] ", "- > - [ ] ", "-   ", "  - ", "    - ", "- \t", ">  ")
BLOCKS = ("{t}", "{t}", "{t}", "{t}", "# {t}", "## {t} ##", "{t}\n===", "{t}\n---", "***",
          "```python", "```\n{t}\n```", "    {t}", "| {t} | {t} |", "|---|:-:|",
          "[ref]: /r.md", "[^1]: {t}", "<div>\n{t}\n</div>", "",
          "- - -", "```", "~~~", "| x || y |", "| {t} |", "|-|", "a | b\n--|--", "<div>",
          "</div>", "<!--", "-->", "<!-- {t} -->", "<!--\n\n{t}\n-->", "<pre>", "</pre>",
          "<!X>", "<?x ?>", "<script>", "[ref]: <a b> 't'", "[^n]: {t}\n\n    {t}", "[^1]:",
          "{t}  ", "{t}\\", "$$", "$x$", "\\[ x \\]", "{{.c}}", "<!--more-->", "", "\t{t}",
          "[ ] {t}", "[x]", "a|b\n-|-\nc\\||d", "| {t} |\n|-|\n{t}\\||{t}", "|a|b|\n|-|-|\n|x||y|")


# The first entries of each list are what ordinary posts hold; a "mild" page draws
# only from those, so that the fast path answers often enough to be compared.
MILD = {id(WORDS): 12, id(INLINE): 22, id(PREFIXES): 16, id(BLOCKS): 18}


def _pick(items: tuple[str, ...], rng: random.Random, mild: bool) -> str:
    return rng.choice(items[:MILD[id(items)]] if mild else items)


def _fill(template: str, rng: random.Random, mild: bool) -> str:
    while "{t}" in template:
        run = []
        for _ in range(rng.randint(1, 5)):
            run.append(_pick(INLINE, rng, mild) if rng.random() < 0.45
                       else _pick(WORDS, rng, mild))
        joiner = "" if rng.random() < 0.2 else " "
        template = template.replace("{t}", joiner.join(run), 1)
    return template.replace("{{", "{").replace("}}", "}")


def _deep(rng: random.Random) -> str:
    """Nesting near the renderers' limits: containers, emphasis, brackets, images."""
    n = rng.choice((rng.randint(40, 70), rng.randint(90, 110), rng.randint(400, 1200)))
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(("> ", ">", "- ", "1. ", "> - ", "* > ")) * n + "deep"
    if kind == 1:
        return "".join("  " * i + "- item\n" for i in range(min(n, 120)))
    if kind == 2:
        return "*a " * n + "b" + " c*" * n
    if kind == 3:
        return "[" * n + "a" + "](b)" * n
    if kind == 4:
        return "![" * n + "a" + "](b)" * n
    return "**a _b " * (n // 2) + "c"


def page(rng: random.Random) -> str:
    """One random page: 1-14 blocks, each under a random container prefix."""
    mild = rng.random() < 0.5
    lines: list[str] = []
    if rng.random() < 0.02:
        lines.append(_deep(rng))
    for _ in range(rng.randint(1, 14)):
        block = _fill(_pick(BLOCKS, rng, mild), rng, mild)
        prefix = _pick(PREFIXES, rng, mild)
        for i, line in enumerate(block.split("\n")):
            if i and rng.random() < 0.5:
                # Continuation lines: the same prefix, its indentation, or none (lazy).
                prefix = rng.choice((prefix, " " * len(prefix)) if mild else
                                    (prefix, " " * len(prefix), "", "> "))
            lines.append(prefix + line)
        if rng.random() < (0.8 if mild else 0.4):
            lines.append("" if mild else rng.choice(("", "", " ", ">", "\t")))
    text = "\n".join(lines)
    return text if rng.random() < 0.15 else text + "\n"


def shrink(text: str, fails: Callable[[str], bool]) -> str:
    """A smaller text that still fails: lines, then characters, dropped greedily."""
    assert fails(text)
    for unit in ("\n", ""):
        pieces = text.split("\n") if unit else list(text)
        size = max(1, len(pieces) // 2)
        while size >= 1:
            i = 0
            while i < len(pieces):
                trial = pieces[:i] + pieces[i + size:]
                candidate = unit.join(trial)
                if candidate != text and fails(candidate):
                    pieces, text = trial, candidate
                else:
                    i += size
            size //= 2
    return text
