"""Drafts: short, value-first, in the reader's language, quoting only safe fields, no asks."""

from __future__ import annotations

import pytest

from generator.outreach.drafts import TEMPLATES, ask_lint, draft_language, write_draft

SLOTS = {"greeting": "G", "title": "T", "link": "https://example.org/p/", "history": "H",
         "interests": "I"}


@pytest.mark.parametrize(("language", "variant"),
                         [(lang, v) for lang, variants in TEMPLATES.items() for v in variants])
def test_every_template_in_every_language_passes_the_ask_lint(language: str,
                                                              variant: str) -> None:
    text = TEMPLATES[language][variant].format(**SLOTS)
    assert ask_lint(text) == []
    assert len(text) <= 220  # short: a message, not a newsletter
    assert "{" not in text and "https://example.org/p/" in text


def test_every_language_has_the_same_variants() -> None:
    assert {"en", "zh", "ja"} <= set(TEMPLATES)
    assert all(set(v) == {"history", "interest", "plain"} for v in TEMPLATES.values())


@pytest.mark.parametrize("ask", [
    "Could you share this?", "please take a look", "Let me know what you think",
    "any feedback welcome", "能不能帮我转发一下", "麻烦看看", "帮我看看", "请指教",
    "ご意見をください", "感想を教えてください", "Would you mind reading it", "thoughts?",
])
def test_the_lint_catches_asks(ask: str) -> None:
    assert ask_lint(ask)


@pytest.mark.parametrize(("languages", "expected"), [
    (("zh", "en"), "zh"), (("ja", "en"), "ja"), (("en",), "en"), (("zh-Hant",), "zh-hant"),
    (("zh-TW",), "zh-hant"), (("ko", "ja"), "ja"), (("ko",), "en"), ((), "en"),
])
def test_draft_language(languages: tuple[str, ...], expected: str) -> None:
    assert draft_language(languages) == expected


def test_drafts_quote_the_history_label_or_interests() -> None:
    with_history = write_draft("en", "Ada", "Raft notes", "https://x/", history="our ledger team")
    assert "our ledger team" in with_history and "Hi Ada," in with_history
    with_interests = write_draft("zh", "爱丽", "账单", "https://x/", interests=["k8s", "降本增效"])
    assert with_interests.startswith("爱丽，") and "k8s和降本增效" in with_interests
    assert "「" in write_draft("ja", "Yuki-san", "Raft", "https://x/", history="our lessons")


def test_quoted_pieces_that_ask_fall_back_to_the_plain_template() -> None:
    draft = write_draft("en", "Ada", "T", "https://x/", interests=["please reply culture"])
    assert "please" not in draft and ask_lint(draft) == []


def test_a_title_that_asks_is_still_quoted_as_written() -> None:
    draft = write_draft("en", "Ada", "Can You Learn Japanese in Six Months?", "https://x/",
                        interests=["japanese"])
    assert "Can You Learn Japanese in Six Months?" in draft
    assert ask_lint(draft.replace("Can You Learn Japanese in Six Months?", "")) == []
