"""[OutputFile] -> the output folder. The only code that writes the public site.

Nothing becomes visible until the whole build succeeded, and nothing half-built
is ever visible:

* **Staging.** New bytes go to a staging folder beside the manifest
  (``.cache/outputs-<id>.staging/``, on the output's filesystem; a hidden
  ``.kith-staging/`` inside the output folder only when ``.cache/`` is on
  another disk). ``abort()`` empties it, so a failed build leaves the last good
  site as it was.
* **A first build stages the tree.** Into an empty output folder, files are staged at
  their own paths in ``<staging>/tree/`` and the commit moves the tree's top-level
  entries (a few renames, not one per file); otherwise each file is staged under a
  temporary name and renamed into place.
* **Journalled commit.** ``commit()`` first writes a journal (what to rename,
  what to remove, the manifest that results), durably; then applies it; then
  saves the manifest and deletes the journal. A build killed at any moment is
  finished by the next one (``_recover``), which also sweeps the staging
  folder: the output folder never keeps a temporary file or a page that the
  manifest forgets (an orphan that would never be removed).
* **Unsettled outputs.** The build state (cache.py) says which outputs are still as
  rendered; it is saved after the commit. A marker created before each commit and
  removed once the state is saved (``cache.save_state``) tells the next writer, if
  the process died in between, to trust none of the files by their size and mtime:
  the next build renders everything again and compares bytes (writing only what
  differs), instead of keeping a file the stale state believes unchanged.
* **Containment.** Whatever the manifest, a journal or a caller says, the
  writer refuses to write, rename or delete a path that is not a plain relative
  path (``paths.output_problem``) or whose folder leads outside the output
  folder through a symlink.
* **One writer per output folder.** A lock file beside the manifest makes a second
  process building into the same folder wait for the first to finish.

Files whose bytes did not change are not touched; stale files this writer made
before are removed, and nothing else is. The manifest remembers each file's
digest, size and mtime, so an unchanged file costs one ``stat``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import KithError, Problem
from .files import TEMP_PREFIX, atomic_write, fault, fsync_dir, interrupts_deferred, records_name
from .model import OutputFile
from .paths import OUTPUT_DIR, output_problem, shown

__all__ = [
    "TEMP_PREFIX",
    "WriteResult",
    "Writer",
    "built_with",
    "check_output_dir",
    "manifest_path",
    "read_manifest",
    "unfinished",
    "write_outputs",
]

MANIFEST_VERSION = 3
"""3: staged outside the output folder (older versions may have left temporary files in it)."""
STAGING_INSIDE = ".kith-staging"
"""The staging folder's name inside the output folder, when .cache/ is on another disk."""
TREE = "tree"
"""In the staging folder, the output tree of a build into an empty output folder."""
_LEGACY_TEMP = re.compile(r"\.kith-[a-z0-9_]{8}")
"""A temporary file as Kith before version 3 left it beside its target (tempfile's names)."""


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int


# -- which folders may be the output ----------------------------------------------------

_NEVER = {"content": "the site's sources", "layouts": "the site's templates",
          "contacts": "your private contacts", "outreach": "your private share lists",
          ".git": "the site's git repository"}


def check_output_dir(root: Path, output: Path, *, claim: bool = False,
                     force: bool = False) -> None:
    """Refuse output folders whose writing or pruning could harm what is not Kith's.

    Always refused: the site folder or a folder containing it, the home folder, the
    sources, templates, private folders, ``.git`` and ``.cache`` themselves, another
    site, a file, a folder inside ``_site/`` or inside another folder Kith built into.
    With ``claim`` (``kith build --output DIR``), also a folder that holds files while
    Kith has no record of writing there, unless ``force``.
    """
    out, top = output.resolve(), root.resolve()
    reason, hint = _never(out, top), "choose an empty folder such as _site"
    if reason is None and claim and not force:
        stranger = _stranger(out, root)
        if stranger is not None:
            reason = (f"it holds files Kith did not write (such as {shown(stranger)}), "
                      "and nothing records that Kith built there")
            hint = ("choose an empty or new folder; --force builds into it anyway (Kith "
                    "then removes only files it wrote itself)")
    if reason:
        raise KithError([Problem("--output", 0, f"refusing to write the site into "
                                 f"'{output}': {reason}", hint)])


