"""kith import jekyll: the corpus and a tricky site import, build, and keep every URL."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from jekyll_fixtures import (
    CORPUS_SITES,
    NOT_IMPORTED,
    STYLES,
    jekyll_outputs,
    tree_digest,
    write_tree,
)

from generator.build import build
from generator.cli import main
from generator.errors import KithError
from generator.importer.jekyll import ImportReport, import_jekyll
from generator.importer.jekyll_site import read_site


def import_and_build(src: Path, tmp_path: Path) -> tuple[ImportReport, Path]:
    before = tree_digest(src)
    report = import_jekyll(src, tmp_path / "kith")
    assert tree_digest(src) == before, "the Jekyll source was changed"
    output = tmp_path / "public"
    build(tmp_path / "kith", output=output)
    return report, output


def assert_written_where_jekyll_wrote(src: Path, output: Path, skip: set[str]) -> int:
    """Every file Jekyll writes is at the same path, made from the same source."""
    site = read_site(src)
    items = {item.source: item for item in site.items}
    checked = 0
    for dest, source in sorted(site.outputs().items()):
        if source in skip:
            continue
        path = output / dest
        assert path.is_file(), f"{source}: Jekyll writes {dest}, Kith does not"
        item = items[source]
        if item.kind == "static":
            assert path.read_bytes() == (src / source).read_bytes()
        elif item.markdown:
            assert html.escape(str(item.data["title"]), quote=False) in html.unescape(
                path.read_text(encoding="utf-8")).replace("&", "&amp;") or \
                str(item.data["title"]) in html.unescape(path.read_text(encoding="utf-8"))
        checked += 1
    return checked


@pytest.mark.parametrize("name", CORPUS_SITES)
def test_corpus_imports_builds_and_keeps_every_url(corpus: Path, tmp_path: Path,
                                                   name: str) -> None:
    report, output = import_and_build(corpus / name, tmp_path)
    assert not report.errors
    assert not report.redirects
    checked = assert_written_where_jekyll_wrote(corpus / name, output, set())
    assert checked == len(report.urls) == len(read_site(corpus / name).outputs())


def test_corpus_build_matches_real_jekyll(corpus: Path, tmp_path: Path) -> None:
    src = corpus / "jekyll-ai-blog"
    reference = jekyll_outputs(src, tmp_path)
    _, output = import_and_build(src, tmp_path)
    built = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    assert reference <= built
    assert len(reference) == 21


@pytest.mark.parametrize("style", STYLES)
def test_tricky_site_keeps_every_url(tricky: Callable[..., Path], tmp_path: Path,
                                     style: str) -> None:
    src = tricky(style)
    report, output = import_and_build(src, tmp_path)
    assert not report.errors
    skip = NOT_IMPORTED | {"plain.html", "index.md"}
    assert_written_where_jekyll_wrote(src, output, skip)
    unconverted = {p.path for p in report.unconverted}
    assert skip <= unconverted
    assert (output / "index.html").is_file()  # Kith's home page stands in for index.md


def test_tricky_site_matches_real_jekyll(tricky: Callable[..., Path], tmp_path: Path) -> None:
    src = tricky("/:year/:month/:day/:title.html")
    reference = jekyll_outputs(src, tmp_path)
    _, output = import_and_build(src, tmp_path)
    built = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    # Reported as not converted (Kith may write a feed.xml of its own).
    assert reference - built <= {"README.md", "feed.xml", "plain.html"}
    assert {"README.md", "plain.html"} <= reference - built


def test_site_yaml_from_config(corpus: Path, tmp_path: Path) -> None:
    import_jekyll(corpus / "jekyll-ai-blog", tmp_path / "a")
    data = yaml.safe_load((tmp_path / "a" / "site.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "Zhiwei Li"
    assert data["base_url"] == "https://lzwjava.github.io/"
    assert (data["language"], data["languages"]) == ("en", ["en", "zh"])
    assert data["timezone"] == "Asia/Shanghai"
    assert data["permalinks"] == {"posts": "/:title", "pages": "/:path"}
    assert data["params"]["monthly_page_views"] == 45000
    import_jekyll(corpus / "blog-source", tmp_path / "b")
    data = yaml.safe_load((tmp_path / "b" / "site.yaml").read_text(encoding="utf-8"))
    assert data["languages"][0] == "en" and len(data["languages"]) == 9
    assert {"zh", "ja", "es", "hi", "fr", "de", "ar", "hant"} < set(data["languages"])


def test_front_matter_kept_as_written(corpus: Path, tmp_path: Path) -> None:
    import_jekyll(corpus / "lzwjava.github.io", tmp_path / "k")
    posts = tmp_path / "k" / "content" / "posts"
    text = (posts / "2024-12-18-repeatition-benefits-en-copy.md").read_text(encoding="utf-8")
    # layout: went (with its trailing spaces); Kith's /:title already gives the old URL.
    assert text.startswith('---\ntitle: "The Benefits of Repetition in Programming"\n---\n')
    zh = (tmp_path / "k" / "content" / "posts" / "2024-12-17-future-cn.md").read_text(
        encoding="utf-8")
    assert "layout:" not in zh


ODD_SITE = {
    "_config.yml": "title: Odd\nurl: https://odd.example\npermalink: /:title\n",
    "_posts/2020-01-01-empty.md": "---\ntitle: Empty\n---\n",
    "_posts/2020-01-02-untitled-post.md": "---\nlayout: post\n---\ntext\n",
    "_posts/2020-01-03-same.md": "---\ntitle: Older\n---\nold\n",
    "_posts/2021-01-03-same.md": "---\ntitle: Newer\n---\nnew\n",
    "_posts/2020-01-04-has space.md": "---\ntitle: Spaced\n---\ntext\n",
    "notes/stray.md": "---\ntitle: Stray\n---\nUse `{{ user.name }}` here.\n",
    "about.md": "---\ntitle: About\npermalink: /time:slug/\nredirect_from: [/old-about/]\n"
                "---\nabout\n",
}


def test_odd_cases_are_named(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "odd", ODD_SITE)
    report = import_jekyll(src, tmp_path / "kith")
    found = {str(p) for p in report.problems}
    assert {
        "_posts/2020-01-01-empty.md: warning: empty body: Kith publishes it with its title "
        "and no text\n  hint: write the text, or delete the file",
        "_posts/2020-01-02-untitled-post.md: warning: no title: imported with the one Jekyll "
        "showed, 'Untitled Post'\n  hint: add a title: of your own",
        "_posts/2020-01-03-same.md: warning: two files claim /same: _posts/2021-01-03-same.md "
        "and _posts/2020-01-03-same.md; Jekyll wrote _posts/2021-01-03-same.md there (the "
        "last one written wins)\n  hint: this one was never reachable in Jekyll: not imported",
        "_posts/2020-01-04-has space.md: warning: file name has spaces: imported as "
        "2020-01-04-has-space.md\n  hint: its URL stays /has-space",
        "notes/stray.md:4: warning: stray Liquid '{{ user.name }}' outside {% raw %}: Jekyll "
        "printed its value (usually nothing); Kith shows it as written\n  hint: wrap it in "
        "{% raw %}…{% endraw %} to keep it, or delete it",
        "about.md: warning: URL /time:slug/ cannot be kept: the page moves to /about and the "
        "old URL redirects there",
    } <= found
    assert not report.errors
    [redirect] = report.redirects
    assert (redirect.old, redirect.new, redirect.source) == ("/time:slug/", "/about", "about.md")
    output = tmp_path / "public"
    build(tmp_path / "kith", output=output)
    assert "Newer" in (output / "same.html").read_text(encoding="utf-8")
    assert not (output / "same-2020-01-03.html").exists()
    assert not (tmp_path / "kith/content/posts/2020-01-03-same.md").exists()
    assert (output / "has-space.html").is_file()
    assert "{{ user.name }}" in html.unescape((output / "notes/stray.html").read_text("utf-8"))
    for old in ("time:slug/index.html", "old-about/index.html"):
        assert "/about" in (output / old).read_text(encoding="utf-8")


def test_refuses_a_non_empty_target(tricky: Callable[..., Path], tmp_path: Path) -> None:
    src = tricky()
    target = write_tree(tmp_path / "busy", {"notes.txt": "mine"})
    with pytest.raises(KithError) as caught:
        import_jekyll(src, target)
    assert str(caught.value) == (
        f"{target}: the target folder is not empty\n  hint: import into an empty folder "
        "(--into DIR), or pass --force to write over files with the same names")
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    report = import_jekyll(src, target, force=True)
    assert (target / "site.yaml").is_file() and (target / "notes.txt").read_text() == "mine"
    again = import_jekyll(src, target, force=True)
    assert again.written == report.written
    assert not any("left as they were" in p.message for p in again.problems)


def test_refuses_a_target_inside_the_source(tricky: Callable[..., Path]) -> None:
    src = tricky()
    before = tree_digest(src)
    with pytest.raises(KithError, match="the target folder is inside the Jekyll site"):
        import_jekyll(src, src / "kith", force=True)
    assert tree_digest(src) == before


def test_git_only_target_counts_as_empty(tricky: Callable[..., Path], tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert import_jekyll(tricky(), tmp_path / "repo").written


def test_command_line(tricky: Callable[..., Path], tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    src = tricky()
    site = tmp_path / "site"
    site.mkdir()
    assert main(["-C", str(site), "import", "jekyll", str(src)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Imported {src} into {site}:\n  14 posts, 1 draft, 5 pages, "
                          "2 documents, 4 static files; 27 files written\n")
    assert "README.md: warning: Markdown without front matter" in out
    assert out.rstrip().endswith(f"Next: kith -C {site} build")
    assert main(["-C", str(site), "import", "jekyll", str(src)]) == 1
    assert "the target folder is not empty" in capsys.readouterr().err
    assert main(["import", "jekyll", str(src), "--into", str(site), "--force"]) == 0


def test_broken_files_are_reported_not_raised(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "bad", {
        "_config.yml": "title: Bad\npermalink: /:title/\n",
        "_posts/2020-01-01-bad-yaml.md": "---\ntitle: x: y\n---\nbody\n",
        "pages/ok.md": "---\ntitle: ok\norder: '1'\n---\nok\n",
        "pages/raw.md": "---\ntitle: Raw\n---\n{% raw %} never closed\n",
        "_posts/2020-01-03-date.md": "---\ntitle: Date\ndate: March 3, 2020\n---\nok\n",
    })
    (src / "_posts" / "2020-01-02-latin1.md").write_bytes(b"---\ntitle: L\n---\ncaf\xe9\n")
    report = import_jekyll(src, tmp_path / "kith")
    assert [str(p).split("\n")[0] for p in report.errors] == [
        "_posts/2020-01-01-bad-yaml.md:2: front matter: invalid YAML: mapping values are not "
        "allowed here",
        "_posts/2020-01-02-latin1.md:4: not valid UTF-8: not imported",
        "pages/ok.md: the imported site will not build: content/pages/ok.md:3: 'order' must be "
        "a whole number, got '1'",
        "pages/raw.md:4: {% raw %} has no {% endraw %}: left as written",
    ]
    posts = tmp_path / "kith" / "content" / "posts"
    assert (posts / "2020-01-01-bad-yaml.md").read_text(encoding="utf-8") == \
        "---\ntitle: x: y\n---\nbody\n"
    assert "date: '2020-03-03 00:00:00+00:00'" in (posts / "2020-01-03-date.md").read_text(
        encoding="utf-8")


def test_unreadable_sources_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KithError, match="no such folder"):
        import_jekyll(tmp_path / "nowhere", tmp_path / "kith")
    with pytest.raises(KithError, match=r"not a Jekyll site: no _config\.yml and no _posts/"):
        import_jekyll(write_tree(tmp_path / "plain", {"a.md": "# a\n"}), tmp_path / "kith")
    src = write_tree(tmp_path / "broken", {"_config.yml": "title: [unclosed\n"})
    with pytest.raises(KithError) as caught:
        import_jekyll(src, tmp_path / "kith")
    assert str(caught.value).startswith("_config.yml:1: invalid YAML:")  # where [ opened
    assert not (tmp_path / "kith").exists()
