"""Random sequences of edits: after each, the incremental build equals a clean build.

test_incremental.py walks one scripted sequence; this test draws sequences of edits
that change the site's STRUCTURE (which pages exist, their dates, slugs, languages,
tags, categories, translations, series parts, aliases, drafts, links between posts),
not only bodies, on a small site where almost everything a page shows is about other
pages: newer/older links, related posts, translations (hreflang), series parts, term
pages and their feeds (paginated by 2, feeds of 3 entries, so one post added pushes
another to the next page or out of a feed), the menu's About title, the footer's
years, resolved links to other posts (and links to files that come and go).

After each edit: ``build(site)`` keeps its .cache/ and _site/; its files must equal,
byte for byte, those of ``clean_build`` (a fresh copy built without a cache), its
warnings the clean build's, and the build right after it must render nothing. Edits
that make the build fail (two posts on one URL, one alias for two pages, two tags
that would share one page) are drawn too: the incremental and the clean build
must both fail with the same errors, _site must stay as it was, and the next good
edit must again give the clean build's bytes.

A failure names the edits so far and the files that differ. Bounded to well under a
minute in ``make test``; KITH_RANDOM_EDITS=500 (examples) runs a longer search,
KITH_RANDOM_EDIT_STEPS=12 longer sequences, KITH_RANDOM_EDITS_SHRINK=1 minimizes a
failing sequence (minutes).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import posixpath
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from unittest import mock

import jinja2
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from test_incremental import clean_build, tree, write

from generator.build import Builder, BuildResult, build
from generator.errors import KithError

EXAMPLES = int(os.environ.get("KITH_RANDOM_EDITS", "15"))
STEPS = int(os.environ.get("KITH_RANDOM_EDIT_STEPS", "8"))

CONFIG = """\
title: Random Edits
base_url: https://example.com/blog/
language: en
languages: [en, zh, fr]
paginate: 2
paginate_terms: 2
feeds: {limit: 3}
"""


@dataclass(frozen=True)
class Doc:
    """One Markdown source: its front matter and body (its path says date, slug, lang)."""

    title: str
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    summary: str = ""
    body: str = "Body text."
    draft: bool = False
    aliases: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    """Sources (relative to content/) the body links to, by relative path."""
    date: str = ""
    """Front matter date:, which wins over the file name's."""
    updated: str = ""
    order: int | None = None

    def text(self, rel: str) -> str:
        lines = [f"title: {self.title}"]
        for key in ("tags", "categories", "aliases"):
            if getattr(self, key):
                lines.append(f"{key}: [{', '.join(getattr(self, key))}]")
        lines += [f"{key}: {value}" for key, value in (
            ("summary", self.summary), ("date", self.date), ("updated", self.updated),
            ("order", self.order), ("draft", "true" if self.draft else "")) if value]
        links = "".join(f"\n\nSee [{posixpath.basename(t)}]"
                        f"({posixpath.relpath(t, posixpath.dirname(rel))})." for t in self.links)
        return "---\n" + "\n".join(lines) + f"\n---\n\n{self.body}{links}\n"


INITIAL: dict[str, Doc] = {
    "posts/2024-03-10-raft-intro.md": Doc("Raft Intro", ("raft", "go"), ("eng",),
                                          links=("posts/2025-01-05-consensus.md",)),
    "posts/2024-11-20-go-tips.md": Doc("Go Tips", ("go",), ("eng", "notes"),
                                       aliases=("/old/go-tips/",)),
    "posts/2025-01-05-consensus.md": Doc("Consensus", ("raft", "paxos"), ("eng",),
                                         body="## One\n\n## Two\n\n## Three"),
    "posts/2025-01-05-consensus-zh.md": Doc("共识", ("共识",), ("eng",), body="中文正文。"),
    "posts/2025-06-01-paxos.md": Doc("Paxos", ("paxos",), ("theory",),
                                     links=("posts/2024-03-10-raft-intro.md",)),
    "posts/2026-01-02-beta.md": Doc("Beta", ("raft",), ("eng",), summary="About beta"),
    "posts/2026-01-03-zhonly-zh.md": Doc("只有中文", ("共识", "raft"), ("notes",)),
    "posts/2026-02-14-rust.md": Doc("Rust", ("rust", "Go"), ("notes",),
                                    links=("tutorials/sql/02-join.md",)),
    "posts/2026-03-01-draft.md": Doc("Draft", ("raft",), ("eng",), draft=True),
    "tutorials/sql/01-select.md": Doc("Select", ("sql",)),
    "tutorials/sql/02-join.md": Doc("Join"),
    "tutorials/sql/03-index.md": Doc("Index"),
    "about.md": Doc("About", body="About me."),
}
STATICS: dict[str, bytes] = {"posts/img/d.png": b"\x89PNG fake"}

