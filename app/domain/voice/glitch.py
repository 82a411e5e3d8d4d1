"""A reader's checks on a played call (issue 13): the seams a scripted buyer must not show.
Verbatim repeats of its own sentences, a capital after a joining lead-in, stacked lead-ins,
a lead-in whose tone contradicts what follows, "as I said" before something new, an opening
glued to a reaction, a question in answer to a goodbye, a flourish tacked onto a fact, a tic
said twice, and a pronoun of the wrong gender. Pure; tests/bench/bench_voice.py prints it."""

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.language import Language
from app.domain.move_cues import is_farewell
from app.domain.scenario import Gender, Scenario
from app.domain.style import BuyerStyle, Reaction
from app.domain.transcript import Role, Turn
from app.domain.voice.lead_in import (
    core,
    has_own_lead,
    is_joiner,
    keeps_capital,
    lead_of,
    proper_names,
    split_sentences,
)

_TICS = (Reaction.ACKNOWLEDGE, Reaction.CONNECTOR, Reaction.HINT)
_SOMBRE = (Reaction.CONNECTOR, Reaction.HINT)
_WRONG_PRONOUNS = {
    Gender.FEMALE: re.compile(r"\b(he|him|his|himself)\b|(?<!其)他(?!们)", re.IGNORECASE),
    Gender.MALE: re.compile(r"\b(she|her|hers|herself)\b|(?<!其)她(?!们)", re.IGNORECASE),
    Gender.UNSPECIFIED: re.compile(r"(?!)"),
}


class GlitchKind(StrEnum):
    REPEAT = "repeat"  # a sentence the buyer said before, word for word (lead-ins aside)
    CAPITAL = "capital"  # "To be exact, Being able..."
    LOWERED_NAME = "lowered_name"  # "As I said, ningbo..."
    STACKED = "stacked"  # "情况是这样。是啊，..."; or two lead-ins in one reply
    TONE = "tone"  # a sombre lead-in before good news
    FALSE_RECALL = "false_recall"  # "As I said," before something never said
    GLUED_OPENING = "glued_opening"  # the opening line followed by a style reaction
    FAREWELL = "farewell"  # "Where were we?" after the trainee said goodbye
    FLOURISH = "flourish"  # a vision statement tacked onto a fact
    TIC = "tic"  # the same lead-in said twice in a call
    PRONOUN = "pronoun"  # a female buyer called "he"


@dataclass(frozen=True, slots=True)
class Glitch:
    kind: GlitchKind
    seq: int  # the buyer turn
    text: str  # the sentence or phrase at fault


