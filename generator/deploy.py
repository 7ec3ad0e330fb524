"""`kith deploy`: publish the built `_site/` to a branch such as gh-pages.

Git plumbing only: blobs are hashed straight from `_site/`, the tree is written
through a temporary index file and the commit is pushed by its hash. The user's
working tree, index, HEAD and local branches are never touched, whatever state
they are in; the only local change is the new objects (and FETCH_HEAD).
"""

from __future__ import annotations

import argparse
import os
import stat
import subprocess
import tempfile
from pathlib import Path

from .build import OUTPUT_DIR
from .config import load_config
from .errors import KithError, Problem
from .writer import built_with, manifest_path, read_manifest, unfinished

# Environment a surrounding git (a hook, a CI step) may set; it must not leak in.
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX")
_FALLBACK_IDENTITY = {"GIT_AUTHOR_NAME": "Kith", "GIT_AUTHOR_EMAIL": "kith@localhost",
                      "GIT_COMMITTER_NAME": "Kith", "GIT_COMMITTER_EMAIL": "kith@localhost"}


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("deploy", help="publish _site/ to a git branch (e.g. gh-pages)",
                            description="Commit the built site to a branch and push it, "
                            "without touching your working tree, index or current branch. "
                            "Run `kith build` first.")
    p.add_argument("--remote", default="origin", help="remote name or URL (default: origin)")
    p.add_argument("--branch", default="gh-pages", help="branch to publish to (default: gh-pages)")
    p.add_argument("--message", "-m", help="commit message")
    p.add_argument("--output", dest="site_dir", metavar="DIR",
                   help=f"built site to publish (default: {OUTPUT_DIR})")
    p.set_defaults(func=cmd_deploy)


def cmd_deploy(args: argparse.Namespace) -> int:
    root: Path = args.root
    site_dir = Path(args.site_dir).resolve() if args.site_dir else root / OUTPUT_DIR
    result = deploy(root, site_dir, remote=args.remote, branch=args.branch,
                    message=args.message)
    print(result)
    return 0


def deploy(root: Path, site_dir: Path, *, remote: str = "origin", branch: str = "gh-pages",
           message: str | None = None) -> str:
    """Publish ``site_dir`` to ``remote``'s ``branch``; return a one-line summary."""
    if not site_dir.is_dir() or not any(site_dir.iterdir()):
        raise KithError([Problem(_show(site_dir, root), 0, "nothing to publish: the folder "
                                 "is missing or empty", "run `kith build` first")])
    config = load_config(root)
    git = _Git(root)
    git.run("rev-parse", "--git-dir", error=f"{root} is not in a git repository",
            hint="kith deploy publishes to a branch of the site's repository; run `git init` "
                 "and add a remote, or publish with the GitHub Actions workflow")
    ref = f"refs/heads/{branch}"
    git.run("check-ref-format", ref, error=f"'{branch}' is not a valid branch name")
    if git.run("symbolic-ref", "--quiet", "HEAD", check=False) == ref:
        raise KithError([Problem("--branch", 0, f"refusing to publish the site over '{branch}', "
                                 "the branch you are working on",
                                 "publish to a branch of its own, e.g. --branch gh-pages")])
    remote_tip = _remote_tip(git, remote, ref)

    files, strangers = _site_files(root, site_dir)
    extra: dict[str, bytes] = {".nojekyll": b""}  # else Pages' Jekyll drops _-prefixed paths
    if config.cname:
        extra["CNAME"] = config.cname.strip().encode() + b"\n"
    paths = [p for p in files if p not in extra]
    blobs = git.run("hash-object", "-w", "--no-filters", "--stdin-paths",
                    input="\n".join(str(site_dir / p) for p in paths) + "\n").split() \
        if paths else []
    entries = [f"100644 {sha}\t{_index_path(p)}" for p, sha in zip(paths, blobs, strict=True)]
    for path, data in extra.items():
        sha = git.run("hash-object", "-w", "--no-filters", "--stdin", input=data)
        entries.append(f"100644 {sha}\t{path}")

    with tempfile.TemporaryDirectory(prefix="kith-deploy-") as tmp:
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}  # never the user's index
        git.run("update-index", "--add", "--index-info", input="\n".join(entries) + "\n",
                env=index)
        tree = git.run("write-tree", env=index)

    if remote_tip and git.run("rev-parse", f"{remote_tip}^{{tree}}") == tree:
        return f"{remote} {branch} already has this site ({remote_tip[:12]}); nothing to push"
    source = git.run("rev-parse", "--short", "HEAD", check=False)
    text = message or (f"Publish site from {source}" if source else "Publish site")
    parents = ["-p", remote_tip] if remote_tip else []
    known = git.run("var", "GIT_COMMITTER_IDENT", check=False)
    env = {} if known else _FALLBACK_IDENTITY  # a CI runner may have no identity
    commit = git.run("commit-tree", tree, *parents, "-m", text, env=env)
    git.run("push", "--quiet", remote, f"{commit}:{ref}",
            error=f"could not push to {remote} {branch}",
            hint="check the remote's URL and your access; if someone else pushed to the "
                 "branch meanwhile, run kith deploy again")
    note = ""
    if strangers:
        note = (f"\nleft out {len(strangers)} file{'s' * (len(strangers) != 1)} no kith build "
                f"wrote: {', '.join(strangers[:3])}{', ...' if len(strangers) > 3 else ''}")
    return (f"published {_show(site_dir, root)}/ ({len(entries)} files) to {remote} {branch} "
            f"as {commit[:12]}{note}")