# Pools the edits draw from: dates before, between and on the posts' own (2023 is a
# new year; all in the past, so that no post comes due between two builds), slugs and
# titles that repeat existing ones (translations, clashes, equal titles), tags whose
# spellings differ ('Go' is 'go'; 'C#' and 'c-sharp' would share one page: an error, as
# are two posts on one URL and one alias for two pages; drawn rarely enough that most
# builds succeed).
DATES = ("2023-05-05", "2024-03-10", "2024-07-01", "2025-01-05", "2025-06-01", "2025-09-09",
         "2026-01-02", "2026-06-30")
TIMES = (*DATES, "2025-01-05 08:30", "2026-01-02 23:59", "2024-03-10T12:00:00+08:00")
"""Dates for front matter: also hours, which order posts of one day."""
SUFFIXES = ("", "-zh", "-fr")
"""Languages by file name: fr has no post at first (its home, feeds and menu come and go)."""
SLUGS = ("new", "omega", "zeta", "eta", "theta", "raft-intro", "beta", "paxos")
TITLES = ("Raft Intro", "Beta", "Omega", "Zeta", "Same Title", "共识", "贝塔")
TAGS = ("raft", "go", "Go", "paxos", "rust", "共识")
RARE_TAGS = ("", "", "", "C#", "", "", "", "c-sharp")
CATEGORIES = ("eng", "notes", "theory")
BODIES = ("Body text.", "A longer body.\n\n## One\n\n## Two\n\n### Three",
          "Intro.\n\n<!--more-->\n\nThe rest.", "An image: ![d](img/d.png)",
          "A root link to [tags](/tags/raft/) and [gone](/nowhere/).", "中文正文，更长一些。")
SUMMARIES = ("", "A short summary", "Another summary")
LINK_TARGETS = ("posts/2026-06-30-new.md", "posts/2023-05-05-omega.md",
                "posts/2025-06-01-paxos-zh.md", "tutorials/sql/04-part.md")
"""Link targets besides the sources that exist: files an edit may create."""


# -- the edits: each resolves its numbers against the site as it is, changes the model,
# and says what it did (None: nothing to do here, the edit is skipped) ----------------

Model = dict[str, Doc]


def _pick(names: list[str], i: int) -> str | None:
    return sorted(names)[i % len(names)] if names else None


def _posts(model: Model) -> list[str]:
    return [rel for rel in model if rel.startswith("posts/")]


def _subset(pool: tuple[str, ...], bits: int) -> tuple[str, ...]:
    return tuple(name for i, name in enumerate(pool) if bits >> i & 1)


def _split(rel: str) -> tuple[str, str, str]:
    """A post's (date, slug, language suffix: '', '-zh' or '-fr') from its file name."""
    stem = posixpath.basename(rel).removesuffix(".md")
    date, slug = stem[:10], stem[11:]
    lang = next((suffix for suffix in SUFFIXES if suffix and slug.endswith(suffix)), "")
    return date, slug.removesuffix(lang), lang


def _move(model: Model, old: str, new: str, fix_links: bool) -> None:
    model[new] = model.pop(old)
    if fix_links:  # as an editor's rename would: the posts that linked to it follow
        for rel, doc in model.items():
            if old in doc.links:
                model[rel] = replace(doc, links=tuple(new if t == old else t for t in doc.links))


def _shown(doc: Doc) -> str:
    """A Doc in a few words (what differs from Doc's defaults)."""
    changed = {f.name: getattr(doc, f.name) for f in fields(doc)
               if getattr(doc, f.name) != f.default}
    return ", ".join(f"{key}={value!r}" for key, value in changed.items())


