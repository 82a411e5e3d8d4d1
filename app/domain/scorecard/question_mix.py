"""The question mix: how many situation, problem, implication, need-payoff and other moves the
trainee made, the open/closed split (reported, never graded: SPIN.md §3.8), and its points."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.labels import SPIN_QUESTIONS, MoveKind, SpinLabel
from app.domain.scorecard.facts import Assessed, CallFacts
from app.domain.scorecard.finding import Finding, FindingCode
from app.domain.scorecard.moves import LabelledMove
from app.domain.scorecard.points import ScorePart, component
from app.domain.scorecard.rubric import Component, Part, Rubric


@dataclass(frozen=True, slots=True)
class LabelCount:
    """`share` is of all labelled trainee moves; `spin_share` of the SPIN questions (None for
    `other`, or when no SPIN question was asked)."""

    label: SpinLabel
    count: int
    share: float
    spin_share: float | None
    seqs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class QuestionMix:
    counts: tuple[LabelCount, ...]  # situation, problem, implication, need_payoff, other
    moves: int
    spin_questions: int
    open_seqs: tuple[int, ...]
    closed_seqs: tuple[int, ...]
    problem_to_situation: float | None  # None when no situation question was asked

    def of(self, label: SpinLabel) -> LabelCount:
        return next(c for c in self.counts if c.label is label)


def question_mix(moves: Sequence[LabelledMove]) -> QuestionMix:
    spin_total = sum(1 for m in moves if m.label.label in SPIN_QUESTIONS)
    counts = []
    for label in SpinLabel:
        seqs = tuple(m.seq for m in moves if m.label.label is label)
        spin_share = (
            round(len(seqs) / spin_total, 4)
            if spin_total and label is not SpinLabel.OTHER
            else None
        )
        share = round(len(seqs) / len(moves), 4) if moves else 0.0
        counts.append(LabelCount(label, len(seqs), share, spin_share, seqs))
    questions = [m for m in moves if m.label.kind is MoveKind.QUESTION]
    situation = sum(1 for m in moves if m.label.label is SpinLabel.SITUATION)
    problem = sum(1 for m in moves if m.label.label is SpinLabel.PROBLEM)
    return QuestionMix(
        counts=tuple(counts),
        moves=len(moves),
        spin_questions=spin_total,
        open_seqs=tuple(m.seq for m in questions if m.label.open is True),
        closed_seqs=tuple(m.seq for m in questions if m.label.open is False),
        problem_to_situation=round(problem / situation, 2) if situation else None,
    )


def _linear_down(value: float, full_at: float, zero_at: float) -> float:
    """1 at or below `full_at`, 0 at or above `zero_at`, linear between."""
    if value <= full_at:
        return 1.0
    if value >= zero_at:
        return 0.0
    return (zero_at - value) / (zero_at - full_at)


def assess_mix(facts: CallFacts) -> Assessed[QuestionMix]:
    """Points for the mix of SPIN questions (SPIN.md §3.1-3.4); see the rubric's comments."""
    mix = question_mix(facts.moves)
    rubric = facts.rubric
    findings = _reported(mix)
    if not mix.spin_questions:
        parts = [
            ScorePart(Part.MIX_SITUATION, 0.0, rubric.situation_points),
            ScorePart(Part.MIX_PROBLEM_RATIO, 0.0, rubric.problem_ratio_points),
            ScorePart(Part.MIX_IMPLICATION, 0.0, rubric.implication_points),
            ScorePart(Part.MIX_NEED_PAYOFF, 0.0, rubric.need_payoff_points),
        ]
        findings.append(Finding(FindingCode.MIX_NO_QUESTIONS))
    else:
        parts = _parts(mix, rubric)
        findings += _graded(mix, rubric, situation_pts=parts[0].points)
    return Assessed(mix, component(Component.MIX, _max(rubric), parts), tuple(findings))


def _reported(mix: QuestionMix) -> list[Finding]:
    """The counts, and the open/closed split (reported, never graded: SPIN.md §3.8)."""
    findings = [
        Finding(
            FindingCode.MIX_COUNTS,
            tuple(sorted(s for c in mix.counts for s in c.seqs)),
            {c.label.value: c.count for c in mix.counts},
        )
    ]
    if mix.open_seqs or mix.closed_seqs:
        findings.append(
            Finding(
                FindingCode.MIX_OPEN_CLOSED,
                tuple(sorted(mix.open_seqs + mix.closed_seqs)),
                {"open": len(mix.open_seqs), "closed": len(mix.closed_seqs)},
            )
        )
    return findings


def _parts(mix: QuestionMix, rubric: Rubric) -> list[ScorePart]:
    situation, problem = mix.of(SpinLabel.SITUATION), mix.of(SpinLabel.PROBLEM)
    implication, need = mix.of(SpinLabel.IMPLICATION), mix.of(SpinLabel.NEED_PAYOFF)
    situation_pts = rubric.situation_points * _linear_down(
        situation.spin_share or 0.0, rubric.situation_share_full, rubric.situation_share_zero
    )
    if mix.problem_to_situation is None:
        ratio_credit = 1.0 if problem.count else 0.0
    else:
        ratio_credit = min(mix.problem_to_situation / rubric.problem_ratio_full, 1.0)
    implication_pts = rubric.implication_points * min(
        (implication.spin_share or 0.0) / rubric.implication_share_full, 1.0
    )
    need_pts = rubric.need_payoff_points * min(
        (need.spin_share or 0.0) / rubric.need_payoff_share_full, 1.0
    )
    return [
        ScorePart(
            Part.MIX_SITUATION, round(situation_pts, 2), rubric.situation_points, situation.seqs
        ),
        ScorePart(
            Part.MIX_PROBLEM_RATIO,
            round(rubric.problem_ratio_points * ratio_credit, 2),
            rubric.problem_ratio_points,
            problem.seqs + situation.seqs,
        ),
        ScorePart(
            Part.MIX_IMPLICATION,
            round(implication_pts, 2),
            rubric.implication_points,
            implication.seqs,
        ),
        ScorePart(Part.MIX_NEED_PAYOFF, round(need_pts, 2), rubric.need_payoff_points, need.seqs),
    ]


def _graded(mix: QuestionMix, rubric: Rubric, *, situation_pts: float) -> list[Finding]:
    situation, problem = mix.of(SpinLabel.SITUATION), mix.of(SpinLabel.PROBLEM)
    findings: list[Finding] = []
    if mix.problem_to_situation is not None:
        findings.append(
            Finding(
                FindingCode.MIX_PROBLEM_RATIO,
                tuple(sorted(problem.seqs + situation.seqs)),
                {"problem": problem.count, "situation": situation.count},
            )
        )
    situation_share = situation.spin_share or 0.0
    if situation_share > rubric.situation_share_full:
        findings.append(
            Finding(
                FindingCode.MIX_SITUATION_HEAVY,
                situation.seqs,
                {"percent": round(100 * situation_share)},
                round(situation_pts - rubric.situation_points, 2),
            )
        )
    if not mix.of(SpinLabel.IMPLICATION).count:
        findings.append(Finding(FindingCode.MIX_NO_IMPLICATION, (), {}, -rubric.implication_points))
    if not mix.of(SpinLabel.NEED_PAYOFF).count:
        findings.append(Finding(FindingCode.MIX_NO_NEED_PAYOFF, (), {}, -rubric.need_payoff_points))
    return findings


def _max(rubric: Rubric) -> float:
    return rubric.component_max[Component.MIX]
