"""Attacks on the light fields (toc, summary_html, words, reading_minutes, lead) stored
apart and versioned by value: each warm build must equal a clean build, byte for byte.

Written by a helper that attacked the change in a scratch clone (stop 28); its one
finding, kith serve dropping a patched page's light row, is tested in
test_light_fields.py."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_incremental import clean_build, edit, tree, write

from generator.build import build
from generator.errors import KithError

Step = Callable[[Path], None]

LONG = "A long paragraph of the post's own words. " * 30


def _post(title: str, body: str, extra: str = "", tags: str = "[raft]") -> str:
    return f"---\ntitle: {title}\ntags: {tags}\n{extra}---\n\n{body}\n"


def _site(root: Path, config: str = "") -> Path:
    write(root, "site.yaml", "title: Light\nbase_url: https://example.com/\nlanguage: en\n"
                             "languages: [en, zh]\npaginate: 3\n" + config)
    for i in range(8):
        body = f"Post {i} opens with a sentence that lists show.\n\n{LONG}"
        if i == 3:
            body = f"See [post five](2025-01-06-p5.md) first.\n\n{LONG}"
        if i == 4:
            body = f"A formula $x^2 + y$ opens it, and [five](2025-01-06-p5.md).\n\n{LONG}"
        write(root, f"content/posts/2025-01-{i + 1:02d}-p{i}.md",
              _post(f"P{i}", body, tags="[raft, go]" if i % 2 else "[raft]"))
    write(root, "content/posts/2025-01-20-cn-zh.md",
          _post("中文", "这是一个很长的中文段落。" * 30, "", "[共识]"))
    write(root, "content/tutorials/sql/01-a.md", "---\ntitle: A\n---\nPart A opens.\n\n" + LONG)
    write(root, "content/tutorials/sql/02-b.md", "---\ntitle: B\n---\nPart B.\n")
    write(root, "content/about.md", "---\ntitle: About\n---\nAbout me.\n")
    return root


def _run(site: Path, tmp_path: Path, steps: list[Step], **kw: object) -> None:
    build(site, **kw)
    for n, step in enumerate(steps):
        step(site)
        build(site, **kw)
        got, want = tree(site / "_site"), clean_build(site, tmp_path)
        diff = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
        assert not diff, (n, diff)


def _sub(rel: str, old: str, new: str) -> Step:
    def step(root: Path) -> None:
        edit(root, rel, lambda t: t.replace(old, new, 1) if old in t
             else pytest.fail(f"{old!r} not in {rel}"))
    return step


def _w(rel: str, data: str) -> Step:
    return lambda root: write(root, rel, data)


P = "content/posts/2025-01-{:02d}-p{}.md".format
P2 = P(3, 2)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return _site(tmp_path / "site")


def test_lead_edits(site: Path, tmp_path: Path) -> None:
    _run(site, tmp_path, [
        _sub(P2, "Post 2 opens", "Post two opens"),          # lead changes
        lambda r: edit(r, P2, lambda t: t + "\nEnd para.\n"),  # lead same
        _sub(P2, "Post two opens with a sentence that lists show.\n\n",
             "Short lead.\n\n<!--more-->\n\n"),               # more added
        _sub(P2, "Short lead.\n\n<!--more-->\n\n", "Short lead.\n\n"),  # more removed
        _sub(P2, "Short lead.\n\n", "Short lead.\n\nSecond <b>x</b>.\n\n<!--more-->\n\n"),
        _sub(P2, "Second <b>x</b>.\n\n<!--more-->\n\n", "<!--more-->\n\nSecond <b>x</b>.\n\n"),
        _sub(P2, "<!--more-->", "<!-- more -->"),
        _sub(P2, "---\n\nShort", "summary: Mine\n---\n\nShort"),   # summary added
        _sub(P2, "summary: Mine\n", "summary: ''\n"),
        _sub(P2, "summary: ''\n", ""),                                # summary removed
    ])


def test_lead_at_the_cut(site: Path, tmp_path: Path) -> None:
    rel = P(2, 1)
    base = "x" * 195
    _run(site, tmp_path, [
        _w(rel, _post("P1", base + " abcd" + "\n\nTail.")),       # 200 exactly
        _w(rel, _post("P1", base + " abcde" + "\n\nTail.")),      # 201
        _w(rel, _post("P1", base + " abcd" + "\n\nTail more.")),  # same lead, end edit
        _w(rel, _post("P1", "家" * 199 + "👨‍👩‍👧" + "尾" * 10)),
        _w(rel, _post("P1", "家" * 199 + "👨‍👩‍👦" + "尾" * 10)),    # change past the cut
        _w(rel, _post("P1", "家" * 198 + "🇫🇷🇩🇪" + "尾")),
        _w(rel, _post("P1", "家" * 198 + "🇫🇷🇩🇪" + "尾尾")),
        _w(rel, _post("P1", "e\u0301" * 100 + "a\u0301" * 5)),
        _w(rel, _post("P1", "e\u0301" * 100 + "o\u0301" * 5)),
        _w(rel, _post("P1", "word " * 39 + "word\u00a0" + "tail " * 5)),
        _w(rel, _post("P1", "word " * 39 + "word\u2028" + "tail " * 5)),
    ])


def test_math_and_links_in_the_summary(site: Path, tmp_path: Path) -> None:
    p4 = P(5, 4)
    p5 = P(6, 5)
    _run(site, tmp_path, [
        _sub(p4, "$x^2 + y$", "$x^3 + y$"),
        lambda r: edit(r, p4, lambda t: t + "\nEnd.\n"),
        lambda r: (r / p5).rename(r / "content/posts/2025-01-06-p5b.md"),   # target moves
        _w(p5, _post("P5", "Back.")),
        lambda r: (r / p5).unlink(),                                        # target gone
        _sub(p4, "$x^3 + y$", "no math"),
        _sub(p4, "no math", "$z$"),
    ])


def test_base_path(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    edit(site, "site.yaml", lambda t: t.replace("https://example.com/",
                                                "https://example.com/blog/"))
    _run(site, tmp_path, [
        lambda r: write(r, "content/posts/2025-02-01-new.md", _post("New", "Newest.")),
        _sub(P(4, 3), "See [post five]", "See [the fifth]"),
        lambda r: edit(r, P(4, 3), lambda t: t + "\n[root](/about/)\n"),
        lambda r: write(r, "content/posts/2025-02-02-new2.md", _post("New2", "Newer.")),
    ])


def _sql(site: Path, query: str) -> int:
    db = sqlite3.connect(site / ".cache" / "content.sqlite")
    with db:
        n = db.execute(query).rowcount
    db.close()
    return n


def test_light_rows_gone_then_edit(site: Path, tmp_path: Path) -> None:
    build(site)
    assert _sql(site, "DELETE FROM entries WHERE k LIKE '%:light'") > 0
    _sub(P2, "Post 2 opens", "Post two opens")(site)
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    write(site, "content/posts/2025-02-01-new.md", _post("New", "Newest."))
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_full_rows_gone_light_rows_kept(site: Path, tmp_path: Path) -> None:
    build(site)
    n = _sql(site, "DELETE FROM entries WHERE length(k) = 40")
    assert n > 0
    write(site, "content/posts/2025-02-01-new.md", _post("New", "Newest."))
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    _sub(P(5, 4), "$x^2 + y$", "$x^9$")(site)
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_failed_build_then_fixed(site: Path, tmp_path: Path) -> None:
    build(site)
    _sub(P2, "title: P2", "title: [unclosed")(site)
    _sub(P(4, 3), "See [post", "Now see [post")(site)
    with pytest.raises(KithError):
        build(site)
    _sub(P2, "title: [unclosed", "title: P2")(site)
    build(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_killed_build_then_next(site: Path, tmp_path: Path) -> None:
    build(site)
    for i in range(40):
        write(site, f"content/posts/2025-03-{1 + i % 28:02d}-k{i}.md",
              _post(f"K{i}", f"K{i} lead.\n\n" + LONG * 3))
    _sub(P2, "Post 2 opens", "Post II opens")(site)
    env = {**os.environ, "PYTHONSAFEPATH": "1", "PYTHONPATH": str(Path(__file__).parents[2])}
    for delay in (0.4, 0.8, 1.2):
        proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(site), "build"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        _sub(P2, "Post II opens", "Post III opens")(site) if delay == 0.4 else None
    out = subprocess.run([sys.executable, "-m", "generator", "-C", str(site), "build"],
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert tree(site / "_site") == clean_build(site, tmp_path)


def _descriptions(site: Path) -> dict[str, tuple[str, str, int, str, str]]:
    from generator.build import load_site
    loaded = load_site(site)
    return {p.source: (p.description, p.summary_html, p.words, repr(p.toc), p.text[:50])
            for p in loaded.pages}


def test_load_site_descriptions(site: Path, tmp_path: Path) -> None:
    build(site)
    _sub(P2, "Post 2 opens", "Post two opens")(site)
    _sub(P(5, 4), "$x^2 + y$", "$w$")(site)
    warm = _descriptions(site)        # store holds the older results
    clean = tmp_path / "c"
    import shutil
    shutil.copytree(site / "content", clean / "content")
    shutil.copy2(site / "site.yaml", clean / "site.yaml")
    assert warm == _descriptions(clean)
    build(site)
    assert _descriptions(site) == _descriptions(clean)
    (site / "content/posts/2025-01-06-p5.md").rename(site / "content/posts/2025-01-06-p5x.md")
    (clean / "content/posts/2025-01-06-p5.md").rename(clean / "content/posts/2025-01-06-p5x.md")
    assert _descriptions(site) == _descriptions(clean)


def _diff(site: Path, tmp_path: Path) -> list[str]:
    got, want = tree(site / "_site"), clean_build(site, tmp_path)
    return sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))


def test_serve_patches_then_one_shot(site: Path, tmp_path: Path) -> None:
    from generator.build import Builder
    builder = Builder(site, output=site / "_site", keep_memo=True, trust_outputs=True)
    builder.build()
    tut = "content/tutorials/sql/01-a.md"
    steps: list[Step] = [
        _sub(P2, "Post 2 opens", "Post two opens"),
        lambda r: edit(r, P2, lambda t: t + "\nEnd para.\n"),
        _sub(P2, "Post two opens with a sentence that lists show.\n\n",
             "Short lead.\n\n<!--more-->\n\n"),
        _sub(tut, "Part A opens.", "Part A now opens."),
        lambda r: edit(r, tut, lambda t: t + "\nTail.\n"),
        _sub(P(5, 4), "$x^2 + y$", "$x^3$"),
        _sub(P(5, 4), "$x^3$", "no math"),
    ]
    for n, step in enumerate(steps):
        step(site)
        builder.build()
        assert _diff(site, tmp_path) == [], ("serve", n)
    builder.persist()
    # one-shot builds on the store the preview wrote
    for n, step in enumerate([
        _sub(P2, "Short lead.", "Shorter lead."),
        lambda r: edit(r, tut, lambda t: t + "\nTail 2.\n"),
        _sub(P(5, 4), "no math", "$q$"),
        lambda r: write(r, "content/posts/2025-02-01-new.md", _post("New", "Newest.")),
    ]):
        step(site)
        build(site)
        assert _diff(site, tmp_path) == [], ("one-shot", n)


def test_tutorial_and_series_leads(site: Path, tmp_path: Path) -> None:
    tut = "content/tutorials/sql/01-a.md"
    _run(site, tmp_path, [
        _sub(tut, "Part A opens.", "Part A now opens."),
        lambda r: edit(r, tut, lambda t: t + "\nTail.\n"),
        _w("content/tutorials/sql/_index.md", "---\ntitle: SQL\n---\nThe series index.\n"),
        _sub("content/tutorials/sql/_index.md", "The series", "This series"),
        lambda r: (r / "content/tutorials/sql/_index.md").unlink(),
    ])


def test_same_body_two_folders(site: Path, tmp_path: Path) -> None:
    body = "See [sib](sib.md) and [up](../about.md).\n\n" + LONG
    _run(site, tmp_path, [
        _w("content/a/x.md", "---\ntitle: AX\n---\n" + body),
        _w("content/b/x.md", "---\ntitle: BX\n---\n" + body),
        _w("content/a/sib.md", "---\ntitle: SA\n---\nS.\n"),
        _w("content/posts/2025-02-01-dup.md", _post("Dup", body)),
        _w("content/posts/2025-02-02-dup2.md", _post("Dup", body)),
        _w("content/posts/sib.md", "---\ntitle: PS\ndate: 2025-01-01\n---\nS.\n"),
    ])


@pytest.mark.parametrize("jobs", [1, 2])
def test_jobs_variants(site: Path, tmp_path: Path, jobs: int) -> None:
    p4 = P(5, 4)
    _run(site, tmp_path, [
        _sub(P2, "Post 2 opens", "Post two opens"),
        lambda r: edit(r, P2, lambda t: t + "\nEnd para.\n"),
        _sub(p4, "$x^2 + y$", "$x^3 + y$"),
        lambda r: (r / P(6, 5)).rename(r / "content/posts/2025-01-06-p5b.md"),
        lambda r: write(r, "content/posts/2025-02-01-new.md", _post("New", "Newest.")),
        _sub(P(4, 3), "See [post five]", "See [post 5]"),
    ], jobs=jobs)


def test_service_read_odd_splits() -> None:
    import random

    from generator import search
    rng = random.Random(7)
    for _ in range(300):
        msgs = [bytes(rng.choice(b"ab=+/") for _ in range(rng.choice([0, 1, 2, 5, 70000])))
                for _ in range(rng.randint(1, 6))]
        stream = b"".join(m + b"," for m in msgs)
        cuts = sorted(rng.sample(range(len(stream) + 1), min(len(stream), rng.randint(0, 8))))
        chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)
                  if b > a]

        class Out:
            def __init__(self, chunks: list[bytes]) -> None:
                self.chunks = chunks

            def read1(self, n: int) -> bytes:
                return self.chunks.pop(0) if self.chunks else b""

        svc = search._Service.__new__(search._Service)
        svc.proc = type("Proc", (), {"stdout": Out(chunks)})()
        svc.last, svc.buffer = 0, bytearray()
        assert [svc._read() for _ in msgs] == msgs
        with pytest.raises(RuntimeError):
            svc._read()


def test_squeeze_matches_split_join() -> None:
    import random
    import re

    from generator import search
    old = re.compile(r"\s{2,}|[^\S ]")
    rng = random.Random(3)
    alphabet = [" ", "\n", "\t", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f", "\x85",
                "\xa0", "\u1680", "\u2000", "\u2028", "\u2029", "\u202f", "\u3000", "\u200b",
                "\ufeff", "a", "字"]
    for _ in range(20000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert search._squeeze(s) == old.sub(" ", s), repr(s)


def test_misc_edits(site: Path, tmp_path: Path) -> None:
    zh = "content/posts/2025-01-20-cn-zh.md"
    d = "content/posts/2025-02-03-draft.md"
    _run(site, tmp_path, [
        _sub(zh, "这是一个很长", "这是一段很长"),
        lambda r: edit(r, zh, lambda t: t + "\n结尾。\n"),
        _sub(P2, "title: P2\n", "title: P2\nauthor: X\n"),        # body_line moves
        _sub(P2, "author: X\n", ""),
        _w(d, _post("Draft", "Draft lead.", "draft: true\n")),
        _sub(d, "draft: true\n", ""),                              # published
        _sub(d, "Draft lead.", "Draft lead.\n\n<!--more-->\n\nBelow."),
        _sub(d, "Draft lead.", "```\n<!--more-->\n```\n\nDraft lead."),
        _sub(d, "Draft lead.", "Draft  lead."),                    # same lead value
        _sub(d, "Draft  lead.", "Draft\nlead."),
        _sub(P2, "---\n\nPost", "summary: Post 2 opens with a sentence that lists show.\n"
                                "---\n\nPost"),                  # summary equal to lead
        _sub(P2, "summary: Post 2", "summary: Post II"),
        _w("content/posts/2030-01-01-future.md", _post("Fut", "Future lead.")),
    ])


@pytest.mark.parametrize("config", ["", "feeds: {content: summary}\n"])
def test_summary_links_to_statics_and_drafts(tmp_path: Path, config: str) -> None:
    site = _site(tmp_path / "site", config)
    p4 = P(5, 4)
    d = "content/posts/2025-02-03-draft.md"
    _run(site, tmp_path, [
        _sub(p4, "and [five](2025-01-06-p5.md)", "and [data](data.txt), [d](2025-02-03-draft.md),"
             " ![i](img/pic.png), [anchor](2025-01-06-p5.md#top)"),
        _w("content/posts/data.txt", "hello"),
        _w(d, _post("Draft", "Draft lead.", "draft: true\n")),
        _sub(d, "draft: true\n", ""),
        lambda r: (r / "content/posts/data.txt").unlink(),
        lambda r: (r / "content/posts/img").mkdir(),
        lambda r: write(r, "content/posts/img/pic.png", b"\x89PNG fake"),
        _sub(d, "title: Draft\n", "title: Draft\nslug: moved\n"),
        _sub(d, "title: Draft\n", "title: Draft\ndraft: true\n"),
        lambda r: edit(r, "site.yaml", lambda t: t.replace("paginate: 3", "paginate: 2")),
    ])


def test_drafts_build_between(site: Path, tmp_path: Path) -> None:
    d = "content/posts/2025-02-03-draft.md"
    write(site, d, _post("Draft", "Draft lead.\n\n" + LONG, "draft: true\n"))
    build(site)
    _sub(d, "Draft lead.", "Draft lead two.")(site)
    _sub(P2, "Post 2 opens", "Post two opens")(site)
    build(site, drafts=True, output=tmp_path / "drafts")
    edit(site, P2, lambda t: t + "\nTail.\n")
    build(site)
    assert _diff(site, tmp_path) == []
    _sub(d, "draft: true\n", "")(site)
    build(site, drafts=True, output=tmp_path / "drafts")
    build(site)
    assert _diff(site, tmp_path) == []


def test_damaged_light_rows(site: Path, tmp_path: Path) -> None:
    build(site)
    db = sqlite3.connect(site / ".cache" / "content.sqlite")
    with db:
        rows = list(db.execute("SELECT k, v FROM entries WHERE k LIKE '%:light'"))
        for k, v in rows:
            b = bytearray(v)
            b[-1] ^= 0xFF
            db.execute("UPDATE entries SET v = ? WHERE k = ?", (bytes(b), k))
    db.close()
    write(site, "content/posts/2025-02-01-new.md", _post("New", "Newest."))
    build(site)
    assert _diff(site, tmp_path) == []
