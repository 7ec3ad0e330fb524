"""[OutputFile] -> the output folder. The only code that writes the public site.

Nothing becomes visible until the whole build succeeded: new bytes go to
temporary files beside their targets and are renamed into place by ``commit()``;
``abort()`` removes them, so a failed build leaves the last good site as it was.
Files whose bytes did not change are not touched; stale files this writer made
before are removed, and nothing else is. The manifest remembers each file's
digest, size and mtime, so an unchanged file costs one ``stat``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import KithError, Problem
from .model import OutputFile

MANIFEST_VERSION = 2
TEMP_PREFIX = ".kith-"


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int


def check_output_dir(root: Path, output: Path) -> None:
    """Refuse output folders whose pruning could delete what the writer wrote."""
    out, top = output.resolve(), root.resolve()
    reasons = []
    if out == top:
        reasons.append("it is the site folder itself")
    elif top.is_relative_to(out):
        reasons.append("it contains the site folder")
    elif out.is_relative_to(top / "content") or out.is_relative_to(top / "layouts"):
        reasons.append("it is inside the site's sources")
    elif (out / "site.yaml").exists():
        reasons.append("it holds a site.yaml")
    if reasons:
        raise KithError([Problem("--output", 0, f"refusing to write the site into '{output}': "
                                 + reasons[0], "choose an empty folder such as _site")])


def manifest_path(root: Path, output: Path) -> Path:
    digest = hashlib.sha1(str(output.resolve()).encode()).hexdigest()[:10]
    return root / ".cache" / f"outputs-{digest}.json"


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
"""(digest, size, mtime_ns) of a file as the writer left it."""
Staged = tuple[str, Entry | tuple[str, str]]
"""('same', entry) for a file already as wanted, or ('new', (temporary file, digest))."""


class Writer:
    """Stage files one by one, then make them all visible at once, or none."""

    def __init__(self, output: Path, manifest: Path,
                 previous: dict[str, Entry] | None = None) -> None:
        """``previous``: the manifest as the last commit left it, when the caller kept it
        (a long-lived builder); read from disk otherwise."""
        self.output = output
        self.manifest = manifest
        self.previous = read_manifest(manifest) if previous is None else previous
        self.current: dict[str, Entry] = {}
        self.staged: dict[str, tuple[str, str]] = {}
        """path -> (temporary file, digest)."""
        self.unchanged = 0
        self._prefix = os.path.join(output, "")
        self._folders: set[Path] = set()
        """Folders known to exist (a mkdir per file is a third of a cold build's writes)."""
        self._owned: Callable[[str], bool] | None = None

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
        if item.data is not None:
            digest = digest or data_digest(item.data)
        else:
            st = os.stat(item.copy_from or "")
            # ctime and inode too: `cp -p` or a rename can keep size and mtime.
            digest = (f"copy:{item.copy_from}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
                      f":{st.st_ino}")
        old = self.previous.get(item.path)
        if old is not None and old[0] == digest and self.intact(item.path):
            return ("same", old)
        target = self.output / item.path
        if item.data is not None:
            try:
                st = os.stat(target)
                if st.st_size == len(item.data) and target.read_bytes() == item.data:
                    return ("same", (digest, st.st_size, st.st_mtime_ns))
            except OSError:
                pass
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return ("new", (_write_temp(target, item), digest))

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
        a caller that saves later (``save_manifest``) must not add or remove paths."""
        for path, (tmp, digest) in sorted(self.staged.items()):
            st = os.stat(tmp)
            os.replace(tmp, self.output / path)
            self.current[path] = (digest, st.st_size, st.st_mtime_ns)
        written, self.staged = len(self.staged), {}
        removed = 0
        for path in sorted(set(self.previous) - set(self.current)):
            target = self.output / path
            if target.is_file():
                target.unlink()
                removed += 1
                _prune_empty(target.parent, self.output)
        if self._owned is not None and not self.previous and self.output.is_dir():
            removed += self._sweep(self._owned)
        if save:
            self.save_manifest()
        return WriteResult(written, self.unchanged, removed)

    def _sweep(self, owned: Callable[[str], bool]) -> int:
        removed = 0
        for folder, _, names in os.walk(self.output):
            for name in names:
                if name.startswith(TEMP_PREFIX):
                    continue  # another build's, staged and not yet renamed
                path = os.path.relpath(os.path.join(folder, name), self.output).replace(os.sep, "/")
                if path not in self.current and owned(path):
                    os.unlink(os.path.join(folder, name))
                    removed += 1
        for folder, _, _ in sorted(os.walk(self.output), reverse=True):
            _prune_empty(Path(folder), self.output)
        return removed

    def save_manifest(self) -> None:
        self.manifest.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest.with_name(f".{self.manifest.name}.{os.getpid()}")
        tmp.write_text(json.dumps({"version": MANIFEST_VERSION,
                                   "files": {k: list(v) for k, v in sorted(self.current.items())}},
                                  ensure_ascii=False))
        os.replace(tmp, self.manifest)

    def abort(self, sweep: bool = False) -> None:
        """Remove staged files; ``sweep``: also any a crashed worker staged and never reported."""
        for path, (tmp, _) in self.staged.items():
            Path(tmp).unlink(missing_ok=True)
            _prune_empty((self.output / path).parent, self.output)
        self.staged = {}
        if sweep and self.output.is_dir():
            for tmp in self.output.rglob(f"{TEMP_PREFIX}*"):
                tmp.unlink(missing_ok=True)
                _prune_empty(tmp.parent, self.output)


def data_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_temp(target: Path, item: OutputFile) -> str:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
    try:
        os.fchmod(fd, 0o644)
        if item.data is not None:
            with os.fdopen(fd, "wb") as handle:
                handle.write(item.data)
        else:
            with os.fdopen(fd, "wb") as handle, open(item.copy_from or "", "rb") as source:
                shutil.copyfileobj(source, handle)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def read_manifest(path: Path) -> dict[str, Entry]:
    """path -> (digest, size, mtime_ns); empty when missing, unreadable or of another version."""
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict):
            return {}
        if data.get("version") == 1:  # no sizes: never "intact", but still pruned when stale
            return {str(k): (str(v), -1, -1) for k, v in data["files"].items()}
        if data.get("version") != MANIFEST_VERSION:
            return {}
        return {str(k): (str(v[0]), int(v[1]), int(v[2])) for k, v in data["files"].items()}
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}
