"""argv -> command. The only module that prints for the public build."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import errno
import logging
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import KithError, Problem, warning_report
from .files import fault

# The stages are imported when a command runs, after Ctrl-C is handled (main): a
# Ctrl-C during the second it takes to load them gives one line, not a traceback.


def run() -> None:
    """The ``kith`` command: ``main()``, then an exit that does not free the heap.

    After a build of 30,000 posts the interpreter took ~1 s to free its objects one
    by one, work nobody waits for. Exit handlers (Pagefind's services, the process
    pools, logging) run and the standard streams are flushed first; with another
    thread still alive, the ordinary exit joins it.
    """
    code = main()
    if threading.active_count() > 1:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that left, a closed stream
            pass
    atexit._run_exitfuncs()  # what the ordinary exit would run
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    _quiet_workers()
    args: argparse.Namespace | None = None
    try:
        parser = make_parser(argv)
        args = parser.parse_args(argv)
        args.root = Path(args.directory).resolve() if args.directory else Path.cwd()
        if not hasattr(args, "func"):
            parser.print_help()
            return 2
        with _verbose(getattr(args, "verbose", False)):
            code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, where it can be handled
        return code
    except KithError as exc:
        report(exc.problems, sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kith share | head`: the reader left, nothing to say
        return _closed_pipe()
    except OSError as exc:  # the machine's answer (permissions, a full disk): no bug of ours
        print(f"{_where(exc, getattr(args, 'root', None) or Path.cwd())}{exc.strerror or exc}",
              file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line and a way to report it, not a traceback
        return _internal_error(exc, args)


EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a Unix tool killed by a closed pipe exits with (`kith share | head`)."""
EXIT_INTERNAL = 70
"""EX_SOFTWARE: an error in Kith itself, not in the site."""


def _closed_pipe() -> int:
    """The reader went away (``| head``): stop quietly, as Unix tools do. Python would
    otherwise complain again when it flushes stdout on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file (a test's capture): nothing will flush into the pipe
    return EXIT_BROKEN_PIPE


def _where(exc: OSError, root: Path) -> str:
    if not exc.filename:
        return "kith: "
    path = Path(os.fsdecode(exc.filename))
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        shown = str(path)
    return f"{shown}: "


def _internal_error(exc: Exception, args: argparse.Namespace | None) -> int:
    if getattr(args, "verbose", False) or os.environ.get("KITH_DEBUG"):
        traceback.print_exc()
        return EXIT_INTERNAL
    # The exception's own text is left out: it may quote a private contact's data.
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if Path(f.filename).resolve().is_relative_to(_PACKAGE)]
    where = ""
    if frames:
        last = frames[-1]
        rel = Path(last.filename).resolve().relative_to(_PACKAGE.parent).as_posix()
        where = f" in {rel}:{last.lineno} ({last.name})"
    print(f"kith: internal error: {type(exc).__name__}{where}\n"
          "  hint: this is a bug in Kith, not in your site; please report it with the "
          "command you ran (KITH_DEBUG=1 shows the traceback)", file=sys.stderr)
    return EXIT_INTERNAL


_PACKAGE = Path(__file__).resolve().parent


def _quiet_workers() -> None:
    """Ctrl-C reaches every process of the terminal's group: the build's forked workers
    leave at once and quietly (what they staged is swept by the next build), so it ends
    with one line from the main process, not a traceback per worker."""
    main_pid = os.getpid()

    def interrupt(signum: int, frame: object) -> None:
        if os.getpid() != main_pid:
            os._exit(128 + signum)
        # The process pool's own thread may stumble over futures cancelled while its
        # workers leave (a traceback from the standard library): we are stopping anyway.
        threading.excepthook = lambda args: None
        raise KeyboardInterrupt

    # Not when started with Ctrl-C ignored (nohup, a script's background job): keep it so.
    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
        signal.signal(signal.SIGINT, interrupt)


def make_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: a build or new command does not load the other commands'
    modules (serve, deploy, outreach, import: ~0.1 s of every no-op build)."""
    fault("start")  # before the commands' modules load (tests: Ctrl-C during start-up)
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
    p.add_argument("--all-warnings", action="store_true",
                   help="print every warning in full, also those the last build reported "
                   "(by default they are only counted)")
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

    if _command(sys.argv[1:] if argv is None else argv) not in ("build", "new"):
        for optional in ("generator.serve", "generator.deploy", "generator.outreach.commands",
                         "generator.importer.jekyll"):
            _register(optional, commands)
    return parser


