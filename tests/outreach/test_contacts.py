"""Contacts and log validation: every problem at once, `path:line`, never a value."""
# ruff: noqa: E501 (EXPECTED is the exact output, line for line)

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.outreach.contacts import load_book
from generator.outreach.model import Cadence
from generator.outreach.periods import parse_cadence, parse_partial

from .conftest import FIXTURES

EXPECTED = """\
contacts/aliases.yaml:2: each alias must map a term to a term or a list of terms
  hint: e.g. k8s: kubernetes, or kubernetes: [k8s, 容器编排]
contacts/broken.yaml:2: invalid YAML: a quoted value starts here and is never closed
  hint: check indentation, and quote values containing ': ' or '#'
contacts/log/2026.yaml:2: 'contact' names no contact
  hint: use the contact's file name without .yaml; run 'kith contacts check'
contacts/log/2026.yaml:3: 'post' names no post of this site
  hint: use the key 'kith share --all' prints (the slug, without date or language)
contacts/log/2026.yaml:4: 'kind' is not a known kind
  hint: did you mean 'share'?
contacts/log/2026.yaml:5: a 'skip' entry needs 'post': the post's key
contacts/log/2026.yaml:6: 'contact' item 2 names no contact
  hint: use the contact's file name without .yaml; run 'kith contacts check'
contacts/log/2026.yaml:6: unknown key (not shown, in case it is private)
  hint: allowed: channel, contact, date, kind, note, post
contacts/log/2026.yaml:7: 'channel' is not a channel type
  hint: did you mean 'wechat'?
contacts/log/2026.yaml:7: 'date' is not a real date
  hint: check the month and the day
contacts/log/2026.yaml:8: invalid YAML: expected the node content, but found (…) (each log entry must be one complete line)
  hint: e.g. - {date: 2026-11-20, contact: alice-chen, kind: share, post: raft-log}
contacts/log/2026.yaml:9: each log entry must be one line: a '- ' and a {...} mapping
  hint: e.g. - {date: 2026-11-20, contact: alice-chen, kind: share, post: raft-log}
contacts/log/notes.txt: warning: not a log file; it is ignored
  hint: log files are named YYYY.yaml
contacts/noname.yaml: missing required key 'name'
  hint: add 'name: Their Name'
contacts/team/typo.yaml: contact id already used by contacts/typo.yaml
  hint: ids are file names and must be unique across contacts/; rename one file
contacts/typo.yaml:4: unknown key 'do_not_contac'
  hint: did you mean 'do_not_contact'?
contacts/typo.yaml:5: unknown key 'intrests'
  hint: did you mean 'interests'?
contacts/values.yaml:2: 'languages' item 2 is not a language code
  hint: use BCP-47 codes such as en, zh, zh-Hant, ja
contacts/values.yaml:3: 'timezone' is not a known IANA time zone
  hint: e.g. Asia/Shanghai, Europe/London, America/New_York
contacts/values.yaml:4: unknown org key 'titel'
  hint: did you mean 'title'?
contacts/values.yaml:6: 'channels' item 1: unknown channel type
  hint: did you mean 'wechat'?
contacts/values.yaml:7: 'channels' item 2 needs a 'handle' (text)
  hint: the address, user name or number to reach them at
contacts/values.yaml:8: 'channels' item 3: 'ok' must be true or false
contacts/values.yaml:9: 'circle' must be a whole number from 1 (closest) to 5 (distant)
contacts/values.yaml:10: 'interests' item 2: 'weight' must be 1, 2 or 3
contacts/values.yaml:10: 'interests' item 3 needs a 'topic' (text)
contacts/values.yaml:12: 'history' item 1: 'when' must be a date (2024-05-31), a month (2024-05), a year (2024), a quarter (2024-Q2 or Q2 2024) or a half (2024-H1)
contacts/values.yaml:13: 'history' item 2 must be a mapping
  hint: e.g. {label: our HSBC project, when: 2020}
contacts/values.yaml:14: 'how_we_met.via' names no contact
  hint: use another contact's id: its file name without .yaml
contacts/values.yaml:15: 'cadence' is not valid: expected a duration like 30d, 6m or 1y, or none
contacts/values.yaml:16: 'last_contacted' is not a real date
  hint: check the month and the day
contacts/values.yaml:17: 'snooze_until' must be a date (2024-05-31), a month (2024-05), a year (2024), a quarter (2024-Q2 or Q2 2024) or a half (2024-H1)
contacts/values.yaml:18: 'do_not_contact' must be true or false
"""

# Values written in fixtures/invalid that must never be echoed.
PRIVATE_VALUES = ["english please", "Mars/Olympus_Mons", "wechatt", "values_handle", "maybe",
                  "last summer", "just a string", "nobody-here", "sometimes", "2024-13",
                  "soon", "perhaps", "no-such-person", "no-such-post", "shared", "nobody",
                  "mood", "2026-02-30", "unterminated", "nested", "Typo Person", "CTO"]


def test_every_problem_is_reported_with_file_line_and_key() -> None:
    book = load_book(FIXTURES / "invalid", post_keys={"hello"})
    assert "\n".join(str(p) for p in book.problems) == EXPECTED.rstrip("\n")


