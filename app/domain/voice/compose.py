"""Composing the scripted buyer's words (DESIGN.md §2, issue 13): the reply to a Direction
from what the director unlocked and the style's phrasing, seeded. It answers what was asked
first, never restates a sentence of the call (what was said is referred back to in other
words), uses at most one lead-in per reply and rations them across the call, joins them
grammatically, and adds a style flourish only where it fits. Pure; app/services/voice/
scripted.py streams it."""

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.director import Direction, Reveal, RevealKind
from app.domain.language import Language
from app.domain.move_cues import is_farewell
from app.domain.style import BuyerStyle, Reaction, StyleName
from app.domain.transcript import Role, Turn
from app.domain.voice.lead_in import (
    core,
    has_own_lead,
    is_joiner,
    join,
    lead_of,
    proper_names,
    split_sentences,
)

__all__ = ["Scripter", "chunk_text", "split_sentences"]

_CHUNK_WORDS = 3  # words per streamed chunk (English)
_CHUNK_CHARS = 6  # characters per streamed chunk (Chinese)
# Filler lead-ins ("Since you ask,", "说实话，"): a tic when said every turn, so rationed.
_TICS = (Reaction.ACKNOWLEDGE, Reaction.CONNECTOR, Reaction.HINT)
# Behaviours said after the answer: the buyer answers, then shows it is tiring.
_AFTER_CONTENT = frozenset({Reaction.IMPATIENT})
# Behaviours whose phrase is the reply itself, never a lead-in to content.
_CLOSING = frozenset({Reaction.END_CALL})
# Content said bare: the opening is a greeting already; a hang-up closes with its phrase.
_NO_LEAD = frozenset({Reaction.GREETING, Reaction.END_CALL, *_AFTER_CONTENT})
# A flourish (an expressive buyer's vision) fits good news or small talk, not a fact.
_ASIDE_FITS = frozenset({RevealKind.NEED, RevealKind.IMPLICATION, RevealKind.ADVANCE_ACCEPT})
_GOOD_NEWS = frozenset({RevealKind.NEED, RevealKind.ADVANCE_ACCEPT})
# When a behaviour's own phrases were all said, a kindred behaviour's fresh phrase says the
# same thing in other words (a trainee can draw ten deflections; a buyer never repeats one).
_KIN = (
    (Reaction.DEFLECT, Reaction.UNCLEAR, Reaction.BRUSH_OFF, Reaction.HOLD_BACK),
    (Reaction.NOT_AN_ISSUE, Reaction.HOLD_BACK, Reaction.LUKEWARM, Reaction.DEFLECT),
    (Reaction.SCEPTICAL, Reaction.EVIDENCE_REQUEST, Reaction.PUSH_BACK, Reaction.WITHDRAW),
    (Reaction.IMPATIENT, Reaction.BRUSH_OFF, Reaction.DEFLECT),
    (Reaction.WARM, Reaction.SUMMARY, Reaction.RECEPTIVE),
)


@dataclass(frozen=True, slots=True)
class _Piece:
    """One reveal as said this turn: `said` when its item was said before (any lead-in
    must then refer back), `recall` when it is a back-reference sentence, not the line."""

    reveal: Reveal
    text: str
    said: bool
    recall: bool = False


