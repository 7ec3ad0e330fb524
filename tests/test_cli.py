"""main(): a closed pipe, the machine's refusals and Kith's own bugs each get one answer."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kithpaths import REPO

from generator import build, cli
from generator.cli import EXIT_BROKEN_PIPE, EXIT_INTERNAL, main
from generator.config import load_config
from generator.content import read_page

POST = "---\ntitle: A\n---\nbody\n"


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly_for_every_command(make_site, monkeypatch, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": POST})
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["-C", str(root), "build"]) == EXIT_BROKEN_PIPE
    assert main(["-C", str(root), "new", "post", "Hello"]) == EXIT_BROKEN_PIPE
    assert capsys.readouterr().err == ""


def test_kith_share_into_a_pipe_closed_early_says_nothing(make_site) -> None:
    # `kith share | head`: the reader is gone before kith writes; no traceback on stderr.
    root = make_site({"content/posts/2026-01-01-a.md": POST})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build"],
                              stdout=writer, stderr=subprocess.PIPE, env=env, timeout=120)
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr.decode()) == (EXIT_BROKEN_PIPE, "")


def test_an_unexpected_error_is_one_line_and_a_way_to_report_it(make_site, monkeypatch,
                                                                 capsys) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": POST})

    def broken(args: object) -> int:
        raise KeyError("alice@example.com")  # may be private: never printed

    monkeypatch.setattr(cli, "cmd_build", broken)
    monkeypatch.delenv("KITH_DEBUG", raising=False)
    assert main(["-C", str(root), "build"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    lines = err.splitlines()
    # The innermost frame of Kith's own code; the exception's text is never shown.
    assert lines[0].startswith("kith: internal error: KeyError in generator/cli.py:")
    assert lines[0].endswith(" (main)")
    assert lines[1] == ("  hint: this is a bug in Kith, not in your site; please report it with "
                        "the command you ran (KITH_DEBUG=1 shows the traceback)")
    assert len(lines) == 2 and "alice" not in err and "Traceback" not in err
    monkeypatch.setenv("KITH_DEBUG", "1")
    assert main(["-C", str(root), "build"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "KeyError" in err


def test_the_bug_report_line_names_kiths_own_code(make_site, monkeypatch, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": POST})
    monkeypatch.delenv("KITH_DEBUG", raising=False)
    monkeypatch.setattr(build, "Builder", None)  # cmd_build calls it: a TypeError there
    assert main(["-C", str(root), "build"]) == EXIT_INTERNAL
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("kith: internal error: TypeError in generator/cli.py:")
    assert first.endswith(" (cmd_build)")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_kith_may_not_read_is_named(make_site, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": POST})
    secret = root / "content/posts/2026-01-01-a.md"
    secret.chmod(0)
    try:
        assert main(["-C", str(root), "build"]) == 1
    finally:
        secret.chmod(0o644)
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/posts/2026-01-01-a.md: Permission denied")


def test_os_errors_are_named_with_their_path(make_site, monkeypatch, capsys) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": POST})

    def full_disk(args: object) -> int:
        raise OSError(28, "No space left on device", str(Path(root) / "_site/index.html"))

    monkeypatch.setattr(cli, "cmd_build", full_disk)
    assert main(["-C", str(root), "build"]) == 1
    assert capsys.readouterr().err == "_site/index.html: No space left on device\n"


def test_new_post_titles_read_back_as_typed(make_site, capsys) -> None:
    root = make_site({})
    title = 'Tabs\tand "quotes" \\ and\nbreaks'
    assert main(["-C", str(root), "new", "post", title]) == 0
    (path,) = (root / "content/posts").glob("*.md")
    page, problems = read_page(load_config(root), f"posts/{path.name}", path.read_bytes())
    assert page is not None and page.title == title and problems == []
    assert main(["-C", str(root), "new", "post", "caf\udce9"]) == 1
    assert capsys.readouterr().err == ("title: the title is not valid UTF-8\n"
                                       "  hint: check the terminal's encoding\n")
    # The build refuses what no page can show: kith new does not write it.
    assert main(["-C", str(root), "new", "post", "bells\x07 and DEL\x7f"]) == 1
    assert capsys.readouterr().err == ("title: the title holds the control character \\x07\n"
                                       "  hint: type it without; a page cannot show it\n")


def test_new_refuses_a_second_page_of_one_url_and_numbers_untitled_ones(
        make_site, capsys) -> None:
    """Two posts or parts of one title would both be /posts/x/ (the build then fails);
    a title without a letter or a digit names its file 'untitled', numbered."""
    root = make_site({"content/posts/2025-03-01-weekly-notes.md": POST})
    assert main(["-C", str(root), "new", "post", "Weekly notes"]) == 1
    assert capsys.readouterr().err == (
        "content/posts/2025-03-01-weekly-notes.md: a post of this title already exists: "
        "both would be one page\n  hint: pick another title\n")
    assert main(["-C", str(root), "new", "post", "Weekly notes", "--lang", "zh"]) == 0
    for title in ("🎉", "/", "🎉"):
        assert main(["-C", str(root), "new", "post", title]) == 0
    assert main(["-C", str(root), "new", "post", "TCP/IP"]) == 0
    for args in (("s", "One"), ("s", "✨"), ("s", "✨")):
        assert main(["-C", str(root), "new", "tutorial", *args]) == 0
    capsys.readouterr()
    assert main(["-C", str(root), "new", "tutorial", "s", "One"]) == 1
    assert capsys.readouterr().err == (
        "content/tutorials/s/01-one.md: a part of this title already exists: both would be "
        "one page\n  hint: pick another title\n")
    assert main(["-C", str(root), "new", "post", " "]) == 1
    assert capsys.readouterr().err == ('title: the title is empty\n'
                                       '  hint: give it one, such as "Raft log compaction"\n')
    for series in ("", " ", "???"):  # all would be tutorials/untitled/: one series
        assert main(["-C", str(root), "new", "tutorial", series, "One"]) == 1
        assert capsys.readouterr().err == (
            f"series: the series name {series!r} has no letter or digit to name its folder\n"
            '  hint: give it one, such as "Raft in Go"\n')
    assert not (root / "content/tutorials/untitled").exists()
    assert sorted(p.name[11:] for p in (root / "content/posts").glob("*.md")) == [
        "tcp-ip.md", "untitled-2.md", "untitled-3.md", "untitled.md", "weekly-notes-zh.md",
        "weekly-notes.md"]
    assert sorted(p.name for p in (root / "content/tutorials/s").glob("*.md")) == [
        "01-one.md", "02-untitled.md", "03-untitled-2.md"]
    assert main(["-C", str(root), "build", "--drafts"]) == 0


def test_a_long_title_gets_a_file_name_any_disk_can_hold(make_site, capsys) -> None:
    """A 300-character title ended in 'File name too long' (a name holds 255 bytes)."""
    root = make_site({})
    title = "word " * 100
    assert main(["-C", str(root), "new", "post", title.strip()]) == 0
    assert main(["-C", str(root), "new", "tutorial", "s" * 300, "文" * 200]) == 0
    (post_file,) = (root / "content/posts").glob("*.md")
    assert post_file.name.endswith("-" + "-".join(["word"] * 24) + ".md")
    (part,) = (root / "content/tutorials").glob("*/*.md")
    assert part.parent.name == "s" * 120 and part.name == "01-" + "文" * 40 + ".md"
    page, problems = read_page(load_config(root), f"posts/{post_file.name}",
                               post_file.read_bytes())
    assert page is not None and page.title == title.strip() and problems == []
    assert main(["-C", str(root), "build", "--drafts"]) == 0


# -- the kith command's exit ------------------------------------------------------------

def _kith(tmp_path: Path, *args: str, setup: str = "pass") -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` after ``setup`` (Python run first, in the process)."""
    code = (f"import sys, runpy; {setup}; sys.argv = ['kith', *{list(args)!r}]; "
            "runpy.run_module('generator', run_name='__main__')")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)


