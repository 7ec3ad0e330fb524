"""Liquid in content and relative links: what is rewritten, what is kept and reported."""

from __future__ import annotations

from generator.importer.links import rewrite_links
from generator.importer.liquid import Context, convert

SITE = {"title": "My Site", "url": "https://example.org", "baseurl": "/blog",
        "author": {"name": "Ana"}, "tags": ["a"]}


def run(text: str, page: dict | None = None) -> tuple[str, Context]:
    links = {("post_url", "2020-01-05-hello"): "../posts/2020-01-05-hello.md",
             ("link", "about.md"): "../about.md"}
    ctx = Context("_posts/2020-01-01-x.md", 5, SITE, page or {"title": "X", "url": "/x/"},
                  link=lambda tag, arg: links.get((tag, arg.strip())))
    return convert(text, ctx), ctx


def test_highlight_becomes_a_fence() -> None:
    text, ctx = run("Before\n{% highlight ruby linenos %}\n\nputs 1\n```\n{% endhighlight %}\n")
    assert text == "Before\n````ruby\nputs 1\n```\n````\n"
    assert ctx.converted["highlight"] == 1
    # Line numbers were what Jekyll showed: dropping them is said, not silent.
    assert [str(p) for p in ctx.problems] == [
        "_posts/2020-01-01-x.md:6: warning: {% highlight %} options left out (linenos): Kith's "
        "code blocks have no line numbers or marked lines\n  hint: drop them, or style code "
        "blocks in the theme"]
    _, ctx = run('{% highlight sh %}\nls\n{% endhighlight %}\n')
    assert not ctx.problems


def test_links_and_values() -> None:
    text, ctx = run("[a]({% post_url 2020-01-05-hello %}) [b]({% link about.md %}) "
                    "{{ site.title }} {{ page.title | upcase }} {{ site.author.name }} "
                    "{{ '/img/x.png' | relative_url }} {{ 'x' | absolute_url }} "
                    "{{ site.url }}{{ site.baseurl }}/feed.xml {{ site.baseurl }}/a")
    assert text == ("[a](../posts/2020-01-05-hello.md) [b](../about.md) My Site X Ana "
                    "/img/x.png https://example.org/blog/x https://example.org/blog/feed.xml /a")
    assert not ctx.problems


def test_raw_is_kept_and_comment_hidden() -> None:
    text, ctx = run("{% raw %}{{ keep }}{% endraw %} {% comment %}a -- b{% endcomment %}")
    assert text == "{% raw %}{{ keep }}{% endraw %} <!--a - - b-->"
    assert not ctx.problems


def test_stray_output_is_kept_and_reported() -> None:
    text, ctx = run("one\nUse `{{ user?.name }}` here\n")
    assert text == "one\nUse `{{ user?.name }}` here\n"
    [problem] = ctx.problems
    assert str(problem) == (
        "_posts/2020-01-01-x.md:6: warning: stray Liquid '{{ user?.name }}' outside "
        "{% raw %}: Jekyll printed its value (usually nothing); Kith shows it as written\n"
        "  hint: wrap it in {% raw %}…{% endraw %} to keep it, or delete it")


def test_unconvertible_tags_are_reported() -> None:
    text, ctx = run("{% include note.html %}\n{% if x %}y{% endif %}\n{% post_url nope %}\n"
                    "{{ site.tags }}\n")
    assert text == "{% include note.html %}\n{% if x %}y{% endif %}\n{% post_url nope %}\n" \
                   "{{ site.tags }}\n"
    messages = [(p.line, p.message, p.warning) for p in ctx.problems]
    assert messages == [
        (5, "Liquid tag '{% include note.html %}' not converted", True),
        (6, "Liquid tag '{% if x %}' not converted", True),
        (6, "Liquid tag '{% endif %}' not converted", True),
        (7, "'{% post_url nope %}': no such file in the site", False),
        (8, "stray Liquid '{{ site.tags }}' outside {% raw %}: Jekyll printed its value "
            "(usually nothing); Kith shows it as written", True),
    ]


def test_relative_links_point_where_they_pointed() -> None:
    served = {"assets/x.png": "assets/x.png", "notes/y": "notes/y.md"}
    body = ("![a](assets/x.png) [b](../notes/y#top) [c](y.md) [d](/abs) [e](https://x.org)\n"
            "<img src=\"assets/x.png\"> [f](missing.png)\n"
            "```\n![code](assets/x.png)\n```\n`[g](assets/x.png)`\n[ref]: assets/x.png\n")
    text, changed = rewrite_links(body, url="/post-en", source="_posts/en/2020-01-01-post-en.md",
                                  target="posts/en/2020-01-01-post-en.md", find_url=served.get,
                                  find_source={"_posts/en/y.md": "posts/en/y.md"}.get)
    assert text == (
        "![a](../../assets/x.png) [b](../../notes/y.md#top) [c](y.md) [d](/abs) "
        "[e](https://x.org)\n<img src=\"/assets/x.png\"> [f](/missing.png)\n"
        "```\n![code](assets/x.png)\n```\n`[g](assets/x.png)`\n[ref]: ../../assets/x.png\n")
    # [c](y.md) already works: links to .md files resolve against the source file.
    assert changed == 5


def test_footnote_definitions_are_not_link_definitions() -> None:
    # '[^1]: Source' was taken for a link reference and 'Source' re-pointed to /Source.
    body = "Fact[^1].\n\n[^1]: Source of it.\n[ref]: img.png\n"
    text, changed = rewrite_links(body, url="/post", source="_posts/2020-01-01-post.md",
                                  target="posts/2020-01-01-post.md", find_url={}.get,
                                  find_source={}.get)
    assert text == "Fact[^1].\n\n[^1]: Source of it.\n[ref]: /img.png\n"
    assert changed == 1
