"""generator/lexing.py finds the tokens that Pygments' own RegexLexer loop finds, for
every lexer that uses that loop."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.lexer import Lexer, RegexLexer, bygroups
from pygments.lexers import find_lexer_class_by_name, get_all_lexers, get_lexer_by_name
from pygments.token import Keyword, Name, String, Text

from generator import lexing
from generator.highlighting import _lexer
from tests.test_highlight_spans import SNIPPETS


@cache
def _regex_lexers() -> list[str]:
    """An alias of each lexer class that uses RegexLexer's loop (over 400 of them)."""
    found = []
    for _name, aliases, _files, _mimes in get_all_lexers():
        if aliases:
            cls = find_lexer_class_by_name(aliases[0])
            if cls.get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed:
                found.append(aliases[0])
    return sorted(found)


def _pygments(lexer: Lexer, text: str) -> list[tuple[int, object, str]]:
    return list(RegexLexer.get_tokens_unprocessed(lexer, text))


def _ours(lexer: Lexer, text: str) -> list[tuple[int, object, str]]:
    return list(lexing.accelerate(lexer).get_tokens_unprocessed(text))


@pytest.fixture(autouse=True)
def _settle_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """States in runs after their first match (the build waits for thousands)."""
    monkeypatch.setattr(lexing, "SETTLE", 1)


# Text that walks many lexers through many states: every snippet, brackets and quotes
# left open, comments, numbers, an unknown character, line ends of every kind.
_TEXTS = [*SNIPPETS.values(), "\n".join(SNIPPETS.values()),
          '"open string\n/* open comment\n<tag attr="x\n(((\n', "\t\r\n\x00\u00e9\u4e2d\n",
          "0x1F 1e-3 .5 'c' r#\"raw\"# <<EOF\nbody\nEOF\n$(echo `x`)\n"]


@pytest.mark.parametrize("alias", _regex_lexers())
def test_every_regex_lexer_yields_pygments_tokens(alias: str) -> None:
    for text in _TEXTS:
        assert _ours(get_lexer_by_name(alias), text) == _pygments(
            get_lexer_by_name(alias), text), text


_POPULAR = ["python", "bash", "rust", "go", "java", "javascript", "html", "css", "perl",
            "sql", "toml", "clojure", "kotlin", "haskell", "diff", "powershell",
            "latex", "ini", "dockerfile", "nginx", "scala", "typescript"]


def test_the_popular_lexers_use_regex_lexers_loop() -> None:
    assert all(find_lexer_class_by_name(alias).get_tokens_unprocessed
               is RegexLexer.get_tokens_unprocessed for alias in _POPULAR)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_POPULAR),
       st.text(alphabet="abrfx_1 \n\t(){}[]<>&;:'\"#/*\\-+=.$@%`!?|^~,r#", max_size=120),
       st.integers(1, 12))
def test_random_text_yields_pygments_tokens(alias: str, text: str, settle: int) -> None:
    """States settle into runs at any point, mid-text too."""
    lexing.SETTLE = settle  # (the fixture puts it back)
    assert _ours(get_lexer_by_name(alias), text) == _pygments(get_lexer_by_name(alias), text)


def test_a_state_settles_into_runs_after_its_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexing, "SETTLE", 4)
    lexer = lexing.accelerate(get_lexer_by_name("go"))
    states = lexer.kith_states
    list(lexer.get_tokens_unprocessed("a b"))  # three matches: name, space, name
    assert all(match is None for match, _, _ in states["root"])
    list(lexer.get_tokens_unprocessed("c"))
    assert any(match is not None for match, _, _ in states["root"].runs)


def test_highlighting_uses_the_alternations() -> None:
    """What the build highlights with: a lexer using RegexLexer's loop is accelerated,
    and the states of Rust's and Bash's are a few runs, not a rule at a time."""
    for alias in ("rust", "bash"):
        lexer = _lexer(alias)
        assert lexer is not None and "get_tokens_unprocessed" in vars(lexer)
        rules = sum(len(rules) for rules in lexer._tokens.values())
        runs = sum(len(lexing._runs(rules)) for rules in lexer._tokens.values())
        assert runs < rules / 3, alias


