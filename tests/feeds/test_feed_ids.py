"""Entry IDs are permanent: slug, permalink scheme, domain and file-name changes keep them."""

from __future__ import annotations

import json
from types import SimpleNamespace

from generator.build import assemble
from generator.cli import main
from generator.feed_ids import FEED_IDS_FILE, check_feed_ids, entry_ids, load_ledger

from .conftest import SITE_YAML


def ids_by_title(built) -> dict[str, str]:
    items = json.loads(built.read("feed.json"))["items"]
    items += json.loads(built.read("zh/feed.json"))["items"]
    return {item["title"]: item["id"] for item in items}


def test_minted_ids_are_tag_uris_from_host_date_and_path(built) -> None:
    ids = ids_by_title(built)
    assert ids["First post"] == "tag:example.com,2026-01-10:posts/first-post"
    assert ids["第二篇"] == "tag:example.com,2026-02-01:zh/posts/second-post"
    assert ids["Widgets, part one"] == "tag:example.com,2026-01-20:tutorials/widgets/start"


def test_ids_survive_slug_permalink_domain_and_rename(make_site, helpers: SimpleNamespace
                                                      ) -> None:
    root = make_site()
    before = ids_by_title(helpers.build_site(root))
    added = helpers.record_ids(root)
    assert len(added) == 6
    ledger_text = (root / FEED_IDS_FILE).read_text()
    assert set(load_ledger(root).values()) == set(before.values())

    # New slug, new permalink scheme, new domain with a path, and a renamed file.
    first = root / "content/posts/2026-01-10-first-post.md"
    first.write_text(first.read_text().replace("title: First post",
                                               "title: First post\nslug: hello-world"))
    second = root / "content/posts/2026-02-01-second-post.md"
    second.rename(root / "content/posts/2026-02-01-a-better-name.md")
    (root / "site.yaml").write_text(
        SITE_YAML.replace("https://example.com/", "https://blog.example.org/writing/")
        + "permalinks: {posts: '/:year/:month/:slug/', tutorials: '/learn/:series/:slug/'}\n")
    after_build = helpers.build_site(root)
    after = ids_by_title(after_build)
    assert after == before
    assert json.loads(after_build.read("feed.json"))["items"][-1]["url"].startswith(
        "https://blog.example.org/writing/20")  # the URLs did change

    # The rename is recorded by appending; existing lines are never rewritten.
    appended = helpers.record_ids(root)
    assert appended == ['"content/posts/2026-02-01-a-better-name.md": '
                        '"tag:example.com,2026-02-01:posts/second-post"']
    assert (root / FEED_IDS_FILE).read_text().startswith(ledger_text)
    assert helpers.record_ids(root) == []  # idempotent
    assert ids_by_title(helpers.build_site(root)) == before


def test_front_matter_id_wins_and_is_not_recorded(make_site, helpers: SimpleNamespace) -> None:
    pinned = "---\ntitle: Pinned\nid: urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427\n---\nx\n"
    root = make_site(extra={"content/posts/2026-04-01-pinned.md": pinned})
    ids = ids_by_title(helpers.build_site(root))
    assert ids["Pinned"] == "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    assert not any("pinned" in line for line in helpers.record_ids(root))
    rss = helpers.build_site(root).text("feed.xml")
    assert '<guid isPermaLink="false">urn:uuid:1b4e28ba' in rss


def test_ids_come_from_site_yaml_not_a_preview_base_url(make_site,
                                                        helpers: SimpleNamespace) -> None:
    root = make_site()
    built = helpers.build_site(root, base_url="http://localhost:8000/")
    ids = ids_by_title(built)
    assert ids["First post"] == "tag:example.com,2026-01-10:posts/first-post"
    assert json.loads(built.read("feed.json"))["feed_url"] == "http://localhost:8000/feed.json"


def test_ledger_is_deterministic_and_readable(make_site, helpers: SimpleNamespace) -> None:
    one, two = make_site(), make_site()
    helpers.record_ids(one)
    helpers.record_ids(two)
    text = (one / FEED_IDS_FILE).read_text()
    assert text == (two / FEED_IDS_FILE).read_text()
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == sorted(lines)
    assert load_ledger(one)["content/posts/2026-02-01-second-post-zh.md"] == \
        "tag:example.com,2026-02-01:zh/posts/second-post"


def test_ledger_entry_beats_minting(make_site, helpers: SimpleNamespace) -> None:
    root = make_site()
    (root / FEED_IDS_FILE).write_text('"content/posts/2026-01-10-first-post.md": '
                                      '"tag:old.example.net,2019-05-01:blog/first"\n')
    assert ids_by_title(helpers.build_site(root))["First post"] == \
        "tag:old.example.net,2019-05-01:blog/first"


def test_broken_ledger_line_is_reported(make_site, helpers: SimpleNamespace) -> None:
    from generator.cli import main

    root = make_site()
    (root / FEED_IDS_FILE).write_text("# header\n- not: [a, mapping]\n")
    assert main(["-C", str(root), "build"]) == 1


