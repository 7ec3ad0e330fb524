"""Text to matchable terms: English words, Chinese words, Japanese bigrams and concepts.

A term is one of:
- an English (or other Latin-script) word, lowercased and lightly stemmed
  ('engineers' -> 'engineer', 'migrating' -> 'migrat'); a short verb's -ing
  form stays whole, because it names an activity ('writing' is not 'writes');
- a Chinese word, as jieba segments the text after OpenCC has made it
  Simplified (so 分散式系統 and 分布式系统 meet, and 工程师 stays one word);
- a Japanese character bigram (kana and kanji have no spaces, and we ship no
  Japanese dictionary);
- a concept '@kubernetes', found through the vocabulary ('k8s', 'Kubernetes'
  and '容器编排' are all '@kubernetes'), which is how matching crosses
  languages and synonyms. A Chinese form matches only on word boundaries
  (投资 is not found inside 投资人).

Word senses: an English word used as a verb ('the rule trips everyone up',
'unused indexes cost writes') is not a topic and makes no term. A form marked
``~`` in the vocabulary ('trip', 'book', 'history') is ambiguous: it names its
concept only where the text also names that concept unambiguously
(``Analysis.weak``), or as a whole tag or interest.

Words inside a concept match are not counted again as plain words, so
'machine learning' is one strong term rather than two weak ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import chinese
from .vocabulary import TABLE

_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[a-z0-9][a-z0-9+#]*|[{_CJK}]+", re.IGNORECASE)
_HIRAGANA = re.compile("[\u3040-\u309f]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile("[\uac00-\ud7af]")
_YEAR = re.compile(r"^(19|20)\d\d$")

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either else
etc even ever every few for from further had has have having he her here hers herself him
himself his how however i if in into is it its itself just least less let like made make
makes making many may me might more most much must my myself near need neither never no nor
not now of off often on once one only or other our ours ourselves out over own per quite
rather really same she should since so some such than that the their theirs them themselves
then there these they this those though through thus to too under until up upon us very
via was we well were what when where whether which while who whom whose why will with within
without would yet you your yours yourself yourselves
get gets got getting go goes going gone went come came take took use used using uses say says
said tell told ask asked know knew think thought want wanted see saw seen look looked way
thing things lot lots bit kind sort really year years month months week weeks day days time
times today yesterday tomorrow ago last first second third new old good great best better
bad big small long short little next back still already always sometimes usually maybe
two three four five six seven eight nine ten hundred thousand
our we'd i'm it's don't
everyone everybody someone somebody anyone anybody nobody
""".split())  # noqa: SIM905



# CJK function characters: a bigram containing one carries little meaning.
_CJK_STOP = frozenset(
    "的了是在和与也就都而及或把被让给对向从到这那个些之其我你他她它们吗呢吧啊么着过很"
    "还又再最更已但如所因为于以且并则即等每各某该此哪谁啥怎样么得地年月日次")


def stem(word: str) -> str:
    """A light English stemmer: enough to make plurals and -ing/-ed/-ation forms meet."""
    w = word.lower()
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("'s"):
        w = w[:-2]
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "xes", "ches", "shes", "zzes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, repl in (("izations", "ize"), ("ization", "ize"), ("isation", "ize"),
                         ("ational", "ate"), ("ation", "ate"), ("ness", ""), ("ing", ""),
                         ("ed", ""), ("ly", "")):
        if w.endswith(suffix):
            base = w[: -len(suffix)] + repl
            undoubled = base[:-1] if len(base) > 2 and base[-1] == base[-2] else base
            if suffix in ("ing", "ed") and len(undoubled) < 5:
                break  # writing, hiring, coding: an activity, not a form of 'writes'
            if len(base) >= 3 and any(c in "aeiouy" for c in base) and not w.endswith("eed"):
                w = base
                if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                    w = w[:-1]  # running -> run, but keep 'install'
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]  # hire/hiring, migrate/migration meet at 'hir', 'migrat'
    if w.endswith("ise") and len(w) > 5:
        w = w[:-3] + "iz"
    return w


# Everyday verbs and adjectives: in prose notes they say nothing about interests.
PROSE_STOPWORDS = frozenset(stem(w) for w in """
speak speaks spoke read reads write writes wrote work works worked study studies learn learns
learned teach teaches taught talk talks talked send sent sends keep keeps kept like likes love
loves enjoy enjoys prefer prefers find found try tried start started help helps helped argue
argued slow slowly fast quick rare rarely often usual usually always never once twice
person people friend friends guy everyone someone anything everything something nothing
lot half whole part place home life world stuff
""".split())  # noqa: SIM905


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


