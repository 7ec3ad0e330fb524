"""``kith import jekyll SRC``: a Jekyll site -> site.yaml and content/, every URL kept.

The Jekyll side (which files Jekyll publishes, at which path) comes from
:mod:`.jekyll_site`. For each imported file the importer asks Kith's own content
and site stages where Kith would write it, and adds an explicit ``permalink:``
only where that differs from Jekyll's path. Where no permalink can reproduce the
path, the old URL becomes an alias (a redirect page). SRC is only ever read.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..content import CONTENT_DIR
from ..errors import KithError, Problem
from .jekyll_site import CONFIG_FILE, JekyllError, read_site
from .planner import Planner, Redirect

__all__ = ["ImportReport", "Redirect", "import_jekyll", "register"]

@dataclass(frozen=True)
class ImportReport:
    """What ``import_jekyll`` did."""

    source: Path
    target: Path
    counts: Mapping[str, int]
    """'posts', 'drafts', 'pages', 'documents', 'static files' imported, 'links re-pointed',
    and 'liquid TAG' for each kind of Liquid rewritten."""
    written: tuple[str, ...]
    """Files written, relative to the target ('site.yaml', 'content/posts/...')."""
    urls: Mapping[str, str]
    """Jekyll source -> the output path Jekyll wrote it to, which Kith writes it to too."""
    permalinks: int
    """Imported files that carry an explicit permalink: because Kith's default differs."""
    redirects: tuple[Redirect, ...]
    unconverted: tuple[Problem, ...]
    """Layouts, includes, plugins, Liquid tags and files Kith cannot take as they are."""
    problems: tuple[Problem, ...]
    """Every other warning and error; paths are relative to SRC."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in (*self.unconverted, *self.problems) if not p.warning)


def import_jekyll(src: Path, into: Path, force: bool = False) -> ImportReport:
    """Convert the Jekyll site in ``src`` into ``into``/site.yaml and ``into``/content/.

    Raises KithError when the import cannot start (not a Jekyll site, target not
    empty without ``force``, target inside SRC); everything else is in the report.
    """
    src, into = src.resolve(), into.resolve()
    _check_folders(src, into, force)
    try:
        site = read_site(src)
    except JekyllError as exc:
        raise KithError([Problem(CONFIG_FILE, exc.line, exc.message,
                                 "fix _config.yml, then import again")]) from None
    existing = _existing(into / CONTENT_DIR)
    plan = Planner(site, into)
    files = plan.run()
    written = []
    for rel, data in sorted(files.items()):
        path = into / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                shutil.copy2(data, path)
            else:
                path.write_bytes(data)
        except OSError as exc:
            where = data.relative_to(src).as_posix() if isinstance(data, Path) else rel
            plan.problems.append(Problem(where, 0, f"not written to {rel}: {exc.strerror}",
                                         "check permissions and free space, then import "
                                         "again with --force"))
            continue
        written.append(rel)
    left = sorted(existing - {r.removeprefix(CONTENT_DIR + "/") for r in written})
    if left:
        plan.problems.append(Problem(
            CONTENT_DIR, 0, f"{len(left)} files already in content/ were left as they were "
            f"(e.g. {left[0]})", "delete them if they came from an earlier import",
            warning=True))
    return ImportReport(
        source=src, target=into, counts=dict(plan.counts), written=tuple(written),
        urls=dict(sorted(plan.kept.items())), permalinks=plan.permalinks,
        redirects=tuple(plan.redirects), unconverted=tuple(sorted(set(plan.unconverted))),
        problems=tuple(sorted(set(plan.problems))))


def _check_folders(src: Path, into: Path, force: bool) -> None:
    if not src.is_dir():
        raise KithError([Problem(str(src), 0, "no such folder", "give the Jekyll site's folder")])
    if not (src / CONFIG_FILE).is_file() and not (src / "_posts").is_dir():
        raise KithError([Problem(str(src), 0, "not a Jekyll site: no _config.yml and no _posts/",
                                 "give the folder that holds _config.yml")])
    if into == src or into.is_relative_to(src) or src.is_relative_to(into / CONTENT_DIR):
        raise KithError([Problem(str(into), 0, "the target folder is inside the Jekyll site",
                                 "import into a folder outside SRC; SRC is never changed")])
    if into.exists() and not into.is_dir():
        raise KithError([Problem(str(into), 0, "the target is a file, not a folder",
                                 "give a folder with --into DIR")])
    if not force and into.is_dir() and any(p.name != ".git" for p in into.iterdir()):
        raise KithError([Problem(str(into), 0, "the target folder is not empty",
                                 "import into an empty folder (--into DIR), or pass --force "
                                 "to write over files with the same names")])


def _existing(content: Path) -> set[str]:
    if not content.is_dir():
        return set()
    return {p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file()}



# -- command line ------------------------------------------------------------------


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``kith import jekyll SRC [--into DIR] [--force]``."""
    p = commands.add_parser("import", help="convert another generator's site into a Kith site")
    kinds = p.add_subparsers(title="from", metavar="GENERATOR")
    q = kinds.add_parser(
        "jekyll", help="a Jekyll site: _config.yml, _posts/, _drafts/, pages, collections",
        description="Convert a Jekyll site into site.yaml and content/, keeping every URL. "
                    "SRC is only read; a summary lists what could not be converted.")
    q.add_argument("src", metavar="SRC", help="the Jekyll site's folder (never changed)")
    q.add_argument("--into", metavar="DIR",
                   help="where to write site.yaml and content/ (default: the site folder, "
                        "-C DIR or the current folder)")
    q.add_argument("--force", action="store_true",
                   help="write into a folder that is not empty, over files with the same names")
    q.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    into = Path(args.into).resolve() if args.into else Path(args.root)
    report = import_jekyll(Path(args.src), into, force=args.force)
    for line in summary(report):
        print(line)
    return 1 if report.errors else 0