def test_the_command_runs_exit_handlers_and_flushes_before_its_quick_exit(
        tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    (site / "content" / "posts" / "2026-01-01-a.md").write_text("---\ntitle: A\n---\nText.\n")
    # Output still in the buffer at exit (a pipe is block-buffered) and an exit handler.
    setup = ("import atexit; atexit.register(lambda: print('handler ran', flush=True)); "
             "print('buffered', end='')")
    done = _kith(tmp_path, "-C", str(site), "build", setup=setup)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("buffered")
    assert done.stdout.rstrip().endswith("handler ran")
    assert "built 1 pages" in done.stderr or "built 1 pages" in done.stdout
    failed = _kith(tmp_path, "-C", str(tmp_path / "nowhere"), "build")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "nowhere" in failed.stderr  # the message reached the terminal before the exit
    assert _kith(tmp_path, "--no-such-option").returncode == 2  # argparse's own exit


def test_the_command_waits_for_a_thread_still_running(tmp_path: Path) -> None:
    """With another thread alive (what a plugin might leave), the ordinary exit joins it."""
    setup = ("import threading, time; "
             "threading.Thread(target=lambda: (time.sleep(0.5), print('thread done', "
             "flush=True))).start()")
    done = _kith(tmp_path, "--version", setup=setup)
    assert done.returncode == 0
    assert "thread done" in done.stdout


def test_new_finds_the_same_url_under_dated_permalinks_folders_and_slugs(make_site,
                                                                        capsys) -> None:
    """helper-32: a /:year/:slug/ permalink, a post in a subfolder, a part without a
    number or with its own slug: each let a second page of one URL through."""
    year = dt.datetime.now(dt.UTC).year  # the site's zone: UTC
    root = make_site({
        f"content/posts/{year}-01-01-dup.md": POST,
        f"content/posts/old/{year}-01-02-sub.md": POST,
        "content/posts/2001-01-01-then.md": POST,
        "content/tutorials/s/two.md": POST,
        "content/tutorials/s/05-z.md": "---\ntitle: Z\nslug: 'zed'\n---\n"},
        config="title: T\nbase_url: https://example.com/\nlanguages: [en, zh]\n"
               "permalinks: {posts: '/:year/:slug/'}\n")
    for args, clash in ((("post", "Dup"), f"content/posts/{year}-01-01-dup.md"),
                        (("post", "Sub"), f"content/posts/old/{year}-01-02-sub.md"),
                        (("tutorial", "s", "Two"), "content/tutorials/s/two.md"),
                        (("tutorial", "s", "zed"), "content/tutorials/s/05-z.md")):
        assert main(["-C", str(root), "new", *args]) == 1, args
        assert capsys.readouterr().err.startswith(f"{clash}: a p"), args
    assert main(["-C", str(root), "new", "post", "Then"]) == 0  # another year: another URL
    assert main(["-C", str(root), "new", "tutorial", "s", "Three"]) == 0
    assert (root / "content/tutorials/s/06-three.md").is_file()


def test_a_title_ending_in_a_language_code_stays_in_its_language(make_site, capsys) -> None:
    """'Hello zh' was hello-zh.md: the zh version of hello.md, published at /zh/."""
    root = make_site({}, config="title: T\nbase_url: https://example.com/\n"
                                "languages: [en, zh]\n")
    assert main(["-C", str(root), "new", "post", "Hello zh"]) == 0
    (path,) = (root / "content/posts").glob("*.md")
    assert path.name.endswith("-hello-zh-en.md")
    assert main(["-C", str(root), "build", "--drafts", "--future"]) == 0  # (the clock's pinned)
    assert (root / "_site/posts/hello-zh/index.html").is_file()
    assert not (root / "_site/zh/posts").exists()



def test_output_is_read_from_the_folder_kith_runs_in_even_with_c(
        make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a shell completes it (docs/publishing.md): not from the -C folder."""
    root = make_site({"content/about.md": "---\ntitle: About\n---\nMe.\n"})
    here = tmp_path / "elsewhere"
    here.mkdir()
    monkeypatch.chdir(here)
    assert main(["-C", str(root), "build", "--output", "public"]) == 0
    assert (here / "public/about/index.html").is_file()
    assert not (root / "public").exists()
