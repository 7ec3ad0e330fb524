"""Symlinks under content/: followed inside the site folder, never out of it; loops and
dangling links are a warning naming the link, never a traceback or a hang."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.writer import Writer

from .conftest import SITE_YAML, post, run, tree

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


@pytest.fixture
def site(make_site, tmp_path: Path) -> Path:
    (tmp_path / "secret.txt").write_text("the user's private file\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/leak.md").write_text(post("Leak"))
    return make_site({"content/posts/2026-01-01-a.md": post("A"),
                      "shared/diagram.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                      "shared/notes/2026-01-02-b.md": post("B")}, config=SITE_YAML)


def link(root: Path, rel: str, target: str | Path) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / rel)


def test_links_inside_the_site_folder_are_followed(site: Path) -> None:
    link(site, "content/posts/diagram.svg", "../../shared/diagram.svg")
    link(site, "content/posts/notes", "../../shared/notes")
    assert run(site, "build") == 0
    assert (site / "_site/posts/diagram.svg").read_bytes().startswith(b"<svg")
    assert (site / "_site/posts/b/index.html").is_file()


def test_links_leading_out_of_the_site_are_not_followed(site: Path, tmp_path: Path,
                                                        capsys) -> None:
    link(site, "content/posts/secret.txt", tmp_path / "secret.txt")
    link(site, "content/posts/elsewhere", tmp_path / "elsewhere")
    link(site, "content/passwd", "/etc/passwd")
    assert run(site, "build") == 0
    err = capsys.readouterr().err.splitlines()
    for rel, target in (("content/passwd", "/etc/passwd"),
                        ("content/posts/secret.txt", tmp_path / "secret.txt"),
                        ("content/posts/elsewhere", tmp_path / "elsewhere")):
        assert f"{rel}: warning: a symbolic link to '{target}', outside the site folder; " \
            "not followed" in err
    assert "  hint: copy what it links to into the site folder, or build from the folder " \
        "that holds it" in err
    built = tree(site / "_site")
    assert not any(b"private file" in data or b"root:x:0:0" in data for data in built.values())
    assert "posts/leak/index.html" not in built and "passwd" not in built


def test_links_into_the_private_parts_of_the_site_are_not_followed(site: Path,
                                                                   capsys) -> None:
    """A hostile pull request adds content/x.txt -> ../contacts/alice.yaml: inside the site
    folder, but the contacts, the share lists and .git must never reach _site/."""
    (site / "contacts/log").mkdir(parents=True)
    (site / "contacts/alice.yaml").write_text("name: Alice PRIVATE\n")
    (site / "outreach").mkdir()
    (site / "outreach/raft-log.md").write_text("PRIVATE share list\n")
    (site / ".git").mkdir()
    (site / ".git/config").write_text("[core] PRIVATE\n")
    (site / ".env").write_text("TOKEN=PRIVATE\n")
    link(site, "content/alice.txt", "../contacts/alice.yaml")
    link(site, "content/people", "../contacts")
    link(site, "content/log", "../contacts/log")
    link(site, "content/posts/share.txt", "../../outreach/raft-log.md")
    link(site, "content/gitconfig.txt", "../.git/config")
    link(site, "content/env.txt", "../.env")
    assert run(site, "build") == 0
    err = capsys.readouterr().err.splitlines()
    for rel, where in (("alice.txt", "contacts/"), ("people", "contacts/"),
                       ("log", "contacts/"), ("posts/share.txt", "outreach/"),
                       ("gitconfig.txt", ".git/"), ("env.txt", ".env")):
        assert f"content/{rel}: warning: a symbolic link into '{where}', which is never " \
            "published; not followed" in err
    built = tree(site / "_site")
    assert not [path for path, data in built.items() if b"PRIVATE" in data]
    assert (site / "_site/posts/a/index.html").is_file()


def test_loops_and_dangling_links_are_warnings(site: Path, capsys) -> None:
    link(site, "content/posts/a-loop", "b-loop")
    link(site, "content/posts/b-loop", "a-loop")
    link(site, "content/posts/self", ".")
    link(site, "content/up", "..")
    (site / "_site/posts").mkdir(parents=True)
    link(site, "content/out", "../_site/posts")
    link(site, "content/posts/gone.png", "nothing-here.png")
    assert run(site, "build") == 0
    err = capsys.readouterr().err.splitlines()
    assert "content/posts/a-loop: warning: a symbolic link that loops (to 'b-loop'); skipped" \
        in err
    assert "content/posts/b-loop: warning: a symbolic link that loops (to 'a-loop'); skipped" \
        in err
    assert "content/posts/gone.png: warning: a symbolic link that leads to nothing (to " \
        "'nothing-here.png'); skipped" in err
    assert "content/posts/self: warning: a symbolic link to a folder the site already " \
        "includes ('content/posts'); not followed" in err
    assert "content/up: warning: a symbolic link to '.', a folder that holds content/ (a " \
        "loop); not followed" in err
    assert "content/out: warning: a symbolic link to '_site/posts', a folder in the output " \
        "folder; not followed" in err
    assert (site / "_site/posts/a/index.html").is_file()


def test_link_warnings_survive_a_no_op_build(site: Path, capsys) -> None:
    link(site, "content/posts/gone.png", "nothing-here.png")
    assert run(site, "build") == 0
    first = capsys.readouterr().err
    assert run(site, "build") == 0  # counted: it was reported last time
    assert capsys.readouterr().err == (
        "1 warning as in the last build, not shown again (kith build --all-warnings shows "
        "it): a symbolic link that leads to nothing (to '...'); skipped\n")
    assert run(site, "build", "--all-warnings") == 0
    assert capsys.readouterr().err == first and "gone.png" in first


def test_deeply_linked_folders_terminate(site: Path) -> None:
    """Links that point at each other's folders, many levels deep: each real folder is
    walked once."""
    for i in range(12):
        link(site, f"shared/l{i}/next", f"../l{(i + 1) % 12}")
        (site / f"shared/l{i}/page-{i}.txt").write_text(str(i))
    link(site, "content/chain", "../shared/l0")
    result = build(site, jobs=1)
    assert [w.message for w in result.warnings if "already includes" in w.message]
    assert (site / "_site/chain/page-0.txt").read_text() == "0"


def test_kith_serve_hints_never_read_through_a_link(site: Path, tmp_path: Path) -> None:
    """kith serve passes the watcher's paths as hints: a link made while it runs is
    judged as a full walk judges it, and its warning stays through later edits."""
    from generator.build import Builder

    builder = Builder(site, output=site / "_site", keep_memo=True, trust_outputs=True)
    builder.build(persist=False)
    leak = site / "content/posts/2026-01-03-leak.md"
    link(site, "content/posts/2026-01-03-leak.md", tmp_path / "elsewhere/leak.md")
    warned = [str(w) for w in builder.build(persist=False, hints={leak}).warnings]
    assert not (site / "_site/posts/leak").exists()
    assert any("content/posts/2026-01-03-leak.md" in w and "outside the site folder" in w
               for w in warned), warned
    edited = site / "content/posts/2026-01-01-a.md"
    edited.write_text(post("A, edited"))
    again = [str(w) for w in builder.build(persist=False, hints={edited}).warnings]
    assert again == warned
    assert "A, edited" in (site / "_site/posts/a/index.html").read_text()
    assert b"Leak" not in b"".join(p.read_bytes() for p in (site / "_site").rglob("*.html"))


def test_a_link_made_after_a_build_is_warned_about_on_the_next(site: Path,
                                                               tmp_path: Path) -> None:
    build(site)
    link(site, "content/posts/2026-01-03-leak.md", tmp_path / "elsewhere/leak.md")
    warned = [str(w) for w in build(site).warnings]  # was a no-op that said nothing
    assert any("2026-01-03-leak.md" in w and "outside the site folder" in w for w in warned)


# -- the writer's quick containment check equals resolving each folder in full ---------

_NAMES = st.sampled_from(["a", "b", "c"])
_TARGETS = st.sampled_from(["inside", "outside", "loop", "missing", "file"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(_NAMES, min_size=1, max_size=3), _TARGETS), max_size=6),
       st.lists(st.lists(_NAMES, min_size=1, max_size=4), min_size=1, max_size=8))
def test_the_writers_containment_check_equals_realpath(links, folders) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        out, outside = base / "_site", base / "elsewhere"
        (out / "a" / "b").mkdir(parents=True)
        (out / "c").write_text("a file")
        outside.mkdir()
        targets = {"inside": out / "a", "outside": outside, "loop": None,
                   "missing": base / "nothing", "file": out / "c"}
        for parts, kind in links:
            link = out.joinpath(*parts)
            if link.parent.is_dir() and not os.path.lexists(link):
                os.symlink(targets[kind] or link, link)
        writer = Writer(out, base / ".cache" / "outputs.json")
        try:
            for parts in folders:
                folder = "/".join(parts)
                assert writer._inside(folder) == writer._resolves_inside(folder), folder
        finally:
            writer.abort()
