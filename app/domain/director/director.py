"""The director (DESIGN.md §2): updates the discovery state after each trainee move and
decides what the buyer may reveal now, in which stance, given the buyer's style."""

import random

from app.domain.director.behaviour import Reply, maybe_drift, maybe_hint, withdraw
from app.domain.director.direction import Direction, Reveal, RevealKind, persona_for
from app.domain.director.reveal import Aim, AimKind, Aims, facts_for, find_problem, known_texts
from app.domain.director.stance import adjust, likely_outcome, stance_for
from app.domain.director.state import DiscoveryState, HeldBack, HoldReason, Mood
from app.domain.labels import SPIN_QUESTIONS, Label, Move, MoveKind, SpinLabel
from app.domain.language import Language
from app.domain.move_cues import is_precise, is_recognition
from app.domain.reading.index import ItemKind, index_for
from app.domain.reading.lexicon import Lexicon
from app.domain.reading.reading import Reading, read
from app.domain.scenario import Objection, ObjectionTrigger, Scenario
from app.domain.style import BuyerStyle, MoveType, Reaction


def move_type(label: Label, reading: Reading) -> MoveType:
    """The label as the director reacts to it: warm small talk that names no scenario item is
    rapport whatever its form; a commitment that names the scenario's advance is an
    `advance`, any other one a `close`."""
    if reading.small_talk and label.label in SPIN_QUESTIONS:
        return MoveType.RAPPORT
    act = reading.act if reading.act is not None else label.label
    if act is SpinLabel.OTHER and _unsure_other(label, reading):
        act = max(SPIN_QUESTIONS, key=lambda spin: label.scores.get(spin, 0.0))
    if act is not SpinLabel.OTHER:
        return MoveType(act.value)
    if label.move is Move.COMMITMENT:
        return MoveType.ADVANCE if reading.score("advance") > 0 else MoveType.CLOSE
    if label.move is None:
        return MoveType.OTHER
    return MoveType(label.move.value)


# A question the classifier could not place (rapport, summary or other, with little
# confidence) that names a scenario item and gives a SPIN act at least this much is read as
# that act ("you mentioned a two-year backlog: how come?" is not a summary).
UNSURE_OTHER = 0.65
SPIN_SHARE_FOR_UNSURE = 0.2
_UNSURE_MOVES = frozenset({Move.RAPPORT, Move.OTHER, Move.COMMITMENT, Move.SUMMARY})


def _unsure_other(label: Label, reading: Reading) -> bool:
    if label.kind is not MoveKind.QUESTION or label.move not in _UNSURE_MOVES:
        return False
    if label.move is Move.COMMITMENT and reading.touches("advance"):
        return False  # proposing the scenario's next step is what it looks like
    if label.confidence >= UNSURE_OTHER or reading.small_talk or not reading.topics():
        return False
    return max(label.scores.get(spin, 0.0) for spin in SPIN_QUESTIONS) >= SPIN_SHARE_FOR_UNSURE


def _hold(state: DiscoveryState, item_id: str, seq: int, reason: HoldReason) -> None:
    state.held_back.setdefault(item_id, HeldBack(seq, reason))


