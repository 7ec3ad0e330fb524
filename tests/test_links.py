"""Built under a /repo/ prefix and served on localhost, the example site has no broken link."""

from __future__ import annotations

from pathlib import Path

from linkcheck import broken_links, serve
from test_golden import example_copy

from generator.cli import main


def test_no_broken_internal_links_under_a_path_prefix(tmp_path: Path, capsys) -> None:
    root = example_copy(tmp_path)
    served = tmp_path / "www"
    served.mkdir()
    with serve(served) as origin:
        assert main(["-C", str(root), "build", "--output", str(served / "repo"),
                     "--base-url", f"{origin}/repo/"]) == 0
        broken, visited = broken_links(f"{origin}/repo/")
        html_files = len(list((served / "repo").rglob("*.html")))
        # The 404 page works at any depth: its links are absolute under the prefix.
        missing, _ = broken_links(f"{origin}/repo/404.html")
    assert broken == []
    assert missing == []
    assert visited >= html_files - 1  # every page is reachable (404 is linked from nowhere)
