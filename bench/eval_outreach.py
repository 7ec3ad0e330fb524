"""Score `kith share --all --json` against a labelled outreach set (qrels.tsv, gates.tsv).

    .venv/bin/python bench/eval_outreach.py                       # the shared dev set
    .venv/bin/python bench/eval_outreach.py DIR --today 2026-11-25
    .venv/bin/python bench/eval_outreach.py DIR --from-json out.json   # score saved output
    .venv/bin/python bench/eval_outreach.py --check                # exit 1 below the targets
    .venv/bin/python bench/eval_outreach.py tests/outreach/fixtures/network   # our own network
    .venv/bin/python bench/eval_outreach.py tests/outreach/fixtures/network --simulate 2025-12-29
    .venv/bin/python bench/eval_outreach.py tests/outreach/fixtures/network --page-size 3000

It runs exactly `kith share -C DIR --all --today DATE --json` (in-process) and
prints nDCG@10, Recall@5 of grade >= 2, precision of what is shown, gate
violations, a bootstrap interval over posts and a per-post table.

--simulate START replays a year of weekly plans from START (simulate.py) and
prints what happened; --page-size N copies DIR, adds N generated posts and
reports the size of the review page (outreach/index.html) and the time taken.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import shutil
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.cli import main as kith
from generator.outreach.evaluate import read_gates, read_qrels, score

DEFAULT_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "outreach-devset"
TARGETS = {"ndcg@10": 0.9, "recall@5(g>=2)": 0.9, "precision(shown g>=1)": 0.6}


def run_share(folder: Path, today: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = kith(["-C", str(folder), "share", "--all", "--today", today, "--json"])
    if code != 0:
        raise SystemExit(f"kith share failed with exit code {code}")
    return json.loads(out.getvalue())


def simulate_year(folder: Path, start: str, size: int) -> int:
    from generator.build import load_site
    from generator.outreach.report import load_ranker
    from generator.outreach.simulate import simulate

    day = dt.date.fromisoformat(start)
    site = load_site(folder)
    _, book, _ = load_ranker(site, folder, day)
    result = simulate(site, book, day, 52, size,
                      replies=lambda cid, week: zlib.crc32(cid.encode()) % 3 == 0)
    print(result.summary())
    for line in result.violations:
        print("  ", line)
    return 1 if result.violations else 0


def page_size(folder: Path, posts: int, today: str) -> int:
    from generator.build import load_site
    from generator.outreach.folder import write_reports

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        shutil.copytree(folder, root)
        topics = ["kubernetes", "kafka", "travel", "raft", "llm", "myopia", "android", "ielts"]
        for n in range(posts):
            day = dt.date(2020, 1, 1) + dt.timedelta(days=n % 2000)
            tags = ", ".join(topics[(n + k) % len(topics)] for k in range(2))
            (root / f"content/posts/{day}-generated-{n}.md").write_text(
                f"---\ntitle: Notes on {tags.replace(', ', ' and ')}, part {n}\ndate: {day}\n"
                f"tags: [{tags}]\n---\n\nA generated post about {tags}.\n", encoding="utf-8")
        began = time.perf_counter()
        site = load_site(root)
        loaded = time.perf_counter()
        lines, _ = write_reports(site, root, dt.date.fromisoformat(today))
        done = time.perf_counter()
        index = (root / "outreach/index.html").stat().st_size
        total = sum(p.stat().st_size for p in (root / "outreach").rglob("*") if p.is_file())
        print(lines[0])
        print(f"{len(site.posts and [p for ps in site.posts.values() for p in ps])} post files; "
              f"outreach/index.html {index / 1000:.1f} KB (target < 300 KB); all of outreach/ "
              f"{total / 1e6:.1f} MB; site loaded in {loaded - began:.1f} s, outreach written "
              f"in {done - loaded:.1f} s")
        return 0 if index < 300_000 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_SET,
                        help="a labelled site folder (default: ../shared/outreach-devset)")
    parser.add_argument("--today", default="2026-11-25")
    parser.add_argument("--from-json", type=Path, help="score this saved output instead")
    parser.add_argument("--check", action="store_true", help="exit 1 when below the targets")
    parser.add_argument("--simulate", metavar="START", help="replay a year of weekly plans")
    parser.add_argument("--plan-size", type=int, default=5, help="for --simulate (default 5)")
    parser.add_argument("--page-size", type=int, metavar="N",
                        help="measure the review page with N generated posts added")
    args = parser.parse_args(argv)
    if args.simulate:
        return simulate_year(args.folder, args.simulate, args.plan_size)
    if args.page_size is not None:
        return page_size(args.folder, args.page_size, args.today)
    output = (json.loads(args.from_json.read_text(encoding="utf-8")) if args.from_json
              else run_share(args.folder, args.today))
    scores = score(output, read_qrels(args.folder / "qrels.tsv"),
                   read_gates(args.folder / "gates.tsv"))
    print(f"{'post':38} {'nDCG@10':>8} {'R@5':>5} {'shown':>5} {'g>=1':>5} gated")
    for post in scores.posts:
        recall = "-" if post.recall5 is None else f"{post.recall5:.2f}"
        print(f"{post.key:38} {post.ndcg10:8.3f} {recall:>5} {post.shown:5d} "
              f"{post.shown_relevant:5d} {','.join(post.violations) or '-'}")
    low, high = scores.ndcg10_interval
    print()
    print(f"nDCG@10              {scores.ndcg10:.4f}  (95% bootstrap over posts: "
          f"{low:.3f}-{high:.3f}; target >= {TARGETS['ndcg@10']})")
    print(f"Recall@5 (grade>=2)  {scores.recall5:.4f}  (target >= {TARGETS['recall@5(g>=2)']})")
    print(f"precision of shown   {scores.precision:.4f}  ({scores.shown} shown; "
          f"target >= {TARGETS['precision(shown g>=1)']})")
    print(f"gate violations      {scores.violations}  (must be 0)")
    result = scores.as_dict()
    ok = scores.violations == 0 and all(result[k] >= v for k, v in TARGETS.items())
    if args.check and not ok:
        print("below target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
