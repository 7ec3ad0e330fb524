# ruff: noqa: E501 (tables of names and words, one block per kind)
"""How to address someone: name order per language and script, never a bare family name.

``greeting:`` in a contact file always wins. Without it:

- Chinese names in Han characters are family name first (a two-character
  compound surname such as 欧阳 is known). A two-character name is said whole
  (王磊); a longer one by its given name to close friends (circle 1-2: 爱丽),
  whole to everyone else (陈爱丽).
- Latin-script names are usually given name first ("Alice Chen" -> Alice),
  but many Chinese, Singaporean, Malaysian and Japanese names are written
  family name first ("Wang Lei", "Ong Wei Jie", "Sato Yuki"). A name whose
  first word is a known family name, and whose last word is not a more common
  one, is read that way: "Wei Jie", "Lei", "Yuki".
- Japanese drafts use the family name and さん (佐藤さん); Chinese drafts use
  the name as above; English drafts use the given name.
- Names as address books export them are read as a person would: an emoji or
  a direction mark is no part of a name ('😺 Coco' -> Coco), a name in
  capitals is said normally ('JOHN TAYLOR' -> John), 'Family, Given' is turned
  round ('O'Brien, Marcus' -> Marcus) and credentials after a comma
  ('Priya Sharma, PMP') are not a name. Vietnamese names are family name
  first and said by their last word ('Nguyễn Văn An' -> An).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import Contact

# Common Chinese family names, most common first (rank matters for 'Lei Wang').
HAN_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由")
HAN_TRADITIONAL = "張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董袁潘於蔣蔡余杜葉程蘇魏呂丁" \
    "任沈姚盧姜崔鍾譚陸汪范金石廖賈夏韋付方白鄒孟熊秦邱江尹薛閆段雷侯龍史陶黎賀顧毛郝龔邵萬錢嚴覃武"
COMPOUND_SURNAMES = ("欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫",
                     "尉迟", "尉遲", "公孙", "公孫", "慕容", "令狐", "司徒", "夏侯", "端木", "长孙",
                     "長孫", "宇文", "澹台", "西门", "西門", "南宫", "南宮", "独孤", "獨孤")
JAPANESE_SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "清水", "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川", "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本", "斎藤", "福田", "太田", "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦", "原田", "中川", "松田", "竹内", "小野", "田村", "中山", "和田", "石田", "森田", "上田", "原", "内田", "柴田", "酒井", "宮崎", "横山", "高木", "安藤", "宮本", "大野", "小島", "工藤", "谷口", "今井", "高田", "丸山", "増田", "杉山", "村田", "大塚", "新井", "小山", "平野", "藤本", "河野", "上野", "野口", "武田", "松井", "千葉", "岩崎", "菅原", "木下", "久保", "佐野", "野村", "松尾"]
JAPANESE_ROMAN = ["sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura", "kobayashi", "kato", "yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto", "inoue", "kimura", "shimizu", "yamazaki", "mori", "ikeda", "hashimoto", "abe", "ishikawa", "yamashita", "nakajima", "ishii", "ogawa", "maeda", "okada", "hasegawa", "fujita", "goto", "kondo", "murakami", "endo", "aoki", "sakamoto", "saito", "fukuda", "ota", "nishimura", "fujii", "kaneko", "okamoto", "fujiwara", "nakano", "miura", "harada", "nakagawa", "matsuda", "takeuchi", "ono", "tamura", "nakayama", "wada", "ishida", "morita", "ueda", "hara", "uchida", "shibata", "sakai", "miyazaki", "yokoyama", "takagi", "ando", "miyamoto", "ono", "kojima", "kudo", "taniguchi", "imai", "takada"]
# Romanised Chinese family names: Hanyu Pinyin first (by frequency), then Cantonese,
# Hokkien, Teochew and Hakka spellings common in Hong Kong, Singapore and Malaysia.
CHINESE_ROMAN = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "yuan", "pan", "yu", "jiang", "cai", "du", "ye", "cheng", "su", "wei", "lyu", "lu", "ding", "ren", "shen", "yao", "cui", "zhong", "tan", "wang", "fan", "jin", "shi", "liao", "jia", "xia", "fu", "fang", "bai", "zou", "meng", "xiong", "qin", "qiu", "yin", "xue", "yan", "duan", "lei", "hou", "long", "tao", "li", "kong", "mo", "qian", "wong", "chan", "cheung", "lau", "lee", "ng", "ho", "leung", "chow", "yip", "kwok", "tse", "tsang", "lam", "fung", "mak", "au", "siu", "yeung", "choi", "chu", "kwan", "lo", "law", "poon", "tam", "wan", "to", "hui", "ko", "ip", "hung", "tong", "szeto", "lai", "lui", "shum", "ong", "tan", "lim", "goh", "teo", "yeo", "koh", "chua", "chia", "sim", "toh", "low", "quek", "heng", "seah", "ang", "neo", "tay", "teh", "ooi", "khoo", "lew", "loh", "foo", "gan", "liew", "yap", "chong", "chin", "kok", "tay", "phua", "oon"]
# Vietnamese family names a Latin-script name can start with, without their marks. Said by
# the last word of the name; the ones that are also Chinese spellings (Le, Ho, Ly, Do) only
# count when the name carries Vietnamese letters.
VIETNAMESE = frozenset(["nguyen", "tran", "pham", "huynh", "hoang", "phan", "vu", "vo", "dang", "bui", "ngo", "duong"])
VIETNAMESE_SHARED = frozenset(["le", "ho", "ly", "do", "dinh", "lam", "mai", "trinh", "truong"])
_VIETNAMESE_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
CREDENTIALS = frozenset("""
phd ph.d md mba pmp cfa cpa esq jr sr ii iii iv pe peng p.eng msc bsc ma ba cissp csm
""".split())  # noqa: SIM905
KOREAN_ROMAN = ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim", "han", "oh", "seo", "shin", "kwon", "hwang", "ahn"]
_HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z'’.-]*$")
_HONORIFIC = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx"}


@dataclass(frozen=True)
class Name:
    """A name split into its parts; ``family_first`` says the order it is written in."""

    text: str
    family: str
    given: str
    family_first: bool
    han: bool
    japanese: bool = False


def clean_name(text: str) -> str:
    """A name as a person would say it: composed, full-width letters made plain, no emoji,
    symbols or direction marks, 'Family, Given' turned round, credentials dropped, words
    written in capitals said normally."""
    text = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch
                   for ch in unicodedata.normalize("NFC", text))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Co",
                                                                         "Cn", "Cs"))
    parts = [p.strip() for p in text.split(",")]
    parts = [parts[0], *(p for p in parts[1:] if p and not _credential(p))]
    if len(parts) == 2 and parts[1]:
        text = f"{parts[1]} {parts[0]}"  # 'O'Brien, Marcus'
    else:
        text = " ".join(parts)
    words = text.split()
    if words and not any(ch.islower() for ch in text):
        words = [_unshout(w) for w in words]
    elif words:
        words = [_unshout(w) if len(w) > 2 and w.isupper() and not _han_text(w) else w
                 for w in words]
    return " ".join(words)


def _credential(part: str) -> bool:
    words = part.replace(",", " ").split()
    return bool(words) and all(w.casefold().rstrip(".") in CREDENTIALS or
                               (w.isupper() and len(w) <= 5 and w.isalpha()) for w in words)


def _unshout(word: str) -> str:
    """'TAYLOR' -> 'Taylor', 'O'BRIEN' -> 'O'Brien'; 'AJ' stays unless it is a syllable."""
    letters = word.replace("'", "").replace("-", "").replace(".", "")
    if _han_text(word) or not letters.isalpha() or \
            (len(letters) <= 2 and word.casefold() not in GIVEN_SYLLABLES and
             _rank(word.casefold()) == float("inf")):
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m[0][0].upper() + m[0][1:].lower(), word)


def _han_text(word: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]", word))


def _folded(word: str) -> str:
    return unicodedata.normalize("NFKD", word.replace("đ", "d").replace("Đ", "D")).encode(
        "ascii", "ignore").decode().casefold()


def split_name(text: str, *, japanese: bool = False) -> Name:
    """Family and given name of ``text`` (either may be '' when unknown)."""
    text = clean_name(text)
    compact = text.replace(" ", "").replace("\u3000", "")
    if _HAN.match(compact):
        parts = text.replace("\u3000", " ").split()
        if len(parts) == 2:
            return Name(compact, parts[0], parts[1], True, True, japanese)
        surname = _han_surname(compact)
        if japanese or (any(compact.startswith(s) and len(compact) > len(s)
                           for s in JAPANESE_SURNAMES if len(s) > 1) and (
                not surname or (len(compact) >= 4 and len(surname) == 1))):
            # A known Japanese family name of two characters, in a name no Chinese family
            # name explains (森田明) or of four characters (高田真理: not 高 + 田真理).
            family = next((s for s in sorted(JAPANESE_SURNAMES, key=len, reverse=True)
                           if compact.startswith(s) and len(compact) > len(s)), compact[:2])
            return Name(compact, family, compact[len(family):], True, True, True)
        family = _han_surname(compact) or compact[0]
        return Name(compact, family, compact[len(family):], True, True)
    words = [w for w in text.split() if w.rstrip(".").casefold() not in _HONORIFIC]
    if len(words) >= 2 and (_folded(words[0]) in VIETNAMESE or (
            _folded(words[0]) in VIETNAMESE_SHARED and (_VIETNAMESE_LETTERS.search(text) or (
                len(words) > 2 and _folded(words[1]) in ("van", "thi"))))):
        return Name(text, words[0], words[-1], True, False)  # Nguyễn Văn An: An
    if len(words) < 2 or not all(_LATIN_WORD.match(w) for w in words):
        return Name(text, "", words[0] if words else text, False, False)
    first, last = words[0].casefold(), words[-1].casefold()
    if _family_first(first, last) and _syllables(words[1:]):
        return Name(text, words[0], " ".join(words[1:]), True, False,
                    first in JAPANESE_ROMAN)
    given = words[:-1][:1]
    if _rank(last) != float("inf") and all(w.casefold() in GIVEN_SYLLABLES for w in words[:-1]):
        given = words[:-1]  # 'Wei Ming Lim': a two-syllable given name is said whole
    return Name(text, words[-1], " ".join(given), False, False, last in JAPANESE_ROMAN)


def _han_surname(compact: str) -> str:
    for s in COMPOUND_SURNAMES:
        if compact.startswith(s) and len(compact) > len(s):
            return s
    return compact[0] if compact[0] in HAN_SURNAMES + HAN_TRADITIONAL and len(compact) > 1 else ""


GIVEN_SYLLABLES = frozenset("""
wei jie lei ming hui jun yan ying hong li na fang min jing qiang ping gang tao bo hao yu xin yi
lin jian hua ling yun feng long chao peng fei xiang kai qing yue hai dan mei juan xia lan ning
tian yong bin chen hang rui xuan han wen zhe
ka wai ho man kin chi wing fai kit yee siu hoi ching chun shing lok yiu sum tai keung pui
""".split())  # noqa: SIM905
"""Romanised syllables (Mandarin, then Cantonese) that are far more often a given name than a
family name: 'Lam Ka Ho' is Ka Ho, 'Ethan Ho' is Ethan."""


def _family_first(first: str, last: str) -> bool:
    """Whether 'First Last' is written family name first."""
    if _rank(first) == float("inf"):
        return False
    if _rank(last) == float("inf"):
        return True
    first_given, last_given = first in GIVEN_SYLLABLES, last in GIVEN_SYLLABLES
    if first_given != last_given:
        return last_given
    return _rank(first) < _rank(last)


def _rank(word: str) -> float:
    """How likely a romanised word is a family name: lower is likelier; inf when it is not."""
    for table in (CHINESE_ROMAN, JAPANESE_ROMAN, KOREAN_ROMAN):
        if word in table:
            return table.index(word)
    return float("inf")


_SYLLABLE = re.compile(r"^[a-z]{1,12}(?:[-'][a-z]{1,6})?$")
_WESTERN_GIVEN = frozenset("""
alex alice amy andrew anna ben bob brian chris daniel david emily emma eric grace helen henry
ivan jack james jason jeff jenny john kevin lisa mark mary michael mike nancy olivia paul peter
priya rachel ryan sam sarah steve tom tony vincent william amanda ada
ben dan ian ken tina nina lena sean calvin leo kelvin jay cherry coco
""".split())  # noqa: SIM905


def _syllables(words: list[str]) -> bool:
    """Given-name words that look like romanised syllables ('Wei Jie', 'Ka-Wai', 'Yuki')."""
    return all(_SYLLABLE.match(w.casefold()) and w.casefold() not in _WESTERN_GIVEN
               for w in words)


def names_of(contact: Contact) -> list[Name]:
    """The contact's name and aliases, split."""
    japanese = any(code.lower().startswith("ja") for code in contact.languages[:1])
    return [split_name(text, japanese=japanese) for text in (contact.name, *contact.aliases)
            if text.strip()]