def summary(report: ImportReport) -> list[str]:
    """The import, in the words the command prints."""
    counts = report.counts
    parts = [f"{counts.get(key, 0)} {key if counts.get(key, 0) != 1 else key.rstrip('s')}"
             for key in ("posts", "drafts", "pages", "documents", "static files")]
    written = len(report.urls)
    lines = [f"Imported {report.source} into {report.target}:",
             f"  {', '.join(parts)}; {len(report.written)} files written",
             f"  URLs: {written} kept at Jekyll's paths, {len(report.redirects)} redirected; "
             f"{report.permalinks} files carry a permalink: (Kith's default differs)"]
    liquid_counts = [f"{n} {k.removeprefix('liquid ').replace('output', '{{ }} value')}"
                     for k, n in sorted(counts.items()) if k.startswith("liquid ")]
    if liquid_counts:
        lines.append(f"  Liquid rewritten: {', '.join(liquid_counts)}")
    if counts.get("links re-pointed"):
        lines.append(f"  {counts['links re-pointed']} relative links re-pointed (Kith reads "
                     "them from the file, Jekyll's readers from the URL)")
    if report.redirects:
        lines.append(f"Redirects ({len(report.redirects)}): the old URL now sends readers on")
        lines += [f"  {r.old} -> {r.new}  ({r.source})" for r in report.redirects]
    if report.unconverted:
        lines.append(f"Not converted ({len(report.unconverted)}):")
        lines += [_indent(p) for p in report.unconverted]
    warnings = [p for p in report.problems if p.warning]
    errors = [p for p in report.problems if not p.warning]
    if warnings:
        lines.append(f"Warnings ({len(warnings)}):")
        lines += [_indent(p) for p in warnings]
    if errors:
        lines.append(f"Errors ({len(errors)}): fix these before kith build")
        lines += [_indent(p) for p in errors]
    lines.append(f"Next: kith -C {report.target} build")
    return lines


def _indent(problem: Problem) -> str:
    return "\n".join("  " + line for line in str(problem).splitlines())