@dataclass(slots=True)
class _Composer:
    """One reply being written against the call so far."""

    style: BuyerStyle
    language: Language
    rng: random.Random
    names: frozenset[str]
    used: set[str] = field(default_factory=set)  # cores of every buyer sentence so far
    leads_used: set[str] = field(default_factory=set)  # lead-in phrases said in the call
    led_last_turn: bool = False
    answering: bool = False  # whether the trainee has said anything yet

    def bank(self, reaction: Reaction) -> tuple[str, ...]:
        return self.style.phrases(reaction)(self.language)

    def all_leads(self) -> list[str]:
        keys = (*_TICS, Reaction.ALREADY_COVERED)
        phrases = [p for k in keys for p in self.bank(k)]
        return phrases + list(self.voice_bank("upbeat"))

    def voice_bank(self, name: str) -> tuple[str, ...]:
        banks = self.style.voice
        return () if banks is None else getattr(banks, name)(self.language)

    def own_lead(self, line: str) -> str | None:
        first = split_sentences(line)[:1]
        return lead_of(first[0], self.all_leads()) if first else None

    def cores(self, text: str) -> list[str]:
        leads = self.all_leads()
        return [core(s, leads) for s in split_sentences(text)]

    def is_fresh(self, text: str) -> bool:
        return not any(c in self.used for c in self.cores(text))

    def take(self, text: str) -> str:
        self.used.update(self.cores(text))
        return text

    def fresh(self, options: Iterable[str], *, room: int | None = None) -> str | None:
        """A seeded choice among options not said yet, preferring those within `room`
        sentences; None when every option was said."""
        pool = [o for o in options if self.is_fresh(o)]
        # An authored line's own lead ("Honestly, ...") is a tic too when it recurs.
        pool = [o for o in pool if self.own_lead(o) not in self.leads_used] or pool
        if room is not None:
            short = [o for o in pool if len(split_sentences(o)) <= room]
            pool = short or sorted(pool, key=lambda o: len(split_sentences(o)))[:1]
        return self.rng.choice(pool) if pool else None

    def piece(self, reveal: Reveal, room: int) -> _Piece | None:
        """The reveal in words: a wording not said yet; when one was said, another wording
        (flagged, so its lead-in refers back) or a sentence that refers back to it."""
        said = any(c in self.used for line in reveal.lines for c in self.cores(line))
        line = self.fresh(reveal.lines, room=max(1, room))
        if line is not None:
            return _Piece(reveal, line, said=said)
        recall = self.fresh(self.voice_bank("recall"))
        return _Piece(reveal, recall, said=True, recall=True) if recall else None

    def lead_bank(self, reaction: Reaction, piece: _Piece) -> tuple[list[str], bool]:
        """The lead-ins that fit this reply's first piece, and whether they are a tic."""
        if piece.said:
            return list(self.bank(Reaction.ALREADY_COVERED)), False
        if reaction in (Reaction.ACKNOWLEDGE, Reaction.CONNECTOR):
            if piece.reveal.kind in _GOOD_NEWS:
                return list(self.voice_bank("upbeat")), True
            if piece.reveal.kind is RevealKind.FACT:
                return list(self.bank(Reaction.ACKNOWLEDGE)), True
            return list(self.bank(Reaction.CONNECTOR)), True
        if reaction is Reaction.HINT or piece.reveal.kind is RevealKind.HINT:
            return list(self.bank(Reaction.HINT)), True
        if reaction is Reaction.ALREADY_COVERED or reaction in _NO_LEAD:
            return [], False
        return list(self.bank(reaction)), False

    def lead(self, reaction: Reaction, piece: _Piece, *, may_tic: bool, room: bool) -> list[str]:
        """The piece with at most one lead-in before it: a joining phrase woven into its
        first sentence, or (with `room` for one more sentence) a short sentence of its own."""
        if piece.recall or has_own_lead(piece.text, self.language):
            return [self.take(piece.text)]
        phrases, tic = self.lead_bank(reaction, piece)
        if tic and not may_tic:
            return [self.take(piece.text)]
        options: list[tuple[str, bool]] = []  # (text, whether it holds the line)
        for phrase in phrases:
            if phrase in self.leads_used and (tic or not piece.said):
                continue  # a tic, or a behaviour, said once per call; "As I said" may recur
            if is_joiner(phrase):
                options.append((join(phrase, piece.text, self.language, self.names), True))
            elif self.is_fresh(phrase) and (room or not tic):
                options.append((phrase, False))
        if not options:
            return [self.take(piece.text)]
        chosen, holds_line = self.rng.choice(options)
        if holds_line:
            return [self.take(chosen)]
        return [self.take(chosen), self.take(piece.text)]


