"""Input that forgives one mistake: one bad file costs one person, warnings say what looks wrong."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.outreach.contacts import load_book
from generator.outreach.log import append_entry, closest_id
from generator.yamlio import load_yaml

from .conftest import TODAY


def write(root: Path, name: str, text: str) -> None:
    (root / "contacts" / name).write_text(text, encoding="utf-8")


def test_a_broken_file_is_left_out_and_everyone_else_works(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    write(site_root, "zz-broken.yaml", "name: [unclosed\n")
    write(site_root, "zz-typo.yaml", "name: Zed\ncircle: seven\n")
    code, out, err = kith("share", "k8s-bill", "--today", "2026-11-25", root=site_root)
    assert code == 0 and "1. Alice Chen (alice-chen)" in out
    assert "contacts/zz-broken.yaml:1: invalid YAML"  # where [ opened in err
    assert "contacts/zz-typo.yaml:2: 'circle' must be a whole number" in err
    assert "left out 2 contact files with errors; everyone else is included" in err
    for argv in (["due"], ["plan"]):
        code, out, err = kith(*argv, "--today", "2026-11-25", root=site_root)
        assert code == 0 and "alice-chen" in out and "zz-typo.yaml" in err
    code, _, err = kith("contacts", "check", root=site_root)
    assert code == 1 and "2 problems" in err


def test_the_build_succeeds_and_says_outreach_had_problems(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    write(site_root, "zz-broken.yaml", "name: [unclosed\n")
    code, out, err = kith("build", root=site_root)
    assert code == 0
    assert out.startswith("built ") and "outreach: 5 share lists in outreach/" in out
    assert "contacts/zz-broken.yaml:1: invalid YAML"  # where [ opened in err
    assert err.rstrip().endswith("outreach had 1 problem (the public site was built; run "
                                 "'kith contacts check')")
    assert (site_root / "_site/index.html").is_file()


def test_warnings_for_what_looks_wrong(site_root: Path) -> None:
    write(site_root, "zz-warn.yaml", "name: Wen\nlanguages: [cn, jp, zh-Hant]\n"
          "circle: 3\ncircle: 2\nlast_contacted: 2027-03-01\nadded: 2027-01\n"
          "channels: [{type: wechat, handle: Alice_Fixture}]\n")
    log = site_root / "contacts/log/2026.yaml"
    log.write_text(log.read_text(encoding="utf-8") +
                   "- {date: 2026-12-24, contact: bob-li, kind: chat, kind: call}\n",
                   encoding="utf-8")
    book = load_book(site_root, today=TODAY)
    shown = [str(p) for p in book.problems]
    assert shown == [
        "contacts/log/2026.yaml:5: warning: duplicate key 'kind': this value replaces the one "
        "on line 5\n  hint: keep one of them",
        "contacts/log/2026.yaml:5: warning: this entry is dated in the future\n"
        "  hint: it counts from that day on",
        "contacts/zz-warn.yaml: warning: a wechat handle here is also in "
        "contacts/alice-chen.yaml\n  hint: one person in two files? merge them; otherwise fix "
        "the handle",
        "contacts/zz-warn.yaml:2: warning: 'languages' item 1 is not a known language code\n"
        "  hint: did you mean 'zh'?",
        "contacts/zz-warn.yaml:2: warning: 'languages' item 2 is not a known language code\n"
        "  hint: did you mean 'ja'?",
        "contacts/zz-warn.yaml:4: warning: duplicate key 'circle': this value replaces the one "
        "on line 3\n  hint: keep one of them",
        "contacts/zz-warn.yaml:5: warning: 'last_contacted' is in the future\n"
        "  hint: a touch cannot be later than today; it is ignored until then",
        "contacts/zz-warn.yaml:6: warning: 'added' is in the future\n"
        "  hint: they count as added from that day"]
    assert "zz-warn" in book.contacts and book.contacts["zz-warn"].circle == 2
    assert book.errors == []


def test_a_private_duplicate_key_is_not_named(site_root: Path) -> None:
    write(site_root, "zz-dup.yaml", "name: X\nnotes: a\nalice: 1\nalice: 2\n")
    text = "\n".join(str(p) for p in load_book(site_root).problems)
    assert "alice" not in text and "duplicate key (not shown, in case it is private)" in text


def test_partial_dates_as_people_write_them(site_root: Path) -> None:
    write(site_root, "zz-q.yaml", "name: Q\nlast_contacted: Q2 2024\n")
    write(site_root, "zz-h.yaml", "name: H\nlast_contacted: 2024-H1\n")
    book = load_book(site_root)
    assert book.contacts["zz-q"].last_contacted == dt.date(2024, 6, 30)
    assert book.contacts["zz-h"].last_contacted == dt.date(2024, 6, 30)


def test_settings_change_the_circles_cadence_and_the_plan_size(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    (site_root / "contacts/settings.yaml").write_text("cadence: {3: 1y}\nplan_size: 1\n",
                                                     encoding="utf-8")
    write(site_root, "zz-three.yaml", "name: Three\ncircle: 3\n")
    book = load_book(site_root)
    assert str(book.contacts["zz-three"].cadence) == "1y"
    assert str(book.contacts["carol-wu"].cadence) == "12m"  # her own cadence wins
    assert book.settings.plan_size == 1 and "settings" not in book.contacts
    code, out, _ = kith("plan", "--today", "2026-11-25", root=site_root)
    assert code == 0 and out.startswith("this week (2026-11-25): 1 of at most 1")
    code, out, _ = kith("plan", "--size", "3", "--today", "2026-11-25", "--json", root=site_root)
    assert code == 0 and out.count('"command"') <= 3
    (site_root / "contacts/settings.yaml").write_text("cadence: {9: 1y, 2: often}\nplan: 3\n",
                                                     encoding="utf-8")
    assert [str(p) for p in load_book(site_root).problems] == [
        "contacts/settings.yaml:1: 'cadence' for circle 2 is not valid: expected a duration "
        "like 30d, 6m or 1y, or none",
        "contacts/settings.yaml:1: 'cadence' keys are circles: 1, 2, 3, 4 or 5",
        "contacts/settings.yaml:2: unknown key (not shown, in case it is private)\n"
        "  hint: did you mean 'plan_size'?"]
    # A line pasted into the wrong file is private like any other in contacts/: found
    # with 'my friend alice: likes k8s' in settings.yaml, which was printed as the key.
    (site_root / "contacts/settings.yaml").write_text("my friend alice: likes k8s\n",
                                                     encoding="utf-8")
    assert [str(p) for p in load_book(site_root).problems] == [
        "contacts/settings.yaml:1: unknown key (not shown, in case it is private)\n"
        "  hint: allowed: cadence, plan_size"]


def test_what_is_easy_to_get_wrong_gets_a_clear_message(site_root: Path) -> None:
    """Found writing a network by hand: an empty file was left out by 'kith share' ("left
    out 1 contact file with errors") while 'kith contacts check' said "no problems"; a
    comma inside {...} ('where: DroidKaigi, Tokyo', the writer's own 'last chat Q2 2024,
    follow up in 6 months') gave an unknown key with no hint why; 'languages: cn' written
    without a list had no line; one person in two files (by name) went unnoticed."""
    write(site_root, "empty.yaml", "# to do\n\n")
    write(site_root, "comma.yaml", "name: Comma\nhow_we_met: {when: 2019, where: DroidKaigi, "
          "Tokyo}\nlanguages: cn\n")
    write(site_root, "alice-again.yaml", "name: 陈爱丽\n")
    with (site_root / "contacts/log/2026.yaml").open("a", encoding="utf-8") as log:
        log.write("- {date: 2026-11-02, contact: bob-li, kind: chat, note: last chat Q2 2024, "
                  "follow up in 6 months}\n")
    book = load_book(site_root)
    lines = (site_root / "contacts/log/2026.yaml").read_text(encoding="utf-8").count("\n")
    assert [str(p) for p in book.problems] == [
        "contacts/alice-chen.yaml: warning: a name here is also in contacts/alice-again.yaml\n"
        "  hint: one person in two files? merge them; otherwise fix the name or alias",
        "contacts/comma.yaml:2: unknown how_we_met key (not shown, in case it is private)\n"
        "  hint: a comma inside {...} ends a value: put the value before it in quotes "
        "(where: \"DroidKaigi, Tokyo\")",
        "contacts/comma.yaml:3: warning: 'languages' item 1 is not a known language code\n"
        "  hint: did you mean 'zh'?",
        "contacts/empty.yaml: the file is empty; it is left out\n"
        "  hint: a contact needs at least 'name: Their Name'",
        f"contacts/log/2026.yaml:{lines}: unknown key (not shown, in case it is private)\n"
        "  hint: a comma inside {...} ends a value: put the value before it in quotes "
        "(note: \"last chat Q2 2024, follow up in 6 months\")"]
    assert book.left_out == ("contacts/comma.yaml", "contacts/empty.yaml")


def test_a_file_that_is_not_utf8_is_named_with_its_line_and_byte(site_root: Path) -> None:
    """As content/ says it: the line and the byte, not an offset ('(byte 0)')."""
    (site_root / "contacts/latin.yaml").write_bytes(b"name: Ren\xe9e\n")
    (site_root / "contacts/log/2025.yaml").write_bytes(b"# log\n\n\xff\n")
    problems = [str(p) for p in load_book(site_root).problems]
    assert "contacts/latin.yaml:1: not valid UTF-8 (byte 0xe9)\n  hint: save the file as " \
        "UTF-8" in problems
    assert "contacts/log/2025.yaml:3: not valid UTF-8 (byte 0xff)\n  hint: save the file " \
        "as UTF-8" in problems


def test_kith_log_suggests_the_closest_id(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    (site_root / "contacts/li-na.yaml").write_text("name: Li Na\n", encoding="utf-8")
    code, out, err = kith("log", "touch", "lina", root=site_root)
    assert (code, out) == (1, "")
    assert err == "no contact with that id in contacts/\n  hint: did you mean 'li-na'?\n"
    assert closest_id("Li Na", {"li-na", "bob-li"}) == "did you mean 'li-na'?"
    assert closest_id("alice-chn", {"alice-chen"}) == "did you mean 'alice-chen'?"
    assert closest_id("zed", {"alice-chen"}) == ""


def test_a_note_with_control_bytes_is_stored_or_refused(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = kith("log", "chat", "bob-li", "--note", "del\x7fbell\x07nul\x00",
                          "--date", "2026-11-24", root=site_root)
    assert (code, err) == (0, "")
    book = load_book(site_root)
    assert book.problems == ()
    assert [t.note for t in book.touches if t.date == dt.date(2026, 11, 24)] == \
        ["del\x7fbell\x07nul\x00"]
    code, _, err = kith("log", "chat", "bob-li", "--note", "bad \udcff byte", root=site_root)
    assert code == 1 and "Traceback" not in err
    assert err == ("--note: the note is not valid text (bytes that are not UTF-8)\n"
                   "  hint: write the note again in plain text\n")


@settings(max_examples=150, deadline=None)
@given(note=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1,
                    max_size=40))
def test_any_note_reads_back_exactly(tmp_path_factory, note: str) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("log")
    (root / "contacts").mkdir()
    (root / "contacts/x.yaml").write_text("name: X\n", encoding="utf-8")
    path, line = append_entry(root, dt.date(2026, 1, 2), "x", "chat", note=note)
    assert len(line.splitlines()) == 1 and "\n" not in line
    assert load_yaml(line)[0]["note"] == note
    assert [t.note for t in load_book(root).touches] == [note]
    path.unlink()


@pytest.mark.parametrize("cid", ["0x1f", "0b101", "0o17", "1e3", "true", "on", "null", "~",
                                 "2026-01-01", "1_000", "12:30", "+1", "张 三"])
def test_any_contact_id_is_logged_and_read_back(tmp_path: Path, cid: str) -> None:
    """Found attacking 'kith log' with odd file names: 'kith log touch 0x1f' (and 0b101)
    stopped with an internal error, because YAML 1.1 reads 0x1f as the integer 31."""
    (tmp_path / "contacts").mkdir()
    (tmp_path / f"contacts/{cid}.yaml").write_text("name: X\n", encoding="utf-8")
    append_entry(tmp_path, dt.date(2026, 1, 2), cid, "touch")
    book = load_book(tmp_path)
    assert book.problems == () and [t.contact for t in book.touches] == [cid]


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
       .filter(lambda t: "/" not in t and t.strip() == t and not t.startswith((".", "_"))))
def test_any_file_name_makes_a_log_line_that_reads_back(tmp_path_factory, cid: str) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("ids")
    line = append_entry(root, dt.date(2026, 1, 2), cid, "touch")[1]
    assert load_yaml(line)[0]["contact"] == cid


def test_outreach_output_into_a_closed_pipe_is_quiet(site_root: Path, tmp_path: Path) -> None:
    # 'kith share | head': the reader is gone before kith writes (here: 'true' reads nothing).
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for command in ("share --all", "due", "plan", "contacts check", "share --json --all"):
        today = "" if command.startswith("contacts") else " --today 2026-11-25"
        err = tmp_path / "err.txt"
        subprocess.run(f"{sys.executable} -m generator -C {site_root} {command}{today} "
                       f"2>{err} | true", shell=True, env=env, check=False, timeout=120)
        text = err.read_text(encoding="utf-8")
        assert "Traceback" not in text and "BrokenPipe" not in text, (command, text)


def test_output_onto_a_full_disk_is_an_error_not_a_traceback(site_root: Path,
                                                            tmp_path: Path) -> None:
    """Found sending 'kith share --all' to /dev/full: a traceback (OSError: No space left
    on device) and a second one at exit when Python flushed stdout again."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for command in ("share --all --today 2026-11-25", "plan --today 2026-11-25"):
        run = subprocess.run(f"{sys.executable} -m generator -C {site_root} {command} "
                             ">/dev/full", shell=True, env=env, check=False, timeout=120,
                             capture_output=True, text=True)
        assert run.returncode == 1, command
        assert run.stderr == ("cannot write the output (No space left on device)\n"
                              "  hint: free some space where the output goes\n"), command


def test_hostile_files_cost_one_file_each(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    contacts = site_root / "contacts"
    (contacts / "deep.yaml").write_text("name: D\nnotes: " + "[" * 5000 + "]" * 5000 + "\n",
                                        encoding="utf-8")
    os.symlink("..", contacts / "friends" / "up")  # a loop: contacts/friends/up -> contacts/
    os.symlink(".", contacts / "friends" / "self")
    (contacts / "bomb.yaml").write_text(
        "name: Bomb\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
        encoding="utf-8")
    bad_name = os.fsencode(str(contacts)) + b"/bad\xffname.yaml"
    with open(bad_name, "w", encoding="utf-8") as out:
        out.write("name: N\n")
    code, out, err = kith("build", root=site_root)
    assert code == 0 and "Traceback" not in err
    assert "contacts/deep.yaml:2: invalid YAML: nested more than 64 levels deep" in err
    assert "contacts/bad\ufffdname.yaml: the file name is not valid UTF-8" in err
    assert "contacts/bomb.yaml:2: unknown key (not shown, in case it is private)" in err
    # Found with 13 MB of notes: 'kith plan' took 67 s and 1.2 GB. Over 1 MB is left out.
    (site_root / "contacts/huge.yaml").write_text(
        "name: Huge\nnotes: |\n" + "  kafka and 银行\n" * 80_000, encoding="utf-8")
    code, out, err = kith("share", "k8s-bill", "--today", "2026-11-25", root=site_root)
    assert code == 0 and "1. Alice Chen (alice-chen)" in out
    assert "contacts/huge.yaml: larger than 1 MB; it is left out\n  hint: a contact needs a " \
        "few lines: keep long notes elsewhere" in err
