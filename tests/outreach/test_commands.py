"""`kith share` and `kith due` as a user (and other tools) see them."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest


def share_json(kith, root: Path, *args: str) -> dict:  # type: ignore[no-untyped-def]
    code, out, err = kith("share", *args, "--today", "2026-11-25", "--json", root=root)
    assert (code, err) == (0, "")
    return json.loads(out)


def test_json_shape_is_exactly_as_documented(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    data = share_json(kith, site_root, "--all")
    assert list(data) == ["today", "posts"]
    assert data["today"] == "2026-11-25"
    assert [p["key"] for p in data["posts"]] == ["sourdough", "tech-group", "fund-notes",
                                                 "raft-notes", "k8s-bill"]
    k8s = data["posts"][-1]
    assert list(k8s) == ["key", "source", "title", "url", "suggestions"]
    assert k8s["source"] == "content/posts/2026-03-01-k8s-bill.md"
    assert k8s["title"] == "What Our k8s Bill Taught Us"
    assert k8s["url"] == "https://example.org/blog/posts/k8s-bill/"
    for post in data["posts"]:
        scores = [s["score"] for s in post["suggestions"]]
        assert scores == sorted(scores, reverse=True)
        for s in post["suggestions"]:
            assert list(s) == ["contact", "name", "score", "channel", "link", "reasons",
                               "draft", "subject", "lang"]
            assert (s["subject"] is None) == (s["channel"] != "email")
            assert isinstance(s["score"], float) and 0 < s["score"] <= 1
            assert s["link"].startswith("https://example.org/blog/")
            assert all(isinstance(r, str) and r for r in s["reasons"])
    alice = k8s["suggestions"][0]
    assert (alice["contact"], alice["name"], alice["channel"]) == ("alice-chen", "Alice Chen",
                                                                   "wechat")


def test_share_picks_posts_by_key_path_or_url(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    for ref in ("raft-notes", "content/posts/2026-05-10-raft-notes.md",
                "https://example.org/blog/posts/raft-notes/", "/posts/raft-notes/",
                "posts/raft-notes"):
        data = share_json(kith, site_root, ref)
        assert [p["key"] for p in data["posts"]] == ["raft-notes"], ref
    data = share_json(kith, site_root, "raft-notes", "k8s-bill", "raft-notes", "--limit", "1")
    assert [p["key"] for p in data["posts"]] == ["raft-notes", "k8s-bill"]
    assert all(len(p["suggestions"]) <= 1 for p in data["posts"])


def test_share_by_default_shows_posts_with_someone_left_to_tell(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    data = share_json(kith, site_root)
    # sourdough has nobody who clears the bar; k8s-bill was shared once, but Alice, who
    # fits it best, never got it: one share does not hide a post.
    assert [p["key"] for p in data["posts"]] == ["tech-group", "raft-notes", "k8s-bill"]
    assert all(p["suggestions"] for p in data["posts"])


def test_unknown_post(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = kith("share", "raft-note", root=site_root)
    assert code == 1 and out == ""
    assert err == "no post 'raft-note'\n  hint: did you mean 'raft-notes'?\n"


def test_a_post_given_as_a_url_python_cannot_split(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    """'http://[::1/x' made urlsplit raise ValueError: an internal error (exit 70)."""
    code, out, err = kith("share", "http://[::1/x", root=site_root)
    assert (code, out) == (1, "") and err.startswith("no post 'http://[::1/x'\n")


def test_share_text(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = kith("share", "k8s-bill", "--today", "2026-11-25", root=site_root)
    assert code == 0
    assert out.startswith("k8s-bill: “What Our k8s Bill Taught Us” (2026-03-01, en/zh)\n"
                          "  https://example.org/blog/posts/k8s-bill/\n"
                          "  1. Alice Chen (alice-chen)  score ")
    assert "via wechat: alice_fixture" in out
    assert "kith log share alice-chen --post k8s-bill --channel wechat" in out
    assert "爱丽你好，" in out  # her greeting, in her language, in the linked version's


def test_due_lists_overdue_people_with_their_best_post(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = kith("due", "--today", "2026-11-25", "--json", root=site_root)
    assert (code, err) == (0, "")
    due = {d["contact"]: d for d in json.loads(out)["due"]}
    assert due["gus-due"]["post"] is None  # overdue, but nothing is worth sending
    assert due["alice-chen"]["post"] == "k8s-bill"
    assert "bob-li" not in due  # touched in 2026-10 with a 12m cadence
    assert "dan-dnc" not in due and "erin-snooze" not in due
    order = list(due)
    # Core circles first, then the longer overdue as a share of their cadence.
    tiers = [0 if d["circle"] <= 2 else 1 if d["circle"] == 3 else 2 for d in due.values()]
    assert tiers == sorted(tiers)
    assert order.index("alice-chen") < order.index("gus-due")  # circle 3 before circle 4
    code, out, _ = kith("due", "--today", "2026-11-25", root=site_root)
    assert "Gus Due (gus-due, circle 4)" in out and "a personal note beats a link" in out


def test_bad_arguments(kith, site_root: Path) -> None:  # type: ignore[no-untyped-def]
    for argv in (["share", "--limit", "0"], ["share", "--today", "tomorrow"],
                 ["log", "wave", "bob-li"], ["log", "chat", "bob-li", "--channel", "fax"]):
        with pytest.raises(SystemExit) as info:
            kith(*argv, root=site_root)
        assert info.value.code == 2


def test_no_network_during_share_or_due(kith, site_root: Path,  # type: ignore[no-untyped-def]
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert kith("share", "--all", "--json", root=site_root)[0] == 0
    assert kith("due", root=site_root)[0] == 0
    assert kith("contacts", "check", root=site_root)[0] == 0
    assert kith("build", root=site_root)[0] == 0
