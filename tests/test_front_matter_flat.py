"""The line-based front matter reader (``read_flat``) against ``load_yaml``, to the last detail.

``read_flat`` may answer only when its value is what ``load_yaml`` returns: the same
Python types and values, the same key order, and the same ``line``/``lines`` on every
mapping and list (what content.py, config and the ``path:line`` messages read);
otherwise it returns None and the caller takes ``load_yaml``. Every front matter
below is read both ways: hypothesis-generated flat front matter with the scalars
YAML 1.1 types (yes/no/on/off, 0x.., 1_000, .inf, ~, timestamps), quoting, comments
and spacing variants; front matter of the fixtures and test sources in tests/; the
benchmark corpus in each of its YAML layouts; the real blog in shared/corpus, and what
the Jekyll importer writes for it.
"""

from __future__ import annotations

import ast
import importlib.util
import math
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kithpaths import REPO, SHARED, bench_corpus

from generator import yamlio
from generator.cli import main as cli_main
from generator.content import _FRONT_END, split_front_matter
from generator.yamlio import LineDict, LineList, YamlProblem, load_yaml, read_flat

LZW = SHARED / "corpus" / "lzwjava-blog"


def same(fast: Any, slow: Any, where: str = "") -> None:
    """Equal as values, as Python types, and in every attribute the objects carry."""
    assert type(fast) is type(slow), f"{where}: {type(fast)} != {type(slow)}"
    if isinstance(slow, float) and math.isnan(slow):
        assert math.isnan(fast), where
        return
    if isinstance(slow, dict):
        assert list(fast) == list(slow), f"{where}: keys"
        for key in slow:
            assert type(key) is type(next(k for k in fast if k == key)), f"{where}: key type"
            same(fast[key], slow[key], f"{where}.{key}")
    elif isinstance(slow, list):
        assert len(fast) == len(slow), f"{where}: length"
        for i, (a, b) in enumerate(zip(fast, slow, strict=True)):
            same(a, b, f"{where}[{i}]")
    else:
        assert fast == slow, f"{where}: {fast!r} != {slow!r}"
    if isinstance(slow, LineDict | LineList):
        assert vars(fast) == vars(slow), f"{where}: {vars(fast)} != {vars(slow)}"
        assert sorted(vars(slow)) in ([], ["line", "lines"])  # [] : an empty LineDict()
        if isinstance(slow, LineDict) and vars(slow):
            assert list(fast.lines.items()) == list(slow.lines.items()), f"{where}: line order"


def check(text: str, first_line: int = 2) -> bool:
    """True when read_flat answered (and then it is load_yaml's answer, either way of
    treating duplicate keys); False when it declined."""
    fast = read_flat(text, first_line)
    if fast is None:
        return False
    for unique in (True, False):
        try:
            slow = load_yaml(text, first_line, unique_keys=unique)
        except YamlProblem as exc:  # pragma: no cover - a failure to show
            pytest.fail(f"read_flat answered {fast!r}, load_yaml refused: {exc}\n{text}")
        same(fast, slow, repr(text))
    return True


