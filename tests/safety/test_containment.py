"""Hostile front matter, file names and settings cannot write, replace or delete
anything outside the output folder, and the writer refuses on its own too."""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.errors import KithError
from generator.model import OutputFile
from generator.paths import output_problem
from generator.writer import Writer, manifest_path, read_manifest, write_outputs

from .conftest import PROPERTIES, SITE_YAML, post, run, tree

SAFE = {"content/posts/2026-01-01-good.md": post("Good")}
PERMALINK_HINT = ("  hint: a permalink is a path inside the site, with '/' between names, "
                  "e.g. permalink: /about/ or /notes/:slug/")
SLUG_HINT = ("  hint: a slug is one name in the URL, e.g. slug: raft-log; permalink: sets a "
             "whole path")
ALIAS_HINT = "  hint: an alias is an old path of this site, e.g. aliases: [/2019/01/old-post/]"


def attack(make_site, tmp_path: Path, capsys, extra: str) -> tuple[Path, list[str]]:
    """Build a site whose post carries ``extra`` front matter; nothing may change outside
    _site/, and (the build failing) nothing inside it either."""
    root = make_site({**SAFE, "README.md": "# mine\n"}, config=SITE_YAML)
    assert run(root, "build") == 0
    capsys.readouterr()
    (root / "content/posts/2026-01-02-evil.md").write_text(post("Evil", extra))
    before, around = tree(root, (".cache",)), tree(tmp_path, (".cache",))
    assert run(root, "build") == 1
    assert tree(root, (".cache",)) == before and tree(tmp_path, (".cache",)) == around
    return root, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(("extra", "message", "hint"), [
    ("permalink: /../README.md\n", "permalink '/../README.md' has a '..' segment", PERMALINK_HINT),
    ("permalink: /../../../tmp/x.html\n", "permalink '/../../../tmp/x.html' has a '..' segment",
     PERMALINK_HINT),
    ('permalink: "/C:/x/"\n', "permalink '/C:/x/' starts with the drive 'C:'", PERMALINK_HINT),
    ('permalink: "/a\\\\..\\\\..\\\\x"\n', "permalink '/a\\..\\..\\x' holds a backslash",
     PERMALINK_HINT),
    ('permalink: "/a\\0b/"\n', "permalink '/a\\x00b/' holds the control character \\x00",
     PERMALINK_HINT),
    ('permalink: "/\\e[2Jx/"\n', "permalink '/\\x1b[2Jx/' holds the control character \\x1b",
     PERMALINK_HINT),
    ("permalink: //evil.example.com/\n", "permalink '//evil.example.com/' has an empty "
     "segment ('//')", PERMALINK_HINT),
    ("permalink: /%2e%2e/README.md\n", "permalink '/%2e%2e/README.md' hides '..' in "
     "percent-encoding", PERMALINK_HINT),
    # Written as a folder 'caf%C3%A9' that the link /caf%C3%A9/ (read as /café/) never
    # reached: a page no reader could open, built without a word.
    ("permalink: /caf%C3%A9/\n", "permalink '/caf%C3%A9/' is percent-encoded ('caf%C3%A9'): "
     "write the characters themselves ('café')", PERMALINK_HINT),
    ('slug: "%41"\n', "slug '%41' is percent-encoded ('%41'): write the characters "
     "themselves ('A')", SLUG_HINT),
    ("aliases: [/old%20post/]\n", "alias '/old%20post/' is percent-encoded ('old%20post'): "
     "write the characters themselves ('old post')", ALIAS_HINT),
    ('slug: ".."\n', "slug '..' is not a name", SLUG_HINT),
    ('slug: "../../x"\n', "slug '../../x' holds a '/'", SLUG_HINT),
    ('slug: "a\\\\b"\n', "slug 'a\\b' holds a backslash", SLUG_HINT),
    (f"slug: {'y' * 300}\n", f"slug '{'y' * 59}…' is 300 bytes long; a name in a URL holds "
     "at most 255", SLUG_HINT),
])
def test_hostile_front_matter_is_a_line_numbered_error(make_site, tmp_path: Path, capsys,
                                                       extra: str, message: str,
                                                       hint: str) -> None:
    _, err = attack(make_site, tmp_path, capsys, extra)
    assert err == [f"content/posts/2026-01-02-evil.md:3: {message}", hint,
                   "build failed: 1 problem; the output folder was left as it was"]


