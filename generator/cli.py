"""argv -> command. The only module that prints for the public build."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from . import __version__
from .build import Builder, load_site
from .config import load_config
from .content import slugify
from .errors import KithError, Problem
from .feeds import FEED_IDS_FILE, update_id_ledger


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    args.root = Path(args.directory).resolve() if args.directory else Path.cwd()
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    with _verbose(getattr(args, "verbose", False)):
        try:
            return int(args.func(args))
        except KithError as exc:
            report(exc.problems, sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 130


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kith", description="Build a static site from "
                                     "Markdown, and private share lists from contacts/.")
    parser.add_argument("--version", action="version", version=f"kith {__version__}")
    parser.add_argument("-C", dest="directory", metavar="DIR",
                        help="run on the site in DIR (default: the current folder)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print diagnostics (such as a Markdown parser's panics)")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = commands.add_parser("build", help="build the site into _site/")
    add_build_options(p)
    p.set_defaults(func=cmd_build)

    p = commands.add_parser("new", help="start a new post or tutorial part")
    new = p.add_subparsers(title="what", metavar="KIND")
    q = new.add_parser("post", help="content/posts/YYYY-MM-DD-slug.md")
    q.add_argument("title")
    q.add_argument("--lang", help="language code, for a translation")
    q.set_defaults(func=cmd_new_post)
    q = new.add_parser("tutorial", help="content/tutorials/SERIES/NN-slug.md")
    q.add_argument("series")
    q.add_argument("title")
    q.set_defaults(func=cmd_new_tutorial)

    for optional in ("generator.serve", "generator.deploy", "generator.outreach.commands",
                     "generator.importer.jekyll"):
        _register(optional, commands)
    return parser


def _register(module: str, commands: argparse._SubParsersAction) -> None:
    """Commands that live beside their stage; imported only to register their parsers."""
    import importlib
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return
        raise
    mod.register(commands)


def add_build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", metavar="DIR", help="output folder (default: _site)")
    p.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    p.add_argument("--drafts", action="store_true", help="include drafts")
    p.add_argument("--future", action="store_true", help="include future-dated posts")
    # Also after the command (`kith build -v`); SUPPRESS keeps a top-level -v.
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                   help="also print diagnostics (such as a Markdown parser's panics)")


def cmd_build(args: argparse.Namespace) -> int:
    output = Path(args.output).resolve() if args.output else None
    try:
        builder = Builder(args.root, output=output, drafts=args.drafts, future=args.future,
                          base_url=args.base_url)
        result = builder.build()
    except KithError as exc:
        report(exc.problems, sys.stderr)
        errors = sum(1 for p in exc.problems if not p.warning)
        print(f"build failed: {errors} problem{'s' * (errors != 1)}; "
              "the output folder was left as it was", file=sys.stderr)
        return 1
    report(result.warnings, sys.stderr)
    where = _display(result.output, args.root)
    print(f"built {result.pages} pages into {where}/ in {result.seconds:.2f} s "
          f"({result.written} files written, {result.unchanged} unchanged, "
          f"{result.removed} removed)")
    for skipped in result.skipped:
        print(f"  left out {skipped.source}: {skipped.reason} ({skipped.hint})")
    site = builder.site
    if site is not None and not (args.drafts or args.future):
        # Feed entry IDs are minted once and kept: a draft's comes from its real publish date.
        # A no-op build assembles no site, and has no new post to record.
        added = update_id_ledger(site)
        if added:
            print(f"recorded {len(added)} new feed entry ID{'s' * (len(added) != 1)} in "
                  f"{FEED_IDS_FILE}; commit it")
    if (args.root / "contacts").is_dir():
        try:
            from .outreach.report import write_reports
        except ModuleNotFoundError:
            return 0
        site = site or load_site(args.root, drafts=args.drafts, future=args.future,
                                 base_url=args.base_url)
        for line in write_reports(site, args.root, public=[result.output]):
            print(line)
    return 0


def cmd_new_post(args: argparse.Namespace) -> int:
    config = load_config(args.root)
    lang = args.lang or config.language
    if lang not in config.language_codes:
        raise KithError([Problem("--lang", 0, f"unknown language '{lang}'",
                                 "allowed: " + ", ".join(config.language_codes))])
    today = dt.datetime.now(config.tz).date().isoformat()
    suffix = "" if lang == config.language else f"-{lang}"
    path = args.root / "content" / "posts" / f"{today}-{slugify(args.title).lower()}{suffix}.md"
    lang_line = "" if lang == config.language else f"lang: {lang}\n"
    return _create(args.root, path, f"---\ntitle: {_yaml_str(args.title)}\ndate: {today}\n"
                   f"{lang_line}tags: []\nsummary: \"\"\n---\n\n")


def cmd_new_tutorial(args: argparse.Namespace) -> int:
    config = load_config(args.root)
    folder = args.root / "content" / "tutorials" / slugify(args.series).lower()
    numbers = [int(p.name.split("-", 1)[0]) for p in folder.glob("*.md")
               if p.name.split("-", 1)[0].isdigit()]
    number = max(numbers, default=0) + 1
    today = dt.datetime.now(config.tz).date().isoformat()
    path = folder / f"{number:02d}-{slugify(args.title).lower()}.md"
    return _create(args.root, path, f"---\ntitle: {_yaml_str(args.title)}\ndate: {today}\n"
                   f"summary: \"\"\ntags: []\n---\n\n")


def _create(root: Path, path: Path, text: str) -> int:
    shown = _display(path, root)
    if path.exists():
        raise KithError([Problem(shown, 0, "already exists", "pick another title")])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"created {shown}")
    return 0


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


@contextmanager
def _verbose(on: bool) -> Iterator[None]:
    """With --verbose, Kith's own debug log lines go to stderr (forked workers inherit
    the handler); the logger is as it was afterwards (main() may run again)."""
    if not on:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("kith: %(message)s"))
    logger = logging.getLogger("generator")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def report(problems: object, stream: TextIO) -> None:
    for problem in problems:  # type: ignore[attr-defined]
        print(problem, file=stream)
