"""`kith contacts import`: vCard, LinkedIn and CSV exports -> skeletons, never overwriting."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from generator.outreach.addressbook import import_files
from generator.outreach.contacts import load_book

from .conftest import FIXTURES

IMPORTS = FIXTURES / "import"
ALL = ["google.vcf", "apple.vcf", "android.vcf", "Connections.csv", "plain.csv", "google.csv"]


def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "contacts").mkdir(parents=True)
    return root


def files(*names: str) -> list[str]:
    return [str(IMPORTS / name) for name in names]


def test_every_format_becomes_valid_skeletons_with_duplicates_merged(kith, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = fresh(tmp_path)
    code, out, err = kith("contacts", "import", *files(*ALL), root=root)
    assert code == 0
    created = sorted(p.name for p in (root / "contacts").glob("*.yaml"))
    # Alice is in four records (twice in Google, once in Apple and LinkedIn), Bob in two:
    # each is one file. Android's vCard 2.1 quoted-printable 王磊 is read, not garbled.
    assert created == ["alice-chen.yaml", "bob-li.yaml", "kevin-lau.yaml", "ong-wei-jie.yaml",
                       "priya-raman.yaml", "sato-yuki.yaml", "tan-wei.yaml", "zhou-ming.yaml",
                       "王磊.yaml"]
    assert out.endswith("contacts import: 9 new, 4 duplicates merged, 0 already in contacts/ "
                        "(left as they are); nothing overwritten\n")
    # A card and a row without a name are reported, by place only.
    assert "google.vcf: warning: card 4 has no name; left out" in err
    assert "plain.csv:5: warning: this row has no name; left out" in err
    assert "orphan_example" not in err and "nobody@example.com" not in err
    book = load_book(root)
    assert [str(p) for p in book.problems] == []
    alice = book.contacts["alice-chen"]
    assert alice.company == "Acme Bank" and alice.title == "Platform Lead"
    assert "陈爱丽" in alice.aliases
    assert {(c.type, c.handle) for c in alice.channels} >= {
        ("email", "alice.chen@example.com"), ("linkedin", "alice-chen-example"),
        ("wechat", "alice_wx88"), ("phone", "+86 138 0000 0001")}
    assert alice.notes.endswith("wrap onto a second line.")  # a folded line, unfolded
    assert alice.met_when == "2019-05-02" and alice.added is not None
    assert book.contacts["王磊"].name == "王磊"
    tan = book.contacts["tan-wei"]
    assert tan.company == "Example Streams, Pte. Ltd." and tan.met_where == "LinkedIn"
    assert {(c.type, c.handle) for c in book.contacts["ong-wei-jie"].channels} >= {
        ("x", "weijie_example")}


def test_reimport_is_a_no_op_and_nothing_is_overwritten(kith, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = fresh(tmp_path)
    assert kith("contacts", "import", *files(*ALL), root=root)[0] == 0
    before = {p.name: p.read_bytes() for p in (root / "contacts").glob("*.yaml")}
    code, out, _ = kith("contacts", "import", *files(*ALL), root=root)
    assert code == 0
    assert out == ("contacts import: 0 new, 4 duplicates merged, 9 already in contacts/ "
                   "(left as they are); nothing overwritten\n")
    assert {p.name: p.read_bytes() for p in (root / "contacts").glob("*.yaml")} == before


def test_existing_contacts_match_by_email_handle_or_alias(kith, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = fresh(tmp_path)
    (root / "contacts/ac.yaml").write_text(
        "name: 陈爱丽\naliases: [Alice Chen]\nchannels: [{type: wechat, handle: Alice_WX88}]\n",
        encoding="utf-8")
    (root / "contacts/bob.yaml").write_text(
        "name: Robert\nchannels: [{type: email, handle: bob.li@EXAMPLE.com}]\n", encoding="utf-8")
    code, _, _ = kith("contacts", "import", *files("apple.vcf", "plain.csv"), root=root)
    assert code == 0
    assert not (root / "contacts/alice-chen.yaml").exists()
    assert not (root / "contacts/bob-li.yaml").exists()
    assert (root / "contacts/ac.yaml").read_text(encoding="utf-8").startswith("name: 陈爱丽\n")


def test_an_id_in_use_gets_a_number(kith, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = fresh(tmp_path)
    (root / "contacts/zhou-ming.yaml").write_text("name: Another Zhou\n", encoding="utf-8")
    assert kith("contacts", "import", *files("plain.csv"), root=root)[0] == 0
    assert (root / "contacts/zhou-ming.yaml").read_text(encoding="utf-8") == \
        "name: Another Zhou\n"
    assert "name: \"Zhou Ming\"" in (root / "contacts/zhou-ming-2.yaml").read_text(
        encoding="utf-8")


def test_dry_run_writes_nothing(kith, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = fresh(tmp_path)
    code, out, _ = kith("contacts", "import", "--dry-run", *files("google.vcf"), root=root)
    assert code == 0 and "would write contacts/alice-chen.yaml" in out
    assert list((root / "contacts").iterdir()) == []


def test_unreadable_input_is_reported(kith, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = fresh(tmp_path)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("name\nJos\xe9\n".encode("latin-1"))
    headless = tmp_path / "numbers.csv"
    headless.write_text("1,2,3\n", encoding="utf-8")
    code, _, err = kith("contacts", "import", str(bad), str(headless),
                        str(tmp_path / "missing.vcf"), root=root)
    assert code == 1
    assert "latin1.csv: cannot read it (not UTF-8 text)" in err
    assert "numbers.csv: no header row with a name column" in err
    assert "missing.vcf: cannot read it (No such file or directory)" in err


def test_importing_next_to_existing_contacts_touches_none_of_them(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    before = {p: p.read_bytes() for p in (root / "contacts").rglob("*") if p.is_file()}
    result = import_files(root, [IMPORTS / "google.vcf"], today=dt.date(2026, 11, 25))
    assert result.existing == 2 and result.written == []  # Alice Chen and Bob Li are there
    for path, data in before.items():
        assert path.read_bytes() == data


def test_phone_exports_keep_every_word_of_a_value(kith, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """Found importing a phone's export: vobject kept only the text before the first
    unescaped comma (a NOTE, a TITLE, a NICKNAME), dropped a vCard 2.1 quoted-printable
    note that goes on over three lines, and logged the undecoded lines (private text)."""
    root = fresh(tmp_path)
    code, out, err = kith("contacts", "import", *files("odd.vcf"), root=root)
    assert code == 0
    assert out.endswith("contacts import: 3 new, 0 duplicates merged, 0 already in contacts/ "
                        "(left as they are); nothing overwritten\n")
    book = load_book(root)
    assert [str(p) for p in book.problems] == []
    huang = book.contacts["黄子轩"]
    assert huang.notes == "Fictional: met at DroidKaigi, Tokyo; 后来去了字节跳动，做 Flutter"
    assert [c.handle for c in huang.channels] == ["+86 135 0000 1234"]  # one number, twice
    marcus = book.contacts["marcus-example"]
    assert marcus.title == "Staff Engineer, Payments"
    assert marcus.notes == "Fictional. Likes Kafka, Flink and long walks"
    assert marcus.company == "Example, Inc."
    assert marcus.aliases == ("Marc", "Mr. M")
    # A Dropbox link is no X handle ('x.com' inside 'dropbox.com'); the card nested in
    # AGENT is not a person of its own; a file that ends without END:VCARD keeps its card.
    assert [(c.type, c.handle) for c in marcus.channels] == [("email", "marcus@example.com")]
    assert "last-card-example" in book.contacts and "nested-assistant" not in book.contacts
    assert err == "odd.vcf:26: warning: a line that is not a vCard property; left out\n"
    assert not [r for r in caplog.records if r.name.startswith("vobject")]
    for private in ("=E5", "DroidKaigi", "not a property"):
        assert private not in err


def test_linkedin_connections_get_their_profile_as_a_channel(tmp_path: Path) -> None:
    """Found importing a real Connections.csv: its URL column was ignored, so a connection
    with no public email had no channel at all and was never suggested."""
    root = fresh(tmp_path)
    import_files(root, [IMPORTS / "Connections.csv"], today=dt.date(2026, 11, 25))
    book = load_book(root)
    assert [(c.type, c.handle) for c in book.contacts["tan-wei"].channels] == [
        ("linkedin", "tan-wei-example")]
    assert [(c.type, c.handle) for c in book.contacts["priya-raman"].channels] == [
        ("email", "priya@example.com"), ("linkedin", "priya-raman-example")]
