"""`kith log`: exactly one new line per call, earlier lines never rewritten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.outreach.contacts import load_book
from generator.outreach.log import append_entry, format_entry
from generator.yamlio import load_yaml

LOG = Path("contacts/log/2026.yaml")


def test_log_appends_one_flow_mapping_line(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    before = (site_root / LOG).read_bytes()
    code, out, err = kith("log", "share", "alice-chen", "--post", "k8s-bill", "--channel",
                          "wechat", "--date", "2026-11-20", root=site_root)
    assert (code, err) == (0, "")
    assert out == "logged share for alice-chen (k8s-bill) in contacts/log/2026.yaml\n"
    after = (site_root / LOG).read_bytes()
    assert after.startswith(before)
    assert after[len(before):] == (b"- {date: 2026-11-20, contact: alice-chen, kind: share, "
                                   b"post: k8s-bill, channel: wechat}\n")


def test_log_accepts_a_url_or_source_path_for_the_post(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    for post in ("https://example.org/blog/zh/posts/k8s-bill/",
                 "content/posts/2026-05-10-raft-notes.md"):
        code, _, err = kith("log", "skip", "bob-li", "--post", post, "--date", "2026-11-21",
                            root=site_root)
        assert (code, err) == (0, "")
    lines = (site_root / LOG).read_text(encoding="utf-8").splitlines()
    assert lines[-2:] == ["- {date: 2026-11-21, contact: bob-li, kind: skip, post: k8s-bill}",
                          "- {date: 2026-11-21, contact: bob-li, kind: skip, post: raft-notes}"]


def test_log_creates_the_year_file(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = kith("log", "chat", "bob-li", "--date", "2019-01-03", root=site_root)
    assert code == 0
    assert (site_root / "contacts/log/2019.yaml").read_text(encoding="utf-8") == \
        "- {date: 2019-01-03, contact: bob-li, kind: chat}\n"


def test_a_day_in_the_future_is_not_logged(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    """'--date 2030-01-01' (a typo for 2020?) was logged, and hid the person from the
    plan for years; contacts check warned only later."""
    before = sorted(p.name for p in (site_root / "contacts/log").iterdir())
    code, _, err = kith("log", "chat", "bob-li", "--date", "2999-01-03", root=site_root)
    assert (code, err) == (1, "--date: 2999-01-03 is in the future; nothing was logged\n"
                              "  hint: the log records what happened: give the day it did, "
                              "today or earlier\n")
    assert sorted(p.name for p in (site_root / "contacts/log").iterdir()) == before


def test_log_defaults_to_today_in_the_site_time_zone(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = kith("log", "touch", "bob-li", root=site_root)
    assert code == 0
    # SOURCE_DATE_EPOCH is not consulted for the log: a log records real days.
    year = dt.date.today().year
    assert "contact: bob-li, kind: touch}" in (
        site_root / f"contacts/log/{year}.yaml").read_text(encoding="utf-8")


def test_log_refuses_unknown_contacts_without_echoing_them(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    before = (site_root / LOG).read_bytes()
    code, out, err = kith("log", "chat", "zed-secret-name", root=site_root)
    assert code == 1 and out == ""
    assert "zed-secret-name" not in err
    assert "no contact with that id" in err
    code, _, err = kith("log", "share", "bob-li", root=site_root)
    assert code == 1 and "needs --post" in err
    code, _, err = kith("log", "share", "bob-li", "--post", "k8s-bil", root=site_root)
    assert code == 1 and "did you mean 'k8s-bill'?" in err
    assert (site_root / LOG).read_bytes() == before


def test_a_missing_newline_at_the_end_is_not_joined(site_root: Path) -> None:
    path = site_root / LOG
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    append_entry(site_root, dt.date(2026, 11, 22), "bob-li", "chat")
    assert path.read_text(encoding="utf-8").splitlines()[-2:] == [
        "- {date: 2026-09-01, contact: [gus-due, bob-li], kind: note, note: reunion next spring}",
        "- {date: 2026-11-22, contact: bob-li, kind: chat}"]


@pytest.mark.parametrize("note", [
    'she said "no rush", then: #1 {ok}',
    "two\nlines\rand\u2028separators\u2029here\x85too",
    "yes", "2026-01-01", "- [not, a, list]", "引号「」和：冒号",
])
def test_notes_stay_on_one_line_and_read_back_exactly(site_root: Path, note: str) -> None:
    path, line = append_entry(site_root, dt.date(2026, 11, 23), "bob-li", "chat", note=note)
    assert "\n" not in line and len(line.splitlines()) == 1
    last = path.read_text(encoding="utf-8").split("\n")[-2]
    assert last == line
    assert load_yaml(line)[0]["note"] == note
    book = load_book(site_root)
    assert book.problems == ()
    assert [t.note for t in book.touches if t.date == dt.date(2026, 11, 23)] == [note]


def test_ids_that_yaml_would_misread_are_quoted() -> None:
    line = format_entry(dt.date(2026, 1, 1), "yes", "chat", post="2024")
    assert load_yaml(line)[0] == {"date": "2026-01-01", "contact": "yes", "kind": "chat",
                                  "post": "2024"}


def test_a_full_disk_leaves_the_log_as_it_was(kith, site_root: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Found filling a small file system while logging: the write stopped half-way, the
    log kept half a line (a broken entry from then on) and kith printed a traceback."""
    import errno
    import os

    before = (site_root / LOG).read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if len(data) > 10:
            real_write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", half_then_full)
    code, out, err = kith("log", "touch", "alice-chen", "--note", "a long note, " * 20,
                          "--date", "2026-11-20", root=site_root)
    monkeypatch.undo()
    assert (code, out) == (1, "")
    assert err == ("contacts/log/2026.yaml: cannot write the log (No space left on device); "
                   "nothing was logged\n  hint: free some space or check the folder's "
                   "permissions, then run the same command again\n")
    assert (site_root / LOG).read_bytes() == before


def test_two_kith_log_runs_at_once_never_mix_lines(tmp_path: Path) -> None:
    """Three processes append 40 long lines each: every line reads back whole, none is
    blank (before the lock, a run could read the end of the file mid-write and add an
    empty line)."""
    import subprocess
    import sys

    root = tmp_path / "site"
    (root / "contacts").mkdir(parents=True)
    (root / "contacts/a.yaml").write_text("name: A\n", encoding="utf-8")
    script = ("import datetime, sys\nfrom pathlib import Path\n"
              "from generator.outreach.log import append_entry\n"
              "for i in range(40):\n"
              "    append_entry(Path(sys.argv[1]), datetime.date(2026, 1, 1), 'a', 'touch',"
              " note=sys.argv[2] + str(i) + ' ' + 'é' * 20000)\n")
    repo = Path(__file__).resolve().parents[2]
    runs = [subprocess.Popen([sys.executable, "-c", script, str(root), who], cwd=repo)
            for who in "xyz"]
    assert [run.wait() for run in runs] == [0, 0, 0]
    lines = (root / LOG).read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and "" not in lines[:-1] and len(lines) == 121
    book = load_book(root)
    assert book.problems == () and book.log_entries == 120
    notes = sorted(t.note.split(" ")[0] for t in book.touches)
    assert notes == sorted(f"{who}{i}" for who in "xyz" for i in range(40))
