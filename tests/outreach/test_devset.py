"""The dev set's quality targets, measured exactly as `bench/eval_outreach.py` does."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from kithpaths import SHARED

from generator.cli import main
from generator.outreach.evaluate import read_gates, read_qrels, score

DEVSET = SHARED / "outreach-devset"


@pytest.fixture(scope="module")
def scores():  # type: ignore[no-untyped-def]
    if not (DEVSET / "qrels.tsv").is_file():
        pytest.skip("the shared outreach dev set is not here")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["-C", str(DEVSET), "share", "--all", "--today", "2026-11-25", "--json"])
    assert code == 0
    return score(json.loads(out.getvalue()), read_qrels(DEVSET / "qrels.tsv"),
                 read_gates(DEVSET / "gates.tsv"))


def test_no_gated_pair_is_ever_suggested(scores) -> None:  # type: ignore[no-untyped-def]
    assert scores.violations == 0


def test_ndcg_at_10(scores) -> None:  # type: ignore[no-untyped-def]
    assert scores.ndcg10 >= 0.9


def test_recall_at_5_of_grade_2_and_up(scores) -> None:  # type: ignore[no-untyped-def]
    assert scores.recall5 >= 0.9


def test_most_shown_suggestions_are_relevant(scores) -> None:  # type: ignore[no-untyped-def]
    assert scores.precision >= 0.6


def test_every_key_is_judged(scores) -> None:  # type: ignore[no-untyped-def]
    assert len([p for p in scores.posts if p.recall5 is not None]) == 18


def test_metrics_on_a_known_ranking() -> None:
    qrels = {"p": {"a": 3, "b": 2, "c": 0, "d": 1}}
    perfect = score({"posts": [{"key": "p", "suggestions": [{"contact": c} for c in "abd"]}]},
                    qrels, set())
    assert perfect.ndcg10 == pytest.approx(1.0) and perfect.recall5 == 1.0
    assert perfect.precision == 1.0
    worse = score({"posts": [{"key": "p", "suggestions": [{"contact": c} for c in "cbg"]}]},
                  qrels, {("p", "g")})
    assert worse.violations == 1 and worse.recall5 == 0.5
    assert worse.precision == pytest.approx(1 / 3)
    assert 0 < worse.ndcg10 < 0.5


def test_a_post_nobody_values_counts_in_precision_not_ndcg() -> None:
    qrels = {"p": {"a": 3}, "q": {"a": 0, "b": 0}}
    output = {"posts": [{"key": "p", "suggestions": [{"contact": "a"}]},
                        {"key": "q", "suggestions": [{"contact": "b"}]}]}
    result = score(output, qrels, set())
    assert result.ndcg10 == pytest.approx(1.0)  # q has no ideal ranking
    assert result.precision == pytest.approx(0.5)  # showing b on q is still a mistake
