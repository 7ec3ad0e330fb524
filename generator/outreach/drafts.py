"""Short, value-first drafts that ask for nothing.

A draft may quote only what is safe to say to the person's face: the
greeting, a shared-history label, and the interests the post matched.
Never notes, taste or circle: a draft must not reveal what your file says
about them. Every template passes the ask-lint below (a test runs it over
every template in every language), and a draft whose quoted pieces trip it
falls back to the plain template.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# language -> variant -> template. Slots: {greeting} {title} {link} {history} {interests}.
TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "history": "Hi {greeting}, I just wrote up “{title}”, and {history} came to mind "
                   "while writing it: {link}\nNo need to reply; I just thought of you.",
        "interest": "Hi {greeting}, I just published “{title}”. It touches on {interests}, "
                    "so I thought it might be useful to you: {link}\n"
                    "No need to reply; I just thought of you.",
        "plain": "Hi {greeting}, I just published “{title}” and thought of you: {link}\n"
                 "No need to reply.",
    },
    "zh": {
        "history": "{greeting}，最近写了一篇《{title}》，写的时候想起了“{history}”，"
                   "分享给你：{link}\n不用回复，只是想到了你。",
        "interest": "{greeting}，刚写了一篇《{title}》，和你关注的{interests}有关，"
                    "也许对你有用：{link}\n不用回复，只是想到了你。",
        "plain": "{greeting}，刚发了一篇《{title}》，想到了你：{link}\n不用回复。",
    },
    "zh-hant": {
        "history": "{greeting}，最近寫了一篇《{title}》，寫的時候想起了「{history}」，"
                   "分享給你：{link}\n不用回覆，只是想到了你。",
        "interest": "{greeting}，剛寫了一篇《{title}》，和你關注的{interests}有關，"
                    "也許對你有用：{link}\n不用回覆，只是想到了你。",
        "plain": "{greeting}，剛發了一篇《{title}》，想到了你：{link}\n不用回覆。",
    },
    "ja": {
        "history": "{greeting}、こんにちは。「{title}」という記事を書きました。"
                   "書きながら「{history}」のことを思い出したので共有します。{link}\n"
                   "返信は不要です。",
        "interest": "{greeting}、こんにちは。「{title}」という記事を書きました。"
                    "{interests}に関わる内容なので、お役に立つかもしれないと思い共有します。"
                    "{link}\n返信は不要です。",
        "plain": "{greeting}、こんにちは。「{title}」という記事を公開したので共有します。"
                 "{link}\n返信は不要です。",
    },
}

JOIN = {"en": " and ", "zh": "和", "zh-hant": "和", "ja": "や"}

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
        lowered = code.lower()
        if lowered.startswith("zh") and any(x in lowered for x in ("hant", "tw", "hk", "mo")):
            return "zh-hant"
        base = lowered.split("-")[0]
        if base in TEMPLATES:
            return base
    return "en"


def write_draft(language: str, greeting: str, title: str, link: str, *, history: str = "",
                interests: Sequence[str] = ()) -> str:
    """A draft in ``language``; the title and link are the linked version's."""
    templates = TEMPLATES.get(language, TEMPLATES["en"])
    joiner = JOIN.get(language, " and ")
    values = {"greeting": greeting, "title": title, "link": link, "history": history,
              "interests": joiner.join(interests)}
    variant = "history" if history else "interest" if interests else "plain"
    draft = templates[variant].format(**values)
    # The title and link are the post's own words; anything else quoted must not ask.
    checked = draft.replace(title, "").replace(link, "")
    if variant != "plain" and ask_lint(checked):
        draft = templates["plain"].format(**values)
    return draft
