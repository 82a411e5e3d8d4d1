"""Languages the product speaks, and how to tell which one a move is written in."""

import re
from enum import StrEnum

from app.domain.text import CJK

_LATIN_WORD = re.compile(r"\S*[A-Za-z]\S*")


class Language(StrEnum):
    EN = "en"
    ZH = "zh"


def detect_language(text: str) -> Language:
    """Chinese when the move has at least as many CJK characters as Latin words.

    Mixed moves ("我们的 ERP 系统 downtime 多久？") are common among bilingual account managers;
    their grammar is Chinese, so they count as Chinese. Traditional characters count as CJK too.
    """
    cjk = len(CJK.findall(text))
    if cjk == 0:
        return Language.EN
    # Two regex scans rather than a Python loop per character: this runs on every move.
    return Language.ZH if cjk >= len(_LATIN_WORD.findall(text)) else Language.EN