def _remote_tip(git: _Git, remote: str, ref: str) -> str:
    """The branch's commit on the remote, fetched so it can be the parent ('' if none)."""
    listing = git.run("ls-remote", remote, ref, error=f"cannot reach remote '{remote}'",
                      hint="give a remote name from `git remote -v` or a URL with --remote")
    tip = listing.split()[0] if listing else ""
    if tip:
        git.run("fetch", "--quiet", "--no-tags", remote, ref,
                error=f"could not fetch {ref} from {remote}")
    return tip


def _site_files(root: Path, site_dir: Path) -> tuple[list[str], list[str]]:
    """The files the last build wrote into ``site_dir`` (its manifest), as '/' paths, sorted;
    and the other files found there, which are never published (a temporary file, a
    file put there by hand)."""
    shown = _show(site_dir, root)
    if unfinished(root, site_dir):
        raise KithError([Problem(shown, 0, "the last build into this folder was stopped "
                                 "before it finished", "run kith build first")])
    options = built_with(manifest_path(root, site_dir))
    if options:
        raise KithError([Problem(shown, 0, "the last build into this folder included "
                                 + " and ".join(f"--{o}" for o in options)
                                 + ": its drafts or future posts would go public",
                                 "run kith build without them first")])
    manifest = read_manifest(manifest_path(root, site_dir))
    if not manifest:
        raise KithError([Problem(shown, 0, "no kith build wrote this folder (there is no "
                                 "record of its files in .cache/)",
                                 "run kith build first (with --output for another folder): "
                                 "kith deploy publishes only what the build wrote")])
    problems = []
    for path in sorted(manifest):
        if "\n" in path:  # cannot be passed to git hash-object --stdin-paths
            problems.append(Problem(path, 0, "a file name with a line break cannot be "
                                    "published", "rename the file"))
            continue
        try:
            st = os.lstat(site_dir / path)
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            problems.append(Problem(f"{shown}/{path}", 0, "is missing or no longer a plain file "
                                    "since the build", "run kith build again"))
    if problems:
        raise KithError(problems)
    strangers = []
    for folder, dirs, names in os.walk(site_dir):
        dirs.sort()
        for name in sorted(names):
            rel = (Path(folder) / name).relative_to(site_dir).as_posix()
            if rel not in manifest:
                strangers.append(rel)
    return sorted(manifest), strangers


def _index_path(path: str) -> str:
    """A path as `git update-index --index-info` reads it: C-quoted when unusual."""
    if not any(c in path for c in '"\\\t\n') and path.isprintable():
        return path
    escaped = path.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\t", "\\t").replace("\n", "\\n") + '"'


def _show(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


class _Git:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV}
        self.env["GIT_TERMINAL_PROMPT"] = "0"  # fail instead of waiting for a password

    def run(self, *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None,
            check: bool = True, error: str = "", hint: str = "") -> str:
        data = input.encode() if isinstance(input, str) else input
        try:
            done = subprocess.run(["git", "-C", str(self.root), *args], input=data,
                                  capture_output=True, env={**self.env, **(env or {})})
        except FileNotFoundError:
            raise KithError([Problem("", 0, "git is not installed",
                                     "install git, or publish with the GitHub Actions "
                                     "workflow")]) from None
        if done.returncode != 0 and check:
            detail = done.stderr.decode(errors="replace").strip().splitlines()
            message = error or f"git {args[0]} failed"
            if detail:
                message += f": {detail[-1]}"
            raise KithError([Problem("", 0, message, hint)])
        return done.stdout.decode(errors="replace").strip() if done.returncode == 0 else ""

