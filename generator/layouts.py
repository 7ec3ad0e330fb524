"""Site -> [OutputFile]: Jinja2 layouts, theme assets and content files.

The repo's layouts/ folder is the default theme; a site's own layouts/NAME.html
overrides or adds templates one by one, and its layouts/strings.yaml overrides
interface strings key by key.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import types
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar

import jinja2
import jinja2.meta
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.utils import internalcode, missing
from markupsafe import Markup, escape

from . import search, seo
from .assets import Assets
from .config import SiteConfig
from .content import CONTENT_DIR
from .errors import Problem, one_of
from .files import write_cache
from .images import ImageSet, images_unit
from .layout_checks import plain, template_hint, unused_hooks
from .menus import menu
from .model import OutputFile, Page, Series, Site
from .notices import footer_html, notice_for
from .paths import LAYOUTS_DIR, theme_dir
from .prose import finish_html, formula_headings
from .related import related_posts
from .site import Listing, absolute_url, lang_prefix, term_slug, url_for
from .yamlio import YamlProblem, load_yaml

ASSETS_DIR = "assets"
DEFAULT_LAYOUT = {"posts": "post", "tutorials": "tutorial", "pages": "page"}
LISTING_LAYOUT = {"home": "home", "term": "term", "terms": "terms", "archive": "archive",
                  "series": "series", "404": "404", "tutorials": "tutorials",
                  "collection": "collection", "search": "search"}


def render_site(site: Site, listings: tuple[Listing, ...]
                ) -> tuple[list[OutputFile], list[Problem]]:
    """Render every page and listing, and list the files to copy."""
    renderer = Renderer(site)
    outputs: list[OutputFile] = []
    for page in site.pages:
        outputs.extend(renderer.page(page))
    for listing in listings:
        outputs.extend(renderer.listing(listing))
    outputs.extend(renderer.assets())
    for _, unit in renderer.extra_units(None):
        outputs.extend(unit())
    for static in site.statics:
        outputs.append(OutputFile(static, copy_from=str(site.config.root / CONTENT_DIR / static),
                                  origin=f"{CONTENT_DIR}/{static}"))
    return outputs, renderer.problems()


class FragmentCache(Extension):
    """``{% cache key, ... %}...{% endcache %}``: render the body once per build, key and
    language, and reuse it wherever the same key comes up again.

    For fragments that show one page the same way on every list it appears on (the
    default theme's post list entries). The body may read content (title, summary,
    ...) only of pages named in the key. A reuse is refused when any of their fields
    was replaced since (kith serve's builder patches pages in place between builds; it
    also drops the fragments that read a page it patches: ``forget``), and it reports
    the reads the first rendering made (``environment.kith_recording``, the builder's
    ``(recording, replay)``), so the output reusing it depends on what it shows, as
    the one that rendered it did. Those reads include the related posts it showed
    (``cache.note_related``): the page's own in the page's key, another page's a read of
    the whole site, wherever the fragment is reused.
    """

    tags: ClassVar[set[str]] = {"cache"}

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(kith_recording=None)
        self.fragments: dict[tuple[Any, ...], tuple[list[tuple[Any, ...]], str, Any]] = {}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.ContextReference(),
                                              nodes.List(keys, lineno=lineno)])
        return nodes.CallBlock(call, [], [], body, lineno=lineno)

    def _fragment(self, context: jinja2.runtime.Context, keys: list[Any],
                  caller: Callable[[], str]) -> str:
        pages = [k for k in keys if isinstance(k, Page)]
        # Pages are not hashable (front matter mappings): their source names them.
        key = (context.get("lang"), *(("page", k.source) if isinstance(k, Page) else k
                                      for k in keys))
        record = self.environment.kith_recording  # type: ignore[attr-defined]
        found = self.fragments.get(key)
        if found is not None and all(map(_same, found[0], pages)):
            if record is not None:
                record[1](found[2])
            return found[1]
        reads = None
        if record is None:
            html = caller()
        else:
            with record[0]() as reads:
                html = caller()
        # The fields after rendering: reading them may have loaded deferred ones.
        self.fragments[key] = ([tuple(p.__dict__.values()) for p in pages], html, reads)
        return html

    def forget(self, sources: Iterable[str]) -> None:
        """Drop the fragments whose rendering read one of ``sources`` (kith serve's
        builder patches those pages in place). A fragment keyed by other values than
        the pages it shows ('recent', a language) would otherwise stand with their old
        content: a reuse checks only the pages in its key."""
        gone = set(sources)
        for key, (_, _, reads) in list(self.fragments.items()):
            if reads and not gone.isdisjoint(reads):
                del self.fragments[key]


def _same(old: tuple[Any, ...], page: Page) -> bool:
    """The page's fields are still ``old``, object for object (equal is not enough: str
    vs Markup)."""
    fields = page.__dict__
    return len(old) == len(fields) and all(map(operator.is_, old, fields.values()))


class _Loader(jinja2.FileSystemLoader):
    """Remembers which templates are missing: the theme's optional hooks
    (``{% include "hooks/head.html" ignore missing %}``) are looked up on every page,
    and Jinja caches only the templates it found (a Renderer lives for one build)."""

    def __init__(self, searchpath: list[str]) -> None:
        super().__init__(searchpath)
        self._missing: dict[str, jinja2.TemplateNotFound] = {}

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        missing = self._missing.get(template)
        if missing is not None:
            raise missing.with_traceback(None)
        try:
            return super().get_source(environment, template)
        except jinja2.TemplateNotFound as exc:
            self._missing[template] = exc
            raise


class _Context(jinja2.runtime.Context):
    """Jinja's context with a shorter way to call what takes no context.

    Templates call every helper, macro and method through ``Context.call``, which looks
    for ``jinja_pass_arg`` on the callable and its ``__call__`` each time. Functions,
    methods and macros that carry no such mark are called as Jinja would call them.
    """

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any
             ) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


_PLAIN_CALLABLES = frozenset({types.FunctionType, types.MethodType, types.BuiltinFunctionType,
                              types.MethodWrapperType, types.MethodDescriptorType,
                              jinja2.runtime.Macro})
"""Types whose ``__call__`` never carries ``jinja_pass_arg`` (an instance may, checked)."""


class _Template(jinja2.Template):
    """Shares the module of ``{% import "x.html" as m with context %}`` between renders.

    Jinja runs the imported template again on every import with context (the theme's
    post.html and base.html import ``_macros.html`` once per page). A template that only
    defines macros gives the same module whenever the names it reads from the context
    (and ``lang``, the key of ``{% cache %}``) are the same objects: its macros read
    them only when called, from the context of the import that made the module.
    """

    _kith_names: tuple[str, ...] | None
    _kith_modules: list[tuple[tuple[Any, ...], jinja2.environment.TemplateModule]]

    def make_module(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None
                    ) -> jinja2.environment.TemplateModule:
        try:
            names = self._kith_names
        except AttributeError:
            names = self._kith_names = _context_names(self)
            self._kith_modules = []
        if names is None or not shared or vars is None:
            return super().make_module(vars, shared, locals)
        local = locals or {}
        key = tuple(vars.get(n, missing) if local.get(n, missing) is missing else local[n]
                    for n in names)
        modules = self._kith_modules
        for values, module in modules:
            if all(map(operator.is_, values, key)):
                return module
        module = super().make_module(vars, shared, locals)
        modules.append((key, module))
        if len(modules) > MODULES_KEPT:  # it reads something that changes per page
            del modules[0]
        return module


MODULES_KEPT = 16
"""Modules kept per imported template: one per language is what the theme needs."""


def _context_names(template: jinja2.Template) -> tuple[str, ...] | None:
    """The context names a template reads, when it only defines macros and loads no
    other template (else None)."""
    env, name = template.environment, template.name
    if name is None or env.loader is None:
        return None
    try:
        source, filename, _ = env.loader.get_source(env, name)
        ast = env.parse(source, name, filename)
    except jinja2.TemplateError:
        return None
    for node in ast.body:
        if not isinstance(node, nodes.Macro) and not (
                isinstance(node, nodes.Output)
                and all(isinstance(child, nodes.TemplateData) for child in node.nodes)):
            return None
    # A template a macro includes or imports reads the context too, names unknown here.
    if any(True for _ in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport,
                                       nodes.Extends))):
        return None
    return tuple(sorted(jinja2.meta.find_undeclared_variables(ast) | {"lang"}))


class _CheckedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in files with a CRC: a damaged file is a miss, never bad code
    (Jinja's FileSystemBytecodeCache would unmarshal whatever is there)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.bin"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        payload = data[4:]
        if len(data) < 4 or zlib.crc32(payload) != int.from_bytes(data[:4], "little"):
            return
        try:
            bucket.bytecode_from_string(payload)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = bucket.bytecode_to_string()
        write_cache(self._path(bucket), zlib.crc32(payload).to_bytes(4, "little") + payload)


@dataclass
class Paginator:
    items: tuple[Page, ...]
    number: int
    total: int
    first_url: str
    prev_url: str | None
    next_url: str | None


def _whole(name: str) -> Any:
    """A whole collection of the site, for ``SiteView``: each read is reported."""
    def get(view: SiteView) -> Any:
        view.on_read()
        return getattr(view._site, name)
    return property(get)


@dataclass
class SiteView:
    """What templates see as ``site``. Its whole collections (posts, tutorials,
    taxonomies, pages, collections) report each read (``on_read``): an output that
    reads one renders again whenever the site's structure changes."""

    config: SiteConfig
    title: str
    description: str
    base_url: str
    language: str
    author: Any
    params: Any
    languages: Any
    _site: Site = field(repr=False)
    """The whole site, read only through the properties below (which report the read):
    not a name a template would use (``site.site.posts`` read every post unrecorded)."""
    on_read: Callable[[], None] = field(repr=False)
    nav: list[dict[str, str]] = field(default_factory=list)
    years: str = ""
    """The years this language's posts and collections span ('2024–2026'), for the
    copyright line."""

    posts = _whole("posts")
    tutorials = _whole("tutorials")
    taxonomies = _whole("taxonomies")
    pages = _whole("pages")
    collections = _whole("collections")
    """Each collection site.yaml declares: name -> language -> pages, newest first."""


