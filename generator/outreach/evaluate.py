"""Scoring share lists against graded judgements (qrels.tsv) and gates (gates.tsv).

- nDCG@10 per post with gain 2^grade - 1; unjudged or gated people gain 0;
  the ideal ranking uses every judged pair of that post.
- Recall@5 of people graded >= 2, per post that has any.
- Precision of what is shown: the share of all shown suggestions graded >= 1.
- Gate violations: shown pairs listed in gates.tsv. Must be exactly 0.

Per-post numbers are averaged over posts; a bootstrap over posts gives an
interval, because with ~20 posts small differences mean little.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Qrels = dict[str, dict[str, int]]
"""post key -> contact id -> grade."""


def read_qrels(path: Path) -> Qrels:
    qrels: Qrels = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qrels.setdefault(row["post"], {})[row["contact"]] = int(row["grade"])
    return qrels


def read_gates(path: Path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["post"], row["contact"]) for row in csv.DictReader(handle, delimiter="\t")}


def dcg(gains: Sequence[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


@dataclass(frozen=True)
class PostScore:
    key: str
    ndcg10: float
    recall5: float | None
    """None when the post has nobody graded >= 2."""
    shown: int
    shown_relevant: int
    violations: tuple[str, ...]


@dataclass(frozen=True)
class Scores:
    posts: tuple[PostScore, ...]
    ndcg10: float
    recall5: float
    precision: float
    shown: int
    violations: int
    ndcg10_interval: tuple[float, float]

    def as_dict(self) -> dict[str, Any]:
        return {"ndcg@10": round(self.ndcg10, 4), "recall@5(g>=2)": round(self.recall5, 4),
                "precision(shown g>=1)": round(self.precision, 4), "shown": self.shown,
                "gate_violations": self.violations,
                "ndcg@10_95ci": [round(x, 4) for x in self.ndcg10_interval]}


def score(output: Mapping[str, Any], qrels: Qrels, gates: set[tuple[str, str]],
          *, seed: int = 0) -> Scores:
    """Score ``kith share --all --json`` output."""
    ranked = {post["key"]: [s["contact"] for s in post["suggestions"]]
              for post in output["posts"]}
    per_post = []
    for key in sorted(qrels):
        grades = qrels[key]
        shown = ranked.get(key, [])
        gains = [2 ** grades.get(c, 0) - 1 for c in shown[:10]]
        ideal = dcg(sorted((2 ** g - 1 for g in grades.values()), reverse=True)[:10])
        relevant = {c for c, g in grades.items() if g >= 2}
        recall = len(relevant & set(shown[:5])) / len(relevant) if relevant else None
        per_post.append(PostScore(
            key=key, ndcg10=dcg(gains) / ideal if ideal else 0.0, recall5=recall,
            shown=len(shown), shown_relevant=sum(1 for c in shown if grades.get(c, 0) >= 1),
            violations=tuple(c for c in shown if (key, c) in gates)))
    for key, shown in ranked.items():  # posts without judgements can still break gates
        if key not in qrels:
            per_post.append(PostScore(key, 0.0, None, len(shown), 0,
                                      tuple(c for c in shown if (key, c) in gates)))
    judged = [p for p in per_post if p.key in qrels]
    # A post nobody would value has no ideal ranking: it counts in precision (showing anyone
    # there is a mistake) but not in nDCG, as with queries without relevant documents.
    ndcgs = [p.ndcg10 for p in judged if any(g > 0 for g in qrels[p.key].values())]
    recalls = [p.recall5 for p in judged if p.recall5 is not None]
    shown_total = sum(p.shown for p in judged)
    return Scores(
        posts=tuple(per_post),
        ndcg10=sum(ndcgs) / len(ndcgs) if ndcgs else 0.0,
        recall5=sum(recalls) / len(recalls) if recalls else 0.0,
        precision=sum(p.shown_relevant for p in judged) / shown_total if shown_total else 0.0,
        shown=shown_total,
        violations=sum(len(p.violations) for p in per_post),
        ndcg10_interval=bootstrap(ndcgs, seed=seed))


def bootstrap(values: Sequence[float], *, rounds: int = 2000, seed: int = 0
              ) -> tuple[float, float]:
    """A 95% percentile interval for the mean, resampling posts."""
    if not values:
        return (0.0, 0.0)
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(values, k=len(values))) / len(values)
                   for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]
