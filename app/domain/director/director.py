"""The director (DESIGN.md §2): updates the discovery state after each trainee move and
decides what the buyer may reveal now, in which stance, given the buyer's style."""

import random

from app.domain.director.behaviour import Reply, maybe_drift, maybe_hint, withdraw
from app.domain.director.direction import Direction, Reveal, RevealKind, persona_for
from app.domain.director.reveal import (
    Scores,
    find_problem,
    known_texts,
    matcher_for,
    pick_facts,
    pick_implication,
    pick_need,
    pick_problem,
)
from app.domain.director.stance import adjust, likely_outcome, stance_for
from app.domain.director.state import DiscoveryState, Mood
from app.domain.labels import Label, Move, SpinLabel
from app.domain.language import Language
from app.domain.move_cues import is_precise, is_recognition
from app.domain.scenario import Objection, ObjectionTrigger, Scenario
from app.domain.style import BuyerStyle, MoveType, Reaction


def move_type(label: Label, scores: Scores) -> MoveType:
    """The classifier's label as the director reacts to it; a commitment that names the
    scenario's advance is an `advance`, any other one a `close`."""
    if label.label is not SpinLabel.OTHER:
        return MoveType(label.label.value)
    if label.move is Move.COMMITMENT:
        return MoveType.ADVANCE if scores.advance > 0 else MoveType.CLOSE
    if label.move is None:
        return MoveType.OTHER
    return MoveType(label.move.value)


