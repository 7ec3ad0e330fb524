"""How much a person would value a post, and the true words that say why.

The post (all its translations) becomes weighted terms: a term in the title
or tags is central, one in the summary nearly so, one in the body counts by
how often the body comes back to it (a plain word needs two mentions; one
passing mention is no topic; a line repeated word for word counts once). A
concept named only by an ambiguous form ('trip') is dropped unless the post also
names it plainly.

Each part of a profile (an interest, a shared history, the notes, where they
work, how you met) is scored by how much of it the post covers, weighted by
how rare each term is among the site's posts. Shared history is the
strongest evidence: a post about "the bank migration" matters to everyone who
was there, more than to a stranger who likes Kafka.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..model import Page
from .model import Contact
from .text import PROSE_STOPWORDS, Analysis, Vocabulary, analyze, canonical, merge, stem
from .vocabulary import LANGUAGE_NAMES, PLACES

# How central a term is, by where the post uses it.
HEAD = 1.0
SUMMARY = 0.8
PARENT = 0.5
"""A broader topic implied by a concept ('@ai' from '@llm') counts this much."""

FACET_WEIGHT = {"interest": 1.0, "history": 1.5, "history tag": 0.3, "notes": 0.8,
                "org": 0.5, "met": 0.5}
"""How much each part of a profile can say about interest in a post."""
FACET_CAP = {"history": 0.95}
DEFAULT_CAP = 0.8
"""One facet alone never makes a certainty: a second matching facet still ranks higher.
Shared history may come closest: it is what the writer's own rules value most."""
GENERIC = 0.7
"""Kept by an interest that is one plain word ('cost', 'writing'): a word is not a topic."""
OFF_FOCUS = 0.6
"""Kept when nothing matched is in the title: a side topic ('java' on a post about Raft)."""
STRONG = 0.5
"""Salience from which a word of prose notes counts: in the title, tags, summary or
repeated in the body."""


def body_salience(count: int) -> float:
    """One passing mention is weak; a term the body keeps coming back to is a topic."""
    return min(0.6, 0.1 + 0.15 * count)


@dataclass(frozen=True, eq=False)
class Post:
    """One post: every language version of one key, as matchable terms."""

    key: str
    pages: tuple[Page, ...]
    """Every version, the site language first."""
    salience: Mapping[str, float]
    surface: Mapping[str, tuple[str, str]]
    """term -> (text as written, where: 'title', 'tags', 'summary' or 'text')."""
    topics: frozenset[str]
    """Terms of the title and tags, with broader concepts: what avoid_topics is checked against."""
    focus: frozenset[str]
    """Terms of the title, with broader concepts: what the post is mainly about."""
    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """language code -> term -> the words that version uses for it (title, tags, summary
    first): what a draft in that language may say the post is about."""
    named: frozenset[str] = frozenset()
    """Terms the title, tags or summary name themselves (not only through a narrower
    concept: a post on AI assistants does not name 'developer tools')."""

    @property
    def primary(self) -> Page:
        return self.pages[0]

    @property
    def date(self) -> dt.datetime | None:
        return self.primary.date

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(p.lang for p in self.pages)


@dataclass(frozen=True, eq=False)
class Facet:
    """One part of a contact's profile, as terms."""

    kind: str
    text: str
    """As the contact file has it (quoted in reasons; quoted in drafts only for safe kinds)."""
    weight: float
    terms: Mapping[str, int]
    bag: bool = False
    """Prose (notes): scored by strong matches, not by how much of it the post covers."""
    generic: bool = False
    """One plain word, no concept: weaker evidence."""
    item: int = -1
    """For history: which entry of the contact's history."""


@dataclass(frozen=True)
class Match:
    facet: Facet
    score: float
    """0-1 before the facet's weight."""
    terms: tuple[str, ...]
    """Matched post terms, strongest first."""


@dataclass(frozen=True)
class Relevance:
    value: float
    """After the language factor."""
    topical: float
    matches: tuple[Match, ...]
    lang: str
    """Language code of the version to link."""
    reads: bool
    """Whether the contact reads any version."""


