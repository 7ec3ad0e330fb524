"""Who might care about a post: gates, then relevance, then a small nudge for due people.

Order matters and is the point of the design:

1. Gates drop people outright: do_not_contact, snoozed, an avoided topic,
   already sent or skipped, a share in the last 30 days, no usable channel.
2. Relevance is lexical and explainable. The post (all its translations)
   becomes weighted terms: a term in the title or tags is central, one in
   the summary nearly so, one in the body counts by how often it appears.
   Each part of a contact's profile (an interest, a shared-history entry,
   the notes, where they work, how you met) is scored by how much of it the
   post covers, weighted by how rare each term is among the site's posts.
3. A contact who reads none of the post's languages keeps only part of the
   score (they would need a translator).
4. Only people whose relevance clears a bar are shown. Being due for a touch
   then nudges the order, never the bar: nobody irrelevant is ever suggested
   because it has been a while.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..model import Page, Site
from .contacts import Book
from .drafts import draft_language, write_draft
from .model import NOT_A_TOUCH, Contact, Suggestion, Touch
from .periods import ago
from .text import PROSE_STOPWORDS, Analysis, Vocabulary, analyze, canonical, merge, stem
from .vocabulary import LANGUAGE_NAMES

BAR = 0.30
"""Relevance a person must reach to be suggested at all."""
DUE_BOOST = 0.15
"""At most +15% for the most overdue: enough to reorder near-ties, not to lift."""
OTHER_LANGUAGE = 0.6
"""Share of relevance kept for someone who reads none of the post's languages."""
DUPLICATE = 0.85
"""Score kept by a near-duplicate of someone closer on the same list."""
SHARE_CAP_DAYS = 30
DEFAULT_LIMIT = 5

# How central a term is, by where the post uses it.
HEAD = 1.0
SUMMARY = 0.8
PARENT = 0.5
"""A broader topic implied by a concept ('@ai' from '@llm') counts this much."""

# How much each part of a profile can say about interest in a post.
FACET_WEIGHT = {"interest": 1.0, "history": 1.0, "history tag": 0.6, "notes": 0.8,
                "org": 0.5, "met": 0.5}
FACET_CAP = 0.85
"""One facet alone never makes a certainty: a second matching facet still ranks higher."""
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