def _never(out: Path, top: Path) -> str | None:
    """Why ``out`` can never be the output folder, or None."""
    if out == top:
        return "it is the site folder itself"
    if top.is_relative_to(out):
        return "it contains the site folder"
    if out in _homes():
        return "it is your home folder"
    for name, what in _NEVER.items():
        if out.is_relative_to(top / name):
            return f"it is inside {what} ({name}/)"
    if out == top / ".cache":
        return "it is Kith's cache (.cache/)"
    if out.exists() and not out.is_dir():
        return "it is a file, not a folder"
    if (out / "site.yaml").exists():
        return "it holds a site.yaml (another site's sources?)"
    # Another site's sources, templates, private folders: its next build would read what
    # this one writes there (a folder inside its _site/ is its own affair: a sub-site).
    for other in out.parents:
        if other != top and (other / "site.yaml").is_file():
            for name in (*_NEVER, ".cache"):
                if out.is_relative_to(other / name):
                    return f"it is inside {name}/ of another site ({other})"
    # A build there would put a second site inside the first, which no later build of
    # the first removes (its files are not the first's): both would be published.
    outer = next((p for p in out.parents if p == top / OUTPUT_DIR
                  or (manifest_path(top, p).exists() and p.is_dir())), None)
    if outer is not None:
        name = outer.relative_to(top).as_posix() if outer.is_relative_to(top) else str(outer)
        return f"it is inside {name}/, the output folder of another build"
    return None


def _homes() -> set[Path]:
    """The home folder, by $HOME and by the user database (a changed $HOME must not hide it)."""
    homes = {Path(os.path.expanduser("~")).resolve()}
    try:
        import pwd
        homes.add(Path(pwd.getpwuid(os.getuid()).pw_dir).resolve())
    except (ImportError, KeyError, OSError):
        pass
    return homes


def _stranger(out: Path, root: Path) -> str | None:
    """A file or folder in ``out`` when no manifest says Kith built there, or None."""
    if not out.is_dir() or manifest_path(root, out).exists():
        return None
    with os.scandir(out) as entries:
        names = sorted(e.name for e in entries if e.name != STAGING_INSIDE)
    return names[0] if names else None


def manifest_path(root: Path, output: Path, name: str | None = None) -> Path:
    """Where ``.cache/`` keeps the manifest of builds into ``output`` (``name``: under
    another name than ``records_name``'s)."""
    return root / ".cache" / f"outputs-{name or records_name(root, output)}.json"


def unfinished(root: Path, output: Path) -> bool:
    """A build into ``output`` was stopped while making its files visible (its journal
    is there): the next build finishes that first."""
    return manifest_path(root, output).with_suffix(".journal").exists()


def write_outputs(outputs: Iterable[OutputFile], output: Path, manifest: Path) -> WriteResult:
    """Bring ``output`` in line with ``outputs``."""
    writer = Writer(output, manifest)
    try:
        for item in outputs:
            writer.add(item)
    except BaseException:
        writer.abort()
        raise
    return writer.commit()


Entry = tuple[str, int, int]
"""(digest, size, mtime_ns) of a file as the writer left it; size -1: never trusted."""
Staged = tuple[str, Entry | tuple[str, str]]
"""('same', entry) for a file already as wanted, or ('new', (temporary file, digest))."""


