"""`kith serve` over HTTP: base path, pretty URLs, 404, path traversal, live reload events."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from generator.serve import EVENTS, Preview

CONFIG = "title: Served\nbase_url: https://example.com/repo/\nlanguages: [en]\n"
POST = "---\ntitle: {title}\ntags: [raft]\n---\n\n{body}\n"


@pytest.fixture
def served(make_site) -> Iterator[Preview]:
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(title="A", body="First body."),
        "content/posts/2026-01-02-b.md": POST.format(title="B", body="Second body."),
        "content/notes.md": "---\ntitle: Notes\npermalink: /notes.html\n---\nNotes.\n",
        "content/posts/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    }, config=CONFIG)
    preview = Preview(root, port=0, quiet=True)
    preview.start()
    loop = threading.Thread(target=preview.watch_forever, daemon=True)
    loop.start()
    try:
        yield preview
    finally:
        preview.stop()
        loop.join(timeout=5)


def get(preview: Preview, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A raw request: the path goes out exactly as written (no client-side normalising)."""
    conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    conn.putrequest(method, path, skip_accept_encoding=True)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def events(preview: Preview, since: int) -> Iterator[tuple[str, dict]]:
    sock = socket.create_connection(("127.0.0.1", preview.port), timeout=20)
    sock.sendall(f"GET {EVENTS}?since={since} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    buffer = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return
            buffer += chunk
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                lines = dict(line.split(": ", 1) for line in block.decode().splitlines()
                             if ": " in line and not line.startswith(":"))
                if "event" in lines:
                    yield lines["event"], json.loads(lines.get("data", "{}"))
    finally:
        sock.close()


def wait_for(stream: Iterator[tuple[str, dict]], name: str) -> dict:
    for event, data in stream:
        if event == name:
            return data
    raise AssertionError(f"no {name} event")


def test_binds_localhost_and_serves_under_the_base_path(served: Preview) -> None:
    assert served.server is not None and served.server.server_address[0] == "127.0.0.1"
    status, headers, body = get(served, "/repo/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert b"/__kith/events" in body and body.rstrip().endswith(b"</html>")
    assert headers["cache-control"] == "no-store"
    # The reload script exists only in responses, never in the files.
    for path in served.output.rglob("*.html"):
        assert b"__kith" not in path.read_bytes(), path
    assert get(served, "/")[0] == 301 and get(served, "/")[1]["location"] == "/repo/"
    assert get(served, "/repo/posts/a/", "HEAD")[0] == 200
    status, headers, _ = get(served, "/repo/posts/a?x=1")
    assert status == 301 and headers["location"] == "/repo/posts/a/?x=1"
    assert get(served, "/repo/notes")[0] == 200  # pretty URL: notes -> notes.html
    # As GitHub Pages answers: a trailing slash asks for a folder, not a file.
    for path in ("/repo/notes/", "/repo/notes.html/", "/repo/index.html/",
                 "/repo/posts/pic.svg/"):
        assert get(served, path)[0] == 404, path
    status, headers, body = get(served, "/repo/posts/pic.svg")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")
    assert b"__kith" not in body


def test_not_found_uses_the_site_404_page(served: Preview) -> None:
    status, _, body = get(served, "/repo/no/such/page/")
    assert status == 404
    assert body == served.output.joinpath("404.html").read_bytes().replace(
        b"</body>", served.script() + b"</body>")
    assert get(served, "/elsewhere/")[0] == 404


@pytest.mark.parametrize("path", [
    "/../site.yaml", "/repo/../site.yaml", "/repo/../../site.yaml", "/repo/%2e%2e/site.yaml",
    "/repo/%2E%2E/%2E%2E/site.yaml", "/repo/..%2fsite.yaml", "/repo/%2e%2e%2fsite.yaml",
    "/repo/posts/../../site.yaml", "/repo/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/repo/..\\site.yaml", "/repo/%00", "/repo/%ff", "//etc/passwd", "/repo//etc/passwd",
])
def test_never_serves_outside_the_output_folder(served: Preview, path: str) -> None:
    status, _, body = get(served, path)
    assert status in (301, 404), (path, status)
    assert b"base_url" not in body and b"root:" not in body


def test_symlinks_out_of_the_output_folder_are_refused(served: Preview) -> None:
    outside = served.root / "site.yaml"
    os.symlink(outside, served.output / "leak.txt")
    os.symlink(served.root, served.output / "leakdir")
    inside = served.output / "posts" / "a" / "index.html"
    os.symlink(inside, served.output / "alias.html")
    try:
        assert get(served, "/repo/leak.txt")[0] == 404
        assert get(served, "/repo/leakdir/site.yaml")[0] == 404
        assert get(served, "/repo/alias.html")[0] == 200  # inside: fine
    finally:
        for name in ("leak.txt", "leakdir", "alias.html"):
            (served.output / name).unlink()


def test_edit_rebuilds_then_reloads(served: Preview) -> None:
    stream = events(served, served.generation)
    assert wait_for(stream, "hello")["problems"] == []
    post = served.root / "content/posts/2026-01-01-a.md"
    started = time.monotonic()
    post.write_text(POST.format(title="A", body="Edited body."), encoding="utf-8")
    wait_for(stream, "reload")
    assert time.monotonic() - started < 10
    assert b"Edited body." in get(served, "/repo/posts/a/")[2]


def test_atomic_save_and_editor_temp_files(served: Preview) -> None:
    stream = events(served, served.generation)
    wait_for(stream, "hello")
    folder = served.root / "content/posts"
    # vim's swap and probe files, emacs lock and backup files: no rebuild for those...
    for name in (".2026-01-01-a.md.swp", "4913", "2026-01-01-a.md~", ".#2026-01-01-a.md",
                 "#2026-01-01-a.md#"):
        assert not served.relevant(str(folder / name)), name
    assert served.relevant(str(folder / "2026-01-01-a.md"))
    assert served.relevant(str(served.root / "site.yaml"))
    assert not served.relevant(str(served.root / "_site/index.html"))
    assert not served.relevant(str(served.root / ".cache/serve/index.html"))
    # ...while a save through a temporary file and a rename is seen.
    temp = folder / ".2026-01-02-b.md.tmp"
    temp.write_text(POST.format(title="B", body="Saved atomically."), encoding="utf-8")
    os.replace(temp, folder / "2026-01-02-b.md")
    wait_for(stream, "reload")
    assert b"Saved atomically." in get(served, "/repo/posts/b/")[2]


def test_a_new_symlink_to_a_file_outside_content_is_seen(served: Preview) -> None:
    """relevant() resolved the link itself: content/linked.txt -> ../shared.txt counted as
    a change of shared.txt, outside content/, and the new file was never built."""
    stream = events(served, served.generation)
    wait_for(stream, "hello")
    (served.root / "shared.txt").write_text("shared\n", encoding="utf-8")
    assert not served.relevant(str(served.root / "shared.txt"))
    os.symlink("../shared.txt", served.root / "content/linked.txt")
    assert served.relevant(str(served.root / "content/linked.txt"))
    wait_for(stream, "reload")
    assert get(served, "/repo/linked.txt")[:3:2] == (200, b"shared\n")


def test_failed_build_keeps_the_last_good_site_and_reports(served: Preview) -> None:
    stream = events(served, served.generation)
    wait_for(stream, "hello")
    post = served.root / "content/posts/2026-01-01-a.md"
    good = (served.output / "posts/a/index.html").read_bytes()
    post.write_text("---\ntitle: [A\ntags: [raft]\n---\n\n<b>Broken</b> body.\n", encoding="utf-8")
    problems = wait_for(stream, "problems")["problems"]
    assert problems and problems[0].startswith("content/posts/2026-01-01-a.md:")
    served_page = get(served, "/repo/posts/a/")[2]
    assert served_page.split(b"<script>window.__kith")[0] == good.split(b"</body>")[0]
    status = json.loads(get(served, "/__kith/status")[2])
    assert status["problems"] == problems
    # The overlay data is JSON inside <script>: '<' can never close the element.
    post.write_text("---\ntitle: '</script><b>x'\ndate: nope\n---\n", encoding="utf-8")
    wait_for(stream, "problems")
    page = get(served, "/repo/posts/b/")[2].decode()
    state = page[page.index("window.__kith=") + 14: page.index(";</script>")]
    assert "<" not in state and "'nope'" in json.loads(state)["problems"][0]
    post.write_text(POST.format(title="A", body="Fixed."), encoding="utf-8")
    wait_for(stream, "reload")
    assert b"Fixed." in get(served, "/repo/posts/a/")[2]
    assert served.problems == []


def test_state_is_saved_once_idle_and_on_stop(served: Preview,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Saving waits for a quiet moment (it is slow on big sites), but it happens."""
    from generator import cache, serve

    monkeypatch.setattr(serve, "SAVE_AFTER", 0.3)
    assert served.builder is not None
    state = cache.state_path(served.root, served.builder.output)
    stream = events(served, served.generation)
    wait_for(stream, "hello")
    post = served.root / "content/posts/2026-01-01-a.md"
    post.write_text(POST.format(title="A", body="Saved later."), encoding="utf-8")
    wait_for(stream, "reload")
    deadline = time.monotonic() + 10
    while cache.load_state(state).digests.get("content/posts/2026-01-01-a.md") != \
            served.builder.state.digests["content/posts/2026-01-01-a.md"]:
        assert time.monotonic() < deadline, "not saved after the changes stopped"
        time.sleep(0.05)
    post.write_text(POST.format(title="A", body="Saved on stop."), encoding="utf-8")
    wait_for(stream, "reload")
    served.stop()
    saved = cache.load_state(state).digests["content/posts/2026-01-01-a.md"]
    assert saved == served.builder.state.digests["content/posts/2026-01-01-a.md"]


def test_lost_events_make_the_next_build_look_at_everything(served: Preview) -> None:
    """When the kernel's event queue overflows (watchdog only logs it), edits may have
    gone unseen: the preview rebuilds, walking every source."""
    import logging

    from generator.serve import OVERFLOW_LOGGER

    stream = events(served, served.generation)
    wait_for(stream, "hello")
    post = served.root / "content/posts/2026-01-02-b.md"
    served._observer.unschedule_all()  # this edit is not seen by the watcher
    post.write_text(POST.format(title="B", body="Unseen edit."), encoding="utf-8")
    logging.getLogger(OVERFLOW_LOGGER).warning(
        "Inotify queue overflowed; filesystem events were lost")
    wait_for(stream, "reload")
    assert b"Unseen edit." in get(served, "/repo/posts/b/")[2]


def test_hashed_assets_are_cached_for_a_year_and_search_works(served: Preview) -> None:
    """Content-hashed CSS and JS never change under their names; the rest is no-store."""
    _, _, page = get(served, "/repo/posts/a/")
    href = page.split(b'rel="stylesheet" href="', 1)[1].split(b'"', 1)[0].decode()
    assert href.startswith("/repo/assets/style.") and href.endswith(".css")
    status, headers, _ = get(served, href)
    assert status == 200
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert get(served, "/repo/assets/favicon.svg")[1]["cache-control"] == "no-store"
    # The search index is served with the preview, under the base path.
    status, headers, body = get(served, "/repo/pagefind/en/pagefind-entry.json")
    assert status == 200 and headers["cache-control"] == "no-store"
    assert json.loads(body)["languages"]["en"]["page_count"] == 3


def test_warnings_are_shown_once_each_as_they_appear(make_site, capsys) -> None:
    """kith serve printed no warning at all: a broken link or a symlink it did not follow
    went unseen until the published site had it."""
    root = make_site({"content/posts/2026-01-01-a.md": POST.format(title="A",
                                                                   body="[x](/nope/)")},
                     config=CONFIG)
    preview = Preview(root, port=0)
    preview.start()
    try:
        first = capsys.readouterr().err.splitlines()
        assert first[:2] == [
            "content/posts/2026-01-01-a.md:6: warning: link to '/nope/': the site has no "
            "such page or file",
            "  hint: check the URL; root-relative links start at the site's root"]
        (root / "content/posts/2026-01-02-b.md").write_text(
            POST.format(title="B", body="[y](missing.md)"), encoding="utf-8")
        preview.rebuild()
        assert capsys.readouterr().err.splitlines()[:2] == [
            "content/posts/2026-01-02-b.md:6: warning: link to a missing file 'missing.md'",
            "  hint: check the path; links are relative to this file"]
        (root / "content/posts/2026-01-02-b.md").write_text(
            POST.format(title="B", body="[y](missing.md) and more"), encoding="utf-8")
        preview.rebuild()
        assert len(capsys.readouterr().err.splitlines()) == 1  # 'built in ...' alone
    finally:
        preview.stop()


def test_a_restarted_preview_counts_the_warnings_it_showed_before(make_site, capsys) -> None:
    """The first build of kith serve printed every warning of an imported blog (thousands)
    each time it started: those its last build reported are counted, new ones shown."""
    root = make_site({"content/posts/2026-01-01-a.md": POST.format(title="A",
                                                                   body="[x](/nope/)")},
                     config=CONFIG)
    shown = []
    for body in ("[x](/nope/)", "[x](/nope/)", "[x](/nope/) [y](/gone/)"):
        (root / "content/posts/2026-01-01-a.md").write_text(POST.format(title="A", body=body),
                                                            encoding="utf-8")
        preview = Preview(root, port=0)
        preview.start()
        preview.stop()
        shown.append([line for line in capsys.readouterr().err.splitlines()
                      if not line.startswith("built in ")])
    link = "content/posts/2026-01-01-a.md:6: warning: link to '{}': the site has no such " \
        "page or file"
    hint = "  hint: check the URL; root-relative links start at the site's root"
    assert shown == [
        [link.format("/nope/"), hint, "1 warning: link to '...': the site has no such page or "
         "file"],
        ["1 warning as in the last build, not shown again (kith build --all-warnings shows "
         "it): link to '...': the site has no such page or file"],
        [link.format("/gone/"), hint, "2 warnings, 1 new; 1 as in the last build, not shown "
         "again (kith build --all-warnings shows it): link to '...': the site has no such "
         "page or file"]]


def test_a_link_to_a_draft_is_named_alike_when_a_page_is_patched(make_site, capsys) -> None:
    """kith serve patches an edited page's links on its own: the warning for a link to a
    draft must read as the full build's, or it shows again as new on every save."""
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(title="A", body="[b](2026-01-02-b.md)"),
        "content/posts/2026-01-02-b.md": "---\ntitle: B\ndraft: true\n---\nx\n"},
        config=CONFIG)
    preview = Preview(root, port=0)
    preview.start()
    try:
        assert capsys.readouterr().err.splitlines()[:2] == [
            "content/posts/2026-01-01-a.md:6: warning: link to '2026-01-02-b.md', which this "
            "build leaves out (draft)",
            "  hint: the link works once that page is published (--drafts includes it)"]
        (root / "content/posts/2026-01-01-a.md").write_text(
            POST.format(title="A", body="[b](2026-01-02-b.md), edited"), encoding="utf-8")
        preview.rebuild()
        assert len(capsys.readouterr().err.splitlines()) == 1  # 'built in ...' alone
    finally:
        preview.stop()


def test_the_base_path_holds_while_a_setting_is_wrong(make_site) -> None:
    """Started with 'paginate: ten', the preview served at / and kept it after the fix."""
    root = make_site({"content/posts/2026-01-01-a.md": POST.format(title="A", body="a")},
                     config=CONFIG + "paginate: ten\n")
    preview = Preview(root, port=0, quiet=True)
    preview.start()
    try:
        assert preview.base_path == "/repo/"
        (root / "site.yaml").write_text(CONFIG, encoding="utf-8")
        preview.rebuild()
        assert get(preview, "/repo/posts/a/")[0] == 200
    finally:
        preview.stop()
