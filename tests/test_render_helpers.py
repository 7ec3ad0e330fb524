"""The render stage's shortcuts print what the plain templates printed.

The theme's macros call Python helpers (time_tag, toc_entries) where they used Jinja
expressions, imports with context share a module between renders, and missing
templates are remembered: each is checked here against the plain version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator.build import assemble, build
from generator.cache import track
from generator.errors import KithError
from generator.layouts import Renderer, _Context
from generator.model import Heading

# The bodies the theme's macros had before they called the helpers.
PLAIN_TIME = ("{% if value is not none %}<time datetime=\"{{ date(value, 'iso') }}\">"
              "{{ date(value, style) }}</time>{% endif %}")
PLAIN_TOC = "{{ p.toc | selectattr('level', 'in', [2, 3]) | list }}"

LANGS = ("en", "zh", "fr", "de")


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    root = tmp_path_factory.mktemp("helpers")
    (root / "site.yaml").write_text("title: T\nbase_url: https://example.com/\nlanguage: en\n"
                                    f"languages: [{', '.join(LANGS)}]\n", encoding="utf-8")
    (root / "content/posts").mkdir(parents=True)
    (root / "content/posts/2026-01-01-a.md").write_text("---\ntitle: A\n---\n\nBody.\n",
                                                        encoding="utf-8")
    return Renderer(assemble(root, save_cache=False).site)


zones = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=5, minutes=30)),
                         dt.timezone(dt.timedelta(hours=-8))])
values = st.none() | st.dates() | st.datetimes(timezones=zones) | st.datetimes()


@settings(max_examples=300, deadline=None)
@given(value=values, style=st.sampled_from(["long", "short", "iso"]),
       lang=st.sampled_from(LANGS))
def test_time_tag_prints_what_the_time_macro_printed(renderer: Renderer, value: Any,
                                                     style: str, lang: str) -> None:
    names = renderer._language_globals(lang)
    plain = renderer.env.from_string(PLAIN_TIME).render(names, value=value, style=style)
    fast = names["time_tag"](value, style)
    assert isinstance(fast, Markup)
    assert fast == plain
    # The macro itself, as templates call it.
    macro = renderer.env.from_string(
        '{% import "_macros.html" as m with context %}{{ m.time(value, style) }}')
    assert macro.render(names, value=value, style=style) == plain


@settings(max_examples=200, deadline=None)
@given(levels=st.lists(st.integers(1, 6), max_size=12))
def test_toc_entries_are_the_selectattr_filter(renderer: Renderer, levels: list[int]) -> None:
    toc = tuple(Heading(level, f"h{i}", f"H {i}") for i, level in enumerate(levels))
    names = renderer._language_globals("en")
    post = renderer.site.posts["en"][0]
    # Any object, a Page and what builds hand templates: a TrackedPage.
    for page in (SimpleNamespace(toc=toc), replace(post, toc=toc), track(replace(post, toc=toc))):
        plain = renderer.env.from_string(PLAIN_TOC).render(p=page)
        assert renderer.env.from_string("{{ toc_entries(p) }}").render(names, p=page) == plain


def _rendered(template: jinja2.Template, **names: Any) -> str:
    """What a render prints, or the error it raises (type and message)."""
    try:
        return template.render(**names)
    except Exception as exc:  # the error is the outcome compared
        return f"{type(exc).__name__}: {exc}"


# What a site's own template may hand the theme's toc(p) macro besides a page: Jinja's
# p.toc and selectattr('level') read an item where there is no attribute.
TOC_ARGUMENTS = [
    {"toc": [{"level": 2, "id": "a", "text": "A"}, {"level": 4, "id": "b", "text": "B"}]},
    SimpleNamespace(toc=[{"level": 3, "id": "c", "text": "C"}, Heading(2, "d", "D")]),
    {"toc": [Heading(1, "e", "E"), Heading(3, "f", "F")], "extra": {}},
    SimpleNamespace(title="no toc"),
    {"title": "no toc"},
    SimpleNamespace(toc=[{"id": "no level"}]),
    SimpleNamespace(toc=None),
]


@pytest.mark.parametrize("arg", TOC_ARGUMENTS, ids=range(len(TOC_ARGUMENTS)))
def test_toc_entries_take_what_the_selectattr_filter_took(renderer: Renderer, arg: Any) -> None:
    names = renderer._language_globals("en")
    plain = _rendered(renderer.env.from_string(PLAIN_TOC), p=arg)
    assert _rendered(renderer.env.from_string("{{ toc_entries(p) }}"), **names, p=arg) == plain


# -- imports with context ---------------------------------------------------------------

def test_an_imported_macro_module_is_shared_only_while_what_it_reads_is_the_same(
        renderer: Renderer) -> None:
    env = renderer.env
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({
        "pure.html": "{% macro greet() %}{{ greeting }} {{ name }}{% endmacro %}\n",
        "stateful.html": "{% set x = greeting %}{% macro greet() %}{{ x }}{% endmacro %}",
    }), env.loader])
    pure, stateful = env.get_template("pure.html"), env.get_template("stateful.html")
    hello, hi, en, zh = "hello", "hi", object(), object()
    first = pure.make_module({"greeting": hello, "name": "A", "lang": en}, True)
    assert pure.make_module({"greeting": hello, "name": "A", "lang": en, "page": 1}, True) \
        is first  # 'page' is not read
    for other in ({"greeting": hi, "name": "A", "lang": en},
                  {"greeting": hello, "name": "B", "lang": en},
                  {"greeting": hello, "name": "A", "lang": zh}):  # {% cache %} keys on lang
        module = pure.make_module(other, True)
        assert module is not first
        assert module.greet() == f"{other['greeting']} {other['name']}"
    assert pure.make_module({"greeting": hello, "name": "A", "lang": en}, True,
                            {"name": "C"}).greet() == "hello C"  # the importer's locals win
    # Top-level code besides macros runs on every import.
    one = stateful.make_module({"greeting": hello, "lang": en}, True)
    assert stateful.make_module({"greeting": hello, "lang": en}, True) is not one


def test_a_sites_own_macros_see_each_page(make_site) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": "---\ntitle: Alpha\n---\n\nA.\n",
        "content/posts/2026-01-02-b.md": "---\ntitle: Beta\n---\n\nB.\n",
        "content/posts/2026-01-03-c-zh.md": "---\ntitle: Gamma\n---\n\nC.\n",
        "content/posts/2026-01-04-d-zh.md": "---\ntitle: Alpha\n---\n\nD.\n",
        "layouts/_mine.html": "{% macro who() %}{{ page.title }}/{{ lang.code }}{% endmacro %}\n"
                              "{% macro same(p) %}{% cache p %}{{ lang.code }}{% endcache %}"
                              "{% endmacro %}\n",
        # Reads no name itself: the template it includes does.
        "layouts/_inc.html": '{% macro inc() %}{% include "_title.html" %}{% endmacro %}\n',
        "layouts/_title.html": "{{ page.title }}",
        "layouts/post.html": '{% import "_mine.html" as mine with context %}'
                             '{% import "_inc.html" as other with context %}'
                             "[{{ mine.who() }}|{{ mine.same(site.posts['en'][0]) }}|"
                             "{{ other.inc() }}]\n"})
    build(root)
    out = {p.parent.relative_to(root / "_site").as_posix(): p.read_text()
           for p in (root / "_site").rglob("index.html") if p.parent.parent.name == "posts"}
    assert out == {"posts/a": "[Alpha/en|en|Alpha]\n", "posts/b": "[Beta/en|en|Beta]\n",
                   "zh/posts/c": "[Gamma/zh|zh|Gamma]\n", "zh/posts/d": "[Alpha/zh|zh|Alpha]\n"}


# -- missing templates ------------------------------------------------------------------

def test_a_missing_template_is_reported_for_every_page_that_includes_it(make_site) -> None:
    root = make_site({
        "content/posts/2026-01-01-a.md": "---\ntitle: A\n---\n\nA.\n",
        "content/posts/2026-01-02-b.md": "---\ntitle: B\n---\n\nB.\n",
        "layouts/post.html": '{% include "hooks/none.html" ignore missing %}'
                             '{% include "gone.html" %}\n'})
    with pytest.raises(KithError) as info:
        build(root)
    messages = [str(p) for p in info.value.problems]
    assert any("gone.html" in m and "and 1 more" in m and "layouts/post.html:1" in m
               for m in messages), messages


def test_missing_hooks_are_looked_up_again_by_a_new_renderer(make_site) -> None:
    root = make_site({"content/posts/2026-01-01-a.md": "---\ntitle: A\n---\n\nA.\n"})
    build(root)
    assert "hook here" not in (root / "_site/posts/a/index.html").read_text()
    (root / "layouts/hooks").mkdir(parents=True)
    (root / "layouts/hooks/after-post.html").write_text("<p>hook here</p>\n", encoding="utf-8")
    build(root)
    assert "<p>hook here</p>" in (root / "_site/posts/a/index.html").read_text()



# -- calls from templates ---------------------------------------------------------------

def _outcome(context: jinja2.runtime.Context, func: Any, args: tuple,
             kwargs: dict[str, Any]) -> Any:
    try:
        result = context.call(func, *args, **dict(kwargs))
    except Exception as exc:  # the same error, as Jinja's own call raises it
        return ("raised", type(exc))
    if isinstance(result, jinja2.Undefined):
        return ("undefined", result._undefined_hint)
    return result


def test_the_context_calls_every_kind_of_callable_as_jinja_does(renderer: Renderer) -> None:
    env = renderer.env
    assert env.context_class is _Context

    @jinja2.pass_context
    def with_context(context: Any, a: Any, b: int = 0) -> tuple:
        return ("context", context.get("x"), context.get("lv"), context.get("bv"), a, b)

    @jinja2.pass_eval_context
    def with_eval_context(eval_ctx: Any, a: Any, b: int = 0) -> tuple:
        return ("eval", eval_ctx.autoescape, a, b)

    @jinja2.pass_environment
    def with_environment(environment: Any, a: Any, b: int = 0) -> tuple:
        return ("env", environment is env, a, b)

    def plain(a: Any, b: int = 0) -> tuple:
        return ("plain", a, b)

    def stops(a: Any, b: int = 0) -> None:
        raise StopIteration

    class Callable_:
        @jinja2.pass_context
        def __call__(self, context: Any, a: Any, b: int = 0) -> tuple:
            return ("instance", context.get("x"), a, b)

        def method(self, a: Any, b: int = 0) -> tuple:
            return ("method", a, b)

        @jinja2.pass_context
        def context_method(self, context: Any, a: Any, b: int = 0) -> tuple:
            return ("context method", context.get("x"), a, b)

    marked = jinja2.pass_context(lambda context, a, b=0: ("lambda", context.get("x"), a, b))
    macro = env.from_string("{% macro mm(a, b=2) %}{{ a }}-{{ b }}{% endmacro %}").module.mm
    instance = Callable_()
    callables = [with_context, with_eval_context, with_environment, plain, stops, instance,
                 instance.method, instance.context_method, marked, macro, {"a": 1}.get,
                 "abc".startswith, len, str.upper, "x".__add__, Callable_]
    calls = [((1,), {}), (("a",), {"b": 3}), ((1,), {"_loop_vars": {"lv": 5}}),
             ((1,), {"_block_vars": {"bv": 6}, "_loop_vars": {"lv": 7}}), ((), {}),
             ((1, 2, 3), {})]
    for func in callables:
        for args, kwargs in calls:
            expected = _outcome(jinja2.runtime.Context(env, {"x": 1}, "t", {}), func, args,
                                kwargs)
            got = _outcome(_Context(env, {"x": 1}, "t", {}), func, args, kwargs)
            assert got == expected, (func, args, kwargs)


def test_code_labels_name_the_lexer_get_lexer_by_name_would_make() -> None:
    from pygments.lexers import get_all_lexers, get_lexer_by_name
    from pygments.util import ClassNotFound

    from generator.prose import language_name
    aliases = sorted({a for _, names, _, _ in get_all_lexers() for a in names})
    for alias in [*aliases[::60], "PY", "Python3", "no-such-language", "text", "c++"]:
        try:
            name = str(get_lexer_by_name(alias).name)
            expected = "" if name == "Text only" else name
        except ClassNotFound:
            expected = alias
        assert language_name(alias) == expected, alias
