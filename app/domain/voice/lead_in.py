"""How the scripted voice's lead-ins join what they lead (issue 13): which phrases join a
sentence rather than stand as one ("As I said," versus "Fine."), which lines already open
with a lead of their own, how case is kept right across the join, and a sentence's core (the
sentence without its lead-in), which is what the no-repeat rule compares."""

import re
from collections.abc import Iterable

from app.domain.language import Language
from app.domain.text import CJK

SENTENCE_MARKS = (".", "!", "?", "。", "！", "？", "…")
_CLOSERS = "\"'”’)）"
# A Chinese mark ends a sentence where it stands; an English one only before a space or the
# end, so "4.2 million" and "3.5%" stay one sentence.
_SENTENCE_END = re.compile(r"(?:(?<=[。！？…])|(?<=[.!?])(?=[\"'”’)）]*(?:\s|$)))[\"'”’)）]*\s*")
_EN_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Words that keep their capital anywhere: the pronoun I and its contractions.
_ALWAYS_CAPITAL = frozenset({"I", "I'm", "I'll", "I've", "I'd", "I’m", "I’ll", "I’ve", "I’d"})
_OWN_LEAD_WORDS = 3  # "To be honest," opens a line; "Just this site, about..." too, harmlessly
_OWN_LEAD_CHARS = 6  # "说实话，", "跟你说实话，", "是的。"


def split_sentences(text: str) -> list[str]:
    """Sentences as the no-repeat rule compares them (stripped, punctuation kept)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def is_joiner(phrase: str) -> bool:
    """A phrase that opens a sentence rather than being one ("As I said,", "说实话，", "but")."""
    return not phrase.rstrip(_CLOSERS).endswith(SENTENCE_MARKS)


def has_own_lead(line: str, language: Language) -> bool:
    """Whether a line already opens with a lead of its own ("Honestly, yes.", "说实话，...",
    "Yes. ...", "是的。..."): any lead-in in front of it would stack two."""
    first = split_sentences(line)[0] if line.strip() else ""
    if language is Language.ZH:
        cut = min((line.find(m) for m in "，：" if line.find(m) > 0), default=-1)
        return 0 < cut <= _OWN_LEAD_CHARS or 0 < len(CJK.findall(first)) <= _OWN_LEAD_CHARS
    cut = min((line.find(m) for m in ",:" if line.find(m) > 0), default=-1)
    words_before_cut = len(line[:cut].split()) if cut > 0 else 0
    return 0 < words_before_cut <= _OWN_LEAD_WORDS or len(first.split()) <= 2


def proper_names(texts: Iterable[str]) -> frozenset[str]:
    """Capitalised words that stand inside a sentence somewhere in `texts` (names of people,
    places and firms, "OEM"): they keep their capital after a joining lead-in."""
    names: set[str] = set()
    for text in texts:
        for sentence in split_sentences(text):
            for match in _EN_WORD.finditer(sentence):
                word = match.group(0)
                if match.start() > 0 and word[:1].isupper():
                    names.add(word)
    return frozenset(names)


def keeps_capital(word: str, names: frozenset[str]) -> bool:
    """Whether a sentence's first word keeps its capital inside a sentence: "I", acronyms
    ("OEM"), words with digits, and proper names."""
    bare = word.rstrip(",.;:!?")
    if bare in _ALWAYS_CAPITAL or bare in names:
        return True
    return sum(c.isupper() for c in bare) > 1 or any(c.isdigit() for c in bare)


def join(joiner: str, line: str, language: Language, names: frozenset[str]) -> str:
    """One sentence: the joining lead-in, then the line with its first word lower-cased
    unless that word keeps its capital ("To be exact, being able...", "As I said, Ningbo")."""
    if language is Language.ZH:
        return joiner + line
    first, space, rest = line.partition(" ")
    if first[:1].isupper() and not keeps_capital(first, names):
        line = first[:1].lower() + first[1:] + space + rest
    return f"{joiner} {line}"


def lead_of(sentence: str, phrases: Iterable[str]) -> str | None:
    """The joining lead-in `sentence` opens with, if it is one of `phrases`."""
    folded = sentence.casefold()
    for phrase in sorted(phrases, key=len, reverse=True):
        if is_joiner(phrase) and folded.startswith(phrase.casefold()):
            return phrase
    return None


def core(sentence: str, phrases: Iterable[str]) -> str:
    """A sentence without its joining lead-in, case-folded: "As I said, we run 14 cells." and
    "We run 14 cells." share a core, so restating one as the other is a repeat."""
    lead = lead_of(sentence, phrases)
    rest = sentence[len(lead) :] if lead else sentence
    return re.sub(r"\s+", " ", rest).strip().casefold()