def front_matter(text: str) -> str | None:
    """The YAML between the '---' lines, cut as content.split_front_matter cuts it."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("---\n"):
        return None
    end = _FRONT_END.search(text, 4)
    return None if end is None else text[4: end.start()]


def corpus(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in (".md", ".markdown") and path.is_file():
            raw = front_matter(path.read_bytes().decode("utf-8", "replace"))
            if raw is not None and raw.strip():
                found.append(raw)
    return found


# -- hand-picked scalars: each YAML 1.1 shape PyYAML types, and indicators -------------

SCALARS = [
    "", "x", "Hello world", "yes", "Yes", "YES", "no", "No", "on", "On", "off", "OFF", "y", "n",
    "Y", "N", "true", "True", "TRUE", "false", "False", "tRue", "null", "Null", "NULL", "~",
    "nul", "0", "00", "012", "09", "0o12", "0x1F", "0xg", "0b101", "0b2", "1_000", "1__0",
    "1:20", "190:20:30", "1:60", "-1", "+1", "-0", "1.5", "1.", ".5", "1e3", "1.0e+3",
    "1.0e3", "6.8523015e+5", "685.230_15e+03", ".inf", "-.Inf", "+.INF", ".NaN", ".nan",
    "-", "--", "---", "...", "2012-01-03", "2012-01-03T05:06:54+00:00", "2012-1-3",
    "2001-12-14 21:59:43.10 -5", "2001-12-14t21:59:43.10-05:00", "2012-01-03 05:06:54 +0000",
    "2026-13-45", "=", "<<", "<b>", "?", "?x", ":x", "a:b", "a: b", "a:", "a :b",
    "http://example.com/a?b=c#d", "C#", "a #b", "a#b", "#x", "&a x", "*a", "!x", "!!str x",
    "|", ">", "%x", "@x", "`x`", "a, b", "a,b", ",a", "[a]", "{a: 1}", "a]", "a}", "it's",
    "say \"hi\"", "back\\slash", "é", "中文标题", "emoji 🎉", "\u3000x", "x\u3000", "\xa0x",
    "x\xa0", "a\u2028b", "a\x85b", "a\ufeffb", "a\tb", " lead", "trail ", "a  b", "-x",
    "-1.5", "+x", ".x", "...x", "1-2", "a'b'c", "''", "'a'", '"a"', "x" * 1200, "a\t", "\ta",
    "a\t# c", "a \t#c", "a\x00b", "a\x7fb", "a\x9fb", "a\ud800b", "a\ufffeb", "a\rb",
]

key_names = st.sampled_from([
    "title", "date", "tags", "categories", "draft", "lang", "slug", "summary", "order",
    "_x", "a-b", "a.b", "a_b", "Title", "yes", "no", "on", "off", "null", "true", "y", "1",
    "~", "a b", "é", "<<", "x" * 120, "? q",
])


def _single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


scalar_texts = st.one_of(
    st.sampled_from(SCALARS),
    st.text(st.sampled_from("ab Z09_-.:#,'\"[]{}&*!|>%@`?~\\/=<+é中\xa0\u3000\u2028\x85\t"),
            min_size=0, max_size=12),
    st.text(min_size=0, max_size=8),
)
# What front matter mostly holds: words, numbers, dates, YAML 1.1's typed words.
tame_texts = st.one_of(
    st.sampled_from(SCALARS),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ./é中-]{0,15}", fullmatch=True),
    st.from_regex(r"[0-9][0-9_:.e+-]{0,8}", fullmatch=True),
)


def _single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def writings(texts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A scalar as written: plain, quoted properly, or quoted as it comes."""
    return st.one_of(texts, texts.map(_single), texts.map(_double),
                     texts.map(lambda t: f'"{t}"'), texts.map(lambda t: f"'{t}'"))


spaces = st.sampled_from(["", " ", "  "])
odd_spaces = st.sampled_from(["", " ", "  ", "\t", " \t", "\xa0", "\u3000"])


@st.composite
def flow_lists(draw: st.DrawFn, written: st.SearchStrategy[str], wild: bool) -> str:
    items = draw(st.lists(written, max_size=5))
    sep = draw(st.sampled_from([", ", ",", " , ", ",  "] + ([",\t", "\t,"] if wild else [])))
    pad = draw(odd_spaces if wild else spaces)
    end = draw(st.sampled_from(["]", "]", ", ]", "", "] x"] if wild else ["]"]))
    return f"[{pad}{sep.join(items)}{pad}{end}"