class Renderer:
    def __init__(self, site: Site, bytecode_dir: Path | None = None) -> None:
        """``bytecode_dir``: where compiled templates are kept across builds (Jinja checks
        each template's source against its entry)."""
        self.site = site
        self.config = site.config
        self.on_site_read: Callable[[], None] = lambda: None
        """Called when a render reads a whole collection of the site (the builder
        records it: see ``reach``)."""
        self.key: Callable[..., str] | None = None
        """The builder's key of a page or listing (from ``reach``), taken after each
        render: ``key(item, related=...)``."""
        self._related: dict[str, tuple[Page, ...]] = {}
        self.on_related_read: Callable[[str], None] = lambda source: None
        """Called when a render shows a page's own related posts (the builder records it:
        then they are in its key; a theme that never shows them does not compute them)."""
        own = self.config.root / LAYOUTS_DIR
        self.dirs = [d for d in dict.fromkeys([own.resolve(), theme_dir().resolve()]) if d.is_dir()]
        # A Renderer lives for one build: templates cannot change under it, so skip the
        # per-render stat of every template file (auto_reload).
        self.env = jinja2.Environment(
            loader=_Loader([str(d) for d in self.dirs]),
            autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
            trim_blocks=True, lstrip_blocks=True, auto_reload=False,
            extensions=[FragmentCache],
            bytecode_cache=(_CheckedBytecodeCache(bytecode_dir)
                            if bytecode_dir is not None else None),
        )
        self.env.template_class = _Template
        self.env.context_class = _Context
        self.env.get_template = self._get_template(self.env)  # type: ignore[method-assign]
        self._problems: dict[tuple[str, int, str], list[str]] = defaultdict(list)
        self._other: list[Problem] = []
        self._missing_strings: set[str] = set()
        self.theme_assets = Assets(self.dirs, self.config, self._cache_root(bytecode_dir))
        self._other += self.theme_assets.problems
        self._other += unused_hooks(own, self.dirs)
        self.images = ImageSet(site, self._cache_root(bytecode_dir))
        self.strings = self._load_strings()
        self.views = {lang: self._site_view(lang) for lang in
                      sorted({self.config.language, *self.config.language_codes})}
        # Helpers are pure functions of their arguments: memoized once per site, their
        # results are shared by every render (URLs, term URLs and dates recur on every
        # listing a post appears in).
        self._urls: dict[str, str] = {}
        self._abs_urls: dict[str, str] = {}
        self._globals: dict[str, dict[str, Any]] = {}
        self._toc_entries = _toc_entries(self.env)
        for lang in self.views:  # here, so that what they read counts for every output
            self._language_globals(lang)
        # A post's place among its language's posts, for newer/older links.
        self._post_index = {p.source: i for posts in site.posts.values()
                            for i, p in enumerate(posts)}

    # -- outputs ------------------------------------------------------------

    def page(self, page: Page) -> Iterator[OutputFile]:
        name = page.layout or ("series" if page.is_index and page.collection == "tutorials"
                               else DEFAULT_LAYOUT.get(page.collection, "post"))
        template = self._template(name, page.source, page.lines.get("layout", 0))
        if template is None:
            return
        view = _markup(page)
        finished = finish_html(str(view.html), self.images)
        view.__dict__["html"] = Markup(finished.html)
        context: dict[str, Any] = {"page": view, "kind": _kind(page),
                                   "has_code": finished.has_code, **self._page_context(page)}
        html = self._render(template, page.source, page.lang, page, context)
        if html is not None:
            yield OutputFile(page.output, html.encode(), origin=page.source)

    def _page_context(self, page: Page) -> dict[str, Any]:
        """The other pages a page's template is handed: newer and older posts, its series."""
        context: dict[str, Any] = {}
        if page.collection == "posts":
            posts = self.site.posts.get(page.lang, ())
            index = self._post_index[page.source]
            context["newer"] = posts[index - 1] if index > 0 else None
            context["older"] = posts[index + 1] if index + 1 < len(posts) else None
        if page.collection == "tutorials":
            series = self._series(page)
            context["series"] = series
            if not page.is_index and series is not None:
                parts = list(series.parts)
                i = next(i for i, p in enumerate(parts) if p.source == page.source)
                context["prev_part"] = parts[i - 1] if i > 0 else None
                context["next_part"] = parts[i + 1] if i + 1 < len(parts) else None
                context["part_number"] = i + 1
        return context

    def reach(self, item: Page | Listing, related: bool = True) -> tuple[Any, ...]:
        """Everything of the site's structure a render of ``item`` is handed, besides the
        whole collections (whose reads it reports): the item, the pages and terms it
        shows, its translations, related posts (when its render showed them:
        ``cache.pop_related_notes``) and head's feed links. Part of its key, so a new post
        renders again only the outputs whose reach it changes."""
        if isinstance(item, Page):
            return (item, self._page_context(item), self.site.translations_of(item),
                    self.related_of(item) if related else None,
                    seo.feed_lines(self.site, item, item.lang))
        return (item, self._listing_translations(item),
                seo.feed_lines(self.site, item, item.lang))

    def frame(self) -> str:
        """What every render in each language sees of the site's structure (navigation,
        feed links, the copyright's years, which languages have posts), as text."""
        return repr([(lang, view.title, view.description, view.nav, view.years,
                      self._search_url(lang), seo.language_feed_links(self.site, lang))
                     for lang, view in self.views.items()]) + repr(sorted(self.site.posts))

    def listing(self, listing: Listing) -> Iterator[OutputFile]:
        if listing.kind == "redirect":  # its origin names who asked, for the clash check
            if not hasattr(self, "_sources_by_url"):
                self._sources_by_url = {p.url: p.source for p in self.site.pages}
            origin = "redirects: in site.yaml" if listing.url in self.config.redirects else \
                f"aliases: in {self._sources_by_url.get(listing.target, 'a page')}"
            yield OutputFile(listing.output, _redirect(self.config, listing).encode(),
                             origin=origin)
            return
        name = LISTING_LAYOUT[listing.kind]
        template = self._template(name, f"{LAYOUTS_DIR}/{name}.html", builtin=True)
        if template is None:
            return
        context: dict[str, Any] = {"page": None, "kind": listing.kind}
        if listing.kind in ("home", "term", "collection"):
            context["paginator"] = Paginator(listing.items, listing.number, listing.total,
                                             listing.first_url, listing.prev_url,
                                             listing.next_url)
        if listing.kind == "term":
            context["term"] = listing.term
            context["taxonomy"] = listing.taxonomy
        if listing.kind in ("terms", "series", "tutorials", "search"):
            self.on_site_read()  # every term, every series, every language's posts
        if listing.kind == "terms":
            context["taxonomy"] = listing.taxonomy
            context["terms"] = self.site.taxonomies[listing.taxonomy].get(listing.lang, ())
        if listing.kind == "collection":
            context["collection_title"] = listing.title
        if listing.kind == "archive":
            years: dict[int, list[Page]] = defaultdict(list)
            for post in listing.items:
                # The year of the date shown beside it (in the offset its writer gave),
                # as the footer's years count: not 2025 above "2024-12-31".
                years[post.date.year if post.date else 0].append(post)
            context["years"] = sorted(years.items(), reverse=True)
        if listing.kind == "series":
            series = next(s for s in self.site.tutorials.get(listing.lang, ())
                          if s.index.url == listing.url)
            context["series"] = series
            context["page"] = _markup(series.index)
        if listing.kind == "tutorials":
            context["series_list"] = self.site.tutorials.get(listing.lang, ())
        if listing.kind == "search":
            context["search_bundles"] = [url_for(self.config, f"/{folder}") for folder in
                                         search.bundle_folders(self.site, listing.lang)]
        html = self._render(template, f"the {listing.kind} page {listing.url}", listing.lang,
                            listing, context)
        if html is not None:
            yield OutputFile(listing.output, html.encode(), origin=f"{listing.kind} page")

    def assets(self) -> Iterator[OutputFile]:
        """Theme assets (CSS and JS minified under hashed names) and the favicon set."""
        yield from self.theme_assets.outputs()

    def extra_units(self, cache_dir: Path | None
                    ) -> list[tuple[str, Callable[[], list[OutputFile]]]]:
        """Build units besides pages, listings and feeds: the search index's shards and
        the images' smaller copies. ``cache_dir``: .cache/ (None: no cache)."""
        units, problems = search.search_units(self.site, cache_dir)
        for problem in problems:
            if problem not in self._other:
                self._other.append(problem)
        if self.images.files:
            self.images.cache_dir = cache_dir
            units.append(images_unit(self.images))
        return units

    def theme_digest(self) -> str:
        """What pages show of the theme's assets and the site's images (hashed names,
        image sizes): the incremental builder renders every page again when it changes."""
        return f"{self.theme_assets.digest()}:{self.images.stamp()}"

    def owned(self, path: str) -> bool:
        """Output paths only this theme writes, under names that change with their
        contents (the writer removes stale ones when it lost track of them)."""
        return path.startswith(f"{search.SEARCH_DIR}/") or self.theme_assets.owned(path)

    @staticmethod
    def _cache_root(bytecode_dir: Path | None) -> Path | None:
        return bytecode_dir.parent if bytecode_dir is not None else None

    def problems(self) -> list[Problem]:
        result = list(self._other)
        if self._missing_strings:
            result.append(Problem(f"{LAYOUTS_DIR}/strings.yaml", 0, "no interface string for "
                                  + ", ".join(sorted(self._missing_strings)),
                                  "add them under 'en:' (the fallback for every language)"))
        for (path, line, message), sources in self._problems.items():
            more = f" and {len(sources) - 1} more" if len(sources) > 1 else ""
            result.append(Problem(path, line, f"{plain(message)} (rendering {sources[0]}{more})",
                                  template_hint(message, self._line_of(path, line))))
        return result

    def _line_of(self, path: str, line: int) -> str:
        """A template's line (``path`` as ``_rel`` gives it), or ''."""
        for base in self._template_bases():
            try:
                return (base / path).read_text("utf-8").split("\n")[line - 1] if line else ""
            except (OSError, UnicodeDecodeError, IndexError):
                continue
        return ""

    # -- helpers ------------------------------------------------------------

    def _template(self, name: str, source: str, line: int = 0,
                  builtin: bool = False) -> jinja2.Template | None:
        try:
            return self.env.get_template(f"{name}.html")
        except jinja2.TemplateNotFound:
            if builtin:
                problem = Problem(source, 0, "missing template",
                                  "the theme must provide it; copy it from Kith's default theme")
            else:
                available = sorted({p.stem for d in self.dirs for p in d.glob("*.html")
                                    if not p.name.startswith("_")})
                problem = Problem(source, line, f"unknown layout '{name}'",
                                  one_of(available) + f" (layouts/{name}.html does not exist)")
            if problem not in self._other:
                self._other.append(problem)
        except jinja2.TemplateSyntaxError as exc:
            self._note(exc, source)
        return None

    @staticmethod
    def _get_template(env: jinja2.Environment) -> Callable[..., jinja2.Template]:
        """``env.get_template`` that remembers what it found and what is missing: every page
        asks for its layout, base.html, _macros.html and three optional hooks, and Jinja
        checks its cache (a weak reference and a lock) or its loader each time."""
        get, loader = env.get_template, env.loader
        assert isinstance(loader, _Loader)
        found: dict[str, jinja2.Template] = {}
        missing = loader._missing

        def get_template(name: str | jinja2.Template, parent: str | None = None,
                         globals: Mapping[str, Any] | None = None) -> jinja2.Template:
            if globals or not isinstance(name, str):
                return get(name, parent, globals)
            template = found.get(name)
            if template is None:
                exc = missing.get(name)
                if exc is not None:
                    raise exc.with_traceback(None)
                template = found[name] = get(name, parent, globals)
            return template
        return get_template

    def _render(self, template: jinja2.Template, source: str, lang: str, item: Page | Listing,
                context: dict[str, Any]) -> str | None:
        page = item if isinstance(item, Page) else None
        translations = self.site.translations_of(page) if page else self._listing_translations(item)
        full = {
            **self._language_globals(lang),
            "related": self._related_for(page),
            "translations": translations,
            "head": seo.Head(self.site, item, translations),
            "current_url": item.url,
            "paginator": None,
            **context,
        }
        try:
            return template.render(full)
        except jinja2.TemplateError as exc:
            self._note(exc, source)
        except Exception as exc:  # a filter or helper raised on bad data
            self._note(exc, source)
        return None

    def _language_globals(self, lang: str) -> dict[str, Any]:
        """What every render in ``lang`` sees besides the item itself: built once per language."""
        found = self._globals.get(lang)
        if found is not None:
            return found
        config = self.config
        urls, abs_urls = self._urls, self._abs_urls
        prefix = lang_prefix(config, lang)
        term_urls: dict[tuple[str, str], str] = {}
        dates: dict[tuple[int, str], tuple[Any, str]] = {}
        tags: dict[tuple[int, str], tuple[Any, Markup]] = {}

        def url(path: Any) -> str:
            path = str(path)
            found = urls.get(path)
            if found is None:
                found = urls[path] = url_for(config, path)
            return found

        def abs_url(path: Any) -> str:
            path = str(path)
            found = abs_urls.get(path)
            if found is None:
                found = abs_urls[path] = absolute_url(config, path)
            return found

        def date(value: Any, style: str = "long") -> str:
            # By identity, not equality: equal instants in other offsets print differently.
            key = (id(value), style)
            found = dates.get(key)
            if found is None or found[0] is not value:
                found = dates[key] = (value, format_date(value, lang, style, config))
            return found[1]

        def time_tag(value: Any, style: str = "long") -> Markup:
            # What the theme's time() macro printed, without a macro call per date; a
            # post's date comes back on the related lists of its neighbours.
            if value is None:
                return Markup()
            key = (id(value), style)
            found = tags.get(key)
            if found is None or found[0] is not value:
                found = tags[key] = (value, Markup(f'<time datetime="{escape(date(value, "iso"))}">'
                                                   f'{escape(date(value, style))}</time>'))
            return found[1]

        def term_url(taxonomy: str, name: str) -> str:
            key = (taxonomy, name)
            found = term_urls.get(key)
            if found is None:
                found = term_urls[key] = f"{prefix}/{taxonomy}/{term_slug(name)}/"
            return found

        found = self._globals[lang] = {
            "site": self.views.get(lang, self.views[config.language]),
            "lang": config.lang(lang),
            "t": self._t(lang),
            "url": url,
            "abs_url": abs_url,
            "date": date,
            "time_tag": time_tag,
            "toc_entries": self._toc_entries,
            "lang_name": lambda code: config.lang(code).name,
            "term_url": term_url,
            "feeds": seo.language_feed_links(self.site, lang),
            "notice": lambda page: notice_for(config, page),
            "footer_html": Markup(footer_html(config, lang)),
            "asset": lambda name: url(self.theme_assets.url(str(name))),
            "analytics": config.analytics,
            "search_url": self._search_url(lang),
            "theme_labels": json.dumps({key: self._t(lang)(f"theme_{key}")
                                        for key in ("system", "light", "dark")},
                                       ensure_ascii=False),
        }
        return found

    def related_of(self, page: Page) -> tuple[Page, ...]:
        """The page's related posts (its render and its key both ask)."""
        found = self._related.get(page.source)
        if found is None:
            found = self._related[page.source] = related_posts(self.site, page)
        return found

    def _related_for(self, page: Page | None) -> Callable[[Any], tuple[Page, ...]]:
        """``related(p)``: a page's own related posts are in its key (``reach``); any
        other's depend on the whole site."""
        site, on_read = self.site, self.on_site_read

        def related(p: Any) -> tuple[Page, ...]:
            if page is None or getattr(p, "source", None) != page.source:
                on_read()
                return related_posts(site, p)
            self.on_related_read(page.source)
            return self.related_of(p)
        return related

    def _search_url(self, lang: str) -> str:
        """The language's search page ('' when the site has none for it)."""
        if not self.config.search.enabled or (lang != self.config.language
                                              and lang not in self.site.posts):
            return ""
        return f"{lang_prefix(self.config, lang)}/search/"

    def _note(self, exc: BaseException, source: str) -> None:
        path, line = self._template_location(exc)
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        self._problems[(path, line, message)].append(source)

    def _template_location(self, exc: BaseException) -> tuple[str, int]:
        if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
            return self._rel(exc.filename), exc.lineno
        tb: TracebackType | None = exc.__traceback__
        found = ("", 0)
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith(".html") and any(
                    filename.startswith(str(d)) for d in self.dirs):
                found = (self._rel(filename), tb.tb_lineno)
            tb = tb.tb_next
        return found

    def _template_bases(self) -> tuple[Path, Path]:
        """What a template's path in a message is relative to: the site, or Kith's theme."""
        return self.config.root.resolve(), theme_dir().resolve().parent

    def _rel(self, filename: str) -> str:
        path = Path(filename)
        for base in self._template_bases():
            try:
                return path.relative_to(base).as_posix()
            except ValueError:
                continue
        return filename

    def _series(self, page: Page) -> Series | None:
        for series in self.site.tutorials.get(page.lang, ()):
            if series.name == page.series:
                return series
        return None

    def _listing_translations(self, listing: Any) -> tuple[Any, ...]:
        """Home, archive and taxonomy pages link the same listing in other languages."""
        if listing.kind not in ("home", "archive", "terms", "search") or listing.number != 1:
            return ()
        result = []
        for code in self.config.language_codes:
            if code == listing.lang or code not in self.site.posts:
                continue
            url = lang_prefix(self.config, code) + listing.url[len(
                lang_prefix(self.config, listing.lang)):]
            result.append(_Alt(lang=code, url=url, title=self.config.lang(code).name))
        return tuple(result)

    def _t(self, lang: str) -> Callable[..., str]:
        table = self.strings.get(lang) or {}
        fallback = self.strings.get("en") or {}

        def t(key: str, **kw: Any) -> str:
            text = table.get(key, fallback.get(key))
            if text is None:
                self._missing_strings.add(key)
                return key
            return str(text).format(**kw) if kw else str(text)
        return t

    def _load_strings(self) -> dict[str, dict[str, str]]:
        merged: dict[str, dict[str, str]] = {}
        for folder in reversed(self.dirs):  # theme first, the site's own file wins
            path = folder / "strings.yaml"
            if not path.is_file():
                continue
            try:
                data = load_yaml(path.read_text("utf-8-sig")) or {}
            except YamlProblem as exc:
                self._other.append(Problem(self._rel(str(path)), exc.line, exc.message))
                continue
            for lang, table in data.items():
                if isinstance(table, dict):
                    merged.setdefault(str(lang), {}).update({str(k): v for k, v in table.items()})
        return merged

    def _site_view(self, lang: str) -> SiteView:
        config, site = self.config, self.site
        language = config.lang(lang)
        t = self._t(lang)
        nav = menu(site, lang, t)
        return SiteView(
            config=config, title=language.title or config.title,
            # Another language's readers get no description in the site language.
            description=language.description or (config.description if lang == config.language
                                                 else ""),
            base_url=config.base_url, language=config.language, author=config.author,
            params=config.params, languages=config.languages, _site=site,
            on_read=lambda: self.on_site_read(), nav=nav,
            # Every dated collection, listed at home (home_collections) or not: notes
            # off the home page are still the site's writing.
            years=_years([*site.posts.get(lang, ()),
                          *(p for pages in site.collections.values()
                            for p in pages.get(lang, ()))]))


