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
    # His banking history is a (weak) reason; the notes are not one.
    rel = ranker.relevance(ranker.book.contacts["boss"], ranker.posts["consumer-lag"])
    assert rel.matches and "notes" not in [m.facet.kind for m in rel.matches]


@pytest.mark.parametrize(("key", "contact"), [
    ("live-readme", "summit"),  # notes: 'platform engineering'; title: '... Platform'
    ("road-trip", "visitor"),  # notes: 'visits Guangzhou'; a road trip from Guangzhou
    ("ai-assistants", "lisper"),  # Emacs and AI assistants are both 'developer tools'
    ("gadgets", "photographer"),  # 装备 (gear) in a gadgets post is not travel gear
    ("childhood", "lens"),  # 来源：摄影师 under each picture: a credit, not photography
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


def test_a_word_the_segmenter_cuts_apart_is_still_an_interest(ranker: Ranker) -> None:
    """Found with an interest 職涯 (Taiwan's 'career'): jieba cut it into 职 and 涯,
    single characters that count for nothing, and the interest silently vanished."""
    facets = ranker.profiles["taipei"]
    assert [f.text for f in facets if f.kind == "interest"] == ["職涯"]
    assert people(ranker, "self-taught") == ["taipei"]


def test_a_post_about_both_broader_topics_is_about_the_narrower_one(ranker: Ranker) -> None:
    """Found with a FinOps reader and the cloud-bill post (tags 云计算 and 成本优化, never
    the words 'cloud cost'): he was fourth, behind people who like microservices."""
    assert people(ranker, "cloud-bill")[0] == "finops"
    reasons = {s.contact: s.reasons for s in ranker.suggestions(ranker.posts["cloud-bill"])}
    assert reasons["finops"][0] == ("interest “FinOps” matches “上云 + 成本优化” (in the "
                                    "title, both about cloud cost)")
    # Only when the title or a tag names each broader topic (a summary's 'measurements'
    # and a health tag made a myopia post about electromagnetic fields).
    assert "@cloud-cost" not in ranker.posts["consumer-lag"].salience


def test_someone_known_only_by_a_chinese_name_is_written_to_in_chinese(ranker: Ranker) -> None:
    """Found in the plan: 'Hi 许立, an older post of mine, ...' to a Chinese investor on
    WeChat, because the post is only in English. The link stays the English post."""
    s = {s.contact: s for s in ranker.suggestions(ranker.posts["hiking"])}["investor"]
    assert s.draft_lang == "zh" and s.draft.startswith("许立") and "《Hiking》" in s.draft
    assert s.link.endswith("/posts/hiking/")
