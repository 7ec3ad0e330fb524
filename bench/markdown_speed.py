"""Markdown stage alone: ms/post for the reference and the fast path, and the fallback rate.

    python bench/markdown_speed.py [--posts 1000] [--seed 1] [--repeat 3] [--profile]
                                   [--corpus kith|shared]

Bodies come from bench/corpus.py (or, with --corpus shared, from
../shared/bench/make_corpus.py when that folder is beside the repo), generated into
a temporary directory and split from their front matter as generator/content.py
does. Reports the best of --repeat passes over all bodies (the machine is shared;
the best pass is the least disturbed one). --profile prints cProfile's top entries
for the public render_markdown (fast path plus fallbacks).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import corpus as kith_corpus  # noqa: E402

from generator.content import split_front_matter  # noqa: E402
from generator.markdown import (  # noqa: E402
    render_fast,
    render_markdown,
    render_markdown_reference,
)

SHARED_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"


def corpus(posts: int, seed: int, which: str = "kith") -> list[tuple[str, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        if which == "shared":
            if not SHARED_CORPUS.is_file():
                sys.exit(f"--corpus shared needs {SHARED_CORPUS}")
            subprocess.run([sys.executable, str(SHARED_CORPUS), tmp, "--posts", str(posts),
                            "--seed", str(seed), "--layout", "plain"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            kith_corpus.write(Path(tmp), posts, seed)
        bodies = []
        for path in sorted(Path(tmp).rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            _meta, body, line, _ = split_front_matter(path.name, text)
            bodies.append((body, line))
    return bodies


def best_ms(render: Callable[[str, int], object], bodies: list[tuple[str, int]],
            repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for body, line in bodies:
            render(body, line)
        best = min(best, time.perf_counter() - start)
    return best / len(bodies) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", choices=("kith", "shared"), default="kith")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    bodies = corpus(args.posts, args.seed, args.corpus)
    render_markdown(*bodies[0])  # parsers and lexers built once, outside the timing
    render_markdown_reference(*bodies[0])
    fallbacks = sum(render_fast(body, line) is None for body, line in bodies)
    reference = best_ms(render_markdown_reference, bodies, args.repeat)
    fast = best_ms(render_markdown, bodies, args.repeat)
    print(f"{len(bodies)} posts ({args.corpus} corpus, seed {args.seed})")
    print(f"reference (markdown-it-py)   {reference:6.2f} ms/post")
    print(f"render_markdown (fast path)  {fast:6.2f} ms/post   x{reference / fast:.1f}")
    print(f"fallbacks to the reference   {fallbacks}/{len(bodies)} "
          f"({100 * fallbacks / len(bodies):.1f} %)")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [render_markdown(b, n) for b, n in bodies])
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
