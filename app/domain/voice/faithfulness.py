"""Faithfulness (DESIGN.md §2): whether a model's reply says only what its Direction allows.
Figures and named facts must come from what the director unlocked or the buyer already said,
nothing locked may appear, the language must be the session's and the length bounded. Pure:
app/services/voice/llm.py runs it on every streamed sentence and on the whole reply."""

import re
from collections.abc import Iterable, Sequence

from app.domain.director import Direction
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.text import CJK, fold
from app.domain.voice.compose import split_sentences
from app.domain.voice.figures import all_figures, chinese_names, english_names, figures
from app.domain.voice.verdict import Violation, ViolationKind

_LATIN_WORD = re.compile(r"[A-Za-z]+")
_EN_SHINGLE = 6  # words: a shared run this long is a locked line, not a common phrase
_ZH_SHINGLE = 10  # characters
_SLACK_SENTENCES = 1  # a model splits "Well." off; one sentence over the bound is tolerated
_WORDS_PER_SENTENCE = 40
_CHARS_PER_SENTENCE = 70  # Chinese


def locked_texts(scenario: Scenario, state: DiscoveryState, language: Language) -> list[str]:
    """Every wording of the problems, implications and needs still locked in `state`: what a
    reply must never contain. Facts, objections and the advance are never secret."""
    texts: list[str] = []
    for problem in scenario.problems:
        if problem.id not in state.problems:
            texts += problem.answer(language)
            if problem.id not in state.hints:
                texts += problem.hint(language)
    texts += [
        line
        for _, implication in scenario.implications()
        if implication.id not in state.implications
        for line in implication.answer(language)
    ]
    texts += [
        line
        for _, _, need in scenario.needs()
        if need.id not in state.needs
        for line in need.answer(language)
    ]
    return texts


def _shingles(text: str, language: Language) -> set[str]:
    if language is Language.ZH:
        chars = "".join(CJK.findall(text))
        return {chars[i : i + _ZH_SHINGLE] for i in range(len(chars) - _ZH_SHINGLE + 1)}
    words = re.findall(r"[a-z0-9']+", fold(text))
    return {" ".join(words[i : i + _EN_SHINGLE]) for i in range(len(words) - _EN_SHINGLE + 1)}


def _capitalised(texts: Iterable[str]) -> set[str]:
    return {w.replace("’", "'") for t in texts for w in re.findall(r"[A-Za-z][\w'’-]*", t)}


class Faithfulness:
    """The allowance for one reply: built from the Direction (reveals, known, persona), the
    buyer's earlier words in the call, and the locked texts (never shown to the model)."""

    def __init__(self, direction: Direction, *, said: Sequence[str], locked: Sequence[str]):
        persona = direction.persona
        allowed = [line for r in direction.reveals for line in r.lines]
        allowed += [*direction.known, *said]
        allowed += [persona.buyer_name, persona.company, persona.role, persona.industry]
        allowed += [persona.product, persona.address]
        self.language = direction.language
        self.max_sentences = max(1, direction.max_sentences) + _SLACK_SENTENCES
        self._allowed_text = "\n".join(allowed)
        self._figures = all_figures(allowed)
        self._names = _capitalised(allowed)
        self._locked_figures = all_figures(locked) - self._figures
        allowed_shingles = {s for t in allowed for s in _shingles(t, self.language)}
        self._locked_shingles = {
            s for t in locked for s in _shingles(t, self.language)
        } - allowed_shingles

    def sentence(self, text: str) -> Violation | None:
        """What is wrong with one sentence, checked as it streams; None when it may be said."""
        for shingle in sorted(_shingles(text, self.language) & self._locked_shingles):
            return Violation(ViolationKind.LOCKED, shingle)
        for value in sorted(figures(text)):
            if value in self._locked_figures:
                return Violation(ViolationKind.LOCKED, _show(value))
            if value not in self._figures:
                return Violation(ViolationKind.FIGURE, _show(value))
        for name in sorted(english_names(text)):
            if name not in self._names:
                return Violation(ViolationKind.NAME, name)
        for name in sorted(chinese_names(text)):
            if name not in self._allowed_text:
                return Violation(ViolationKind.NAME, name)
        return self._language(text)

    def reply(self, text: str) -> Violation | None:
        """The whole reply: every sentence, then its length."""
        sentences = split_sentences(text)
        if not sentences:
            return Violation(ViolationKind.EMPTY, "")
        if self.language is Language.ZH and not CJK.search(text):
            return Violation(ViolationKind.LANGUAGE, "en")
        for sentence in sentences:
            found = self.sentence(sentence)
            if found is not None:
                return found
        if len(sentences) > self.max_sentences:
            return Violation(ViolationKind.LENGTH, f"{len(sentences)} sentences")
        if self.language is Language.ZH:
            size, limit = len(CJK.findall(text)), _CHARS_PER_SENTENCE * self.max_sentences
        else:
            size, limit = len(text.split()), _WORDS_PER_SENTENCE * self.max_sentences
        if size > limit:
            return Violation(ViolationKind.LENGTH, f"{size} units")
        return None

    def _language(self, text: str) -> Violation | None:
        cjk = len(CJK.findall(text))
        latin = len(_LATIN_WORD.findall(text))
        if self.language is Language.EN and cjk:
            return Violation(ViolationKind.LANGUAGE, "zh")
        # A Chinese buyer may say "PLC" or "OK"; a sentence mostly in Latin words is English.
        if self.language is Language.ZH and latin >= 3 and latin * 2 > cjk:
            return Violation(ViolationKind.LANGUAGE, "en")
        return None


def _show(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
