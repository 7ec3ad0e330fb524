"""Output-path rules: every path that becomes a file stays inside the output folder.

Table tests pin the messages; property tests (hypothesis) check the rules for all
strings: whatever passes names a file strictly inside the output folder, with no
normalisation left to do, and the checks agree with each other.
"""

from __future__ import annotations

import posixpath
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from generator.errors import Problem
from generator.paths import (
    MAX_NAME,
    _output_problem,
    case_key,
    output_key,
    output_problem,
    segment_problem,
    shown,
    url_problem,
)
from generator.site import _claim, output_path

from .conftest import PROPERTIES


@pytest.mark.parametrize(("url", "problem"), [
    ("/", None),
    ("/about/", None),
    ("/notes.html", None),
    ("/:year/:month/:slug/", None),
    ("/zh/文章/", None),
    ("/.well-known/security.txt", None),
    ("/../README.md", "has a '..' segment"),
    ("/a/../../x", "has a '..' segment"),
    ("/./x/", "has a '.' segment"),
    ("//evil.example.com/x", "has an empty segment ('//')"),
    ("/a//b/", "has an empty segment ('//')"),
    ("C:\\x", "does not start with '/'"),
    ("/C:/Windows/x", "starts with the drive 'C:'"),
    ("/a\\..\\b", "holds a backslash"),
    ("/a\x00b/", "holds the control character \\x00"),
    ("/a\nb/", "holds the control character \\x0a"),
    ("/a\u2028b/", "holds the control character \\u2028"),
    ("/a?b/", "holds '?', which would end the URL's path"),
    ("/a#b/", "holds '#', which would end the URL's path"),
    ("/%2e%2e/README.md", "hides '..' in percent-encoding"),
    ("/%2E./x", "hides '..' in percent-encoding"),
    ("/a%2fb/", "hides 'a/b' in percent-encoding"),
    ("/a%5c..%5cb/", "hides 'a\\..\\b' in percent-encoding"),
    # The file would keep the escape in its name, where a server looks for the decoded one.
    ("/caf%C3%A9/", "is percent-encoded ('caf%C3%A9'): write the characters themselves "
     "('café')"),
    ("/posts/%41/", "is percent-encoded ('%41'): write the characters themselves ('A')"),
    ("/100%25/", "holds '%', which a URL reads as the start of a percent-escape"),
    ("/100%/", "holds '%', which a URL reads as the start of a percent-escape"),
    ("/" + "x" * 256 + "/", f"has a segment of 256 bytes ('{'x' * 23}…'); a file name holds "
     "at most 255"),
    ("/" + "é" * 128 + "/", f"has a segment of 256 bytes ('{'é' * 23}…'); a file name holds "
     "at most 255"),
    ("/" + "/".join(["x" * 200] * 11) + "/", "is 2212 bytes long; an output path holds at "
     "most 2048"),
])
def test_url_rules(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


@pytest.mark.parametrize(("slug", "problem"), [
    ("raft-log", None), ("v1.2", None), ("文章", None), ("..", "is not a name"),
    (".", "is not a name"), ("", "is empty"), ("a/b", "holds a '/'"),
    ("a\\b", "holds a backslash"), ("C:", None), ("x\x1b[31m", "holds the control character "
                                                      "\\x1b"),
    ("x" * 256, "is 256 bytes long; a name in a URL holds at most 255"),
])
def test_slug_rules(slug: str, problem: str | None) -> None:
    assert segment_problem(slug) == problem


@pytest.mark.parametrize(("path", "problem"), [
    ("index.html", None), ("posts/x/index.html", None), ("C#.pdf", None),
    ("", "is empty"), ("/etc/passwd", "is absolute"), ("../x", "has a '..' segment"),
    ("a/./b", "has a '.' segment"), ("a//b", "has an empty segment ('//')"),
    ("a/", "has an empty segment ('//')"), ("C:/x", "starts with the drive 'C:'"),
    ("a\\b", "holds a backslash"), ("a\x7fb", "holds the control character \\x7f"),
    ("a\udcffb", "holds \\udcff, which is not a character (not valid Unicode)"),
])
def test_output_path_rules(path: str, problem: str | None) -> None:
    assert output_problem(path) == problem


def test_shown_escapes_and_cuts() -> None:
    assert shown("a\x00b\x1b[2J") == "'a\\x00b\\x1b[2J'"  # a terminal never sees raw escapes
    assert shown("x" * 100) == "'" + "x" * 59 + "…'"


# -- properties ------------------------------------------------------------------------

# Characters that make paths interesting: separators, dots, drive colons, controls,
# percent signs, letters of other scripts, combining marks.
TRICKY = st.text(alphabet=st.sampled_from(list("/\\.%2eEfF5cC:?#~-_ aé\u0301文\x00\x01\n\t\u2028"
                                               "\udcff")), max_size=24)
ANY = st.one_of(TRICKY, st.text(max_size=40))
NAME = st.text(alphabet=st.characters(categories=("L", "N"), include_characters="-_~."),
               min_size=1, max_size=40).filter(lambda s: s not in (".", ".."))


def _inside(path: str) -> bool:
    """Joined to an output folder, ``path`` is a file strictly inside it, already normal."""
    joined = posixpath.join("/out", path)
    return (posixpath.normpath(joined) == joined and joined.startswith("/out/")
            and "\\" not in path and "\x00" not in path)


@PROPERTIES
@given(ANY)
def test_an_accepted_output_path_is_inside_and_normal(path: str) -> None:
    if output_problem(path) is None:
        assert _inside(path)
        assert not any(unicodedata.category(c) == "Cc" for c in path)


@PROPERTIES
@given(ANY)
def test_an_accepted_url_writes_inside(url: str) -> None:
    if url_problem(url) is None:
        out = output_path(url)
        assert _inside(out), out
        assert "?" not in out and "#" not in out


@PROPERTIES
@given(ANY)
def test_an_accepted_slug_is_one_safe_segment(slug: str) -> None:
    if segment_problem(slug) is None:
        assert "/" not in slug and slug not in (".", "..")
        assert url_problem(f"/posts/{slug}/") is None
        assert output_problem(f"posts/{slug}/index.html") is None


@PROPERTIES
@given(st.lists(NAME, min_size=1, max_size=6))
def test_ordinary_names_are_never_refused(parts: list[str]) -> None:
    path = "/".join(parts)
    assume(len(path.encode()) <= 2048 and all(len(p.encode()) <= MAX_NAME for p in parts))
    assert output_problem(path) is None
    assert url_problem(f"/{path}/") is None


@PROPERTIES
@given(st.lists(NAME, max_size=3), st.sampled_from(["..", ".", "", "a\\b", "a\x00", "%2e%2e"]),
       st.lists(NAME, max_size=3))
def test_a_bad_segment_anywhere_is_refused(before: list[str], bad: str,
                                           after: list[str]) -> None:
    path = "/".join([*before, bad, *after, "index.html"])
    assert output_problem(path) is not None
    assert url_problem("/" + path) is not None


@PROPERTIES
@given(ANY)
def test_the_fast_path_of_the_duplicate_check_agrees(path: str) -> None:
    """site._claim skips the character-by-character check for plain paths: never wrongly."""
    problems: list[Problem] = []
    _claim(path, "content/x.md", problems)
    assert bool(problems) == (output_problem(path) is not None)


PLAINISH = st.text(alphabet="a-._~/Z9%:\\\x00é", max_size=300)


@PROPERTIES
@given(st.one_of(ANY, PLAINISH, st.builds(lambda n: "a" * n, st.integers(250, 2100)),
                 st.builds(lambda n: "ab/" * n, st.integers(600, 700))))
def test_the_shortcut_for_plain_output_paths_agrees(path: str) -> None:
    """output_problem answers plain ASCII paths by one regular expression: never wrongly."""
    assert output_problem(path) == _output_problem(path)


@pytest.mark.parametrize("path", [
    "a" * 255, "a" * 256, "/".join(["b" * 255] * 8), "/".join(["b" * 255] * 9), ".", "..",
    "a/.", "a/..", "./a", "../a", "a/./b", "a/../b", "...", "a/.../b", ".a/b.", "a//b",
    "a/", "/a", "", "C:", "C:/x", "a%2e", "~", "-/_"])
def test_the_shortcut_at_its_edges(path: str) -> None:
    assert output_problem(path) == _output_problem(path)


@PROPERTIES
@given(ANY)
def test_output_keys_join_what_the_disk_joins(path: str) -> None:
    nfd = unicodedata.normalize("NFD", path)
    assert output_key(nfd) == output_key(path) == output_key(output_key(path))
    assert case_key(path.upper()) == case_key(path.lower()) or path.upper().lower() != \
        path.lower()