def test_windows_style_permalink(make_site, tmp_path: Path, capsys) -> None:
    _, err = attack(make_site, tmp_path, capsys, 'permalink: "C:\\\\x"\n')
    assert err[0] == "content/posts/2026-01-02-evil.md:3: permalink must start with '/', " \
        "got 'C:\\\\x'"


def test_each_bad_alias_is_named_with_its_own_line(make_site, tmp_path: Path, capsys) -> None:
    extra = ("aliases:\n  - /fine/\n  - /../../x\n  - https://old.example.com/post/\n"
             "  - '%2E%2E/etc/'\n")
    _, err = attack(make_site, tmp_path, capsys, extra)
    assert err == [
        "content/posts/2026-01-02-evil.md:5: alias '/../../x' has a '..' segment", ALIAS_HINT,
        "content/posts/2026-01-02-evil.md:6: alias 'https://old.example.com/post/' has an "
        "empty segment ('//')", ALIAS_HINT,
        "content/posts/2026-01-02-evil.md:7: alias '%2E%2E/etc/' hides '..' in "
        "percent-encoding", ALIAS_HINT,
        "build failed: 3 problems; the output folder was left as it was"]


def test_an_alias_onto_another_output_names_the_file_that_holds_it(make_site,
                                                                   capsys) -> None:
    """It said 'the generated home page: ... a redirect (aliases:)', naming no file."""
    root = make_site({**SAFE, "content/posts/2026-01-02-a.md": post("A", "aliases: ['/']\n"),
                      "content/posts/2026-01-03-b.md": post("B", "aliases: [/posts/good/]\n")},
                     config=SITE_YAML + "redirects:\n  /posts/a/: /posts/good/\n")
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines()[:-1:2] == [
        "content/posts/2026-01-01-good.md: 'posts/good/index.html' would be written by 2 "
        "inputs: content/posts/2026-01-01-good.md, a redirect (aliases: in "
        "content/posts/2026-01-03-b.md)",
        "content/posts/2026-01-02-a.md: 'index.html' would be written by 2 inputs: the "
        "generated home page, a redirect (aliases: in content/posts/2026-01-02-a.md)",
        "content/posts/2026-01-02-a.md: 'posts/a/index.html' would be written by 2 inputs: "
        "content/posts/2026-01-02-a.md, a redirect (redirects: in site.yaml)"]


def test_an_alias_onto_a_feed_or_the_sitemap_names_its_file(make_site, capsys) -> None:
    """It said 'feeds: 'feed.xml' would be written by both aliases and feeds'."""
    root = make_site({**SAFE, "content/posts/2026-01-02-a.md": post("A", "aliases: [/feed.xml]\n")},
                     config=SITE_YAML + "redirects:\n  /sitemap.xml: /posts/a/\n")
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines()[:-1:2] == [
        "content/posts/2026-01-02-a.md: 'feed.xml' would be written by both aliases: in "
        "content/posts/2026-01-02-a.md and feeds",
        "site.yaml: 'sitemap.xml' would be written by both redirects: in site.yaml and sitemap"]


def test_slug_dot_dot_no_longer_replaces_the_home_page(make_site, tmp_path: Path,
                                                       capsys) -> None:
    root, _ = attack(make_site, tmp_path, capsys, 'slug: ".."\n')
    assert b"Evil" not in (root / "_site/index.html").read_bytes()


def test_a_permalink_pattern_in_site_yaml_must_stay_inside(make_site, capsys) -> None:
    root = make_site(SAFE, config=SITE_YAML + "permalinks:\n  posts: /../:slug/\n")
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        "site.yaml:6: permalink pattern for 'posts' '/../:slug/' has a '..' segment",
        "  hint: e.g. /posts/:slug/"]
    assert not (root / "_site").exists() and not (root.parent / "good").exists()


