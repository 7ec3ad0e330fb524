"""Kith's own synthetic blog corpus, for the benchmarks and the Markdown tests.

    python bench/corpus.py OUT_DIR [--posts 1000] [--seed 1]
                           [--layout plain|hugo|jekyll|pelican|eleventy] [--clean]

The same (posts, seed) gives the same posts, byte for byte, on every machine: titles,
dates, tags, languages and bodies come from one seeded generator and nothing else
(no clock, no locale, no hash order). The layout only decides where files go and how
front matter is written, so other generators can build the same posts:

  plain     OUT_DIR/posts/YYYY-MM-DD-slug.md          YAML front matter, ISO 8601 dates
  hugo      OUT_DIR/content/posts/YYYY-MM-DD-slug.md  YAML with slug (lang kept as locale)
  jekyll    OUT_DIR/_posts/YYYY-MM-DD-slug.md         YAML, 'YYYY-MM-DD HH:MM:SS +0000'
  pelican   OUT_DIR/content/YYYY-MM-DD-slug.md        Python-Markdown metadata lines
  eleventy  OUT_DIR/posts/YYYY-MM-DD-slug.md          YAML, UTC dates

Bodies mix what a technical blog holds: paragraphs in six languages with emphasis,
code spans and links, headings, nested lists, fenced code in several languages,
tables with alignments, block quotes, images, footnotes, and in a few posts math
(``$...$`` and ``$$`` blocks). They never contain ``{{``, ``{%`` or ``{#``, so
template engines that pre-process Markdown find nothing to expand. Standard
library only: the script runs without Kith installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# -- vocabulary ---------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ENGLISH = _words("""
a about after again all also an and any are as at back be because been before being
between both but by can could each even every few first for from get give good great
had has have how if in into is it its just keep know last like little long look made
make many may more most much must never new next no not now of off often old on once
one only or other our out over own part people place point right same say see seem
should show since small so some still such take than that the their them then there
these they thing think this those through time to too two under up us use very want
was way we well were what when where which while who why will with without word work
would year you build cache queue index parser token stream render layout template
feed post draft page site server client request latency memory disk thread process
module package compiler runtime function method value type error test benchmark
profile result design release version commit branch merge review metric chart table
search query reader writer note idea question answer reason example pattern rule
theme style markup heading list link image output input file folder graph node edge
""")

NAMES = _words("""Python Rust Go SQLite Postgres Redis Linux Debian Unicode HTML CSS RSS Atom
JSON YAML TOML Markdown Jinja Git Kith Hugo Jekyll Pelican Nginx Docker""")

# Sentences written for this corpus; each language exercises its script's width and
# spacing (no spaces between CJK words, Devanagari combining marks, accents).
NATIVE = {
    "zh": ("构建一个静态网站其实并不复杂。", "我们把每篇文章的耗时都记录下来了。",
           "缓存命中以后，第二次构建只需要几秒钟。", "标签页和订阅源是最常被忽略的部分。",
           "多字节文字的处理要格外小心。", "这一节讲的是模板继承和局部模板。"),
    "ja": ("静的サイトの生成は思ったより単純です。", "記事ごとの処理時間を記録しました。",
           "キャッシュが効けば二回目のビルドは数秒で終わります。",
           "タグのページとフィードは見落とされがちです。", "漢字とかなが混ざった文を試します。"),
    "hi": ("स्थिर वेबसाइट बनाना उतना कठिन नहीं है।", "हमने हर लेख का समय अलग से मापा।",
           "कैश के बाद दूसरा निर्माण कुछ ही सेकंड लेता है।", "टैग पृष्ठ और फ़ीड अक्सर भुला दिए जाते हैं।"),
    "es": ("Construir un sitio estático no es tan difícil como parece.",
           "Medimos el tiempo de cada artículo por separado.",
           "Con la caché, la segunda compilación tarda unos segundos.",
           "Las páginas de etiquetas y los feeds suelen olvidarse."),
    "fr": ("Construire un site statique est plus simple qu'il n'y paraît.",
           "Nous avons mesuré le temps de chaque article séparément.",
           "Avec le cache, la deuxième construction ne prend que quelques secondes.",
           "Les pages d'étiquettes et les flux sont souvent oubliés."),
}
LANGUAGES = ("en", "zh", "ja", "hi", "es", "fr")
LANGUAGE_WEIGHTS = (58, 10, 9, 7, 8, 8)

TAGS = _words("""python rust go sqlite postgres linux networking security testing ci docker
performance caching markdown yaml templates static-sites css html accessibility i18n
unicode typography writing rss git tooling compilers parsers algorithms concurrency
profiling memory benchmarks hardware photography travel cooking books music maths
statistics""")
CATEGORIES = ("engineering", "notes", "tutorials", "essays", "reviews", "travel")

CODE = {
    "python": ("def slug(title: str) -> str:\n    words = title.lower().split()\n"
               "    return '-'.join(w for w in words if w.isalnum())\n",
               "with open('posts.txt', encoding='utf-8') as handle:\n"
               "    titles = [line.strip() for line in handle if line.strip()]\n"
               "print(len(titles), 'posts')\n"),
    "rust": ("fn words(text: &str) -> usize {\n    text.split_whitespace().count()\n}\n",
             "let mut pages = Vec::new();\nfor entry in fs::read_dir(\"content\")? {\n"
             "    pages.push(entry?.path());\n}\n"),
    "go": ("func reading(words int) int {\n\treturn (words + 229) / 230\n}\n",),
    "javascript": ("const total = posts.reduce((n, p) => n + p.words, 0);\n"
                   "console.log(`${total} words`);\n",),
    "bash": ("for f in content/posts/*.md; do\n  wc -w \"$f\"\ndone | sort -n | tail -3\n",),
    "sql": ("SELECT tag, COUNT(*) AS posts\nFROM tags\nGROUP BY tag\n"
            "ORDER BY posts DESC;\n",),
    "yaml": ("title: Notes\nbase_url: https://example.org/\nlanguages: [en, zh]\n",),
    "html": ("<figure>\n  <img src=\"chart.png\" alt=\"Build times\">\n"
             "  <figcaption>Build times</figcaption>\n</figure>\n",),
    "": ("$ kith build\nbuilt 1204 pages in 3.1 s\n",),
}
MATH_INLINE = ("$O(n \\log n)$", "$x^2 + y^2 = r^2$", "$\\sum_{i=1}^{n} i$", "$p < 0.05$")
MATH_BLOCK = ("$$\nT(n) = 2T(n/2) + O(n)\n$$", "$$\n\\bar{x} = \\frac{1}{n}\\sum_i x_i\n$$")


@dataclass(frozen=True)
class Post:
    title: str
    slug: str
    date: dt.datetime
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    lang: str
    summary: str
    body: str


class _Writer:
    """One seeded stream of text; every choice goes through ``self.rng``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, n: int) -> str:
        rng = self.rng
        out = []
        for word in rng.choices(ENGLISH, k=n):
            roll = rng.random()
            if roll < 0.03:
                word = rng.choice(NAMES)
            elif roll < 0.045:
                word = f"`{word}()`"
            elif roll < 0.06:
                word = f"*{word}*"
            elif roll < 0.07:
                word = f"**{word}**"
            out.append(word)
        return " ".join(out)

    def sentence(self) -> str:
        text = self.words(self.rng.randint(5, 20))
        return text[0].upper() + text[1:] + self.rng.choice("......?!")

    def paragraph(self, lang: str, notes: list[str], math_ok: bool) -> str:
        rng = self.rng
        parts = [self.sentence() for _ in range(rng.randint(2, 6))]
        if rng.random() < 0.08:
            parts[-1] = parts[-1][:-1] + (f" (see [{self.plain(2)}](https://example.org/"
                                          f"{rng.choice(TAGS)}/{rng.randint(1, 999)}))."
                                          if rng.random() < 0.7 else
                                          f" ([{self.plain(2)}](/tags/{rng.choice(TAGS)}/)).")
        if rng.random() < 0.01:
            notes.append(self.sentence())
            parts[0] = parts[0][:-1] + f"[^{len(notes)}]" + parts[0][-1]
        if math_ok and rng.random() < 0.2:
            parts.insert(1, f"The cost is {rng.choice(MATH_INLINE)} here.")
        if lang != "en" and rng.random() < 0.7:
            native = rng.choices(NATIVE[lang], k=rng.randint(1, 4))
            parts.insert(rng.randint(0, len(parts)), ("" if lang in ("zh", "ja") else " ")
                         .join(native))
        return " ".join(parts)

    def plain(self, n: int) -> str:
        return " ".join(self.rng.choices(ENGLISH, k=n))

    def heading(self) -> str:
        level = self.rng.choice((2, 2, 3))
        return "#" * level + " " + self.plain(self.rng.randint(2, 6)).capitalize()

    def bullets(self) -> str:
        rng = self.rng
        ordered = rng.random() < 0.35
        lines = []
        for i in range(rng.randint(2, 7)):
            lines.append(f"{i + 1}. " if ordered else "- ")
            lines[-1] += self.words(rng.randint(3, 12))
            if rng.random() < 0.15:
                lines.append(("   - " if ordered else "  - ") + self.words(4))
        return "\n".join(lines)

    def code(self) -> str:
        lang = self.rng.choice(sorted(CODE))
        return f"```{lang}\n{self.rng.choice(CODE[lang])}```"

    def table(self) -> str:
        rng = self.rng
        cols = rng.randint(2, 5)
        head = [self.plain(1).capitalize() for _ in range(cols)]
        lines = ["| " + " | ".join(head) + " |",
                 "|" + "|".join(rng.choice(("---", ":---", "---:", ":---:"))
                                for _ in range(cols)) + "|"]
        for _ in range(rng.randint(2, 8)):
            lines.append("| " + " | ".join(str(rng.randint(0, 99999)) if rng.random() < 0.4
                                           else self.plain(rng.randint(1, 3))
                                           for _ in range(cols)) + " |")
        return "\n".join(lines)

    def body(self, lang: str, target: int) -> str:
        rng = self.rng
        math_ok = rng.random() < 0.05
        blocks: list[str] = []
        notes: list[str] = []
        size = 0
        while size < target:
            roll = rng.random()
            if roll < 0.08:
                block = self.heading()
            elif roll < 0.72:
                block = self.paragraph(lang, notes, math_ok)
            elif roll < 0.82:
                block = self.bullets()
            elif roll < 0.9:
                block = self.code()
            elif roll < 0.94:
                block = self.table()
            elif roll < 0.97:
                block = "> " + self.sentence()
            elif math_ok:
                block = rng.choice(MATH_BLOCK)
            else:
                block = f"![{self.plain(2)}](/images/{rng.choice(TAGS)}.png)"
            blocks.append(block)
            size += len(block.split())
        if notes:
            blocks.append("\n".join(f"[^{i}]: {text}" for i, text in enumerate(notes, 1)))
        return "\n\n".join(blocks) + "\n"

    def post(self, used: set[str]) -> Post:
        rng = self.rng
        title = self.plain(rng.randint(3, 8)).capitalize()
        if rng.random() < 0.15:
            title = f"{rng.choice(NAMES)}: {title}"
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-") or "post"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        date = dt.datetime(2012, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            seconds=rng.randrange(13 * 365 * 86400))
        lang = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        length = rng.randint(6000, 15000) if rng.random() < 0.005 else max(
            120, min(15000, int(rng.lognormvariate(math.log(1100), 0.6))))
        return Post(title=title, slug=slug, date=date,
                    tags=tuple(sorted(set(rng.choices(TAGS, k=rng.randint(1, 5))))),
                    categories=tuple(sorted(set(rng.choices(CATEGORIES, k=rng.randint(1, 2))))),
                    lang=lang, summary=self.plain(rng.randint(8, 20)).capitalize() + ".",
                    body=self.body(lang, length))


