"""What the search index costs: Kith with and without search, against Hugo + Pagefind.

    python bench/search_cost.py [--posts 5000] [--repeat 3] [--no-edit] [--no-hugo]
                                [--tree NAME=SOURCE_DIR ...] [--hugo PATH]

On the corpus of ``bench/run.py`` (bench/corpus.py, seed 1, six languages), in one
run and interleaved (so both sides see the same machine load), each as a whole
process, minimum over ``--repeat`` rounds:

* Kith cold (no ``_site/``, no ``.cache/``) with ``search: false`` and with search on
  (with ``--tree``, search on for each source tree given, e.g. a ``git archive`` of
  another commit, and off for the last one);
* Hugo cold over the same posts, then the Pagefind CLI over Hugo's output (what
  Hugo and PaperMod users run: ``pagefind --site public``), timed apart;
* with search on: a line appended to the newest English post, ``kith build`` (three
  posts, each edit undone and built again before the next);
* the index's size: bytes and files under ``_site/pagefind/``, and its shards.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run


def kith_build(tree: Path, site: Path) -> list[str]:
    """``kith build`` with the code of ``tree`` (env overrides run.timed's PYTHONPATH)."""
    env = {**run.KITH_ENV, "PYTHONPATH": str(tree)}
    return ["env", *(f"{k}={v}" for k, v in env.items()), *run.KITH, "-C", str(site), "build"]


def kith(tree: Path, site: Path, search: bool) -> run.Run:
    text = run.SITE_YAML.format(languages=", ".join(run.LANGUAGES))
    (site / "site.yaml").write_text(text if search else text + "search: false\n")
    for folder in ("_site", ".cache"):
        run.clear(site / folder)
    return run.timed(kith_build(tree, site))


def label(tree: str) -> str:
    return f"kith ({tree})" if tree else "kith"


def pagefind_cli() -> str:
    from pagefind.service import get_executable  # the binary Kith itself uses
    return str(get_executable())


def size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3, help="cold rounds (0: none)")
    parser.add_argument("--no-edit", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    parser.add_argument("--tree", action="append", default=[],
                        help="NAME=DIR: Kith's source from DIR (default: this checkout)")
    args = parser.parse_args(argv)
    trees = {name: Path(path).resolve() for name, _, path in
             (t.partition("=") for t in args.tree)} or {"": run.REPO}
    site = run.kith_site(args.posts)
    hugo = None if args.no_hugo else run.anchor_site("hugo", args.posts)
    times: dict[str, list[run.Run]] = {}
    for _ in range(args.repeat):
        last = list(trees)[-1]
        times.setdefault(f"{label(last)} cold, search off", []).append(
            kith(trees[last], site, False))
        for name, tree in trees.items():
            times.setdefault(f"{label(name)} cold, search on", []).append(kith(tree, site, True))
        if hugo is not None:
            command, _ = run.tool_build("hugo", hugo, args.hugo)
            times.setdefault("hugo cold", []).append(run.timed(command))
            times.setdefault("pagefind CLI over hugo's output", []).append(run.timed(
                [pagefind_cli(), "--site", str(hugo / "public")]))
        for name, runs in times.items():
            print(f"{name}: {' '.join(f'{r.seconds:.2f}/{r.cpu:.1f}' for r in runs)}",
                  flush=True)
    index, files = size(site / "_site" / "pagefind")
    shards = len(list((site / "_site" / "pagefind").rglob("pagefind-entry.json")))
    for name, tree in ([] if args.no_edit else trees.items()):
        build = kith_build(tree, site)
        run.timed(build)  # this tree's cache and output
        for post in run.edit_targets(site, 3):
            original = post.read_bytes()
            try:
                with open(post, "a", encoding="utf-8") as handle:
                    handle.write("\nOne more line for the benchmark.\n")
                times.setdefault(f"{label(name)} one-post edit, search on", []).append(
                    run.timed(build))
            finally:
                post.write_bytes(original)
            run.timed(build)
    print(f"\n{args.posts} posts, min of {args.repeat} (edit: min of 3 posts): wall, CPU "
          "(user + system, the process tree), peak MiB of the process tree")
    for name, runs in times.items():
        best = min(runs, key=lambda r: r.seconds)
        cpu = min(r.cpu for r in runs)
        print(f"| {name} | {best.seconds:.2f} s | {cpu:.1f} s | "
              f"{max(r.tree_mib for r in runs):.0f} MiB | "
              f"{' '.join(f'{r.seconds:.2f}/{r.cpu:.1f}' for r in runs)} |")
    print(f"index: {index / 1e6:.1f} MB in {files} files, {shards} shards")
    if hugo is not None:
        hindex, hfiles = size(hugo / "public" / "pagefind")
        print(f"pagefind CLI's index of hugo's output: {hindex / 1e6:.1f} MB in {hfiles} files")
    shutil.rmtree(run.TRASH, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
