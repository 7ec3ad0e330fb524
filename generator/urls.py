"""Where a site-relative URL is written, and how it is linked under the base path."""

from __future__ import annotations

import re
from urllib.parse import quote

from .config import SiteConfig

# Extensions that make a permalink a file of its own rather than a page.
FILE_TYPES = {"html", "htm", "xml", "json", "txt", "css", "js", "rss", "atom", "svg", "png",
              "jpg", "jpeg", "gif", "webp", "pdf", "ico", "webmanifest", "md"}


def lang_prefix(config: SiteConfig, lang: str) -> str:
    """'' for the site language, '/zh' for others."""
    return "" if lang == config.language else f"/{lang}"


def output_path(url: str) -> str:
    """Where a site-relative URL is written: '/a/' -> 'a/index.html', '/a' -> 'a.html'."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    last = path.rsplit("/", 1)[-1]
    if "." in last and last.rsplit(".", 1)[1].lower() in FILE_TYPES:
        return path
    return path + ".html"  # '/v1.2-release' is a page, not a file of type '2-release'


def url_for(config: SiteConfig, path: str) -> str:
    """A site-relative path ('/posts/x/') as a link under the base path, percent-encoded."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", path):
        return path
    return quote(config.base_path.rstrip("/") + "/" + path.lstrip("/"), safe="/#?&=%~+:@!$,;")


def absolute_url(config: SiteConfig, path: str) -> str:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", path):
        return path
    base = config.base_url.split("/", 3)
    return "/".join(base[:3]) + url_for(config, path)
