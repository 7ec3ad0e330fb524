"""The theme as readers get it, in Debian Chromium: search in English and Chinese under
a /repo/ base path, the copy button, the colour-theme toggle, image attributes."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from browser import chromium
from linkcheck import serve
from PIL import Image
from test_golden import example_copy

from generator.build import build

pytestmark = pytest.mark.browser
DARK_BG = "rgb(23, 22, 20)"
LIGHT_BG = "rgb(251, 250, 247)"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site plus a post with a big photo, built for /repo/ and served there."""
    tmp = tmp_path_factory.mktemp("theme-browser")
    root = example_copy(tmp)
    buffer = io.BytesIO()
    Image.new("RGB", (1800, 900), (30, 90, 160)).save(buffer, format="JPEG")
    (root / "content/posts/photo.jpg").write_bytes(buffer.getvalue())
    (root / "content/posts/2026-10-20-photo.md").write_text(
        "---\ntitle: A photo post\ntags: [writing]\n---\n\n"
        + "Some words before the pictures.\n\n" * 3
        + '![A blue field](photo.jpg "The caption")\n\n' + "More words.\n\n" * 40
        + "![The same field again](photo.jpg)\n", encoding="utf-8")
    (root / "content/posts/2026-10-21-angle.md").write_text(
        "---\ntitle: Angle brackets\n---\n\nA zebracorn test: `if (a < b && c > d)` holds "
        "when <i>x</i> is set, and &lt;tag&gt; is written with entities.\n", encoding="utf-8")
    www = tmp / "www"
    www.mkdir()
    with serve(www) as origin:
        build(root, output=www / "repo", base_url=f"{origin}/repo/", cache=False)
        yield f"{origin}/repo/"


def search(page, url: str, query: str) -> list[tuple[str, str]]:
    page.goto(f"{url}?q={query}")
    page.wait_for_selector(".search-result a", timeout=15000)
    return [(a.get_attribute("href"), a.inner_text())
            for a in page.query_selector_all(".search-result-title a")]


def test_search_in_english_and_chinese_under_the_base_path(site: str) -> None:
    origin = site.rsplit("/repo/", 1)[0]
    with chromium() as browser:
        page = browser.new_page()
        hosts: set[str] = set()
        page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
        found = search(page, f"{site}search/", "elections")
        assert ("/repo/posts/raft-log/", "What the Raft log actually guarantees") in found
        assert all(href.startswith("/repo/") for href, _ in found)
        marks = page.eval_on_selector_all(".search-excerpt mark", "m => m.map(x => x.textContent)")
        assert marks and all("lection" in m.lower() for m in marks)
        status = page.inner_text(".search-status[role=status]")
        assert status == f"{len(found)} result{'s' if len(found) > 1 else ''} for “elections”"
        # A word only in a title (Pagefind indexes the title as a meta field).
        assert search(page, f"{site}search/", "photo") == [("/repo/posts/photo/", "A photo post")]
        # Chinese: the Chinese index only (segmented words), strings in Chinese.
        zh = search(page, f"{site}zh/search/", "日志")
        assert zh and all(href.startswith("/repo/zh/") for href, _ in zh)
        assert "Raft 日志到底保证了什么" in [title for _, title in zh]
        assert "找到" in page.inner_text(".search-status[role=status]")
        # Nothing found, said in words.
        page.fill("#search-q", "zzyzx")
        page.press("#search-q", "Enter")
        page.wait_for_function("document.querySelector('.search-status').textContent"
                               ".includes('zzyzx')")
        assert page.inner_text(".search-status[role=status]") == "没有找到与“zzyzx”相关的内容。"
        assert hosts == {origin.split("/")[2]}  # no request to any other host
        # The header's search box on any page leads to the results.
        page.goto(f"{site}posts/raft-log/")
        page.fill("#site-search-q", "leases")
        page.press("#site-search-q", "Enter")
        page.wait_for_selector(".search-result a", timeout=15000)
        assert page.url == f"{site}search/?q=leases"


def test_search_excerpts_show_angle_brackets_as_written(site: str) -> None:
    """Pagefind writes '<' and '>' of the page's text as '&lt;' and '&gt;' in its
    excerpts; the reader sees the characters, and markup in the post stays text."""
    with chromium() as browser:
        page = browser.new_page()
        assert search(page, f"{site}search/", "zebracorn") == [
            ("/repo/posts/angle/", "Angle brackets")]
        text = page.inner_text(".search-excerpt")
        assert "if (a < b && c > d) holds when x is set" in text
        assert "&lt;" not in text and "&gt;" not in text
        assert page.eval_on_selector_all(".search-excerpt *", "e => e.map(x => x.tagName)") \
            == ["MARK"]


