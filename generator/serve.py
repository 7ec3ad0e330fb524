"""`kith serve`: build into a private folder, serve it, rebuild on change, reload tabs.

The site is built into ``.cache/serve/`` (never ``_site/``, so a preview with
drafts cannot be deployed by mistake) with the normal incremental builder, kept
alive between builds. A small script is added to HTML responses as they are sent
(never to files): it listens on ``/__kith/events`` (Server-Sent Events) and
reloads the page once a build has completed, or shows the build's problems in an
overlay while the last good site stays served.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import mimetypes
import os
import re
import socket
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .build import Builder, BuildResult
from .config import CONFIG_FILE, read_config
from .content import CONTENT_DIR
from .errors import KithError, warning_report
from .layouts import LAYOUTS_DIR

SERVE_DIR = Path(".cache") / "serve"
EVENTS = "/__kith/events"
STATUS = "/__kith/status"
QUIET = 0.03
OVERFLOW_LOGGER = "watchdog.observers.inotify_c"
SAVE_AFTER = 1.0
"""Seconds without changes after which kith serve saves its build state."""
"""Seconds without file events before a rebuild starts (editors save in bursts)."""
MAX_WAIT = 0.5
"""Rebuild at the latest this long after the first event of a burst."""
MAX_CONNECTIONS = 64
"""Connections served at once (one thread each); more get a 503 and are closed."""
BACKLOG = 64
"""Connections the kernel queues before the server accepts them."""
HEADER_TIMEOUT = 10.0
"""Seconds a client has to send a request's line and headers (idle keep-alive included)."""
IDLE_TIMEOUT = 20.0
"""Seconds one read or write may wait on a silent or half-open peer."""
_LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
# Editor droppings: vim swap and its 4913 probe, emacs locks and autosaves, temp files.
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", ".kate-swp")
_HASHED_ASSET = re.compile(r"\.[0-9a-f]{10}\.(?:css|js)$")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="preview the site, rebuilding as you edit")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--base-url", metavar="URL",
                   help="build with this base_url (default: this server, with site.yaml's path)")
    p.add_argument("--drafts", action="store_true", help="include drafts")
    p.add_argument("--future", action="store_true", help="include future-dated posts")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    preview = Preview(Path(args.root), host=args.host, port=args.port, drafts=args.drafts,
                      future=args.future, base_url=args.base_url)
    try:
        preview.start()
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"serving {preview.url} from {SERVE_DIR}/ (Ctrl-C stops)", flush=True)
    try:
        preview.watch_forever()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    return 0


