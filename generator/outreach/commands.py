"""`kith share`, `kith due`, `kith plan`, `kith log` and `kith contacts check|import`.

generator/cli.py calls ``register(subparsers)``; each handler takes the parsed
arguments (``args.root`` is the site folder) and returns an exit code.
Results go to stdout; problems go to stderr as ``path:line: message`` lines
that never quote a private value. A broken contact file is left out with its
message and everybody else still works; only `kith contacts check` fails on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import KithError, Problem, closest, counted
from ..model import Site
from .contacts import Book, contact_files, git_exposure, load_book
from .log import NEEDS_POST, append_entry, closest_id
from .model import CHANNEL_TYPES, CONTACTS_DIR, KINDS
from .periods import parse_full
from .plan import weekly_plan
from .rank import DEFAULT_LIMIT, Post, Ranker
from .report import (
    SAMPLE_DIR,
    contacts_folder,
    due_json,
    due_list,
    due_text,
    dumps,
    load_ranker,
    plan_json,
    plan_text,
    share_json,
    share_lists,
    share_text,
    today_for,
    unshared,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("share", help="who might care about a post (private)",
                              description="Print private share lists: who would value a post, "
                              "why, how to reach them, and a draft that asks for nothing.")
    p.add_argument("posts", nargs="*", metavar="POST",
                   help="a post key (slug), source path or URL; default: the newest posts "
                   "that still have someone to tell")
    p.add_argument("--all", action="store_true", help="every post")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--limit", type=_positive, default=DEFAULT_LIMIT, metavar="N",
                   help=f"at most N people per post (default {DEFAULT_LIMIT})")
    _today(p)
    p.set_defaults(func=cmd_share)

    p = subparsers.add_parser("plan", help="this week's few people, each with one post")
    p.add_argument("--size", type=_positive, metavar="N",
                   help="at most N people (default: plan_size in contacts/settings.yaml, or 5)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _today(p)
    p.set_defaults(func=cmd_plan)

    p = subparsers.add_parser("due", help="everyone due for a touch, with the best post for each")
    p.add_argument("--json", action="store_true", help="print JSON")
    _today(p)
    p.set_defaults(func=cmd_due)

    p = subparsers.add_parser("log", help="append one entry to contacts/log/YYYY.yaml")
    p.add_argument("kind", choices=KINDS, help="what happened")
    p.add_argument("contact", help="the contact's id (file name without .yaml)")
    p.add_argument("--post", help="the post (key, source path or URL); needed for share, skip")
    p.add_argument("--channel", choices=CHANNEL_TYPES, help="channel type used")
    p.add_argument("--note", help="private note")
    p.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="default: today")
    p.set_defaults(func=cmd_log)

    p = subparsers.add_parser("contacts", help="check or import the private contacts")
    actions = p.add_subparsers(title="action", metavar="ACTION")
    q = actions.add_parser("check", help="validate contacts, the log, aliases and settings")
    q.set_defaults(func=cmd_contacts_check)
    q = actions.add_parser("import", help="vCard, LinkedIn Connections.csv or CSV -> "
                           "contacts/<id>.yaml skeletons (never overwrites)")
    q.add_argument("files", nargs="+", metavar="FILE", type=Path)
    q.add_argument("--dry-run", action="store_true", help="say what would be written")
    q.set_defaults(func=cmd_contacts_import)
    p.set_defaults(func=lambda args: _usage(p))


def _today(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="pretend today is this date")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return 2


def _day(text: str) -> dt.date:
    try:
        return parse_full(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date like 2026-11-25") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("expected a whole number of at least 1")
    return int(text)


def emit(text: str) -> None:
    """Write to stdout; a reader that went away (`kith share | head`) ends output quietly,
    and output that cannot be written (a full disk) is an error, not a traceback."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        # Point stdout at /dev/null so that the interpreter's final flush stays quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
        if not isinstance(exc, BrokenPipeError):
            raise KithError([Problem("", 0, f"cannot write the output ({exc.strerror or exc})",
                                     "free some space where the output goes")]) from None


def _site(root: Path) -> Site:
    from ..build import load_site  # late: only the commands that need the site pay for it

    return load_site(root)


def _ranker(args: argparse.Namespace) -> Ranker:
    site = _site(args.root)
    ranker, book, note = load_ranker(site, args.root, args.today or today_for(site))
    _report(_with_exposure(args.root, book), book.left_out)
    if note:
        print(f"note: {note}", file=sys.stderr)
    return ranker


def _with_exposure(root: Path, book: Book) -> list[Problem]:
    """The book's problems, and a warning first when git would publish contacts/."""
    exposed = git_exposure(root, book.folder) if book.folder == CONTACTS_DIR else None
    return [exposed, *book.problems] if exposed else list(book.problems)


def _report(problems: Iterable[Problem], left_out: Iterable[str] = ()) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    skipped = list(left_out)
    if skipped:
        print(f"left out {len(skipped)} contact file{'s' * (len(skipped) != 1)} with errors; "
              "everyone else is included (run 'kith contacts check')", file=sys.stderr)