def add_post(model: Model, date: int, slug: int, title: int, tags: int, cats: int,
             lang: int, draft: bool) -> str | None:
    suffix = SUFFIXES[lang % len(SUFFIXES)]
    rel = f"posts/{DATES[date % len(DATES)]}-{SLUGS[slug % len(SLUGS)]}{suffix}.md"
    if rel in model:
        return None
    model[rel] = Doc(TITLES[title % len(TITLES)], _tags(tags, rel),
                     _subset(CATEGORIES, cats), draft=draft)
    return f"add {rel} {_shown(model[rel])}"


def translate(model: Model, i: int, title: int, lang: int, date: int, same_date: bool
              ) -> str | None:
    """The same slug in another language: a translation (of a post, a tutorial part:
    a series in zh or fr, or about.md: the zh menu's About is its own, no longer the
    site language's)."""
    parts = [rel for rel in model if rel.startswith("tutorials/") and rel.count("-") == 1]
    source = _pick([*_posts(model), *parts, "about.md"], i)
    if source is None or source not in model:
        return None
    if source == "about.md":
        rel = "about-zh.md"
    elif source in parts:
        rel = source.replace(".md", f"{SUFFIXES[1 + lang % 2]}.md")
    else:
        old_date, slug, own = _split(source)
        others = [suffix for suffix in SUFFIXES if suffix != own]
        rel = (f"posts/{old_date if same_date else DATES[date % len(DATES)]}-{slug}"
               f"{others[lang % len(others)]}.md")
    if rel in model:
        return None
    doc = model[source]
    model[rel] = replace(doc, title=TITLES[title % len(TITLES)], aliases=(), links=())
    return f"translate {source} as {rel} titled {model[rel].title!r}"


def delete(model: Model, i: int) -> str | None:
    rel = _pick(list(model), i)
    if rel is None:
        return None
    del model[rel]
    return f"delete {rel}"


def rename(model: Model, i: int, slug: int, fix_links: bool) -> str | None:
    old = _pick(_posts(model), i)
    if old is None:
        return None
    date, _, lang = _split(old)
    new = f"posts/{date}-{SLUGS[slug % len(SLUGS)]}{lang}.md"
    if new in model:
        return None
    _move(model, old, new, fix_links)
    return f"rename {old} to {new}" + (" (and the links to it)" if fix_links else "")


def set_date(model: Model, i: int, date: int) -> str | None:
    """A date: in front matter (the source keeps its name; its URL stays, its place among
    the posts moves), or none again (the file name's)."""
    rel = _pick(_posts(model), i)
    if rel is None:
        return None
    new_date = TIMES[date % len(TIMES)]
    model[rel] = replace(model[rel], date="" if model[rel].date == new_date else new_date)
    return f"set date: {model[rel].date or '(none)'} in {rel}"


def redate(model: Model, i: int, date: int) -> str | None:
    """A new date in the file name (a new source, as a delete and an add)."""
    old = _pick(_posts(model), i)
    if old is None:
        return None
    new_date = DATES[date % len(DATES)]
    _, slug, lang = _split(old)
    new = f"posts/{new_date}-{slug}{lang}.md"
    if new in model:
        return None
    _move(model, old, new, fix_links=True)
    return f"rename {old} to {new} (a new date)"


def _tags(bits: int, rel: str) -> tuple[str, ...]:
    rare = RARE_TAGS[bits >> len(TAGS) & 7]
    return _subset(TAGS, bits) + ((rare,) if rare else ())


def _aliases(value: int, rel: str) -> tuple[str, ...]:
    """None, the page's own old URLs, or (rarely) one that another page may have too."""
    old = f"/old/{posixpath.basename(rel).removesuffix('.md')}/"
    return ((), (old,), (old, old.rstrip("/") + "-2/"), (), (old,), (), (), ("/old/x/",)
            )[value % 8]


def _change(field: str, values: Callable[[int, str], object]) -> Callable[..., str | None]:
    def change(model: Model, i: int, value: int) -> str | None:
        rel = _pick(list(model), i)
        if rel is None:
            return None
        model[rel] = replace(model[rel], **{field: values(value, rel)})
        return f"set {field} of {rel} to {getattr(model[rel], field)!r}"
    change.__name__ = f"set_{field}"
    return change


set_tags = _change("tags", _tags)
set_categories = _change("categories", lambda v, _: _subset(CATEGORIES, v))
set_title = _change("title", lambda v, _: TITLES[v % len(TITLES)])
set_summary = _change("summary", lambda v, _: SUMMARIES[v % len(SUMMARIES)])
set_body = _change("body", lambda v, _: BODIES[v % len(BODIES)])
set_aliases = _change("aliases", _aliases)
set_updated = _change("updated", lambda v, _: "" if v % 3 == 0 else DATES[v % len(DATES)])