JOB_WORDS = frozenset(stem(w) for w in """
engineer engineering developer programmer senior junior staff principal lead leader head chief
manager director officer president vp partner owner founder member associate assistant
specialist consultant intern editor 工程师 经理 总监 负责人 主管 组长 创始人 合伙人 高级 资深
技术 研发 开发 软件 系统 平台 业务 团队 项目 公司 首席 部门
""".split())  # noqa: SIM905
"""Job-title words that say nothing about topics ('Staff Engineer' is not about engineers;
技术总监 is not about 技术)."""


def read_post(key: str, pages: Sequence[Page], vocab: Vocabulary) -> Post:
    """A post's versions as one set of weighted terms."""
    salience: dict[str, float] = {}
    surface: dict[str, tuple[str, str]] = {}
    topics: set[str] = set()
    focus: set[str] = set()
    parts: list[Analysis] = []

    def note(analysis: Analysis, where: str, value: float | None) -> None:
        parts.append(analysis)
        for term, count in analysis.counts.items():
            if value is None and count < 2:
                continue  # a word mentioned once in passing is no topic
            s = body_salience(count) if value is None else value
            if s > salience.get(term, 0.0):
                salience[term] = s
                surface[term] = (analysis.surfaces[term], where)

    words: dict[str, dict[str, str]] = {}
    named: set[str] = set()
    for page in pages:
        title = analyze(page.title, vocab)
        tags = merge(_tag(tag, vocab) for tag in page.tags)
        summary = analyze(page.summary, vocab) if page.summary else Analysis()
        note(title, "title", HEAD)
        note(tags, "tags", HEAD)
        if page.summary:
            note(summary, "summary", SUMMARY)
        note(analyze(distinct_lines(page.text), vocab), "text", None)
        own = words.setdefault(page.lang, {})
        for part in (title, tags, summary):
            for term, text in part.surfaces.items():
                if part is tags:
                    text = text.replace("-", " ")  # a draft says 'cloud cost', not the tag
                own.setdefault(term, text)
                if term.startswith("@"):
                    for parent in vocab.ancestors(term[1:]):
                        own.setdefault("@" + parent, text)
        topics |= set(title.counts) | set(tags.counts)
        focus |= set(title.counts)
        named |= set(title.counts) | set(tags.counts) | set(summary.counts)
    for term in _unsupported(merge(parts), vocab):
        salience.pop(term, None)
        topics.discard(term)
        focus.discard(term)
    for term in list(salience):
        if term.startswith("@"):
            for parent in vocab.ancestors(term[1:]):
                s = salience[term] * PARENT
                if s > salience.get("@" + parent, 0.0):
                    salience["@" + parent] = s
                    surface["@" + parent] = surface[term]
    implied = _implied(salience, surface, vocab, topics)
    topics |= implied
    focus |= {t for t in implied if vocab.parents[t[1:]][0] in {f[1:] for f in focus}}
    return Post(key, tuple(pages), salience, surface, frozenset(widen(topics, vocab)),
                frozenset(widen(focus, vocab)), words, frozenset(named & set(salience)))


def distinct_lines(text: str) -> str:
    """The text with each line once: a line that comes back word for word (a photo
    credit under every picture, "来源：摄影师") is boilerplate, not the body returning
    to a topic. (The text has a line per line of a paragraph, per heading, cell and
    caption.)"""
    return "\n".join(dict.fromkeys(line.strip() for line in text.split("\n")))


def _tag(tag: str, vocab: Vocabulary) -> Analysis:
    """A tag's terms; what it says is quoted as the tag is written ('cloud-cost', which the
    analysis reads as 'cloud cost', so that a reason cites words the post really has)."""
    analysis = analyze(tag.replace("-", " "), vocab, whole=True)
    for term, text in analysis.surfaces.items():
        if text.replace(" ", "-").casefold() == tag.strip().casefold():
            analysis.surfaces[term] = tag.strip()
    return analysis


