"""Every YAML file Kith reads: alias budget, exact lines, unclosed quotes, duplicate keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.yamlio import ALIAS_BUDGET, MAX_DEPTH, YamlProblem, load_yaml

BOMB_MESSAGE = (f"invalid YAML: aliases expand to more than {ALIAS_BUDGET:,} values beyond "
                "those written out")
BOMB_HINT = ("  hint: each alias (*name) repeats its anchor's value (&name) in full; write the "
             "values out, or use fewer aliases")


def bomb(levels: int = 9, indent: str = "") -> list[str]:
    """Billion laughs: each line holds nine aliases of the line before."""
    lines = [f"{indent}a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{indent}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]"
              for i in range(1, levels + 1)]
    return lines


def problem(text: str, first_line: int = 1) -> tuple[int, str]:
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text, first_line, unique_keys=True)
    return caught.value.line, caught.value.message


def test_alias_bomb_is_refused_at_the_alias_that_breaks_the_budget() -> None:
    # a1 adds 90 values, a2 819, a3 7,380: the total passes 10,000 on a4's line.
    text = "title: x\n" + "\n".join(bomb()) + "\n"
    assert problem(text) == (6, BOMB_MESSAGE)
    assert problem(text, first_line=2) == (7, BOMB_MESSAGE)


def test_aliases_within_the_budget_are_expanded() -> None:
    # 9 aliases of a 1,001-value list add 9,009 values: allowed; a tenth passes the budget.
    items = ", ".join(["x"] * 1000)
    ok = f"a: &a [{items}]\nb: [{', '.join(['*a'] * 9)}]\n"
    assert len(load_yaml(ok)["b"]) == 9
    assert problem(ok.replace("*a]", "*a, *a]")) == (2, BOMB_MESSAGE)


def test_merge_keys_count_against_the_budget() -> None:
    lines = ["m0: &m0 {k: v}"] + [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 20)}]}}"
                                  for i in range(1, 6)]
    line, message = problem("\n".join(lines) + "\n")
    assert message == BOMB_MESSAGE and line <= 6
    assert load_yaml("base: &b {x: 1, y: 2}\nmine:\n  <<: *b\n  y: 3\n")["mine"] == {
        "x": 1, "y": 3}


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    assert problem("title: t\nloop: &l [1, *l]\n") == (
        2, "invalid YAML: an alias here refers to a value that contains it")


def test_nesting_is_bounded() -> None:
    fine = "v: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"  # and the mapping
    assert load_yaml(fine) is not None
    deep = "v: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert problem(deep) == (1, f"invalid YAML: nested more than {MAX_DEPTH} levels deep")
    # Past libyaml's own limit (1,000) and Python's recursion limit: still one message.
    deeper = "v: " + "[" * 5000 + "]" * 5000 + "\n"
    assert problem(deeper) == (1, f"invalid YAML: nested more than {MAX_DEPTH} levels deep")
    anchored = "a: &a [[[[1]]]]\nb: " + "[" * (MAX_DEPTH - 3) + "*a" + "]" * (MAX_DEPTH - 3)
    assert problem(anchored)[1] == f"invalid YAML: nested more than {MAX_DEPTH} levels deep"


def test_lines_stay_exact_with_aliases() -> None:
    text = "shared: &s\n  x: 1\n  y: 2\nagain: *s\nlast: [a, *s]\n"
    data = load_yaml(text, first_line=2)
    assert data.lines == {"shared": 2, "again": 5, "last": 6}
    assert data["again"] is data["shared"]
    assert data["shared"].lines == {"x": 3, "y": 4}  # where they are written, shifted once
    assert data["last"].lines == [6, 2]  # an alias's value is where its anchor is


def test_unclosed_quotes_and_brackets_are_reported_where_they_open() -> None:
    assert problem('title: "Half\ntags: [a, b]\nsummary: fine\n', first_line=2) == (
        2, "invalid YAML: a quoted value starts here and is never closed")
    assert problem("title: ok\nsummary: 'it is\n") == (
        2, "invalid YAML: a quoted value starts here and is never closed")
    assert problem("tags: [a, b\nx: 1\n") == (
        1, "invalid YAML: the [ that starts a list here is never closed")
    # Closed by the next value's opening quote: the parser stops two lines later.
    assert problem('title: "Half\ntags: [a]\nsummary: "Other"\n', first_line=2) == (
        2, "invalid YAML: a quoted value starts here and does not end on its line "
        "(YAML read on to line 4)")
    assert problem("a: 'it''s'\nb: c: d\n") == (2, "invalid YAML: mapping values are not "
                                                 "allowed here")
    assert problem("author: {name: x\n") == (
        1, "invalid YAML: the { that starts a mapping here is never closed")


def test_a_key_written_twice_is_an_error() -> None:
    assert problem("title: A\ntags: [x]\ntitle: B\n") == (
        3, "invalid YAML: the key 'title' appears twice in one mapping (first on line 1)")
    assert problem("- {a: 1, a: 2}\n") == (
        1, "invalid YAML: the key 'a' appears twice in one mapping (first on line 1)")
    assert problem("base: &b {x: 1}\nm:\n  <<: {y: 1}\n  y: 2\n  y: 3\n")[0] == 5
    # Contacts and the log warn about duplicates themselves: for them the last one wins.
    assert load_yaml("title: A\ntitle: B\n") == {"title": "B"}


def write_site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


CONFIG = "title: T\nbase_url: https://example.com/\nlanguage: en\n"


def test_bombs_in_front_matter_and_site_yaml_fail_the_build_cleanly(tmp_path: Path,
                                                                      capsys) -> None:
    root = write_site(tmp_path, {
        "site.yaml": CONFIG,
        "content/posts/2026-01-01-a.md": "---\ntitle: A\n" + "\n".join(bomb()) + "\n---\nx\n",
    })
    assert main(["-C", str(root), "build"]) == 1
    assert capsys.readouterr().err == (
        f"content/posts/2026-01-01-a.md:7: front matter: {BOMB_MESSAGE}\n{BOMB_HINT}\n"
        "build failed: 1 problem; the output folder was left as it was\n")
    (root / "site.yaml").write_text(CONFIG + "params:\n" + "\n".join(bomb(indent="  ")) + "\n")
    assert main(["-C", str(root), "build"]) == 1
    assert capsys.readouterr().err == (
        f"site.yaml:9: {BOMB_MESSAGE}\n{BOMB_HINT}\n"
        "build failed: 1 problem; the output folder was left as it was\n")


def test_bombs_in_contacts_and_the_log_are_reported(tmp_path: Path, capsys) -> None:
    inline = ("{a: &a [x,x,x,x,x,x,x,x,x,x], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], "
              "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b], d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]}")
    root = write_site(tmp_path, {
        "site.yaml": CONFIG,
        "content/posts/2026-01-01-a.md": "---\ntitle: A\n---\nx\n",
        "contacts/ada.yaml": "name: Ada\nnotes:\n" + "\n".join(bomb(indent="  ")) + "\n",
        "contacts/log/2026.yaml": f"- {inline}\n",
    })
    assert main(["-C", str(root), "contacts", "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"contacts/ada.yaml:7: {BOMB_MESSAGE}" in err
    assert f"contacts/log/2026.yaml:1: {BOMB_MESSAGE} (each log entry must be one complete line)" \
        in err


def test_a_raw_control_character_is_named_with_its_line() -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml('title: A\nlayout: "a\x00b"\n', first_line=2)
    assert (caught.value.line, caught.value.message, caught.value.hint) == (
        3, "invalid YAML: character #x0000 is not allowed (control characters must be "
        "written as escapes)", 'inside double quotes write it as "\\x00", or delete it')
    assert problem("a: 1\nb: x\x7fy\n") == (
        2, "invalid YAML: character #x007f is not allowed (control characters must be "
        "written as escapes)")
