"""The Jekyll theme side of a site: layouts, includes, data, Sass and plugins, reported."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence

from ..errors import Problem
from .jekyll_site import CONFIG_FILE, JekyllSite

# Layout names every Jekyll theme has; Kith picks its own post/page layouts instead.
_COMMON_LAYOUTS = {"post", "page", "default", "home"}


def report_theme(site: JekyllSite, layouts: Mapping[str, Sequence[str]]) -> list[Problem]:
    """Layouts (with the files that use each), includes, data, Sass and plugins: not
    converted, each reported with what to do instead."""
    found: list[Problem] = []
    layouts_dir = {posixpath.splitext(f.removeprefix("_layouts/"))[0]: f
                   for f in site.theme_files if f.startswith("_layouts/")}
    for name in sorted(set(layouts) | set(layouts_dir)):
        users = layouts.get(name, [])
        where = layouts_dir.get(name) or (users[0] if users else CONFIG_FILE)
        used = f"used by {len(users)} file{'s' * (len(users) != 1)}"
        if users:
            used += ", e.g. " + ", ".join(users[:2])
        kith = "Kith uses its post and page layouts" if name in _COMMON_LAYOUTS else \
            f"those files use Kith's post or page layout until layouts/{name}.html exists"
        origin = "" if name in layouts_dir else " (from the theme)"
        found.append(Problem(where, 0, f"layout '{name}'{origin} not converted ({used})",
                             f"{kith}; port it to Jinja2, see docs/migrating-from-jekyll.md",
                             warning=True))
    for rel in site.theme_files:
        folder = rel.split("/", 1)[0]
        message = {
            "_includes": ("include not converted", "use it from a Kith layout: "
                          "{% include 'name.html' %} in layouts/"),
            "_data": ("data file not converted", "Kith has no site.data: put the values "
                      "templates need under params: in site.yaml"),
            "_sass": ("Sass partial not converted", "style Kith's theme instead "
                      "(layouts/assets/)"),
            "_plugins": ("plugin not converted: Kith runs no Ruby",
                         "rebuild what it did by hand, or drop it"),
        }.get(folder)
        if message:
            found.append(Problem(rel, 0, *message, warning=True))
    return found
