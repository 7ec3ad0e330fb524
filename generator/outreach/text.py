"""Text to matchable terms: stemmed English words, CJK bigrams and topic concepts.

A term is one of:
- an English (or other Latin-script) word, lowercased and lightly stemmed
  ('engineers' -> 'engineer', 'hiring' -> 'hir');
- a CJK character bigram ('微信群' -> '微信', '信群'), because Chinese and
  Japanese have no spaces and a whole run would never match;
- a concept '@kubernetes', found through the vocabulary ('k8s', 'Kubernetes'
  and '容器编排' are all '@kubernetes'), which is how matching crosses
  languages and synonyms.

Words inside a concept match are not counted again as plain words, so
'machine learning' is one strong term rather than two weak ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .vocabulary import TABLE

_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[a-z0-9][a-z0-9+#]*|[{_CJK}]+", re.IGNORECASE)
_HIRAGANA = re.compile("[\u3040-\u309f]")
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
""".split())

# CJK function characters: a bigram containing one carries little meaning.
_CJK_STOP = frozenset("的了是在和与也就都而及或把被让给对向从到这那个些之其我你他她它们吗呢吧啊么着过很还又再最更已但如所因为于以且并则即等每各某该此哪谁啥怎样么得地年月日次")


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


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass
class _Segment:
    start: int
    """Offset in the canonical string."""
    end: int
    raw_start: int
    raw_end: int
    text: str
    latin: bool


def _segments(text: str) -> tuple[str, str, list[_Segment]]:
    """(normalized text, canonical string, segments): tokens joined by single spaces."""
    norm = unicodedata.normalize("NFKC", text)
    parts: list[str] = []
    segments: list[_Segment] = []
    pos = 0
    for m in _TOKEN.finditer(norm):
        raw = m.group()
        latin = _is_latin(raw[0])
        canon = stem(raw) if latin else raw
        segments.append(_Segment(pos, pos + len(canon), m.start(), m.end(), canon, latin))
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
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

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
        whole = form.startswith("=")
        canon = canonical(form[1:] if whole else form)
        if not canon:
            return
        self.parents.setdefault(concept, ())
        (self.whole_forms if whole else self.forms).setdefault(canon, set()).add(concept)
        self._pattern = None

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
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            alternatives = []
            for form in sorted(self.forms, key=lambda f: (-len(f), f)):
                left = r"(?<![^ ])" if _is_latin(form[0]) else ""
                right = r"(?![^ ])" if _is_latin(form[-1]) else ""
                alternatives.append(left + re.escape(form) + right)
            self._pattern = re.compile("|".join(alternatives) or r"(?!x)x")
        return self._pattern


@dataclass
class Analysis:
    """Terms of one piece of text, with how often and how each first appeared."""

    counts: dict[str, int] = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)

    def add(self, term: str, surface: str, count: int = 1) -> None:
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
    covered: list[tuple[int, int]] = []
    for m in vocab.pattern.finditer(canon):
        raw = _raw_span(norm, segments, m.start(), m.end())
        for concept in sorted(vocab.forms[m.group()]):
            result.add("@" + concept, raw)
        covered.append((m.start(), m.end()))
    for seg in segments:
        if seg.latin:
            if any(s < seg.end and seg.start < e for s, e in covered):
                continue
            word = seg.text
            if word in STOPWORDS or len(word) < 2 or (word.isdigit() and not _YEAR.match(word)):
                continue
            result.add(word, norm[seg.raw_start:seg.raw_end])
        else:
            for piece_start, piece in _uncovered(seg, covered):
                for i in range(len(piece) - 1):
                    bigram = piece[i:i + 2]
                    if (bigram[0] in _CJK_STOP or bigram[1] in _CJK_STOP
                            or _HIRAGANA.search(bigram)):
                        continue
                    result.add(bigram, norm[seg.raw_start + piece_start + i:][:2])
    return result


def _uncovered(seg: _Segment, covered: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Parts of a CJK run outside concept matches, as (offset in run, text)."""
    free = [True] * len(seg.text)
    for s, e in covered:
        for i in range(max(s, seg.start), min(e, seg.end)):
            free[i - seg.start] = False
    pieces: list[tuple[int, str]] = []
    start = None
    for i, ok in enumerate([*free, False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            pieces.append((start, seg.text[start:i]))
            start = None
    return pieces


def _raw_span(norm: str, segments: list[_Segment], start: int, end: int) -> str:
    """The text as written behind canonical offsets [start, end)."""
    inside = [s for s in segments if s.start < end and start < s.end]
    if not inside:
        return ""
    first, last = inside[0], inside[-1]
    raw_start = first.raw_start + (0 if first.latin else max(0, start - first.start))
    raw_end = last.raw_end - (0 if last.latin else max(0, last.end - end))
    return norm[raw_start:raw_end]


def merge(analyses: Iterable[Analysis]) -> Analysis:
    total = Analysis()
    for part in analyses:
        for term, count in part.counts.items():
            total.add(term, part.surfaces[term], count)
    return total


def term_set(analysis: Analysis | Mapping[str, int]) -> set[str]:
    counts = analysis.counts if isinstance(analysis, Analysis) else analysis
    return set(counts)