# --- word senses (English)

AMBIGUOUS_WORDS = frozenset(stem(w) for w in """
cost trip ship run lead book watch play drive log post bank charge bill store date train
record shoot host fund trade
""".split())  # noqa: SIM905
"""Words whose verb sense is not their topic's sense ('trip' the journey, 'trips everyone up';
'cost' the spend, 'indexes cost writes'). A verb that names its own topic ('I interview
engineers') is not here."""
_VERB_BEFORE = frozenset("""
i we you they he she it who that which to will would can could should may might must do does
did don't doesn't didn't won't can't never always also just often rarely still really only
""".split())  # noqa: SIM905
_NOUN_BEFORE = frozenset("""
a an the my our your his her their this these those each every one road business field first
""".split())  # noqa: SIM905
_SINGULAR = frozenset(["a", "an", "one", "each", "every", "this"])
_PARTICLES = frozenset(["up", "out", "off", "over", "down", "away", "around", "back", "through"])
_OBJECTS = frozenset("""
everyone everybody us them me you him her it a an the my our your their some all
""".split())  # noqa: SIM905


def _verb_senses(norm: str, tokens: list[tuple[str, int, int]]) -> set[int]:
    """Indexes of ambiguous words used as verbs: 'to cost', 'trips everyone up',
    'indexes cost writes' (a plural subject right before, an object right after)."""
    verbs: set[int] = set()
    lowered = [t.lower() for t, _, _ in tokens]

    def adjacent(i: int, j: int) -> bool:
        return 0 <= i < j < len(tokens) and not norm[tokens[i][2]:tokens[j][1]].strip()

    for i, word in enumerate(lowered):
        if not word.isalpha() or stem(word) not in AMBIGUOUS_WORDS:
            continue
        before = lowered[i - 1] if adjacent(i - 1, i) else ""
        if before in _NOUN_BEFORE and not (before in _SINGULAR and word.endswith("s")):
            continue  # 'a trip', 'the cost'; but 'one costs a round trip' is a verb
        after = [lowered[k] for k in (i + 1, i + 2) if k < len(tokens) and adjacent(k - 1, k)]
        previous = tokens[i - 1][0]
        plural_subject = before.endswith("s") and len(before) > 3 and before.isalpha() and \
            before not in STOPWORDS and not previous.isupper()  # 'AWS costs' is no subject
        if before in _VERB_BEFORE or any(a in _PARTICLES for a in after) or \
                (word.endswith("s") and after[:1] and after[0] in _OBJECTS) or \
                (plural_subject and after[:1] and after[0] not in STOPWORDS):
            verbs.add(i)
    return verbs


# --- segments


@dataclass
class _Segment:
    start: int
    """Offset in the canonical string."""
    end: int
    raw_start: int
    raw_end: int
    text: str
    latin: bool
    words: tuple[str, ...] = ()
    """A Chinese run's words (jieba); empty for Latin words and Japanese runs."""
    verb: bool = False
    """A Latin word used as a verb: no term."""

    def bound(self, offset: int) -> bool:
        """Whether a match may start or end at ``offset`` of this CJK run."""
        if not self.words:
            return True
        edges = {0}
        for word in self.words:
            edges.add(max(edges) + len(word))
        return offset in edges


def _segments(text: str) -> tuple[str, str, list[_Segment]]:
    """(normalized text, canonical string, segments): tokens joined by single spaces."""
    norm = unicodedata.normalize("NFKC", text)
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(norm)]
    verbs = _verb_senses(norm, tokens) if any(_is_latin(t[0][0]) for t in tokens) else set()
    parts: list[str] = []
    segments: list[_Segment] = []
    pos = 0
    for index, (raw, start, end) in enumerate(tokens):
        latin = _is_latin(raw[0])
        words: tuple[str, ...] = ()
        if latin:
            canon = raw.lower() if raw.lower() in STOPWORDS else stem(raw)
        elif _KANA.search(raw) or _HANGUL.search(raw):
            canon = raw  # Japanese (or Korean): bigrams, no dictionary
        else:
            canon = chinese.simplified(raw)
            words = tuple(chinese.words(canon))
        if not latin and not words:
            canon = chinese.simplified(raw)  # kanji meet the vocabulary's (Simplified) forms
        segments.append(_Segment(pos, pos + len(canon), start, end, canon, latin, words,
                                 index in verbs))
        parts.append(canon)
        pos += len(canon) + 1
    return norm, " ".join(parts), segments


