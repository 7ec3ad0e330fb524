"""Jekyll sites that are merely unusual, or hostile: each one imports with a
``path:line`` message and a hint, or builds, and never raises or loses a file unsaid."""

from __future__ import annotations

from pathlib import Path

import yaml
from jekyll_fixtures import write_tree

from generator.build import build
from generator.importer.jekyll import import_jekyll

CONFIG = "title: T\nurl: https://t.example\npermalink: /:title/\n"


def lines(problems: object) -> set[str]:
    return {str(p).split("\n")[0] for p in problems}  # type: ignore[attr-defined]


def site_yaml(root: Path) -> dict[str, object]:
    return yaml.safe_load((root / "site.yaml").read_text(encoding="utf-8"))


def test_a_post_named_by_date_and_language_only_keeps_its_date(tmp_path: Path) -> None:
    # '2020-02-04-zh.md': Jekyll's slug is 'zh'; Kith reads '-zh' as the language and
    # found no date. The import used to crash assembling the site (a post without date).
    src = write_tree(tmp_path / "src", {
        "_config.yml": CONFIG,
        "_posts/2020-01-01-a.md": "---\ntitle: A\ntype: note\n---\nx\n",
        "_posts/2020-02-04-zh.md": "---\ntitle: Z\nlang: zh\ntype: note\n---\nzh text\n",
    })
    report = import_jekyll(src, tmp_path / "kith")
    assert not report.errors
    text = (tmp_path / "kith/content/posts/2020-02-04-zh.md").read_text(encoding="utf-8")
    assert "date: '2020-02-04 00:00:00+00:00'" in text
    build(tmp_path / "kith", output=tmp_path / "out")
    assert "zh text" in (tmp_path / "out/zh/index.html").read_text(encoding="utf-8")
