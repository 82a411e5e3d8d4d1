"""Figures and names as a faithfulness check reads them: the numbers a text states (digits,
English number words, Chinese numerals, with their scale: "1.2 million", "120万", "三十八"),
as values, so "38", "thirty-eight" and "三十八" are one figure; and the proper names it uses."""

import re
from collections.abc import Iterable

from app.domain.text import CJK_RANGES

_EN_UNITS = {
    "zero": 0,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_EN_WORD = "|".join(sorted([*_EN_UNITS, *_EN_SCALES, "one", "a"], key=len, reverse=True))
# "one" and "a" only count inside a run ("one hundred", "a million"): alone they are words.
_EN_RUN = re.compile(rf"\b(?:{_EN_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_EN_WORD}))*\b", re.IGNORECASE)
_DIGITS = re.compile(
    r"(?<![A-Za-z0-9.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|k\b|m\b|bn\b|"
    r"thousand|million|billion|万|个?亿|千|百)?",
    re.IGNORECASE,
)

_ZH_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_ZH_DIGIT |= {"六": 6, "七": 7, "八": 8, "九": 9}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1_000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_ZH_RUN = re.compile("[零〇一二两三四五六七八九十百千万亿]+")
# Words built from numeral characters that state no figure ("十分" is "very", "万一" "in
# case"); they are blanked before numerals are read.
_ZH_IDIOMS = (
    "十分",
    "千万",
    "万一",
    "万万",
    "一一",
    "三三两两",
    "七上八下",
    "乱七八糟",
    "一五一十",
    "十全十美",
    "五花八门",
    "千方百计",
    "三番五次",
    "一模一样",
    "一清二楚",
    "独一无二",
    "接二连三",
    "七嘴八舌",
    "四面八方",
    "万事",
    "百忙",
    "一百个",
)
_ZH_PERCENT = re.compile("百分之([零〇一二两三四五六七八九十百千]+)")


def _en_run_value(run: str) -> float | None:
    words = [w for w in re.split(r"[\s-]+", run.lower()) if w and w != "and"]
    if all(w in ("one", "a") for w in words):
        return None  # "one of them", "a lot"
    total, current = 0.0, 0.0
    for word in words:
        if word in ("one", "a"):
            current += 1
        elif word in _EN_UNITS:
            current += _EN_UNITS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _EN_SCALES[word]
            current = 0.0
    return total + current


def _zh_value(run: str) -> float | None:
    """The value of a Chinese numeral ("三十八", "一万八千", "两百多"), None for a lone 一."""
    if run in ("一", "两"):
        return None  # "一个", "两边": a measure, not a figure
    if all(c in _ZH_DIGIT for c in run) and len(run) > 1:
        return float("".join(str(_ZH_DIGIT[c]) for c in run))  # "二零二八", "一二"
    total, section, digit = 0.0, 0.0, 0.0
    for char in run:
        if char in _ZH_DIGIT:
            digit = _ZH_DIGIT[char]
        elif char in _ZH_SMALL:
            section += (digit or 1) * _ZH_SMALL[char]
            digit = 0
        else:
            total = ((total + section + digit) or 1) * _ZH_BIG[char]
            section, digit = 0.0, 0.0
    return total + section + digit


_SCALE_SUFFIX = {
    "%": 1.0,
    "k": 1e3,
    "m": 1e6,
    "bn": 1e9,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "万": 1e4,
    "亿": 1e8,
    "个亿": 1e8,
    "千": 1e3,
    "百": 1e2,
}


def figures(text: str) -> set[float]:
    """Every figure the text states, as values; a scaled number also yields its bare
    mantissa ("1.2 million" gives 1.2 and 1,200,000), since a paraphrase may keep either."""
    found: set[float] = set()
    rest = text
    for match in _ZH_PERCENT.finditer(rest):
        value = _zh_value(match.group(1))
        if value is not None:
            found.add(value)
    rest = _ZH_PERCENT.sub(" ", rest)
    for match in _DIGITS.finditer(rest):
        number = float(match.group(1).replace(",", ""))
        suffix = (match.group(2) or "").lower()
        found.add(number)
        if suffix:
            found.add(number * _SCALE_SUFFIX[suffix])
    rest = _DIGITS.sub(" ", rest)
    for run in _EN_RUN.findall(rest):
        en_value = _en_run_value(run)
        if en_value is not None:
            found.add(en_value)
    for idiom in _ZH_IDIOMS:
        rest = rest.replace(idiom, " ")
    for run in _ZH_RUN.findall(rest):
        zh_value = _zh_value(run)
        if zh_value is not None:
            found.add(zh_value)
    found.discard(1.0)  # "one", "1 thing", "一": never a figure worth checking
    return found


def all_figures(texts: Iterable[str]) -> set[float]:
    return {value for text in texts for value in figures(text)}


# Capitalised words that are no proper name wherever they stand.
_NOT_NAMES = frozenset(
    {"I", "I'm", "I'll", "I've", "I'd", "OK", "Okay", "Mr", "Mrs", "Ms", "Dr", "Yes", "No"}
)
_EN_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(]\s*|\n)$")
# Common surnames: a title after one names a person ("陈总", "方经理"); after any other
# character it is a word ("总共", "们总是").
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严"
)
_ZH_NAMED = re.compile(
    f"(?!我们|你们|他们|咱们|其他|别的|[贵本这那哪每])[{CJK_RANGES}]{{2}}(?:公司|集团|医院|银行|大学)"
    f"|[{_SURNAMES}](?:总|经理|主任|院长|老师|医生)"
)


def english_names(text: str) -> set[str]:
    """Capitalised words that do not open a sentence: names of people, places, firms,
    products ("Ningbo", "Mr Chen", "SAP")."""
    names: set[str] = set()
    for match in _EN_TOKEN.finditer(text):
        word = match.group(0).rstrip(".").replace("’", "'")
        if not word[:1].isupper() or word in _NOT_NAMES:
            continue
        if _SENTENCE_START.search(text[: match.start()]):
            continue
        names.add(word)
    return names


def chinese_names(text: str) -> set[str]:
    """Named organisations, places and titled people ("上海", "陈总", "宁波原厂" is not one)."""
    return {m.group(0) for m in _ZH_NAMED.finditer(text)}
