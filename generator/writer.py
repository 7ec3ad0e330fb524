"""[OutputFile] -> the output folder. The only code that writes the public site.

Everything is rendered before this runs, so a failed build never gets here and
the last good site stays as it was. Each file is replaced atomically; files whose
bytes did not change are not touched; stale files this writer made before are
removed, and nothing else is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import KithError, Problem
from .model import OutputFile

MANIFEST_VERSION = 1


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
    previous = _read_manifest(manifest)
    current: dict[str, str] = {}
    written = unchanged = 0
    output.mkdir(parents=True, exist_ok=True)
    for item in sorted(outputs, key=lambda o: o.path):
        target = output / item.path
        if item.data is not None:
            digest = hashlib.sha256(item.data).hexdigest()
        else:
            stat = os.stat(item.copy_from or "")
            digest = f"copy:{item.copy_from}:{stat.st_size}:{stat.st_mtime_ns}"
        current[item.path] = digest
        if previous.get(item.path) == digest and target.is_file():
            unchanged += 1
            continue
        if item.data is not None and target.is_file() and target.read_bytes() == item.data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, item)
        written += 1
    removed = 0
    for path in sorted(set(previous) - set(current)):
        target = output / path
        if target.is_file():
            target.unlink()
            removed += 1
            _prune_empty(target.parent, output)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"version": MANIFEST_VERSION, "files": current},
                                   sort_keys=True, ensure_ascii=False))
    return WriteResult(written, unchanged, removed)


def _atomic_write(target: Path, item: OutputFile) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".kith-")
    try:
        with os.fdopen(fd, "wb") as handle:
            if item.data is not None:
                handle.write(item.data)
            else:
                with open(item.copy_from or "", "rb") as source:
                    shutil.copyfileobj(source, handle)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    files = data.get("files")
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
