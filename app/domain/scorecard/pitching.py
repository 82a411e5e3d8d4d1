"""Pitching and closing: FAB tags of the trainee's pitch statements, pitches made before any
need was explicit (SPIN.md §2), objections that followed a pitch (SPIN.md §3.9) and closing
techniques (SPIN.md §3.7)."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.director.state import DiscoveryState
from app.domain.labels import Move
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.adaptation import closing_seqs
from app.domain.scorecard.facts import Assessed, CallFacts
from app.domain.scorecard.finding import Finding, FindingCode, term
from app.domain.scorecard.moves import LabelledMove
from app.domain.scorecard.pitch_tags import Fab, tag_pitch
from app.domain.scorecard.points import ScorePart, component
from app.domain.scorecard.rubric import Component, Part
from app.domain.transcript import Role, Turn


@dataclass(frozen=True, slots=True)
class PitchStatement:
    seq: int
    fab: Fab
    before_need: bool
    need_id: str | None  # the explicit need a benefit meets, when known


@dataclass(frozen=True, slots=True)
class ObjectionAfterPitch:
    objection_id: str
    buyer_seq: int
    pitch_seq: int


@dataclass(frozen=True, slots=True)
class PitchingReport:
    statements: tuple[PitchStatement, ...]
    objections: int  # every objection the buyer raised
    objections_after_pitch: tuple[ObjectionAfterPitch, ...]
    closing_seqs: tuple[int, ...]

    @property
    def before_need_seqs(self) -> tuple[int, ...]:
        return tuple(s.seq for s in self.statements if s.before_need)


def pitching(
    *,
    moves: Sequence[LabelledMove],
    transcript: Sequence[Turn],
    state: DiscoveryState,
    scenario: Scenario | None,
    first_need: int | None,
) -> PitchingReport:
    needs = list(scenario.needs()) if scenario is not None else []
    parents = {n.id: (p.id, i.id) for p, i, n in needs}
    statements = []
    for move in moves:
        if move.label.move is not Move.PITCH:
            continue
        stated = [n for _, _, n in needs if n.id in state.needs and state.needs[n.id] < move.seq]
        explicit = first_need is not None and first_need < move.seq
        fab, need_id = tag_pitch(
            move.text,
            topics=move.label.topics,
            explicit_needs=stated,
            need_parents=parents,
            need_is_explicit=explicit,
        )
        statements.append(PitchStatement(move.seq, fab, not explicit, need_id))
    trainee = sorted((t for t in transcript if t.role is Role.TRAINEE), key=lambda t: t.seq)
    pitch_seqs = {m.seq for m in moves if m.label.move is Move.PITCH}
    after: list[ObjectionAfterPitch] = []
    for objection_id, buyer_seq in state.objections:
        answered = [t.seq for t in trainee if t.seq < buyer_seq]
        if answered and answered[-1] in pitch_seqs:
            after.append(ObjectionAfterPitch(objection_id, buyer_seq, answered[-1]))
    return PitchingReport(
        statements=tuple(statements),
        objections=len(state.objections),
        objections_after_pitch=tuple(after),
        closing_seqs=tuple(closing_seqs(moves, transcript)),
    )


def assess_pitching(facts: CallFacts) -> Assessed[PitchingReport]:
    """Starts from the maximum; each premature pitch, objection after a pitch and closing
    technique costs its rubric penalty."""
    report = pitching(
        moves=facts.moves,
        transcript=facts.transcript,
        state=facts.state,
        scenario=facts.scenario,
        first_need=facts.first_need,
    )
    rubric, language, scenario = facts.rubric, facts.language, facts.scenario
    findings: list[Finding] = []
    for statement in report.statements:
        if statement.before_need:
            findings.append(
                Finding(
                    FindingCode.PITCHING_BEFORE_NEED,
                    (statement.seq,),
                    {"fab": term(statement.fab)},
                    -rubric.pitch_before_need_penalty,
                )
            )
        elif statement.fab is Fab.BENEFIT:
            title = _need_title(scenario, statement.need_id, language)
            findings.append(
                Finding(FindingCode.PITCHING_BENEFIT, (statement.seq,), {"need": title})
                if title
                else Finding(FindingCode.PITCHING_BENEFIT_UNNAMED, (statement.seq,))
            )
    for objection in report.objections_after_pitch:
        findings.append(
            Finding(
                FindingCode.PITCHING_OBJECTION_AFTER_PITCH,
                (objection.pitch_seq, objection.buyer_seq),
                {},
                -rubric.objection_after_pitch_penalty,
            )
        )
    for seq in report.closing_seqs:
        findings.append(Finding(FindingCode.PITCHING_CLOSING, (seq,), {}, -rubric.closing_penalty))
    earned = rubric.pitching_max + sum(f.points for f in findings)
    part = ScorePart(Part.PITCHING, max(earned, 0.0), rubric.pitching_max, report.before_need_seqs)
    score = component(Component.PITCHING, rubric.pitching_max, [part])
    return Assessed(report, score, tuple(findings))


def _need_title(scenario: Scenario | None, need_id: str | None, language: Language) -> str:
    if scenario is None or need_id is None:
        return ""
    return next((n.title(language) for _, _, n in scenario.needs() if n.id == need_id), "")
