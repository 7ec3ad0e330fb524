"""Theme assets -> output files: minified CSS and JS under content-hashed names, the
code-highlighting stylesheet, and the favicon set.

A hashed name (``assets/style.1a2b3c4d.css``) changes whenever the bytes do, so
servers may tell browsers to keep it for a year (``kith serve`` does). Templates
ask for an asset by its plain name: ``asset('style.css')``. Other files under
``assets/`` (images, fonts) keep their names.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pygments.formatters import HtmlFormatter

from .config import SiteConfig
from .errors import Problem
from .files import write_cache
from .highlighting import STYLES
from .model import OutputFile

ASSETS_DIR = "assets"
HASHED = (".css", ".js")
FAVICON_SOURCE = "favicon.png"
"""The theme's raster icon (the favicon set is made from it unless site.yaml names one)."""
# (output path, size): the ICO carries 16, 32 and 48 pixels.
ICONS = (("apple-touch-icon.png", 180), (f"{ASSETS_DIR}/icon-192.png", 192),
         (f"{ASSETS_DIR}/icon-512.png", 512))
ICO_SIZES = ((16, 16), (32, 32), (48, 48))
MANIFEST = "site.webmanifest"
"""Names the 192 and 512 pixel icons: what Android's 'add to home screen' uses."""
HIGHLIGHT = "highlight.css"
FAVICON_CACHE = "favicons"
"""Under .cache/: favicon sets made before, by source and settings."""
_HASHED_NAME = re.compile(ASSETS_DIR + r"/([^/]+)\.[0-9a-f]{10}(\.(?:css|js))")


@dataclass(frozen=True)
class Asset:
    name: str
    """Plain name under assets/ ('style.css')."""
    path: str
    """Output path ('assets/style.1a2b3c4d.css')."""
    data: bytes | None
    copy_from: str | None
    origin: str


class Assets:
    """Every file under the theme's and the site's ``assets/`` (the site's win by name)."""

    def __init__(self, dirs: list[Path], config: SiteConfig,
                 cache_dir: Path | None = None) -> None:
        """``cache_dir``: where the favicon set made last time is kept (``.cache/``)."""
        self.config = config
        self.cache_dir = cache_dir
        self.problems: list[Problem] = []
        self.items: dict[str, Asset] = {}
        for folder in dirs:
            base = folder / ASSETS_DIR
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*")):
                name = path.relative_to(base).as_posix()
                if path.is_file() and name not in self.items and not path.name.startswith("."):
                    self.items[name] = self._asset(name, path, _origin(folder, path, config))
        if HIGHLIGHT not in self.items:
            self.items[HIGHLIGHT] = _hashed(HIGHLIGHT, highlight_css().encode(), HIGHLIGHT)
        self.icons = self._icons()

    def _asset(self, name: str, path: Path, origin: str) -> Asset:
        if name.endswith(HASHED) and "/" not in name:
            text = path.read_text("utf-8")
            data = (minify_css(text) if name.endswith(".css") else minify_js(text)).encode()
            return _hashed(name, data, origin)
        return Asset(name, f"{ASSETS_DIR}/{name}", None, str(path), origin)

    def url(self, name: str) -> str:
        """Site-relative URL of an asset by its plain name ('/assets/style.1a2b.css')."""
        found = self.items.get(name)
        return "/" + (found.path if found is not None else f"{ASSETS_DIR}/{name}")

    def owned(self, path: str) -> bool:
        """A content-hashed name of one of these assets ('assets/style.0123456789.css')."""
        match = _HASHED_NAME.fullmatch(path)
        return match is not None and f"{match.group(1)}{match.group(2)}" in self.items

    def digest(self) -> str:
        """Changes whenever any asset's output name or bytes would (for incremental builds)."""
        parts = [f"{a.path}:{a.copy_from or ''}" for a in self.items.values()]
        parts += [p for p, _ in self.icons]
        return hashlib.sha256("\0".join(sorted(parts)).encode()).hexdigest()

    def outputs(self) -> Iterator[OutputFile]:
        for asset in self.items.values():
            yield OutputFile(asset.path, asset.data, copy_from=asset.copy_from,
                             origin=asset.origin)
        for path, data in self.icons:
            yield OutputFile(path, data, origin="favicon")

    def _icons(self) -> list[tuple[str, bytes]]:
        """favicon.ico, apple-touch-icon.png and the manifest sizes, from one square image."""
        name = self.config.favicon
        if name:
            source = self.config.root / name
            where, line = "site.yaml", self.config.lines.get("favicon", 0)
        else:
            found = self.items.get(FAVICON_SOURCE)
            if found is None or found.copy_from is None:
                return []
            source, where, line = Path(found.copy_from), found.origin, 0
        try:
            return [*self._favicon_set(source.read_bytes()), (MANIFEST, self._manifest())]
        except (OSError, ValueError) as exc:
            why = exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)
            self.problems.append(Problem(where, line, f"cannot make the favicon set from "
                                         f"'{name or source.name}': {why}",
                                         "use a square PNG or JPEG of at least 180 pixels"))
            return []


    def _favicon_set(self, source: bytes) -> tuple[tuple[str, bytes], ...]:
        """favicon_set, kept in ``.cache/``: resizing and compressing the icons took
        0.15 s of every build that renders anything (a one-post edit's too)."""
        if self.cache_dir is None:
            return favicon_set(source)
        from PIL import __version__ as pillow  # the package only, not its Image module

        key = hashlib.sha256(source + repr((ICONS, ICO_SIZES, pillow)).encode()).hexdigest()
        kept = self.cache_dir / FAVICON_CACHE / key[:32]
        try:
            found = unpack_files(kept.read_bytes())
            if [path for path, _ in found] == ["favicon.ico", *(path for path, _ in ICONS)]:
                return found
        except (OSError, ValueError):
            pass
        made = favicon_set(source)  # its ValueError (a bad image) is the caller's
        with contextlib.suppress(OSError):
            for older in kept.parent.iterdir():  # one favicon at a time: keep one set
                older.unlink()
        write_cache(kept, pack_files(made))
        return made

    def _manifest(self) -> bytes:
        """The web app manifest: the site's name, its start and the large icons."""
        base = self.config.base_path
        icons = [{"src": f"{base}{path}", "sizes": f"{size}x{size}", "type": "image/png"}
                 for path, size in ICONS if path.startswith(ASSETS_DIR)]
        data = {"name": self.config.title, "short_name": self.config.title,
                "start_url": base, "scope": base, "display": "minimal-ui",
                "background_color": "#fbfaf7", "theme_color": "#fbfaf7", "icons": icons}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def _origin(folder: Path, path: Path, config: SiteConfig) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return f"layouts/{path.relative_to(folder).as_posix()}"


