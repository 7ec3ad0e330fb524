"""Privacy, proved: contacts never reach _site/, build output or error messages.

Canary strings are planted in every field of a contact, a log line and the
aliases; then the public output and everything the commands print are
searched for them, raw and escaped (HTML, URL, JSON), in file names too.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from generator.build import load_site
from generator.errors import KithError
from generator.outreach.folder import write_reports

from .conftest import TODAY

VALID_CANARY = """\
name: "Cnry01 名字 <b>&"
aliases: ["Cnry02 别名"]
greeting: "Cnry03"
languages: [en, zh]
city: "Cnry04 城"
timezone: Asia/Shanghai
org: {company: "Cnry05 Co", title: "Cnry06 title"}
channels:
  - {type: email, handle: "cnry07@example.com"}
  - {type: wechat, handle: "Cnry07b", ok: false}
circle: 3
interests: ["Cnry08 interest", {topic: "Cnry09 topic", weight: 2}, kubernetes, raft]
history:
  - {label: "Cnry10 label", when: 2020, tags: ["Cnry11 tag"]}
how_we_met: {when: 2019, where: "Cnry12 where", via: alice-chen}
notes: "Cnry13 notes 笔记 k8s raft"
taste: "Cnry14 taste"
avoid_topics: ["Cnry15 avoid"]
cadence: 6m
last_contacted: 2025-01
"""
VALID_LOG = ('- {date: 2026-01-05, contact: kanarie-x7q, kind: chat, channel: email, '
             'note: "Cnry16 note <script>"}\n')
VALID_ALIASES = '"Cnry17 alias": kubernetes\n'

INVALID_CANARY = """\
name: "Cnry20"
languages: ["Cnry21 lang"]
timezone: "Cnry22/Zone"
org: {company: "Cnry23", titl: "Cnry24"}
channels:
  - {type: "Cnry25type", handle: "Cnry26"}
  - "Cnry27 string"
circle: "Cnry28"
interests: [{topic: "Cnry29", weight: "Cnry30"}]
history:
  - {label: "Cnry31", when: "Cnry32", tags: {x: "Cnry33"}}