def _command(argv: list[str]) -> str | None:
    """The command ``argv`` names (its first word that is not an option or -C's folder)."""
    words = iter(argv)
    for word in words:
        if word == "-C":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


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
    p.add_argument("--force", action="store_true",
                   help="build into a folder that holds files Kith did not write (Kith "
                   "still removes only its own files)")
    # Also after the command (`kith build -v`); SUPPRESS keeps a top-level -v.
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                   help="also print diagnostics (such as a Markdown parser's panics)")


def cmd_build(args: argparse.Namespace) -> int:
    from .build import OUTPUT_DIR, Builder, adopt_records
    from .feed_ids import FEED_IDS_FILE
    from .files import sweep_leftovers
    from .writer import check_output_dir

    output = Path(args.output).resolve() if args.output else None
    target = output if output is not None else args.root / OUTPUT_DIR
    sweep_leftovers(args.root, FEED_IDS_FILE)
    try:
        if output is not None:
            adopt_records(args.root, output)  # else its records look like none
            check_output_dir(args.root, output, claim=True, force=args.force)
        builder = Builder(args.root, output=output, drafts=args.drafts, future=args.future,
                          base_url=args.base_url, record_ids=True)
        result = builder.build()
    except KithError as exc:
        _report_build(exc.problems, exc.repeated, args.all_warnings)
        errors = sum(1 for p in exc.problems if not p.warning)
        print(f"build failed: {errors} problem{'s' * (errors != 1)}; "
              f"{_left(args.root, target)}", file=sys.stderr)
        return 1
    except OSError as exc:  # a source deleted mid-build, a full disk, a folder made read-only
        where = _display(Path(exc.filename), args.root) if exc.filename else ""
        report([Problem(where, 0, str(exc.strerror or exc), _OS_HINTS.get(
            exc.errno or 0, "fix that, then run kith build again"))], sys.stderr)
        print(f"build stopped; {_left(args.root, target, stopped=True)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"interrupted; {_left(args.root, target, stopped=True)}", file=sys.stderr)
        return 130
    _report_build(result.warnings, result.repeated, args.all_warnings)
    where = _display(result.output, args.root)
    print(f"built {result.pages} pages into {where}/ in {result.seconds:.2f} s "
          f"({result.written} files written, {result.unchanged} unchanged, "
          f"{result.removed} removed)")
    for skipped in result.skipped:
        print(f"  left out {skipped.source}: {skipped.reason} ({skipped.hint})")
    site = builder.site
    added = result.recorded  # feed entry IDs are minted once and kept
    if added:
        print(f"recorded {len(added)} new feed entry ID{'s' * (len(added) != 1)} in "
              f"{FEED_IDS_FILE}; commit it")
    if (args.root / "contacts").is_dir():
        _build_outreach(args, site, result.output)
    return 0


def _build_outreach(args: argparse.Namespace, site: object, output: Path) -> None:
    """The private share lists. The public site is built whatever happens here: problems
    are reported, the build still exits 0, and `kith contacts check` exits 1 on them."""
    from .build import load_site

    try:
        from .outreach.folder import write_reports
    except ModuleNotFoundError:
        return
    try:
        site = site or load_site(args.root, drafts=args.drafts, future=args.future,
                                 base_url=args.base_url)
        lines, problems = write_reports(site, args.root, public=[output])  # type: ignore[arg-type]
    except KithError as exc:
        lines, problems = ["outreach: nothing written"], exc.problems
    report(problems, sys.stderr)
    for line in lines:
        print(line)
    errors = sum(1 for p in problems if not p.warning)
    if errors:
        print(f"outreach had {errors} problem{'s' * (errors != 1)} (the public site was built; "
              "run 'kith contacts check')", file=sys.stderr)


_OS_HINTS = {errno.ENOSPC: "free some disk space, then run kith build again",
             errno.ENOENT: "a file was deleted or renamed while the site was being built: "
                           "run kith build again"}


def _left(root: Path, output: Path, stopped: bool = False) -> str:
    """What a failed or ``stopped`` build (interrupted, or an OS error perhaps after its
    commit: the ledger, the build state) left in the output folder."""
    from .writer import unfinished

    where = _display(output, root)
    if unfinished(root, output):
        return f"the next kith build finishes updating {where}/"
    if stopped:  # the folder holds one whole build or the other, or nothing yet
        if not output.is_dir() or next(output.iterdir(), None) is None:
            return f"nothing was written to {where}/"
        return f"{where}/ holds a complete site, nothing half-built"
    return "the output folder was left as it was"


def cmd_new_post(args: argparse.Namespace) -> int:
    from .config import load_config
    from .content import slugify

    config = load_config(args.root)
    lang = args.lang or config.language
    if lang not in config.language_codes:
        raise KithError([Problem("--lang", 0, f"unknown language '{lang}'",
                                 "allowed: " + ", ".join(config.language_codes)
                                 + " (add it to 'languages' in site.yaml)")])
    title = _yaml_str(args.title)
    today = dt.datetime.now(config.tz).date().isoformat()
    suffix = "" if lang == config.language else f"-{lang}"
    slug = _name(slugify(_words(args.title)))
    if not suffix and any(slug.endswith(f"-{code}") for code in config.language_codes):
        suffix = f"-{lang}"  # 'Hello zh': hello-zh-en.md, not the zh version of hello.md
    posts = args.root / "content" / "posts"
    # Two posts of one slug are one URL unless the permalink tells their dates apart:
    # compare as much of the date as it shows (/:year/:slug/ parts years only).
    shows = next((n for n, token in ((10, ":day"), (7, ":month"), (4, ":year"))
                  if token in config.permalinks["posts"]), 0)
    taken = {p.name[11:]: p for p in sorted(posts.rglob(f"*-{slug}*{suffix}.md"))
             if re.match(r"\d{4}-\d\d-\d\d-", p.name) and p.name[:shows] == today[:shows]}
    if slug == "untitled":  # no letter or digit in the title: number the file
        n = 1
        while f"{slug}{f'-{n}' if n > 1 else ''}{suffix}.md" in taken:
            n += 1
        slug = f"{slug}-{n}" if n > 1 else slug
    elif f"{slug}{suffix}.md" in taken:
        shown = _display(taken[f"{slug}{suffix}.md"], args.root)
        raise KithError([Problem(shown, 0, "a post of this title already exists: both "
                                 "would be one page", "pick another title")])
    path = posts / f"{today}-{slug}{suffix}.md"
    lang_line = "" if lang == config.language else f"lang: {lang}\n"
    return _create(args.root, path, f"---\ntitle: {title}\ndate: {today}\n"
                   f"{lang_line}tags: []\nsummary: \"\"\ndraft: true\n---\n\n")


def cmd_new_tutorial(args: argparse.Namespace) -> int:
    from .config import load_config
    from .content import slugify

    config = load_config(args.root)
    title = _yaml_str(args.title)
    series = _name(slugify(_words(args.series)))
    if series == "untitled" and args.series.strip().lower() != "untitled":
        # Two such names ("", "???") would share one folder: one series of both.
        raise KithError([Problem("series", 0, f"the series name {args.series!r} has no letter "
                                 "or digit to name its folder", 'give it one, such as "Raft '
                                 'in Go"')])
    folder = args.root / "content" / "tutorials" / series
    files = sorted(folder.glob("*.md"))
    # Each part's URL name: its slug: if it has one, else its file name after the number.
    parts = {f"{_front_slug(p) or re.sub(r'^[0-9]+-', '', p.stem)}.md": p for p in files}
    number = max((int(p.name.split("-", 1)[0]) for p in files
                  if p.name.split("-", 1)[0].isdigit()), default=0) + 1
    today = dt.datetime.now(config.tz).date().isoformat()
    slug = _name(slugify(_words(args.title)))
    n = 1
    while slug == "untitled" and f"{slug}{f'-{n}' if n > 1 else ''}.md" in parts:
        n += 1  # no letter or digit in the title: number the name
    name = f"{slug}-{n}.md" if n > 1 else f"{slug}.md"
    same = parts.get(name)
    if same is not None:  # the part's URL is its name's
        shown = _display(same, args.root)
        raise KithError([Problem(shown, 0, "a part of this title already exists: both "
                                 "would be one page", "pick another title")])
    path = folder / f"{number:02d}-{name}"
    return _create(args.root, path, f"---\ntitle: {title}\ndate: {today}\n"
                   f"summary: \"\"\ntags: []\ndraft: true\n---\n\n")


def _front_slug(path: Path) -> str:
    """A part's ``slug:`` as the build reads its front matter ('' without one)."""
    from .content import split_front_matter

    with contextlib.suppress(OSError, UnicodeDecodeError):
        meta = split_front_matter(path.name, path.read_text("utf-8"))[0]
        slug = meta.get("slug") if meta else None
        return slug if isinstance(slug, str) else ""
    return ""


def _words(title: str) -> str:
    """A title as the words of a file name: 'TCP/IP' is 'TCP IP', not 'TCPIP'."""
    return re.sub(r"[/\\]+", " ", title)


def _name(slug: str, limit: int = 120) -> str:
    """A title's slug as a file name: lower case, and short enough for any disk (a file
    name holds 255 bytes): a long title is cut at a word, the title itself stays whole."""
    slug = slug.lower()
    if len(slug.encode()) <= limit:
        return slug
    cut = slug.encode()[:limit].decode("utf-8", "ignore")
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-.")


def _create(root: Path, path: Path, text: str) -> int:
    shown = _display(path, root)
    if path.exists():
        raise KithError([Problem(shown, 0, "already exists", "pick another title")])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    # A draft, as in Hugo: nothing goes live (no page, no feed entry, no share list)
    # until the writer says so.
    print(f"created {shown} (a draft)\n"
          "  preview it: kith serve --drafts\n"
          f"  publish it: delete the line 'draft: true' in {shown}, then kith build")
    return 0


def _yaml_str(text: str) -> str:
    """A double-quoted YAML scalar that reads back as ``text`` (tabs and line breaks
    escaped: YAML refuses them raw). Raises KithError for text that is not valid UTF-8
    or holds a control character a title may not (the build would refuse the post)."""
    from .content import control_character

    if not text.strip():
        raise KithError([Problem("title", 0, "the title is empty",
                                 'give it one, such as "Raft log compaction"')])
    if re.search("[\udc80-\udcff]", text):
        raise KithError([Problem("title", 0, "the title is not valid UTF-8",
                                 "check the terminal's encoding")])
    odd = control_character(text)
    if odd is not None:
        raise KithError([Problem("title", 0, f"the title holds the control character "
                                 f"\\x{ord(odd):02x}", "type it without; a page cannot show it")])
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub("[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group(0)):02x}", text) + '"'


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


def _report_build(problems: Iterable[Problem], repeated: frozenset[Problem],
                  everything: bool) -> None:
    """A build's problems: new warnings in full (a hint once), those the last build also
    reported counted by kind (all of them in full with ``everything``), a closing count
    of the warnings, then every error in full."""
    for line in warning_report(list(problems), repeated, everything=everything):
        print(line, file=sys.stderr)


def report(problems: object, stream: TextIO) -> None:
    for problem in problems:  # type: ignore[attr-defined]
        print(problem, file=stream)
