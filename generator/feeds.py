"""Site -> feeds and sitemap (filled in by the feeds work)."""

from __future__ import annotations

from .model import OutputFile, Site


def render_feeds(site: Site) -> list[OutputFile]:
    return []