def _implied(salience: dict[str, float], surface: dict[str, tuple[str, str]],
             vocab: Vocabulary, named: set[str]) -> set[str]:
    """A topic with several broader ones, all of which the post is centrally about, is a
    topic of the post too, a little more weakly: tagged 云计算 and 成本优化, a post is about
    cloud cost (found: a FinOps reader was never matched with the writer's cloud-bill post).
    Each broader topic must be named by the title or a tag: 'measurements' in a summary
    and a health tag do not make a myopia post about electromagnetic fields.
    Returns the implied terms; they are not 'named', so drafts use the post's words."""
    found = set()
    for concept, parents in sorted(vocab.parents.items()):
        term = "@" + concept
        if len(parents) < 2 or term in salience:
            continue
        central = [salience.get("@" + p, 0.0) for p in parents]
        if min(central) >= SUMMARY and all("@" + p in named for p in parents):
            salience[term] = SUMMARY * min(central)
            texts = dict.fromkeys(surface["@" + p][0] for p in parents)
            surface[term] = (" + ".join(texts), surface["@" + parents[0]][1])
            found.add(term)
    return found


def _unsupported(total: Analysis, vocab: Vocabulary) -> set[str]:
    """Concepts only ambiguous words named, with no plain naming of them or a narrower topic."""
    plain = {t[1:] for t in total.counts if t.startswith("@") and t not in total.weak}
    supported = set(plain)
    for concept in plain:
        supported |= vocab.ancestors(concept)
    return {t for t in total.weak if t[1:] not in supported}


def widen(terms: set[str], vocab: Vocabulary) -> set[str]:
    """Terms plus the broader concepts of each concept."""
    wide = set(terms)
    for term in terms:
        if term.startswith("@"):
            wide |= {"@" + p for p in vocab.ancestors(term[1:])}
    return wide


def read_profile(contact: Contact, vocab: Vocabulary) -> tuple[Facet, ...]:
    """A contact's profile as facets; history labels in every language they are written in."""
    facets: list[Facet] = []

    def add(kind: str, text: str, weight: float, *, whole: bool = False,
            bag: bool = False, skip: frozenset[str] = frozenset(), item: int = -1) -> None:
        if text.strip():
            terms = {t: n for t, n in analyze(text, vocab, whole=whole).counts.items()
                     if t not in skip}
            if terms:
                generic = kind == "interest" and len(terms) == 1 and \
                    not next(iter(terms)).startswith("@")
                facets.append(Facet(kind, text, weight * FACET_WEIGHT[kind], terms, bag,
                                    generic, item))

    for interest in contact.interests:
        add("interest", interest.topic, 0.85 + 0.15 * interest.weight, whole=True)
    for index, item in enumerate(contact.history):
        texts = [label for _, label in item.labels] or [item.label]
        add("history", " / ".join(dict.fromkeys(texts)), 1.0, item=index)
        for tag in item.tags:
            add("history tag", tag, 1.0, whole=True)
    add("notes", contact.notes, 1.0, bag=True)
    add("org", contact.company, 1.0, whole=True)
    add("org", contact.title, 1.0, whole=True, skip=JOB_WORDS)
    add("met", contact.met_where, 1.0)
    return tuple(facets)


def match(facet: Facet, post: Post, idf: Mapping[str, float],
          vocab: Vocabulary | None = None) -> Match | None:
    hits = [(idf.get(t, 1.0) * post.salience[t], t) for t in facet.terms if t in post.salience]
    if vocab is not None and facet.kind == "history":
        # A named thing in a shared history met by the post's broader word ('HSBC' in the
        # label, 'a bank' in the post) counts half: the post may well be about it, unnamed.
        for term in facet.terms:
            if term.startswith("@") and term not in post.salience:
                broader = [f"@{a}" for a in vocab.parents.get(term[1:], ())
                           if f"@{a}" in post.salience]
                if broader:
                    best = max(broader, key=lambda b: post.salience[b])
                    hits.append((idf.get(term, 1.0) * post.salience[best] * PARENT, best))
    if all(t.isdigit() for _, t in hits):
        return None  # '2016' alone: the same year is not the same history
    hits.sort(reverse=True)
    if facet.bag:
        # Prose: only words the post is about count; a concept ('k8s', '大模型') says
        # more than a plain word, and a language name mostly says what they read.
        hits = [(h * _prose_weight(t), t) for h, t in hits
                if post.salience[t] >= STRONG and t not in PROSE_STOPWORDS]
        hits = [hit for hit in hits if hit[0] > 0]
        if not hits or (len(hits) < 2 and not hits[0][1].startswith("@")):
            return None  # one plain word in common is a coincidence ('group', 'platform')
        hits.sort(reverse=True)
        score = 1 - math.exp(-sum(h for h, _ in hits))
    else:
        total = sum(idf.get(t, 1.0) for t in facet.terms)
        score = sum(h for h, _ in hits) / total if total else 0.0
        if facet.kind == "org" and {t for _, t in hits} != set(facet.terms):
            return None  # a company or a role counts only when the post names all of it
    return Match(facet, score, tuple(t for _, t in hits))


