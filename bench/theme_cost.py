"""Kith with its default theme against Hugo with PaperMod, doing the same job.

    python bench/theme_cost.py --papermod DIR [--posts 5000] [--repeat 3] [--hugo PATH]

``bench/run.py`` compares Kith with Hugo building the shared anchor site, whose two
templates print a title, a date and the content: no head to speak of, no contents,
no related or neighbouring posts, no categories, one feed. Kith's default theme does
all of that on every page. This script times the job a writer would compare: the
same posts (bench/corpus.py, seed 1) built by Kith's default theme, and by Hugo with
PaperMod (the theme Kith's is measured against) set up to show what Kith shows:

* post pages with contents, reading time, categories and tags, newer and older
  post links (``ShowPostNavLinks``; PaperMod finds them by filtering every page for
  each page, so a second row turns them off), code copy buttons, breadcrumbs, Open
  Graph, JSON-LD, a theme toggle;
* home, tag and category pages, 50 posts a page (Kith lists 10 on its home pages and
  50 on term pages: Hugo writes fewer list pages), RSS for the home page, the section
  and every term, a sitemap and robots.txt;
* no search index (Kith with ``search: false``; PaperMod's JSON index not made).

Not the same: Kith also writes a home page and feeds per language (six) and Atom and
JSON feeds of the site; Hugo sees one language (the anchor keeps it as ``locale``).

PaperMod is not on PyPI or npm: ``--papermod`` names a checkout of
github.com/adityatelange/hugo-PaperMod (any recent commit). Each tool runs cold (output
and caches moved aside first), interleaved round by round; the minimum of
``--repeat`` is reported with every run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run
import search_cost

PAPERMOD_CONFIG = """\
baseURL: https://example.org/
title: Bench
locale: en
theme: PaperMod
enableRobotsTXT: true
taxonomies:
  tag: tags
  category: categories
outputs:
  home: [HTML, RSS]
  section: [HTML, RSS]
  taxonomy: [HTML]
  term: [HTML, RSS]
services:
  rss:
    limit: 20
pagination:
  pagerSize: 50
menu:
  main:
    - {name: Home, url: /}
    - {name: Tags, url: /tags/}
    - {name: Archive, url: /posts/}
markup:
  highlight:
    noClasses: false
params:
  env: production
  defaultTheme: auto
  ShowReadingTime: true
  ShowToc: true
  ShowCodeCopyButtons: true
  ShowBreadCrumbs: true
  ShowPostNavLinks: {nav}
  ShowShareButtons: false
"""


def papermod_site(n: int, theme: Path, nav: bool) -> Path:
    """The corpus in Hugo's layout, with PaperMod linked in and the config above."""
    site = run.OUT / f"hugo-papermod-{n}"
    site.mkdir(parents=True, exist_ok=True)
    run.corpus(site, n, "hugo")
    (site / "themes").mkdir(exist_ok=True)
    link = site / "themes" / "PaperMod"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(theme.resolve(), target_is_directory=True)
    (site / "hugo.yaml").write_text(PAPERMOD_CONFIG.replace("{nav}", str(nav).lower()))
    return site


def hugo_cold(site: Path, hugo: str) -> run.Run:
    command, _ = run.tool_build("hugo", site, hugo)
    run.clear(site / "resources")  # Hugo's own cache of processed assets
    return run.timed(command)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papermod", type=Path, required=True,
                        help="a checkout of hugo-PaperMod")
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hugo", default=run.tool_command("hugo") or "hugo")
    args = parser.parse_args(argv)
    if not (args.papermod / "layouts").is_dir():
        print(f"error: not a PaperMod checkout (no layouts/): {args.papermod}", file=sys.stderr)
        return 2
    run.compile_kith()
    kith = run.kith_site(args.posts)
    builds = {"kith, default theme": (lambda: search_cost.kith(run.REPO, kith, search=False),
                                      kith / "_site")}
    if (run.ANCHORS / "hugo").is_dir():  # the shared anchor, as bench/run.py builds it
        anchor = run.anchor_site("hugo", args.posts)
        builds["hugo, anchor site (two bare templates)"] = (
            lambda: hugo_cold(anchor, args.hugo), anchor / "public")
    for nav, name in ((True, "hugo + PaperMod"), (False, "hugo + PaperMod, no post nav links")):
        def papermod(nav: bool = nav) -> run.Run:
            return hugo_cold(papermod_site(args.posts, args.papermod, nav), args.hugo)
        builds[name] = (papermod, run.OUT / f"hugo-papermod-{args.posts}" / "public")
    times: dict[str, list[run.Run]] = {}
    pages: dict[str, int] = {}
    for _ in range(args.repeat):
        for name, (build, output) in builds.items():
            times.setdefault(name, []).append(build())
            pages[name] = sum(1 for _ in output.rglob("*.html"))
        for name, runs in times.items():
            print(f"{name}: {' '.join(f'{r.seconds:.2f}/{r.cpu:.1f}' for r in runs)}",
                  flush=True)
    base = min(r.seconds for r in times["kith, default theme"])
    print(f"\n{args.posts} posts, cold, min of {args.repeat}: wall, CPU (user + system, "
          "the process tree), wall against Kith's, HTML files written")
    print("| build | wall | CPU | wall / Kith's | HTML files | runs (wall/CPU) |")
    print("|---|---:|---:|---:|---:|---|")
    for name, runs in times.items():
        best = min(r.seconds for r in runs)
        print(f"| {name} | {best:.2f} s | {min(r.cpu for r in runs):.1f} s | "
              f"{best / base:.2f}x | {pages[name]:,} | "
              f"{' '.join(f'{r.seconds:.2f}/{r.cpu:.1f}' for r in runs)} |")
    shutil.rmtree(run.TRASH, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