@st.composite
def entries(draw: st.DrawFn, wild: bool) -> list[str]:
    written = writings(scalar_texts if wild else tame_texts)
    comments = st.sampled_from(["", "", " # note", "  #x", "#x", " #", " # a: b [c]"]
                               if wild else ["", "", "", " # note", "  # a: b [c]"])
    key = draw(key_names if wild else st.sampled_from(
        ["title", "date", "tags", "draft", "order", "a-b", "_x", "Title"]))
    colon = draw(st.sampled_from([": ", ": ", ":  ", ":", " : ", ":\t", ": \t"] if wild
                                 else [": ", ":  "]))
    kind = draw(st.sampled_from(["scalar", "scalar", "flow", "block", "empty"]
                                + (["nested"] if wild else [])))
    tail = draw(comments)
    pad = odd_spaces if wild else spaces
    if kind == "scalar":
        return [f"{key}{colon}{draw(written)}{draw(pad)}{tail}"]
    if kind == "flow":
        return [f"{key}{colon}{draw(flow_lists(written, wild))}{draw(pad)}{tail}"]
    if kind == "empty":
        return [f"{key}:{draw(pad)}{tail}"]
    if kind == "nested":
        return [f"{key}:", f"  {draw(key_names)}: {draw(written)}"]
    indent = draw(st.sampled_from(["", "  ", "    "]))
    dashes = ["- ", "- ", "-  ", "-", " - ", "-\t", "- \t"] if wild else ["- ", "-  "]
    lines = [f"{key}:{tail}"]
    for _ in range(draw(st.integers(1, 4))):
        item = draw(st.one_of(written, flow_lists(written, wild)) if wild else written)
        shift = draw(st.sampled_from([indent] * 5 + ["", " ", "   ", "      "]))
        lines.append(f"{shift}{draw(st.sampled_from(dashes))}{item}{draw(comments)}")
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "  ", "# c", "  # c", "  more", "- x"]
                                              if wild else ["", "  ", "# c"])))
    return lines


@st.composite
def flat_documents(draw: st.DrawFn) -> str:
    """Flat front matter; one in three 'wild' (odd keys, scalars, spacing, stray lines)."""
    wild = draw(st.integers(0, 2)) == 0
    lines: list[str] = []
    for entry in draw(st.lists(entries(wild), min_size=1, max_size=6)):
        if draw(st.integers(0, 6)) == 0:
            lines.append(draw(st.sampled_from(
                ["", "   ", "# comment", "#", "  # c", " x", "  continued", "---", "...",
                 "%YAML 1.1"] if wild else ["", "   ", "# comment", "#"])))
        lines += entry
    text = "\n".join(lines)
    return text + draw(st.sampled_from(["\n", "\n", "", "\n\n", "\n  \n"]))


@settings(max_examples=1500, deadline=None)
@given(flat_documents(), st.sampled_from([1, 2, 7]))
def test_generated_flat_front_matter_reads_as_load_yaml_reads_it(text: str, first: int) -> None:
    check(text, first)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(key_names, writings(scalar_texts)), min_size=1, max_size=8))
def test_generated_key_value_lines(pairs: list[tuple[str, str]]) -> None:
    check("".join(f"{k}: {v}\n" for k, v in pairs))


@pytest.mark.parametrize("value", SCALARS)
def test_each_scalar_shape_as_value_item_and_flow_item(value: str) -> None:
    for text in (f"k: {value}\n", f"k:\n- {value}\n", f"k:\n  - {value}\n", f"k: [{value}]\n",
                 f"k: [a, {value}, b]\n", f"k: [a, {value},]\n", f"k: [{value}, ]\n",
                 f"k:\n  - a\n  - {value}\n", f"k: {_single(value)}\n", f"k: {_double(value)}\n",
                 f"k: [{_single(value)}]\n", f"{value}: x\n", f"k: {value} # c\n"):
        check(text)


def test_the_reader_answers_the_common_shapes() -> None:
    """Guard against a reader that declines everything (which would pass the rest)."""
    accepted = [
        "title: Hello\n", "title: 'It''s: here'\n", 'title: "A: b"\n',
        "date: 2012-01-03T05:06:54+00:00\n", "date: 2012-01-03 05:06:54 +0000\n",
        "tags: [a, b]\n", "tags: []\n", "tags: ['a b', \"c\"]\n", "draft: false\n",
        "order: 3\n", "x: ~\n", "x:\n", "tags:\n- a\n- b\n", "tags:\n  - a\n  - 2\n",
        "# c\n\ntitle: t # c\n", "summary: C# and it's, fine\n", "url: http://x.org/a\n",
        "title: 中文标题\n", "ratio: 1.5\n", "n: yes\n",
    ]
    for text in accepted:
        assert check(text), text
    declined = [
        "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  x\n", "a: {b: 1}\n",
        "a: b\n  c\n", 'a: "\\n"\n', "a:\tb\n", "\ufeffa: b\n", "a: b\r\n", "a: b: c\n",
        "  a: b\n", "a:\n  b: c\n", "<<: {a: 1}\n", "yes: 1\n", "a: 0x1F\n" * 0 + "a: =\n",
        "a: [a, [b]]\n", "a: [a,\n b]\n", "a: 'x\n  y'\n", "a: b\u2028c\n", "a: " + "x" * 1200,
    ]
    for text in declined:
        assert read_flat(text) is None, text


