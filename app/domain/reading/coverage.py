"""Whether the reading can recognise a scenario's items (issue 11): warnings for an author,
never errors. An item is hard to recognise when it has too few words of its own in a
language, or when its example question (the question its author expects) is not read as
being about it by the rest of its text, the example questions left out of the index."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.language import Language
from app.domain.reading.index import ItemKind, ScenarioIndex
from app.domain.reading.lexicon import Lexicon
from app.domain.reading.reading import MATCH_THRESHOLD, read
from app.domain.reading.words import terms_of
from app.domain.scenario import Bilingual, Implication, NeedPayoff, Problem, Scenario

# Distinct content words (English stems, Chinese bigrams) an item's title, cues, answers and
# example question should hold in each language; fewer and natural wordings miss it.
MIN_WORDS = 12


class WarningCode(StrEnum):
    FEW_WORDS = "few_words"
    OWN_QUESTION_MISSED = "own_question_missed"


@dataclass(frozen=True, slots=True)
class RecognitionWarning:
    item_id: str
    language: Language
    code: WarningCode
    words: int  # the item's distinct content words in that language

    def message(self) -> str:
        if self.code is WarningCode.FEW_WORDS:
            return (
                f"{self.item_id} ({self.language.value}): only {self.words} distinct words in "
                f"its title, cues, answers and example question; add cues and answer "
                f"variants in the words sellers and buyers use, or it will be hard to recognise"
            )
        return (
            f"{self.item_id} ({self.language.value}): its own example question is not read "
            f"as being about it; give it words the neighbouring items do not share"
        )


def _texts(scenario: Scenario, item_id: str, language: Language) -> list[str]:
    nodes: list[Problem | Implication | NeedPayoff] = []
    for problem in scenario.problems:
        nodes.append(problem)
        for implication in problem.implications:
            nodes += [implication, *implication.needs]
    for node in nodes:
        if node.id == item_id:
            return [
                node.title(language),
                *node.cues(language),
                *node.answer(language),
                node.example_question(language),
            ]
    return []


def _question(scenario: Scenario, item_id: str, language: Language) -> str:
    texts = _texts(scenario, item_id, language)
    return texts[-1] if texts else ""


def _words(texts: Iterable[str]) -> int:
    found: set[str] = set()
    for text in texts:
        analysed = terms_of(text)
        found |= analysed.stems | analysed.grams
    return len(found)


_NO_QUESTION = Bilingual("", "")


def _without_questions(scenario: Scenario) -> Scenario:
    problems = tuple(
        replace(
            p,
            example_question=_NO_QUESTION,
            implications=tuple(
                replace(
                    i,
                    example_question=_NO_QUESTION,
                    needs=tuple(replace(n, example_question=_NO_QUESTION) for n in i.needs),
                )
                for i in p.implications
            ),
        )
        for p in scenario.problems
    )
    return replace(scenario, problems=problems)


def recognition_warnings(scenario: Scenario, lexicon: Lexicon) -> list[RecognitionWarning]:
    """Every hidden item (problem, implication, need) checked in both languages."""
    index = ScenarioIndex(_without_questions(scenario), lexicon)
    warnings: list[RecognitionWarning] = []
    hidden = [i for i in index.items.values() if i.kind not in (ItemKind.FACT, ItemKind.ADVANCE)]
    for item in hidden:
        for language in Language:
            words = _words(_texts(scenario, item.id, language))
            if words < MIN_WORDS:
                warnings.append(RecognitionWarning(item.id, language, WarningCode.FEW_WORDS, words))
                continue
            reading = read(_question(scenario, item.id, language), index, focus=None)
            rivals = [i.id for i in hidden if i.kind is item.kind and i.id != item.id]
            own = reading.score(item.id)
            if own < MATCH_THRESHOLD or any(reading.score(r) > own for r in rivals):
                code = WarningCode.OWN_QUESTION_MISSED
                warnings.append(RecognitionWarning(item.id, language, code, words))
    return warnings
