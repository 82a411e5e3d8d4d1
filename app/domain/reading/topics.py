"""Bilingual topic matching: does a trainee move touch a scenario topic's cue words?

English is matched on lightly stemmed word tokens (multi-word cues need all their content
words, in any order); Chinese, which has no spaces, on character bigrams. Both scripts are
matched whatever the session language, because bilingual trainees mix them.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.scenario import Variants
from app.domain.text import CJK_RUN, fold

_PUNCTUATION = re.compile(r"[^\w\s]|_", re.UNICODE)
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Words that carry no topic: question scaffolding and pronouns.
_EN_STOPWORDS_TEXT = (
    "a an the of to in on at for with by from and or but is are was were be been being do does "
    "did doing have has had having i me my we us our you your he she it its they them their "
    "this that these those there here what which who whom whose when where why how can could "
    "would should will shall may might must about any some much many more most so if then than "
    "as into out up down over just also very really tell please get got currently today now "
    # SPIN scaffolding: every problem or implication question uses these, whatever its topic.
    "effect effects impact impacts affect affects lead leads cause causes help helps mean means "
    "problem problems issue issues difficult difficulty difficulties challenge challenges happen "
    "happens result results consequence consequences think feel like way ways thing things"
)
_EN_STOPWORDS = frozenset(_EN_STOPWORDS_TEXT.split())
# Bigrams that appear in almost any Chinese question and would match every cue.
_ZH_STOPGRAMS_TEXT = (
    "什么 怎么 怎样 如何 我们 你们 您们 他们 是否 有没 没有 多少 一个 这个 那个 哪些 哪个 "
    "现在 目前 情况 问题 方面 请问 一下 可以 能否 是不 不是 的话 时候 时间 公司 工作 业务 "
    "影响 导致 带来 如果 帮助 意味 觉得 认为 困难 麻烦 挑战 头疼 担心 满意 还有 有哪 哪里"
)
_ZH_STOPGRAMS = frozenset(_ZH_STOPGRAMS_TEXT.split())
# English suffixes stripped by the light stemmer, longest first.
_SUFFIXES = (
    "ations",
    "ation",
    "ings",
    "ing",
    "ions",
    "ion",
    "ers",
    "er",
    "ors",
    "or",
    "ies",
    "ied",
    "ed",
    "es",
    "ly",
    "s",
)
_PREFIX_MIN = 5  # shared prefix length that lets two unstemmed words count as related


def normalise(text: str) -> str:
    """Lowercase, full-width forms folded to half-width (NFKC), punctuation turned to spaces."""
    folded = fold(text)
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


def stem(word: str) -> str:
    """A light English stemmer: `trained`, `training`, `trains` → `train`; `downtimes` and
    `downtime` → `downtim`. Only consistency matters, not linguistic roots."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if suffix == "s" and word.endswith("ss"):
            break
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix == "ies" or suffix == "ied":
                word += "y"
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsaeiou":
        word = word[:-1]  # stopped → stop, running → run
    return word


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
    words = [w for w in _LATIN_WORD.findall(norm) if w not in _EN_STOPWORDS]
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
    words = [w for w in _LATIN_WORD.findall(norm) if w not in _EN_STOPWORDS]
    grams: list[str] = []
    single = ""
    for run in CJK_RUN.findall(norm):
        if len(run) == 1:
            single = run
        run_grams = [run[i : i + 2] for i in range(len(run) - 1)]
        content = [g for g in run_grams if g not in _ZH_STOPGRAMS]
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
        if shared >= _PREFIX_MIN and shared >= 0.6 * min(len(cue_stem), len(candidate)):
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
                    if len(cue_stem) >= _PREFIX_MIN:
                        self._by_prefix.setdefault(cue_stem[:_PREFIX_MIN], set()).add(n)
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
            if len(word) >= _PREFIX_MIN:
                candidates |= self._by_prefix.get(word[:_PREFIX_MIN], set())
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
