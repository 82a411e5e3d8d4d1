"""The sales-domain lexicon as the reading uses it: concepts that join a seller's words to a
scenario's ("people keep quitting" and "turnover"; "人一走" and "离职"), and the cue lists
that say what a move does besides its topic (refers back, asks broadly for difficulties, is
small talk). The words are data (personas/lexicon.yaml); this compiles them once."""

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.reading.words import TextTerms, stem, words_of
from app.domain.text import fold, has_cjk


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    en: tuple[str, ...]
    zh: tuple[str, ...]


# A one-word term also matches other forms of its word when its stem is this long
# ("operators" and "operator"), but not a short stem that other words share ("news", "new").
SAFE_STEM = 5
# The words of a phrase may be this many words apart ("difficult for the new operators to
# use" says "difficult to use"), in order and as written: stems would let "hard to keep
# operators" say "hard to operate".
PHRASE_GAP = 3


class Lexicon:
    """Compiled for lookups in microseconds: English terms as stem sets indexed by their
    rarest stem, Chinese terms as substrings. Equal (and hashed) by content fingerprint, so
    a compiled scenario index can be cached per lexicon."""

    __slots__ = ("_cues", "_phrases", "_stems", "_words", "_zh", "fingerprint")

    def __init__(
        self, concepts: Sequence[Concept], cues: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._words: dict[str, set[str]] = {}  # one-word term → concepts, exact word
        self._stems: dict[str, set[str]] = {}  # its stem, when long enough to be safe
        # by first stem: (stems, words as written, concept)
        self._phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]] = {}
        self._zh: list[tuple[str, str]] = []
        digest = hashlib.sha256()
        for concept in concepts:
            digest.update(repr(concept).encode())
            for term in concept.en:
                words = words_of(term)
                if len(words) == 1:
                    self._words.setdefault(words[0], set()).add(concept.id)
                    root = stem(words[0])
                    if len(root) >= SAFE_STEM:
                        self._stems.setdefault(root, set()).add(concept.id)
                elif words:
                    phrase = tuple(stem(w) for w in words)
                    self._phrases.setdefault(phrase[0], []).append((phrase, words, concept.id))
            self._zh += [(fold(term), concept.id) for term in concept.zh if term.strip()]
        self._zh.sort(key=lambda pair: -len(pair[0]))
        self._cues = {name: _CueList(terms) for name, terms in (cues or {}).items()}
        digest.update(repr(sorted((cues or {}).items())).encode())
        self.fingerprint = digest.hexdigest()[:12]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lexicon) and other.fingerprint == self.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def concepts(self, terms: TextTerms) -> frozenset[str]:
        """The concepts a text mentions, as `@id` terms."""
        return self.explain(terms).concepts

    def explain(self, terms: TextTerms) -> "Explained":
        """The concepts a text mentions, and which of its words and Chinese characters they
        account for (the rest may be about something the scenario never mentions)."""
        found: dict[str, set[str]] = {}  # concept → the English stems that named it
        for word in terms.words_seq:
            for concept in self._words.get(word, ()):
                found.setdefault(concept, set()).add(stem(word))
        for root in terms.all_stems:
            for concept in self._stems.get(root, ()):
                found.setdefault(concept, set()).add(root)
        seq, written = terms.stem_seq, terms.words_seq
        for i, first in enumerate(seq):
            for phrase, words, concept in self._phrases.get(first, ()):
                if seq[i : i + len(phrase)] == phrase or _spans(written, i, words):
                    found.setdefault(concept, set()).update(phrase)
        chars: dict[str, set[str]] = {}
        for term, concept in self._zh:
            if term in terms.folded:
                chars.setdefault(concept, set()).update(term)
                found.setdefault(concept, set())
        return Explained(
            concepts=frozenset("@" + c for c in found),
            stems={"@" + c: frozenset(s) for c, s in found.items()},
            chars={"@" + c: frozenset(s) for c, s in chars.items()},
        )

    def says(self, cue: str, terms: TextTerms) -> bool:
        """Whether the text holds one of the named cue list's phrases (refer_back,
        broad_problem, small_talk, business); an unknown list holds nothing."""
        cues = self._cues.get(cue)
        return cues is not None and cues.found_in(terms)


def _spans(seq: Sequence[str], start: int, phrase: tuple[str, ...]) -> bool:
    """Whether `phrase` occurs in `seq` from `start`, in order, each word at most
    PHRASE_GAP words after the one before."""
    if seq[start] != phrase[0]:
        return False
    at = start
    for word in phrase[1:]:
        window = seq[at + 1 : at + 2 + PHRASE_GAP]
        if word not in window:
            return False
        at += 1 + window.index(word)
    return True


@dataclass(frozen=True, slots=True)
class Explained:
    concepts: frozenset[str]
    stems: dict[str, frozenset[str]]  # concept → English stems it accounts for
    chars: dict[str, frozenset[str]]  # concept → Chinese characters it accounts for


class _CueList:
    __slots__ = ("_en", "_zh")

    def __init__(self, terms: Iterable[str]) -> None:
        en, zh = [], []
        for term in terms:
            folded = fold(term)
            if has_cjk(folded):
                zh.append(folded)
            else:
                en.append(tuple(folded.split()))
        self._en = tuple(en)
        self._zh = tuple(zh)

    def found_in(self, terms: TextTerms) -> bool:
        if any(term in terms.folded for term in self._zh):
            return True
        words = terms.words_seq
        for phrase in self._en:
            size = len(phrase)
            if any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1)):
                return True
        return False