how_we_met: {via: "Cnry34"}
notes: ["Cnry35"]
taste: {a: "Cnry36"}
avoid_topics: {b: "Cnry37"}
cadence: "Cnry38"
last_contacted: "Cnry39"
snooze_until: "Cnry40"
do_not_contact: "Cnry41"
Cnry42key: "Cnry42 value"
"""
INVALID_LOG = """\
- {date: "Cnry43", contact: "Cnry44", kind: "Cnry45", post: "Cnry46", channel: "Cnry47", \
note: "Cnry48", Cnry49: x}
- {date: 2026-01-01, contact: [kanarie-bad, "Cnry50"], kind: share}
- Cnry51 not a mapping
- {date: 2026-01-01, contact: kanarie-bad, kind: chat, note: "Cnry52
Cnry53 continued"}
"""
INVALID_ALIASES = '"Cnry54": {x: "Cnry55"}\n'
BROKEN_YAML = 'name: "Cnry56\nnotes: [Cnry57\n'

CANARY = re.compile(r"cnry\d+|kanarie", re.IGNORECASE)
FULL_VALUES = ["Cnry01 名字 <b>&", "Cnry02 别名", "Cnry04 城", "Cnry13 notes 笔记 k8s raft",
               "Cnry16 note <script>"]


def plant_valid(root: Path) -> None:
    (root / "contacts/kanarie-x7q.yaml").write_text(VALID_CANARY, encoding="utf-8")
    with (root / "contacts/log/2026.yaml").open("a", encoding="utf-8") as log:
        log.write(VALID_LOG)
    (root / "contacts/aliases.yaml").write_text(VALID_ALIASES, encoding="utf-8")


def plant_invalid(root: Path) -> None:
    (root / "contacts/kanarie-bad.yaml").write_text(INVALID_CANARY, encoding="utf-8")
    (root / "contacts/kanarie-broken.yaml").write_text(BROKEN_YAML, encoding="utf-8")
    with (root / "contacts/log/2026.yaml").open("a", encoding="utf-8") as log:
        log.write(INVALID_LOG)
    (root / "contacts/aliases.yaml").write_text(INVALID_ALIASES, encoding="utf-8")


def forms(value: str) -> set[str]:
    """A value as it could appear in a published file."""
    return {value, html.escape(value), html.escape(value, quote=False), quote(value),
            quote_plus(value), json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
            value.encode("unicode_escape").decode()}


def assert_no_canary(text: str, where: str) -> None:
    found = CANARY.findall(text)
    assert not found, f"{where} leaks {found}"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_canary_contact_is_valid_and_gets_suggested(site_root: Path) -> None:
    plant_valid(site_root)
    site = load_site(site_root)
    lines, problems = write_reports(site, site_root, TODAY)
    assert problems == []
    assert len(lines) == 1 and lines[0].startswith("outreach: 5 share lists in outreach/")
    assert_no_canary(lines[0], "write_reports' summary")
    data = json.loads((site_root / "outreach/share.json").read_text(encoding="utf-8"))
    people = {s["contact"] for p in data["posts"] for s in p["suggestions"]}
    assert "kanarie-x7q" in people  # so the tests below really exercise a live contact


def test_drafts_never_quote_notes_taste_or_private_fields(site_root: Path) -> None:
    plant_valid(site_root)
    write_reports(load_site(site_root), site_root, TODAY)
    data = json.loads((site_root / "outreach/share.json").read_text(encoding="utf-8"))
    drafts = [s["draft"] for p in data["posts"] for s in p["suggestions"]
              if s["contact"] == "kanarie-x7q"]
    assert drafts
    for draft in drafts:
        for private in ("Cnry13", "Cnry14", "Cnry04", "Cnry05", "Cnry06", "Cnry12", "Cnry15",
                        "Cnry16", "cnry07", "Cnry07b", "Cnry02"):
            assert private not in draft


def test_public_site_is_byte_identical_with_and_without_contacts(
        site_root: Path, tmp_path: Path, kith) -> None:  # type: ignore[no-untyped-def]
    plant_valid(site_root)
    code, out, err = kith("build", "--output", str(tmp_path / "with"), root=site_root)
    assert code == 0, err
    assert "outreach: " in out
    for text, where in ((out, "build stdout"), (err, "build stderr")):
        assert_no_canary(text, where)
    (site_root / "contacts").rename(tmp_path / "contacts-away")
    code, out2, err2 = kith("build", "--output", str(tmp_path / "without"), root=site_root)
    assert code == 0, err2
    assert "outreach" not in out2
    with_contacts, without = tree(tmp_path / "with"), tree(tmp_path / "without")
    assert with_contacts == without
    for name, data in with_contacts.items():
        assert_no_canary(name, "a file name")
        text = data.decode("utf-8", errors="replace")
        assert_no_canary(text, name)
        for value in FULL_VALUES:
            for form in forms(value):
                assert form not in text, (name, form)


def test_error_paths_print_no_canary(site_root: Path, kith) -> None:  # type: ignore[no-untyped-def]
    plant_invalid(site_root)
    outputs = []
    # A broken file is left out with its message and the rest still works: only
    # 'contacts check' and the bad log commands fail; the build reports and succeeds.
    for argv, expected in ((["contacts", "check"], 1), (["share", "--all"], 0),
                           (["share", "raft-notes", "--json"], 0), (["due"], 0), (["plan"], 0),
                           (["build"], 0), (["log", "chat", "Cnry60"], 1),
                           (["log", "share", "bob-li", "--post", "Cnry61"], 1)):
        code, out, err = kith(*argv, root=site_root)
        assert code == expected, argv
        outputs.append((argv, out + err))
        if expected == 0 and argv != ["share", "raft-notes", "--json"]:
            assert "contacts/kanarie-bad.yaml:" in err, argv
    check_output = outputs[0][1]
    assert check_output.count("contacts/kanarie-bad.yaml:") >= 15  # every field was reported
    for argv, text in outputs:
        hidden = re.sub(r"Cnry6[01]", "", text)  # the user's own command-line arguments
        assert_no_canary(hidden.replace("kanarie-bad.yaml", "").replace(
            "kanarie-broken.yaml", ""), " ".join(argv))


def test_keyerror_free_reprs() -> None:
    from generator.outreach.contacts import parse_contact
    from generator.yamlio import load_yaml

    contact = parse_contact("kanarie-x7q", "contacts/kanarie-x7q.yaml",
                            load_yaml(VALID_CANARY.replace("via: alice-chen", "via: x")), [])
    assert contact is not None
    assert_no_canary(repr(contact).replace("kanarie-x7q", ""), "repr(Contact)")


@pytest.mark.parametrize("target", ["_site", "_site/private", "content", "content/posts"])
def test_outreach_inside_a_public_folder_is_refused(site_root: Path, target: str) -> None:
    (site_root / target).mkdir(parents=True, exist_ok=True)
    os.symlink(site_root / target, site_root / "outreach")
    before = tree(site_root / target)
    with pytest.raises(KithError) as info:
        write_reports(load_site(site_root), site_root, TODAY)
    message = str(info.value)
    assert message.startswith("outreach: outreach/ resolves to ")
    assert "must never be written where the site is published from" in message
    assert tree(site_root / target) == before


def test_outreach_around_a_public_folder_is_refused(site_root: Path) -> None:
    os.symlink(site_root, site_root / "outreach")
    with pytest.raises(KithError):
        write_reports(load_site(site_root), site_root, TODAY)


def test_an_extra_public_folder_is_respected(site_root: Path, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    os.symlink(tmp_path / "docs", site_root / "outreach")
    with pytest.raises(KithError):
        write_reports(load_site(site_root), site_root, TODAY, public=[tmp_path / "docs"])


def test_the_outreach_folder(site_root: Path) -> None:
    plant_valid(site_root)
    write_reports(load_site(site_root), site_root, TODAY)
    folder = site_root / "outreach"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    assert names == [".gitignore", "fund-notes.md", "index.html", "k8s-bill.md", "plan.json",
                     "posts", "posts.html", "posts/fund-notes.html", "posts/k8s-bill.html",
                     "posts/raft-notes.html", "posts/sourdough.html", "posts/tech-group.html",
                     "raft-notes.md", "share.json", "sourdough.md", "tech-group.md"]
    assert (folder / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    for name in ("index.html", "posts.html", "posts/k8s-bill.html", "posts/raft-notes.html"):
        page = (folder / name).read_text(encoding="utf-8")
        assert "Content-Security-Policy" in page and "default-src 'none'" in page
        assert "Cnry01 名字 <b>" not in page
        assert not re.search(r"<(?:link|img|iframe)\b|\bsrc=", page)  # nothing fetched
    assert "Cnry01 名字 &lt;b&gt;&amp;" in (folder / "index.html").read_text(encoding="utf-8")
    # A post that disappears loses its stale list.
    (site_root / "content/posts/2026-10-01-sourdough.md").unlink()
    write_reports(load_site(site_root), site_root, TODAY)
    assert not (folder / "sourdough.md").exists()
    assert not (folder / "posts/sourdough.html").exists()


def test_the_plan_and_its_json_quote_nothing_private(site_root: Path, kith) -> None:  # type: ignore[no-untyped-def]
    plant_valid(site_root)
    code, text, err = kith("plan", "--today", "2026-11-25", "--size", "20", root=site_root)
    assert code == 0 and "kanarie-x7q" in text  # the canary is really in the plan
    code, data, _ = kith("plan", "--today", "2026-11-25", "--size", "20", "--json",
                         root=site_root)
    for output in (text, data, err):
        for private in ("Cnry13", "Cnry14", "Cnry04", "Cnry05", "Cnry06", "Cnry12", "Cnry15",
                        "Cnry16", "Cnry02"):
            assert private not in output


def test_import_messages_quote_no_value(kith, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "site"
    (root / "contacts").mkdir(parents=True)
    card = tmp_path / "cards.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nEMAIL:cnry70@example.com\n"
                    "NOTE:Cnry71 note\nEND:VCARD\n", encoding="utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text("name,email,notes\n,cnry72@example.com,Cnry73\n", encoding="utf-8")
    code, out, err = kith("contacts", "import", str(card), str(rows), root=root)
    assert code == 0 and "0 new" in out
    assert_no_canary(out + err, "kith contacts import")


def test_contacts_that_git_would_publish_are_warned_about(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    """Found making the writer's own site with 'kith import jekyll' (his blog is a public
    GitHub Pages repository): nothing stops 'git add -A' from committing contacts/, and
    no command said so. Nothing is changed for him; every command warns until it is
    ignored, untracked, or a repository of its own."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")

    def run(*args: str) -> None:
        subprocess.run([git, "-C", str(site_root), *args], check=True, capture_output=True)

    run("init", "-q")
    warning = ("contacts: warning: your contacts are not ignored by this site's git "
               "repository: a push would publish them and the log\n  hint: add '/contacts/' "
               "to .gitignore, or make contacts/ its own private repository\n")
    for command in (("contacts", "check"), ("plan", "--today", "2026-11-25")):
        _, _, err = kith(*command, root=site_root)
        assert err.startswith(warning), command
    _, out, err = kith("build", root=site_root)
    assert warning in err and "outreach:" in out
    (site_root / ".gitignore").write_text("/contacts/\n", encoding="utf-8")
    assert "publish" not in kith("contacts", "check", root=site_root)[2]
    run("add", "-f", "contacts/log/2026.yaml")
    _, _, err = kith("contacts", "check", root=site_root)
    assert err.startswith("contacts: warning: your contacts are committed to this site's "
                          "git repository") and "git rm -r --cached contacts" in err
    run("rm", "-q", "--cached", "contacts/log/2026.yaml")
    (site_root / ".gitignore").unlink()
    (site_root / "contacts/.git").mkdir()  # contacts/ as its own private repository
    assert "publish" not in kith("contacts", "check", root=site_root)[2]
