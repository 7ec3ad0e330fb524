"""Reasons that are true: the word coincidences found using Kith on a realistic network.

Each case was a suggestion (or a draft sentence) in a run over the real blog's sample
and a writer-shaped network; fixtures/coincidence holds a fictional copy of each.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.outreach.rank import Ranker

from .conftest import FIXTURES
from .test_rank import ranker_for

TODAY = dt.date(2026, 3, 23)


@pytest.fixture(scope="module")
def ranker() -> Ranker:
    return ranker_for(FIXTURES / "coincidence", TODAY)


def people(ranker: Ranker, key: str) -> list[str]:
    return [s.contact for s in ranker.suggestions(ranker.posts[key], 50)]


def draft(ranker: Ranker, key: str, contact: str) -> str:
    found = {s.contact: s for s in ranker.suggestions(ranker.posts[key], 50)}
    return found[contact].draft


def test_a_word_shared_with_private_notes_adds_nothing(ranker: Ranker) -> None:
    # His notes: 'moved me to another group'; the post: 'consumer group', 'group membership'.
    # The banking history tag is a (weak) reason; the notes are not one.
    rel = ranker.relevance(ranker.book.contacts["boss"], ranker.posts["consumer-lag"])
    assert [m.facet.kind for m in rel.matches] == ["history tag"]


@pytest.mark.parametrize(("key", "contact"), [
    ("live-readme", "summit"),  # notes: 'platform engineering'; title: '... Platform'
    ("road-trip", "visitor"),  # notes: 'visits Guangzhou'; a road trip from Guangzhou
    ("ai-assistants", "lisper"),  # Emacs and AI assistants are both 'developer tools'
    ("gadgets", "photographer"),  # 装备 (gear) in a gadgets post is not travel gear
])
def test_a_coincidence_is_no_reason(ranker: Ranker, key: str, contact: str) -> None:
    assert contact not in people(ranker, key)
    assert ranker.relevance(ranker.book.contacts[contact], ranker.posts[key]).value < 0.3


def test_what_is_really_shared_still_counts(ranker: Ranker) -> None:
    assert people(ranker, "lisp") == ["lisper"]  # Lisp, and functional programming
    assert "hiker" in people(ranker, "hiking")  # 行山 is hiking
    assert "android" in people(ranker, "consumer-lag")


def test_a_draft_says_what_the_post_is_about_not_what_it_mentions(ranker: Ranker) -> None:
    # The letter lists Android among skills (twice): a side topic the draft must not call
    # what the post is 'about'.
    assert "android" in people(ranker, "ten")
    assert "Android" not in draft(ranker, "ten", "android")
    # A topic that is the whole title is not said twice ('“Hiking”, on Hiking').
    text = draft(ranker, "hiking", "hiker")
    assert text.replace("https://example.org/posts/hiking/", "").count("iking") == 1


def test_a_draft_spells_a_topic_as_the_post_does(ranker: Ranker) -> None:
    text = draft(ranker, "consumer-lag", "android")
    assert "Kafka" in text and "kafka" not in text.replace("consumer-lag", "")


def test_japanese_titles_with_brackets_are_quoted_in_double_brackets(ranker: Ranker) -> None:
    text = draft(ranker, "naru", "visitor")
    assert "『「になる」と「となる」の違いを調べた』" in text and "「「" not in text


def test_a_history_label_in_the_other_chinese_script_is_still_quoted(ranker: Ranker) -> None:
    # Calvin reads Traditional Chinese; the post is in Simplified only. His label is
    # written in Traditional: the Simplified draft quotes it in Simplified.
    text = draft(ranker, "bank-migration", "hiker")
    assert text.count("结算系统迁移") == 2 and "結算" not in text  # the title, and the label
