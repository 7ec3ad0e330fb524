"""Who might care about a post: gates, then relevance, then a small nudge for due people.

Order matters and is the point of the design:

1. Gates drop people outright: do_not_contact, snoozed, no usable channel,
   held back after a one-way message (schedule.py), an avoided topic,
   already sent or skipped.
2. Relevance (relevance.py) is lexical and explainable.
3. A contact who reads none of the post's languages keeps only part of the
   score (they would need a translator).
4. Only people whose relevance clears a bar are shown. Being due for a touch
   then nudges the order, never the bar: nobody irrelevant is ever suggested
   because it has been a while.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from ..model import Page, Site
from .contacts import Book
from .drafts import (
    VARIANTS,
    DraftRequest,
    assign_variants,
    draft_language,
    quotable,
    write_draft,
)
from .languages import base_language
from .model import Contact, Suggestion
from .names import names_of, salutation
from .relevance import (
    Facet,
    Match,
    Post,
    Relevance,
    combine,
    match,
    read_post,
    read_profile,
    reasons,
)
from .schedule import Schedule
from .text import Vocabulary, analyze

__all__ = ["BAR", "DEFAULT_LIMIT", "Post", "Ranker", "absolute_url", "group_posts"]

BAR = 0.30
"""Relevance a person must reach to be suggested at all."""
DUE_BOOST = 0.15
"""At most +15% for the most overdue: enough to reorder near-ties, not to lift."""
OTHER_LANGUAGE = 0.6
"""Share of relevance kept for someone who reads none of the post's languages."""
DUPLICATE = 0.85
"""Score kept by a near-duplicate of someone closer on the same list."""
DEFAULT_LIMIT = 5
NEW_DAYS = 21
"""A post older than this is introduced as written 'a while ago'."""


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
    by_term: dict[str, set[str]] = field(default_factory=dict)
    """term -> ids of contacts whose profile has it."""
    avoid: dict[str, list[dict[str, int]]] = field(default_factory=dict)
    """contact id -> the terms of each avoid_topics entry."""
    knows: Mapping[str, set[str]] = field(default_factory=dict)
    """contact id -> ids of people they know (same company, history or introduction)."""
    schedule: Schedule = field(init=False)
    _relevance: dict[tuple[str, str], Relevance] = field(default_factory=dict)
    _candidates: dict[str, set[str]] = field(default_factory=dict)
    _variants: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.schedule = Schedule(self.book.touches, self.today)
        for group in self.book.alias_groups:
            self.vocab.add_synonyms(group)
        for key, pages in group_posts(self.site).items():
            self.posts[key] = read_post(key, pages, self.vocab)
        df: dict[str, int] = {}
        for post in self.posts.values():
            for term in post.salience:
                df[term] = df.get(term, 0) + 1
        n = max(1, len(self.posts))
        self.idf = {t: math.log(1 + n / d) / math.log(1 + n) for t, d in df.items()}
        for contact in self.book.contacts.values():
            self.profiles[contact.id] = read_profile(contact, self.vocab)
            for facet in self.profiles[contact.id]:
                for term in facet.terms:
                    self.by_term.setdefault(term, set()).add(contact.id)
            self.avoid[contact.id] = [analyze(t, self.vocab, whole=True).counts
                                      for t in contact.avoid_topics]
        self.knows = acquaintances(self.book.contacts.values())

    # --- relevance

    def relevance(self, contact: Contact, post: Post) -> Relevance:
        cached = self._relevance.get((contact.id, post.key))
        if cached is None:
            found = [m for f in self.profiles.get(contact.id, ())
                     if (m := match(f, post, self.idf, self.vocab))]
            topical, matches = combine(found, post, self.idf)
            lang, reads = self.version_for(contact, post)
            value = topical * (1.0 if reads else OTHER_LANGUAGE)
            cached = Relevance(value, topical, matches, lang, reads)
            self._relevance[contact.id, post.key] = cached
        return cached

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

    def candidates(self, post: Post) -> set[str]:
        """Contacts sharing at least one term with the post: nobody else can be relevant."""
        found = self._candidates.get(post.key)
        if found is None:
            found = self._candidates[post.key] = set()
            for term in post.salience:
                found |= self.by_term.get(term, set())
        return found

    # --- gates and due-ness (schedule.py has the rules)

    def last_touch(self, contact: Contact) -> dt.date | None:
        return self.schedule.last_touch(contact)

    def due(self, contact: Contact) -> tuple[float, str]:
        """(how due, 0 when not; 1 when long overdue), and the reason in words."""
        standing = self.schedule.standing(contact)
        reason = standing.reason(self.today)
        if standing.overdue is None:
            return 0.0, reason
        return min(1.0, 0.3 + 0.7 * standing.urgency), reason

    def person_gate(self, contact: Contact) -> str:
        """Why nobody should contact this person now ('' when nothing stops it)."""
        return self.schedule.gate(contact)

    def post_gate(self, contact: Contact, post: Post) -> str:
        done = self.schedule.already(contact.id).get(post.key)
        if done:
            return f"already {done}"
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

    def variant(self, contact: Contact, post: Post) -> int:
        """The draft variant for this person and post: stable, and different from the
        variant of anyone they know who could get the same post."""
        chosen = self._variants.get(post.key)
        if chosen is None:
            people = sorted(self.candidates(post) | {contact.id})
            start = {cid: int(hashlib.sha1(f"{cid}\0{post.key}".encode()).hexdigest(), 16)
                     % VARIANTS for cid in people}
            chosen = self._variants[post.key] = assign_variants(people, start, self.knows)
        if contact.id not in chosen:  # not a candidate (e.g. a test asking directly)
            self._variants.pop(post.key)
            self._candidates.setdefault(post.key, set()).add(contact.id)
            return self.variant(contact, post)
        return chosen[contact.id]

    def suggest(self, contact: Contact, post: Post, rel: Relevance, score: float | None = None,
                note: str = "") -> Suggestion:
        """One suggestion, with reasons, link and draft."""
        due, due_reason = self.due(contact)
        score = self.score(contact, rel) if score is None else score
        page = next(p for p in post.pages if p.lang == rel.lang)
        channel = contact.channel
        assert channel is not None  # gated before
        why = [*reasons(rel, post)]
        if not rel.reads:
            why.append(f"reads {'/'.join(contact.languages) or self.site.config.language} "
                       f"but this post is only in {'/'.join(post.langs)}: ranked lower")
        elif len(post.pages) > 1 or rel.lang != self.site.config.language:
            why.append(f"reads {rel.lang}: linking the {rel.lang} version")
        why.append(due_reason)
        if note:
            why.append(note)
        link = absolute_url(self.site, page)
        draft = write_draft(self.draft_request(contact, post, rel, page, link))
        return Suggestion(
            key=post.key, contact=contact.id, name=contact.name, score=round(score, 3),
            relevance=round(rel.value, 3), channel=channel.type, handle=channel.handle,
            link=link, lang=page.lang, draft_lang=draft.language, reasons=tuple(why),
            draft=draft.text, due=due > 0, subject=draft.subject)

    def draft_request(self, contact: Contact, post: Post, rel: Relevance, page: Page,
                      link: str) -> DraftRequest:
        """What the draft may say: the linked version's language when they read it."""
        language = base_language(self.site.config.lang(page.lang).tag) if rel.reads else \
            draft_language(contact.languages or (self.site.config.language,))
        own = draft_language(contact.languages) if contact.languages else language
        if language == "en" and own != "en" and all(n.han for n in names_of(contact)):
            # 'Hi 许立, an older post of mine...': someone known only by a Chinese name is
            # written to in Chinese, even about a post in English (its title is quoted).
            language = own
        history: list[tuple[str, str]] = []
        for m in rel.matches:
            if m.facet.kind == "history" and m.score >= 0.3:
                item = contact.history[m.facet.item]
                history = list(item.labels) or [("", item.label)]
                break
        # Only what the post is about (its title, tags or summary) is named in a draft: a
        # skills list that mentions Android does not make a post 'about Android'.
        interests = tuple(dict.fromkeys(
            _topic_words(m, post, page.lang, language) for m in rel.matches
            if m.facet.kind == "interest" and any(t in post.named for t in m.terms)))
        age = (self.today - post.date.date()).days if post.date else 0
        channel = contact.channel
        return DraftRequest(
            language=language, greeting=salutation(contact, language), title=page.title,
            link=link, history=tuple(history), interests=interests, old=age > NEW_DAYS,
            channel=channel.type if channel else "email", close=contact.circle <= 2,
            variant=self.variant(contact, post))

    def reasons(self, rel: Relevance, post: Post) -> Iterable[str]:
        return reasons(rel, post)

    def best_post(self, contact: Contact) -> tuple[Post, Relevance] | None:
        """The single post this person would value most, if any clears the bar."""
        best = self.best_posts(contact, 1)
        return best[0] if best else None

    def best_posts(self, contact: Contact, count: int) -> list[tuple[Post, Relevance]]:
        """The posts this person would value most (at most ``count``), best first; newer
        first among equals."""
        found: list[tuple[float, str, Post, Relevance]] = []
        for post in self.posts.values():
            if contact.id not in self.candidates(post) or self.post_gate(contact, post):
                continue
            rel = self.relevance(contact, post)
            if rel.value >= BAR:
                found.append((rel.value, post.date.isoformat() if post.date else "", post, rel))
        found.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [(post, rel) for _, _, post, rel in found[:count]]


