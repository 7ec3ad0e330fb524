"""Extreme and broken Markdown: an answer for every body, never a crash or a hang.

Deep nesting builds up to the parser's limit and is a ``path:line`` error beyond it
(both renderers: markdown-it-pyrs is never given it); markdown-it-py's own IndexError
is worked around; markdown-it-pyrs's panics stay off the terminal unless asked for.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sys
from pathlib import Path

import pytest

from generator import markdown_fast, markdown_pyrs
from generator.cli import main
from generator.markdown import (
    MarkdownError,
    PageError,
    render_fast,
    render_markdown,
    render_markdown_reference,
)

DEEP_HINT = ("Kith renders at most 99 nested quotes or 49 nested lists (a list counts as "
             "two quotes); un-nest some of them, or put the text in a code block")
# pyrs panics on a backtick run left open in a link label after a code span that
# spans lines (code_pair.rs); the text screens do not see this one coming.
PANICS = "`\n`[`\n"


def page(body: str) -> bytes:
    return f"---\ntitle: Deep\ndate: 2026-01-05\n---\n\n{body}".encode()


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("body", "line", "message"), [
    ("> " * 100 + "deep\n", 1,
     "block quotes and lists nested too deeply (100 quotes and 0 lists around this line)"),
    ("- " * 50 + "deep\n", 1,
     "block quotes and lists nested too deeply (0 quotes and 50 lists around this line)"),
    ("intro\n\n" + "".join("  " * i + "- item\n" for i in range(60)), 52,
     "block quotes and lists nested too deeply (0 quotes and 50 lists around this line)"),
    ("> - " * 34 + "x\n", 1,
     "block quotes and lists nested too deeply (34 quotes and 33 lists around this line)"),
    ("> " * 45_000 + "x\n", 1,  # markdown-it-pyrs's stack overflowed here
     "block quotes and lists nested too deeply (100 quotes and 0 lists around this line)"),
])
def test_nesting_beyond_the_limit_is_an_error_with_its_line(body: str, line: int,
                                                            message: str) -> None:
    assert render_fast(body, 3) is None
    with pytest.raises(MarkdownError) as caught:
        render_markdown(body, 3)
    assert (caught.value.line, caught.value.message, caught.value.hint) == (
        line + 2, message, DEEP_HINT)


@pytest.mark.parametrize(("body", "opened", "closed"), [
    ("> " * 99 + "deep\n", "<blockquote>\n" * 99 + "<p>deep</p>",
     "</blockquote>\n" * 99),
    ("- " * 49 + "deep\n", "<ul>\n<li>\n" * 48 + "<ul>\n<li>deep</li>",
     "</ul>\n</li>\n" * 48 + "</ul>\n"),
])
def test_nesting_up_to_the_limit_renders_everything(body: str, opened: str,
                                                     closed: str) -> None:
    # markdown-it-py's CommonMark preset stopped at 20 levels and dropped the rest.
    html = render_markdown(body).html
    assert html == opened + "\n" + closed
    assert render_fast(body) is None  # beyond the fast path's own, lower limit


def test_a_too_deep_page_fails_the_build_with_path_and_line(make_site, capsys) -> None:
    root = make_site({"content/posts/2026-01-05-deep.md": page("Intro.\n\n> a\n")})
    assert main(["-C", str(root), "build"]) == 0
    before = tree(root / "_site")
    (root / "content/posts/2026-01-05-deep.md").write_bytes(
        page("Intro.\n\n" + "> " * 200 + "deep\n"))
    capsys.readouterr()
    assert main(["-C", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "content/posts/2026-01-05-deep.md:8: block quotes and lists nested too deeply "
        "(100 quotes and 0 lists around this line)\n"
        f"  hint: {DEEP_HINT}\n"
        "build failed: 1 problem; the output folder was left as it was\n")
    assert tree(root / "_site") == before


def test_a_too_deep_footer_is_an_error_in_site_yaml(make_site, capsys) -> None:
    config = "title: Test site\nbase_url: https://example.com/\nlanguage: en\n"
    footer = "footer:\n  en: \"" + "> " * 120 + "deep\"\n"
    root = make_site({"content/posts/2026-01-05-a.md": page("A.\n")}, config + footer)
    assert main(["-C", str(root), "build"]) == 1
    assert capsys.readouterr().err == (
        "site.yaml: footer (en): block quotes and lists nested too deeply "
        "(100 quotes and 0 lists around this line)\n"
        f"  hint: {DEEP_HINT}\n"
        "build failed: 1 problem; the output folder was left as it was\n")


def test_page_error_names_the_file_and_survives_pickling() -> None:
    import pickle

    with pytest.raises(PageError) as caught:
        render_markdown("> " * 150, 4, source="content/posts/x.md")
    again = pickle.loads(pickle.dumps(caught.value))  # raised in worker processes
    assert [str(p) for p in again.problems] == [
        "content/posts/x.md:4: block quotes and lists nested too deeply (100 quotes and 0 "
        f"lists around this line)\n  hint: {DEEP_HINT}"]


@pytest.mark.parametrize("body", [
    "*a " * 16_000 + "b" + " c*" * 16_000,  # pyrs: 10 s, quadratic
    "**a " * 8_000 + "b" + " c**" * 8_000,
    "*a* " * 20_000,
    "[" * 20_000 + "a" + "](b)" * 20_000,
    "![" * 3_000 + "a" + "](b)" * 3_000,  # nested images: alt text inside alt text
])
def test_long_runs_and_deep_inlines_never_reach_pyrs(body: str) -> None:
    assert render_fast(body) is None  # declined by the screens, before pyrs parses
    assert render_markdown(body) == render_markdown_reference(body)  # no RecursionError


def test_a_list_nested_below_the_fast_limit_renders_the_same_both_ways() -> None:
    body = "".join("  " * i + "- item\n" for i in range(30))
    assert render_fast(body) == render_markdown_reference(body)


def test_python_recursion_limit_is_never_reached_on_the_fast_path() -> None:
    # Tight limits on pyrs's input keep the tree walk far from the recursion limit.
    body = "> " * 30 + "- " * 15 + "*a " * 60 + "[x](y)" + " b*" * 60 + "\n"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        fast = render_fast(body)
    finally:
        sys.setrecursionlimit(limit)
    assert fast == render_markdown_reference(body)


@pytest.mark.parametrize(("body", "html"), [
    # markdown-it-py 4.3 raises IndexError on these (an HTML block open at a body's end
    # on an empty quote line); rendered as if the last line were ended.
    ("> - <!--\n>", "<blockquote>\n<ul>\n<li>\n<!--\n\n</li>\n</ul>\n</blockquote>\n"),
    (">1. <script\n>", "<blockquote>\n<ol>\n<li>\n<script\n\n</li>\n</ol>\n</blockquote>\n"),
    (">- [ ] <!--\n>", '<blockquote>\n<ul class="contains-task-list">\n<li class="task-list-'
     'item">\n<input aria-label="" class="task-list-item-checkbox" disabled="" type="checkbox">'
     ' <!--\n\n</li>\n</ul>\n</blockquote>\n'),
])
def test_markdown_it_py_index_error_is_worked_around(body: str, html: str) -> None:
    assert render_markdown(body).html == html
    assert render_markdown(body + "<!--more-->").summary_html.startswith("<blockquote>")


def test_a_reference_renderer_crash_is_an_error_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import markdown_reference

    def broken(*args: object) -> None:
        raise IndexError("string index out of range")

    monkeypatch.setattr(markdown_reference.parser(""), "parse", broken)
    with pytest.raises(MarkdownError) as caught:
        render_markdown_reference("text\n", 6)
    assert (caught.value.line, caught.value.message) == (
        6, "the Markdown parser (markdown-it-py) failed on this page")


def test_pyrs_panics_stay_off_the_terminal(capfd: pytest.CaptureFixture[str],
                                           caplog: pytest.LogCaptureFixture) -> None:
    assert markdown_pyrs.tree(markdown_fast._PARSER, "[`x") is None
    assert capfd.readouterr().err == ""
    with caplog.at_level(logging.DEBUG, logger="generator"):
        assert markdown_pyrs.tree(markdown_fast._PARSER, "[`x") is None
    assert caplog.messages[0].startswith(
        "markdown-it-pyrs panicked (the reference renderer takes this page): thread ")
    assert "index out of bounds" in caplog.messages[0]
    assert "stack backtrace" not in caplog.messages[0]
    assert capfd.readouterr().err == ""


def test_output_of_others_while_pyrs_parses_is_passed_on(
        capfd: pytest.CaptureFixture[str]) -> None:
    import os

    class Noisy:
        def tree(self, body: str) -> None:
            os.write(2, b"someone else's line\n")

    assert markdown_pyrs.tree(Noisy(), "x") is None  # type: ignore[arg-type]
    assert capfd.readouterr().err == "someone else's line\n"


def test_build_is_quiet_about_panics_unless_verbose(make_site, capfd) -> None:
    root = make_site({"content/posts/2026-01-05-p.md": page(PANICS)})
    assert main(["-C", str(root), "build"]) == 0
    quiet = capfd.readouterr().err
    assert "panicked" not in quiet and "code_pair.rs" not in quiet
    html = (root / "_site/posts/p/index.html").read_text()
    assert render_markdown_reference(PANICS).html in html
    shutil.rmtree(root / ".cache")  # else the page's result comes from the cache
    assert main(["-C", str(root), "build", "--verbose"]) == 0
    loud = capfd.readouterr().err
    assert loud.startswith("kith: markdown-it-pyrs panicked (the reference renderer "
                           "takes this page): thread ")
    assert "code_pair.rs" in loud


def test_reference_switch_forces_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(markdown_fast, "render", lambda *a: calls.append(a))
    monkeypatch.setenv("KITH_MARKDOWN", "reference")
    assert render_markdown("*x*\n").html == "<p><em>x</em></p>\n"
    assert calls == []
    monkeypatch.delenv("KITH_MARKDOWN")
    render_markdown("*x*\n")
    assert calls


def test_a_page_markdown_it_py_crashed_on_builds(make_site, capsys) -> None:
    # The file ends on a ">" line, no newline after it (markdown-it-py: IndexError).
    root = make_site({"content/posts/2026-01-05-crash.md": page("Notes.\n\n> - <!--\n>")})
    assert main(["-C", str(root), "build"]) == 0
    assert capsys.readouterr().err == ""
    html = (root / "_site/posts/crash/index.html").read_text()
    assert "<blockquote>\n<ul>\n<li>\n<!--\n\n</li>\n</ul>\n</blockquote>" in html


MATH_PIECES = ("$$", "$$ x", "x $$", "$$ (1)", "$$ x $$", "\\[", "\\]", "\\[ x", "x \\]",
               "\\(", "\\)", "\\( x", "a \\) b", "\\\\(", "\\\\)", "$x$", "$", "> ", "- ",
               "1. ", "  ", "", "text", "`\\(`", "\\[x\\] (2)")


def test_math_guards_answer_as_the_rules_they_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from generator import markdown_reference

    guarded = markdown_reference.new_parser("")
    monkeypatch.setattr(markdown_reference, "guard_math", lambda md: None)
    plain = markdown_reference.new_parser("")
    rng = random.Random(11)
    for _ in range(3000):
        lines = ["".join(rng.choice(MATH_PIECES) for _ in range(rng.randint(1, 4)))
                 for _ in range(rng.randint(1, 10))]
        body = "\n".join(lines) + rng.choice(("", "\n"))
        assert guarded.render(body, {"first_line": 1}) == plain.render(
            body, {"first_line": 1}), body


@pytest.mark.parametrize("body", [
    "$$ x\n\n" * 2000,  # each line opened a $$ block and looked to the end: 16 s at 8,000
    "\\[ x\n\n" * 2000,
    "\\( x " * 5000 + "\n",  # 10 s at 20,000 in one paragraph
    "> $$ x\n>\n" * 500,
])
def test_an_unclosed_formula_is_not_looked_for(monkeypatch: pytest.MonkeyPatch,
                                               body: str) -> None:
    from generator import markdown_guards, markdown_reference

    calls: list[int] = []

    def counted(fn):  # type: ignore[no-untyped-def]
        def rule(*args):  # type: ignore[no-untyped-def]
            calls.append(1)
            return fn(*args)
        rule.__module__ = fn.__module__  # guard_math finds the rules by their module
        return rule

    def counting_guard(md) -> None:  # type: ignore[no-untyped-def]
        for rule in md.block.ruler.__rules__:
            if rule.name.startswith("math_block") and rule.fn.__module__.startswith("mdit_"):
                rule.fn = counted(rule.fn)
        for rule in md.inline.ruler.__rules__:
            if rule.fn.__module__ == "mdit_py_plugins.texmath.index":
                rule.fn = counted(rule.fn)
        markdown_guards.guard_math(md)

    monkeypatch.setattr(markdown_reference, "guard_math", counting_guard)
    md = markdown_reference.new_parser("")
    monkeypatch.setattr(markdown_reference, "guard_math", lambda md: None)
    plain = markdown_reference.new_parser("")
    assert md.render(body, {}) == plain.render(body, {})
    assert calls == []  # the guards answered; the rules never scanned