class Writer:
    """Stage files one by one, then make them all visible at once, or none."""

    def __init__(self, output: Path, manifest: Path,
                 previous: dict[str, Entry] | None = None, built_with: tuple[str, ...] = ()
                 ) -> None:
        """``previous``: the manifest as the last commit left it, when the caller kept it
        (a long-lived builder whose commits all completed); read from disk otherwise,
        after finishing any commit a killed build left half done. ``built_with``: the
        build's options that make its site unfit to publish ('drafts', 'future'), kept
        in the manifest for kith deploy."""
        self.output = output
        self.manifest = manifest
        self.built_with = built_with
        self.journal = manifest.with_suffix(".journal")
        self.unsettled = manifest.with_suffix(".unsettled")
        self.current: dict[str, Entry] = {}
        self.staged: dict[str, tuple[str, str]] = {}
        """path -> (temporary file, digest)."""
        self.unchanged = 0
        self._prefix = os.path.join(output, "")
        self._inside_known: dict[str, bool] = {}
        self._made: set[str] = set()
        self._lock = _lock(manifest.with_suffix(".lock"))
        # A writer dropped without commit or abort (Ctrl-C, an unexpected error): its
        # staged files go with it, and the lock with the last writer of this process.
        weakref.finalize(self, _release, self._lock, self.staged)
        self.staging = _staging_folder(manifest, output)
        self._staging_ready = False
        self._tree: str | None = None
        """Where files are staged at their own paths (a first build), or None."""
        self._tree_dirs: set[str] = set()
        """Folders of the tree this process made (each worker has its own copy)."""
        if previous is None:
            legacy = _manifest_version(manifest) < MANIFEST_VERSION
            if self.journal.exists():
                self._recover()
            self._sweep(legacy)
            previous = read_manifest(manifest)
            if legacy and previous:  # swept once: record that, even if nothing is written
                atomic_write(manifest, json.dumps({"version": MANIFEST_VERSION,
                                                   "files": _entries(previous)},
                                                  ensure_ascii=False).encode())
            if self.unsettled.exists():  # the state saved last may not describe these
                previous = {path: (entry[0], -1, -1) for path, entry in previous.items()}
        else:
            self._sweep(False)
        self.previous = previous
        self._owned: Callable[[str], bool] | None = None
        self._fresh = not previous and _empty(output)
        """The output folder held nothing: no file there can be unclaimed."""
        if self._fresh and self.staging != output / STAGING_INSIDE:
            self._tree = os.path.join(self.staging, TREE, "")
            weakref.finalize(self, shutil.rmtree, self._tree, True)  # its folders, as above

    def intact(self, path: str) -> bool:
        """The file is as this writer left it (same size and mtime)."""
        entry = self.previous.get(path)
        if entry is None:
            return False
        try:
            st = os.stat(f"{self._prefix}{path}")  # a str join: pathlib costs as much as stat
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == (entry[1], entry[2])

    def keep(self, path: str) -> None:
        """An output known to be unchanged (its caller checked ``intact``)."""
        self.current[path] = self.previous[path]
        self.unchanged += 1

    def add(self, item: OutputFile, digest: str | None = None) -> None:
        """Stage one file; ``digest``: its ``data_digest``, when a worker computed it."""
        self.record(item.path, self.stage(item, digest))

    def stage(self, item: OutputFile, digest: str | None = None) -> Staged:
        """The file operations of ``add``, without recording: forked workers run them in
        parallel and hand the result to ``record`` in the main process."""
        problem = output_problem(item.path)
        if problem:  # the second line of defence: site.py refuses these first
            raise KithError([Problem(item.origin if item.origin.startswith("content/") else "",
                                     0, f"refusing to write {shown(item.path)} (from "
                                     f"{item.origin or 'Kith'}): the path {problem}",
                                     "every output must stay inside the output folder")])
        try:
            if item.data is not None:
                digest = digest or data_digest(item.data)
            else:
                st = os.stat(item.copy_from or "")
                # ctime and inode too: `cp -p` or a rename can keep size and mtime.
                digest = (f"copy:{item.copy_from}:{st.st_size}:{st.st_mtime_ns}"
                          f":{st.st_ctime_ns}:{st.st_ino}")
            old = self.previous.get(item.path)
            if old is not None and old[0] == digest and self.intact(item.path):
                return ("same", old)
            if item.data is not None:
                same = self._same_bytes(item.path, item.data, digest)
                if same is not None:
                    return same
            if not self._staging_ready:
                self.staging.mkdir(parents=True, exist_ok=True)
                self._staging_ready = True
            fault("stage")
            tmp = _write_at(self._tree, item, self._tree_dirs) if self._tree else None
            return ("new", (tmp or _write_temp(self.staging, item), digest))
        except FileNotFoundError as exc:
            if item.copy_from and exc.filename == item.copy_from:
                raise KithError([Problem(item.origin, 0, "was deleted or renamed while the "
                                         "site was being built", "run kith build again")]
                                ) from None
            raise
        except OSError as exc:
            if exc.filename:
                raise
            # A full disk: name the file being written (os.write does not).
            raise OSError(exc.errno, exc.strerror, f"{self._prefix}{item.path}") from None

    def _same_bytes(self, path: str, data: bytes, digest: str) -> Staged | None:
        try:
            st = os.stat(f"{self._prefix}{path}")
            if st.st_size == len(data) and Path(f"{self._prefix}{path}").read_bytes() == data:
                return ("same", (digest, st.st_size, st.st_mtime_ns))
        except OSError:
            pass
        return None

    def record(self, path: str, staged: Staged) -> None:
        kind, value = staged
        if kind == "same":
            self.current[path] = value  # type: ignore[assignment]
            self.unchanged += 1
            return
        if path in self.staged:
            Path(self.staged[path][0]).unlink(missing_ok=True)
        self.staged[path] = value  # type: ignore[assignment]

    def claim(self, owned: Callable[[str], bool]) -> None:
        """Output paths for which ``owned`` is true are the build's alone (the search
        index, content-hashed assets): when the last manifest is lost, ``commit`` also
        removes those that no output claims, which would otherwise stay forever under
        names no build writes again."""
        self._owned = owned

    def commit(self, save: bool = True) -> WriteResult:
        """Make staged files visible, remove stale ones, and (``save``) write the manifest;
        a caller that saves later (``save_manifest``) must not add or remove paths.

        The journal is written first and deleted once the manifest is saved: a process
        killed in between leaves the next build a complete record of what to finish.
        """
        staged = sorted(self.staged.items())
        current = dict(self.current)
        for path, (tmp, digest) in staged:
            st = os.stat(tmp)
            current[path] = (digest, st.st_size, st.st_mtime_ns)
        removes = [p for p in sorted(self.previous.keys() - current.keys())
                   if output_problem(p) is None]
        # A whole tree staged for an output folder still empty: nothing on disk to check.
        tree = (self._tree is not None and not removes and _empty(self.output)
                and all(tmp == f"{self._tree}{path}" for path, (tmp, _) in staged))
        self._preflight([path for path, _ in staged], set(removes), current, on_disk=not tree)
        removed = 0
        with interrupts_deferred():  # Ctrl-C waits for the commit to end (a kill: _recover)
            if staged or removes:
                if not self.unsettled.exists():
                    self.unsettled.touch()
                    fsync_dir(self.unsettled.parent)
                inside = len(os.path.join(self.staging, ""))  # (relpath: 30 µs a file)
                delta = {"renames": [[tmp[inside:], path, list(current[path])]
                                     for path, (tmp, _) in staged], "removes": removes}
                atomic_write(self.journal, json.dumps({"deltas": [*self._unsaved(), delta]},
                                                      ensure_ascii=False).encode())
                fault("journal")
                removed = self._remove(removes)
                if not (tree and self._move_tree()):
                    for path, (tmp, _) in staged:
                        if tree and not os.path.lexists(tmp):
                            continue  # moved with its top-level folder
                        self._folder(path.rpartition("/")[0])
                        os.replace(tmp, f"{self._prefix}{path}")
                        fault("rename")
                self.current = current
            if self._owned is not None and not self.previous and not self._fresh:
                removed += self._remove_unclaimed(self._owned)
            self.staged.clear()
            if save:
                self.save_manifest()
        return WriteResult(len(staged), self.unchanged, removed)

    def _remove_unclaimed(self, owned: Callable[[str], bool]) -> int:
        """Files the build alone names (``claim``) that no output of this build is."""
        found = []
        for folder, _, names in os.walk(self.output):
            for name in names:
                path = os.path.relpath(os.path.join(folder, name), self.output)
                path = path.replace(os.sep, "/")
                if (not name.startswith(TEMP_PREFIX) and path not in self.current
                        and output_problem(path) is None and owned(path)):
                    found.append(path)
        return self._remove(sorted(found))

    def _move_tree(self) -> bool:
        """Move the staged tree's top-level entries into the (empty) output folder; False
        when one could not go (something appeared there meanwhile): the caller then moves
        what is left file by file. A rename never follows a symlink at its target."""
        assert self._tree is not None
        self._folder("")
        for name in sorted(os.listdir(self._tree)):
            try:
                os.rename(f"{self._tree}{name}", f"{self._prefix}{name}")
            except OSError:
                return False
            fault("rename")
        os.rmdir(self._tree)
        return True

    def _unsaved(self) -> list[object]:
        """Deltas of this process's earlier commits whose manifest is not saved yet
        (kith serve saves when idle): a new journal keeps them."""
        try:
            deltas = json.loads(self.journal.read_text(encoding="utf-8"))["deltas"]
        except (OSError, ValueError, TypeError, KeyError):
            return []
        return deltas if isinstance(deltas, list) else []

    def _preflight(self, paths: list[str], removes: set[str],
                   files: dict[str, Entry], on_disk: bool = True) -> None:
        """Before anything is visible: every folder stays inside the output folder,
        nothing of someone else's stands where a file or folder must go, and no file of
        this build (``files``) is where another needs a folder. ``on_disk=False``: the
        output folder is empty, so only the last can happen."""
        problems = []
        checked: set[str] = set()
        folders: set[str] = set()
        for path in paths:
            folder = path.rpartition("/")[0]
            if folder not in checked:
                checked.add(folder)
                clash = _file_in_the_way(folder, files)
                if clash is not None:
                    problems.append(Problem("", 0, f"cannot write {shown(path)}: this build "
                                            f"also writes the file {shown(clash)}",
                                            "give one of them another slug or permalink"))
                    continue
                if not on_disk:
                    continue
                if not self._inside(folder):
                    problems.append(Problem("", 0, f"refusing to write into {shown(folder)}: "
                                            "a symlink leads it outside the output folder "
                                            f"'{self.output}'", "remove that symlink"))
                    continue
                blocker = self._blocker(folder, removes, folders)
                if blocker is not None:
                    problems.append(Problem("", 0, f"cannot write {shown(path)}: the file "
                                            f"{shown(blocker)} stands where a folder must go",
                                            f"remove it from '{self.output}'"))
            target = f"{self._prefix}{path}"
            if (on_disk and os.path.isdir(target) and not os.path.islink(target)
                    and not _emptied(target, path, removes)):
                problems.append(Problem("", 0, f"cannot write {shown(path)}: a folder of that "
                                        "name is in the way", f"remove it from '{self.output}'"))
        if not problems:
            problems = self._read_only(checked if on_disk else {""}, removes)
        if problems:
            raise KithError(problems)

    def _read_only(self, folders: set[str], removes: set[str]) -> list[Problem]:
        """A folder the commit must create, replace or remove files in that the process
        may not write (a read-only copy, files of another user): found before anything
        moves, not half-way through the renames. A folder not made yet is judged by the
        nearest one that exists."""
        found: dict[str, bool] = {}
        for folder in sorted(folders | {p.rpartition("/")[0] for p in removes}):
            while folder and not os.path.isdir(f"{self._prefix}{folder}"):
                folder = folder.rpartition("/")[0]
            if folder not in found:
                found[folder] = os.access(f"{self._prefix}{folder}", os.W_OK | os.X_OK) \
                    or not os.path.isdir(self._prefix)
        locked = sorted(folder for folder, writable in found.items() if not writable)
        if not locked:
            return []
        first = os.path.join(self.output, locked[0]) if locked[0] else str(self.output)
        more = len(locked) - 1
        also = f" (and {more} more folder{'s' * (more != 1)} in it)" if more else ""
        return [Problem("", 0, f"cannot write into '{first}'{also}: it is read-only; "
                        "nothing was changed", "make the output folder writable "
                        "(chmod -R u+w), or build into another folder with --output")]

    def _blocker(self, folder: str, removes: set[str], folders: set[str]) -> str | None:
        """The existing non-folder (not about to be removed) where ``folder`` or one of
        its parents must be, or None; ``folders``: those found to be folders so far."""
        while folder and folder not in self._made and folder not in folders:
            where = f"{self._prefix}{folder}"
            try:
                mode = os.lstat(where).st_mode
            except OSError:
                mode = None  # nothing there (or a file above it, found further up)
            if mode is not None and (stat.S_ISDIR(mode)
                                     or (stat.S_ISLNK(mode) and os.path.isdir(where))):
                folders.add(folder)
                return None
            if mode is not None and folder not in removes:
                return folder
            folder = folder.rpartition("/")[0]
        return None

    def _remove(self, paths: list[str]) -> int:
        removed = 0
        for path in paths:
            target = f"{self._prefix}{path}"
            if self._inside(path.rpartition("/")[0]) and os.path.isfile(target):
                os.unlink(target)
                removed += 1
                _prune_empty(Path(target).parent, self.output)
                fault("remove")
        return removed

    def _folder(self, folder: str) -> None:
        """Create an output folder (relative; '' is the output folder itself)."""
        if folder not in self._made:
            if not self._inside(folder):  # checked before, unless a symlink appeared since
                raise KithError([Problem("", 0, f"refusing to write into {shown(folder)}: a "
                                         "symlink leads it outside the output folder",
                                         "remove that symlink")])
            os.makedirs(f"{self._prefix}{folder}", exist_ok=True)
            self._made.add(folder)

    def _inside(self, folder: str) -> bool:
        """``folder`` (relative to the output) resolves inside the output folder.

        Down from the nearest folder already known: one that is no symlink is inside
        when its parent is (one ``lstat``, where ``realpath`` costs one per level);
        a symlink, or a folder under one that leads out, is resolved in full.
        """
        known = self._inside_known.get(folder)
        if known is not None:
            return known
        chain = []
        at = folder
        while at and at not in self._inside_known:
            chain.append(at)
            at = at.rpartition("/")[0]
        inside = self._inside_known.get(at, True)  # '': the output folder itself
        for at in reversed(chain):
            try:
                link = stat.S_ISLNK(os.lstat(f"{self._prefix}{at}").st_mode)
            except OSError:
                link = False  # not there yet: this writer makes it, inside its parent
            if link or not inside:
                inside = self._resolves_inside(at)
            self._inside_known[at] = inside
        return inside

    def _resolves_inside(self, folder: str) -> bool:
        top = os.path.realpath(self.output)
        real = os.path.realpath(f"{self._prefix}{folder}")
        return real == top or real.startswith(top.rstrip(os.sep) + os.sep)

    def save_manifest(self) -> None:
        atomic_write(self.manifest, json.dumps({"version": MANIFEST_VERSION,
                                                "built_with": list(self.built_with),
                                                "files": _entries(self.current)},
                                               ensure_ascii=False).encode())
        fault("manifest")
        if self.journal.exists():
            self.journal.unlink()
            fsync_dir(self.journal.parent)
        self._drop_tree()  # the folders left when files moved one by one
        if self._staging_ready:
            with contextlib.suppress(OSError):
                self.staging.rmdir()  # when empty (it is, after a commit)
            self._staging_ready = False

    def _drop_tree(self) -> None:
        if self._tree is not None:
            shutil.rmtree(self._tree, ignore_errors=True)
            self._tree_dirs.clear()

    def abort(self, sweep: bool = False) -> None:
        """Remove staged files; ``sweep``: also any a crashed worker staged and never reported."""
        for tmp, _ in self.staged.values():
            Path(tmp).unlink(missing_ok=True)
        self.staged.clear()
        self._drop_tree()  # its folders
        if sweep:
            self._sweep(False)

    # -- recovery -------------------------------------------------------------------

    def _recover(self) -> None:
        """Finish the commits a killed process left unsaved, as the journal describes them.

        Files renamed into place are recorded as never trusted (size -1): the build state
        the killed build's predecessor saved does not know their bytes, so the next
        render compares them instead of keeping them.
        """
        files = read_manifest(self.manifest)
        try:
            deltas = json.loads(self.journal.read_text(encoding="utf-8"))["deltas"]
            steps = [([(str(n), str(p), str(e[0])) for n, p, e in d["renames"]],
                      [str(p) for p in d["removes"]]) for d in deltas]
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            steps = []  # unreadable (it is written whole, so never torn): the manifest stands
        for renames, removes in steps:
            removes = [p for p in removes if output_problem(p) is None]
            with contextlib.suppress(OSError):
                self._remove(removes)
            for path in removes:
                files.pop(path, None)
                if os.path.lexists(f"{self._prefix}{path}"):
                    files[path] = ("", -1, -1)  # still there: removed as stale next time
            for name, path, digest in renames:
                if output_problem(path) is not None or ("/" in name
                                                        and name != f"{TREE}/{path}"):
                    continue
                source = self.staging / name
                if source.is_file():
                    with contextlib.suppress(OSError, KithError):
                        self._folder(path.rpartition("/")[0])
                        os.replace(source, f"{self._prefix}{path}")
                files[path] = (digest, -1, -1)
        self.current = files
        self.save_manifest()
        self.current, self._made, self._inside_known = {}, set(), {}

    def _sweep(self, legacy: bool) -> None:
        """Remove what killed or failed builds left: staged files, Kith's temporary files
        beside the manifest and, after older versions of Kith, beside the outputs."""
        for folder in {self.staging, self.output / STAGING_INSIDE}:
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)
        self._staging_ready = False
        digest = self.manifest.stem.rpartition("-")[2]
        for leftover in self.manifest.parent.glob(f"{TEMP_PREFIX}*-{digest}.*"):
            leftover.unlink(missing_ok=True)
        for name in (self.manifest.name, self.journal.name):
            for leftover in self.manifest.parent.glob(f"{TEMP_PREFIX}{name}.*"):
                leftover.unlink(missing_ok=True)
        if legacy and self.output.is_dir():
            for folder, dirs, names in os.walk(self.output):
                dirs.sort()
                for name in names:
                    if _LEGACY_TEMP.fullmatch(name):
                        os.unlink(os.path.join(folder, name))