def test_copy_button_by_keyboard_announces_and_copies(site: str) -> None:
    with chromium() as browser:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(f"{site}posts/raft-log/")
        block = page.locator(".code-block").first
        assert block.locator(".code-lang").inner_text() == "Go"
        button = block.locator("button.copy-button")
        assert button.get_attribute("aria-label") == "Copy code"
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('kith-status').textContent !== ''")
        assert page.inner_text("#kith-status") == "Copied to the clipboard"
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("func (r *Replica) handleAppend(") and "<span" not in copied
        assert button.inner_text() == "Copied to the clipboard"
        # Without JavaScript: the label is there, no button, nothing broken.
        bare = browser.new_context(java_script_enabled=False).new_page()
        bare.goto(f"{site}posts/raft-log/")
        assert bare.locator(".code-lang").first.inner_text() == "Go"
        assert bare.locator("button.copy-button").count() == 0
        assert not bare.locator(".theme-toggle").is_visible()


def test_theme_toggle_survives_a_reload_without_a_flash(site: str) -> None:
    with chromium() as browser:
        page = browser.new_page(color_scheme="light")
        page.goto(site)
        toggle = page.locator(".theme-toggle")
        background = "getComputedStyle(document.body).backgroundColor"
        assert toggle.get_attribute("data-state") == "system"
        assert page.evaluate(background) == LIGHT_BG
        toggle.click()  # system -> light
        toggle.click()  # light -> dark
        assert toggle.get_attribute("data-state") == "dark"
        assert toggle.get_attribute("aria-label") == "Colour theme: dark (change)"
        assert page.evaluate(background) == DARK_BG
        page.wait_for_function("document.getElementById('kith-status').textContent"
                               " === 'Colour theme: dark (change)'")  # said aloud too
        # Another page, its stylesheet held back: the choice is on <html> before any style
        # arrives, so the first styled paint is already dark.
        held: list = []
        page.route("**/*.css", lambda route: held.append(route))
        page.goto(f"{site}posts/raft-log/", wait_until="commit")
        page.wait_for_selector("html[data-theme]", state="attached", timeout=5000)
        assert held and page.evaluate("document.documentElement.dataset.theme") == "dark"
        for route in held:
            route.continue_()
        page.unroute("**/*.css")
        page.wait_for_load_state("load")
        assert page.evaluate(background) == DARK_BG
        assert page.locator(".theme-toggle").get_attribute("data-state") == "dark"
        page.locator(".theme-toggle").click()  # dark -> system (light here)
        page.reload()
        assert page.evaluate("document.documentElement.hasAttribute('data-theme')") is False
        assert page.evaluate(background) == LIGHT_BG


def test_images_have_their_size_srcset_and_caption(site: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 800},
                                device_scale_factor=2)
        page.goto(f"{site}posts/photo/")
        first, second = page.locator(".prose img").all()
        assert (first.get_attribute("width"), first.get_attribute("height")) == ("1800", "900")
        assert first.get_attribute("loading") is None  # the first image loads at once
        assert second.get_attribute("loading") == "lazy"
        assert page.locator("figure figcaption").inner_text() == "The caption"
        first.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('.prose img').complete")
        current = first.evaluate("i => i.currentSrc")
        assert current.endswith("/repo/posts/photo.960w.jpg")  # a phone at 2x: not 1800px
        ratio = first.evaluate("i => i.getBoundingClientRect().width / "
                               "i.getBoundingClientRect().height")
        assert abs(ratio - 2) < 0.01
        svg = browser.new_page()
        svg.goto(f"{site}posts/raft-log/")
        diagram = svg.locator(".prose img").first
        assert (diagram.get_attribute("width"), diagram.get_attribute("height")) == ("480", "210")



def test_search_merges_every_shard_under_the_base_path(make_site, tmp_path) -> None:
    """A language in many shards (old pages in big ones, the newest in small ones): a
    word in the oldest post and one in the newest are found, links carry /repo/."""
    posts = {f"content/posts/2026-{i // 28 + 1:02d}-{i % 28 + 1:02d}-p{i}.md":
             f"---\ntitle: Post number {i}\n---\nCommon words about consensus, post {i}.\n"
             for i in range(240)}
    posts["content/posts/2026-01-01-p0.md"] = "---\ntitle: Oldest\n---\nA quokka here.\n"
    posts["content/posts/2026-09-16-p239.md"] = "---\ntitle: Newest\n---\nA narwhal.\n"
    root = make_site(posts, config="title: T\nbase_url: https://e.org/\nlanguage: en\n"
                     "search: {shard_size: 50}\n")
    www = tmp_path / "www"
    www.mkdir()
    with serve(www) as origin:
        build(root, output=www / "repo", base_url=f"{origin}/repo/", cache=False)
        bundles = sorted(p.parent.name for p in (www / "repo/pagefind/en").rglob(
            "pagefind-entry.json"))
        assert len(bundles) > 5  # the runtime's bundle ('en') and the merged ones
        with chromium() as browser:
            page = browser.new_page()
            url = f"{origin}/repo/search/"
            assert search(page, url, "quokka") == [("/repo/posts/p0/", "Oldest")]
            assert search(page, url, "narwhal") == [("/repo/posts/p239/", "Newest")]
            assert len(search(page, url, "consensus")) == 10  # first page of 238
