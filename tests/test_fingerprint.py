"""What drops the caches: Kith's code, Python, and the libraries that shape cached output."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata

import pytest
from kithpaths import REPO

from generator import cache, feed_ids, yamlio


def test_library_versions_are_what_importlib_metadata_says() -> None:
    names = sorted({d.metadata["Name"] for d in metadata.distributions()})
    names += ["no-such-distribution", "Jinja2", "PyYAML", "markdown_it.py"]  # other spellings
    expected = {}
    for name in names:
        try:
            expected[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            expected[name] = "-"
    assert cache.library_versions(names) == expected


def test_an_egg_found_first_is_left_to_importlib_metadata(tmp_path, monkeypatch) -> None:
    (tmp_path / "jinja2-0.1-py3.11.egg-info").mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    monkeypatch.setattr(metadata, "version", lambda name: f"metadata's {name}")
    assert cache.library_versions(["jinja2", "pygments"]) == {
        "jinja2": "metadata's jinja2", "pygments": metadata.distribution("pygments").version}


@pytest.mark.parametrize("library", cache._LIBRARIES)
def test_a_new_version_of_each_library_drops_the_caches(library: str, monkeypatch) -> None:
    before = cache.fingerprint()
    real = cache.library_versions
    monkeypatch.setattr(cache, "_FINGERPRINT", None)
    monkeypatch.setattr(cache, "library_versions", lambda names: {
        **real(names), library: "99.0"})
    assert cache.fingerprint() != before


# Libraries that put their version in their own cache's key instead (images.py,
# search.py), and ones no cached or rendered output depends on.
OWN_KEYS = {"pillow", "pagefind"}
NOT_OUTPUT = {"watchdog"}  # kith serve's file watcher


def test_every_library_the_public_build_imports_is_fingerprinted() -> None:
    """math-core (formulas -> MathML, kept in content.sqlite) was once missing: after an
    upgrade, incremental builds kept the old MathML that a clean build no longer wrote."""
    owners = metadata.packages_distributions()
    imported = set()
    for path in (REPO / "generator").glob("*.py"):  # not outreach/ nor importer/
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    distributions = {cache._distribution_key(owners[name][0]) for name in imported
                     if name not in sys.stdlib_module_names and name in owners}
    fingerprinted = {cache._distribution_key(n) for n in cache._LIBRARIES}
    assert distributions - fingerprinted - OWN_KEYS - NOT_OUTPUT == set()
    assert {cache._distribution_key(n) for n in ("math-core", "jinja2", "pygments")} \
        <= distributions  # the scan sees the imports


def _same_characters(a: re.Pattern[str], b: re.Pattern[str]) -> bool:
    everything = "".join(map(chr, range(0x110000)))
    return a.sub("", everything) == b.sub("", everything)


def test_the_ledger_takes_the_characters_yaml_reads_literally() -> None:
    # The class as first written (what YAML takes in a double-quoted scalar, unescaped).
    taken = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe"
                       r"\uff00-\ufffd\U00010000-\U0010ffff]")
    assert _same_characters(re.compile(feed_ids._LEDGER_CHAR), taken)


def test_flat_yaml_refuses_the_characters_its_reader_does_not_take() -> None:
    refused = re.compile("[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                         "\U00010000-\U0010ffff]")
    assert _same_characters(yamlio._FLAT_ODD, refused)
