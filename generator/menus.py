"""The site's menu in each language: ``menus:`` in site.yaml, or the theme's default.

The default, per language: Home, Tutorials, Tags, Archive and About, each shown when
there is something behind it. A language without tutorials or an about page of its
own links to the site language's (so a Chinese reader still finds them), under a
label in the reader's language. An importer fills ``menus:`` from the old site's
navigation; ``params.nav`` (the older form) still works when ``menus:`` is absent.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import Page, Site
from .site import lang_prefix


def menu(site: Site, lang: str, t: Callable[..., str]) -> list[dict[str, str]]:
    """[{'title', 'url'}] for ``lang``, in order; URLs are site-relative or absolute."""
    config = site.config
    own = config.menus.get(lang)
    if own is not None:
        return [{"title": item.label, "url": item.url} for item in own]
    custom = config.params.get("nav")
    if isinstance(custom, dict):
        custom = custom.get(lang, custom.get(config.language))
    if isinstance(custom, list):
        return [{"title": str(i.get("title", "")), "url": str(i.get("url", "/"))}
                for i in custom if isinstance(i, dict)]
    return default_menu(site, lang, t)


def default_menu(site: Site, lang: str, t: Callable[..., str]) -> list[dict[str, str]]:
    config = site.config
    prefix = lang_prefix(config, lang)
    nav = [{"title": t("home"), "url": f"{prefix}/"}]
    for code in dict.fromkeys([lang, config.language]):
        if site.tutorials.get(code):
            nav.append({"title": t("tutorials"), "url": f"{lang_prefix(config, code)}/tutorials/"})
            break
    if site.taxonomies.get("tags", {}).get(lang):
        nav.append({"title": t("tags"), "url": f"{prefix}/tags/"})
    if site.posts.get(lang):
        nav.append({"title": t("archive"), "url": f"{prefix}/archive/"})
    about = _about(site.pages, lang) or _about(site.pages, config.language)
    if about is not None:
        nav.append({"title": about.title if about.lang == lang else t("about"),
                    "url": about.url})
    return nav


def _about(pages: tuple[Page, ...], lang: str) -> Page | None:
    for page in pages:
        if page.collection == "pages" and page.key == "about" and page.lang == lang:
            return page
    return None