def link(model: Model, i: int, target: int) -> str | None:
    rel = _pick(list(model), i)
    to = _pick(sorted(set(model) | set(LINK_TARGETS)), target)
    if rel is None or to is None or to in model[rel].links:
        return None
    model[rel] = replace(model[rel], links=(*model[rel].links, to))
    return f"link {rel} to {to}" + ("" if to in model else " (no such file yet)")


def unlink(model: Model, i: int) -> str | None:
    rel = _pick([r for r, doc in model.items() if doc.links], i)
    if rel is None:
        return None
    model[rel] = replace(model[rel], links=model[rel].links[:-1])
    return f"remove the last link of {rel}"


def toggle_draft(model: Model, i: int) -> str | None:
    rel = _pick(list(model), i)
    if rel is None:
        return None
    model[rel] = replace(model[rel], draft=not model[rel].draft)
    return f"{'unpublish' if model[rel].draft else 'publish'} {rel}"


def tutorial_part(model: Model, number: int, title: int, order: int) -> str | None:
    """Add a part (or the series' _index.md), or give one an order: that moves it."""
    names = ("01-select", "02-join", "03-index", "04-part", "_index")
    rel = f"tutorials/sql/{names[number % len(names)]}.md"
    if rel in model:
        value = None if order % 4 == 0 else order % 4
        model[rel] = replace(model[rel], order=value)
        return f"set order of {rel} to {value}"
    model[rel] = Doc(TITLES[title % len(TITLES)])
    return f"add {rel} titled {model[rel].title!r}"


def static(model: Model, statics: dict[str, bytes], which: int) -> str | None:
    if which % 3 == 0:
        rel = "posts/img/d.png"
        statics[rel] = b"\x89PNG fake" if statics[rel] != b"\x89PNG fake" else b"\x89PNG other"
        return f"change content/{rel}"
    rel = "posts/img/e.svg"
    if rel in statics:
        del statics[rel]
        return f"delete content/{rel}"
    statics[rel] = b"<svg/>"
    return f"add content/{rel}"


N = st.integers(min_value=0, max_value=511)
# Edits that change the structure while the source keeps its name (a date, tags, a
# draft) are drawn twice as often: for those, no new or deleted source says so.
EDITS = st.one_of(
    st.tuples(st.just(add_post), N, N, N, N, N, N, st.booleans()),
    st.tuples(st.just(translate), N, N, N, N, st.booleans()),
    st.tuples(st.just(delete), N),
    st.tuples(st.just(rename), N, N, st.booleans()),
    st.tuples(st.just(redate), N, N),
    st.tuples(st.just(set_date), N, N),
    st.tuples(st.just(set_date), N, N),
    st.tuples(st.just(set_tags), N, N),
    st.tuples(st.just(set_tags), N, N),
    st.tuples(st.just(toggle_draft), N),
    st.tuples(st.just(set_categories), N, N),
    st.tuples(st.just(set_title), N, N),
    st.tuples(st.just(set_summary), N, N),
    st.tuples(st.just(set_body), N, N),
    st.tuples(st.just(set_aliases), N, N),
    st.tuples(st.just(set_updated), N, N),
    st.tuples(st.just(link), N, N),
    st.tuples(st.just(unlink), N),
    st.tuples(st.just(toggle_draft), N),
    st.tuples(st.just(tutorial_part), N, N, N),
    st.tuples(st.just(static), N),
)


# -- running them ------------------------------------------------------------------

def _files(model: Model, statics: dict[str, bytes]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"site.yaml": CONFIG}
    files.update({f"content/{rel}": doc.text(rel) for rel, doc in model.items()})
    files.update({f"content/{rel}": data for rel, data in statics.items()})
    return files


def _sync(root: Path, before: dict[str, str | bytes], after: dict[str, str | bytes]
          ) -> list[Path]:
    """Write the files that changed, delete the ones gone (as an editor would); the
    paths a file watcher would report."""
    changed = []
    for rel in before.keys() - after.keys():
        (root / rel).unlink()
        changed.append(root / rel)
    for rel, data in after.items():
        if before.get(rel) != data:
            write(root, rel, data)
            changed.append(root / rel)
    return changed


