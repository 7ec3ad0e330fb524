"""A real-blog-shaped Jekyll site of ~30,000 pages: import it, build it, measure.

    python bench/blog30k.py [--pages 30000] [--work bench/out/blog30k] [--corpus DIR]

The Jekyll tree is made from the lzwjava blog sample (../shared/corpus/lzwjava-blog,
never shipped): its posts and notes are copied round-robin under new dates and
slugs into the real layout: _posts/en/ and _posts/zh/ (two thirds: posts and the
notes' copies, with type: note where the sample had it) and notes/ (one third,
pages), with the jekyll-ai-blog _config.yml. Then, each as a whole process:
`kith import jekyll` and a cold `kith build` (no .cache/, no _site/). Reported:
wall time, peak memory (largest single process and the process tree, sampled),
files and bytes written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "lzwjava-blog"
_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-(.+?)(?:-(en|zh|ja|es|hi|fr|de|ar|hant))?\.md$")


def make_tree(corpus: Path, root: Path, pages: int) -> int:
    """Write the Jekyll source; returns the number of Markdown files."""
    samples: dict[str, list[tuple[str, str]]] = {"en": [], "zh": [], "note": []}
    for path in sorted(corpus.rglob("*.md")):
        rel = path.relative_to(corpus).as_posix()
        match = _NAME.match(path.name)
        if match is None or "_drafts" in rel or "original/" in rel:
            continue
        text = path.read_text(encoding="utf-8")
        if "/notes/" in f"/{rel}":
            samples["note"].append((match.group(1), text))
        elif match.group(2) in ("en", "zh"):
            samples[match.group(2)].append((match.group(1), text))
    shutil.copy(corpus / "jekyll-ai-blog" / "_config.yml", root / "_config.yml")
    start = dt.date(2010, 1, 1)
    written = 0
    for i in range(pages):
        kind = ("en", "zh", "note")[i % 3]
        slug, text = samples[kind][(i // 3) % len(samples[kind])]
        day = start + dt.timedelta(days=(i * 7) % 5800)
        name = f"{day:%Y-%m-%d}-{slug}-{i}"
        if kind == "note":
            path = root / "notes" / f"{name}-en.md"
        else:
            path = root / "_posts" / kind / f"{name}-{kind}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    return written


def measure(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS of the largest process in kB, peak RSS of the tree in kB)."""
    # stderr to a file: a pipe nobody reads while waiting fills up (the warnings of
    # 30,000 real pages are more than its 64 KB) and blocks the build for ever.
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)
        peak_tree = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_tree = max(peak_tree, _tree_rss(proc.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            log.seek(0)
            sys.exit(f"{' '.join(cmd)} failed:\n{log.read().decode(errors='replace')[-2000:]}")
    # ru_maxrss: the largest of the process and the descendants it waited for.
    return seconds, usage.ru_maxrss, max(peak_tree, usage.ru_maxrss)


def _tree_rss(pid: int) -> int:
    total = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    except OSError:
        return 0
    return total + sum(_tree_rss(int(c)) for c in children)


def size_of(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30000)
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "out" / "blog30k")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    if args.work.exists():
        shutil.rmtree(args.work)
    src, site = args.work / "jekyll", args.work / "kith"
    src.mkdir(parents=True)
    sources = make_tree(args.corpus, src, args.pages)
    kith = [sys.executable, "-m", "generator"]
    imp = measure([*kith, "import", "jekyll", str(src), "--into", str(site)], REPO)
    built = measure([*kith, "-C", str(site), "build"], REPO)
    files, size = size_of(site / "_site")
    print(f"{sources} Jekyll sources ({args.pages} pages asked)")
    print(f"import: {imp[0]:.1f} s, peak {imp[1] / 1024:.0f} MB (tree {imp[2] / 1024:.0f} MB)")
    print(f"build (cold): {built[0]:.1f} s, peak {built[1] / 1024:.0f} MB "
          f"(tree {built[2] / 1024:.0f} MB)")
    print(f"output: {files} files, {size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
