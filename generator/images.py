"""Images in pages: their size, smaller copies made at build time, figures and captions.

A raster image in ``content/`` (PNG, JPEG, WebP) that a page shows gets
``width``/``height`` from the file (no layout shift), a ``srcset`` of smaller copies
made with Pillow (``images.widths`` in site.yaml, never wider than the original),
and, when it stands alone in its paragraph with a Markdown title
(``![alt](x.png "Caption")``), a ``<figure>`` with that caption. The first image of a
page loads at once; the others lazily. Copies are kept in ``.cache/images/`` by the
digest of the original's bytes and go to the output through the writer, from the
images unit (one unit for the whole site, so two pages showing one image never
write one file twice).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Callable
from html import escape, unescape
from pathlib import Path
from urllib.parse import quote, unquote

from .config import SiteConfig
from .files import read_checked, write_checked
from .model import OutputFile, Site

RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
SIZED = {*RASTER, ".gif", ".svg"}
"""Images whose size is read from the file (GIFs and SVGs get no smaller copies)."""
SIZES = "(max-width: 40rem) 100vw, 40rem"
"""How wide the theme shows an image in the text column."""
CACHE_FOLDER = "images"

_IMG = re.compile(r"<img\s[^>]*>")
_ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
_ALONE = re.compile(r"<p>(<img\s[^>]*>)</p>")


class ImageSet:
    """The site's images by output path, their sizes (read once) and their copies."""

    def __init__(self, site: Site, cache_dir: Path | None = None) -> None:
        self.config: SiteConfig = site.config
        self.folder = self.config.root / "content"
        self.cache_dir = cache_dir
        self.base = self.config.base_path
        self.files = {s for s in site.statics if os.path.splitext(s)[1].lower() in SIZED}
        self._sizes: dict[str, tuple[int, int] | None] = {}

    def stamp(self) -> str:
        """Changes when any image file does (size, mtime): pages then show new sizes."""
        parts = []
        for rel in sorted(self.files):
            try:
                st = os.stat(self.folder / rel)
            except OSError:
                continue
            parts.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}")
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def static_of(self, src: str) -> str | None:
        """'/repo/posts/x.png' -> 'posts/x.png' when that file is one of the site's images."""
        if not src.startswith(self.base):
            return None
        rel = unquote(src[len(self.base):].split("?", 1)[0].split("#", 1)[0])
        return rel if rel in self.files else None

    def size(self, rel: str) -> tuple[int, int] | None:
        if rel not in self._sizes:
            self._sizes[rel] = _read_size(self.folder / rel)
        return self._sizes[rel]

    def widths(self, rel: str) -> list[int]:
        """The widths of the smaller copies of ``rel`` (none for GIFs and small images)."""
        found = self.size(rel)
        if found is None or os.path.splitext(rel)[1].lower() not in RASTER:
            return []
        return [w for w in self.config.images.widths if w < found[0]]

    def copy_path(self, rel: str, width: int) -> str:
        stem, ext = os.path.splitext(rel)
        return f"{stem}.{width}w{ext}"

    def outputs(self) -> list[OutputFile]:
        """Every smaller copy, made (or taken from the cache) now."""
        out = []
        for rel in sorted(self.files):
            widths = self.widths(rel)
            if not widths:
                continue
            data = (self.folder / rel).read_bytes()
            for width in widths:
                out.append(OutputFile(self.copy_path(rel, width), self._copy(rel, data, width),
                                      origin=f"content/{rel}"))
        return out

    def _copy(self, rel: str, data: bytes, width: int) -> bytes:
        quality = self.config.images.quality
        # ":2": copies behind a digest, under names Kith before never reads (it would
        # publish the digest with the image).
        key = hashlib.sha256(data + f":{width}:{quality}:{_pillow()}:2".encode()).hexdigest()[:32]
        cached = (self.cache_dir / CACHE_FOLDER / key) if self.cache_dir is not None else None
        if cached is not None:
            # Behind a digest of the key too: a copy cut short, or another key's, would
            # be published as a broken or wrong image.
            kept = read_checked(cached, key.encode())
            if kept is not None:
                return kept
        made = resize(data, RASTER[os.path.splitext(rel)[1].lower()], width, quality)
        if cached is not None:
            write_checked(cached, made, key.encode())
        return made


