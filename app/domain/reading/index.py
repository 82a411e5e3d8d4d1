"""A scenario's items as documents the reading scores a move against: everything the scenario
says about an item (title, cues, authored answers, example question, hint), weighted by
field, with the lexicon's concepts, and each term weighed by how rare it is among the
scenario's items. Compiled once per scenario and lexicon."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from app.domain.reading.lexicon import Lexicon
from app.domain.reading.words import PREFIX_MIN, TextTerms, terms_of
from app.domain.scenario import Bilingual, Implication, NeedPayoff, Scenario, Variants


class ItemKind(StrEnum):
    FACT = "fact"
    PROBLEM = "problem"
    IMPLICATION = "implication"
    NEED = "need"
    ADVANCE = "advance"


# How much a term says about an item, by where the scenario uses it. Titles and cues name
# the item; answers and hints describe it in the buyer's words; the example question is
# how a seller might ask.
TITLE_WEIGHT = 2.5
CUE_WEIGHT = 2.0
QUESTION_WEIGHT = 1.5
ANSWER_WEIGHT = 1.0
HINT_WEIGHT = 1.0
# A fact has no title: its cues are its name, and count as a title and cues together.
FACT_CUE_WEIGHT = TITLE_WEIGHT + CUE_WEIGHT
SATURATION = 2.0  # a term's field weight w counts w / (w + SATURATION)
FUZZY = 0.7  # a typo or a related form counts this much of an exact hit
MIN_FUZZY_CHARS = 6
# Rarity grows with the number of topics; scores are rescaled to a scenario of this size (the
# shipped ones have 14-16 topics; 18 was chosen on the development probes), so one
# threshold fits small and large scenarios alike.
REFERENCE_TOPICS = 18


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    kind: ItemKind
    parent: str | None  # an implication's problem, a need's implication
    order: int  # the item's position in the scenario (ties go to the earlier one)


def terms(text: str, lexicon: Lexicon) -> set[str]:
    """A text's scored terms: content stems, Chinese bigrams and `@concept` ids."""
    analysed = terms_of(text)
    return _terms(analysed, lexicon)


def _terms(analysed: TextTerms, lexicon: Lexicon) -> set[str]:
    return set(analysed.stems) | set(analysed.grams) | set(lexicon.concepts(analysed))