class CallReader:
    """Reads one call of a scenario and style; the lines it knows are the scenario's own."""

    def __init__(self, scenario: Scenario, style: BuyerStyle, language: Language) -> None:
        self.scenario = scenario
        self.style = style
        self.language = language
        lang = language
        self.items = _item_lines(scenario, lang)
        self.names = proper_names(line for lines in self.items.values() for line in lines)
        self.names |= frozenset(scenario.account.buyer_name(lang).split())
        bank = style.phrases
        self.tics = [p for r in _TICS for p in bank(r)(lang)]
        self.sombre = [p for r in _SOMBRE for p in bank(r)(lang)]
        self.recalls = list(bank(Reaction.ALREADY_COVERED)(lang))
        upbeat = list(style.voice.upbeat(lang)) if style.voice else []
        self.leads = [*self.tics, *self.recalls, *upbeat]
        self.vision = set(bank(Reaction.VISION)(lang))
        self.reaction_phrases = {p for r in Reaction for p in bank(r)(lang)}
        self.good_news = [
            line for _, _, need in scenario.needs() for line in need.answer(lang)
        ] + list(scenario.advance.accept(lang))

    def glitches(self, turns: Sequence[Turn]) -> list[Glitch]:
        found: list[Glitch] = []
        said_cores: set[str] = set()
        said_items: set[str] = set()
        tic_uses: Counter[str] = Counter()
        previous: Turn | None = None
        for turn in turns:
            if turn.role is Role.TRAINEE:
                previous = turn
                continue
            found += self._turn(turn, previous, said_cores, said_items, tic_uses)
            said_items |= self._items_in(turn.text)
            said_cores |= {core(s, self.leads) for s in split_sentences(turn.text)}
        return found

    def _turn(
        self,
        turn: Turn,
        previous: Turn | None,
        said_cores: set[str],
        said_items: set[str],
        tic_uses: Counter[str],
    ) -> Iterator[Glitch]:
        sentences = split_sentences(turn.text)
        for sentence in sentences:
            if core(sentence, self.leads) in said_cores:
                yield Glitch(GlitchKind.REPEAT, turn.seq, sentence)
        yield from self._joins(turn, sentences)
        yield from self._recalls(turn, sentences, said_items)
        leads = [lead for s in sentences if (lead := self._lead(s)) is not None]
        for lead in leads:
            if lead in self.tics:
                tic_uses[lead] += 1
                if tic_uses[lead] == 2:
                    yield Glitch(GlitchKind.TIC, turn.seq, lead)
        if len(leads) > 1:
            yield Glitch(GlitchKind.STACKED, turn.seq, " | ".join(leads))
        if turn.seq == 0 and turn.text not in self.scenario.opening(self.language):
            yield Glitch(GlitchKind.GLUED_OPENING, turn.seq, turn.text)
        farewell = previous is not None and is_farewell(previous.text)
        if farewell and any(s.rstrip().endswith(("?", "？")) for s in sentences):
            yield Glitch(GlitchKind.FAREWELL, turn.seq, turn.text)
        facts = {f"fact:{f.id}" for f in self.scenario.facts}
        if self.vision & set(sentences) and self._items_in(turn.text) & facts:
            yield Glitch(GlitchKind.FLOURISH, turn.seq, turn.text)

    def _lead(self, sentence: str) -> str | None:
        joined = lead_of(sentence, self.leads)
        if joined is not None:
            return joined
        return sentence if sentence in self.leads else None

    def _joins(self, turn: Turn, sentences: Sequence[str]) -> Iterator[Glitch]:
        for n, sentence in enumerate(sentences):
            lead = self._lead(sentence)
            if lead is None:
                continue
            rest = sentence[len(lead) :].strip() if is_joiner(lead) else ""
            if not rest and n + 1 < len(sentences):
                rest = " ".join(sentences[n + 1 :])
            if not rest:
                continue
            if self._lead(rest) is not None or has_own_lead(rest, self.language):
                yield Glitch(GlitchKind.STACKED, turn.seq, sentence)
            if any(lead.startswith(s) for s in self.sombre) and self._good_news(rest):
                yield Glitch(GlitchKind.TONE, turn.seq, sentence)
            if self.language is Language.EN and is_joiner(lead):
                word = rest.split()[0]
                if word[:1].isupper() and not keeps_capital(word, self.names):
                    yield Glitch(GlitchKind.CAPITAL, turn.seq, sentence)
                if word[:1].islower() and word[:1].upper() + word[1:] in self.names:
                    yield Glitch(GlitchKind.LOWERED_NAME, turn.seq, sentence)

    def _good_news(self, text: str) -> bool:
        folded = text.casefold()
        return any(
            line.casefold() in folded or folded in line.casefold() for line in self.good_news
        )

    def _recalls(
        self, turn: Turn, sentences: Sequence[str], said_items: set[str]
    ) -> Iterator[Glitch]:
        for n, sentence in enumerate(sentences):
            lead = self._lead(sentence)
            if lead is None or lead not in self.recalls:
                continue
            rest = sentence[len(lead) :] if is_joiner(lead) else " ".join(sentences[n + 1 :])
            items = self._items_in(rest)
            if items and not items & said_items:
                yield Glitch(GlitchKind.FALSE_RECALL, turn.seq, sentence)

    def _items_in(self, text: str) -> set[str]:
        """The scenario items (kind:id) one of whose wordings the text contains."""
        cores = {core(s, self.leads) for s in split_sentences(text)}
        return {
            item
            for item, lines in self.items.items()
            if any(core(s, self.leads) in cores for line in lines for s in split_sentences(line))
        }


def wrong_pronouns(texts: Sequence[str], gender: Gender) -> list[str]:
    """Texts about the buyer (the scorecard's feedback, coaching) that use a pronoun of the
    other gender."""
    pattern = _WRONG_PRONOUNS[gender]
    return [t for t in texts if pattern.search(t)]


def _item_lines(scenario: Scenario, language: Language) -> dict[str, tuple[str, ...]]:
    items = {f"fact:{f.id}": f.answer(language) for f in scenario.facts}
    for problem in scenario.problems:
        items[f"problem:{problem.id}"] = problem.answer(language)
        items[f"hint:{problem.id}"] = problem.hint(language)
    for _, implication in scenario.implications():
        items[f"implication:{implication.id}"] = implication.answer(language)
    for _, _, need in scenario.needs():
        items[f"need:{need.id}"] = need.answer(language)
    for objection in scenario.objections:
        items[f"objection:{objection.id}"] = objection.text(language)
    items["advance:accept"] = scenario.advance.accept(language)
    items["advance:defer"] = scenario.advance.defer(language)
    items["opening"] = scenario.opening(language)
    return items