def test_duplicate_front_matter_ids_are_reported(make_site) -> None:
    copied = "---\ntitle: {}\nid: tag:example.com,2026-01-01:same\n---\nx\n"
    root = make_site(extra={"content/posts/2026-04-01-a.md": copied.format("A"),
                            "content/posts/2026-04-02-b.md": copied.format("B")})
    site = assemble(root).site
    problems = check_feed_ids(site)
    assert [p.path for p in problems] == ["content/posts/2026-04-02-b.md"]
    assert "content/posts/2026-04-01-a.md" in problems[0].message
    assert problems[0].line == 3
    assert problems[0].hint == "remove the copied 'id:' line; Kith mints one"


def test_two_files_that_the_ledger_gives_one_id_are_not_told_of_an_id_line(make_site) -> None:
    post = "---\ntitle: {}\n---\nx\n"
    root = make_site(files={"content/posts/2026-05-01-a.md": post.format("A"),
                            "content/posts/2026-05-01-b.md": post.format("B")})
    (root / FEED_IDS_FILE).write_text(
        '"content/posts/2026-05-01-a.md": "tag:example.com,2026-05-01:posts/a"\n'
        '"content/posts/2026-05-01-b.md": "tag:example.com,2026-05-01:posts/a"\n')
    problems = check_feed_ids(assemble(root).site)
    assert [(p.path, p.message, p.hint) for p in problems] == [(
        "content/posts/2026-05-01-b.md",
        "feed entry ID 'tag:example.com,2026-05-01:posts/a' is also used by "
        "content/posts/2026-05-01-a.md",
        "two posts of one day with one path: rename one of the files, or give it an 'id:' "
        "of its own")]


def test_two_renames_on_one_day_in_one_folder_are_not_guessed(
        make_site, helpers: SimpleNamespace) -> None:
    post = "---\ntitle: {}\n---\nx\n"
    root = make_site(files={"content/posts/2026-05-01-a.md": post.format("A"),
                            "content/posts/2026-05-01-b.md": post.format("B"),
                            "content/posts/2026-05-02-c.md": post.format("C")})
    helpers.record_ids(root)
    for name in ("a", "b"):
        (root / f"content/posts/2026-05-01-{name}.md").rename(
            root / f"content/posts/2026-05-01-{name}2.md")
    (root / "content/posts/2026-05-02-c.md").rename(root / "content/posts/2026-05-02-c2.md")
    ids = entry_ids(assemble(root).site)
    assert ids["content/posts/2026-05-01-a2.md"] == "tag:example.com,2026-05-01:posts/a2"
    assert ids["content/posts/2026-05-02-c2.md"] == "tag:example.com,2026-05-02:posts/c"


def test_a_post_written_the_day_of_a_rename_gets_its_own_id(make_site, capsys) -> None:
    """The writer renames today's post, builds (the new name keeps the old ID, recorded
    on a line of its own), then publishes another post of the same day in the same
    folder: the old name's line, still 'gone', was taken for a second rename and the
    build failed on two entries with one ID, hinting at an 'id:' line nobody wrote."""
    post = "---\ntitle: {}\n---\nx\n"
    root = make_site(files={"content/posts/2026-05-01-raft-log.md": post.format("Raft")})
    assert main(["-C", str(root), "build"]) == 0
    (root / "content/posts/2026-05-01-raft-log.md").rename(
        root / "content/posts/2026-05-01-raft-snapshots.md")
    assert main(["-C", str(root), "build"]) == 0
    (root / "content/posts/2026-05-01-myopia.md").write_text(post.format("Myopia"))
    capsys.readouterr()
    assert main(["-C", str(root), "build"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "recorded 1 new feed entry ID in feed-ids.yaml; commit it")
    assert load_ledger(root)["content/posts/2026-05-01-myopia.md"] == \
        "tag:example.com,2026-05-01:posts/myopia"
    assert load_ledger(root)["content/posts/2026-05-01-raft-snapshots.md"] == \
        "tag:example.com,2026-05-01:posts/raft-log"


def test_a_renamed_post_left_out_again_keeps_its_id_from_a_new_post_of_its_day(
        make_site) -> None:
    """A renamed post turned back into a draft is still on disk: the ID its line carries
    (the old name's, whose line is gone) is not free for a new post of that day."""
    post = "---\ntitle: {}\n---\nx\n"
    root = make_site(files={"content/posts/2026-05-01-raft-log.md": post.format("Raft")})
    assert main(["-C", str(root), "build"]) == 0
    renamed = root / "content/posts/2026-05-01-raft-snapshots.md"
    (root / "content/posts/2026-05-01-raft-log.md").rename(renamed)
    assert main(["-C", str(root), "build"]) == 0
    renamed.write_text("---\ntitle: Raft\ndraft: true\n---\nx\n")
    (root / "content/posts/2026-05-01-myopia.md").write_text(post.format("Myopia"))
    assert main(["-C", str(root), "build"]) == 0
    assert load_ledger(root)["content/posts/2026-05-01-myopia.md"] == \
        "tag:example.com,2026-05-01:posts/myopia"
