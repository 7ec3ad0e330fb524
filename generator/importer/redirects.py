"""``redirect_from:`` (jekyll-redirect-from) -> ``aliases:``, read the way the plugin did.

The plugin made each old path a page of its own, through Jekyll's URL rules: ``..``
and ``./`` were dropped and ``//`` squeezed (``/../old`` was served at ``/old``). A
redirect page on the path of a file Jekyll wrote was overwritten by that file.
So the aliases are the paths readers could reach: sanitized like Jekyll did, and
without the page's own path or another file's.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..errors import Problem, describe
from ..paths import shown, url_problem
from .jekyll_site import Item, key_line
from .jekyll_urls import page_destination, sanitize_url

_HINT = "an old path of this site, e.g. redirect_from: [/2019/01/old-post/]"


def aliases_from(item: Item, value: Any, outputs: Collection[str]
                 ) -> tuple[list[str], list[Problem]]:
    """The aliases for ``redirect_from: value`` of ``item``, and what was left out.

    ``outputs`` are the files Jekyll wrote (relative to _site)."""
    line = key_line(item.front_matter, "redirect_from")
    values = value if isinstance(value, list) else [value]
    aliases: list[str] = []
    problems: list[Problem] = []

    def drop(why: str, warning: bool = True) -> None:
        problems.append(Problem(item.source, line, f"redirect_from {why}: left out",
                                _HINT, warning=warning))

    for old in values:
        if isinstance(old, int | float) and not isinstance(old, bool):
            old = str(old)
        if not isinstance(old, str) or not old.strip():
            drop(f"holds {describe(old)}, not a path", warning=False)
            continue
        path = sanitize_url(old.strip())
        problem = url_problem(path)
        if problem:
            drop(f"{shown(old)} {problem}")
            continue
        dest = page_destination(path, ".html")
        if path == item.url or dest == item.dest:
            drop(f"{shown(old)} is the page's own URL")
        elif dest in outputs:
            drop(f"{shown(old)}: another file is published there, and Jekyll showed "
                      "that file, not the redirect")
        elif path not in aliases:
            aliases.append(path)
    return aliases, problems
