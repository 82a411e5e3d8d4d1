"""Bilingual topic matching: does a trainee move touch a scenario topic's cue words?

English is matched on lightly stemmed word tokens (multi-word cues need all their content
words, in any order); Chinese, which has no spaces, on character bigrams. Both scripts are
matched whatever the session language, because bilingual trainees mix them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.reading.words import (
    EN_STOPWORDS,
    LATIN_WORD,
    PREFIX_MIN,
    ZH_STOPGRAMS,
    normalise,
    stem,
)
from app.domain.scenario import Variants
from app.domain.text import CJK_RUN


@dataclass(frozen=True, slots=True)
class AnalysedText:
    """A normalised move: English stems and raw words, Chinese bigrams (and single characters)."""

    stems: frozenset[str]
    words: frozenset[str]
    grams: frozenset[str]
    chars: frozenset[str]


def analyse(text: str) -> AnalysedText:
    """A move prepared once for matching against several indexes."""
    norm = normalise(text)
    words = [w for w in LATIN_WORD.findall(norm) if w not in EN_STOPWORDS]
    grams: set[str] = set()
    chars: set[str] = set()
    for run in CJK_RUN.findall(norm):
        chars.update(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return AnalysedText(
        stems=frozenset(stem(w) for w in words),
        words=frozenset(words),
        grams=frozenset(grams),
        chars=frozenset(chars),
    )


@dataclass(frozen=True, slots=True)
class _Cue:
    stems: tuple[str, ...]  # English content stems
    grams: tuple[str, ...]  # Chinese content bigrams
    single: str  # a one-character Chinese cue, matched as a character

    @property
    def is_empty(self) -> bool:
        return not self.stems and not self.grams and not self.single


def _compile_cue(cue: str) -> _Cue:
    norm = normalise(cue)
    words = [w for w in LATIN_WORD.findall(norm) if w not in EN_STOPWORDS]
    grams: list[str] = []
    single = ""
    for run in CJK_RUN.findall(norm):
        if len(run) == 1:
            single = run
        run_grams = [run[i : i + 2] for i in range(len(run) - 1)]
        content = [g for g in run_grams if g not in ZH_STOPGRAMS]
        grams.extend(content or run_grams)
    return _Cue(
        stems=tuple(dict.fromkeys(stem(w) for w in words)), grams=tuple(grams), single=single
    )


def _word_hit(cue_stem: str, text: AnalysedText) -> float:
    if cue_stem in text.stems:
        return 1.0
    # Related forms the stemmer misses (maintain/maintenance, operator/operation).
    for candidate in text.stems:
        shared = 0
        for a, b in zip(cue_stem, candidate, strict=False):
            if a != b:
                break
            shared += 1
        if shared >= PREFIX_MIN and shared >= 0.6 * min(len(cue_stem), len(candidate)):
            return 0.8
    return 0.0


def _score_cue(cue: _Cue, text: AnalysedText) -> float:
    """0 when the cue is not touched; otherwise a weight that grows with the cue's length."""
    score = 0.0
    if cue.stems:
        hits = [_word_hit(s, text) for s in cue.stems]
        found = sum(1 for h in hits if h > 0)
        needed = len(hits) if len(hits) <= 2 else (2 * len(hits) + 2) // 3
        if found >= needed:
            score += sum(hits)
    if cue.grams:
        found = sum(1 for g in cue.grams if g in text.grams)
        share = found / len(cue.grams)
        # A 2-character word must match exactly; longer cues tolerate a changed word.
        if share >= 0.5 or (len(cue.grams) >= 3 and found >= 1):
            score += found * (1.0 if share >= 0.5 else 0.8)
    elif cue.single and cue.single in text.chars:
        score += 0.5
    return score


@dataclass(frozen=True, slots=True)
class TopicMatch:
    id: str
    score: float


class TopicIndex:
    """Cue lists compiled once per scenario; `match` scores a move against every topic.

    Inverted indexes (stem, stem prefix, bigram, character → cues) keep matching to the
    few cues a move can touch, so a move costs microseconds whatever the scenario's size."""

    __slots__ = ("_by_char", "_by_gram", "_by_prefix", "_by_stem", "_cues", "_order")

    def __init__(self, topics: Iterable[tuple[str, Variants]]) -> None:
        self._cues: list[tuple[str, _Cue]] = []
        self._order: dict[str, int] = {}
        self._by_stem: dict[str, set[int]] = {}
        self._by_prefix: dict[str, set[int]] = {}
        self._by_gram: dict[str, set[int]] = {}
        self._by_char: dict[str, set[int]] = {}
        for topic_id, cues in topics:
            self._order.setdefault(topic_id, len(self._order))
            for text in (*cues.en, *cues.zh):
                cue = _compile_cue(text)
                if cue.is_empty:
                    continue
                n = len(self._cues)
                self._cues.append((topic_id, cue))
                for cue_stem in cue.stems:
                    self._by_stem.setdefault(cue_stem, set()).add(n)
                    if len(cue_stem) >= PREFIX_MIN:
                        self._by_prefix.setdefault(cue_stem[:PREFIX_MIN], set()).add(n)
                for gram in cue.grams:
                    self._by_gram.setdefault(gram, set()).add(n)
                if cue.single:
                    self._by_char.setdefault(cue.single, set()).add(n)

    def match(self, text: str) -> list[TopicMatch]:
        """Topics the move touches, best first (ties in the order the topics were given); an
        empty list when it touches none. A topic's score sums its touched cues, so a move
        hitting several cues of one topic ranks it above one touched by a generic word."""
        return self.match_analysed(analyse(text))

    def match_analysed(self, analysed: AnalysedText) -> list[TopicMatch]:
        """`match` for a move already passed through `analyse`."""
        candidates: set[int] = set()
        for word in analysed.stems:
            candidates |= self._by_stem.get(word, set())
            if len(word) >= PREFIX_MIN:
                candidates |= self._by_prefix.get(word[:PREFIX_MIN], set())
        for gram in analysed.grams:
            candidates |= self._by_gram.get(gram, set())
        for char in analysed.chars:
            candidates |= self._by_char.get(char, set())
        totals: dict[str, float] = {}
        for n in candidates:
            topic_id, cue = self._cues[n]
            score = _score_cue(cue, analysed)
            if score > 0:
                totals[topic_id] = totals.get(topic_id, 0.0) + score
        found = [TopicMatch(topic_id, round(score, 3)) for topic_id, score in totals.items()]
        found.sort(key=lambda m: (-m.score, self._order[m.id]))
        return found


def match_topics(text: str, topics: Sequence[tuple[str, Variants]]) -> list[TopicMatch]:
    """One-off matching; build a `TopicIndex` once when matching many moves."""
    return TopicIndex(topics).match(text)


def contains_cue(text: str, cues: Variants) -> bool:
    return bool(TopicIndex([("cue", cues)]).match(text))
