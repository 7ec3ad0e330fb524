"""Score `kith share --all --json` against a labelled outreach set (qrels.tsv, gates.tsv).

    .venv/bin/python bench/eval_outreach.py                       # the shared dev set
    .venv/bin/python bench/eval_outreach.py DIR --today 2026-11-25
    .venv/bin/python bench/eval_outreach.py DIR --from-json out.json   # score saved output
    .venv/bin/python bench/eval_outreach.py --check                # exit 1 below the targets

It runs exactly `kith share -C DIR --all --today DATE --json` (in-process) and
prints nDCG@10, Recall@5 of grade >= 2, precision of what is shown, gate
violations, a bootstrap interval over posts and a per-post table.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.cli import main as kith
from generator.outreach.evaluate import read_gates, read_qrels, score

DEFAULT_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "outreach-devset"
TARGETS = {"ndcg@10": 0.85, "recall@5(g>=2)": 0.9, "precision(shown g>=1)": 0.6}


def run_share(folder: Path, today: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = kith(["-C", str(folder), "share", "--all", "--today", today, "--json"])
    if code != 0:
        raise SystemExit(f"kith share failed with exit code {code}")
    return json.loads(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_SET,
                        help="a labelled site folder (default: ../shared/outreach-devset)")
    parser.add_argument("--today", default="2026-11-25")
    parser.add_argument("--from-json", type=Path, help="score this saved output instead")
    parser.add_argument("--check", action="store_true", help="exit 1 when below the targets")
    args = parser.parse_args(argv)
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
