"""Drafts: a native speaker's message, in the linked version's language, no asks."""

from __future__ import annotations

import itertools

import pytest

from generator.outreach.drafts import (
    ASK_PATTERNS,
    LINKEDIN_LIMIT,
    VARIANTS,
    DraftRequest,
    ask_lint,
    assign_variants,
    draft_language,
    quotable,
    space_out,
    write_draft,
)
from generator.outreach.plan import NOTES
from generator.outreach.templates import BODIES, CLOSERS, OPENERS, SUBJECTS

LINK = "https://example.org/p/"
LABELS = (("en", "our HSBC project"), ("zh", "我们在汇丰的项目"), ("ja", "HSBCのプロジェクト"))


def request(language: str = "en", **changes: object) -> DraftRequest:
    values: dict[str, object] = {"language": language, "greeting": "G", "title": "T",
                                 "link": LINK}
    values.update(changes)
    return DraftRequest(**values)  # type: ignore[arg-type]


COMBINATIONS = list(itertools.product(
    ("en", "zh", "zh-hant", "ja"), ("history", "interest", "plain"), (False, True),
    ("email", "wechat", "linkedin"), range(VARIANTS), (False, True)))


@pytest.mark.parametrize(("language", "kind", "old", "channel", "variant", "close"),
                         COMBINATIONS)
def test_every_draft_passes_the_ask_lint_and_is_short(
        language: str, kind: str, old: bool, channel: str, variant: int, close: bool) -> None:
    draft = write_draft(request(
        language, history=LABELS if kind == "history" else (),
        interests=("Kubernetes", "降本增效", "キャリア") if kind == "interest" else (),
        old=old, channel=channel, variant=variant, close=close))
    assert ask_lint(draft.text) == [] and ask_lint(draft.subject) == []
    assert LINK in draft.text and "{" not in draft.text
    assert len(draft.text) <= (LINKEDIN_LIMIT if channel == "linkedin" else 260)
    assert bool(draft.subject) == (channel == "email")


def test_every_template_text_passes_the_ask_lint() -> None:
    texts = [t for by_lang in BODIES.values() for by_age in by_lang.values()
             for by_kind in by_age.values() for t in by_kind]
    texts += [t for c in CLOSERS.values() for t in c] + [t for s in SUBJECTS.values() for t in s]
    texts += [t for o in OPENERS.values() for group in o.values() for t in group]
    texts += [t for n in NOTES.values() for t in n]
    for text in texts:
        assert ask_lint(text.format(greeting="G", title="T", link=LINK, history="H",
                                    interests="I")) == [], text


def test_several_texts_per_language_kind_and_age() -> None:
    for lang, ages in BODIES.items():
        for age, kinds in ages.items():
            for kind, texts in kinds.items():
                assert len(set(texts)) >= 3, (lang, age, kind)
        assert len(set(CLOSERS[lang])) >= 3


@pytest.mark.parametrize("ask", [
    "Could you share this?", "please take a look", "Let me know what you think",
    "any feedback welcome", "能不能帮我转发一下", "麻烦看看", "帮我看看", "请指教",
    "ご意見をください", "感想を教えてください", "Would you mind reading it", "thoughts?",
])
def test_the_lint_catches_asks(ask: str) -> None:
    assert ask_lint(ask)
    assert set(ASK_PATTERNS) == {"en", "zh", "ja"}


@pytest.mark.parametrize(("languages", "expected"), [
    (("zh", "en"), "zh"), (("ja", "en"), "ja"), (("en",), "en"), (("zh-Hant",), "zh-hant"),
    (("zh-TW",), "zh-hant"), (("ko", "ja"), "ja"), (("ko",), "en"), ((), "en"),
    (("yue",), "zh-hant"),
])
def test_draft_language(languages: tuple[str, ...], expected: str) -> None:
    assert draft_language(languages) == expected


def test_a_chinese_draft_quotes_only_chinese_labels_and_names() -> None:
    draft = write_draft(request("zh", greeting="磊哥", title="Kafka 消费延迟", history=LABELS))
    assert "我们在汇丰的项目" in draft.text and "HSBC project" not in draft.text
    only_english = write_draft(request("zh", greeting="磊哥", history=(("", "our HSBC project"),),
                                       interests=("career", "management")))
    assert "HSBC" not in only_english.text and "career" not in only_english.text
    names = write_draft(request("zh", greeting="磊哥", interests=("Kubernetes", "降本增效")))
    assert "Kubernetes、降本增效" in names.text  # no raw label


def test_traditional_chinese_drafts_convert_our_words_not_the_title() -> None:
    draft = write_draft(request("zh-hant", greeting="志明", title="软件与发布", history=(
        ("zh", "我们在汇丰的项目"),), variant=0))
    assert "寫" in draft.text and "汇丰" not in draft.text  # our words and the label converted
    assert "《软件与发布》" in draft.text  # the post's own title is quoted as written


def test_old_posts_are_not_just_written() -> None:
    for language, marker in (("en", "a while"), ("zh", "之前"), ("ja", "以前")):
        old = {write_draft(request(language, old=True, variant=v)).text for v in range(3)}
        assert all(any(m in t for m in (marker, "back", "以前", "older", "翻到", "少し前"))
                   for t in old), old
        assert not any("just wrote" in t or "just published" in t for t in old)


def test_variants_give_different_texts() -> None:
    texts = {write_draft(request("en", variant=v, channel="wechat")).text
             for v in range(VARIANTS)}
    assert len(texts) == VARIANTS


def test_people_who_know_each_other_get_different_variants() -> None:
    knows = {"a": {"b", "c"}, "b": {"a"}, "c": {"a"}, "d": set()}
    chosen = assign_variants(["a", "b", "c", "d"], {"a": 1, "b": 1, "c": 1, "d": 1}, knows)
    assert chosen["a"] != chosen["b"] and chosen["a"] != chosen["c"]
    assert chosen["d"] == 1


def test_linkedin_stays_within_its_limit() -> None:
    title = "A long title " * 12
    draft = write_draft(request("en", title=title, channel="linkedin",
                                interests=("distributed systems",)))
    assert len(draft.text) <= LINKEDIN_LIMIT + len(title) - 120 or len(draft.text) <= 400
    assert title in draft.text and LINK in draft.text


@pytest.mark.parametrize(("text", "language", "ok"), [
    ("Kubernetes", "zh", True), ("career", "zh", False), ("machine-learning", "en", False),
    ("降本增效", "zh", True), ("降本增效", "en", False), ("キャリア", "ja", True),
    ("please reply culture", "en", False), ("SwiftUI", "ja", True),
])
def test_what_may_be_quoted(text: str, language: str, ok: bool) -> None:
    assert quotable(text, language) == ok


@pytest.mark.parametrize(("text", "expected"), [
    ("和你关注的Kubernetes有关", "和你关注的 Kubernetes 有关"),
    ("用了3个月", "用了 3 个月"),
    ("Hi 王磊，", "Hi 王磊，"),
])
def test_latin_and_cjk_words_are_spaced(text: str, expected: str) -> None:
    assert space_out(text) == expected


def test_the_title_is_quoted_as_written() -> None:
    assert space_out("《Kafka消费延迟》和Go", ("Kafka消费延迟",)) == "《Kafka消费延迟》和 Go"


def test_a_title_that_asks_is_still_quoted_as_written() -> None:
    title = "Can You Learn Japanese in Six Months?"
    draft = write_draft(request("en", title=title, interests=("japanese",)))
    assert title in draft.text
    assert ask_lint(draft.text.replace(title, "")) == []