class _Toy(RegexLexer):
    """Rules that an alternation must keep apart, in an order that matters."""

    flags = re.MULTILINE
    tokens = {  # noqa: RUF012 (Pygments' class attribute)
        "root": [
            (r"(?s)<<(.*?)>>", String),  # flags of its own, over lines
            (r"(?i)select", Keyword),
            (r"(\w+)(=)", bygroups(Name, Text)),  # a callback reads the rule's groups
            (r"(?P<q>['\"]).*?(?P=q)", String.Double),  # a backreference: tried alone
            (r"(?P<word>[a-z]+)", Name),  # a group name, again in the next rule
            (r"(?P<word>[A-Z]+)", Name.Constant),
            (r"(?x) \d+  # digits: a verbose rule's comment at its end", Name.Other),
            (r"^\s+$", Text),
            (r"sel", Name.Builtin),  # after "select": never taken first
            (r".", Text),
        ],
    }


@pytest.mark.parametrize("text", [
    "<<a\nb>> SELECT sel x= 'q' \"r\" ab CD 12\n  \n?",
    "select=1 <<unclosed\n'x\" y'",
])
def test_order_flags_groups_and_backreferences(text: str) -> None:
    assert _ours(_Toy(), text) == _pygments(_Toy(), text)
    runs = lexing._runs(_Toy().__class__._tokens["root"])
    alone = [rules[0][0].__self__.pattern for match, _, rules in runs if match is None]
    # The backreference alone, and the first "word" rule: a run of one, ended by the
    # next rule's group of the same name. The others share alternations.
    assert alone == [r"(?P<q>['\"]).*?(?P=q)", "(?P<word>[a-z]+)"]
    assert [len(rules) for _, _, rules in runs] == [3, 1, 1, 5]


def test_a_settled_state_tries_only_the_rules_that_can_start_where_the_text_stands() -> None:
    """Python's root state: at "(" one rule of its 56 (punctuation), at a letter the
    rules for words (keywords, builtins, names, string prefixes), at the end none
    (no rule of it matches nothing)."""
    lexer = _lexer("python")
    assert lexer is not None
    lexer.kith_states.settle("root")
    dispatch = lexer.kith_states["root"]
    every = sum(len(rules) for _, _, rules in dispatch.runs)

    def tried(char: str) -> int:
        return sum(len(rules) for _, _, rules in dispatch[char])

    assert dispatch["q"] is dispatch["a"] is dispatch["Z"]  # letters share their runs
    assert tried("(") < 5 < tried("a") < every - 15
    assert dispatch["\u4e2d"] is dispatch.runs  # beyond ASCII: every rule
    assert tried("") == 0


def _pattern() -> st.SearchStrategy[str]:
    """Small regular expressions of every construct _starts reads."""
    atoms = st.sampled_from(["a", "B", "k", "s", "-", "\\.", "\\d", "\\w", "\\s", "\\W", ".",
                             "[a-c]", "[^ab]", "[\\dK]", "(?i:k)", "(?i:[a-z])", "\\u212a",
                             "\\b", "^", "$", "(?=a)", "(?!b)", "(?<=a)", "\\Z"])
    return st.recursive(atoms, lambda inner: st.one_of(
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map(lambda p: f"(?:{p[0]}|{p[1]})"),
        st.tuples(inner, st.sampled_from(["*", "+", "?", "{0,2}", "{2}", "*?", "*+", "++"])
                  ).map(lambda p: f"(?:{p[0]}){p[1]}"),
        inner.map(lambda p: f"(?>{p})"),
        inner.map(lambda p: f"({p})"),
        inner.map(lambda p: f"(?s:{p})"),
        inner.map(lambda p: f"(?i:{p})"),
    ), max_leaves=6)


@settings(max_examples=500, deadline=None)
@given(_pattern(), st.sampled_from([0, re.I, re.M | re.S, re.A | re.I]),
       st.text(alphabet="abkKsS-.1 \n_\u212a\u017f", max_size=8))
def test_a_match_starts_with_a_character_the_pattern_can_start_with(
        source: str, flags: int, text: str) -> None:
    try:
        pattern = re.compile(source, flags)
    except re.error:
        return
    starts = lexing._starts(pattern)
    assert starts is not None, source
    chars, empty = starts
    for pos in range(len(text) + 1):
        found = pattern.match(text, pos)
        if found is None:
            continue
        if found.end() == pos:
            assert empty, (source, text, pos)
        elif text[pos].isascii():
            assert text[pos] in chars, (source, text, pos)