class Director:
    """Pure and deterministic: the same state, move and seed give the same Direction."""

    def __init__(
        self, scenario: Scenario, style: BuyerStyle, language: Language, lexicon: Lexicon
    ) -> None:
        self.scenario = scenario
        self.style = style
        self.language = language
        self.index = index_for(scenario, lexicon)
        self._aims = Aims(scenario, self.index)
        self.persona = persona_for(scenario, style, language)

    # -- public use ---------------------------------------------------------------------

    def open(self, state: DiscoveryState, *, seed: int = 0) -> Direction:
        """Sets the style's starting patience and trust on a fresh state and returns the
        buyer's first line; `seed` (the call's, for its opening) picks which of the
        scenario's openings is said, so two calls do not start alike."""
        tuning = self.style.tuning
        if state.moves == 0 and not state.moods:
            state.patience = tuning.start_patience
            state.trust = tuning.start_trust
            state.stance = stance_for(state, tuning, impatient=False, withdrew=False)
        opening = Reveal(RevealKind.OPENING, self.scenario.id, self.scenario.opening(self.language))
        return self._direction(state, Reply(Reaction.GREETING, [opening]), seed=seed, topics=())

    def prepare_drill(self, state: DiscoveryState, problem_id: str) -> Direction:
        """Hands a problem to the trainee (an implication or need-payoff drill starts from
        it): marks it surfaced with seq -1 and returns the buyer line that states it."""
        problem = find_problem(self.scenario, problem_id)
        if problem.id not in state.problems:
            state.problems[problem.id] = -1
            state.handed_problems.append(problem.id)
        state.focus = problem.id  # "what does that lead to?" asks about the handed problem
        reveal = Reveal(RevealKind.PROBLEM, problem.id, problem.answer(self.language))
        return self._direction(state, Reply(Reaction.CONNECTOR, [reveal]), seed=0, topics=())

    def titles(self) -> dict[str, str]:
        """Every item's title in the call's language (a fact's first cue words stand in)."""
        lang = self.language
        titles = {f.id: ", ".join(f.cues(lang)[:3]) for f in self.scenario.facts}
        for problem in self.scenario.problems:
            titles[problem.id] = problem.title(lang)
            for implication in problem.implications:
                titles[implication.id] = implication.title(lang)
                titles.update({n.id: n.title(lang) for n in implication.needs})
        return titles

    def read(self, state: DiscoveryState, text: str) -> Reading:
        """The offline reading of a move in this call (its focus from the state)."""
        return read(text, self.index, focus=state.focus)

    def direct(
        self,
        state: DiscoveryState,
        *,
        seq: int,
        text: str,
        label: Label,
        seed: int,
        reading: Reading | None = None,
    ) -> Direction:
        """Updates `state` in place for the trainee move `seq` and returns what the buyer
        says next. `reading` is the move's stored reading (the offline one when None).
        Objections are recorded with the buyer turn's seq (`seq + 1`)."""
        rng = random.Random(seed)
        reading = reading if reading is not None else self.read(state, text)
        state.moves += 1
        if state.ended_by_buyer:
            reply = Reply(Reaction.END_CALL, ends_call=True)
        else:
            kind = move_type(label, reading)
            if kind is not MoveType.SITUATION:
                state.situation_streak = 0
            reply = self._react(state, kind, seq=seq, text=text, label=label, reading=reading)
            maybe_hint(
                self.scenario,
                self.style.tuning,
                state,
                reply,
                seq=seq,
                reading=reading,
                language=self.language,
            )
            maybe_drift(self.style.tuning, reply, rng)
            if state.patience <= self.style.tuning.patience_floor and not reply.ends_call:
                reply.ends_call = True  # SPIN.md §3.1: buyers tire; this one has had enough
                reply.reaction = Reaction.END_CALL
                reply.aside = None
        if reply.ends_call:
            state.ended_by_buyer = True
        state.stance = stance_for(
            state,
            self.style.tuning,
            impatient=reply.reaction is Reaction.IMPATIENT,
            withdrew=reply.withdrew,
        )
        state.outcome = likely_outcome(state)
        state.moods.append(Mood(seq, state.stance, state.patience, state.trust))
        return self._direction(state, reply, seed=seed, topics=reading.topics())

    def known(self, state: DiscoveryState) -> tuple[str, ...]:
        """Short texts of everything unlocked so far, in the session's language."""
        return known_texts(self.scenario, state, self.language)

    # -- the rules ----------------------------------------------------------------------

    def _react(
        self,
        state: DiscoveryState,
        kind: MoveType,
        *,
        seq: int,
        text: str,
        label: Label,
        reading: Reading,
    ) -> Reply:
        tuning = self.style.tuning
        default = self.style.reactions.get(kind, Reaction.DEFLECT)
        if kind in (
            MoveType.SITUATION,
            MoveType.PROBLEM,
            MoveType.IMPLICATION,
            MoveType.NEED_PAYOFF,
        ):
            aim = self._aims.aim(kind, reading, state, label.scores)
            if kind is MoveType.SITUATION and self._holds_back(state, aim):
                aim = self._aims.fact(reading)  # not ready to talk problems: the facts asked
            elif aim.kind is AimKind.NONE and kind is not MoveType.NEED_PAYOFF:
                aim = self._aims.fact(reading)  # a problem-form question about a fact
            if aim.kind is AimKind.FACT or (
                kind is MoveType.SITUATION and aim.kind is AimKind.NONE
            ):
                return self._situation(state, seq=seq, text=text, reading=reading, aim=aim)
            adjust(state, patience=tuning.spin_patience)
            precise = is_precise(text)
            if precise:
                adjust(state, trust=tuning.precise_trust)
            gentle = tuning.gentle_questions_build_rapport and label.open is True
            reply = self._probe(state, aim, kind=kind, seq=seq, reading=reading, default=default)
            if precise and reply.reveals:
                self._add_figures(state, reply, seq=seq, reading=reading)
            if gentle:
                state.rapport_credit += 1  # SPIN.md §4: an amiable buyer opens up gently
            return reply
        if kind is MoveType.PITCH:
            return self._pitch(state, seq=seq, default=default)
        if kind is MoveType.RAPPORT:
            state.rapport_moves += 1
            state.rapport_credit += 1
            adjust(state, patience=tuning.rapport_patience, trust=tuning.rapport_trust)
            reply = Reply(default)
            if is_recognition(text):
                adjust(state, trust=tuning.recognition_trust)
                if tuning.vision_percent > 0:
                    reply.aside = Reaction.VISION  # SPIN.md §4: recognised, it talks vision
            return reply
        if kind is MoveType.SUMMARY:
            state.rapport_credit += 1
            adjust(state, trust=tuning.summary_trust)
            return Reply(default)
        if kind is MoveType.ADVANCE:
            return self._advance(state, seq=seq)
        if kind is MoveType.CLOSE:
            return self._close(state, seq=seq, default=default)
        adjust(state, patience=-tuning.other_patience_cost)
        return Reply(default)

    def _holds_back(self, state: DiscoveryState, aim: Aim) -> bool:
        return (
            aim.kind is AimKind.SURFACE
            and state.rapport_credit < self.style.tuning.rapport_before_problems
        )

    def _situation(
        self, state: DiscoveryState, *, seq: int, text: str, reading: Reading, aim: Aim
    ) -> Reply:
        tuning = self.style.tuning
        state.situation_streak += 1
        if state.situation_streak > tuning.situation_free:
            adjust(state, patience=-tuning.situation_cost)
        limit_end = tuning.situation_streak_end
        if limit_end and state.situation_streak >= limit_end:
            return Reply(Reaction.END_CALL, ends_call=True)  # SPIN.md §3.1, §4 (driver)
        precise = is_precise(text)
        if precise:
            adjust(state, trust=tuning.precise_trust)
        reply = Reply(self.style.reactions[MoveType.SITUATION])
        if aim.kind is not AimKind.FACT or aim.item_id is None:
            # Nothing the buyer knows was asked: a short, honest answer in character.
            reply.reaction = Reaction.DEFLECT
        else:
            extra = tuning.precise_extra_facts if precise else 0
            facts, repeated = facts_for(self.scenario, reading, state, aim.item_id, extra=extra)
            if repeated:
                reply.reaction = Reaction.ALREADY_COVERED
            for fact in facts:
                state.facts.setdefault(fact.id, seq)
                reply.reveals.append(Reveal(RevealKind.FACT, fact.id, fact.answer(self.language)))
            if precise and not repeated:
                reply.extra_sentences = tuning.precise_extra_sentences
        if state.situation_streak >= tuning.situation_streak_limit:
            reply.reaction = Reaction.IMPATIENT
        return reply

    def _add_figures(
        self, state: DiscoveryState, reply: Reply, *, seq: int, reading: Reading
    ) -> None:
        """SPIN.md §4: an analytical buyer answers a precise, quantified question more fully,
        adding the situation figures the question touched (facts are never locked)."""
        extra = self.style.tuning.precise_extra_facts
        touched = sorted(
            (f for f in self.scenario.facts if reading.touches(f.id) and f.id not in state.facts),
            key=lambda f: -reading.score(f.id),
        )
        for fact in touched[:extra]:
            state.facts[fact.id] = seq
            reply.reveals.append(Reveal(RevealKind.FACT, fact.id, fact.answer(self.language)))
            reply.extra_sentences = self.style.tuning.precise_extra_sentences

    def _probe(
        self,
        state: DiscoveryState,
        aim: Aim,
        *,
        kind: MoveType,
        seq: int,
        reading: Reading,
        default: Reaction,
    ) -> Reply:
        """A problem, implication or need-payoff question, answered by what it was about."""
        if aim.item_id is not None:
            state.asked.setdefault(aim.item_id, seq)
            state.focus = aim.item_id
        match aim.kind:
            case AimKind.SURFACE:
                return self._surface(state, aim.item_id or "", seq=seq, kind=kind)
            case AimKind.DEVELOP:
                return self._develop(state, aim.item_id or "", seq=seq)
            case AimKind.EXPLICIT:
                return self._make_explicit(state, aim.item_id or "", seq=seq)
            case AimKind.EARLY_NEED:
                _hold(state, aim.item_id or "", seq, HoldReason.NOT_DEVELOPED)
                return Reply(Reaction.LUKEWARM)  # SPIN.md §2: the problem is not big enough yet
            case AimKind.COVERED:
                return self._covered(aim.item_id or "")
            case AimKind.BROAD:
                problem = self._aims.salient_problem(reading, state)
                if problem is None:
                    return Reply(Reaction.DEFLECT)
                state.asked.setdefault(problem.id, seq)
                state.focus = problem.id
                return self._surface(state, problem.id, seq=seq, kind=kind)
            case _:
                if kind is MoveType.NEED_PAYOFF:
                    return Reply(Reaction.LUKEWARM)
                if kind is MoveType.IMPLICATION and (any(state.problems) or reading.refers_back):
                    return Reply(Reaction.UNCLEAR)  # "leads to what?": nothing to refer to
                return Reply(Reaction.NOT_AN_ISSUE)  # asked about an area with no difficulty
        del default  # the reactions above are the style's phrasing keys

    def _surface(
        self, state: DiscoveryState, problem_id: str, *, seq: int, kind: MoveType
    ) -> Reply:
        tuning = self.style.tuning
        problem = find_problem(self.scenario, problem_id)
        if state.rapport_credit < tuning.rapport_before_problems:
            _hold(state, problem.id, seq, HoldReason.RAPPORT)
            return Reply(Reaction.HOLD_BACK)  # SPIN.md §4: amiable needs rapport first
        state.problems[problem.id] = seq
        state.held_back.pop(problem.id, None)
        adjust(state, trust=tuning.problem_trust)
        reveal = Reveal(RevealKind.PROBLEM, problem.id, problem.answer(self.language))
        reaction = self.style.reactions.get(MoveType.PROBLEM, Reaction.CONNECTOR)
        del kind  # an implication question about it gets the problem's answer all the same
        return Reply(reaction, [reveal])

    def _develop(self, state: DiscoveryState, implication_id: str, *, seq: int) -> Reply:
        problem_id = self.index.items[implication_id].parent or ""
        implication = next(i for _, i in self.scenario.implications() if i.id == implication_id)
        state.implications[implication.id] = seq
        # A hinted problem whose effects the buyer now describes is admitted by saying so.
        state.problems.setdefault(problem_id, seq)
        state.held_back.pop(implication.id, None)
        adjust(state, trust=self.style.tuning.implication_trust)
        reaction = self.style.reactions.get(MoveType.IMPLICATION, Reaction.CONNECTOR)
        lines = implication.answer(self.language)
        return Reply(reaction, [Reveal(RevealKind.IMPLICATION, implication.id, lines)])

    def _make_explicit(self, state: DiscoveryState, need_id: str, *, seq: int) -> Reply:
        need = next(n for _, _, n in self.scenario.needs() if n.id == need_id)
        state.needs[need.id] = seq
        state.held_back.pop(need.id, None)
        adjust(state, trust=self.style.tuning.need_trust)
        reaction = self.style.reactions.get(MoveType.NEED_PAYOFF, Reaction.CONNECTOR)
        return Reply(reaction, [Reveal(RevealKind.NEED, need.id, need.answer(self.language))])

    def _covered(self, item_id: str) -> Reply:
        """Asked again about something really said: the buyer refers back to it."""
        item = self.index.items[item_id]
        if item.kind is ItemKind.PROBLEM:
            lines = find_problem(self.scenario, item_id).answer(self.language)
            return Reply(Reaction.ALREADY_COVERED, [Reveal(RevealKind.PROBLEM, item_id, lines)])
        if item.kind is ItemKind.IMPLICATION:
            found = next(i for _, i in self.scenario.implications() if i.id == item_id)
            reveal = Reveal(RevealKind.IMPLICATION, item_id, found.answer(self.language))
            return Reply(Reaction.ALREADY_COVERED, [reveal])
        need = next(n for _, _, n in self.scenario.needs() if n.id == item_id)
        reveal = Reveal(RevealKind.NEED, item_id, need.answer(self.language))
        return Reply(Reaction.ALREADY_COVERED, [reveal])

    def _pitch(self, state: DiscoveryState, *, seq: int, default: Reaction) -> Reply:
        tuning = self.style.tuning
        if state.needs:
            adjust(state, trust=tuning.benefit_trust)  # SPIN.md §2: benefits meet explicit needs
            return Reply(Reaction.RECEPTIVE)
        state.pitches_before_need.append(seq)
        adjust(state, patience=-tuning.pitch_patience_cost, trust=-tuning.pitch_trust_cost)
        reply = Reply(default)
        objection = self._unraised(state, ObjectionTrigger.PITCH) or self._unraised(
            state, ObjectionTrigger.PRICE
        )
        if objection is not None:  # SPIN.md §3.9: objections follow premature pitches
            self._raise(state, reply, objection, seq=seq)
        if tuning.withdraws_under_pressure and len(state.pitches_before_need) >= 2:
            withdraw(state, reply)
        return reply

    def _advance(self, state: DiscoveryState, *, seq: int) -> Reply:
        tuning = self.style.tuning
        state.advance_proposed_at = seq
        total = sum(1 for _ in self.scenario.needs())
        enough = len(state.needs) >= max(1, min(tuning.advance_needs, total))
        advance = self.scenario.advance
        if enough and state.trust >= tuning.advance_trust:  # SPIN.md §3.7
            state.advance_accepted = True
            reveal = Reveal(RevealKind.ADVANCE_ACCEPT, "advance", advance.accept(self.language))
            return Reply(Reaction.ADVANCE_ACCEPT, [reveal])
        reveal = Reveal(RevealKind.ADVANCE_DEFER, "advance", advance.defer(self.language))
        return Reply(Reaction.ADVANCE_DEFER, [reveal])

    def _close(self, state: DiscoveryState, *, seq: int, default: Reaction) -> Reply:
        tuning = self.style.tuning
        all_needs = {n.id for _, _, n in self.scenario.needs()}
        if state.advance_accepted and all_needs <= state.needs.keys():
            state.order_accepted = True
            return Reply(Reaction.ORDER_ACCEPT)
        if state.needs:
            return Reply(Reaction.PUSH_BACK)
        # SPIN.md §3.7: closing before the need is explicit lowers commitment.
        adjust(state, patience=-tuning.close_patience_cost, trust=-tuning.close_trust_cost)
        reply = Reply(default)
        objection = self._unraised(state, ObjectionTrigger.CLOSE)
        if objection is not None:
            self._raise(state, reply, objection, seq=seq)
        if tuning.withdraws_under_pressure:
            withdraw(state, reply)
        return reply

    def _unraised(self, state: DiscoveryState, trigger: ObjectionTrigger) -> Objection | None:
        raised = {oid for oid, _ in state.objections}
        return next(
            (o for o in self.scenario.objections if o.trigger is trigger and o.id not in raised),
            None,
        )

    def _raise(
        self, state: DiscoveryState, reply: Reply, objection: Objection, *, seq: int
    ) -> None:
        state.objections.append((objection.id, seq + 1))
        reply.reveals.append(
            Reveal(RevealKind.OBJECTION, objection.id, objection.text(self.language))
        )

    def _direction(
        self, state: DiscoveryState, reply: Reply, *, seed: int, topics: tuple[str, ...]
    ) -> Direction:
        return Direction(
            language=self.language,
            stance=state.stance,
            patience=state.patience,
            trust=state.trust,
            reaction=reply.reaction,
            reveals=tuple(reply.reveals),
            known=self.known(state),
            persona=self.persona,
            max_sentences=self.style.reply_sentences + reply.extra_sentences,
            seed=seed,
            ends_call=reply.ends_call,
            outcome=state.outcome,
            aside=reply.aside,
            topics=topics,
        )