_CLEAN: dict[str, tuple[dict[str, str] | None, list[str]]] = {}
"""Sources' digest -> the digests of the clean build's files (None: it failed) and its
warnings (or errors): shrinking and the examples repeat states, and a clean build is
most of a step."""


def _digests(files: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}


_COMPILED: dict[tuple[str, str | None, str | None, bool, bool], Any] = {}
_compile = jinja2.Environment.compile


def _compile_once(env: jinja2.Environment, source: Any, name: str | None = None,
                  filename: str | None = None, raw: bool = False, defer_init: bool = False
                  ) -> Any:
    """Jinja's compile, once per template text: a clean build has no bytecode cache and
    compiled the theme again each time (half its time). The code is what a bytecode
    cache would hold: Kith makes its Environment with the same options every time."""
    if not isinstance(source, str):
        return _compile(env, source, name, filename, raw, defer_init)
    key = (source, name, filename, raw, defer_init)
    if key not in _COMPILED:
        _COMPILED[key] = _compile(env, source, name, filename, raw, defer_init)
    return _COMPILED[key]


def _clean_build(root: Path, scratch: Path, warnings: list[str] | None = None
                 ) -> dict[str, bytes]:
    with mock.patch.object(jinja2.Environment, "compile", _compile_once):
        return clean_build(root, scratch, warnings)


def _clean(root: Path, scratch: Path, files: dict[str, str | bytes]
           ) -> tuple[dict[str, str] | None, list[str]]:
    key = hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()
    if key not in _CLEAN:
        warnings: list[str] = []
        try:
            _CLEAN[key] = (_digests(_clean_build(root, scratch, warnings)), warnings)
        except KithError as error:
            _CLEAN[key] = (None, sorted(str(p) for p in error.problems))
        if len(_CLEAN) > 2000:
            del _CLEAN[next(iter(_CLEAN))]
    return _CLEAN[key]


def _differences(got: dict[str, bytes], want: dict[str, bytes]) -> str:
    """The paths that differ, and the first lines that differ in the first of them."""
    changed = sorted(p for p in got.keys() & want.keys() if got[p] != want[p])
    lines = [f"  differ: {changed}" if changed else "",
             f"  missing: {sorted(want.keys() - got.keys())}" if want.keys() - got.keys() else "",
             f"  extra (stale): {sorted(got.keys() - want.keys())}"
             if got.keys() - want.keys() else ""]
    if changed:
        diff = difflib.unified_diff(
            want[changed[0]].decode(errors="replace").splitlines(),
            got[changed[0]].decode(errors="replace").splitlines(),
            f"clean/{changed[0]}", f"incremental/{changed[0]}", n=1, lineterm="")
        lines.append("\n".join(f"    {line}" for line in list(diff)[:30]))
    return "\n".join(line for line in lines if line)


_SNAPSHOTS: dict[str, tuple[Path, Path]] = {}


