"""How kith build reports warnings at scale: the new ones in full, those the last good build
also reported counted by kind, a hint once, and a closing count (an imported blog printed
3,054 warnings, 6,108 lines, on every build, and a new post's broken link was lost)."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import errors
from generator.cli import main
from generator.errors import Problem

LINK_HINT = "  hint: check the URL; root-relative links start at the site's root"
ALT_HINT = ('  hint: describe what it shows: ![what it shows](image.png); HTML alt="" marks '
            "a decorative one")
AGAIN = "as in the last build, not shown again (kith build --all-warnings shows them)"


def post(n: int, body: str) -> str:
    return f"---\ntitle: Post {n}\n---\n{body}\n"


def warned_site(make_site) -> Path:
    """Three posts, each with an image without alt text and three broken links (its
    image is missing too): 12 warnings."""
    return make_site({f"content/posts/2026-01-0{n}-p{n}.md": post(
        n, f"[a](/gone-{n}/)\n\n![](/img/{n}.png)\n\n[b](/lost-{n}/)") for n in (1, 2, 3)})


def build(root: Path, capsys, *args: str) -> list[str]:
    assert main(["-C", str(root), "build", *args]) == 0
    return capsys.readouterr().err.splitlines()


def full(n: int) -> list[str]:
    """Post n's warnings as a first build prints them after post 1's (no hint again)."""
    src = f"content/posts/2026-01-0{n}-p{n}.md"
    return [f"{src}:4: warning: link to '/gone-{n}/': the site has no such page or file",
            f"{src}:6: warning: image without alt text: '/img/{n}.png'",
            f"{src}:6: warning: link to '/img/{n}.png': the site has no such page or file",
            f"{src}:8: warning: link to '/lost-{n}/': the site has no such page or file"]


FIRST = [full(1)[0], LINK_HINT, full(1)[1], ALT_HINT, *full(1)[2:], *full(2), *full(3),
         "12 warnings:",
         "  9  link to '...': the site has no such page or file",
         "  3  image without alt text"]


def test_a_first_build_prints_every_warning_a_hint_once_and_a_closing_count(
        make_site, capsys) -> None:
    assert build(warned_site(make_site), capsys) == FIRST


def test_a_second_build_counts_what_the_last_one_reported(make_site, capsys) -> None:
    root = warned_site(make_site)
    build(root, capsys)
    expected = [f"12 warnings {AGAIN}:",
                "  9  link to '...': the site has no such page or file",
                "  3  image without alt text"]
    assert build(root, capsys) == expected  # a no-op: the last result replayed
    (root / "content/posts/2026-01-02-p2.md").write_text(
        post(2, "[a](/gone-2/)\n\n![](/img/2.png)\n\n[b](/lost-2/)\n\nMore."))
    assert build(root, capsys) == expected  # rendered again, the same warnings


def test_a_new_broken_link_is_printed_in_full_and_the_rest_counted(make_site, capsys) -> None:
    root = warned_site(make_site)
    build(root, capsys)
    (root / "content/posts/2026-01-04-p4.md").write_text(post(4, "Fine.\n\n[new](/nowhere/)"))
    assert build(root, capsys) == [
        "content/posts/2026-01-04-p4.md:6: warning: link to '/nowhere/': the site has no such "
        "page or file",
        LINK_HINT,
        "13 warnings, 1 new; 12 as in the last build, not shown again (kith build "
        "--all-warnings shows them):",
        "  10  link to '...': the site has no such page or file (1 new)",
        "   3  image without alt text"]
    # Reported once as new: the next build counts it with the others.
    assert build(root, capsys)[0] == (
        "13 warnings as in the last build, not shown again (kith build --all-warnings shows "
        "them):")


def test_all_warnings_prints_every_one(make_site, capsys) -> None:
    root = warned_site(make_site)
    build(root, capsys)
    assert build(root, capsys, "--all-warnings") == FIRST
    assert len(build(root, capsys)) == 3  # the flag is for one run


def test_without_the_last_build_s_state_every_warning_is_printed(make_site, capsys) -> None:
    """A fresh clone in CI, or .cache/ removed: nothing to compare with."""
    root = warned_site(make_site)
    build(root, capsys)
    shutil.rmtree(root / ".cache")
    assert build(root, capsys) == FIRST


def test_a_moved_warning_is_new(make_site, capsys) -> None:
    """Same path and message on another line (a paragraph added above): shown again."""
    root = warned_site(make_site)
    build(root, capsys)
    (root / "content/posts/2026-01-03-p3.md").write_text(
        post(3, "Intro.\n\n[a](/gone-3/)\n\n![](/img/3.png)\n\n[b](/lost-3/)"))
    err = build(root, capsys)
    assert [line for line in err if "p3.md" in line] == [
        line.replace(f":{n}:", f":{n + 2}:") for line, n in zip(full(3), (4, 6, 6, 8),
                                                                 strict=True)]
    assert err[-3] == "12 warnings, 4 new; 8 as in the last build, not shown again (kith build " \
        "--all-warnings shows them):"


def test_one_warning_is_counted_in_the_singular_and_none_not_at_all(make_site, capsys
                                                                   ) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": post(1, "![](/logo.svg)"),
                      "content/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    assert build(root, capsys) == [
        "content/posts/2026-01-01-a.md:4: warning: image without alt text: '/logo.svg'",
        ALT_HINT,
        "1 warning: image without alt text"]
    assert build(root, capsys) == [
        "1 warning as in the last build, not shown again (kith build --all-warnings shows "
        "it): image without alt text"]
    (root / "content/posts/2026-01-01-a.md").write_text(post(1, "![Logo](/logo.svg)"))
    assert build(root, capsys) == []
    assert build(root, capsys) == []


def test_a_failing_build_prints_every_error_in_full_and_counts_old_warnings(
        make_site, capsys) -> None:
    root = warned_site(make_site)
    build(root, capsys)
    (root / "content/posts/2026-01-05-bad.md").write_text("---\ntitle: [unclosed\n---\nx\n")
    (root / "content/posts/2026-01-06-bad.md").write_text("---\ntitle: [unclosed\n---\nx\n")
    (root / "content/posts/2026-01-04-p4.md").write_text(post(4, "[new](/nowhere/)"))
    assert main(["-C", str(root), "build"]) == 1
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if "bad.md" in line]
    assert len(errors) == 2 and err.count("  hint: end the list with ], or write one '- item' "
                                          "per line") == 2  # an error's hint every time
    assert err[:2] == ["content/posts/2026-01-04-p4.md:4: warning: link to '/nowhere/': the "
                       "site has no such page or file", LINK_HINT]
    assert err[2:5] == [
        "13 warnings, 1 new; 12 as in the last build, not shown again (kith build "
        "--all-warnings shows them):",
        "  10  link to '...': the site has no such page or file (1 new)",
        "   3  image without alt text"]
    assert err[5].startswith("content/posts/2026-01-05-bad.md:2: ")  # errors last, in full
    assert err[-1] == "build failed: 2 problems; the output folder was left as it was"
    # The failed build is not the last good one: its new warning is new again.
    (root / "content/posts/2026-01-05-bad.md").unlink()
    (root / "content/posts/2026-01-06-bad.md").unlink()
    assert build(root, capsys)[:2] == err[:2]


def test_control_characters_stay_escaped_in_warnings_and_counts(make_site, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": post(
        1, '<a href="/x\x1b[2J\x07/">a</a>\n\n![](/y\x1b[31m.png)')})
    err = "\n".join(build(root, capsys))
    assert "\x1b" not in err and "\x07" not in err
    assert "link to '/x\\x1b[2J\\x07/'" in err
    assert err.splitlines()[-3:] == ["2 warnings:", "  1  image without alt text",
                                     "  1  link to '...': the site has no such page or file"]


def test_kinds_leave_out_quoted_values() -> None:
    def of(message: str) -> str:
        return errors.kind(Problem("a.md", 1, message, warning=True))
    assert of("link to '/posts/don't-panic/': the site has no such page or file") == \
        "link to '...': the site has no such page or file"
    assert of("image without alt text: 'it's.png'") == "image without alt text"
    assert of("no title; using \"Don't\"") == 'no title; using "..."'
    assert of("link to 'a.md', which this build leaves out (draft)") == \
        "link to '...', which this build leaves out (draft)"
    assert of("a symbolic link to 'x\x1b'; skipped") == "a symbolic link to '...'; skipped"
    assert of("bad \x1b[2J 'x") == "bad \\x1b[2J 'x"
    assert of("") == "(no message)"


def test_the_count_names_the_most_frequent_kinds_and_sums_the_rest() -> None:
    warnings = [Problem("a.md", i, f"kind {k} of warning", warning=True)
                for k in range(errors.KINDS_SHOWN + 3) for i in range(1, k + 2)]
    lines = errors.warning_report(sorted(warnings))
    count = lines[len(warnings):]
    assert count[0] == f"{len(warnings)} warnings:"
    assert count[1] == f"  {errors.KINDS_SHOWN + 3}  kind {errors.KINDS_SHOWN + 2} of warning"
    assert len(count) == 1 + errors.KINDS_SHOWN + 1 and count[-1] == "   6  of 3 other kinds"


def test_thousands_are_grouped() -> None:
    warnings = [Problem("a.md", i, "x", "h", warning=True) for i in range(1, 1235)]
    assert errors.warning_report(warnings, frozenset(warnings)) == [
        "1,234 warnings as in the last build, not shown again (kith build --all-warnings "
        "shows them): x"]


_PROBLEMS = st.lists(st.builds(
    Problem, st.sampled_from(["a.md", "b\x1b.md", ""]), st.integers(0, 3),
    st.sampled_from(["link to 'x'", "link to 'y'", "gone", "odd \x07 'v'", ""]),
    st.sampled_from(["", "fix it", "fix\nit"]), st.booleans()), max_size=12, unique=True)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_PROBLEMS, st.data(), st.booleans())
def test_every_error_and_every_new_warning_is_printed_once(problems, data, everything) -> None:
    """For any problems and any set of them the last build reported: every error in full,
    each warning not reported before (every one with ``everything``) once, none of the
    others, a hint after its first warning only; the count gives the number of warnings."""
    problems = sorted(problems)
    old = frozenset(data.draw(st.sets(st.sampled_from(problems))) if problems else ())
    lines = errors.warning_report(problems, old, everything=everything)
    text = "\n".join(lines)
    warnings = [p for p in problems if p.warning]
    faults = [p for p in problems if not p.warning]
    shown = [w for w in warnings if everything or w not in old]
    assert text.endswith("\n".join(str(e) for e in faults))
    heads = [line for line in text.splitlines() if ": warning: " in line
             or line.startswith("warning: ")]
    assert heads == [w.headline() for w in shown]
    hinted = [w.hint for w in shown if w.hint]
    assert text.count("  hint: ") == len(set(hinted)) + sum(1 for e in faults if e.hint)
    if warnings:
        kinds = len({errors.kind(w) for w in warnings})
        count = lines[len(lines) - len(faults) - 1 - (kinds > 1) * kinds]
        assert count.startswith(f"{len(warnings)} warning{'s' * (len(warnings) != 1)}")
    else:
        assert lines == [str(e) for e in faults]
    assert "\x1b" not in text and "\x07" not in text