def _empty(folder: Path) -> bool:
    """No such folder, or one without entries (a staging folder inside aside)."""
    try:
        with os.scandir(folder) as entries:
            return all(entry.name == STAGING_INSIDE for entry in entries)
    except OSError:
        return not os.path.lexists(folder)


def data_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entries(files: dict[str, Entry]) -> dict[str, list[object]]:
    return {k: list(v) for k, v in sorted(files.items())}


def _write_temp(folder: Path, item: OutputFile) -> str:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
    return _fill(fd, tmp, item)


def _write_at(tree: str, item: OutputFile, made: set[str]) -> str | None:
    """Stage ``item`` at its own path under ``tree``; None where another staged file or
    folder is in the way (two outputs clash: the caller stages it under a temporary
    name, and the commit's preflight names the clash). ``made``: folders known to exist."""
    target = f"{tree}{item.path}"
    try:
        folder = target.rpartition("/")[0]
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        return None
    return _fill(fd, target, item)


def _fill(fd: int, path: str, item: OutputFile) -> str:
    """Write ``item``'s bytes to the new file ``fd`` (at ``path``, removed on failure)."""
    try:
        os.fchmod(fd, 0o644)  # whatever the umask
        if item.data is not None:
            with os.fdopen(fd, "wb") as handle:
                handle.write(item.data)
        else:
            with os.fdopen(fd, "wb") as handle, open(item.copy_from or "", "rb") as source:
                shutil.copyfileobj(source, handle)
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise
    return path