def test_redirects_and_collection_urls_in_site_yaml_are_line_numbered(make_site,
                                                                       capsys) -> None:
    """They were refused only when the listings were checked, with no file or line
    ('output path ... (from the generated collection page)'), a '%' in them not at all,
    and a redirect could send readers to javascript:."""
    config = SITE_YAML + (
        "collections:\n  notes:\n    match: {tags: [x]}\n    url: /../../evil/\n"
        "  links:\n    match: {tags: [y]}\n    url: /caf%C3%A9/\n"
        "redirects:\n  /../../x.html: /about/\n  /old%20page/: /about/\n"
        "  /x/: \"javascript:alert(1)\"\n  /fine/: https://elsewhere.example/a\n")
    root = make_site(SAFE, config=config)
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "site.yaml:8: collection 'notes': its list page URL '/../../evil/' has a '..' segment",
        "  hint: e.g. url: /notes/",
        "site.yaml:11: collection 'links': its list page URL '/caf%C3%A9/' is "
        "percent-encoded ('caf%C3%A9'): write the characters themselves ('café')",
        "  hint: e.g. url: /links/",
        "site.yaml:13: redirect from '/../../x.html': the old URL has a '..' segment",
        "  hint: e.g. /index-zh.html: /zh/",
        "site.yaml:14: redirect from '/old%20page/': the old URL is percent-encoded "
        "('old%20page'): write the characters themselves ('old page')",
        "  hint: e.g. /index-zh.html: /zh/",
        "site.yaml:15: redirect '/x/' -> 'javascript:alert(1)': the new URL must be a path "
        "of the site or an http(s) address",
        "  hint: e.g. /index-zh.html: /zh/ or /old/: https://elsewhere.example/",
        "build failed: 5 problems; the output folder was left as it was"]
    assert not (root / "_site").exists()


def test_folder_and_file_names_that_cannot_be_outputs(make_site, capsys) -> None:
    root = make_site({**SAFE, "content/tutorials/a\\b/01-x.md": post("X"),
                      "content/posts/tab\there.png": b"x"}, config=SITE_YAML)
    assert run(root, "build") == 1
    err = capsys.readouterr().err
    assert ("content/tutorials/a\\b/01-x.md: output path 'tutorials/a\\b/x/index.html' holds "
            "a backslash") in err
    assert "output path 'tutorials/a\\b/index.html' holds a backslash (from the generated " \
        "series page)" in err
    assert "output path 'posts/tab\\x09here.png' holds the control character \\x09" in err


def test_duplicates_are_found_as_the_disk_sees_names(make_site, capsys) -> None:
    nfc, nfd = (unicodedata.normalize(form, "café") for form in ("NFC", "NFD"))
    root = make_site({"content/posts/2026-01-01-a.md": post("A", f"slug: {nfc}\n"),
                      "content/posts/2026-01-02-b.md": post("B", f"slug: {nfd}\n")},
                     config=SITE_YAML)
    assert run(root, "build") == 1
    assert ("content/posts/2026-01-01-a.md: 'posts/café/index.html' would be written by 2 "
            "inputs: content/posts/2026-01-01-a.md, content/posts/2026-01-02-b.md"
            ) in unicodedata.normalize("NFC", capsys.readouterr().err)


def test_file_names_that_print_alike_are_told_apart(make_site, capsys) -> None:
    """The same name in NFC and in NFD (a file copied from a Mac) prints twice alike: the
    hint says why two files the writer sees as one are two."""
    nfc, nfd = (unicodedata.normalize(form, "café") for form in ("NFC", "NFD"))
    root = make_site({f"content/posts/2026-01-01-{nfc}.md": post("A"),
                      f"content/posts/2026-01-01-{nfd}.md": post("B")}, config=SITE_YAML)
    assert run(root, "build") == 1
    lines = unicodedata.normalize("NFC", capsys.readouterr().err).splitlines()
    assert lines[:2] == [
        "content/posts/2026-01-01-café.md: 'posts/café/index.html' would be written by 2 "
        "inputs: content/posts/2026-01-01-café.md, content/posts/2026-01-01-café.md",
        "  hint: two of these file names look the same but spell an accented letter "
        "differently (one character, or a letter and a combining mark, as macOS may write "
        "it): delete or rename one"]


def test_names_differing_only_in_case_are_a_warning(make_site, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": post("A", "slug: Raft\n"),
                      "content/posts/2026-01-02-b.md": post("B", "slug: raft\n")},
                     config=SITE_YAML)
    assert run(root, "build") == 0
    assert capsys.readouterr().err.splitlines()[:2] == [
        "content/posts/2026-01-01-a.md: warning: 'posts/Raft/index.html' and "
        "'posts/raft/index.html' differ only in case: on macOS and Windows one would "
        "overwrite the other", "  hint: make their slugs differ by more than case"]


