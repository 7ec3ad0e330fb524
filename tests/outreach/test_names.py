"""Names as address books export them: every salutation a native speaker would write.

Found importing a Google, Apple and LinkedIn export of a realistic network: drafts
began 'Hi 😺,', 'Hi JOHN,', 'Hi O'BRIEN,,', 'Hi Wei,' (for Wei Ming Lim) and, in
Chinese, '田真理' for the Japanese 高田真理 (高 read as a Chinese family name).
"""

from __future__ import annotations

import pytest

from generator.outreach.model import Contact
from generator.outreach.names import clean_name, salutation


def person(name: str, *aliases: str, circle: int = 2, languages: tuple[str, ...] = ()
           ) -> Contact:
    return Contact(id="x", path="contacts/x.yaml", name=name, aliases=aliases, circle=circle,
                   languages=languages)


@pytest.mark.parametrize(("name", "language", "expected"), [
    ("😺 Coco", "en", "Coco"),  # an emoji is no part of a name
    ("Anna 🚀 Müller", "en", "Anna"),
    ("\u200fמשה כהן", "en", "משה"),  # a direction mark is not kept
    ("JOHN TAYLOR", "en", "John"),  # LinkedIn rows in capitals
    ("ALICE", "en", "Alice"),
    ("AJ SMITH", "en", "AJ"),  # initials stay initials
    ("LI NA", "en", "Na"),
    ("TANAKA Kenji", "ja", "Tanaka さん"),
    ("O'BRIEN, Marcus", "en", "Marcus"),  # 'Family, Given'
    ("van der Berg, Jan", "en", "Jan"),
    ("Chan, Tai Man", "en", "Tai Man"),
    ("Priya Sharma, PMP", "en", "Priya"),  # credentials are not a name
    ("Sarah Kim, Ph.D.", "en", "Sarah"),
    ("Wei Ming Lim", "en", "Wei Ming"),  # a two-syllable given name is said whole
    ("Lam Ka Ho", "en", "Ka Ho"),  # Cantonese, family name first
    ("Ethan Ho", "en", "Ethan"),
    ("Nguyễn Văn An", "en", "An"),  # Vietnamese: the last word
    ("Nguyen Van An", "en", "An"),
    ("Le Van Thanh", "en", "Thanh"),
    ("Jan van Dijk", "en", "Jan"),
    ("Ｊｏｈｎ Ｓｍｉｔｈ", "en", "John"),  # full-width letters
    ("Zoe\u0308 Brown", "en", "Zo\u00eb"),  # composed: one character, as typed
    ("Kai", "en", "Kai"),  # one part
    ("高田真理", "zh", "高田真理"),  # a Japanese name: never 田真理
    ("高田真理", "ja", "高田さん"),
    ("森田明", "ja", "森田さん"),
    ("欧阳娜娜", "zh", "娜娜"),
    ("王小明", "zh", "小明"),
])
def test_salutations_of_exported_names(name: str, language: str, expected: str) -> None:
    assert salutation(person(name), language) == expected


def test_a_greeting_is_never_empty_or_a_symbol() -> None:
    for name in ("😺", "🚀 🚀", "\u200f", "PMP"):
        greeting = salutation(person(name), "en")
        assert greeting.strip(), name


def test_clean_name_keeps_what_was_written_otherwise() -> None:
    assert clean_name("Mary-Jane Watson") == "Mary-Jane Watson"
    assert clean_name("WANG Xiaoming") == "Wang Xiaoming"
    assert clean_name("陳大文") == "陳大文"


@pytest.mark.parametrize(("name", "aliases", "expected"), [
    ("何俊杰", ("He Junjie", "Jay He"), "Jay"),  # the English name he goes by
    ("苏晓雯", ("Su Xiaowen", "Cherry Su"), "Cherry"),
    ("陈一鸣", ("Chen Yiming",), "Yiming"),  # no English name: the pinyin one
    ("Ong Wei Jie", (), "Wei Jie"),
])
def test_an_english_draft_uses_the_english_name_they_go_by(
        name: str, aliases: tuple[str, ...], expected: str) -> None:
    """Found: 'Hello Junjie' to a colleague everyone calls Jay (alias 'Jay He')."""
    assert salutation(person(name, *aliases), "en") == expected
