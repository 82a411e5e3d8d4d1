"""Usernames: one canonical form for comparing (NFKC, case-folded), and the refusal of names
that mix scripts the way look-alike spoofs do ("pаypal" with a Cyrillic а). Unicode UTS #39,
"highly restrictive" profile: one script, or Latin with the CJK scripts."""

import unicodedata

from app.domain.errors import LookalikeUsernameError, ValidationFailedError

MIN_USERNAME_CHARS = 2  # two characters are a whole Chinese name (张伟)
MAX_USERNAME_CHARS = 64
USERNAME_PUNCTUATION = frozenset("._-@")

# UTS #39 §5.2: besides a single script, these combinations are common in real names
# (Japanese, Chinese with Bopomofo, Korean, each with Latin).
_ALLOWED_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)


def username_key(name: str) -> str:
    """The form two names are compared in: "Ａlice ", "alice" and "ALICE" are one account.
    NFKC, case fold, NFKC again (the Unicode NFKC_Casefold recipe)."""
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    return unicodedata.normalize("NFKC", folded)[:MAX_USERNAME_CHARS]


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first == "CJK":
        return "HAN"
    if first == "KATAKANA-HIRAGANA":
        return "KATAKANA"
    return first or "UNKNOWN"


def scripts_of(name: str) -> frozenset[str]:
    """The scripts of the letters in `name` (digits and punctuation belong to none)."""
    return frozenset(_script(c) for c in name if c.isalpha())


def is_mixed_script(name: str) -> bool:
    scripts = scripts_of(name)
    if len(scripts) <= 1:
        return False
    return not any(scripts <= allowed for allowed in _ALLOWED_MIXES)


def clean_username(name: str) -> str:
    """The name as it is stored and shown: NFKC-normalised (full-width letters become plain
    ones) and stripped. Raises ValidationFailedError or LookalikeUsernameError."""
    cleaned = unicodedata.normalize("NFKC", name).strip()
    if not MIN_USERNAME_CHARS <= len(cleaned) <= MAX_USERNAME_CHARS or not all(
        c.isalnum() or c in USERNAME_PUNCTUATION for c in cleaned
    ):
        raise ValidationFailedError("usernames have 2-64 letters, digits or . _ - @ characters")
    if is_mixed_script(cleaned):
        raise LookalikeUsernameError("a username may not mix alphabets (look-alike letters)")
    return cleaned