@dataclass
class Ranker:
    """Everything needed to rank: the site's posts as terms, and the contacts' profiles."""

    site: Site
    book: Book
    today: dt.date
    vocab: Vocabulary = field(default_factory=Vocabulary.builtin)
    posts: dict[str, Post] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    profiles: dict[str, tuple[Facet, ...]] = field(default_factory=dict)
    touches: dict[str, list[Touch]] = field(default_factory=dict)
    by_term: dict[str, set[str]] = field(default_factory=dict)
    """term -> ids of contacts whose profile has it."""
    avoid: dict[str, list[dict[str, int]]] = field(default_factory=dict)
    """contact id -> the terms of each avoid_topics entry."""
    _relevance: dict[tuple[str, str], Relevance] = field(default_factory=dict)
    _candidates: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for group in self.book.alias_groups:
            self.vocab.add_synonyms(group)
        for key, pages in group_posts(self.site).items():
            self.posts[key] = self._post(key, pages)
        df: dict[str, int] = {}
        for post in self.posts.values():
            for term in post.salience:
                df[term] = df.get(term, 0) + 1
        n = max(1, len(self.posts))
        self.idf = {t: math.log(1 + n / d) / math.log(1 + n) for t, d in df.items()}
        for contact in self.book.contacts.values():
            self.profiles[contact.id] = self._profile(contact)
            for facet in self.profiles[contact.id]:
                for term in facet.terms:
                    self.by_term.setdefault(term, set()).add(contact.id)
            self.avoid[contact.id] = [analyze(t, self.vocab, whole=True).counts
                                      for t in contact.avoid_topics]
        for touch in self.book.touches:
            if touch.date <= self.today:
                self.touches.setdefault(touch.contact, []).append(touch)

    # --- posts

    def _post(self, key: str, pages: Sequence[Page]) -> Post:
        salience: dict[str, float] = {}
        surface: dict[str, tuple[str, str]] = {}
        topics: set[str] = set()
        focus: set[str] = set()

        def note(analysis: Analysis, where: str, value: float | None) -> None:
            for term, count in analysis.counts.items():
                s = body_salience(count) if value is None else value
                if s > salience.get(term, 0.0):
                    salience[term] = s
                    surface[term] = (analysis.surfaces[term], where)

        for page in pages:
            title = analyze(page.title, self.vocab)
            tags = merge(analyze(tag.replace("-", " "), self.vocab, whole=True)
                         for tag in page.tags)
            note(title, "title", HEAD)
            note(tags, "tags", HEAD)
            if page.summary:
                note(analyze(page.summary, self.vocab), "summary", SUMMARY)
            note(analyze(page.text, self.vocab), "text", None)
            topics |= set(title.counts) | set(tags.counts)
            focus |= set(title.counts)
        for term in list(salience):
            if term.startswith("@"):
                for parent in self.vocab.ancestors(term[1:]):
                    s = salience[term] * PARENT
                    if s > salience.get("@" + parent, 0.0):
                        salience["@" + parent] = s
                        surface["@" + parent] = surface[term]
        return Post(key, tuple(pages), salience, surface, frozenset(self._widen(topics)),
                    frozenset(self._widen(focus)))

    def _widen(self, terms: set[str]) -> set[str]:
        """Terms plus the broader concepts of each concept."""
        wide = set(terms)
        for term in terms:
            if term.startswith("@"):
                wide |= {"@" + p for p in self.vocab.ancestors(term[1:])}
        return wide

    # --- contacts

    def _profile(self, contact: Contact) -> tuple[Facet, ...]:
        facets: list[Facet] = []

        def add(kind: str, text: str, weight: float, *, whole: bool = False,
                bag: bool = False, skip: frozenset[str] = frozenset()) -> None:
            if text.strip():
                terms = {t: n for t, n in analyze(text, self.vocab, whole=whole).counts.items()
                         if t not in skip}
                if terms:
                    facets.append(Facet(kind, text, weight * FACET_WEIGHT[kind], terms, bag))

        for interest in contact.interests:
            add("interest", interest.topic, 0.85 + 0.15 * interest.weight, whole=True)
        for item in contact.history:
            add("history", item.label, 1.0)
            for tag in item.tags:
                add("history tag", tag, 1.0, whole=True)
        add("notes", contact.notes, 1.0, bag=True)
        add("org", contact.company, 1.0, whole=True)
        add("org", contact.title, 1.0, whole=True, skip=JOB_WORDS)
        add("met", contact.met_where, 1.0)
        return tuple(facets)

    def _idf(self, term: str) -> float:
        return self.idf.get(term, 1.0)

    def match(self, facet: Facet, post: Post) -> Match | None:
        hits = [(self._idf(t) * post.salience[t], t) for t in facet.terms if t in post.salience]
        if not hits:
            return None
        hits.sort(reverse=True)
        if facet.bag:
            # Prose: only words the post is about count; a concept ('k8s', '大模型') says
            # more than a plain word, and a language name mostly says what they read.
            hits = [(h * _prose_weight(t), t) for h, t in hits
                    if post.salience[t] >= STRONG and t not in PROSE_STOPWORDS]
            hits = [hit for hit in hits if hit[0] > 0]
            if not hits:
                return None
            hits.sort(reverse=True)
            score = 1 - math.exp(-sum(h for h, _ in hits))
        else:
            total = sum(self._idf(t) for t in facet.terms)
            score = sum(h for h, _ in hits) / total if total else 0.0
        return Match(facet, score, tuple(t for _, t in hits))

    def relevance(self, contact: Contact, post: Post) -> Relevance:
        cached = self._relevance.get((contact.id, post.key))
        if cached is None:
            cached = self._relevance[contact.id, post.key] = self._relevance_of(contact, post)
        return cached

    def _relevance_of(self, contact: Contact, post: Post) -> Relevance:
        found = [m for f in self.profiles.get(contact.id, ()) if (m := self.match(f, post))]
        found.sort(key=lambda m: (-m.score * m.facet.weight, m.facet.kind, m.facet.text))
        matches = []
        remaining = 1.0
        used: set[str] = set()
        for m in found:
            # The same post words found again through another facet (an interest and a
            # history tag both saying 'java') are one piece of evidence, not two.
            weights = {t: self._idf(t) * post.salience[t] for t in m.terms}
            fresh = sum(w for t, w in weights.items() if t not in used) / sum(weights.values())
            used |= set(m.terms)
            contribution = min(FACET_CAP, m.facet.weight * m.score) * fresh
            if contribution < 0.3:
                contribution = contribution * contribution / 0.3  # passing overlaps fade
            if contribution >= 0.05:
                remaining *= 1 - contribution
                matches.append(m)
        topical = 1 - remaining
        if not any(set(m.terms) & post.focus for m in matches):
            topical *= OFF_FOCUS
        lang, reads = self.version_for(contact, post)
        value = topical * (1.0 if reads else OTHER_LANGUAGE)
        return Relevance(value, topical, tuple(matches), lang, reads)

    def version_for(self, contact: Contact, post: Post) -> tuple[str, bool]:
        """(language code of the version to link, whether the contact reads it)."""
        wanted = contact.languages or (self.site.config.language,)
        config = self.site.config
        for code in wanted:
            for exact in (True, False):
                for page in post.pages:
                    if _same_language(code, page.lang, config.lang(page.lang).tag, exact):
                        return page.lang, True
        return post.primary.lang, False

    # --- gates and due-ness

    def last_touch(self, contact: Contact) -> dt.date | None:
        dates = [t.date for t in self.touches.get(contact.id, ()) if t.kind not in NOT_A_TOUCH]
        if contact.last_contacted and contact.last_contacted <= self.today:
            dates.append(contact.last_contacted)
        return max(dates, default=None)

    def overdue_days(self, contact: Contact) -> int | None:
        """Days past the cadence (0 on the day it falls due); None when not due."""
        last = self.last_touch(contact)
        if last is None or contact.cadence is None:
            return None
        days = (self.today - contact.cadence.after(last)).days
        return days if days >= 0 else None

    def due(self, contact: Contact) -> tuple[float, str]:
        """(how due, 0 when not; 1 when long overdue), and the reason in words."""
        last = self.last_touch(contact)
        if last is None:
            return 0.0, "no touch on record"
        since = f"last touch {last.isoformat()} ({ago((self.today - last).days)} ago)"
        if contact.cadence is None:
            return 0.0, since
        next_due = contact.cadence.after(last)
        if self.today < next_due:
            return 0.0, f"{since}; not due until {next_due.isoformat()}"
        overdue = (self.today - next_due).days
        score = min(1.0, 0.3 + 0.7 * overdue / contact.cadence.days)
        return score, f"{since}; due for a touch (every {contact.cadence}), " + (
            f"overdue by {ago(overdue)}" if overdue else "from today")

    def person_gate(self, contact: Contact) -> str:
        """Why nobody should contact this person now ('' when nothing stops it)."""
        if contact.do_not_contact:
            return "do_not_contact"
        if contact.snooze_until and contact.snooze_until > self.today:
            return "snoozed"
        if contact.channel is None:
            return "no usable channel"
        shares = [t.date for t in self.touches.get(contact.id, ()) if t.kind == "share"]
        if shares and (self.today - max(shares)).days < SHARE_CAP_DAYS:
            return "shared something in the last 30 days"
        return ""

    def post_gate(self, contact: Contact, post: Post) -> str:
        for touch in self.touches.get(contact.id, ()):
            if touch.post == post.key and touch.kind in ("share", "skip"):
                return f"already {'shared' if touch.kind == 'share' else 'skipped'}"
        avoided = self.avoid.get(contact.id)
        if avoided is None:  # a contact added after the ranker was built
            avoided = [analyze(t, self.vocab, whole=True).counts for t in contact.avoid_topics]
        if any(self._names(terms, post) for terms in avoided):
            return "avoided topic"
        return ""

    def names_topic(self, phrase: str, post: Post) -> bool:
        """Whether an avoid_topics entry names what the post is about (its title or tags)."""
        return self._names(analyze(phrase, self.vocab, whole=True).counts, post)

    def _names(self, terms: Mapping[str, int], post: Post) -> bool:
        concepts = {t for t in terms if t.startswith("@")}
        if concepts:
            return bool(concepts & post.topics)
        return bool(terms) and all(t in post.topics for t in terms)

    # --- suggestions

    def suggestions(self, post: Post, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
        """The share list for one post, best first, at most ``limit``."""
        ranked: list[tuple[float, str, Relevance, str]] = []
        for cid in sorted(self.candidates(post)):
            contact = self.book.contacts[cid]
            if self.person_gate(contact) or self.post_gate(contact, post):
                continue
            rel = self.relevance(contact, post)
            if rel.value >= BAR:
                ranked.append((self.score(contact, rel), cid, rel, ""))
        ranked = self._spread(ranked)
        ranked.sort(key=lambda item: (-item[0], item[1]))
        return [self.suggest(self.book.contacts[cid], post, rel, score, note)
                for score, cid, rel, note in ranked[:limit]]

    def candidates(self, post: Post) -> set[str]:
        """Contacts sharing at least one term with the post: nobody else can be relevant."""
        found = self._candidates.get(post.key)
        if found is None:
            found = self._candidates[post.key] = set()
            for term in post.salience:
                found |= self.by_term.get(term, set())
        return found

    def score(self, contact: Contact, rel: Relevance) -> float:
        """Relevance, nudged up for people due a touch and, a little, for closer friends."""
        due, _ = self.due(contact)
        closeness = 1 + 0.04 * (3 - contact.circle)  # a closer friend wins a near-tie
        return rel.value * (1 + DUE_BOOST * due) * closeness / ((1 + DUE_BOOST) * 1.08)

    def _spread(self, ranked: list[tuple[float, str, Relevance, str]]
                ) -> list[tuple[float, str, Relevance, str]]:
        """Near-duplicates (same company and shared history or interests) crowd a list and
        one message often reaches them all: the closest of them keeps their score, the
        others are lowered a little, as in maximal marginal relevance."""
        contacts = self.book.contacts
        result = []
        done: set[str] = set()
        for item in sorted(ranked, key=lambda item: (-item[0], item[1])):
            if item[1] in done:
                continue
            group = [o for o in ranked if o[1] not in done
                     and _near_duplicates(contacts[item[1]], contacts[o[1]])]
            entry = min(group, key=lambda o: (contacts[o[1]].circle, -o[0], o[1]))
            for score, cid, rel, _ in group:
                done.add(cid)
                if cid == entry[1]:
                    result.append((score, cid, rel, ""))
                else:
                    result.append((score * DUPLICATE, cid, rel,
                                   f"profile much like {contacts[entry[1]].name}'s (same "
                                   "company and history), who is the closer contact"))
        return result

    def suggest(self, contact: Contact, post: Post, rel: Relevance, score: float | None = None,
                note: str = "") -> Suggestion:
        """One suggestion, with reasons, link and draft."""
        due, due_reason = self.due(contact)
        score = self.score(contact, rel) if score is None else score
        page = next(p for p in post.pages if p.lang == rel.lang)
        channel = contact.channel
        assert channel is not None  # gated before
        reasons = [*self.reasons(rel, post)]
        if not rel.reads:
            reasons.append(f"reads {'/'.join(contact.languages) or self.site.config.language} "
                           f"but this post is only in {'/'.join(post.langs)}: ranked lower")
        elif len(post.pages) > 1 or rel.lang != self.site.config.language:
            reasons.append(f"reads {rel.lang}: linking the {rel.lang} version")
        reasons.append(due_reason)
        if note:
            reasons.append(note)
        language = draft_language(contact.languages or (self.site.config.language,))
        interests = [m.facet.text for m in rel.matches if m.facet.kind == "interest"][:2]
        history = next((m.facet.text for m in rel.matches if m.facet.kind == "history"
                        and m.score >= 0.5), "")
        link = absolute_url(self.site, page)
        return Suggestion(
            key=post.key, contact=contact.id, name=contact.name, score=round(score, 3),
            relevance=round(rel.value, 3), channel=channel.type, handle=channel.handle,
            link=link, lang=page.lang, draft_lang=language, reasons=tuple(reasons),
            draft=write_draft(language, contact.salutation, page.title, link,
                              history=history, interests=interests),
            due=due > 0)

    def reasons(self, rel: Relevance, post: Post) -> Iterable[str]:
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

    def best_post(self, contact: Contact) -> tuple[Post, Relevance] | None:
        """The single post this person would value most, if any clears the bar."""
        best: tuple[float, str, Post, Relevance] | None = None
        for post in self.posts.values():
            if contact.id not in self.candidates(post) or self.post_gate(contact, post):
                continue
            rel = self.relevance(contact, post)
            if rel.value < BAR:
                continue
            stamp = post.date.isoformat() if post.date else ""
            if best is None or (rel.value, stamp) > (best[0], best[1]):
                best = (rel.value, stamp, post, rel)
        return None if best is None else (best[2], best[3])


JOB_WORDS = frozenset(stem(w) for w in """
engineer engineering developer programmer senior junior staff principal lead leader head chief
manager director officer president vp partner owner founder member associate assistant
specialist consultant intern editor 工程师 经理 总监 负责人 主管 组长 创始人 合伙人
""".split())  # noqa: SIM905
"""Job-title words that say nothing about topics ('Staff Engineer' is not about engineers)."""


def _near_duplicates(a: Contact, b: Contact) -> bool:
    if a.id == b.id:
        return True
    if not a.company or a.company.casefold() != b.company.casefold():
        return False
    labels = {h.label.casefold() for h in a.history} & {h.label.casefold() for h in b.history}
    topics = {i.topic.casefold() for i in a.interests}
    return bool(labels) or (bool(topics) and topics == {i.topic.casefold() for i in b.interests})


def _prose_weight(term: str) -> float:
    if not term.startswith("@"):
        return 0.5
    return 0.4 if term[1:] in LANGUAGE_NAMES else 1.0


def _same_language(wanted: str, code: str, tag: str, exact: bool) -> bool:
    wanted = wanted.lower()
    if exact:
        return wanted in (code.lower(), tag.lower())
    return wanted.split("-")[0] in (code.lower().split("-")[0], tag.lower().split("-")[0])


def group_posts(site: Site) -> dict[str, tuple[Page, ...]]:
    """Posts by key, newest first; each key's versions with the site language first."""
    order = {code: i for i, code in enumerate(site.config.language_codes)}
    groups: dict[str, list[Page]] = {}
    for by_lang in site.posts.values():
        for page in by_lang:
            groups.setdefault(page.key, []).append(page)
    for versions in groups.values():
        versions.sort(key=lambda p: (p.lang != site.config.language, order.get(p.lang, 99),
                                     p.source))

    def newest(item: tuple[str, list[Page]]) -> tuple[float, str]:
        dates = [p.date.timestamp() for p in item[1] if p.date]
        return (-max(dates, default=0.0), item[0])

    return {key: tuple(pages) for key, pages in sorted(groups.items(), key=newest)}


def absolute_url(site: Site, page: Page) -> str:
    return site.config.base_url + page.url.lstrip("/")

