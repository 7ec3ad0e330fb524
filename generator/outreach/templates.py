"""Draft templates: several per language, kind and age of post, rotated between people.

Slots: {greeting} {title} {link} {history} {interests}. Kinds: ``history``
(quotes a shared-history label in the draft's language), ``interest``
(quotes the interests the post matched), ``plain``. ``new`` posts are recent;
``old`` ones are introduced as written a while ago. Every text here passes
the ask-lint (a test runs it over every combination), asks nothing and has no
question mark. Traditional Chinese drafts are the Simplified ones through
OpenCC (Taiwan phrasing); only our own words are converted, never a title.
"""

from __future__ import annotations

Texts = dict[str, dict[str, tuple[str, ...]]]

BODIES: dict[str, Texts] = {
    "en": {
        "new": {
            "history": (
                "I just wrote up “{title}”, and {history} kept coming to mind while I wrote it: "
                "{link}",
                "{history} came back to me while I was writing “{title}”, so this one is for "
                "you: {link}",
                "Writing “{title}” took me straight back to {history}: {link}",
            ),
            "interest": (
                "I just published “{title}”. It goes into {interests}, so you came to mind: "
                "{link}",
                "New post: “{title}”. With {interests} being your area, it may be useful: {link}",
                "I've just written “{title}”, which is about {interests}; you were the first "
                "person I thought of: {link}",
            ),
            "plain": (
                "I just published “{title}” and thought of you: {link}",
                "Sending you my new post, “{title}”, because it made me think of you: {link}",
                "“{title}” is up on my blog, and you came to mind: {link}",
            ),
        },
        "old": {
            "history": (
                "I wrote “{title}” a while ago, and {history} came to mind again today: {link}",
                "A while back I wrote “{title}”; much of it goes back to {history}: {link}",
                "Something I wrote a while ago, “{title}”, made me think of {history}: {link}",
            ),
            "interest": (
                "I wrote “{title}” a while ago. It's about {interests}, so it seemed worth "
                "passing on: {link}",
                "From a while back: “{title}”, on {interests}. You came to mind: {link}",
                "A while ago I wrote “{title}”, about {interests}; it may still be useful: "
                "{link}",
            ),
            "plain": (
                "I wrote “{title}” a while ago and it made me think of you today: {link}",
                "An older post of mine, “{title}”, made me think of you: {link}",
                "Passing on something I wrote a while back, “{title}”: {link}",
            ),
        },
    },
    "zh": {
        "new": {
            "history": (
                "最近写了一篇《{title}》，写的时候一直想起{history}，分享给你：{link}",
                "刚写完《{title}》，里面好多地方让我想起{history}：{link}",
                "写《{title}》的时候想起了{history}，发给你：{link}",
            ),
            "interest": (
                "刚写了一篇《{title}》，讲的是{interests}，想到你可能用得上：{link}",
                "新写了《{title}》，和{interests}有关，第一个想到了你：{link}",
                "最近写了篇《{title}》，聊到{interests}，觉得你会感兴趣：{link}",
            ),
            "plain": (
                "刚发了一篇《{title}》，想到了你：{link}",
                "新写了一篇《{title}》，分享给你：{link}",
                "写了篇《{title}》，顺手发你一份：{link}",
            ),
        },
        "old": {
            "history": (
                "之前写过一篇《{title}》，今天又想起了{history}，发给你：{link}",
                "以前写的《{title}》里有不少{history}的影子：{link}",
                "翻到之前写的《{title}》，想起{history}，分享给你：{link}",
            ),
            "interest": (
                "之前写过一篇《{title}》，讲{interests}的，也许对你有用：{link}",
                "翻到以前写的《{title}》，和{interests}有关，想到了你：{link}",
                "之前写的《{title}》聊过{interests}，分享给你：{link}",
            ),
            "plain": (
                "之前写过一篇《{title}》，今天想到了你：{link}",
                "翻到以前写的《{title}》，分享给你：{link}",
                "以前写过一篇《{title}》，觉得你会感兴趣：{link}",
            ),
        },
    },
    "ja": {
        "new": {
            "history": (
                "「{title}」という記事を書きました。書きながら{history}のことを思い出したので、"
                "共有します。{link}",
                "「{title}」を書いていて、{history}のことが何度も頭に浮かびました。{link}",
                "新しく「{title}」という記事を書きました。{history}を思い出す内容です。{link}",
            ),
            "interest": (
                "「{title}」という記事を書きました。{interests}の話なので、お役に立つかもしれない"
                "と思い共有します。{link}",
                "{interests}について「{title}」という記事を書いたので、お送りします。{link}",
                "新しい記事「{title}」は{interests}がテーマです。{link}",
            ),
            "plain": (
                "「{title}」という記事を公開したので共有します。{link}",
                "新しく「{title}」という記事を書きました。ふと思い出してお送りします。{link}",
                "「{title}」を書きました。{link}",
            ),
        },
        "old": {
            "history": (
                "以前書いた「{title}」という記事で、{history}のことに触れています。{link}",
                "少し前に書いた「{title}」を読み返していて、{history}を思い出しました。{link}",
                "以前の記事「{title}」です。{history}のことを思い出したのでお送りします。{link}",
            ),
            "interest": (
                "以前書いた「{title}」は{interests}の話です。お役に立てばと思い共有します。{link}",
                "少し前に「{title}」という記事を書きました。{interests}に関する内容です。{link}",
                "以前の記事ですが、「{title}」は{interests}がテーマです。{link}",
            ),
            "plain": (
                "以前書いた「{title}」という記事を、ふと思い出してお送りします。{link}",
                "少し前に書いた「{title}」です。{link}",
                "以前の記事「{title}」を共有します。{link}",
            ),
        },
    },
}

OPENERS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"close": ("Hi {greeting},", "Hey {greeting},"), "other": ("Hi {greeting},",
                                                                     "Hello {greeting},")},
    "zh": {"close": ("{greeting}，", "Hi {greeting}，"), "other": ("{greeting}你好，",
                                                               "{greeting}，你好。")},
    "ja": {"close": ("{greeting}、こんにちは。", "{greeting}、"),
           "other": ("{greeting}、こんにちは。", "{greeting}、ご無沙汰しています。")},
}

CLOSERS: dict[str, tuple[str, ...]] = {
    "en": ("No need to reply; I just thought of you.", "Hope all is well.", "",
           "No reply needed."),
    "zh": ("不用回复，只是想到了你。", "祝一切顺利。", "", "不用回复。"),
    "ja": ("ご返信は不要です。", "それでは、また。", "", "返信は不要です。"),
}

SUBJECTS: dict[str, tuple[str, ...]] = {
    "en": ("Thought of you: {title}", "{title}", "A post you might find useful"),
    "zh": ("想到你：{title}", "{title}", "一篇文章分享给你"),
    "ja": ("記事のご共有：{title}", "{title}", "記事のご共有"),
}

JOIN = {"en": " and ", "zh": "、", "ja": "や"}
