"""markdown-it-pyrs, called so that its panics neither crash Kith nor reach the terminal.

A Rust panic in markdown-it-pyrs surfaces in Python as pyo3's PanicException (a
BaseException), after Rust's panic hook has printed its message straight to file
descriptor 2, past Python's sys.stderr. So while pyrs parses, descriptor 2 points at
a private temporary file: a panic's message is logged at DEBUG (``kith --verbose``
shows it) and the page goes to the reference renderer; anything else written there
meanwhile (another thread's output) is passed on to the real stderr.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from typing import IO

from markdown_it_pyrs import MarkdownIt, Node

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_sink: tuple[int, IO[bytes]] | None = None
"""(process id, file): a forked worker must not share its parent's file offset."""


def tree(parser: MarkdownIt, body: str) -> Node | None:
    """``parser.tree(body)``, or None when pyrs panicked."""
    with _lock:
        sink = _own_sink()
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            return parser.tree(body)
        except BaseException as exc:  # pyo3's PanicException derives from BaseException
            if type(exc).__name__ != "PanicException":
                raise
            message = _drain(sink).decode("utf-8", "replace").split("\nstack backtrace:")[0]
            _log.debug("markdown-it-pyrs panicked (the reference renderer takes this page): "
                       "%s", message.strip())
            return None
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if sink.tell():  # written meanwhile by someone else: theirs to see
                os.write(2, _drain(sink))


def _own_sink() -> IO[bytes]:
    global _sink
    if _sink is None or _sink[0] != os.getpid():
        _sink = (os.getpid(), tempfile.TemporaryFile(buffering=0))  # noqa: SIM115
    return _sink[1]


def _drain(sink: IO[bytes]) -> bytes:
    size = sink.tell()
    sink.seek(0)
    data = sink.read(size)
    sink.seek(0)
    sink.truncate()
    return data
