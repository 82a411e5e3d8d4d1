"""Move features the director's style rules look at besides topics: precise, quantified
questions (an analytical buyer rewards them) and recognition or praise (an expressive buyer
warms to it), SPIN.md §4. These are recognition patterns, not text the buyer says."""

import re
import unicodedata

_PRECISE = re.compile(
    r"\d|%|\bhow (?:many|much|long|often)\b|\bwhat (?:percentage|proportion|share|fraction)\b"
    r"|\bpercent|\bratio\b|\brate\b|\bexact(?:ly)?\b|\baverage\b|\bnumber of\b|\bfigures?\b"
    r"|多少|比例|百分|几个|几次|几成|多久|多长|占比|具体数|平均|频率|数据|数字"
)
_RECOGNITION = re.compile(
    r"\bgreat\b|\bimpressive\b|\bimpressed\b|congratulat|\bwell done\b|\badmire|\bremarkable\b"
    r"|\baward|\bachievement|\bproud\b|\bsuccess|\binnovat|\bvisionary\b|\bpioneer|\bamazing\b"
    r"|\bexcellent\b|\bbrilliant\b|\bkudos\b|\breputation\b"
    r"|厉害|佩服|了不起|恭喜|祝贺|成就|领先|远见|出色|优秀|荣誉|成功|欣赏|创新|佳绩|标杆|敬佩"
)


def is_precise(text: str) -> bool:
    """A question that asks for numbers: figures, counts, shares, durations, rates."""
    return bool(_PRECISE.search(_fold(text)))


def is_recognition(text: str) -> bool:
    """A move that recognises or praises the buyer or their organisation."""
    return bool(_RECOGNITION.search(_fold(text)))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()