def _hashed(name: str, data: bytes, origin: str) -> Asset:
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return Asset(name, f"{ASSETS_DIR}/{stem}.{digest}{dot}{ext}", data, None, origin)


@cache
def favicon_set(source: bytes) -> tuple[tuple[str, bytes], ...]:
    from PIL import Image, UnidentifiedImageError  # heavy: only builds making icons pay

    try:
        image = Image.open(io.BytesIO(source))
    except UnidentifiedImageError:  # its text names a Python object at an address
        raise ValueError("it is not an image Pillow can read") from None
    image.load()
    if image.width != image.height or image.width < 180:
        raise ValueError(f"it is {image.width}x{image.height} pixels, not square and "
                         "at least 180 pixels wide")
    image = image.convert("RGBA")
    out = []
    for path, size in ICONS:
        icon = image.resize((size, size), Image.Resampling.LANCZOS)
        if path == "apple-touch-icon.png":  # iOS paints transparency black
            solid = Image.new("RGBA", icon.size, (255, 255, 255, 255))
            solid.alpha_composite(icon)
            icon = solid.convert("RGB")
        out.append((path, _png(icon)))
    ico = io.BytesIO()
    image.save(ico, format="ICO", sizes=list(ICO_SIZES))
    out.insert(0, ("favicon.ico", ico.getvalue()))
    return tuple(out)


def pack_files(files: tuple[tuple[str, bytes], ...]) -> bytes:
    """(path, bytes) pairs as one blob: a JSON line of the paths, sizes and the bytes'
    CRC, then the bytes."""
    data = b"".join(data for _, data in files)
    head = json.dumps([zlib.crc32(data), [[path, len(d)] for path, d in files]]).encode()
    return head + b"\n" + data


def unpack_files(blob: bytes) -> tuple[tuple[str, bytes], ...]:
    """What pack_files packed; ValueError for anything else (a damaged cache file)."""
    head, _, data = blob.partition(b"\n")
    try:
        crc, sizes = json.loads(head)
        if crc != zlib.crc32(data) or sum(size for _, size in sizes) != len(data):
            raise ValueError("a damaged file")
        files, at = [], 0
        for path, size in sizes:
            if size < 0:
                raise ValueError("a damaged file")
            files.append((str(path), data[at:at + size]))
            at += size
    except TypeError as exc:  # JSON of another shape (its syntax errors are ValueErrors)
        raise ValueError(str(exc)) from exc
    return tuple(files)


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)  # type: ignore[attr-defined]
    return buffer.getvalue()


@cache
def highlight_css() -> str:
    """Pygments colours for code: light by default, dark with the reader's setting or
    the theme toggle (``<html data-theme="dark">``)."""
    # The styles code blocks were highlighted for: a span dropped as plain is plain in these.
    light = HtmlFormatter(style=STYLES[0]).get_style_defs(".highlight")
    dark = HtmlFormatter(style=STYLES[1]).get_style_defs(".highlight")
    forced = _scoped(dark, ':root[data-theme="dark"]')
    system = _scoped(dark, ':root:not([data-theme="light"])')
    return minify_css(f"{light}\n{forced}\n@media (prefers-color-scheme: dark) {{\n"
                      f"{system}\n}}\n")


def _scoped(css: str, scope: str) -> str:
    lines = []
    for line in css.splitlines():
        if "{" in line:
            selector, brace, rest = line.partition("{")
            selector = ", ".join(f"{scope} {s.strip()}" for s in selector.split(","))
            line = f"{selector} {brace}{rest}"
        lines.append(line)
    return "\n".join(lines)


_CSS_TOKENS = re.compile(r'("(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\')|/\*.*?\*/', re.S)


def minify_css(text: str) -> str:
    """Comments and needless whitespace out; strings kept as written.

    Spaces go only around ``{ } ; , >``: a space before ':' can be a descendant
    combinator (``.x :is(a)``), so it stays.
    """
    parts = []
    last = 0
    for match in _CSS_TOKENS.finditer(text):
        parts.append(_squeeze(text[last:match.start()]))
        parts.append(match.group(1) or " ")
        last = match.end()
    parts.append(_squeeze(text[last:]))
    return "".join(parts).strip() + "\n"


def _squeeze(text: str) -> str:
    text = re.sub(r"\s*([{};,>])\s*", r"\1", re.sub(r"\s+", " ", text))
    return text.replace(";}", "}")


def minify_js(text: str) -> str:
    """Comment lines, indentation and blank lines out (the theme's scripts are written
    for it: no template strings across lines, no line starting inside a string)."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        lines.append(stripped)
    return "\n".join(lines) + "\n"