def _pillow() -> str:
    from PIL import __version__
    return __version__


_SVG = re.compile(rb"<svg\b[^>]*>", re.S)
_SVG_ATTR = re.compile(rb'\b(width|height|viewBox)\s*=\s*["\']([^"\']*)["\']')
_NUMBER = re.compile(rb"^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*$")


def _svg_size(path: Path) -> tuple[int, int] | None:
    """An SVG's width and height attributes in pixels, else its viewBox's."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None
    tag = _SVG.search(head)
    if tag is None:
        return None
    attrs = dict(_SVG_ATTR.findall(tag.group(0)))
    width, height = (_NUMBER.match(attrs.get(k, b"")) for k in (b"width", b"height"))
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = attrs.get(b"viewBox", b"").replace(b",", b" ").split()
    try:
        w, h = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return None
    return (round(w), round(h)) if w > 0 and h > 0 else None


def _read_size(path: Path) -> tuple[int, int] | None:
    """The image's pixel size from its header (Pillow reads no more than it needs)."""
    if path.suffix.lower() == ".svg":
        return _svg_size(path)
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(path) as image:
            return int(image.width), int(image.height)
    except (OSError, UnidentifiedImageError, ValueError):
        return None  # not really an image: shown as it is


def resize(data: bytes, fmt: str, width: int, quality: int) -> bytes:
    from PIL import Image
    with Image.open(io.BytesIO(data)) as image:
        height = max(1, round(image.height * width / image.width))
        small = image.resize((width, height), Image.Resampling.LANCZOS)
        if fmt == "JPEG" and small.mode not in ("RGB", "L"):
            small = small.convert("RGB")
        out = io.BytesIO()
        options: dict[str, object] = {"optimize": True}
        if fmt in ("JPEG", "WEBP"):
            options["quality"] = quality
        small.save(out, format=fmt, **options)
        return out.getvalue()


def images_unit(images: ImageSet) -> tuple[str, Callable[[], list[OutputFile]]]:
    """The build unit that writes every smaller copy."""
    return "images", images.outputs


def rewrite_images(html: str, images: ImageSet) -> str:
    """Size, srcset, eager first image and figures for a page's ``<img>`` elements."""
    first = [True]

    def one(match: re.Match[str]) -> str:
        tag = _tag(match.group(0), images, first[0])
        first[0] = False
        return tag

    html = _IMG.sub(one, html)
    return _ALONE.sub(_figure, html) if "<p><img " in html else html


def _tag(tag: str, images: ImageSet, first: bool) -> str:
    """The tag with attributes added (or the first image's lazy loading taken out): the
    rest is left as written."""
    attrs = dict(_ATTR.findall(tag))
    extra: list[str] = []
    rel = images.static_of(unescape(attrs.get("src", "")))
    size = images.size(rel) if rel is not None else None
    if rel is not None and size is not None and "width" not in attrs and "height" not in attrs:
        extra += [f'width="{size[0]}"', f'height="{size[1]}"']
        widths = images.widths(rel)
        if widths and "srcset" not in attrs:
            folder = attrs["src"].rsplit("/", 1)[0]
            names = [quote(images.copy_path(rel, w).rsplit("/", 1)[-1]) for w in widths]
            candidates = [f"{folder}/{escape(n)} {w}w" for n, w in zip(names, widths, strict=True)]
            candidates.append(f"{attrs['src']} {size[0]}w")
            extra += [f'srcset="{", ".join(candidates)}"', f'sizes="{SIZES}"']
    if first:
        tag = tag.replace(' loading="lazy"', "")  # often what the reader sees first
    if "decoding" not in attrs:
        extra.append('decoding="async"')
    if not extra:
        return tag
    closing = " />" if tag.endswith("/>") else ">"
    return f"{tag[:len(tag) - len(closing)].rstrip()} {' '.join(extra)}{closing}"


_TITLE = re.compile(r'\s+title="([^"]*)"')


def _figure(match: re.Match[str]) -> str:
    """A paragraph holding one titled image -> a figure with that title as its caption."""
    tag = match.group(1)
    found = _TITLE.search(tag)
    if found is None or not found.group(1).strip():
        return match.group(0)
    image = tag[:found.start()] + tag[found.end():]
    return f"<figure>{image}<figcaption>{found.group(1)}</figcaption></figure>"
