"""Language codes people write, and what they usually meant.

ISO 639-1 codes (plus a few three-letter codes for Chinese languages) are
known; a code that is really a country ('cn', 'jp') gets a 'did you mean'
hint. Only the language subtag is checked: 'zh-Hant', 'en-GB' are fine.
"""

from __future__ import annotations

ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
yue cmn wuu nan hak fil
""".split())  # noqa: SIM905

LIKELY = {
    "cn": "zh", "chs": "zh-Hans", "cht": "zh-Hant", "tw": "zh-Hant", "hk": "zh-Hant",
    "jp": "ja", "jpn": "ja", "kr": "ko", "kor": "ko", "gr": "el", "dk": "da", "cz": "cs",
    "ua": "uk", "vn": "vi", "us": "en", "gb": "en", "eng": "en", "chi": "zh", "zho": "zh",
    "ger": "de", "deu": "de", "fra": "fr", "fre": "fr", "esp": "es", "spa": "es", "sp": "es",
    "rus": "ru", "ind": "id", "my": "my", "ir": "fa", "il": "he", "iw": "he", "in": "id",
    "sg": "en", "mal": "ms", "cantonese": "yue", "mandarin": "zh",
}
"""Country codes and other near-misses -> the language code people meant."""


def language_problem(code: str) -> str:
    """A hint when ``code``'s language subtag is unknown; '' when it is fine."""
    base = code.split("-")[0].lower()
    if base in ISO_639_1:
        return ""
    meant = LIKELY.get(base)
    if meant:
        return f"did you mean '{meant}'?"
    return "use BCP-47 codes such as en, zh, zh-Hant, ja"


def is_chinese(code: str) -> bool:
    return code.lower().split("-")[0] in ("zh", "yue", "cmn", "wuu", "nan", "hak")


def is_traditional(code: str) -> bool:
    """zh-Hant, zh-TW, zh-HK, zh-MO and Cantonese are written in traditional characters."""
    parts = code.lower().split("-")
    return is_chinese(code) and (parts[0] == "yue" or any(
        p in ("hant", "tw", "hk", "mo") for p in parts[1:]))


def base_language(code: str) -> str:
    """'zh-Hant' -> 'zh-hant', 'zh-TW' -> 'zh-hant', 'en-GB' -> 'en', 'ja' -> 'ja'."""
    if is_traditional(code):
        return "zh-hant"
    if is_chinese(code):
        return "zh"
    return code.lower().split("-")[0]