def _topic_words(m: Match, post: Post, version: str, language: str) -> str:
    """How a draft names what the post is about: their own words when the post names all of
    them itself ('AI pair programming'), else the post's words in that version ('日本語', not
    their '日本語教師'; 'Kubernetes', not their 'kubernetes'; 'AI assistants', not their
    'Emacs' when the two meet only in a broader topic)."""
    own = post.words.get(version, {})
    theirs = m.facet.text.replace("-", " ").replace("_", " ")
    base = "zh" if language == "zh-hant" else language
    if set(m.facet.terms) <= set(m.terms) <= post.named and quotable(theirs, base):
        return _spelling(theirs, post, version)  # 'Kafka', not their 'kafka'
    return _spelling(own.get(m.terms[0]) or theirs, post, version)


def _spelling(words: str, post: Post, version: str) -> str:
    """How the post spells a word inside a sentence: a Title Case title says 'Hiking', the
    text says 'hiking'; a name stays a name ('Kafka') because the text never lowers it."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z .+#-]*", words):
        return words
    page = next((p for p in post.pages if p.lang == version), post.primary)
    found = re.findall(rf"(?<![\w.+#-]){re.escape(words)}(?![\w+#-])", page.text, re.IGNORECASE)
    if any(f == f.lower() for f in found):
        return words.lower()
    return max(found, key=found.count) if found else words


class Acquaintances(Mapping[str, set[str]]):
    """Who knows whom: same company, a shared-history label in common, or an introduction.

    Built from groups (a company, a label), so it costs the size of the groups rather
    than every pair of 10,000 contacts; each person's set is made when first asked for.
    """

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.people = {c.id: c for c in contacts}
        self.groups: dict[tuple[str, str], set[str]] = {}
        self.introduced: dict[str, set[str]] = {cid: set() for cid in self.people}
        for c in self.people.values():
            for key in self._keys(c):
                self.groups.setdefault(key, set()).add(c.id)
            if c.met_via in self.people and c.met_via != c.id:
                self.introduced[c.id].add(c.met_via)
                self.introduced[c.met_via].add(c.id)
        self._known: dict[str, set[str]] = {}

    @staticmethod
    def _keys(c: Contact) -> list[tuple[str, str]]:
        keys = [("company", c.company.casefold())] if c.company else []
        keys += [("label", text.casefold()) for h in c.history
                 for text in ([t for _, t in h.labels] or [h.label])]
        return keys

    def __getitem__(self, cid: str) -> set[str]:
        known = self._known.get(cid)
        if known is None:
            if cid not in self.people:
                raise KeyError(cid)
            known = set(self.introduced[cid])
            for key in self._keys(self.people[cid]):
                known |= self.groups[key]
            known.discard(cid)
            self._known[cid] = known
        return known

    def __iter__(self) -> Iterator[str]:
        return iter(self.people)

    def __len__(self) -> int:
        return len(self.people)


def acquaintances(contacts: Iterable[Contact]) -> Acquaintances:
    return Acquaintances(contacts)


def _near_duplicates(a: Contact, b: Contact) -> bool:
    if a.id == b.id:
        return True
    if not a.company or a.company.casefold() != b.company.casefold():
        return False
    labels = {h.label.casefold() for h in a.history} & {h.label.casefold() for h in b.history}
    topics = {i.topic.casefold() for i in a.interests}
    return bool(labels) or (bool(topics) and topics == {i.topic.casefold() for i in b.interests})


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