class Director:
    """Pure and deterministic: the same state, move and seed give the same Direction."""

    def __init__(self, scenario: Scenario, style: BuyerStyle, language: Language) -> None:
        self.scenario = scenario
        self.style = style
        self.language = language
        self._matcher = matcher_for(scenario)
        self.persona = persona_for(scenario, style, language)

    # -- public use ---------------------------------------------------------------------

    def open(self, state: DiscoveryState) -> Direction:
        """Sets the style's starting patience and trust on a fresh state and returns the
        buyer's first line."""
        tuning = self.style.tuning
        if state.moves == 0 and not state.moods:
            state.patience = tuning.start_patience
            state.trust = tuning.start_trust
            state.stance = stance_for(state, tuning, impatient=False, withdrew=False)
        opening = Reveal(RevealKind.OPENING, self.scenario.id, self.scenario.opening(self.language))
        return self._direction(state, Reply(Reaction.GREETING, [opening]), seed=0, topics=())

    def prepare_drill(self, state: DiscoveryState, problem_id: str) -> Direction:
        """Hands a problem to the trainee (an implication or need-payoff drill starts from
        it): marks it surfaced with seq -1 and returns the buyer line that states it."""
        problem = find_problem(self.scenario, problem_id)
        if problem.id not in state.problems:
            state.problems[problem.id] = -1
            state.handed_problems.append(problem.id)
        reveal = Reveal(RevealKind.PROBLEM, problem.id, problem.answer(self.language))
        return self._direction(state, Reply(Reaction.CONNECTOR, [reveal]), seed=0, topics=())

    def direct(
        self, state: DiscoveryState, *, seq: int, text: str, label: Label, seed: int
    ) -> Direction:
        """Updates `state` in place for the trainee move `seq` and returns what the buyer
        says next. Objections are recorded with the buyer turn's seq (`seq + 1`)."""
        rng = random.Random(seed)
        state.moves += 1
        scores = self._matcher.score(text)
        if state.ended_by_buyer:
            reply = Reply(Reaction.END_CALL, ends_call=True)
        else:
            kind = move_type(label, scores)
            if kind is not MoveType.SITUATION:
                state.situation_streak = 0
            reply = self._react(state, kind, seq=seq, text=text, label=label, scores=scores)
            maybe_hint(
                self.scenario,
                self.style.tuning,
                state,
                reply,
                seq=seq,
                scores=scores,
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
        return self._direction(state, reply, seed=seed, topics=scores.topics())

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
        scores: Scores,
    ) -> Reply:
        tuning = self.style.tuning
        default = self.style.reactions.get(kind, Reaction.DEFLECT)
        if kind is MoveType.SITUATION:
            return self._situation(state, seq=seq, text=text, scores=scores)
        if kind in (MoveType.PROBLEM, MoveType.IMPLICATION, MoveType.NEED_PAYOFF):
            adjust(state, patience=tuning.spin_patience)
            precise = is_precise(text)
            if precise:
                adjust(state, trust=tuning.precise_trust)
            gentle = tuning.gentle_questions_build_rapport and label.open is True
            if kind is MoveType.PROBLEM:
                reply = self._problem(state, seq=seq, scores=scores, default=default)
            elif kind is MoveType.IMPLICATION:
                reply = self._implication(state, seq=seq, scores=scores, default=default)
            else:
                reply = self._need(state, seq=seq, scores=scores, default=default)
            if precise and reply.reveals:
                self._add_figures(state, reply, seq=seq, scores=scores)
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

    def _situation(self, state: DiscoveryState, *, seq: int, text: str, scores: Scores) -> Reply:
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
        extra = tuning.precise_extra_facts if precise else 0
        facts, repeated = pick_facts(self.scenario, scores, state, extra=extra)
        reply = Reply(self.style.reactions[MoveType.SITUATION])
        if not facts:
            reply.reaction = Reaction.DEFLECT
        elif repeated:
            reply.reaction = Reaction.ALREADY_COVERED
        for fact in facts:
            if not repeated:
                state.facts[fact.id] = seq
            reply.reveals.append(Reveal(RevealKind.FACT, fact.id, fact.answer(self.language)))
        if precise and facts and not repeated:
            reply.extra_sentences = tuning.precise_extra_sentences
        if state.situation_streak >= tuning.situation_streak_limit:
            reply.reaction = Reaction.IMPATIENT
        return reply

    def _add_figures(
        self, state: DiscoveryState, reply: Reply, *, seq: int, scores: Scores
    ) -> None:
        """SPIN.md §4: an analytical buyer answers a precise, quantified question more fully,
        adding the situation figures the question touched (facts are never locked)."""
        extra = self.style.tuning.precise_extra_facts
        touched = sorted(
            (f for f in self.scenario.facts if f.id in scores.facts and f.id not in state.facts),
            key=lambda f: -scores.facts[f.id],
        )
        for fact in touched[:extra]:
            state.facts[fact.id] = seq
            reply.reveals.append(Reveal(RevealKind.FACT, fact.id, fact.answer(self.language)))
            reply.extra_sentences = self.style.tuning.precise_extra_sentences

    def _problem(
        self, state: DiscoveryState, *, seq: int, scores: Scores, default: Reaction
    ) -> Reply:
        tuning = self.style.tuning
        problem = pick_problem(self.scenario, scores, state)
        if problem is not None:
            if state.rapport_credit < tuning.rapport_before_problems:
                return Reply(Reaction.HOLD_BACK)  # SPIN.md §4: amiable needs rapport first
            state.problems[problem.id] = seq
            adjust(state, trust=tuning.problem_trust)
            reveal = Reveal(RevealKind.PROBLEM, problem.id, problem.answer(self.language))
            return Reply(default, [reveal])
        again = [p for p in self.scenario.problems if p.id in scores.problems]
        if again:
            lines = again[0].answer(self.language)
            return Reply(Reaction.ALREADY_COVERED, [Reveal(RevealKind.PROBLEM, again[0].id, lines)])
        return Reply(Reaction.DEFLECT)

    def _implication(
        self, state: DiscoveryState, *, seq: int, scores: Scores, default: Reaction
    ) -> Reply:
        found = pick_implication(self.scenario, scores, state)
        if found is not None:
            _, implication = found
            state.implications[implication.id] = seq
            adjust(state, trust=self.style.tuning.implication_trust)
            lines = implication.answer(self.language)
            return Reply(default, [Reveal(RevealKind.IMPLICATION, implication.id, lines)])
        for _, implication in self.scenario.implications():
            if implication.id in scores.implications and implication.id in state.implications:
                lines = implication.answer(self.language)
                reveal = Reveal(RevealKind.IMPLICATION, implication.id, lines)
                return Reply(Reaction.ALREADY_COVERED, [reveal])
        if not state.problems or any(p not in state.problems for p in scores.problems):
            return Reply(Reaction.NOT_AN_ISSUE)  # no problem on the table to develop
        return Reply(Reaction.UNCLEAR)

    def _need(self, state: DiscoveryState, *, seq: int, scores: Scores, default: Reaction) -> Reply:
        found = pick_need(self.scenario, scores, state)
        if found is not None:
            _, need = found
            state.needs[need.id] = seq
            adjust(state, trust=self.style.tuning.need_trust)
            return Reply(default, [Reveal(RevealKind.NEED, need.id, need.answer(self.language))])
        for _, _, need in self.scenario.needs():
            if need.id in scores.needs and need.id in state.needs:
                reveal = Reveal(RevealKind.NEED, need.id, need.answer(self.language))
                return Reply(Reaction.ALREADY_COVERED, [reveal])
        return Reply(Reaction.LUKEWARM)  # SPIN.md §2: the problem is not big enough yet

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