class Preview:
    """One site, built into a private folder and served with live reload."""

    def __init__(self, root: Path, *, host: str = "127.0.0.1", port: int = 8000,
                 drafts: bool = False, future: bool = False, base_url: str | None = None,
                 quiet: bool = False) -> None:
        self.root = root.resolve()
        self.output = self.root / SERVE_DIR
        self.host, self.port = host, port
        self.drafts, self.future = drafts, future
        self.base_url = base_url
        self.base_path = "/"
        self.quiet = quiet
        self.generation = 0
        """Counts completed good builds; tabs reload when it moves past theirs."""
        self.problems: list[str] = []
        """The last build's errors ('path:line: message'); empty when it succeeded."""
        self.changed = threading.Condition()
        self.server: ThreadingHTTPServer | None = None
        self.builder: Builder | None = None
        self._dirty = threading.Event()
        self._lock = threading.Lock()
        self._hints: set[Path] | None = set()
        self._first_event = self._last_event = 0.0
        self._stopping = threading.Event()
        self._observer: Any = None
        self._overflow: logging.Handler | None = None
        self.last_result: BuildResult | None = None
        self._unsaved = False
        self._building = threading.RLock()
        self.last_seconds = 0.0
        self.allowed_hosts: frozenset[str] = frozenset(_LOCAL_NAMES)
        """Names a request's Host header may give (set by start())."""

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.base_path}"

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        """Bind, build once, serve in a thread and start watching."""
        server = _Server((self.host, self.port), _Handler)
        server.preview = self  # type: ignore[attr-defined]
        self.server = server
        self.port = server.server_address[1]
        if self.base_url:
            self.base_path = urlsplit(self.base_url).path or "/"
        else:
            try:
                # Its base path, even while a setting that shapes no URL is wrong.
                self.base_path = read_config(self.root)[0].base_path
            except KithError:
                self.base_path = "/"  # site.yaml is broken: the first build shows why
        if not self.base_path.endswith("/"):
            self.base_path += "/"
        base_url = self.base_url or f"http://{self.host}:{self.port}{self.base_path}"
        # The folder is private: trust that unchanged outputs are as the builder left them.
        self.builder = Builder(self.root, output=self.output, drafts=self.drafts,
                               future=self.future, base_url=base_url, trust_outputs=True,
                               keep_memo=True)
        self.allowed_hosts = _allowed_hosts(self.host, base_url)
        self.rebuild()  # before any thread starts: a cold build may fork workers
        threading.Thread(target=server.serve_forever, name="kith-http", daemon=True).start()
        threading.Thread(target=server.reap_forever, name="kith-http-reaper",
                         daemon=True).start()
        self._watch()

    def stop(self) -> None:
        self._stopping.set()
        if self._overflow is not None:
            logging.getLogger(OVERFLOW_LOGGER).removeHandler(self._overflow)
        self._dirty.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=2)
        if self.server is not None:
            self.server.shutdown()
            self.server.stopping.set()
            self.server.server_close()
        with self.changed:
            self.changed.notify_all()
        self.save()

    def watch_forever(self) -> None:
        """Rebuild after each burst of changes, until stop(); save when idle."""
        while not self._stopping.is_set():
            if not self._dirty.wait(SAVE_AFTER if self._unsaved else None):
                self.save()  # idle: nothing is waiting for this process
                continue
            if self._stopping.is_set():
                return
            # Debounce: wait for QUIET seconds without events, MAX_WAIT at most.
            while True:
                now = time.monotonic()
                wait = min(self._last_event + QUIET, self._first_event + MAX_WAIT) - now
                if wait <= 0:
                    break
                time.sleep(wait)
            with self._lock:
                self._dirty.clear()
                hints, self._hints = self._hints, set()
            self.rebuild(hints)

    def rebuild(self, hints: set[Path] | None = None) -> None:
        with self._building:
            self._rebuild(hints)

    def _rebuild(self, hints: set[Path] | None) -> None:
        assert self.builder is not None
        started = time.perf_counter()
        try:
            result = self.builder.build(persist=False, hints=hints)
        except KithError as exc:
            problems = [str(p) for p in exc.problems if not p.warning]
            self._publish(problems)
            self._log(f"build failed ({len(problems)} problem{'s' * (len(problems) != 1)}); "
                      "still serving the last good site\n" + "\n".join(problems))
            return
        except OSError as exc:  # a source deleted or renamed during the build
            where = f"{exc.filename}: " if exc.filename else ""
            problems = [f"{where}{exc.strerror or exc}; the next change builds again"]
            self._publish(problems)
            self._log("build stopped; still serving the last good site\n" + problems[0])
            return
        except Exception as exc:  # a bug must not take the preview down
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self._publish([f"internal error: {detail}"])
            self._log(traceback.format_exc())
            return
        first = self.last_result is None
        self.last_result = result
        self.last_seconds = time.perf_counter() - started
        self._publish([])
        # Warnings (a broken link, a symlink not followed) once each, as they appear: a
        # preview that kept them quiet would let them reach the published site unseen.
        # Those the last good build also reported (this preview's, or on its first build
        # the last kith serve's) are not shown again: an imported blog had thousands. The
        # first build counts them.
        if len(result.repeated) < len(result.warnings) or (first and result.warnings):
            self._log("\n".join(warning_report(result.warnings, result.repeated)))
        # Saving the build state (for the next kith build or serve) waits until no change
        # has come in for SAVE_AFTER: it holds the GIL for most of a second at 30,000
        # posts, and would delay the reload being sent and the next edit's build.
        self._unsaved = True
        self._log(f"built in {self.last_seconds * 1000:.0f} ms: {result.written} written, "
                  f"{result.removed} removed, {result.rendered} rendered")

    def save(self) -> None:
        """Save the last build's state and cache rows, if not done yet."""
        with self._building:  # stop() may come from another thread than the builds
            if self._unsaved and self.builder is not None:
                self._unsaved = False
                self.builder.persist()

    def _publish(self, problems: list[str]) -> None:
        with self.changed:
            self.problems = problems
            if not problems:
                self.generation += 1
            self.changed.notify_all()

    def _log(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    # -- watching -------------------------------------------------------------------

    def _watch(self) -> None:
        from watchdog import events as ev
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        preview = self

        class Overflow(logging.Handler):
            """The kernel dropped events (its queue is full): look at every file."""

            def emit(self, record: logging.LogRecord) -> None:
                if "overflow" in record.getMessage():
                    preview.poke()

        # watchdog reports a full inotify queue only in its log.
        self._overflow = Overflow()
        logging.getLogger(OVERFLOW_LOGGER).addHandler(self._overflow)
        # Changes only: reads (open, close without writing) would fill the kernel's
        # queue whenever something reads many sources, and drop an edit with them.
        self._filter = [ev.FileCreatedEvent, ev.FileDeletedEvent, ev.FileModifiedEvent,
                        ev.FileMovedEvent, ev.FileClosedEvent, ev.DirCreatedEvent,
                        ev.DirDeletedEvent, ev.DirMovedEvent]

        class Events(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                if event.is_directory and event.event_type == "modified":
                    # Its entries changed: each of them reports its own event, with the
                    # file's path (a folder's event would make the next build walk all).
                    return
                paths = [str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
                if any(preview.relevant(p) for p in paths):
                    # A symlink is judged by the full walk (where it leads, loops).
                    preview.poke(paths, folder=event.is_directory
                                 or any(os.path.islink(p) for p in paths))
                if event.is_directory and event.event_type == "created":
                    preview._schedule()

        self._events = Events()
        self._observer = Observer()
        self._scheduled: set[str] = set()
        self._schedule()
        self._observer.start()

    def _schedule(self) -> None:
        """Watch site.yaml's folder (not recursively), content/ and layouts/ (recursively)."""
        wanted = [(self.root, False)] + [(self.root / d, True) for d in (CONTENT_DIR, LAYOUTS_DIR)]
        for path, recursive in wanted:
            if str(path) not in self._scheduled and path.is_dir():
                self._observer.schedule(self._events, str(path), recursive=recursive,
                                        event_filter=self._filter)
                self._scheduled.add(str(path))

    def relevant(self, path: str) -> bool:
        try:
            # The folder resolved, not the name: a new symlink content/x.txt -> ../x.txt
            # is a change of content/, wherever it leads.
            where = Path(path)
            rel = (where.parent.resolve() / where.name).relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return False
        if rel == CONFIG_FILE or rel in (CONTENT_DIR, LAYOUTS_DIR):
            return True
        top, _, rest = rel.partition("/")
        if top not in (CONTENT_DIR, LAYOUTS_DIR) or not rest:
            return False
        name = rest.rsplit("/", 1)[-1]
        hidden = any(part.startswith(".") for part in rest.split("/"))
        return not (hidden or name.startswith("#") or name.endswith(_IGNORED_SUFFIXES)
                    or name == "4913")

    def poke(self, paths: list[str] | None = None, folder: bool = False) -> None:
        """Note a change; the paths let the next build look at just those files."""
        now = time.monotonic()
        with self._lock:
            if not self._dirty.is_set():
                self._first_event = now
            if self._hints is not None and paths and not folder:
                self._hints.update(Path(p) for p in paths)
            else:
                self._hints = None  # look at everything
            self._last_event = now
            self._dirty.set()

    # -- what the handler asks --------------------------------------------------------

    def wait_for_change(self, generation: int, problems: list[str], timeout: float
                        ) -> tuple[int, list[str]]:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != generation
                                  or self.problems != problems or self._stopping.is_set(),
                                  timeout)
            return self.generation, list(self.problems)

    def resolve(self, url_path: str) -> tuple[Path | None, str | None]:
        """URL path -> (file to send, or None; where to redirect, or None).

        Never a file outside the output folder: '..' segments, encoded or not, are
        refused, and symlinks are followed only to targets inside it.
        """
        path = unquote(url_path, errors="strict")
        if "\x00" in path or "\\" in path:
            return None, None
        if not path.startswith(self.base_path):
            if path.rstrip("/") == self.base_path.rstrip("/") or path == "/":
                return None, self.base_path
            return None, None
        parts = path[len(self.base_path):].split("/")
        if any(part == ".." for part in parts):
            return None, None
        parts = [p for p in parts if p not in ("", ".")]
        top = os.path.realpath(self.output)
        candidate = os.path.join(top, *parts)
        if os.path.isdir(candidate):
            if not path.endswith("/"):
                return None, url_path + "/"
            candidate = os.path.join(candidate, "index.html")
        elif path.endswith("/") and parts:
            return None, None  # as on GitHub Pages: '/about/' is no 'about.html' (nor file)
        elif not os.path.exists(candidate) and parts:
            candidate += ".html"  # pretty URLs: /about -> about.html
        real = os.path.realpath(candidate)
        if not (real.startswith(top + os.sep) and os.path.isfile(real)):
            return None, None
        return Path(real), None

    def script(self) -> bytes:
        state = json.dumps({"generation": self.generation, "problems": self.problems,
                            "events": EVENTS})
        # Inside <script>, '<' could end the element: JSON allows it escaped.
        state = state.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace(
            "\u2029", "\\u2029")
        return (f"<script>window.__kith={state};</script>\n<script>{_CLIENT}</script>\n"
                ).encode()


def _allowed_hosts(host: str, base_url: str) -> frozenset[str]:
    """Host names a request may name: this machine's, the address it listens on, the
    base URL's. Anything else is refused: a page elsewhere whose name was made to
    resolve to 127.0.0.1 (DNS rebinding) must not read the preview."""
    names = {*_LOCAL_NAMES, host.lower().strip("[]")}
    base = urlsplit(base_url).hostname
    if base:
        names.add(base.lower())
    if host in ("0.0.0.0", "::", ""):  # listening on every address: the machine's names
        name = socket.gethostname().lower()
        names |= {name, f"{name}.local", socket.getfqdn().lower()}
    return frozenset(names)


def _host_name(header: str) -> str:
    """'Example.com:8000' -> 'example.com'; '[::1]:8000' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    name = header.rpartition(":")[0] if header.count(":") == 1 else header
    return name.rstrip(".")  # 'localhost.' is localhost


class _Server(ThreadingHTTPServer):
    """A thread per connection, at most MAX_CONNECTIONS; slow or silent clients are cut."""

    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.stopping = threading.Event()
        self.reading: dict[socket.socket, float] = {}
        """Connections still sending a request's headers -> when they must be done."""
        self.reading_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n")
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError, OSError)):
            return  # the client went away or stalled: nothing to report
        print(f"kith serve: error answering a request: {error!r}", file=sys.stderr)

    def watch(self, connection: socket.socket) -> None:
        with self.reading_lock:
            self.reading[connection] = time.monotonic() + HEADER_TIMEOUT

    def unwatch(self, connection: socket.socket) -> None:
        with self.reading_lock:
            self.reading.pop(connection, None)

    def reap_forever(self) -> None:
        """Cut connections that take too long to send their headers (slowloris)."""
        while not self.stopping.wait(0.5):
            now = time.monotonic()
            with self.reading_lock:
                late = [c for c, deadline in self.reading.items() if deadline < now]
                for connection in late:
                    del self.reading[connection]
            for connection in late:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    server_version = "kith"
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT
    server: _Server

    @property
    def preview(self) -> Preview:
        return self.server.preview  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows builds, not requests

    def handle_one_request(self) -> None:
        self.server.watch(self.connection)
        try:
            super().handle_one_request()
        finally:
            self.server.unwatch(self.connection)

    def parse_request(self) -> bool:
        ok = super().parse_request()
        self.server.unwatch(self.connection)  # headers are in: an event stream may stay
        return ok

    def do_HEAD(self) -> None:
        self._get(head=True)

    def do_GET(self) -> None:
        self._get(head=False)

    def _get(self, head: bool) -> None:
        host = self.headers.get("Host")
        if host is not None and _host_name(host) not in self.preview.allowed_hosts:
            return self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                              b"kith serve answers only to this machine's names "
                              b"(localhost, 127.0.0.1)\n", head)
        target = urlsplit(self.path)
        if target.path == EVENTS:
            if head:
                return self._send(HTTPStatus.OK, "text/event-stream", b"", head=True)
            return self._events(target.query)
        if target.path == STATUS:
            body = json.dumps({"generation": self.preview.generation,
                               "problems": self.preview.problems}).encode()
            return self._send(HTTPStatus.OK, "application/json", body, head)
        try:
            found, redirect = self.preview.resolve(target.path)
        except UnicodeDecodeError:
            found, redirect = None, None
        if redirect is not None:
            location = redirect + (f"?{target.query}" if target.query else "")
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        status = HTTPStatus.OK
        if found is None:
            status = HTTPStatus.NOT_FOUND
            found, _ = self.preview.resolve(self.preview.base_path + "404.html")
            if found is None:
                body = b"<!doctype html><title>Not found</title><h1>Not found</h1>\n"
                return self._send(status, "text/html; charset=utf-8", self._inject(body), head)
        try:
            body = found.read_bytes()
        except OSError:  # replaced between resolve and read: let the tab ask again
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain", b"retry\n", head)
        kind = _TYPES.get(found.name) or mimetypes.guess_type(found.name)[0] \
            or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/xml",
                                                 "application/javascript",
                                                 "application/feed+json",
                                                 "application/manifest+json"):
            kind += "; charset=utf-8"
        if kind.startswith("text/html"):
            body = self._inject(body)
        # A content-hashed asset (assets.py) never changes under its name.
        forever = status == HTTPStatus.OK and _HASHED_ASSET.search(found.name) is not None
        return self._send(status, kind, body, head, forever)

    def _inject(self, body: bytes) -> bytes:
        script = self.preview.script()
        at = body.lower().rfind(b"</body>")
        return body + script if at < 0 else body[:at] + script + body[at:]

    def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool,
              forever: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if forever
                         else "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, query: str) -> None:
        """Server-Sent Events: 'reload' after a good build, 'problems' after a failed one."""
        preview = self.preview
        params = dict(p.partition("=")[::2] for p in query.split("&") if p)
        try:
            generation = int(params.get("since", preview.generation))
        except ValueError:
            generation = preview.generation
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        problems = list(preview.problems)
        try:
            self._event("hello", {"generation": preview.generation, "problems": problems})
            while not preview._stopping.is_set():
                if preview.generation != generation:
                    generation = preview.generation
                    self._event("reload", {"generation": generation})
                new, current = preview.wait_for_change(generation, problems, timeout=15)
                if new == generation and current == problems:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                elif new == generation:
                    problems = current
                    self._event("problems", {"problems": problems})
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _event(self, name: str, data: dict[str, Any]) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