def _staging_folder(manifest: Path, output: Path) -> Path:
    """Beside the manifest when that is on the output's filesystem (a rename moves a
    staged file into place), else hidden inside the output folder."""
    beside = manifest.with_suffix(".staging")
    try:
        if os.stat(_existing(beside)).st_dev == os.stat(_existing(output)).st_dev:
            return beside
    except OSError:
        return beside
    return output / STAGING_INSIDE


def _existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _emptied(target: str, path: str, removes: set[str]) -> bool:
    """The folder ``target`` (output path ``path``) holds only files this commit removes
    (the pages of a post now gone, whose name a file takes): they go first, and their
    folders are pruned before the renames, as far as each becomes empty. A symlink to a
    folder, a broken one or an empty folder would stay: not emptied."""
    for folder, dirs, names in os.walk(target):
        if not dirs and not names:
            return False  # nothing is removed in it: never pruned
        if any(os.path.islink(os.path.join(folder, d)) for d in dirs):
            return False
        rel = os.path.relpath(folder, target).replace(os.sep, "/")
        prefix = f"{path}/" if rel == "." else f"{path}/{rel}/"
        if any(f"{prefix}{name}" not in removes or not os.path.isfile(os.path.join(folder, name))
               for name in names):
            return False
    return True


def _file_in_the_way(folder: str, files: dict[str, Entry]) -> str | None:
    """``folder`` or the first of its parents that ``files`` holds as a file, or None."""
    while folder:
        if folder in files:
            return folder
        folder = folder.rpartition("/")[0]
    return None


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _manifest_version(path: Path) -> int:
    """The manifest's version; 0 when there is none (or it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            match = re.match(rb'\{"version": (\d+)', handle.read(32))
        return int(match.group(1)) if match else 0
    except OSError:
        return 0


def read_manifest(path: Path) -> dict[str, Entry]:
    """path -> (digest, size, mtime_ns); empty when missing, unreadable or of another
    version. A path that would lead outside the output folder is dropped: such an
    entry is never removed as stale, whoever wrote it."""
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict):
            return {}
        if data.get("version") == 1:  # no sizes: never "intact", but still pruned when stale
            found = {str(k): (str(v), -1, -1) for k, v in data["files"].items()}
        elif data.get("version") in (2, MANIFEST_VERSION):
            found = {str(k): (str(v[0]), int(v[1]), int(v[2]))
                     for k, v in data["files"].items()}
        else:
            return {}
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}
    return {k: v for k, v in found.items() if output_problem(k) is None}


def built_with(path: Path) -> tuple[str, ...]:
    """The options the last build into a folder ran with (see ``Writer``)."""
    try:
        found = json.loads(path.read_text()).get("built_with", [])
        return tuple(str(option) for option in found) if isinstance(found, list) else ()
    except (OSError, ValueError, AttributeError):
        return ()


# -- one writer per output folder ---------------------------------------------------

_HELD: dict[str, list[int]] = {}
"""Lock file -> [descriptor, writers of this process using it]."""


def _lock(path: Path) -> str:
    """Hold the output folder's lock (shared by this process's writers); another process
    building into the same folder waits until this one's writer is done."""
    key = str(path)
    held = _HELD.get(key)
    if held is not None:
        held[1] += 1
        return key
    try:
        import fcntl
    except ImportError:  # no flock (Windows): one build at a time is up to the user
        _HELD[key] = [-1, 1]
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    _HELD[key] = [fd, 1]
    return key


def _release(key: str, staged: dict[str, tuple[str, str]]) -> None:
    for tmp, _ in staged.values():
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _unlock(key)


def _unlock(key: str) -> None:
    held = _HELD.get(key)
    if held is None:
        return
    held[1] -= 1
    if held[1] <= 0:
        del _HELD[key]
        if held[0] >= 0:
            os.close(held[0])  # closing releases the flock