def canonical(phrase: str) -> str:
    return _segments(phrase)[1]


@dataclass
class Vocabulary:
    """Concepts, their surface forms in any language, and their broader parents."""

    forms: dict[str, set[str]] = field(default_factory=dict)
    """Canonical form -> concepts it names."""
    whole_forms: dict[str, set[str]] = field(default_factory=dict)
    """Forms that only count as a whole tag or interest ('=go')."""
    ambiguous: set[str] = field(default_factory=set)
    """Canonical forms that name their concept only with support ('~trip')."""
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _index: dict[str, list[tuple[str, ...]]] | None = None

    @classmethod
    def builtin(cls) -> Vocabulary:
        vocab = cls()
        for raw_line in TABLE.splitlines():
            line = raw_line.strip()
            if not line or line.startswith("#"):
                continue
            head, _, forms = line.partition(":")
            name, _, parents = head.partition("<")
            concept = name.strip()
            vocab.parents[concept] = tuple(parents.split())
            for form in forms.split("|"):
                vocab.add_form(concept, form.strip())
        return vocab

    def add_form(self, concept: str, form: str) -> None:
        whole, weak = form.startswith("="), form.startswith("~")
        text = form[1:] if whole or weak else form
        for run in re.findall(rf"[{_CJK}]+", text):
            if not _KANA.search(run):
                chinese.add_word(chinese.simplified(run))  # a form is one word to jieba
        canon = canonical(text)
        if not canon:
            return
        self.parents.setdefault(concept, ())
        (self.whole_forms if whole else self.forms).setdefault(canon, set()).add(concept)
        if weak:
            self.ambiguous.add(canon)
        self._index = None

    def add_synonyms(self, phrases: Iterable[str]) -> None:
        """One user alias group: join it to the concepts its phrases already name."""
        phrases = [p for p in phrases if canonical(p)]
        known: set[str] = set()
        for phrase in phrases:
            canon = canonical(phrase)
            known |= self.forms.get(canon, set()) | self.whole_forms.get(canon, set())
            if f"user:{canon}" in self.parents:
                known.add(f"user:{canon}")
        targets = known or {f"user:{canonical(phrases[0])}"} if phrases else set()
        for concept in targets:
            for phrase in phrases:
                self.add_form(concept, phrase)

    def ancestors(self, concept: str) -> set[str]:
        seen: set[str] = set()
        todo = list(self.parents.get(concept, ()))
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(self.parents.get(parent, ()))
        return seen

    @property
    def index(self) -> dict[str, list[tuple[str, ...]]]:
        """Forms as token tuples, by first word (or first CJK character), longest first."""
        if self._index is None:
            index: dict[str, list[tuple[str, ...]]] = {}
            for form in self.forms:
                parts = tuple(form.split(" "))
                key = parts[0] if _is_latin(parts[0][0]) else parts[0][0]
                index.setdefault(key, []).append(parts)
            for candidates in index.values():
                candidates.sort(key=lambda parts: (-sum(map(len, parts)) - len(parts), parts))
            self._index = index
        return self._index


@dataclass
class Analysis:
    """Terms of one piece of text, with how often and how each first appeared."""

    counts: dict[str, int] = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)
    weak: set[str] = field(default_factory=set)
    """Concepts named here only by ambiguous forms ('trip'): they need support elsewhere."""

    def add(self, term: str, surface: str, count: int = 1, *, weak: bool = False) -> None:
        if not weak:
            self.weak.discard(term)
        elif term not in self.counts:
            self.weak.add(term)
        self.counts[term] = self.counts.get(term, 0) + count
        self.surfaces.setdefault(term, surface)


def analyze(text: str, vocab: Vocabulary, *, whole: bool = False) -> Analysis:
    """Terms of ``text``; ``whole`` marks a tag or an interest (enables '=form' matches)."""
    result = Analysis()
    norm, canon, segments = _segments(text)
    if not canon:
        return result
    if whole and canon in vocab.whole_forms:
        for concept in sorted(vocab.whole_forms[canon]):
            result.add("@" + concept, norm.strip())
        return result
    free = [[not seg.verb] * (1 if seg.latin else len(seg.text)) for seg in segments]
    _concepts(norm, segments, free, vocab, result, whole)
    _plain_terms(norm, segments, free, result)
    if whole and not result.counts and re.fullmatch(f"[{_CJK}]{{2,8}}", canon):
        # An interest or a tag the segmenter cut into single characters (職涯 -> 职 涯,
        # which say nothing alone) is one word: it was silently dropped from the profile.
        result.add(canon, norm.strip())
    return result


