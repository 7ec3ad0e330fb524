"""Tokens, CJK bigrams and concepts: the matching vocabulary across languages."""

from __future__ import annotations

import pytest

from generator.outreach.text import Vocabulary, analyze, stem

VOCAB = Vocabulary.builtin()


def concepts(text: str, *, whole: bool = False, vocab: Vocabulary = VOCAB) -> set[str]:
    return {t for t in analyze(text, vocab, whole=whole).counts if t.startswith("@")}


@pytest.mark.parametrize(("a", "b"), [
    ("engineers", "engineer"), ("migrating", "migration"), ("migration", "migrate"),
    ("optimization", "optimize"), ("libraries", "library"), ("interviewing", "interview"),
])
def test_stemming_makes_word_forms_meet(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(("a", "b"), [("writing", "writes"), ("coding", "codes"),
                                      ("hiring", "hire"), ("running", "runs")])
def test_a_short_verbs_ing_form_names_an_activity(a: str, b: str) -> None:
    # 'Unused indexes cost writes' is not about writing.
    assert stem(a) != stem(b)


@pytest.mark.parametrize(("one", "other", "concept"), [
    ("k8s", "Kubernetes", "kubernetes"),
    ("容器编排", "kubernetes", "kubernetes"),
    ("LLM", "large language models", "llm"),
    ("大模型", "LLM", "llm"),
    ("机器学习", "machine learning", "machine-learning"),
    ("分布式系统", "distributed systems", "distributed-systems"),
    ("安卓", "Android", "android"),
    ("阿里云", "Alibaba Cloud", "alibaba-cloud"),
    ("aliyun", "阿里云", "alibaba-cloud"),
    ("近视", "myopia", "myopia"),
    ("基金定投", "dollar-cost averaging", "dca"),
    ("指数基金", "index funds", "index-fund"),
    ("丝绸之路", "The Silk Roads", "silk-road"),
    ("历史", "history", "history"),
    ("微信群", "WeChat group", "wechat-group"),
    ("投资", "investing", "investing"),
    ("雅思", "IELTS", "ielts"),
    ("日语", "Japanese", "japanese-language"),
    ("日本語", "japanese", "japanese-language"),
    ("自驾", "road trip", "road-trip"),
])
def test_synonyms_across_languages_share_a_concept(one: str, other: str, concept: str) -> None:
    assert "@" + concept in concepts(one, whole=True) & concepts(other, whole=True)


def test_chinese_is_split_into_words() -> None:
    terms = analyze("数据中台建设", VOCAB).counts
    assert {"数据", "建设"} <= set(terms) and "据中" not in terms
    # A job title stays one word, so '工程' never matches a title by halves.
    assert "工程" not in analyze("高级工程师", VOCAB).counts


def test_traditional_and_simplified_meet() -> None:
    assert concepts("分散式系統") == concepts("分布式系统") == {"@distributed-systems"}
    assert concepts("微信群十年") == {"@wechat-group"}
    assert analyze("軟體", VOCAB).counts.keys() == analyze("软体", VOCAB).counts.keys()


def test_a_chinese_form_matches_on_word_boundaries_only() -> None:
    assert "@investing" in concepts("我的投资笔记")
    assert "@investing" not in concepts("投资人说")  # investors are not investing


@pytest.mark.parametrize("text", ["The rule that trips everyone up", "Unused indexes cost writes",
                                  "It will cost you", "We trip over it"])
def test_a_verb_is_not_its_nouns_topic(text: str) -> None:
    found = analyze(text, VOCAB)
    assert not {"@travel", "@cost-reduction"} & set(found.counts)
    assert not {"trip", "cost"} & set(found.counts)


def test_an_ambiguous_word_needs_support() -> None:
    alone = analyze("Notes from a trip through the codebase", VOCAB)
    assert "@travel" in alone.weak
    supported = analyze("A trip to Guilin: travel notes", VOCAB)
    assert "@travel" not in supported.weak


def test_function_characters_do_not_make_terms() -> None:
    assert "我们" not in analyze("我们的书架", VOCAB).counts


def test_words_inside_a_concept_are_not_counted_twice() -> None:
    terms = analyze("machine learning at work", VOCAB).counts
    assert "@machine-learning" in terms
    assert "machin" not in terms and "learn" not in terms


def test_a_longer_form_wins_over_a_shorter_one() -> None:
    # 算法工程师 is an ML job title, not the topic 'algorithms'; 投资人 are investors.
    assert concepts("算法工程师") == {"@machine-learning"}
    assert "@investing" not in concepts("投资人")


def test_bare_common_words_need_a_whole_field() -> None:
    assert "@golang" in concepts("Go", whole=True)
    assert "@golang" not in concepts("we go to the park")


def test_surfaces_keep_the_text_as_written() -> None:
    analysis = analyze("What our K8s bill taught us", VOCAB)
    assert analysis.surfaces["@kubernetes"] == "K8s"


def test_user_synonyms_join_existing_concepts_or_make_new_ones() -> None:
    vocab = Vocabulary.builtin()
    vocab.add_synonyms(["酸种", "sourdough"])
    assert "@baking" in concepts("酸种", vocab=vocab)
    vocab.add_synonyms(["薪资谈判", "salary negotiation"])
    assert concepts("薪资谈判", vocab=vocab) == concepts("salary negotiation", vocab=vocab)
    assert concepts("薪资谈判", vocab=vocab)


def test_parents_are_broader_topics() -> None:
    assert "ai" in VOCAB.ancestors("llm")
    assert "investing" in VOCAB.ancestors("index-fund")