def salutation(contact: Contact, language: str) -> str:
    """How a draft in ``language`` ('en', 'zh', 'zh-hant', 'ja') addresses them."""
    if contact.greeting:
        return contact.greeting
    # A name of emoji only leaves nothing to say: then it is said as written.
    return _salutation(contact, language).strip() or " ".join(contact.name.split())


def _salutation(contact: Contact, language: str) -> str:
    names = names_of(contact)
    han = next((n for n in names if n.han), None)
    latin = next((n for n in names if not n.han), None)
    close = contact.circle <= 2
    if language == "ja":
        if han is not None:
            return f"{han.family}さん" if han.japanese and han.family else f"{han.text}さん"
        if latin is not None:
            return f"{latin.family or latin.given} さん" if latin.japanese \
                else f"{latin.given or latin.text} さん"
    if language in ("zh", "zh-hant") and han is not None and not han.japanese:
        if len(han.text) <= 2 or not close or not han.given:
            return han.text
        return han.given
    if language == "en":
        # An English name among the aliases is the one they go by in English: 'Jay He' for
        # 何俊杰 (found: drafts said 'Hello Junjie' to a colleague everyone calls Jay).
        latin = next((n for n in names if not n.han and not n.family_first and n.given and (
            n.given.split()[0].casefold() in _WESTERN_GIVEN
            or not is_pinyin(n.given.split()[0]))), latin)
    if latin is not None:
        return latin.given or latin.text
    return han.text if han is not None else contact.name


_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|"
    r"uan|ai|ao|an|ei|en|er|ia|ie|in|iu|ou|ua|ue|ui|un|uo|a|e|i|o|u|v))+")


def is_pinyin(word: str) -> bool:
    """Whether a romanised word reads as Mandarin syllables ('Junjie', 'Xiaowen'), not an
    English name ('Jay', 'Cherry')."""
    return bool(_PINYIN.fullmatch(word.casefold().replace("'", "").replace("-", "")))
