"""Coaching: the three weakest trainee turns, why, and a better question of the right type
for that moment, taken from the scenario's authored examples (issue 5, part 2)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from app.domain.director.state import DiscoveryState
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.reading.topics import contains_cue
from app.domain.scenario import Problem, Scenario
from app.domain.scorecard.adaptation import closing_seqs
from app.domain.scorecard.facts import CallFacts, call_facts
from app.domain.scorecard.finding import FindingCode, ParamValue
from app.domain.scorecard.moves import (
    LabelledMove,
    buyer_reply,
)
from app.domain.scorecard.rubric import RUBRIC, Rubric
from app.domain.scorecard.sequence import implication_chains, premature_need_payoffs
from app.domain.style import Reaction
from app.domain.transcript import Turn

_RESENTED = frozenset({Reaction.IMPATIENT.value, Reaction.END_CALL.value, Reaction.BRUSH_OFF.value})
TIPS = 3  # issue 5: coaching covers the three weakest turns


@dataclass(frozen=True, slots=True)
class BetterQuestion:
    """A question of the right type for the moment, in the session's language; `target_id` is
    the scenario problem, implication or need it aims at."""

    label: SpinLabel
    text: str
    target_id: str


@dataclass(frozen=True, slots=True)
class CoachingTip:
    seq: int
    code: FindingCode
    severity: float
    params: dict[str, ParamValue] = field(default_factory=dict)
    better: BetterQuestion | None = None


def coach(
    *,
    transcript: Sequence[Turn],
    state: DiscoveryState,
    scenario: Scenario | None,
    language: Language,
    rubric: Rubric = RUBRIC,
    limit: int = TIPS,
) -> list[CoachingTip]:
    """The `limit` weakest trainee turns (most severe first, ties to the earlier turn), shown
    in call order. Without a scenario (a real call) the tips carry no better question."""
    facts = call_facts(
        transcript=transcript,
        state=state,
        scenario=scenario,
        style=None,
        language=language,
        rubric=rubric,
    )
    weakest = _Weakest()
    _note_timing(facts, weakest)
    _note_development(facts, weakest)
    _note_discovery(facts, weakest)
    ranked = sorted(weakest.tips.values(), key=lambda t: (-t.severity, t.seq))[:limit]
    tips = []
    for tip in sorted(ranked, key=lambda t: t.seq):
        better = None
        if scenario is not None:
            topics = next(m.label.topics for m in facts.moves if m.seq == tip.seq)
            better = next_step(scenario, state, seq=tip.seq, language=language, topics=topics)
        tips.append(CoachingTip(tip.seq, tip.code, tip.severity, tip.params, better))
    return tips


def _reaction_to(facts: CallFacts, seq: int) -> str | None:
    reply = buyer_reply(facts.transcript, seq)
    return reply.reaction if reply is not None else None


def _note_timing(facts: CallFacts, weakest: "_Weakest") -> None:
    """Pitches before the need was explicit, closing techniques, unclosed chains."""
    rubric, first_need = facts.rubric, facts.first_need
    for move in facts.moves:
        if move.label.move is Move.PITCH and (first_need is None or move.seq < first_need):
            code = FindingCode.COACHING_PITCH_BEFORE_NEED
            weakest.note(move.seq, code, rubric.weakness_pitch_before_need)
    for seq in closing_seqs(facts.moves, facts.transcript):
        weakest.note(seq, FindingCode.COACHING_CLOSING, rubric.weakness_closing)
    for chain in implication_chains(facts.moves):
        if chain.closed_by is None:
            weakest.note(
                chain.seqs[-1],
                FindingCode.COACHING_UNCLOSED_CHAIN,
                rubric.weakness_unclosed_chain,
                count=len(chain.seqs),
            )


def _note_development(facts: CallFacts, weakest: "_Weakest") -> None:
    """Need-payoffs before any implication, implications of problems not admitted, and a
    commitment asked for before the need was explicit."""
    rubric, state, scenario = facts.rubric, facts.state, facts.scenario
    premature = set(premature_need_payoffs(facts.moves))
    for move in facts.moves:
        reaction = _reaction_to(facts, move.seq)
        label = move.label.label
        if label is SpinLabel.NEED_PAYOFF and (
            move.seq in premature
            or reaction == Reaction.LUKEWARM.value
            or (scenario is not None and not _any_before(state.implications, move.seq))
        ):
            code = FindingCode.COACHING_PREMATURE_NEED_PAYOFF
            weakest.note(move.seq, code, rubric.weakness_premature_need_payoff)
        elif label is SpinLabel.IMPLICATION and (
            reaction == Reaction.NOT_AN_ISSUE.value
            or (scenario is not None and not _any_before(state.problems, move.seq))
        ):
            code = FindingCode.COACHING_IMPLICATION_UNADMITTED
            weakest.note(move.seq, code, rubric.weakness_implication_unadmitted)
        elif move.label.move is Move.COMMITMENT and (
            facts.first_need is None or move.seq < facts.first_need
        ):
            code = FindingCode.COACHING_EARLY_COMMITMENT
            weakest.note(move.seq, code, rubric.weakness_early_commitment)


def _note_discovery(facts: CallFacts, weakest: "_Weakest") -> None:
    """Situation questions the buyer resented or had answered, and problem questions asked
    while a surfaced problem waited to be developed."""
    rubric, state, scenario = facts.rubric, facts.state, facts.scenario
    for move in facts.moves:
        if move.label.label is SpinLabel.SITUATION:
            reaction = _reaction_to(facts, move.seq)
            if reaction in _RESENTED or _patience_fell(state, move.seq):
                code = FindingCode.COACHING_SITUATION_RESENTED
                weakest.note(move.seq, code, rubric.weakness_situation_resented)
            if reaction == Reaction.ALREADY_COVERED.value or _already_answered(
                move, state, scenario
            ):
                code = FindingCode.COACHING_SITUATION_ANSWERED
                weakest.note(move.seq, code, rubric.weakness_situation_answered)
        elif move.label.label is SpinLabel.PROBLEM and scenario is not None:
            waiting = _waiting_problem(scenario, state, move.seq, facts.language)
            if waiting is not None:
                code = FindingCode.COACHING_PROBLEM_WHILE_WAITING
                weakest.note(move.seq, code, rubric.weakness_problem_while_waiting, problem=waiting)


class _Weakest:
    """The most severe weakness noted for each turn."""

    def __init__(self) -> None:
        self.tips: dict[int, CoachingTip] = {}

    def note(self, seq: int, code: FindingCode, severity: float, **params: ParamValue) -> None:
        current = self.tips.get(seq)
        if current is None or severity > current.severity:
            self.tips[seq] = CoachingTip(seq, code, severity, dict(params))


def _patience_fell(state: DiscoveryState, seq: int) -> bool:
    moods = sorted(state.moods, key=lambda m: m.seq)
    for before, after in pairwise(moods):
        if after.seq == seq:
            return after.patience < before.patience
    return False


def _already_answered(move: LabelledMove, state: DiscoveryState, scenario: Scenario | None) -> bool:
    """A situation question whose facts the buyer had all given before it (SPIN.md §3.1)."""
    if scenario is None:
        return False
    touched = {f.id for f in scenario.facts if f.id in move.label.topics}
    touched |= {f.id for f in scenario.facts if contains_cue(move.text, f.cues)}
    return bool(touched) and all(state.facts.get(f, move.seq) < move.seq for f in touched)


def _any_before(unlocked: dict[str, int], seq: int) -> bool:
    """Whether anything in `unlocked` was unlocked before `seq` (a drill's handed problem, at
    -1, counts)."""
    return any(at < seq for at in unlocked.values())


def _before(unlocked: dict[str, int], item_id: str, seq: int) -> bool:
    return item_id in unlocked and unlocked[item_id] < seq


def _waiting_problem(
    scenario: Scenario, state: DiscoveryState, seq: int, language: Language
) -> str | None:
    """The title of a problem surfaced before `seq` whose implications were all still
    undeveloped then (the problem question left it waiting)."""
    for problem in scenario.problems:
        if _before(state.problems, problem.id, seq) and not any(
            _before(state.implications, i.id, seq) for i in problem.implications
        ):
            return problem.title(language)
    return None


def next_step(
    scenario: Scenario,
    state: DiscoveryState,
    *,
    seq: int,
    language: Language,
    topics: Sequence[str] = (),
) -> BetterQuestion | None:
    """The natural next question at `seq` (SPIN.md §2: S → P → I → N per problem).

    On the admitted problems, the one the move touched first, else the most recent: an
    undeveloped implication while none is developed, else a need of a developed implication
    still unstated, else another implication. Once no admitted problem has work left, a
    problem not yet surfaced (the one the move touched, else the first). None when the
    scenario is exhausted. Among siblings, the one the move touched comes first."""
    touched = set(topics)

    def untouched(ids: set[str]) -> int:
        return 0 if ids & touched else 1

    admitted = [p for p in scenario.problems if _before(state.problems, p.id, seq)]
    admitted.sort(key=lambda p: (untouched(_tree_ids(p)), -state.problems[p.id]))
    for problem in admitted:
        developed = [i for i in problem.implications if _before(state.implications, i.id, seq)]
        pending_needs = [
            n for i in developed for n in i.needs if not _before(state.needs, n.id, seq)
        ]
        open_implications = [i for i in problem.implications if i not in developed]
        open_implications.sort(key=lambda i: untouched({i.id} | {n.id for n in i.needs}))
        pending_needs.sort(key=lambda n: untouched({n.id}))
        if developed and pending_needs:
            need = pending_needs[0]
            return BetterQuestion(SpinLabel.NEED_PAYOFF, need.example_question(language), need.id)
        if open_implications:
            implication = open_implications[0]
            return BetterQuestion(
                SpinLabel.IMPLICATION, implication.example_question(language), implication.id
            )
    waiting = [p for p in scenario.problems if not _before(state.problems, p.id, seq)]
    waiting.sort(key=lambda p: untouched(_tree_ids(p)))  # stable: else scenario order
    if waiting:
        problem = waiting[0]
        return BetterQuestion(SpinLabel.PROBLEM, problem.example_question(language), problem.id)
    return None


def _tree_ids(problem: Problem) -> set[str]:
    ids = {problem.id} | {i.id for i in problem.implications}
    return ids | {n.id for i in problem.implications for n in i.needs}
