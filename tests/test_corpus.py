"""The real blog's posts as content: odd cases give warnings or clear errors, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from kithpaths import SHARED

from generator.cli import main

CORPUS = SHARED / "corpus" / "lzwjava-blog"
CONFIG = """\
title: Corpus
base_url: https://lzwjava.example/
language: en
languages: [en, zh, ja, es, hi, fr, de, ar, hant]
"""
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is not here")


def corpus_site(tmp_path: Path, subtree: str) -> Path:
    root = tmp_path / subtree
    (root / "content" / "posts").mkdir(parents=True)
    (root / "site.yaml").write_text(CONFIG)
    source = CORPUS / subtree
    for path in sorted(source.rglob("*.md")):
        rel = path.relative_to(source)
        folder = rel.parts[0]
        if folder in ("_posts", "notes", "_drafts"):
            target = root / "content" / "posts" / rel
        else:
            target = root / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return root


@pytest.mark.parametrize("subtree", ["jekyll-ai-blog", "blog-source", "lzwjava.github.io"])
def test_corpus_builds_or_fails_clearly(tmp_path: Path, capsys, subtree: str) -> None:
    root = corpus_site(tmp_path, subtree)
    code = main(["-C", str(root), "build", "--drafts"])
    out, err = capsys.readouterr()
    assert code in (0, 1)
    assert "Traceback" not in out + err
    for line in err.splitlines():  # problems, hints, then the count of warnings by kind
        assert line.startswith(("content/", "  hint: ", "build failed: ")) \
            or re.match(r"[\d,]+ warnings?[ :,]|  +[\d,]+  \S", line), line
    if code == 0:
        assert (root / "_site" / "index.html").is_file()


def test_corpus_odd_cases(tmp_path: Path, capsys) -> None:
    root = corpus_site(tmp_path, "blog-source")
    assert main(["-C", str(root), "build"]) == 1
    err = capsys.readouterr().err
    # Two posts claiming one URL: both named, the build stops before writing.
    assert ("content/posts/_posts/en/2012-03-24-hiking-en.md: 'posts/hiking/index.html' would "
            "be written by 2 inputs: content/posts/_posts/en/2012-03-24-hiking-en.md, "
            "content/posts/_posts/en/2013-03-24-hiking-en.md") in err
    assert not (root / "_site").exists()

    root = corpus_site(tmp_path, "lzwjava.github.io")
    assert main(["-C", str(root), "build"]) == 0
    # A file name with spaces gets a clean URL.
    assert (root / "_site/posts/repeatition-benefits-en-copy-2/index.html").is_file()
    # Every script of the blog renders, with its direction.
    root = corpus_site(tmp_path, "jekyll-ai-blog")
    capsys.readouterr()
    assert main(["-C", str(root), "build", "--drafts"]) == 0
    err = capsys.readouterr().err
    html = (root / "_site/zh/posts/childhood/index.html").read_text()
    assert '<html lang="zh"' in html