class ScenarioIndex:
    """`score(text)` gives every item the move touches a score: the sum, over shared terms,
    of the term's rarity (idf) times its saturated field weight in the item."""

    __slots__ = ("_deletions", "_docs", "_idf", "_max_idf", "_postings", "items", "lexicon")

    def __init__(self, scenario: Scenario, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.items: dict[str, Item] = {}
        self._docs: dict[str, dict[str, float]] = {}
        for item, fields in _documents(scenario):
            self.items[item.id] = item
            doc: dict[str, float] = {}
            for weight, texts in fields:
                seen: set[str] = set()
                for text in texts:
                    seen |= terms(text, lexicon)
                for term in seen:  # presence per field: long answers do not outweigh titles
                    doc[term] = doc.get(term, 0.0) + weight
            self._docs[item.id] = doc
        # Rarity is counted over topics (a fact, a problem with everything under it, the
        # advance), not items: a problem's key word recurring in its own implications and
        # needs still tells that topic from the others; the fields tell the stages apart.
        topic_of = {item_id: self._root(item_id) for item_id in self._docs}
        count = len(set(topic_of.values()))
        holders: dict[str, set[str]] = {}
        for item_id, doc in self._docs.items():
            for term in doc:
                holders.setdefault(term, set()).add(topic_of[item_id])
        frequency = {term: len(topics) for term, topics in holders.items()}
        scale = math.log(1.0 + REFERENCE_TOPICS) / math.log(1.0 + max(count, 1))
        self._idf = {t: scale * math.log(1.0 + count / df) for t, df in frequency.items()}
        self._max_idf = max(self._idf.values(), default=1.0)
        self._postings: dict[str, list[tuple[str, float]]] = {}
        for item_id, doc in self._docs.items():
            for term, weight in doc.items():
                self._postings.setdefault(term, []).append(
                    (item_id, self._idf[term] * weight / (weight + SATURATION))
                )
        self._deletions: dict[str, set[str]] = {}
        for term in self._idf:
            if term.isascii() and len(term) >= MIN_FUZZY_CHARS:
                for variant in _deletion_variants(term):
                    self._deletions.setdefault(variant, set()).add(term)

    def score(self, text: str) -> dict[str, float]:
        return self.score_terms(terms(text, self.lexicon))

    def rarity(self, term: str) -> float:
        """A term's idf; a term the scenario never uses counts as the rarest there is."""
        return self._idf.get(term, self._max_idf)

    def known(self, move_terms: Iterable[str]) -> set[str]:
        """The move terms the scenario's text knows (exactly, or one typo away)."""
        return {t for t in move_terms if t in self._postings or (t.isascii() and self._near(t))}

    def score_terms(self, move_terms: Iterable[str]) -> dict[str, float]:
        totals: dict[str, float] = {}
        for term, strength in self._resolve(move_terms).items():
            for item_id, value in self._postings[term]:
                totals[item_id] = totals.get(item_id, 0.0) + strength * value
        return {k: round(v, 4) for k, v in totals.items()}

    def _resolve(self, move_terms: Iterable[str]) -> dict[str, float]:
        """Each move term mapped to the index's terms it hits: itself, else (English words
        of five letters or more) a form one edit away or sharing a long prefix."""
        hits: dict[str, float] = {}
        for term in move_terms:
            if term in self._postings:
                hits[term] = 1.0
            elif term.isascii() and len(term) >= MIN_FUZZY_CHARS:
                for near in self._near(term):
                    hits[near] = max(hits.get(near, 0.0), FUZZY)
        return hits

    def _near(self, term: str) -> set[str]:
        found = set(self._deletions.get(term, ()))
        for variant in _deletion_variants(term):
            found |= self._deletions.get(variant, set())
            if variant in self._postings:
                found.add(variant)
        prefix = term[:PREFIX_MIN]
        for variant in self._deletions.get(prefix, ()):
            shared = len(_common_prefix(term, variant))
            if shared >= 0.7 * min(len(term), len(variant)):
                found.add(variant)
        return found

    def lineage(self, item_id: str) -> set[str]:
        """An item, its ancestors and its descendants: what a follow-up most plainly
        concerns (a need of the implication just discussed, not of its sibling)."""
        if item_id not in self.items:
            return set()
        found = {item_id}
        current = self.items[item_id].parent
        while current is not None and current in self.items:
            found.add(current)
            current = self.items[current].parent
        frontier = [item_id]
        while frontier:
            parent = frontier.pop()
            kids = [i.id for i in self.items.values() if i.parent == parent]
            found.update(kids)
            frontier.extend(kids)
        return found

    def _root(self, item_id: str) -> str:
        root = item_id
        while self.items[root].parent is not None:
            root = self.items[root].parent or root
        return root

    def family(self, item_id: str) -> set[str]:
        """What a follow-up about an item may concern: its problem and everything under it
        (a fact is a family of its own)."""
        if item_id not in self.items:
            return set()
        root = item_id
        while self.items[root].parent is not None:
            root = self.items[root].parent or root
        found = {root}
        frontier = [root]
        while frontier:
            current = frontier.pop()
            for other in self.items.values():
                if other.parent == current and other.id not in found:
                    found.add(other.id)
                    frontier.append(other.id)
        return found


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _deletion_variants(term: str) -> set[str]:
    """Every form with one letter deleted, plus the five-letter prefix (so "maintain" and
    "maintenance", or "onboard" and "onboarding", find each other)."""
    variants = {term[:i] + term[i + 1 :] for i in range(len(term))}
    variants.add(term[:PREFIX_MIN])
    return variants


Field = tuple[float, tuple[str, ...]]


def _both(text: Bilingual) -> tuple[str, ...]:
    return (text.en, text.zh)


def _all(variants: Variants) -> tuple[str, ...]:
    return (*variants.en, *variants.zh)


def _stage(node: Implication | NeedPayoff) -> list[Field]:
    """An implication's or a need's fields (a problem has a hint besides)."""
    return [
        (TITLE_WEIGHT, _both(node.title)),
        (CUE_WEIGHT, _all(node.cues)),
        (QUESTION_WEIGHT, _both(node.example_question)),
        (ANSWER_WEIGHT, _all(node.answer)),
    ]


def _documents(scenario: Scenario) -> Iterable[tuple[Item, list[Field]]]:
    order = 0
    for fact in scenario.facts:
        yield (
            Item(fact.id, ItemKind.FACT, None, order),
            [(FACT_CUE_WEIGHT, _all(fact.cues)), (ANSWER_WEIGHT, _all(fact.answer))],
        )
        order += 1
    for problem in scenario.problems:
        yield (
            Item(problem.id, ItemKind.PROBLEM, None, order),
            [
                (TITLE_WEIGHT, _both(problem.title)),
                (CUE_WEIGHT, _all(problem.cues)),
                (QUESTION_WEIGHT, _both(problem.example_question)),
                (ANSWER_WEIGHT, _all(problem.answer)),
                (HINT_WEIGHT, _all(problem.hint)),
            ],
        )
        order += 1
        for implication in problem.implications:
            yield Item(implication.id, ItemKind.IMPLICATION, problem.id, order), _stage(implication)
            order += 1
            for need in implication.needs:
                yield Item(need.id, ItemKind.NEED, implication.id, order), _stage(need)
                order += 1
    yield (
        Item("advance", ItemKind.ADVANCE, None, order),
        [
            (TITLE_WEIGHT, _both(scenario.advance.description)),
            (CUE_WEIGHT, _all(scenario.advance.cues)),
        ],
    )


@lru_cache(maxsize=64)
def index_for(scenario: Scenario, lexicon: Lexicon) -> ScenarioIndex:
    """Compiled once per scenario and lexicon (both immutable); a move then costs a few
    dictionary lookups per word."""
    return ScenarioIndex(scenario, lexicon)
