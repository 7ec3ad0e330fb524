"""Drafts a native speaker would send: the right name, language, length and channel shape.

A draft may quote only what is safe to say to the person's face: the
greeting, a shared-history label and the interests the post matched, each
only when written in the draft's language (a Chinese draft never quotes an
English label; a Latin-script interest is quoted in a Chinese or Japanese
draft only when it is a name such as Kubernetes). Never notes, taste or
circle. The draft is in the language of the version it links. Latin words
and CJK text are spaced apart; the post's own title is quoted as written.

Templates rotate (templates.py): ``variant`` picks one body, opener and
closer, and ``assign_variants`` gives people who know each other different
ones. Channel shapes: an email gets a subject line; LinkedIn stays within
its 300-character note limit; chat apps get one short message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import chinese
from .languages import base_language
from .templates import BODIES, CLOSERS, JOIN, OPENERS, SUBJECTS

LANGUAGES = ("en", "zh", "zh-hant", "ja")
LINKEDIN_LIMIT = 300
CHAT = ("wechat", "telegram", "whatsapp", "signal", "x", "mastodon", "bluesky", "phone")
BODY_COUNT = 3
VARIANTS = BODY_COUNT * 4
"""Distinct (body, closer) pairs a variant number walks through."""

# Anything that asks the reader to do something. Questions are asks too.
ASK_PATTERNS: dict[str, tuple[str, ...]] = {
    "en": (r"\bcan you\b", r"\bcould you\b", r"\bwould you\b", r"\bwill you\b",
           r"\bplease\b", r"\bpls\b", r"\blet me know\b", r"\bfeedback\b", r"\bthoughts\b",
           r"\bwhat do you think\b", r"\bfavou?r\b", r"\bintroduce\b", r"\bintro\b",
           r"\bhop on\b", r"\bcall\b", r"\bshare (?:this|it)\b", r"\bforward\b",
           r"\bretweet\b", r"\bsubscribe\b", r"\bsign up\b", r"\bcheck (?:it|this) out\b",
           r"\bhelp me\b", r"\bdo you mind\b", r"\bneed you\b", r"\bask\b", r"\bhire\b",
           r"\breview\b", r"\bcomment\b", r"\bspread the word\b", r"\blike\b"),
    "zh": ("能不能", "能否", "可不可以", "可以吗", "麻烦", "帮我", "帮忙", "请", "請", "转发",
           "轉發", "点赞", "點讚", "关注一下", "反馈", "反饋", "意见", "意見", "看看吧",
           "指点", "指教", "评论", "評論", "求"),
    "ja": ("ください", "下さい", "お願い", "いただけ", "頂け", "もらえ", "教えて", "ご意見",
           "フィードバック", "拡散", "シェアして", "感想", "コメント", "頼"),
}
_QUESTION = re.compile(r"[?？]")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN_NAME = re.compile(r"^(?:[A-Z0-9][\w.+#-]*|[a-z]+[A-Z][\w.+#-]*)(?: [A-Z0-9][\w.+#-]*)*$")


def ask_lint(text: str) -> list[str]:
    """Every ask found in ``text`` (any language's patterns); [] when it asks nothing."""
    found = [m.group() for m in _QUESTION.finditer(text)]
    lowered = text.lower()
    for patterns in ASK_PATTERNS.values():
        for pattern in patterns:
            found += [m.group() for m in re.finditer(pattern, lowered)]
    return found


def draft_language(languages: Sequence[str]) -> str:
    """The first of the contact's languages we have templates for; English otherwise."""
    for code in languages:
        lang = base_language(code)
        if lang in LANGUAGES:
            return lang
    return "en"


@dataclass(frozen=True)
class Draft:
    text: str
    subject: str = ""
    """An email's subject line ('' for other channels)."""
    language: str = "en"


@dataclass(frozen=True)
class DraftRequest:
    """Everything a draft may say. ``history`` and ``interests`` are candidates: only those
    written in the draft's language are quoted."""

    language: str
    greeting: str
    title: str
    link: str
    history: tuple[tuple[str, str], ...] = ()
    """(language or '', label) pairs of the best-matching shared history."""
    interests: tuple[str, ...] = ()
    old: bool = False
    """The post is not new: 'I wrote ... a while ago'."""
    channel: str = "email"
    close: bool = False
    """Circle 1-2: a warmer opener."""
    variant: int = 0


def quotable(text: str, language: str) -> bool:
    """Whether a label or an interest reads naturally in a draft in ``language``."""
    text = text.strip()
    if not text or ask_lint(text):
        return False
    has_cjk = bool(re.search(f"[{_CJK}]", text))
    kana = bool(re.search("[\u3040-\u30ff]", text))
    if language == "en":
        return not has_cjk and not re.search(r"[_/]|\w-\w", text)
    if language == "ja":
        # Kana, a name, or kanji that are not Simplified Chinese (旅行, 日本語; not 机器学习).
        return kana or bool(_LATIN_NAME.match(text)) or (
            has_cjk and not re.search(r"[A-Za-z]", text) and chinese.traditional(text) == text)
    # Chinese: Chinese text (not Japanese), or a name such as Kubernetes, SwiftUI, LLM.
    return (has_cjk and not kana) or bool(_LATIN_NAME.match(text))


def history_label(req: DraftRequest, lang: str) -> str:
    """The shared-history label written in the draft's language, or ''."""
    for code, label in req.history:
        if code and base_language(code) in (lang, "zh" if lang == "zh-hant" else lang):
            return label
    for code, label in req.history:
        if not code and quotable(label, "zh" if lang == "zh-hant" else lang):
            return label
    for code, label in req.history:
        # The label in the other Chinese script is the same words: 滙豐結算系統遷移 in a
        # Simplified draft is 汇丰结算系统迁移.
        if code and lang in ("zh", "zh-hant") and base_language(code) in ("zh", "zh-hant"):
            return chinese.simplified(label) if lang == "zh" else chinese.traditional(label)
    return ""


def write_draft(req: DraftRequest) -> Draft:
    """The draft for one person and one post."""
    lang = req.language if req.language in LANGUAGES else "en"
    base = "zh" if lang == "zh-hant" else lang
    history = history_label(req, lang)
    # 'Hiking, on hiking' says nothing: a topic that is the whole title is not repeated.
    interests = [i for i in req.interests if quotable(i, base)
                 and i.casefold() != req.title.strip().casefold()][:2]
    kind = "history" if history else "interest" if interests else "plain"
    bodies = BODIES[base]["old" if req.old else "new"][kind]
    closers = CLOSERS[base]
    short = req.channel in CHAT or req.channel == "linkedin"
    closer = closers[(req.variant // len(bodies)) % len(closers)]
    openers = OPENERS[base]["close" if req.close else "other"]
    values = {"greeting": req.greeting, "title": req.title, "link": req.link,
              "history": _ours(history, lang), "interests": JOIN[base].join(
                  _ours(i, lang) for i in interests)}
    opener = _ours(openers[req.variant % len(openers)], lang).format(**values)
    template = bodies[req.variant % len(bodies)]
    if "「" in req.title or "」" in req.title:
        template = template.replace("「{title}」", "『{title}』")  # 「」 inside: 『』 outside
    body = _ours(template, lang).format(**values)
    if base == "en" and short and not template.startswith(("I ", "I'", "{")):
        body = body[0].lower() + body[1:]  # one line: 'Hi Ada, new post: ...'
    sep = ("\n" if not short else " ") if base == "en" else "" if short else "\n"
    text = space_out(opener + sep + body, (req.title, req.link))
    if closer:
        text += "\n" + _ours(closer, lang)
    if req.channel == "linkedin" and len(text) > LINKEDIN_LIMIT:
        text = space_out(opener + " " + _ours(BODIES[base]["old" if req.old else "new"]
                                              ["plain"][0], lang).format(**values),
                         (req.title, req.link))
    subject = ""
    if req.channel == "email":
        subject = _ours(SUBJECTS[base][req.variant % len(SUBJECTS[base])], lang).format(
            title=req.title)
    return Draft(text, subject, lang)


def _ours(text: str, lang: str) -> str:
    """Our own words in Traditional Chinese for a zh-Hant draft (slots left alone)."""
    if lang != "zh-hant" or not text:
        return text
    parts = re.split(r"(\{\w+\})", text)
    return "".join(p if p.startswith("{") else chinese.traditional(p) for p in parts)


_BETWEEN = re.compile(rf"(?<=[{_CJK}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=[{_CJK}])")


def space_out(text: str, keep: Sequence[str] = ()) -> str:
    """A space between CJK and Latin words ('和你关注的 Kubernetes 有关'), except inside the
    pieces in ``keep`` (the post's title and link are quoted as written)."""
    kept = [k for k in keep if k]
    pattern = "(" + "|".join(re.escape(k) for k in sorted(kept, key=len, reverse=True)) + ")" \
        if kept else None
    parts = re.split(pattern, text) if pattern else [text]
    out = []
    for index, part in enumerate(parts):
        if pattern and index % 2:
            out.append(part)
        else:
            out.append(_BETWEEN.sub(" ", part))
    return "".join(out)


def assign_variants(people: Sequence[str], start: dict[str, int],
                    knows: Mapping[str, set[str]]) -> dict[str, int]:
    """A variant per person, starting from ``start``, so that people who know each other
    (``knows``) never get the same one (while variants last)."""
    chosen: dict[str, int] = {}
    for person in people:
        taken = {chosen[o] for o in knows.get(person, ()) if o in chosen}
        first = start.get(person, 0)
        order = [(first + step) % VARIANTS for step in range(VARIANTS)]
        # Another body first (the sentence differs, not just the closing line), then any
        # other variant.
        free = [v for v in order if v % BODY_COUNT not in {t % BODY_COUNT for t in taken}] or \
            [v for v in order if v not in taken] or order
        chosen[person] = free[0]
    return chosen
