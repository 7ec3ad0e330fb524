"""Files Kith keeps for itself, replaced whole or not at all.

``atomic_write`` writes the new bytes to a temporary file beside the target,
flushes them to the disk, renames the file over the target and flushes the
folder: a crash, a kill or a full disk leaves either the old file or the new
one, never a truncated mix. Every temporary file Kith makes starts with
``.kith-``, so leftovers are recognisable and swept.

``fault(point)`` is a test-only crash switch. With ``KITH_FAULT=point:N`` in the
environment, the N-th time the code passes ``point`` the process (and, when it
leads its own process group, every worker in it) is killed with SIGKILL, as a
power cut would stop it; ``point:N:INT`` sends SIGINT to the group instead, as
Ctrl-C in a terminal does. Unset, it costs one dictionary lookup.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

TEMP_PREFIX = ".kith-"


def records_name(root: Path, output: Path) -> str:
    """The name under which ``.cache/`` keeps the records of builds into ``output`` (its
    manifest, journal and build state): a digest of the output's path inside the site
    folder, or of its absolute path when it lies elsewhere.

    By the inside path, the records stay valid when the site folder moves with its
    ``.cache/`` and ``_site/``, as a CI workspace does that restores both at another
    path (a repository renamed, a job in a container). By the absolute path (Kith
    before), they were not found there: nothing recorded the old pages as Kith's, and
    those of a post deleted meanwhile stayed published, run after run."""
    # Inside the folder that holds the real .cache/ (the site folder, unless .cache/ is a
    # symlink that several sites share: their _site/ folders must not share one name).
    out, top = output.resolve(), (root / ".cache").resolve().parent
    where = out.relative_to(top).as_posix() if out.is_relative_to(top) else os.fspath(out)
    return hashlib.sha1(where.encode()).hexdigest()[:10]


def absolute_records_name(output: Path) -> str:
    """The name Kith gave the same records before ``records_name``: by absolute path."""
    return hashlib.sha1(str(output.resolve()).encode()).hexdigest()[:10]


def write_cache(path: Path, data: bytes) -> None:
    """Replace a file of ``.cache/`` with ``data``: atomically, so a reader sees the old
    file or the new one, but not durably and never failing (a cache file lost or not
    written costs work, never wrong output). A file left half-written is removed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_checked(path: Path, data: bytes, salt: bytes = b"") -> None:
    """``write_cache``, behind a sha256 of ``salt`` and ``data`` that ``read_checked``
    verifies: a file cut short (a crash before the disk had it) or another key's file
    (``salt``: the key) reads as missing, never as wrong output."""
    write_cache(path, hashlib.sha256(salt + data).digest() + data)


def read_checked(path: Path, salt: bytes = b"") -> bytes | None:
    """What ``write_checked`` wrote at ``path``; None when missing or damaged."""
    try:
        kept = path.read_bytes()
    except OSError:
        return None
    return kept[32:] if hashlib.sha256(salt + kept[32:]).digest() == kept[:32] else None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably (write aside, fsync, rename).

    A symlink is written through (its target is replaced), and an existing file keeps
    its permissions; a new one gets the usual ones (0666 less the umask).
    """
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(4)}"
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = None
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        fault("atomic-write")
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not exc.filename:  # a full disk: say which file
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
    fsync_dir(folder)


def sweep_leftovers(folder: Path, name: str) -> None:
    """Remove the temporary files a killed ``atomic_write`` of ``folder/name`` left."""
    for leftover in folder.glob(f"{TEMP_PREFIX}{name}.*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM until the block is done: a short step that must
    not stop half way (renaming staged files into place) finishes, then the signal acts."""
    if threading.current_thread() is not threading.main_thread():
        yield  # handlers can only be changed from the main thread, where signals arrive
        return
    caught: list[int] = []
    old = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum))
           for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        for sig in caught[:1]:
            os.kill(os.getpid(), sig)  # now, with the old handler in place


def fsync_dir(folder: Path) -> None:
    """Make renames and removals in ``folder`` durable (no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


_FAULTS: dict[str, int] = {}
_LEADER = os.getpid()


def fault(point: str) -> None:
    """Die here if KITH_FAULT asks for it (crash-consistency tests; see the module doc)."""
    wanted = os.environ.get("KITH_FAULT")
    if not wanted:
        return
    name, _, rest = wanted.partition(":")
    if name != point:
        return
    count, _, how = rest.partition(":")
    _FAULTS[point] = seen = _FAULTS.get(point, 0) + 1
    if seen != int(count or 1):
        return
    if how == "INT":
        os.killpg(os.getpgid(0), signal.SIGINT)
        return
    if os.getpgid(0) == _LEADER:  # a build started as its own group: workers die too
        os.killpg(_LEADER, signal.SIGKILL)
    if os.getpid() != _LEADER:
        with contextlib.suppress(OSError):
            os.kill(_LEADER, signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
