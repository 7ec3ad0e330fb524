"""Import a Jekyll site and compare Kith's build with Jekyll's own, page by page.

    python bench/jekyll_compare.py SRC [SRC ...] [--work DIR]

For each Jekyll source: build it with `jekyll build` (theme and plugins left out, as
Debian's jekyll has none of them), import it with `kith import jekyll`, build that,
and report:

* URLs: files Jekyll wrote that Kith writes at the same path;
* text: Markdown pages whose visible text is the same (whitespace collapsed, each
  formula counted rather than compared: Jekyll leaves TeX for MathJax, Kith writes
  MathML), with the first difference of the others;
* math: formulas MathJax would typeset on Jekyll's page (the blog's settings:
  \\(…\\) and $…$ inline, $$…$$ and \\[…\\] display) against <math> elements Kith wrote;
* feed IDs: entry IDs in Jekyll's feed.xml (when the site has one) found in Kith's.

SRC is only read. Needs `jekyll` on PATH.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.build import build
from generator.importer.jekyll import import_jekyll
from generator.importer.jekyll_site import read_site

_MATHJAX = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]|\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)"
                      r"(?<!\s)\$(?!\d)", re.S)
_GUID = re.compile(r"<(?:guid|id)[^>]*>([^<]+)</(?:guid|id)>")


class _Text(HTMLParser):
    """Visible text; <math> elements, footnote marks, heading anchors and the theme's code
    block labels aside."""

    def __init__(self, root_class: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.root_class = root_class
        self.depth = 0 if root_class else 1
        self.skip: list[str] = []
        self.out: list[str] = []
        self.maths = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if self.root_class and self.depth == 0:
            if tag == "div" and self.root_class in classes:
                self.depth = 1
            return
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.append(tag)
            return
        # Only divs outside a skipped element count: a skipped one ends in the skip stack.
        if tag == "div" and self.root_class and "code-head" not in classes:
            self.depth += 1
        if tag == "math":
            self.maths += 1
            self.out.append(" ⟨math⟩ ")
            self.skip.append(tag)
        elif tag in ("script", "style") or {"header-anchor", "footnote-backref",
                                             "reversefootnote", "code-head"} & set(classes):
            self.skip.append(tag)
        elif tag in ("p", "li", "br", "h1", "h2", "h3", "h4", "tr", "td", "th", "pre", "dd",
                     "dt", "div"):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0:
            return
        if self.skip and tag == self.skip[-1]:
            self.skip.pop()
            return
        if tag == "div" and self.root_class:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.out.append(data)


def visible(page: str, root_class: str | None = None) -> tuple[str, int]:
    parser = _Text(root_class)
    parser.feed(page)
    text = "".join(parser.out)
    maths = parser.maths
    if root_class is None:  # Jekyll: TeX left for MathJax, outside code
        prose = re.sub(r"<(pre|code)\b.*?</\1>", " ", page, flags=re.S)
        found = [m for m in _MATHJAX.finditer(html.unescape(re.sub(r"<[^>]+>", "", prose)))]
        maths = len(found)
        for match in found:
            text = text.replace(match.group(0), " ⟨math⟩ ", 1)
    text = re.sub(r"\[(\d+)\]", r"\1", text)  # Kith writes footnote marks as [1]
    return " ".join(text.split()), maths


def jekyll_build(src: Path, work: Path) -> Path:
    copy = work / "jekyll-src"
    shutil.copytree(src, copy)
    config = copy / "_config.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {} if config.is_file() else {}
    for key in ("theme", "remote_theme", "plugins", "gems"):
        data.pop(key, None)
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = work / "jekyll-site"
    subprocess.run(["jekyll", "build", "--safe", "-s", str(copy), "-d", str(out)], check=True,
                   capture_output=True, env={"JEKYLL_ENV": "production", "LC_ALL": "C.UTF-8",
                                             "PATH": "/usr/bin:/bin"})
    return out


def compare(src: Path, work: Path) -> dict[str, object]:
    jekyll = jekyll_build(src, work)
    import_jekyll(src, work / "kith")
    kith = work / "kith-site"
    build(work / "kith", output=kith)
    site = read_site(src)
    items = {i.source: i for i in site.items}
    outputs = site.outputs()
    kept = [d for d in outputs if (kith / d).is_file()]
    same, differ, math_j, math_k = 0, [], 0, 0
    for dest, source in sorted(outputs.items()):
        if not items[source].markdown or not (kith / dest).is_file():
            continue
        theirs, m_j = visible((jekyll / dest).read_text(encoding="utf-8"))
        ours, m_k = visible((kith / dest).read_text(encoding="utf-8"), "prose")
        math_j, math_k = math_j + m_j, math_k + m_k
        if theirs == ours:
            same += 1
            continue
        at = next((i for i, (a, b) in enumerate(zip(theirs, ours, strict=False)) if a != b),
                  min(len(theirs), len(ours)))
        differ.append(f"{source}: jekyll …{theirs[max(0, at - 30):at + 40]!r} / "
                      f"kith …{ours[max(0, at - 30):at + 40]!r}")
    feed: str = "no feed"
    if (jekyll / "feed.xml").is_file() and (kith / "feed.xml").is_file():
        old = set(_GUID.findall((jekyll / "feed.xml").read_text(encoding="utf-8")))
        new = set(_GUID.findall((kith / "feed.xml").read_text(encoding="utf-8")))
        feed = f"{len(old & new)}/{len(old)} kept"
    return {"urls": f"{len(kept)}/{len(outputs)}", "text": f"{same}/{same + len(differ)}",
            "math": f"jekyll {math_j} / kith {math_k}", "feed": feed, "differ": differ}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--work", type=Path, help="keep the builds here (default: a temp dir)")
    args = parser.parse_args()
    if shutil.which("jekyll") is None:
        print("jekyll is not on PATH", file=sys.stderr)
        return 1
    for src in args.sources:
        with tempfile.TemporaryDirectory() as tmp:
            work = (args.work / src.name) if args.work else Path(tmp)
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            found = compare(src.resolve(), work)
        print(f"{src.name}: URLs kept {found['urls']}; visible text equal {found['text']}; "
              f"math {found['math']}; feed IDs {found['feed']}")
        for line in found["differ"]:  # type: ignore[attr-defined]
            print("  differs:", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