_TYPES = {"feed.json": "application/feed+json", "site.webmanifest": "application/manifest+json"}
"""Types by file name that mimetypes does not know (JSON Feed 1.1's own type)."""

_CLIENT = """
(function () {
  var state = window.__kith, id = "kith-problems";
  function show(problems) {
    var old = document.getElementById(id);
    if (old) old.remove();
    if (!problems || !problems.length) return;
    var box = document.createElement("div"), pre = document.createElement("pre");
    var title = document.createElement("strong");
    box.id = id;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
      "z-index:2147483647;background:#2b0b0b;color:#ffe9e9;font:14px/1.45 ui-monospace," +
      "monospace;padding:1em 1.25em;border-top:4px solid #ff5c5c";
    title.textContent = "kith: the last build failed; this page is the last good one";
    pre.style.cssText = "white-space:pre-wrap;margin:.5em 0 0";
    pre.textContent = problems.join("\\n");  /* text, never HTML: paths and messages are escaped */
    box.appendChild(title);
    box.appendChild(pre);
    document.documentElement.appendChild(box);
  }
  show(state.problems);
  var source = new EventSource(state.events + "?since=" + state.generation);
  source.addEventListener("reload", function () { source.close(); location.reload(); });
  function problems(e) { show(JSON.parse(e.data).problems); }
  source.addEventListener("hello", problems);
  source.addEventListener("problems", problems);
})();
"""