def test_a_file_where_another_output_needs_a_folder_fails_before_the_commit(
        make_site, capsys) -> None:
    """permalink: /x.txt beside permalink: /x.txt/ (or a content file posts/a.txt beside a
    page at /posts/a.txt/): the commit used to stop half done ('_site/x.txt: File
    exists'), leaving a half-built site visible."""
    root = make_site({**SAFE, "content/posts/notes.txt": "notes\n"}, config=SITE_YAML)
    assert run(root, "build") == 0
    before = tree(root / "_site")
    capsys.readouterr()
    (root / "content/posts/2026-01-03-p.md").write_text(post("P", "permalink: /x.txt\n"))
    (root / "content/posts/2026-01-04-q.md").write_text(post("Q", "permalink: /x.txt/\n"))
    (root / "content/posts/2026-01-05-r.md").write_text(
        post("R", "permalink: /posts/notes.txt/\n"))
    assert run(root, "build") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:4] == [
        "content/posts/2026-01-03-p.md: 'x.txt' would be a file (from "
        "content/posts/2026-01-03-p.md) and a folder holding 'x.txt/index.html' (from "
        "content/posts/2026-01-04-q.md)",
        "  hint: give one of them another slug or permalink (end a page's permalink with "
        "'/')",
        "content/posts/notes.txt: 'posts/notes.txt' would be a file (from "
        "content/posts/notes.txt) and a folder holding 'posts/notes.txt/index.html' (from "
        "content/posts/2026-01-05-r.md)",
        "  hint: give one of them another slug or permalink (end a page's permalink with "
        "'/')"]
    assert tree(root / "_site") == before
    assert not list((root / ".cache").glob("*.journal"))


def test_the_writer_refuses_a_file_where_it_needs_a_folder(tmp_path: Path) -> None:
    """The second line of defence for the clash above: nothing becomes visible."""
    out, manifest = tmp_path / "out", tmp_path / ".cache/outputs-x.json"
    with pytest.raises(KithError) as info:
        write_outputs([OutputFile("a/x.txt", b"file"), OutputFile("a/x.txt/index.html", b"page"),
                       OutputFile("index.html", b"i")], out, manifest)
    assert [p.message for p in info.value.problems] == [
        "cannot write 'a/x.txt/index.html': this build also writes the file 'a/x.txt'"]
    assert not out.exists() or tree(out) == {}
    assert not manifest.with_suffix(".journal").exists()


def test_removing_the_line_can_no_longer_delete_the_readme(make_site, capsys) -> None:
    """The old attack: permalink: /../README.md was written and recorded in the manifest,
    so removing the line later deleted the README as a 'stale output'. A manifest that
    still holds such an entry (written by an older Kith, or tampered with) is ignored."""
    root = make_site({**SAFE, "README.md": "# mine\n", "notes/keep.txt": "keep\n"},
                     config=SITE_YAML)
    assert run(root, "build") == 0
    manifest = manifest_path(root, root / "_site")
    data = json.loads(manifest.read_text())
    for evil in ("../README.md", "../notes/keep.txt", "/etc/hostname", "a/../../README.md",
                 "..\\README.md"):
        data["files"][evil] = ["0" * 64, 7, 0]
    manifest.write_text(json.dumps(data))
    assert all(path not in read_manifest(manifest) for path in data["files"] if ".." in path)
    (root / "content/posts/2026-01-03-new.md").write_text(post("New"))
    assert run(root, "build") == 0
    assert (root / "README.md").read_text() == "# mine\n"
    assert (root / "notes/keep.txt").read_text() == "keep\n"


@pytest.mark.parametrize("path", ["../x", "/tmp/x", "a/../../x", "a\\..\\x", "", "a//b",
                                  "x\x00y", "./x"])
def test_the_writer_refuses_on_its_own(tmp_path: Path, path: str) -> None:
    """The second line of defence, whatever stage hands it a path."""
    out = tmp_path / "out"
    with pytest.raises(KithError) as info:
        write_outputs([OutputFile(path, b"evil", origin="a theme")], out,
                      tmp_path / "cache" / "outputs-x.json")
    assert info.value.problems[0].message.startswith(f"refusing to write '{path}'"[:20])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
    assert not any(p.is_file() and p.suffix != ".lock" for p in (tmp_path / "cache").rglob("*"))


def test_a_symlink_inside_the_output_cannot_lead_writes_out(make_site, tmp_path: Path,
                                                           capsys) -> None:
    root = make_site(SAFE, config=SITE_YAML)
    assert run(root, "build") == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "_site/posts/good/index.html").unlink()
    (root / "_site/posts/good").rmdir()
    os.symlink(outside, root / "_site/posts/good")
    capsys.readouterr()
    assert run(root, "build") == 1
    assert "refusing to write into 'posts/good': a symlink leads it outside the output " \
        "folder" in capsys.readouterr().err
    assert list(outside.iterdir()) == []


