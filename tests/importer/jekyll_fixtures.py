"""Jekyll sources and helpers for the importer tests (imported by conftest and tests)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from kithpaths import SHARED

CORPUS = SHARED / "corpus" / "lzwjava-blog"
CORPUS_SITES = ("jekyll-ai-blog", "blog-source", "lzwjava.github.io")

# Every case the URL rules have: styles, categories (folder and front matter), a front
# matter date in another zone, slug:, spaces, dots, case, CJK, collections, defaults,
# the exclude-prefix quirk ('c' also leaves out contact.md and cpp/), and Liquid.
TRICKY_SITE: dict[str, str] = {
    "_config.yml": """\
title: Fixture
url: https://example.org
baseurl: /blog
timezone: Asia/Shanghai
permalink: pretty
exclude: [c]
collections:
  notes:
    output: true
    permalink: /n/:path/
  secret:
    output: false
defaults:
  - scope: {path: docs}
    values: {layout: doc, lang: en}
  - scope: {type: posts}
    values: {layout: post}
""",
    "_posts/2020-01-05-hello-world.md":
        "---\ntitle: Hello\n---\nHi [about]({% link about.md %}) and {{ site.title }}.\n",
    "_posts/2020-1-7-single-digit.md": "---\ntitle: Single digit\n---\nx\n",
    "_posts/sub/2021-02-03-in-subfolder.md":
        "---\ntitle: Sub\ncategories: [Tech, Life]\n---\nx\n",
    "blog/_posts/2021-03-04-category-dir.md": "---\ntitle: Cat dir\n---\nx\n",
    "_posts/2021-05-06-no-front-matter.md": "No front matter here.\n",
    "_posts/2021-04-05-with spaces & stuff.md": "---\ntitle: Spaces\n---\nx\n",
    "_posts/2021-06-07-custom.md": "---\ntitle: Custom\npermalink: /custom/:title/\n---\nx\n",
    "_posts/2021-07-08-fm-slug.md": "---\ntitle: FM slug\nslug: Other Slug\n---\nx\n",
    "_posts/2021-08-09-dated.md": "---\ntitle: Dated\ndate: 2021-08-10 23:30:00 +0000\n---\nx\n",
    "_posts/2021-09-10-unpublished.md": "---\ntitle: Unpub\npublished: false\n---\nx\n",
    "_posts/2099-01-01-future.md": "---\ntitle: Future\n---\nx\n",
    "_posts/2021-10-11-v1.2-release.md": "---\ntitle: Version\n---\nx\n",
    "_posts/2021-11-12-Mixed_Case.md": "---\ntitle: Mixed\ncategory: News\n---\nx\n",
    "_posts/2021-12-13-中文标题.md":
        "---\ntitle: 中文\n---\n{% highlight python %}\nprint(\"hi\")\n{% endhighlight %}\n",
    "_drafts/a-draft.md": "---\ntitle: Draft\n---\nx\n",
    "about.md": "---\ntitle: About\n---\nAbout {% include x.html %}\n",
    "about/team.md":
        "---\ntitle: Team\n---\nTeam [hello]({% post_url 2020-01-05-hello-world %})\n",
    "docs/index.md": "---\ntitle: Docs\n---\nDocs ![logo](../images/logo.png)\n",
    "docs/guide.md": "---\ntitle: Guide\n---\nGuide\n",
    "contact.html": "---\nlayout: default\n---\n<p>{{ page.title }}</p>\n",
    "plain.html": "---\nlayout: default\n---\n<p>Plain</p>\n",
    "feed.xml": "---\n---\n<?xml version=\"1.0\"?><rss>{% for p in site.posts %}{{ p.url }}"
                "{% endfor %}</rss>\n",
    "robots.txt": "---\n---\nSitemap: {{ site.url }}{{ site.baseurl }}/sitemap.xml\n",
    "notes/a b.md": "---\ntitle: Space page\n---\nx\n",
    "assets/css/site.css": "body{}\n",
    "images/logo.png": "PNG",
    "README.md": "# readme\n",
    "_notes/one.md": "---\ntitle: One\n---\nOne\n",
    "_notes/sub/2020-02-02-dated.md": "---\ntitle: Dated note\n---\nx\n",
    "_notes/pic.png": "img",
    "_secret/x.md": "---\ntitle: S\n---\nx\n",
    "_includes/x.html": "<b>x</b>",
    "c/x.md": "---\ntitle: C\n---\nx\n",
    "cpp/y.md": "---\ntitle: Cpp\n---\nx\n",
    "contact.md": "---\ntitle: Contact md\n---\nx\n",
    "index.md": "---\ntitle: Home\n---\nhome\n",
}
STYLES = ("pretty", "date", "none", "ordinal", "/:title", "/:year/:month/:day/:title.html",
          "/:categories/:title/", "/blog/:i_month/:slug:output_ext", "/:short_year/:y_day/:name")
# What the tricky site cannot bring over as it is, each reported by the importer.
NOT_IMPORTED = {"README.md", "feed.xml"}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def tree_digest(root: Path) -> str:
    """Names, bytes and modes of everything under ``root``: any change shows."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(str(path.lstat().st_mode).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()




