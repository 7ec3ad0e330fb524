"""What readers get, checked as they get it: Nu HTML checker and axe in real Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from browser import chromium
from linkcheck import serve
from test_golden import example_copy

from generator.build import build


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("quality")
    root = example_copy(tmp)
    build(root, output=tmp / "out")
    return tmp / "out"


VNU = Path(__file__).resolve().parents[1] / ".cache/tools/node_modules/vnu-jar/build/dist/vnu.jar"


def test_every_page_passes_the_nu_html_checker(example_site: Path) -> None:
    if not shutil.which("java"):
        pytest.skip("Java is not installed (the Nu checker needs it; .ci/run installs it)")
    if not VNU.is_file():
        pytest.skip(f"the Nu checker is not installed at {VNU} (`make test` installs it)")
    pages = sorted(str(p) for p in example_site.rglob("*.html"))
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *pages],
                            capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")


PAGES = ["", "posts/raft-log/", "posts/llm-eval/",
         "tutorials/sqlite-from-scratch/schema-and-first-queries/", "tags/raft/",
         "zh/posts/raft-log/", "archive/", "about/", "search/?q=raft", "zh/search/?q=日志",
         "404.html"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations(example_site: Path, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe
    with serve(example_site) as origin, chromium() as browser:
        found = {}
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900},
                                    color_scheme=scheme)
            for path in PAGES:
                page.goto(f"{origin}/{path}")
                if "?q=" in path:  # with its results shown
                    page.wait_for_selector(".search-result a", timeout=15000)
                results = Axe().run(page)
                for violation in results.response["violations"]:
                    nodes = [n["target"] for n in violation["nodes"]][:3]
                    found[f"{path} {width}px {violation['id']}"] = nodes
            page.close()
    assert found == {}