def resolve_post(ranker: Ranker, wanted: str) -> Post:
    """A post from its key, a source path or a URL (absolute or site-relative)."""
    posts = ranker.posts
    text = wanted.strip()
    if text in posts:
        return posts[text]
    for post in posts.values():
        for page in post.pages:
            if text.replace("\\", "/").lstrip("./") == page.source or \
                    Path(text).resolve() == (ranker.site.config.root / page.source).resolve():
                return post
    try:
        path = urlsplit(text).path if "://" in text else text
    except ValueError:  # 'http://[::1/x': no post has such a URL
        path = text
    base = ranker.site.config.base_path
    for candidate in {path, "/" + path.lstrip("/"), "/" + path[len(base):].lstrip("/")
                      if path.startswith(base) else path}:
        normal = candidate.rstrip("/") + "/"
        for post in posts.values():
            for page in post.pages:
                if page.url in (candidate, normal) or page.url.rstrip("/") == candidate:
                    return post
    raise KithError([Problem("", 0, f"no post '{wanted}'",
                             closest(text, posts) or "give a key from 'kith share --all', "
                             "a source path or the post's URL")])


def cmd_share(args: argparse.Namespace) -> int:
    ranker = _ranker(args)
    if args.all:
        posts = list(ranker.posts.values())
    elif args.posts:
        posts = list({(post := resolve_post(ranker, p)).key: post for p in args.posts}.values())
    else:
        posts = unshared(ranker)
    lists = share_lists(ranker, posts, args.limit)
    if args.json:
        emit(dumps(share_json(ranker, lists)))
    elif not posts:
        emit("no post has anyone left to tell: everyone who clears the bar got it, is held "
             "back or is snoozed; name a POST or use --all\n")
    else:
        emit(share_text(ranker, lists))
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    ranker = _ranker(args)
    entries = due_list(ranker)
    emit(dumps(due_json(ranker, entries)) if args.json else due_text(ranker, entries))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    ranker = _ranker(args)
    size = args.size or ranker.book.settings.plan_size
    entries = weekly_plan(ranker, size)
    emit(dumps(plan_json(ranker, entries)) if args.json else plan_text(ranker, entries, size))
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    root: Path = args.root
    folder, _ = contacts_folder(root)
    if folder == SAMPLE_DIR:
        raise KithError([Problem("", 0, "the contacts in contacts/sample/ are fictional "
                                 "examples; nothing is logged for them",
                                 "add your own contacts to contacts/ first")])
    directory = root / CONTACTS_DIR
    ids = {f.stem for f in contact_files(directory)[0]} if directory.is_dir() else set()
    if args.contact not in ids:
        raise KithError([Problem("", 0, "no contact with that id in contacts/",
                                 closest_id(args.contact, ids) or "the id is the file name "
                                 "without .yaml; run 'kith contacts check'")])
    post = ""
    if args.post:
        site = _site(root)
        post = resolve_post(Ranker(site, load_book(root), dt.date.today()), args.post).key
    elif args.kind in NEEDS_POST:
        raise KithError([Problem("", 0, f"'kith log {args.kind}' needs --post",
                                 "give the post's key, source path or URL")])
    try:
        from ..config import read_config

        today = dt.datetime.now(read_config(root)[0].tz).date()  # a wrong paginate: still
    except KithError:
        today = dt.date.today()
    day = args.date or today
    if day > today + dt.timedelta(days=1):  # a day of slack: the writer's zone may be ahead
        raise KithError([Problem("--date", 0, f"{day.isoformat()} is in the future; nothing "
                                 "was logged", "the log records what happened: give the day "
                                 "it did, today or earlier")])
    try:
        path, _ = append_entry(root, day, args.contact, args.kind, post=post,
                               channel=args.channel or "", note=args.note or "")
    except ValueError as exc:
        raise KithError([Problem("--note", 0, f"the note is {exc}",
                                 "write the note again in plain text")]) from None
    except OSError as exc:
        where = f"{CONTACTS_DIR}/log/{day.year:04d}.yaml"
        raise KithError([Problem(where, 0, f"cannot write the log ({exc.strerror or exc}); "
                                 "nothing was logged",
                                 "free some space or check the folder's permissions, then "
                                 "run the same command again")]) from None
    shown = path.relative_to(root).as_posix()
    emit(f"logged {args.kind} for {args.contact}" + (f" ({post})" if post else "")
         + f" in {shown}\n")
    return 0


def cmd_contacts_check(args: argparse.Namespace) -> int:
    root: Path = args.root
    keys = None
    try:
        site = _site(root)
        keys = {page.key for pages in site.posts.values() for page in pages}
        today = today_for(site)
    except KithError:
        today = dt.date.today()
        print("warning: the site does not build, so log 'post' keys were not checked "
              "(run 'kith build' to see why)", file=sys.stderr)
    book = load_book(root, keys, today=today)
    _report(_with_exposure(root, book))
    for folder in book.skipped:
        emit(f"left out {folder}: a separate contacts folder (it has its own log/ or "
             "aliases.yaml)\n")
    errors = len(book.errors)
    warnings = len(book.problems) - errors
    summary = (f"contacts: {counted(len(book.contacts), 'contact')}, "
               f"{counted(book.log_entries, 'log entry', 'log entries')}, "
               f"{counted(len(book.alias_groups), 'alias', 'aliases')}")
    if errors:
        print(f"{summary}: {counted(errors, 'problem')}"
              + (f", {counted(warnings, 'warning')}" if warnings else ""), file=sys.stderr)
        return 1
    emit(f"{summary}: no problems" + (f", {counted(warnings, 'warning')}" if warnings else "")
         + "\n")
    return 0


def cmd_contacts_import(args: argparse.Namespace) -> int:
    from .addressbook import import_files

    result = import_files(args.root, args.files, dry_run=args.dry_run,
                          today=dt.date.today())
    _report(result.problems)
    emit(result.summary() + "\n")
    return 1 if any(not p.warning for p in result.problems) else 0