def jekyll_outputs(src: Path, work: Path) -> set[str]:
    """Build a copy of ``src`` with the real Jekyll; the set of files it writes.

    The copy drops theme and plugins (not installed with Debian's jekyll) and keeps
    Jekyll's cache out of the source; the source itself is never touched.
    """
    if shutil.which("jekyll") is None:
        pytest.skip("jekyll is not on PATH (apt-get install jekyll; .ci/run does)")
    copy = work / "jekyll-src"
    shutil.copytree(src, copy)
    config = copy / "_config.yml"
    if config.is_file():
        data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        for key in ("theme", "remote_theme", "plugins", "gems"):
            data.pop(key, None)
        config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = work / "jekyll-site"
    env = {**os.environ, "JEKYLL_ENV": "production", "LC_ALL": "C.UTF-8"}
    run = subprocess.run(["jekyll", "build", "--safe", "-s", str(copy), "-d", str(site)],
                         capture_output=True, text=True, env=env, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


# A feed template like the ones Jekyll blogs copy (the corpus' blog-source had one):
# RSS, every post in every language, the post's absolute URL as guid.
FEED_TEMPLATE = """\
---
layout: null
---
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>{{ site.title | xml_escape }}</title>
    <link>{{ site.url }}{{ site.baseurl }}/</link>
    {% for post in site.posts limit:50 %}
      <item>
        <title>{{ post.title | xml_escape }}</title>
        <link>{{ site.url }}{{ site.baseurl }}{{ post.url }}</link>
        <guid isPermaLink="true">{{ site.url }}{{ site.baseurl }}{{ post.url }}</guid>
      </item>
    {% endfor %}
  </channel>
</rss>
"""

# Layouts shaped like the real blog's (written for these tests): an if/elsif chain of
# labels per language, a per-language note after the post, a header of plain links,
# and a home page per language that lists the language's posts but not its notes.
BLOG_THEME: dict[str, str] = {
    "_layouts/default.html": "<html><body>{{ content }}</body></html>\n",
    "_layouts/post.html": """\
---
layout: default
---
{% assign lang = page.path | split: '-' | last | split: '.' | first %}
{% if page.generated and page.translated %}
  {% case lang %}{% when "en" %}{% assign label = "Generated and translated" %}
  {% when "zh" %}{% assign label = "生成并翻译" %}{% endcase %}
{% elsif page.generated %}
  {% case lang %}{% when "en" %}{% assign label = "Generated" %}
  {% when "zh" %}{% assign label = "生成" %}{% endcase %}
{% elsif page.translated %}
  {% case lang %}{% when "en" %}{% assign label = "Translated" %}
  {% when "zh" %}{% assign label = "翻译" %}{% endcase %}
{% endif %}
<h1>{{ page.title }}</h1>
<p class="label">{{ label }}</p>
<!-- {% if page.audio %}<a href="#">Audio</a>{% endif %} -->
{{ content }}
<p>{% if page.lang == "zh" %}觉得有用，请<a href="/donate-zh">支持</a>。
{% else %}If it helped, <a href="/donate-en">support it</a>.{% endif %}</p>
""",
    "_includes/header.html": """\
<header>
  <button onclick="window.location.href='/search'">Search</button>
  <a href="/about-en" class="btn">📄 <br>About</a>
  <a href="/notes-en">Notes</a>
  <a href="{{ site.baseurl }}/x">X</a>
</header>
""",
    "_includes/post-list.html": """\
<ul class="post-list">
{% assign folder = '_posts/' | append: include.lang | append: '/' %}
{% for post in site.posts %}{% if post.path contains folder %}{% unless post.type == "note" %}
<li><a href="{{ post.url }}">{{ post.title }}</a></li>
{% endunless %}{% endif %}{% endfor %}
</ul>
""",
    "index.html": "---\n---\n{% include post-list.html lang='en' %}\n",
    "index-zh.html": "---\n---\n{% include post-list.html lang='zh' %}\n",
}