def test_a_symlink_inside_the_output_cannot_lead_removals_out(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", tmp_path / "cache/outputs-x.json"
    write_outputs([OutputFile("a/x.html", b"1"), OutputFile("b.html", b"2")], out, manifest)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "x.html").write_text("precious")
    (out / "a/x.html").unlink()
    (out / "a").rmdir()
    os.symlink(victim, out / "a")
    assert write_outputs([OutputFile("b.html", b"2")], out, manifest).removed == 0
    assert (victim / "x.html").read_text() == "precious"


def test_outputs_land_exactly_where_they_should(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", tmp_path / ".cache/outputs-x.json"
    writer = Writer(out, manifest)
    writer.add(OutputFile("deep/er/x.html", b"x"))
    writer.add(OutputFile("index.html", b"i"))
    writer.commit()
    assert tree(out) == {"deep/er/x.html": b"x", "index.html": b"i"}
    assert sorted(read_manifest(manifest)) == ["deep/er/x.html", "index.html"]


def test_build_into_a_fresh_folder_after_attacks(make_site, tmp_path: Path) -> None:
    """A site with every hostile key fixed builds, and writes only inside its folder."""
    root = make_site({**SAFE, "content/posts/2026-01-02-b.md": post(
        "B", "permalink: /b.html\naliases: [old/b/, /older/b.html]\n")}, config=SITE_YAML)
    around = tree(tmp_path, (".cache",))
    build(root, output=tmp_path / "fresh")
    after = tree(tmp_path, (".cache",))
    assert {k for k in after if k not in around and not k.startswith("fresh/")} == set()
    assert (tmp_path / "fresh/old/b/index.html").is_file()
    assert (tmp_path / "fresh/older/b.html").is_file()


def test_leftovers_of_older_versions_are_swept_once(make_site) -> None:
    """Kith before manifest version 3 staged beside the pages: the first build after the
    upgrade removes such leftovers (tempfile's names only), never a file of the user's."""
    root = make_site(SAFE, config=SITE_YAML)
    assert run(root, "build") == 0
    manifest = manifest_path(root, root / "_site")
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "version": 2}))
    (root / "_site/posts/good/.kith-3n_h3kp8").write_text("<p>a draft</p>")
    (root / "_site/.kith-notes.txt").write_text("the user's own\n")
    assert run(root, "build") == 0
    assert not (root / "_site/posts/good/.kith-3n_h3kp8").exists()
    assert (root / "_site/.kith-notes.txt").read_text() == "the user's own\n"
    assert json.loads(manifest.read_text())["version"] == 3


def test_unsaved_commits_of_a_long_lived_writer_are_recovered(tmp_path: Path) -> None:
    """kith serve commits without saving the manifest (it saves when idle): if it dies,
    the journal holds every such commit, and the next writer finishes them all."""
    out, manifest = tmp_path / "out", tmp_path / ".cache/outputs-x.json"
    write_outputs([OutputFile("a.html", b"a1"), OutputFile("b.html", b"b1")], out, manifest)
    first = Writer(out, manifest)
    first.add(OutputFile("a.html", b"a2"))
    first.add(OutputFile("b.html", b"b1"))
    first.commit(save=False)
    second = Writer(out, manifest, previous=first.current)
    second.keep("a.html")
    second.add(OutputFile("b.html", b"b2"))
    second.commit(save=False)
    journal = manifest.with_suffix(".journal")
    assert len(json.loads(journal.read_text())["deltas"]) == 2
    del first, second  # the process dies before saving
    recovered = Writer(out, manifest)
    assert sorted(recovered.previous) == ["a.html", "b.html"]
    assert not journal.exists()
    assert not any(recovered.intact(p) for p in ("a.html", "b.html"))  # compared, not kept
    assert tree(out) == {"a.html": b"a2", "b.html": b"b2"}


@settings(PROPERTIES, max_examples=80)
@given(st.text(alphabet=st.sampled_from(list("ab./\\:\x00~")), min_size=1, max_size=12))
def test_the_writer_writes_inside_or_refuses(path: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        top = Path(folder)
        out = top / "out"
        try:
            write_outputs([OutputFile(path, b"x")], out, top / "cache/outputs-x.json")
        except KithError:
            assert output_problem(path) is not None
            assert not out.exists()
            return
        written = [p for p in top.rglob("*") if p.is_file() and "cache" not in p.parts]
        assert written == [out / path]
