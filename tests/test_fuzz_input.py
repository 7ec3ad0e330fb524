"""Hostile front matter and file names: a build succeeds, or exits 1 with `path:line:`
messages. Never a traceback, never an internal error.

Bounded to a few seconds in `make test`; KITH_FUZZ_EXAMPLES=2000 runs a longer search.
(`slug:`, `permalink:` and `aliases:` have their own tests; Markdown bodies have the
Markdown fuzz test.)
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.cli import main

EXAMPLES = int(os.environ.get("KITH_FUZZ_EXAMPLES", "40"))
CONFIG = ("title: Fuzz\nbase_url: https://example.com/\nlanguage: en\n"
          "languages: [en, zh]\ntimezone: Asia/Shanghai\n")

# What stderr may hold: problems and warnings, their hints, the count of warnings (by
# kind), the summary line.
PROBLEM = re.compile(r"^(?:[^\s].*?)(?::\d+)?: (?:warning: )?\S.*$")
HINT = re.compile(r"^  hint: \S.*$")
COUNT = re.compile(r"^[\d,]+ warnings?[ :,]\S?.*$|^  +[\d,]+  \S.*$")
SUMMARY = re.compile(r"^build failed: \d+ problems?; the output folder was left as it was$")

DATES = st.sampled_from([
    "2024-02-30", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0001-01-01",
    "9999-12-31", "2024-01-01 25:00", "2024-01-01 23:59:60", "2024-01-01T10:00:00+14:00",
    "2024-01-01T10:00:00-12:00", "2024-01-01 10:00 +08:00", "2024-01-01T10:00:00Z",
    "2024-01-01T10:00:00+99:99", "1970-01-01", "2038-01-19 03:14:08", "2026-1-2",
    "yesterday", "", "2024-01-01\x00",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8), DATES,
    st.just("x" * 20_000), st.dates(min_value=dt.date(1, 1, 1)).map(str),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)
KEYS = ["title", "date", "updated", "summary", "tags", "categories", "draft", "lang",
        "layout", "order", "id", "description", "published", "tag", "category",
        "last_modified_at", "hero", "topics"]
RAW_FRONT = st.sampled_from([
    "title: a\ntitle: b\n", "title: &t x\nsummary: *t\ntags: [*t, *t]\n",
    'title: "unclosed\ntags: [a]\n', "tags: [a, b\n", "title: {a: 1\n", "\ttitle: tab\n",
    "title: x\n  indent: bad\n", "- a\n- b\n", "just a string\n", "42\n", "~\n",
    "title: !!python/object:os.system x\n", "title: !!binary aGVsbG8=\n", "? [a, b]\n: c\n",
    "tags: " + "[" * 80 + "]" * 80 + "\n", "a: &a [1, *a]\n", "<<: {title: merged}\n",
    'layout: "a\x00b"\n', "title: \x1b[31mred\n", "title: a\x7fb\n", "summary: \ufeffx\n",
    "tags: [" + ", ".join(f"t{i}" for i in range(30)) + "]\n",
])
NAMES = st.one_of(
    st.sampled_from([
        "posts/2026-01-01-a.md", "posts/nodate.md", "posts/2026-02-30-bad.md",
        "posts/2026-01-02-b-zh.md", "posts/sub/2026-01-03-c.markdown", "about.md",
        "index.md", "tutorials/sql/01-intro.md", "tutorials/sql/_index.md", "posts/x.MD",
        "posts/2026-01-04-C++.md", "posts/2026-01-05-数据库.md", "posts/2026-01-06-🚀.md",
        "posts/2026-01-07- spaces .md", "posts/.hidden.md", "posts/2026-01-08-a.md~",
        "posts/pic.png", "tutorials/sql/diagram.svg",
    ]).map(str.encode),
    st.sampled_from([b"posts/2026-01-09-caf\xe9.md", b"posts/2026-01-10-new\nline.md",
                     b"posts/tab\there.png", b"posts/2026-01-11-\x7f.md", b"bad\xff.png"]),
)


def front_matter(data: dict) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None)
    except (yaml.YAMLError, ValueError):
        return yaml.safe_dump({k: repr(v) for k, v in data.items()})


BODIES = st.sampled_from([
    "", "Body.\n", "[other](2026-01-01-a.md) [gone](gone.md) [tag](/tags/a/) [no](/nope/)\n",
    '<a href="/nowhere/">raw</a> <img src="pic.png" alt="">\n', "# Heading\n\nText.\n",
])


@st.composite
def source(draw: st.DrawFn) -> tuple[bytes, bytes]:
    name = draw(NAMES)
    kind = draw(st.sampled_from(["typed", "raw", "text", "empty", "only", "binary",
                                 "bom-crlf"]))
    body = draw(BODIES)
    if kind == "typed":
        data = draw(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6))
        text = f"---\n{front_matter(data)}---\n{body}"
    elif kind == "raw":
        text = f"---\n{draw(RAW_FRONT)}---\n{body}"
    elif kind == "text":  # any characters at all, raw, where YAML expects a value
        key = draw(st.sampled_from(KEYS))
        text = f"---\n{key}: {draw(st.text(max_size=20))}\n---\n{body}"
    elif kind == "empty":
        text = ""
    elif kind == "only":
        text = "---\ntitle: Only front matter\n---"
    elif kind == "binary":
        return name, draw(st.binary(max_size=64))
    else:
        text = "\ufeff---\r\ntitle: BOM\r\ndate: 2026-01-01\r\n---\r\n" + body.replace(
            "\n", "\r\n")
    return name, text.encode("utf-8", "surrogatepass")


def run_build(files: list[tuple[bytes, bytes]], capsys) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "site.yaml").write_text(CONFIG, encoding="utf-8")
        content = os.fsencode(root / "content")
        for name, data in files:
            path = os.path.join(content, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            try:
                with open(path, "wb") as f:
                    f.write(data)
            except OSError:
                continue  # a file system that refuses the name
        capsys.readouterr()
        code = main(["-C", folder, "build"])
        out, err = capsys.readouterr()
    return code, out, err


def assert_clean_answer(code: int, err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 1), (code, err)
    lines = err.splitlines()
    for line in lines:
        assert PROBLEM.match(line) or HINT.match(line) or COUNT.match(line) \
            or SUMMARY.match(line), line
    problems = [line for line in lines if PROBLEM.match(line) and not SUMMARY.match(line)
                and not COUNT.match(line)]
    warned = any(": warning: " in line for line in problems)
    assert warned == any(COUNT.match(line) for line in lines), err  # a count if any warning
    errors = [line for line in problems if ": warning: " not in line]
    if code == 1:
        assert errors and SUMMARY.match(lines[-1]), err
    else:
        assert not errors, err


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(files=st.lists(source(), min_size=1, max_size=4))
@example(files=[(b"posts/nodate.md", b"---\ntitle: x\n---\n"),
          (b"posts/2026-01-01-a.md", b"---\ntitle: y\n---\n")])
@example(files=[(b"posts/2026-01-01-a.md", b"---\ntags: [C, c++, C#]\nid: \"a\\x01\"\n---\n")])
@example(files=[(b"posts/2026-01-01-a.md", b'---\nlayout: "a\x00b"\n---\n')])
@example(files=[(b"posts/2026-01-01-a.md", b'---\ndraft: "\\x1E"\n---\n')])
@example(files=[(b"posts/2026-01-01-a.md", b"---\n{}\n---\n"), (b"bad\xff.png", b"x")])
def test_hostile_sources_get_a_clean_answer(files: list[tuple[bytes, bytes]], capsys) -> None:
    code, _, err = run_build(files, capsys)
    assert_clean_answer(code, err)


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 10**400, "x" * 200_000])
def test_extreme_values_in_every_key(value: object, capsys) -> None:
    text = "---\n" + front_matter(dict.fromkeys(KEYS, value)) + "---\nbody\n"
    code, _, err = run_build([(b"posts/2026-01-01-a.md", text.encode())], capsys)
    assert_clean_answer(code, err)


SETTINGS = ["title", "base_url", "language", "languages", "timezone", "author", "description",
            "permalinks", "paginate", "paginate_terms", "taxonomies", "feeds", "cname",
            "copyright", "exclude", "params"]
LANGUAGE_SETTINGS = st.dictionaries(
    st.sampled_from(["name", "tag", "direction", "title", "description", "date_format",
                     "code"]), VALUES, max_size=3)
SETTING_VALUES = st.one_of(
    VALUES, st.dictionaries(st.sampled_from(["en", "zh", "ar", "x y", ""]),
                            st.one_of(LANGUAGE_SETTINGS, VALUES), max_size=3),
    st.dictionaries(st.sampled_from(["posts", "tutorials", "pages", "other"]),
                    st.sampled_from(["/:year/:slug/", "/:nope/", "posts", "/", "/:lang/:path/",
                                     "/:slug", "/x/:title.html", ""]), max_size=3),
    st.dictionaries(st.sampled_from(["content", "limit", "rss", "atom", "json", "per_tag",
                                     "per_language", "per_collection", "other"]),
                    VALUES, max_size=4),
    st.sampled_from(["https://example.com/", "https://u.github.io/repo", "ftp://x",
                     "https://exa mple.com/", "https://example.com/a b/", "//example.com/",
                     "https://例子.测试/", "https://example.com:99999/", "UTC", "Mars/Base",
                     "en", "zh", "%%", "%Y年%m月%d日", "%Q"]),
)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(SETTINGS), SETTING_VALUES, max_size=4))
def test_hostile_site_yaml_gets_a_clean_answer(changes: dict, capsys) -> None:
    config = {"title": "Fuzz", "base_url": "https://example.com/", "language": "en",
              "languages": ["en", "zh"], **changes}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "site.yaml").write_text(front_matter(config), encoding="utf-8")
        posts = root / "content/posts"
        posts.mkdir(parents=True)
        (posts / "2026-01-01-a.md").write_text("---\ntitle: A\ntags: [x]\n---\n[b](/tags/x/)\n")
        (posts / "2026-01-02-a-zh.md").write_text("---\ntitle: 甲\n---\n正文\n")
        (root / "content/about.md").write_text("---\ntitle: About\n---\n")
        capsys.readouterr()
        code = main(["-C", folder, "build"])
        err = capsys.readouterr().err
    assert_clean_answer(code, err)
