"""Permanent feed entry IDs: minted once, kept in the committed ``feed-ids.yaml``.

An entry's ID is the page's ``id:`` front matter, else the ID recorded in the
ledger, else a ``tag:`` URI minted from the host in site.yaml, the first-publish
date and the page's original path: never the current URL, so a slug, permalink or
domain change does not show old posts as new (docs/publishing.md).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

import yaml

from .channels import is_entry
from .config import SiteConfig, load_config
from .errors import KithError, Problem
from .files import atomic_write
from .model import Page, Site

FEED_IDS_FILE = "feed-ids.yaml"
LEDGER_HEADER = (
    "# Permanent feed entry IDs, one line per source file, appended by `kith build`.\n"
    "# Commit this file. Never edit or reorder existing lines: an ID that changes makes\n"
    "# feed readers show the post as new. To pin an ID by hand, use `id:` in front matter.\n"
)



_TAG_DATE = re.compile(r"^tag:[^,]+,(\d{4}-\d{2}-\d{2}):")
_LANG_SUFFIX = re.compile(r"-([A-Za-z]{2,4}(?:-[A-Za-z]{2,4})?)$")


def mint_id(config: SiteConfig, page: Page, declared_base_url: str | None = None) -> str:
    """A tag: URI (RFC 4151) from host, first-publish date and the page's path.

    The host and path prefix come from site.yaml's base_url, not from --base-url,
    so a preview or CI build with another base URL mints the same IDs.
    """
    assert page.date is not None
    base = urlsplit(declared_base_url or config.base_url)
    host = (base.hostname or "localhost").lower()
    day = page.date.astimezone(config.tz).date().isoformat()
    parts = [base.path.strip("/"), "" if page.lang == config.language else page.lang, page.path]
    specific = quote("/".join(p for p in parts if p), safe="/-._~!$&'()*+,;=:@")
    return f"tag:{host},{day}:{specific}"


def declared_base_url(config: SiteConfig) -> str:
    """base_url as written in site.yaml (the build may run with --base-url)."""
    try:
        return load_config(config.root).base_url
    except (KithError, OSError):
        return config.base_url


# A line '"source": "id"' whose strings need no escapes and hold only characters YAML
# takes literally in a double-quoted scalar (no line breaks, BOM or non-printables), so
# it reads the same as yaml.safe_load reads it. Written as what is refused: the class
# of what is taken (\x20\x21\x23-\x5b\x5d-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe
# \uff00-\ufffd\U00010000-\U0010ffff) took re 8 ms to compile on every build.
_LEDGER_CHAR = r'[^\x00-\x1f"\\\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]'
_LEDGER_LINE = re.compile(f'"({_LEDGER_CHAR}*)": "({_LEDGER_CHAR}*)"')


def load_ledger(root: Path) -> dict[str, str]:
    """source -> ID from feed-ids.yaml; the first line for a source wins."""
    path = root / FEED_IDS_FILE
    if not path.is_file():
        return {}
    ledger: dict[str, str] = {}
    for number, line in enumerate(path.read_text("utf-8-sig").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        plain = _LEDGER_LINE.fullmatch(line)
        if plain:  # the lines update_id_ledger writes: skip the YAML parser (40x slower)
            ledger.setdefault(plain[1], plain[2])
            continue
        try:
            item = yaml.safe_load(line)
        except yaml.YAMLError:
            item = None
        if (not isinstance(item, dict) or len(item) != 1
                or not all(isinstance(v, str) for v in (*item, *item.values()))):
            raise KithError([Problem(FEED_IDS_FILE, number, "expected a line like "
                                     '"content/posts/x.md": "tag:example.com,2026-01-31:posts/x"',
                                     "restore the line from version control")])
        for source, entry_id in item.items():
            ledger.setdefault(source, entry_id)
    return ledger


_ids_cache: list[tuple[Site, tuple[int, ...] | None, dict[str, str]]] = []


def entry_ids(site: Site, ledger: Mapping[str, str] | None = None) -> dict[str, str]:
    """source -> permanent ID for every feed entry (front matter, ledger, rename, mint).

    Without ``ledger``, feed-ids.yaml is read, and the answer is kept for this site
    while the file is unchanged: a build asks for it more than once (the ID check,
    the feeds, the ledger update).
    """
    if ledger is not None:
        return _entry_ids(site, ledger)
    path = site.config.root / FEED_IDS_FILE
    try:
        st = path.stat()
        stamp: tuple[int, ...] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        stamp = None
    if _ids_cache and _ids_cache[0][0] is site and _ids_cache[0][1] == stamp:
        return dict(_ids_cache[0][2])
    ids = _entry_ids(site, load_ledger(site.config.root))
    _ids_cache[:] = [(site, stamp, ids)]
    return dict(ids)


def _entry_ids(site: Site, ledger: Mapping[str, str]) -> dict[str, str]:
    config = site.config
    base_url = declared_base_url(config)
    entries = [p for p in site.pages if is_entry(p)]
    ids: dict[str, str] = {}
    unrecorded: list[Page] = []
    for page in entries:
        own = page.extra.get("id")
        if isinstance(own, str) and own.strip():
            ids[page.source] = own.strip()
        elif page.source in ledger:
            ids[page.source] = ledger[page.source]
        else:
            unrecorded.append(page)
    renamed = _renames(site, ledger, unrecorded)
    for page in unrecorded:
        ids[page.source] = renamed.get(page.source) or mint_id(config, page, base_url)
    return ids


def _renames(site: Site, ledger: Mapping[str, str], pages: list[Page]) -> dict[str, str]:
    """A recorded file that is gone and a new one in the same folder, with the same date
    and language suffix, are one post renamed: the new file keeps the old ID."""
    if not pages:
        return {}
    config = site.config
    live = {p.source for p in site.pages}

    def signature(source: str, day: str) -> tuple[str, str, str]:
        stem = posixpath.splitext(posixpath.basename(source))[0]
        suffix = _LANG_SUFFIX.search(stem)
        lang = suffix.group(1) if suffix and suffix.group(1) in config.language_codes else ""
        return posixpath.dirname(source), day, lang

    missing = {source for source in ledger
               if source not in live and not (config.root / source).exists()}
    # A gone line whose ID a file still there carries (its own line: an earlier rename;
    # a post left out as a draft again) names that file's post: taken again, two entries
    # would share one ID.
    carried = {entry_id for source, entry_id in ledger.items() if source not in missing}
    gone: dict[tuple[str, str, str], list[str]] = {}
    for source, entry_id in ledger.items():
        match = _TAG_DATE.match(entry_id)
        if match and source in missing and entry_id not in carried:
            gone.setdefault(signature(source, match.group(1)), []).append(entry_id)
    new: dict[tuple[str, str, str], list[Page]] = {}
    for page in pages:
        assert page.date is not None
        day = page.date.astimezone(config.tz).date().isoformat()
        new.setdefault(signature(page.source, day), []).append(page)
    result = {}
    for key, candidates in new.items():
        old = gone.get(key, [])
        if len(candidates) == 1 and len(set(old)) == 1:  # ambiguous pairs get fresh IDs
            result[candidates[0].source] = old[0]
    return result


def update_id_ledger(site: Site) -> list[str]:
    """Append the IDs of entries not yet in feed-ids.yaml; return the lines added.

    Call after a successful build without --drafts/--future, so a draft's ID is
    minted from the date it is really published on. Existing lines are never
    rewritten; new lines are sorted by source, so the file is deterministic.
    """
    root = site.config.root
    ledger = load_ledger(root)
    ids = entry_ids(site)
    # JSON strings are valid YAML and survive any character in a path.
    own = {p.source for p in site.pages if _has_own_id(p)}
    lines = [f"{_json_str(source)}: {_json_str(ids[source])}" for source in sorted(ids)
             if source not in ledger and source not in own]
    if lines:
        path = root / FEED_IDS_FILE
        existing = path.read_text("utf-8") if path.is_file() else LEDGER_HEADER
        if existing and not existing.endswith("\n"):
            existing += "\n"
        # Aside, flushed, renamed: a full disk or a kill never leaves it truncated.
        atomic_write(path, (existing + "\n".join(lines) + "\n").encode("utf-8"))
    return lines


def _json_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _has_own_id(page: Page) -> bool:
    own = page.extra.get("id")
    return isinstance(own, str) and bool(own.strip())


def check_feed_ids(site: Site) -> list[Problem]:
    """Two entries sharing an ID (a copied `id:` line) look like one post to readers."""
    seen: dict[str, str] = {}
    problems = []
    for source, entry_id in sorted(entry_ids(site).items()):
        if entry_id in seen:
            page = next(p for p in site.pages if p.source == source)
            first = next(p for p in site.pages if p.source == seen[entry_id])
            hint = ("remove the copied 'id:' line; Kith mints one"
                    if _has_own_id(page) or _has_own_id(first) else
                    "two posts of one day with one path: rename one of the files, or give "
                    "it an 'id:' of its own")
            problems.append(Problem(source, page.lines.get("id", 0),
                                    f"feed entry ID '{entry_id}' is also used by {seen[entry_id]}",
                                    hint))
        else:
            seen[entry_id] = source
    return problems