# -- real and synthetic corpora ------------------------------------------------------


def test_fixtures_and_test_sources_in_tests() -> None:
    """Front matter of every Markdown fixture under tests/, and of every string in the
    test sources that starts like a Markdown file (what the other tests feed the build)."""
    texts = corpus(REPO / "tests") + corpus(REPO / "content")
    for path in sorted((REPO / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                raw = front_matter(textwrap.dedent(node.value).lstrip("\n"))
                if raw is not None and raw.strip():
                    texts.append(raw)
    assert len(texts) > 250
    answered = sum(check(raw) for raw in texts)
    assert answered > len(texts) // 2


@pytest.mark.parametrize("layout", ["plain", "hugo", "jekyll", "eleventy"])
def test_benchmark_corpus_every_yaml_layout(layout: str) -> None:
    corpus_module = bench_corpus()
    texts = [front_matter(corpus_module.front_matter(post, layout))
             for post in corpus_module.posts(2000, 1)]
    assert all(check(raw) for raw in texts if raw is not None)  # and all answered


@pytest.mark.skipif(not LZW.is_dir(), reason="shared corpus not present")
def test_real_blog_in_shared_corpus() -> None:
    texts = corpus(LZW)
    assert len(texts) > 50
    assert sum(check(raw) for raw in texts) >= 0.9 * len(texts)


@pytest.mark.skipif(not LZW.is_dir(), reason="shared corpus not present")
def test_imported_real_blog(tmp_path: Path) -> None:
    """What `kith import jekyll` writes for the real blog, copied to 1,200 pages as
    bench/blog30k.py copies it."""
    texts = corpus(_imported_blog(tmp_path, 1200))
    assert len(texts) > 1000
    assert sum(check(raw) for raw in texts) >= 0.9 * len(texts)


def _imported_blog(root: Path, pages: int) -> Path:
    spec = importlib.util.spec_from_file_location("kith_bench_blog30k",
                                                  REPO / "bench" / "blog30k.py")
    assert spec is not None and spec.loader is not None
    blog = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(blog)
    (root / "jekyll").mkdir(parents=True)
    blog.make_tree(LZW, root / "jekyll", pages)
    assert cli_main(["import", "jekyll", str(root / "jekyll"), "--into",
                     str(root / "kith")]) == 0
    return root / "kith" / "content"


# -- the public path ------------------------------------------------------------------


def test_split_front_matter_is_the_same_with_and_without_the_flat_reader(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["---\ntitle: T\ntags: [a, b]\n---\nbody\n", "---\na: 1\na: 2\n---\nbody\n",
             "---\ntitle: 'x\n---\n", "---\n# only a comment\n---\nbody\n",
             "---\n- a\n---\n", "---\ntitle: T\ndate: 2026-01-02\ntags:\n  - x\n---\n\nb\n"]
    fast = [split_front_matter("f.md", text) for text in texts]
    monkeypatch.setattr(yamlio, "read_flat", lambda text, first_line=1: None)
    slow = [split_front_matter("f.md", text) for text in texts]
    for text, a, b in zip(texts, fast, slow, strict=True):
        assert a[1:] == b[1:], text
        if b[0] is None:
            assert a[0] is None
        else:
            same(a[0], b[0], text)
    assert fast[0][0] is not None and read_flat("title: T\ntags: [a, b]\n", 2) is not None
