"""Languages the product speaks, and how to tell which one a move is written in."""

from enum import StrEnum


class Language(StrEnum):
    EN = "en"
    ZH = "zh"


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def detect_language(text: str) -> Language:
    """Chinese when the move has at least as many CJK characters as Latin words.

    Mixed moves ("我们的 ERP 系统 downtime 多久？") are common among bilingual account managers;
    their grammar is Chinese, so they count as Chinese. Traditional characters count as CJK too.
    """
    cjk = sum(1 for c in text if _is_cjk(c))
    if cjk == 0:
        return Language.EN
    latin_words = sum(1 for w in text.split() if any(c.isascii() and c.isalpha() for c in w))
    return Language.ZH if cjk >= latin_words else Language.EN
