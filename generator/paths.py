"""The rules every path that becomes a file obeys: it stays inside the output folder.

Front matter (``permalink:``, ``slug:``, ``aliases:``), file and folder names and
permalink patterns all end up as a path under the output folder. Each is checked
here before any stage uses it; the writer checks the final path once more. A
path is refused, never repaired: ``..`` and ``.`` segments, a leading ``/`` or a
drive (``C:``) where a relative path is meant, empty segments (``//``), a
backslash, NUL and other control characters, ``?`` and ``#`` (they would end
the URL's path), percent-encoded ``.``/``/``/``\\``, any ``%`` in a URL (the file
would keep ``%C3%A9`` in its name where a server looks for ``é``) and segments longer
than a file name can be. The functions return what is wrong as a phrase that follows
"it ...", or None.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

MAX_NAME = 255
"""Bytes in one file or folder name (ext4, APFS, NTFS and most others)."""
MAX_PATH = 2048
"""Bytes in an output path, leaving room for the output folder's own path (PATH_MAX 4096)."""
_DRIVE = re.compile(r"[A-Za-z]:")
_SEGMENT = rf"(?!\.\.?(?:/|\Z))[A-Za-z0-9._~-]{{1,{MAX_NAME}}}"
_PLAIN = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
"""Relative paths of ASCII letters, digits and ``._~-`` with no '.' or '..' segment:
nothing in them can be wrong but their length (what most outputs look like; the
writer checks every path of its manifest on each build, 50,000 at 30,000 posts)."""
LAYOUTS_DIR = "layouts"
OUTPUT_DIR = "_site"
"""The default output folder, inside the site folder."""


def theme_dir() -> Path:
    """The default theme: packaged beside the code, or the repo's layouts/ in a checkout.
    (Here, not in layouts.py, so the link check can ask what the theme will write.)"""
    here = Path(__file__).resolve().parent
    packaged = here / "_layouts"
    return packaged if packaged.is_dir() else here.parent / LAYOUTS_DIR


def base_url_problem(url: str) -> tuple[str, str] | None:
    """What is wrong with a site's base URL, and the URL as a message may show it; None
    when nothing is."""
    try:
        parts = urlsplit(url)
        path = parts.path.rstrip("/") + "/"
    except ValueError:  # an unclosed '[' in the host
        parts, path = urlsplit(""), "/"
    # A user name or password before the host (up to the first '/': a password may hold
    # '#' or '?') is never echoed, whatever else is wrong: a CI log may be public.
    scheme, sep, rest = url.partition("://")
    authority = rest.split("/", 1)[0]
    if sep and "@" in authority:
        return ("holds a user name or password ('@'), which every page and feed would "
                "publish", f"{scheme}://***@{authority.rsplit('@', 1)[1]}{rest[len(authority):]}")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an absolute http(s) URL", url
    if re.search(r"[\s\x00-\x1f\x7f]", url) or parts.query or parts.fragment:
        return "holds a space, a control character, '?' or '#'", url
    if path != "/" and url_problem(unquote(path)):  # every link starts with this path
        return f"has a path that {url_problem(unquote(path))}", url
    return None


def url_problem(url: str) -> str | None:
    """Why a site-relative URL ('/posts/x/', '/feed.xml') cannot be a file of the site."""
    if not url.startswith("/"):
        return "does not start with '/'"
    parts = url[1:].split("/")
    if parts[-1] == "":
        parts.pop()  # a trailing '/': the folder's index.html
    if not parts:
        return None
    return _parts_problem(parts, url=True) or _length_problem(url)


def segment_problem(value: str) -> str | None:
    """Why ``value`` cannot be one segment of a URL (a slug)."""
    if value == "":
        return "is empty"
    if value in (".", ".."):
        return "is not a name"
    if "/" in value:
        return "holds a '/'"
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_NAME:
        return f"is {size} bytes long; a name in a URL holds at most {MAX_NAME}"
    return _parts_problem([value], first=False, url=True)


def output_problem(path: str) -> str | None:
    """Why a relative output path ('posts/x/index.html') cannot be written."""
    if len(path) <= MAX_PATH and _PLAIN.fullmatch(path):
        return None
    return _output_problem(path)


def _output_problem(path: str) -> str | None:
    """``output_problem`` without its shortcut for plain paths (tests compare the two)."""
    if path == "":
        return "is empty"
    if path.startswith("/"):
        return "is absolute"
    return _parts_problem(path.split("/")) or _length_problem(path)


def output_key(path: str) -> str:
    """Paths that name one file wherever the site is built (NFC-normalised), as one key."""
    return unicodedata.normalize("NFC", path)


def case_key(path: str) -> str:
    """Paths that name one file on a case-insensitive disk (macOS, Windows), as one key."""
    return output_key(path).casefold()


def shown(value: str, limit: int = 60) -> str:
    """A value quoted for a message: control characters escaped, very long ones cut."""
    text = "".join(c if c.isprintable() or c == " " else _escape(c) for c in value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


def _parts_problem(parts: list[str], first: bool = True, url: bool = False) -> str | None:
    """``url``: the parts come from a URL someone typed, where '?' and '#' cannot be."""
    for i, part in enumerate(parts):
        if part == "":
            return "has an empty segment ('//')"
        if part in (".", ".."):
            return f"has a '{part}' segment"
        bad = _char_problem(part, url)
        if bad:
            return bad
        if "%" in part:
            decoded = unquote(part)
            if decoded in (".", "..") or any(c in decoded for c in "/\\\x00"):
                return f"hides {shown(decoded)} in percent-encoding"
            if url:  # the file would keep the '%XX'; a server decodes it and finds nothing
                return ("holds '%', which a URL reads as the start of a percent-escape"
                        if "%" in decoded else f"is percent-encoded ({shown(part)}): write "
                        f"the characters themselves ({shown(decoded)})")
        if first and i == 0 and _DRIVE.fullmatch(part):
            return f"starts with the drive '{part}'"
        size = len(part.encode("utf-8", "surrogatepass"))
        if size > MAX_NAME:
            return (f"has a segment of {size} bytes ({shown(part, 24)}); "
                    f"a file name holds at most {MAX_NAME}")
    return None


def _char_problem(text: str, url: bool) -> str | None:
    for char in text:
        if char == "\\":
            return "holds a backslash"
        if url and char in "?#":
            return f"holds '{char}', which would end the URL's path"
        category = unicodedata.category(char)
        if category == "Cc" or char in "\u2028\u2029":
            return f"holds the control character {_escape(char)}"
        if category == "Cs":
            return f"holds {_escape(char)}, which is not a character (not valid Unicode)"
    return None


def _length_problem(path: str) -> str | None:
    size = len(path.encode("utf-8", "surrogatepass"))
    if size > MAX_PATH:
        return f"is {size} bytes long; an output path holds at most {MAX_PATH}"
    return None
