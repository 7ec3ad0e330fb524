"""Live reload in a real headless Chromium: the open page follows the Markdown file."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from browser import chromium

from generator.serve import Preview

POST = "---\ntitle: {title}\ntags: [raft]\n---\n\n{body}\n"
pytestmark = pytest.mark.browser


@pytest.fixture
def served(make_site) -> Iterator[Preview]:
    root = make_site({
        "content/posts/2026-01-01-a.md": POST.format(title="Alpha", body="First version."),
        "content/posts/2026-01-02-b.md": POST.format(title="Beta", body="Other post."),
    }, config="title: Live\nbase_url: https://example.com/repo/\n")
    preview = Preview(root, port=0, quiet=True)
    preview.start()
    loop = threading.Thread(target=preview.watch_forever, daemon=True)
    loop.start()
    try:
        yield preview
    finally:
        preview.stop()
        loop.join(timeout=5)


def test_open_page_updates_shows_problems_and_recovers(served: Preview) -> None:
    post = served.root / "content/posts/2026-01-01-a.md"
    with chromium() as browser:
        page = browser.new_page()
        page.goto(served.url + "posts/a/")
        assert "First version." in page.inner_text("main")
        page.wait_for_function("() => window.__kith !== undefined")

        post.write_text(POST.format(title="Alpha", body="Second version."), encoding="utf-8")
        page.wait_for_function("() => document.body.innerText.includes('Second version.')",
                               timeout=15000)

        # Broken front matter: the page stays, an overlay names the file and line.
        post.write_text("---\ntitle: Alpha\ntags: [raft\n---\n\nThird.\n", encoding="utf-8")
        overlay = page.wait_for_selector("#kith-problems", timeout=15000)
        assert overlay is not None
        text = overlay.inner_text()
        assert "content/posts/2026-01-01-a.md:3" in text, text  # where [ opened
        assert "Second version." in page.inner_text("main")

        # A problem that contains markup is shown as text, not parsed as HTML.
        post.write_text("---\ntitle: Alpha\ndate: <img src=x onerror=alert(1)>\n---\n",
                        encoding="utf-8")
        page.wait_for_function("() => (document.getElementById('kith-problems') || {})"
                               ".innerText?.includes('<img src=x')", timeout=15000)
        assert page.query_selector("#kith-problems img") is None

        # Fixed: the tab reloads by itself, the overlay is gone.
        post.write_text(POST.format(title="Alpha", body="Fixed version."), encoding="utf-8")
        page.wait_for_function("() => document.body.innerText.includes('Fixed version.')",
                               timeout=15000)
        assert page.query_selector("#kith-problems") is None
        page.close()