def _years(posts: Iterable[Page]) -> str:
    dated = [p.date.year for p in posts if p.date]
    if not dated:
        return ""
    first, last = min(dated), max(dated)
    return str(first) if first == last else f"{first}–{last}"


@dataclass(frozen=True)
class _Alt:
    lang: str
    url: str
    title: str


def _toc_entries(env: jinja2.Environment) -> Callable[[Any], list[Any]]:
    """``toc_entries(p)``: the headings a table of contents lists, h2 and h3.

    What ``p.toc | selectattr('level', 'in', [2, 3]) | list`` gave, for whatever a site's
    template hands the theme's toc(p) macro: Jinja's ``p.toc`` and ``selectattr`` read an
    item where there is no attribute (a mapping), an empty or None ``toc`` lists nothing,
    and a missing one is the same undefined error.
    """
    getattr_, getitem = env.getattr, env.getitem

    def toc_entries(page: Any) -> list[Any]:
        if isinstance(page, Page):  # a TrackedPage in builds; its toc holds Headings
            entries = [h for h in page.toc if h.level in (2, 3)]
            formulas = formula_headings(page.html) if entries else {}
            return [replace(h, text=Markup(formulas[h.id])) if h.id in formulas else h
                    for h in entries]
        toc = getattr_(page, "toc")
        if not toc:
            return []
        return [h for h in toc if getitem(h, "level") in (2, 3)]
    return toc_entries


