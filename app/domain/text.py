"""Text primitives every capability shares: which characters are Chinese (CJK ideographs), how
text is folded before matching (NFKC, lower case, one apostrophe), and how much text a turn
holds. One definition each, so the classifier, the reading, the director and the scorecard
cannot disagree about what a character or a word is."""

import re
import unicodedata

# CJK Unified Ideographs, Extension A and the compatibility block: Simplified and
# Traditional Chinese as trainees type them.
CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_RANGES}]")
CJK_RUN = re.compile(f"[{CJK_RANGES}]+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def is_cjk(char: str) -> bool:
    """Whether one character is a Chinese ideograph."""
    return CJK.fullmatch(char) is not None


def has_cjk(text: str) -> bool:
    return CJK.search(text) is not None


def fold(text: str) -> str:
    """Full-width forms to half-width (NFKC), lower case, and the typographic apostrophe as
    ASCII, so "Don’t" and "ｄｏｎ'ｔ" match the same cue."""
    return unicodedata.normalize("NFKC", text).lower().replace("’", "'")


def count_units(text: str) -> int:
    """Words for English and characters for Chinese, on one scale: each Latin word or number
    counts one, each Chinese character counts one, punctuation nothing. A pure English turn
    thus counts its words, a pure Chinese one its characters."""
    return len(_WORD.findall(text)) + len(CJK.findall(text))


def well_formed(text: str) -> str:
    """`text` with surrogate pairs joined and any lone surrogate (JSON allows "\\ud800",
    UTF-8 does not) replaced by U+FFFD, so it can be stored and sent on."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