def posts(count: int, seed: int = 1) -> Iterator[Post]:
    """The corpus's posts, in order; the same (count, seed) gives the same posts."""
    writer = _Writer(seed)
    used: set[str] = set()
    for _ in range(count):
        yield writer.post(used)


# -- front matter dialects ----------------------------------------------------------

def _yaml(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z][A-Za-z0-9 ,.-]*", text) else (
        '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')


def _yaml_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_yaml(item) for item in items) + "]"


def front_matter(post: Post, layout: str) -> str:
    if layout == "pelican":  # Python-Markdown's metadata: "Key: value" lines, a blank line
        return (f"Title: {post.title}\nDate: {post.date:%Y-%m-%d %H:%M}\nSlug: {post.slug}\n"
                f"Tags: {', '.join(post.tags)}\nCategory: {post.categories[0]}\n"
                f"Lang: {post.lang}\nSummary: {post.summary}\n\n")
    date = {"jekyll": f"{post.date:%Y-%m-%d %H:%M:%S +0000}",
            "eleventy": f"{post.date:%Y-%m-%dT%H:%M:%SZ}"}.get(
        layout, f"{post.date:%Y-%m-%dT%H:%M:%S+00:00}")
    lines = [f"title: {_yaml(post.title)}", f"date: {date}"]
    if layout == "hugo":
        lines.append(f"slug: {post.slug}")
    lines += [f"tags: {_yaml_list(post.tags)}", f"categories: {_yaml_list(post.categories)}",
              f"{'locale' if layout == 'hugo' else 'lang'}: {post.lang}",
              f"summary: {_yaml(post.summary)}"]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


FOLDERS = {"plain": "posts", "hugo": "content/posts", "jekyll": "_posts",
           "pelican": "content", "eleventy": "posts"}


def write(out: Path, count: int, seed: int = 1, layout: str = "plain",
          clean: bool = False) -> tuple[int, int]:
    """Write the corpus under ``out``; returns (posts, bytes)."""
    folder = out / FOLDERS[layout]
    if clean and folder.is_dir():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for post in posts(count, seed):
        data = (front_matter(post, layout) + post.body).encode("utf-8")
        (folder / f"{post.date:%Y-%m-%d}-{post.slug}.md").write_bytes(data)
        total += len(data)
    return count, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layout", choices=sorted(FOLDERS), default="plain")
    parser.add_argument("--clean", action="store_true", help="remove the posts folder first")
    args = parser.parse_args(argv)
    count, size = write(args.out, args.posts, args.seed, args.layout, args.clean)
    print(f"{count} posts, {size / 1e6:.1f} MB -> {args.out / FOLDERS[args.layout]}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