def _concepts(norm: str, segments: list[_Segment], free: list[list[bool]], vocab: Vocabulary,
              result: Analysis, whole: bool) -> None:
    """Vocabulary forms found in the text; the characters they cover are no longer free."""
    index = vocab.index
    i = off = 0
    while i < len(segments):
        seg = segments[i]
        if not seg.latin and off >= len(seg.text):
            i, off = i + 1, 0
            continue
        found = None
        if (seg.latin and seg.verb) or (not seg.latin and not seg.bound(off)):
            candidates: list[tuple[str, ...]] = []
        else:
            candidates = index.get(seg.text if seg.latin else seg.text[off], [])
        for parts in candidates:
            end = _match_at(segments, i, off, parts)
            if end is not None:
                found = parts, end
                break
        if found is None:
            if seg.latin:
                i += 1
            else:
                off += 1
            continue
        parts, (j, end_off) = found
        last = segments[j]
        raw = norm[seg.raw_start + (0 if seg.latin else off):
                   last.raw_end if last.latin else last.raw_start + end_off]
        form = " ".join(parts)
        for concept in sorted(vocab.forms[form]):
            result.add("@" + concept, raw, weak=form in vocab.ambiguous and not whole)
        for k in range(i, j + 1):
            lo = off if k == i else 0
            hi = end_off if k == j else len(free[k])
            for c in range(lo, min(hi, len(free[k]))):
                free[k][c] = False
        if not last.latin and end_off < len(last.text):
            i, off = j, end_off
        else:
            i, off = j + 1, 0


def _plain_terms(norm: str, segments: list[_Segment], free: list[list[bool]],
                 result: Analysis) -> None:
    """Words no concept took: English words, Chinese words, Japanese bigrams."""
    for seg, mask in zip(segments, free, strict=True):
        if seg.latin:
            word = seg.text
            if not mask[0] or word in STOPWORDS or len(word) < 2 or \
                    (word.isdigit() and not _YEAR.match(word)):
                continue
            result.add(word, norm[seg.raw_start:seg.raw_end])
        elif seg.words:
            at = 0
            for word in seg.words:
                span = range(at, at + len(word))
                at += len(word)
                if len(word) < 2 or word in chinese.STOP_WORDS or not all(mask[c] for c in span) \
                        or all(ch in _CJK_STOP for ch in word):
                    continue
                result.add(word, norm[seg.raw_start + span.start:seg.raw_start + span.stop])
        else:
            for c in range(len(seg.text) - 1):
                bigram = seg.text[c:c + 2]
                if not (mask[c] and mask[c + 1]) or bigram[0] in _CJK_STOP or \
                        bigram[1] in _CJK_STOP or _HIRAGANA.search(bigram):
                    continue
                result.add(bigram, norm[seg.raw_start + c:][:2])


def _match_at(segments: list[_Segment], i: int, off: int, parts: tuple[str, ...]
              ) -> tuple[int, int] | None:
    """Where a form's parts end (segment, offset) if they start at segment i, offset off.

    Latin parts match whole words (not verbs); a CJK part matches inside a run when it
    is the first part (at ``off``) or the last (as a prefix), and must fill a run between.
    In Chinese, a part starts and ends on word boundaries.
    """
    end = (i, off)
    for k, part in enumerate(parts):
        j = i + k
        if j >= len(segments):
            return None
        seg = segments[j]
        if seg.latin != _is_latin(part[0]):
            return None
        if seg.latin:
            if seg.text != part or seg.verb:
                return None
            end = (j, 1)
            continue
        rest = seg.text[off:] if k == 0 else seg.text
        start = off if k == 0 else 0
        if k == len(parts) - 1:
            if not rest.startswith(part) or not seg.bound(start + len(part)):
                return None
            end = (j, start + len(part))
        elif rest != part:
            return None
        else:
            end = (j, len(seg.text))
    return end


def merge(analyses: Iterable[Analysis]) -> Analysis:
    total = Analysis()
    for part in analyses:
        for term, count in part.counts.items():
            total.add(term, part.surfaces[term], count, weak=term in part.weak)
    return total
