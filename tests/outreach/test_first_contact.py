"""A fresh clone: the fictional samples show the feature, and every command agrees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kithpaths import REPO


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    root = tmp_path / "clone"
    root.mkdir()
    for name in ("site.yaml", "content", "contacts", "layouts", "feed-ids.yaml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copy(source, root / name)
    for own in (root / "contacts").glob("*.yaml"):  # only README.md and sample/ are committed
        own.unlink()
    if not (root / "contacts/sample").is_dir():
        pytest.skip("no contacts/sample in this checkout")
    return root


def test_every_command_uses_the_samples_and_says_so(kith, clone: Path) -> None:  # type: ignore[no-untyped-def]
    note = ("note: using the fictional samples in contacts/sample/: add your own contacts "
            "to contacts/ (see contacts/README.md)\n")
    code, out, err = kith("build", root=clone)
    assert code == 0 and "outreach: using the fictional samples in contacts/sample/" in out
    built = next(line for line in out.splitlines() if "suggestions for" in line)
    for argv in (["share", "--all"], ["due"], ["plan"]):
        code, out, err = kith(*argv, "--today", "2026-11-25", root=clone)
        assert code == 0 and err == note, argv
        assert "sample-" in out, argv  # the same people the build found
    code, out, _ = kith("share", "--all", "--json", "--today", "2026-11-25", root=clone)
    assert '"contact": "sample-' in out
    assert "suggestions for" in built


def test_nothing_is_logged_for_a_fictional_person(kith, clone: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = kith("log", "touch", "sample-ada-example", root=clone)
    assert code == 1 and out == ""
    assert err.startswith("the contacts in contacts/sample/ are fictional examples")
    assert not (clone / "contacts/log").exists()


def test_an_empty_list_says_why(kith, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "fixtures/site", root)
    shutil.rmtree(root / "contacts")
    (root / "contacts").mkdir()
    (root / "contacts/a.yaml").write_text("name: A\ndo_not_contact: true\n", encoding="utf-8")
    (root / "contacts/b.yaml").write_text("name: B\nchannels: [{type: email, handle: b@x.org}]\n"
                                          "last_contacted: 2026-10\n", encoding="utf-8")
    (root / "contacts/d.yaml").write_text("name: D\nchannels: [{type: email, handle: d@x.org}]\n"
                                          "interests: [pottery]\n", encoding="utf-8")
    (root / "contacts/c.yaml").write_text("name: C\nsnooze_until: 2027-01-01\n"
                                          "channels: [{type: email, handle: c@x.org}]\n",
                                          encoding="utf-8")
    code, out, _ = kith("plan", "--today", "2026-11-25", root=root)
    assert (code, out) == (0, "nobody to get in touch with this week (2026-11-25): 4 contacts, "
                              "1 due (1 with no post that fits them; only circles 1-2 get a "
                              "personal note), 1 do_not_contact, 1 snoozed\n")
    (root / "contacts/d.yaml").unlink()
    code, out, _ = kith("due", "--today", "2026-11-25", root=root)
    assert out == ("nobody is due for a touch on 2026-11-25 (3 contacts, 0 due, "
                   "1 do_not_contact, 1 snoozed)\n")
