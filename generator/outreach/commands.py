"""`kith share`, `kith due`, `kith log` and `kith contacts check`.

generator/cli.py calls ``register(subparsers)``; each handler takes the parsed
arguments (``args.root`` is the site folder) and returns an exit code.
Results go to stdout; problems are raised as KithError, which the CLI prints
as ``path:line: message`` lines that never quote a private value.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import KithError, Problem, closest
from ..model import Site
from .contacts import CONTACTS_DIR, contact_files, load_book
from .log import NEEDS_POST, append_entry
from .model import CHANNEL_TYPES, KINDS
from .periods import parse_full
from .rank import DEFAULT_LIMIT, Post, Ranker
from .report import (
    due_json,
    due_list,
    due_text,
    dumps,
    load_ranker,
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
                   "not yet shared")
    p.add_argument("--all", action="store_true", help="every post")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--limit", type=_positive, default=DEFAULT_LIMIT, metavar="N",
                   help=f"at most N people per post (default {DEFAULT_LIMIT})")
    p.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="pretend today is this date")
    p.set_defaults(func=cmd_share)

    p = subparsers.add_parser("due", help="people due for a touch, with the best post for each")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="pretend today is this date")
    p.set_defaults(func=cmd_due)

    p = subparsers.add_parser("log", help="append one entry to contacts/log/YYYY.yaml")
    p.add_argument("kind", choices=KINDS, help="what happened")
    p.add_argument("contact", help="the contact's id (file name without .yaml)")
    p.add_argument("--post", help="the post (key, source path or URL); needed for share, skip")
    p.add_argument("--channel", choices=CHANNEL_TYPES, help="channel type used")
    p.add_argument("--note", help="private note")
    p.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="default: today")
    p.set_defaults(func=cmd_log)

    p = subparsers.add_parser("contacts", help="check the private contacts folder")
    actions = p.add_subparsers(title="action", metavar="ACTION")
    q = actions.add_parser("check", help="validate contacts, the log and aliases")
    q.set_defaults(func=cmd_contacts_check)
    p.set_defaults(func=lambda args: _usage(p))


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


def _site(root: Path) -> Site:
    from ..build import load_site  # late: only the commands that need the site pay for it

    return load_site(root)


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
    path = urlsplit(text).path if "://" in text else text
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
    site = _site(args.root)
    ranker, book = load_ranker(site, args.root, args.today or today_for(site))
    _warn(book.problems)
    if args.all:
        posts = list(ranker.posts.values())
    elif args.posts:
        posts = list({(post := resolve_post(ranker, p)).key: post for p in args.posts}.values())
    else:
        posts = unshared(ranker)
    lists = share_lists(ranker, posts, args.limit)
    if args.json:
        sys.stdout.write(dumps(share_json(ranker, lists)))
    elif not posts:
        print("every post has been shared with someone; name a POST or use --all")
    else:
        sys.stdout.write(share_text(ranker, lists))
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    site = _site(args.root)
    ranker, book = load_ranker(site, args.root, args.today or today_for(site))
    _warn(book.problems)
    entries = due_list(ranker)
    sys.stdout.write(dumps(due_json(ranker, entries)) if args.json
                     else due_text(ranker, entries))
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    root: Path = args.root
    folder = root / CONTACTS_DIR
    ids = {f.stem for f in contact_files(folder)[0]} if folder.is_dir() else set()
    if args.contact not in ids:
        # The id is not echoed back: it may be a person's name.
        raise KithError([Problem("", 0, "no contact with that id in contacts/",
                                 "the id is the file name without .yaml; "
                                 "run 'kith contacts check'")])
    post = ""
    if args.post:
        site = _site(root)
        post = resolve_post(Ranker(site, load_book(root), dt.date.today()), args.post).key
    elif args.kind in NEEDS_POST:
        raise KithError([Problem("", 0, f"'kith log {args.kind}' needs --post",
                                 "give the post's key, source path or URL")])
    day = args.date
    if day is None:
        try:
            from ..config import load_config

            day = dt.datetime.now(load_config(root).tz).date()
        except KithError:
            day = dt.date.today()
    path, _ = append_entry(root, day, args.contact, args.kind, post=post,
                           channel=args.channel or "", note=args.note or "")
    shown = path.relative_to(root).as_posix()
    print(f"logged {args.kind} for {args.contact}" + (f" ({post})" if post else "")
          + f" in {shown}")
    return 0


def cmd_contacts_check(args: argparse.Namespace) -> int:
    root: Path = args.root
    keys = None
    try:
        site = _site(root)
        keys = {page.key for pages in site.posts.values() for page in pages}
    except KithError:
        print("warning: the site does not build, so log 'post' keys were not checked "
              "(run 'kith build' to see why)", file=sys.stderr)
    book = load_book(root, keys)
    for problem in book.problems:
        print(problem, file=sys.stderr)
    for folder in book.skipped:
        print(f"left out {folder}: a separate contacts folder (it has its own log/ or "
              "aliases.yaml)")
    errors = len(book.errors)
    summary = (f"contacts: {_count(len(book.contacts), 'contact')}, "
               f"{_count(book.log_entries, 'log entry', 'log entries')}, "
               f"{_count(len(book.alias_groups), 'alias', 'aliases')}")
    if errors:
        print(f"{summary}: {_count(errors, 'problem')}", file=sys.stderr)
        return 1
    print(f"{summary}: no problems")
    return 0


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _warn(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        if problem.warning:
            print(problem, file=sys.stderr)