class Scripter:
    """Writes replies for any style. Pass every turn of the call in `recent` (not only the
    last few): the no-repeat rule can only avoid sentences it is shown."""

    def __init__(self, styles: Mapping[StyleName, BuyerStyle]) -> None:
        self._styles = dict(styles)

    def compose(self, direction: Direction, recent: Sequence[Turn]) -> str:
        """The whole reply, from the Direction's reveals and the style's phrasing only."""
        style = self._styles[direction.persona.style]
        composer = self._composer(style, direction, recent)
        budget = max(1, direction.max_sentences)
        reaction = direction.reaction
        reserved = 1 if reaction in _CLOSING and budget > 1 else 0  # a hang-up says so
        pieces = self._pieces(composer, direction.reveals, budget - reserved)
        parts = self._say(composer, direction, pieces, budget)
        spent = sum(len(split_sentences(p)) for p in parts)
        if reaction in _CLOSING or not parts:
            parts += self._whole(composer, direction, recent)
        elif reaction in _AFTER_CONTENT and spent < budget:
            parts += _some(composer.fresh(composer.bank(reaction)), composer)
        spent = sum(len(split_sentences(p)) for p in parts)
        goodbye = _is_goodbye(recent)
        if goodbye and pieces and reaction not in _CLOSING:
            # A parting remark (a hint let slip) still ends with a goodbye.
            parts += _some(composer.fresh(composer.voice_bank("farewell")), composer)
        elif direction.aside and not goodbye and spent < budget and _aside_fits(direction):
            parts += _some(composer.fresh(composer.bank(direction.aside)), composer)
        if not parts:
            parts = _some(composer.fresh(composer.bank(Reaction.UNCLEAR)), composer) or ["..."]
        return ("" if direction.language is Language.ZH else " ").join(parts)

    def _composer(
        self, style: BuyerStyle, direction: Direction, recent: Sequence[Turn]
    ) -> _Composer:
        persona = direction.persona
        texts = [line for r in direction.reveals for line in r.lines]
        texts += [*direction.known, persona.buyer_name, persona.company, persona.address]
        composer = _Composer(
            style,
            direction.language,
            random.Random(direction.seed),
            names=proper_names(texts) | frozenset(persona.buyer_name.split()),
        )
        leads = composer.all_leads() + [
            p for r in Reaction for p in composer.bank(r) if not is_joiner(p)
        ]
        buyer = [t for t in recent if t.role is Role.BUYER]
        composer.answering = any(t.role is Role.TRAINEE for t in recent)
        for turn in buyer:
            composer.take(turn.text)
            for sentence in split_sentences(turn.text):
                found = lead_of(sentence, leads) or (sentence if sentence in leads else None)
                if found:
                    composer.leads_used.add(found)
        if buyer:
            first = split_sentences(buyer[-1].text)[:1]
            composer.led_last_turn = bool(first) and (
                lead_of(first[0], leads) is not None or first[0] in leads
            )
        return composer

    def _pieces(self, composer: _Composer, reveals: Sequence[Reveal], budget: int) -> list[_Piece]:
        """One piece per reveal, in the director's order (what was asked first), within the
        sentence budget; the first reveal and any objection always get said."""
        pieces: list[_Piece] = []
        spent = 0
        for n, reveal in enumerate(reveals):
            must = n == 0 or reveal.kind is RevealKind.OBJECTION
            if budget - spent <= 0 and not must:
                continue
            piece = composer.piece(reveal, budget - spent)
            if piece is None:
                continue
            composer.take(piece.text)  # a later reveal must not pick the same wording
            pieces.append(piece)
            spent += len(split_sentences(piece.text))
        for piece in pieces:  # taken again, with its lead-in, when said
            for c in composer.cores(piece.text):
                composer.used.discard(c)
        return pieces

    def _say(
        self, composer: _Composer, direction: Direction, pieces: Sequence[_Piece], budget: int
    ) -> list[str]:
        """The pieces in order, with the reply's one lead-in where it fits the budget: a tic
        at most every other turn and each phrase once per call."""
        room = sum(len(split_sentences(p.text)) for p in pieces) < budget
        # A lead-in answers something: a call's first line (a drill's too) has none.
        may_tic = composer.answering and not composer.led_last_turn
        parts: list[str] = []
        led = False
        for n, piece in enumerate(pieces):
            if led or (n > 0 and piece.reveal.kind is not RevealKind.HINT and not piece.said):
                parts.append(composer.take(piece.text))
                continue
            reaction = direction.reaction if n == 0 else Reaction.HINT
            said = composer.lead(reaction, piece, may_tic=may_tic or piece.said, room=room)
            led = len(said) > 1 or said[0] != piece.text
            parts += said
        return parts

    def _whole(
        self, composer: _Composer, direction: Direction, recent: Sequence[Turn]
    ) -> list[str]:
        """A reply that is the behaviour itself (a deflection, a hang-up); a goodbye is
        answered with one."""
        if _is_goodbye(recent) and direction.reaction not in _CLOSING:
            said = composer.fresh(composer.voice_bank("farewell"))
            if said is not None:
                return [composer.take(said)]
        for reaction in _kindred(direction.reaction):
            said = composer.fresh(composer.bank(reaction))
            if said is not None:
                return [composer.take(said)]
        return []


def _kindred(reaction: Reaction) -> list[Reaction]:
    """The reaction first, then kindred ones, each once."""
    family = [reaction] + [r for group in _KIN if reaction in group for r in group]
    return list(dict.fromkeys([*family, Reaction.UNCLEAR]))


def _is_goodbye(recent: Sequence[Turn]) -> bool:
    trainee = [t for t in recent if t.role is Role.TRAINEE]
    return bool(trainee) and is_farewell(trainee[-1].text)


def _some(text: str | None, composer: _Composer) -> list[str]:
    return [] if text is None else [composer.take(text)]


def _aside_fits(direction: Direction) -> bool:
    """A flourish follows good news or small talk, never a bare fact or an objection."""
    return all(r.kind in _ASIDE_FITS for r in direction.reveals)


def chunk_text(text: str, language: Language) -> list[str]:
    """Pieces that concatenate back to `text` exactly."""
    if language is Language.ZH:
        return [text[i : i + _CHUNK_CHARS] for i in range(0, len(text), _CHUNK_CHARS)]
    words = re.findall(r"\S+\s*", text)
    lead = text[: len(text) - len(text.lstrip())]
    chunks = ["".join(words[i : i + _CHUNK_WORDS]) for i in range(0, len(words), _CHUNK_WORDS)]
    if lead and chunks:
        chunks[0] = lead + chunks[0]
    return chunks or ([text] if text else [])