def test_no_problem_quotes_a_value() -> None:
    book = load_book(FIXTURES / "invalid", post_keys={"hello"})
    text = "\n".join(str(p) for p in book.problems)
    for value in PRIVATE_VALUES:
        assert value not in text, value


def test_contacts_check_exit_codes(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = kith("contacts", "check", root=site_root)
    assert (code, err) == (0, "")
    assert out == "contacts: 14 contacts, 4 log entries, 0 aliases: no problems\n"
    code, out, err = kith("contacts", "check", root=FIXTURES / "invalid")
    assert code == 1
    assert err.endswith("contacts: 0 contacts, 9 log entries, 1 alias: 32 problems, 1 warning\n")
    assert "unknown key 'do_not_contac'\n  hint: did you mean 'do_not_contact'?" in err


def test_a_stray_key_is_not_shown() -> None:
    # 'alice: likes k8s' (a private line that lost its indentation) is no near-typo.
    from generator.outreach.contacts import parse_contact

    problems: list = []
    parse_contact("x", "contacts/x.yaml", _yaml("name: X\nalice: likes k8s\n"), problems)
    assert [str(p) for p in problems] == [
        "contacts/x.yaml:2: unknown key (not shown, in case it is private)\n"
        "  hint: did you mean 'aliases'?"]


def _yaml(text: str):  # type: ignore[no-untyped-def]
    from generator.yamlio import load_yaml

    return load_yaml(text)


def test_the_fixture_site_loads_cleanly() -> None:
    book = load_book(FIXTURES / "site", post_keys={"k8s-bill", "raft-notes", "fund-notes",
                                                   "tech-group", "sourdough"})
    assert book.problems == ()
    assert "carol-wu" in book.contacts  # sub-folders group contacts
    alice = book.contacts["alice-chen"]
    assert alice.cadence == Cadence(6, "m")
    assert alice.last_contacted == dt.date(2025, 6, 30)
    assert alice.channel is not None and alice.channel.type == "wechat"
    assert repr(alice) == "Contact('alice-chen')"  # no private field in a repr
    assert len([t for t in book.touches if t.kind == "note"]) == 2  # a list of contacts


def test_a_nested_contacts_folder_is_left_out(site_root: Path) -> None:
    sample = site_root / "contacts" / "sample"
    (sample / "log").mkdir(parents=True)
    (sample / "ada.yaml").write_text("name: Ada Example\n", encoding="utf-8")
    (sample / "log" / "2026.yaml").write_text("- {date: 2026-01-01, contact: ada, kind: chat}\n",
                                              encoding="utf-8")
    book = load_book(site_root)
    assert "ada" not in book.contacts
    assert book.skipped == ("contacts/sample/",)
    assert book.problems == ()


def test_the_repos_own_sample_contacts_are_valid(tmp_path: Path) -> None:
    from kithpaths import REPO

    from generator.build import load_site

    sample = REPO / "contacts" / "sample"
    if not sample.is_dir():
        pytest.skip("no contacts/sample in this checkout")
    # sample/ is a contacts folder of its own (it has a log/): check it as one, against
    # the repo's own posts, and make sure the repo's contacts/ leaves it out.
    assert "contacts/sample/" in load_book(REPO).skipped
    shutil.copytree(sample, tmp_path / "contacts")
    site = load_site(REPO)
    keys = {page.key for pages in site.posts.values() for page in pages}
    book = load_book(tmp_path, keys)
    assert [str(p) for p in book.problems] == []
    assert book.contacts


@pytest.mark.parametrize(("text", "day"), [
    ("2024-05-31", dt.date(2024, 5, 31)), ("2024-05", dt.date(2024, 5, 31)),
    ("2024-02", dt.date(2024, 2, 29)), ("2024", dt.date(2024, 12, 31)),
    ("2024-Q2", dt.date(2024, 6, 30)), ("2024-q4", dt.date(2024, 12, 31)),
    (2024, dt.date(2024, 12, 31)), ("Q2 2024", dt.date(2024, 6, 30)),
    ("q3-2024", dt.date(2024, 9, 30)), ("2024 Q1", dt.date(2024, 3, 31)),
    ("2024Q4", dt.date(2024, 12, 31)), ("H1 2024", dt.date(2024, 6, 30)),
    ("2024-H2", dt.date(2024, 12, 31)), ("2024/05", dt.date(2024, 5, 31)),
    ("2024/5/3", dt.date(2024, 5, 3)),
])
def test_partial_dates_mean_the_end_of_their_period(text: object, day: dt.date) -> None:
    assert parse_partial(text) == day


@pytest.mark.parametrize("text", ["2024-13", "2024-02-30", "Q5 2024", "2024-H3", "last year",
                                  "", True])
def test_bad_dates_are_refused_without_quoting_them(text: object) -> None:
    with pytest.raises(ValueError) as info:
        parse_partial(text)
    assert str(text) not in str(info.value) or text in ("", True)


def test_cadences() -> None:
    assert parse_cadence("30d") == Cadence(30, "d")
    assert parse_cadence("6m").after(dt.date(2025, 8, 31)) == dt.date(2026, 2, 28)
    assert parse_cadence("1y").after(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert parse_cadence("none") is None
    with pytest.raises(ValueError):
        parse_cadence("often")
