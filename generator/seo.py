"""What goes in every page's <head> besides the theme's own markup.

Canonical URL, description, alternates for translations and feed autodiscovery.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from .model import Page, Site
from .site import absolute_url, lang_prefix, url_for


def head_html(site: Site, item: Any, translations: Sequence[Any]) -> str:
    """Extra <head> lines for a page or listing."""
    config = site.config
    lines: list[str] = []
    url = getattr(item, "url", "/")
    lines.append(f'<link rel="canonical" href="{escape(absolute_url(config, url))}">')
    description = item.description if isinstance(item, Page) else config.description
    if description:
        lines.append(f'<meta name="description" content="{escape(description)}">')
    if translations:
        lang = getattr(item, "lang", config.language)
        for alt in [item, *translations]:
            tag = config.lang(getattr(alt, "lang", lang)).tag
            lines.append(f'<link rel="alternate" hreflang="{escape(tag)}" '
                         f'href="{escape(absolute_url(config, alt.url))}">')
    lang = getattr(item, "lang", config.language)
    if config.feeds.atom:
        lines.append(f'<link rel="alternate" type="application/atom+xml" '
                     f'title="{escape(config.title)}" href="{escape(url_for(config, "/atom.xml"))}">')
    if lang != config.language and config.feeds.per_language and config.feeds.atom:
        href = url_for(config, f"{lang_prefix(config, lang)}/atom.xml")
        lines.append(f'<link rel="alternate" type="application/atom+xml" '
                     f'title="{escape(config.title)} ({escape(lang)})" href="{escape(href)}">')
    return "\n".join(lines) + "\n"