def combine(found: Iterable[Match], post: Post, idf: Mapping[str, float]
            ) -> tuple[float, tuple[Match, ...]]:
    """Facets' evidence combined: two matching facets beat one, the same post words found
    twice (an interest and a history tag both saying 'java') count once."""
    ordered = sorted(found, key=lambda m: (-m.score * m.facet.weight, m.facet.kind,
                                           m.facet.text))
    matches = []
    remaining = 1.0
    used: set[str] = set()
    for m in ordered:
        weights = {t: idf.get(t, 1.0) * post.salience[t] for t in m.terms}
        fresh = sum(w for t, w in weights.items() if t not in used) / sum(weights.values())
        used |= set(m.terms)
        cap = FACET_CAP.get(m.facet.kind, DEFAULT_CAP)
        weight = m.facet.weight
        if m.facet.kind == "history" and m.score < 0.5 and not _names(m, idf):
            # Under half of a shared history's words, without the one that names it
            # ('payments migration' without 'HSBC'), is more likely another story: it says
            # no more than a history tag would.
            weight = FACET_WEIGHT["history tag"]
        contribution = min(cap, weight * m.score) * fresh
        if m.facet.generic:
            contribution *= GENERIC
        if contribution < 0.3:
            contribution = contribution * contribution / 0.3  # passing overlaps fade
        if contribution >= 0.05:
            remaining *= 1 - contribution
            matches.append(m)
    topical = 1 - remaining
    if not any(set(m.terms) & post.focus for m in matches):
        topical *= OFF_FOCUS
    return topical, tuple(matches)


def _names(m: Match, idf: Mapping[str, float]) -> bool:
    """Whether a history match includes what names the history: its rarest topics among the
    site's posts ('HSBC' in 'the HSBC payments migration', 'Raft' in 'the Raft reading
    group'); concepts first, words only when the label has no concept."""
    terms = [t for t in m.facet.terms if t.startswith("@")] or list(m.facet.terms)
    top = max(idf.get(t, 0.0) for t in terms)
    return any(idf.get(t, 0.0) == top and t in m.terms for t in terms)


def reasons(rel: Relevance, post: Post) -> Iterable[str]:
    """Plain, true words: which part of their profile met which words of the post."""
    for m in rel.matches[:3]:
        shown = []
        for term in m.terms[:3]:
            text, where = post.surface[term]
            same = ""
            if term.startswith("@") and canonical(text) != canonical(m.facet.text):
                same = f", both about {term[1:].removeprefix('user:').replace('-', ' ')}"
            place = "a tag" if where == "tags" else f"in the {where}"
            shown.append(f"“{text}” ({place}{same})")
        found = ", ".join(shown)
        kind = m.facet.kind
        if kind == "interest":
            yield f"interest “{m.facet.text}” matches {found}"
        elif kind == "history":
            yield f"shared history “{m.facet.text}”: the post has {found}"
        elif kind == "history tag":
            yield f"a shared-history tag “{m.facet.text}” matches {found}"
        elif kind == "notes":
            yield f"your notes on them mention {found}"
        elif kind == "org":
            yield f"their work (“{m.facet.text}”) matches {found}"
        else:
            yield f"how you met (“{m.facet.text}”) matches {found}"


def _prose_weight(term: str) -> float:
    if not term.startswith("@"):
        return 0.5
    return 0.4 if term[1:] in LANGUAGE_NAMES or term[1:] in PLACES else 1.0
