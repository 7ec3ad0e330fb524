# ruff: noqa: E501 (tables of names and words, one block per kind)
"""Chinese words and scripts: jieba for word boundaries, OpenCC for Traditional <-> Simplified.

Both ship their dictionaries inside their wheels, so nothing is downloaded at
run time. jieba's dictionary is loaded into memory once per process (about
0.7 s) and never written to a cache file: the outreach commands write nothing
outside contacts/log and outreach/. Its log messages are silenced.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

STOP_WORDS = frozenset("""
我们 你们 他们 她们 它们 我的 你的 这个 那个 一个 一些 这些 那些 这样 那样 这么 那么 什么 怎么 为什么 如何
可以 没有 不是 就是 还是 但是 因为 所以 如果 虽然 然后 而且 或者 已经 还有 只是 其实 非常 一直 一起 自己
大家 时候 今天 现在 以后 以前 之后 之前 最后 开始 觉得 知道 发现 需要 为了 一下 一点 有些 很多 比较 真的
这次 那次 每次 第一 一年 两年 三年 今年 去年 明年 十年 几年 后来 当时 当然 可能 应该 能够 通过 关于 对于
起来 出来 下来 上去 进行 觉得 一样 问题 事情 东西 方面 情况 时间 部分 地方 这里 那里 所有 其他 另外 同时
""".split())  # noqa: SIM905
"""Words that say nothing about a topic."""


@cache
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with tokenizer.lock:
        # What Tokenizer.initialize does, minus writing a cache file to the temp folder.
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
        tokenizer.initialized = True
    return tokenizer


@cache
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def words(text: str) -> list[str]:
    """Simplified Chinese text -> its words (jieba's precise mode, no guessing of new words)."""
    return list(_tokenizer().cut(text, HMM=False))


def add_word(word: str) -> None:
    """Keep a term whole ('分布式系统', a user's alias) when jieba would split it."""
    tokenizer = _tokenizer()
    if word not in tokenizer.FREQ or not tokenizer.FREQ[word]:
        tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word), 1000))


def simplified(text: str) -> str:
    """Traditional -> Simplified, character for character (offsets stay valid)."""
    converted = _converter("t2s").convert(text)
    if len(converted) == len(text):
        return converted
    convert = _converter("t2s").convert
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)


def traditional(text: str) -> str:
    """Simplified -> Traditional (Taiwan standard, with its phrases), for zh-Hant drafts."""
    return _converter("s2twp").convert(text)
