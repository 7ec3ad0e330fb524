"""The build: the only module that knows the order of the stages."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .config import SiteConfig, load_config
from .content import load_pages
from .dates import build_time
from .errors import KithError, Problem
from .feeds import render_feeds
from .layouts import render_site
from .markdown import render_markdown
from .model import OutputFile, Page, Site
from .site import Listing, assemble_site
from .writer import check_output_dir, manifest_path, write_outputs

OUTPUT_DIR = "_site"


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str
    """'draft' or 'future'."""
    hint: str


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    files: int
    written: int
    unchanged: int
    removed: int
    skipped: tuple[Skipped, ...]
    warnings: tuple[Problem, ...]
    seconds: float


@dataclass(frozen=True)
class Assembled:
    """A site ready to render: what both the public build and outreach start from."""

    config: SiteConfig
    site: Site
    listings: tuple[Listing, ...]
    skipped: tuple[Skipped, ...]
    problems: tuple[Problem, ...]


def build(root: Path, *, output: Path | None = None, drafts: bool = False, future: bool = False,
          base_url: str | None = None) -> BuildResult:
    """Build the site in ``root`` into ``output`` (default ``root/_site``)."""
    started = time.perf_counter()
    output = output if output is not None else root / OUTPUT_DIR
    check_output_dir(root, output)
    assembled = assemble(root, drafts=drafts, future=future, base_url=base_url)
    outputs, problems = render_site(assembled.site, assembled.listings)
    outputs += render_feeds(assembled.site)
    problems = [*assembled.problems, *problems]
    problems += _collisions(outputs, problems)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise KithError(problems)
    result = write_outputs(outputs, output, manifest_path(root, output))
    return BuildResult(
        output=output, pages=len(assembled.site.pages), files=len(outputs),
        written=result.written, unchanged=result.unchanged, removed=result.removed,
        skipped=assembled.skipped, warnings=tuple(sorted(problems)),
        seconds=time.perf_counter() - started)


def assemble(root: Path, *, drafts: bool = False, future: bool = False,
             base_url: str | None = None) -> Assembled:
    """Load, select, render Markdown and assemble; problems are collected, not raised."""
    config = load_config(root, base_url)
    content = load_pages(config)
    published, skipped = select_pages(content.pages, drafts=drafts, future=future)
    rendered = [render_page(page) for page in published]
    site, listings, problems = assemble_site(config, rendered, content.statics)
    return Assembled(config, site, listings, skipped, (*content.problems, *problems))


def load_site(root: Path, *, drafts: bool = False, future: bool = False,
              base_url: str | None = None) -> Site:
    """The assembled site, for readers such as outreach; raises KithError on errors."""
    assembled = assemble(root, drafts=drafts, future=future, base_url=base_url)
    errors = [p for p in assembled.problems if not p.warning]
    if errors:
        raise KithError(errors)
    return assembled.site


def select_pages(pages: Iterable[Page], *, drafts: bool, future: bool
                 ) -> tuple[list[Page], tuple[Skipped, ...]]:
    """Leave out drafts and future-dated pages unless asked for."""
    now = build_time()
    kept, skipped = [], []
    for page in pages:
        if page.draft and not drafts:
            skipped.append(Skipped(page.source, "draft", "--drafts includes it"))
        elif page.date is not None and page.date > now and not future:
            skipped.append(Skipped(page.source, f"future-dated {page.date.date().isoformat()}",
                                   "--future includes it"))
        else:
            kept.append(page)
    return kept, tuple(skipped)


def render_page(page: Page) -> Page:
    rendered = render_markdown(page.body, page.body_line)
    return replace(page, html=rendered.html, toc=rendered.toc, summary_html=rendered.summary_html,
                   text=rendered.text, words=rendered.words,
                   reading_minutes=rendered.reading_minutes)


def _collisions(outputs: list[OutputFile], known: list[Problem]) -> list[Problem]:
    """Theme assets, feeds and content files that land on one path (pages are checked earlier)."""
    seen: dict[str, str] = {}
    problems = []
    reported = " ".join(p.message for p in known)
    for item in outputs:
        if item.path in seen and f"'{item.path}'" not in reported:
            problems.append(Problem(item.origin, 0, f"'{item.path}' would be written by both "
                                    f"{seen[item.path]} and {item.origin}",
                                    "rename or move one of them"))
        else:
            seen[item.path] = item.origin
    return problems