def _kind(page: Page) -> str:
    if page.collection not in ("tutorials", "pages"):
        return "post"
    if page.collection == "tutorials":
        return "series" if page.is_index else "tutorial"
    return "page"


def _markup(page: Page) -> Page:
    """The page as templates see it: its HTML as Markup (not escaped again)."""
    # A shallow copy of the fields: dataclasses.replace() would run __init__ through every
    # field's property. Reading html here records the page, as replace() did, and loads
    # a deferred page's Markdown fields before the copy: copied still deferred, the toc a
    # template reads would fetch the whole result from the store a second time.
    html, summary_html = page.html, page.summary_html
    view = object.__new__(type(page))
    view.__dict__.update(page.__dict__)
    view.__dict__.update(html=Markup(html), summary_html=Markup(summary_html))
    return view


def _redirect(config: SiteConfig, listing: Listing) -> str:
    target = jinja2.utils.markupsafe.escape(url_for(config, listing.target))
    # Absolute, as search engines ask of a canonical link (Hugo's and Jekyll's are too).
    canonical = jinja2.utils.markupsafe.escape(absolute_url(config, listing.target))
    return (f'<!doctype html>\n<html lang="{config.lang(listing.lang).tag}">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{jinja2.utils.markupsafe.escape(listing.title)}'
            f'</title>\n<link rel="canonical" href="{canonical}">\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n'
            f'<meta name="robots" content="noindex">\n</head>\n<body>\n'
            f'<p><a href="{target}">{target}</a></p>\n</body>\n</html>\n')


MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
}
LONG_FORMATS = {
    "en": "{month} {d}, {y}", "es": "{d} de {month} de {y}", "fr": "{d} {month} {y}",
    "de": "{d}. {month} {y}", "zh": "{y}年{m}月{d}日", "hant": "{y}年{m}月{d}日",
    "ja": "{y}年{m}月{d}日",
}


def format_date(value: dt.datetime | dt.date | None, lang: str, style: str = "long",
                config: SiteConfig | None = None) -> str:
    """A date for readers of ``lang``: 'long', 'short' or 'iso'."""
    if value is None:
        return ""
    local = value  # shown in the offset the writer gave it
    if style == "iso":
        return local.isoformat()
    y, m, d = local.year, local.month, local.day
    base = lang.split("-")[0]
    custom = config.lang(lang).date_format if config else None
    if custom:
        return local.strftime(custom)
    if style == "short":
        return f"{y:04d}-{m:02d}-{d:02d}"
    fmt = LONG_FORMATS.get(lang) or LONG_FORMATS.get(base)
    if fmt is None:
        return f"{y:04d}-{m:02d}-{d:02d}"
    months = MONTHS.get(base, MONTHS["en"])
    return fmt.format(y=y, m=m, d=d, month=months[m - 1])
