"""Jekyll's URL rules: slugs, permalink templates and the output file of a URL.

Pure functions over strings, mirroring lib/jekyll/{url,utils,page,document}.rb of
Jekyll 3.10 (what GitHub Pages runs), which agrees with 4.3 for all 3.10 supports.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",  # Jekyll 4 only
}
_TOKEN = re.compile(r":([a-z_]+)")
_PRETTY_KEEP = set("._~!$&'()+,;=@")


def slugify(text: str | None, mode: str = "default", cased: bool = False) -> str | None:
    """``Jekyll::Utils.slugify``: runs of unsafe characters become one '-'."""
    if text is None:
        return None
    text = str(text)
    if mode not in ("raw", "default", "pretty", "ascii", "latin"):
        return text if cased else text.lower()
    if mode == "latin":
        text = unicodedata.normalize("NFKD", text).encode("ascii", "replace").decode()

    def keep(char: str) -> bool:
        if mode == "raw":
            return not char.isspace()
        if mode in ("ascii", "latin"):
            return char.isascii() and char.isalnum()
        category = unicodedata.category(char)
        if category[0] in "LM" or category == "Nd":
            return True
        return mode == "pretty" and char in _PRETTY_KEEP

    out: list[str] = []
    for char in text:
        if keep(char):
            out.append(char)
        elif not out or out[-1] != "\0":
            out.append("\0")
    slug = "".join(out).replace("\0", "-")
    slug = slug.removeprefix("-").removesuffix("-")
    return slug if cased else slug.lower()


def titleize_slug(slug: str) -> str:
    """``Utils.titleize_slug``: the title Jekyll gives a post without one."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in slug.split("-"))


def sanitize_url(url: str) -> str:
    """``URL#sanitize_url``: one leading '/', no '..' or './', no '//'."""
    url = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", url)


def expand_document_url(template: str, values: Mapping[str, str]) -> str:
    """Fill ``:token`` placeholders the way documents do; KeyError names a bad token."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        pool = [name, name[:-1]] if name.endswith("_") else [name]
        for key in pool:
            if key in values:
                return values[key] + name[len(key):]
        raise KeyError(" or ".join(f":{key}" for key in pool))

    return sanitize_url(_TOKEN.sub(fill, template))


def expand_hash_url(template: str, values: list[tuple[str, str]]) -> str:
    """Fill placeholders the way pages and static files do: plain replacement in order,
    unknown tokens stay as written."""
    for key, value in values:
        if ":" not in template:
            break
        template = template.replace(f":{key}", value)
    return sanitize_url(template)


def expand_page_url(template: str, path: str, basename: str, output_ext: str) -> str:
    return expand_hash_url(template, [("path", path), ("basename", basename),
                                      ("output_ext", output_ext)])


def page_destination(url: str, output_ext: str) -> str:
    """``Page#destination``, relative to _site."""
    path = url.lstrip("/")
    if url.endswith("/"):
        path += "index"
    return path if path.endswith(output_ext) else path + output_ext


def document_destination(url: str, output_ext: str) -> str:
    """``Document#destination``, relative to _site."""
    path = url.lstrip("/")
    if url.endswith("/"):
        return path + "index.html"
    return path if path.endswith(output_ext) else path + output_ext


def add_permalink_suffix(template: str, style: str) -> str:
    """``Utils.add_permalink_suffix``: pages and collections follow the site's style."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none", "weekdate"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


def posts_template(config: Mapping[str, Any]) -> str:
    """The URL template of ``_posts`` (``collections.posts.permalink`` or the style)."""
    collections = config.get("collections")
    if isinstance(collections, dict):
        meta = collections.get("posts")
        if isinstance(meta, dict) and isinstance(meta.get("permalink"), str):
            return meta["permalink"]
    style = str(config.get("permalink") or "date")
    return STYLES.get(style, style)


def extname(name: str) -> str:
    """Ruby's File.extname: '.md' for 'a.md', '' for '.htaccess' and 'a.'."""
    base = name.lstrip(".")
    if "." not in base or base.endswith("."):
        return ""
    return "." + base.rsplit(".", 1)[1]