@pytest.fixture
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(work folder, its snapshot): the site built once per session (here, not in a
    module fixture: after tests/conftest.py pinned SOURCE_DATE_EPOCH, which the build
    state depends on), its .cache/ and _site/ kept. Each example starts from a copy in
    the same place (the build state names the output folder by its path), as if the
    last build had just ended."""
    if "site" not in _SNAPSHOTS:
        base = tmp_path_factory.mktemp("random-edits")
        work, saved = base / "site", base / "snapshot"
        _sync(work, {}, _files(INITIAL, STATICS))
        build(work)
        shutil.copytree(work, saved, symlinks=True)
        _SNAPSHOTS["site"] = work, saved
    return _SNAPSHOTS["site"]


def _restore(work: Path, saved: Path) -> None:
    shutil.rmtree(work)
    shutil.copytree(saved, work, symlinks=True)  # copy2: the outputs' mtimes are kept


STATS: Counter[str] = Counter()
"""Edits made, skipped (nothing to do) and builds that failed, over the session."""


def run_edits(edits: list[tuple], work: Path, saved: Path, scratch: Path,
              serve: bool = False) -> None:
    """``serve``: build as kith serve does, with one long-lived Builder (parse results
    kept in memory, content-only edits patched in place, outputs trusted) told which
    files changed; else as kith build does, a new Builder each time."""
    _restore(work, saved)
    builder = Builder(work, keep_memo=True, trust_outputs=True) if serve else None

    def incremental(hints: list[Path] | None) -> BuildResult:
        if builder is None:
            return build(work)
        result = builder.build(persist=False, hints=hints)
        builder.persist()
        return result

    first = incremental(None)  # copies the image again (a new inode), renders nothing
    assert (first.removed, first.rendered) == (0, 0), first
    model, statics = dict(INITIAL), dict(STATICS)
    files = _files(model, statics)
    done: list[str] = []
    for change, *args in edits:
        what = change(model, statics, *args) if change is static else change(model, *args)
        if what is None:
            STATS["skipped"] += 1
            continue
        STATS["edits"] += 1
        done.append(what)
        after = _files(model, statics)
        hints = _sync(work, files, after)
        files = after
        steps = "\n".join(f"  {i}. {line}" for i, line in enumerate(done, 1))
        expected, expected_problems = _clean(work, scratch, files)
        before = tree(work / "_site")
        try:
            result = incremental(hints)
        except KithError as error:
            STATS["failed builds"] += 1
            assert expected is None, f"the incremental build failed, the clean one did " \
                f"not, after:\n{steps}\n{error}"
            assert sorted(str(p) for p in error.problems) == expected_problems, steps
            left = tree(work / "_site")
            if left != before:
                pytest.fail(f"a failed build changed _site, after:\n{steps}\n"
                            f"{_differences(left, before)}")
            continue
        assert expected is not None, f"the clean build failed, the incremental one did " \
            f"not, after:\n{steps}\n" + "\n".join(expected_problems)
        got = tree(work / "_site")
        if _digests(got) != expected:  # not an assert: pytest would print both trees
            want = _clean_build(work, scratch)
            pytest.fail(f"incremental != clean after:\n{steps}\n{_differences(got, want)}")
        assert sorted(str(p) for p in result.warnings) == expected_problems, \
            f"other warnings than the clean build's after:\n{steps}"
        again = builder.build() if builder is not None else build(work)
        assert (again.written, again.removed, again.rendered) == (0, 0, 0), \
            f"the build after rendered again ({again}) after:\n{steps}"


# No shrinking unless asked (KITH_RANDOM_EDITS_SHRINK=1): each attempt builds the site
# again after every edit, and Hypothesis shrank for its limit of 5 minutes. The failure
# names the edits and the files that differ, and derandomize draws the same sequences
# on every run, so it reproduces.
PHASES = [Phase.explicit, Phase.generate] + (
    [Phase.shrink] if os.environ.get("KITH_RANDOM_EDITS_SHRINK") else [])
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    phases=PHASES,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@SETTINGS
@given(edits=st.lists(EDITS, min_size=1, max_size=STEPS), serve=st.booleans())
# A post between two others (neighbours, list pages, feeds), a post renamed (the links
# to it break), a post moved to a new year (footer years, archive), a date: with an hour.
@example(edits=[(add_post, 4, 3, 2, 0b11, 1, 0, False), (rename, 0, 1, False),
                (redate, 1, 0), (set_date, 4, 8)], serve=False)
# Translations appear (hreflang, the language switcher; about-zh.md: the zh menu's
# About), a part moves to the front of its series, the zh About goes again.
@example(edits=[(translate, 5, 6, 0, 0, True), (translate, 0, 1, 0, 0, True),
                (tutorial_part, 2, 0, 1), (delete, 0)], serve=True)
# No source new or gone: a title (its neighbours' links, lists, feeds, related posts),
# a tag dropped (a term page and feed lose a post, no list page comes or goes), a date:
# (the zh posts reorder), the About page unpublished (every page's menu); as kith
# build does it and as kith serve does.
@example(edits=[(set_title, 1, 1), (set_tags, 4, 1), (set_date, 6, 0), (toggle_draft, 0)],
         serve=False)
@example(edits=[(set_title, 1, 1), (set_tags, 4, 1), (set_date, 6, 0), (toggle_draft, 0)],
         serve=True)
# Two posts on one URL (an error), another edit while it fails, the clash renamed away.
@example(edits=[(add_post, 0, 6, 0, 1, 1, 0, False), (set_title, 3, 4),
                (rename, 0, 1, False)], serve=False)
def test_random_edits_match_clean_builds(edits: list[tuple], serve: bool,
                                         snapshot: tuple[Path, Path], tmp_path: Path) -> None:
    run_edits(edits, *snapshot, tmp_path, serve)
