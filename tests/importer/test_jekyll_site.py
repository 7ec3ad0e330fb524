"""Where Jekyll writes each file: hand-written expectations, then the real Jekyll."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from jekyll_fixtures import CORPUS_SITES, STYLES, jekyll_outputs

from generator.importer.jekyll_site import read_site
from generator.importer.jekyll_urls import (
    add_permalink_suffix,
    expand_document_url,
    sanitize_url,
    slugify,
    titleize_slug,
)


@pytest.mark.parametrize(("text", "mode", "cased", "expected"), [
    ("repeatition-benefits-en copy 2", "pretty", True, "repeatition-benefits-en-copy-2"),
    ("with spaces & stuff", "pretty", True, "with-spaces-&-stuff"),
    ("Mixed_Case", "pretty", True, "Mixed_Case"),
    ("Mixed_Case", "default", False, "mixed-case"),
    ("v1.2-release", "pretty", True, "v1.2-release"),
    ("v1.2-release", "default", False, "v1-2-release"),
    ("中文标题", "pretty", True, "中文标题"),
    ("हिन्दी पाठ", "pretty", True, "हिन्दी-पाठ"),  # vowel signs are marks, kept
    ("  -Trim me!- ", "default", False, "trim-me"),
    ("Other Slug", "raw", False, "other-slug"),
])
def test_slugify_follows_jekyll(text: str, mode: str, cased: bool, expected: str) -> None:
    assert slugify(text, mode, cased) == expected


def test_url_helpers() -> None:
    assert titleize_slug("hiking-en") == "Hiking En"
    assert sanitize_url("//a/../b/./c") == "/a/b/c"
    assert add_permalink_suffix("/:path/:basename", "pretty") == "/:path/:basename/"
    assert add_permalink_suffix("/:path/:basename", "date") == "/:path/:basename:output_ext"
    assert add_permalink_suffix("/:path/:basename", "/:title") == "/:path/:basename"
    values = {"month": "01", "day": "07", "title": "x"}
    assert expand_document_url("/:month_:day/:title", values) == "/01_07/x"
    with pytest.raises(KeyError):
        expand_document_url("/:nope/:title", values)


# From research/real-blog.md §9 (Jekyll 3.10, permalink: /:title).
CORPUS_EXPECTED = {
    "jekyll-ai-blog": {
        "_posts/en/1995-06-30-childhood-en.md": ("/childhood-en", "childhood-en.html"),
        "_posts/zh/2025-03-29-marked-zh.md": ("/marked-zh", "marked-zh.html"),
        "notes/2025-02-10-x64-assembly-conv.md": ("/notes/2025-02-10-x64-assembly-conv",
                                                  "notes/2025-02-10-x64-assembly-conv.html"),
        "notes/2025-03-29-business-collapse-china-en.md": (
            "/notes/2025-03-29-business-collapse-china-en",
            "notes/2025-03-29-business-collapse-china-en.html"),
    },
    "blog-source": {
        "pages/donate-en.md": ("/pages/donate-en", "pages/donate-en.html"),
        "_posts/hant/2012-01-02-wife-hant.md": ("/wife-hant", "wife-hant.html"),
        "_posts/en/2013-03-24-hiking-en.md": ("/hiking-en", "hiking-en.html"),
        "original/2012-01-02-wife-en.md": ("/original/2012-01-02-wife-en",
                                           "original/2012-01-02-wife-en.html"),
    },
    "lzwjava.github.io": {
        "_posts/2024-12-18-repeatition-benefits-en copy 2.md": (
            "/repeatition-benefits-en-copy-2", "repeatition-benefits-en-copy-2.html"),
        "_posts/2024-12-17-future-cn.md": ("/future-cn", "future-cn.html"),
    },
}


@pytest.mark.parametrize("name", CORPUS_SITES)
def test_corpus_urls_match_hand_written_expectations(corpus: Path, name: str) -> None:
    site = read_site(corpus / name)
    items = {item.source: item for item in site.items}
    for source, (url, dest) in CORPUS_EXPECTED[name].items():
        assert (items[source].url, items[source].dest) == (url, dest), source
    assert not site.problems


def test_corpus_odd_files(corpus: Path) -> None:
    ai = read_site(corpus / "jekyll-ai-blog")
    sources = {item.source: item for item in ai.items}
    assert not any(s.startswith("original/") for s in sources)  # exclude: [original]
    assert ai.excluded == ("original/",)
    drafts = [i for i in ai.items if i.kind == "draft"]
    assert drafts and all(not i.written and i.skipped == "draft" for i in drafts)
    # hiking: two posts, one URL; Jekyll writes the later one last, so it stays.
    source = read_site(corpus / "blog-source")
    assert source.winners["hiking-en.html"] == "_posts/en/2013-03-24-hiking-en.md"
    assert source.winners["live-server-en.html"] == "_posts/en/2016-08-17-live-server-en.md"


def test_tricky_site_expectations(tricky: Callable[..., Path]) -> None:
    site = read_site(tricky("pretty"))
    outputs = site.outputs()
    expected = {
        "2020/01/05/hello-world/index.html": "_posts/2020-01-05-hello-world.md",
        "2020/01/07/single-digit/index.html": "_posts/2020-1-7-single-digit.md",
        # front matter categories, lower-cased; folder above _posts is a category
        "tech/life/2021/02/03/in-subfolder/index.html": "_posts/sub/2021-02-03-in-subfolder.md",
        "blog/2021/03/04/category-dir/index.html": "blog/_posts/2021-03-04-category-dir.md",
        "news/2021/11/12/Mixed_Case/index.html": "_posts/2021-11-12-Mixed_Case.md",
        # the date is moved into the site's zone (Asia/Shanghai): 23:30 UTC is the 11th
        "2021/08/11/dated/index.html": "_posts/2021-08-09-dated.md",
        "2021/07/08/Other-Slug/index.html": "_posts/2021-07-08-fm-slug.md",
        "2021/04/05/with-spaces-&-stuff/index.html": "_posts/2021-04-05-with spaces & stuff.md",
        "custom/custom/index.html": "_posts/2021-06-07-custom.md",
        "notes/a b/index.html": "notes/a b.md",
        "docs/index.html": "docs/index.md",
        "n/sub/2020-02-02-dated/index.html": "_notes/sub/2020-02-02-dated.md",
        "n/pic.png": "_notes/pic.png",
        "robots.txt": "robots.txt",
        "README.md": "README.md",
    }
    for dest, source in expected.items():
        assert outputs.get(dest) == source, dest
    assert not any(s.startswith(("c/", "cpp/", "contact", "_secret")) for s in outputs.values())
    skipped = {i.source: i.skipped for i in site.items if not i.written}
    assert skipped["_posts/2099-01-01-future.md"] == "future"
    assert skipped["_posts/2021-09-10-unpublished.md"] == "unpublished"
    assert skipped["_drafts/a-draft.md"] == "draft"
    docs = {i.source: i for i in site.items}
    assert docs["_posts/2021-05-06-no-front-matter.md"].data["title"] == "No Front Matter"


def test_unknown_token_is_reported(tricky: Callable[..., Path]) -> None:
    site = read_site(tricky("/:year/:nonsense/:title/"))
    messages = {p.path: p.message for p in site.problems}
    assert messages["_posts/2020-01-05-hello-world.md"] == (
        "the permalink setting uses unknown token :nonsense")


@pytest.mark.parametrize("style", STYLES)
def test_tricky_site_matches_real_jekyll(tricky: Callable[..., Path], tmp_path: Path,
                                         style: str) -> None:
    src = tricky(style)
    assert set(read_site(src).outputs()) == jekyll_outputs(src, tmp_path)


@pytest.mark.parametrize("name", CORPUS_SITES)
def test_corpus_matches_real_jekyll(corpus: Path, tmp_path: Path, name: str) -> None:
    assert set(read_site(corpus / name).outputs()) == jekyll_outputs(corpus / name, tmp_path)
