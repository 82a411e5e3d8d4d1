"""The order of the trainee's moves: each problem's path (P → I → N), implication chains and
need-payoff questions asked before any implication (SPIN.md §2, §3.5)."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.director.state import DiscoveryState
from app.domain.labels import SpinLabel
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.facts import Assessed, CallFacts
from app.domain.scorecard.finding import Finding, FindingCode, term
from app.domain.scorecard.moves import LabelledMove
from app.domain.scorecard.points import ScorePart, component
from app.domain.scorecard.rubric import Component, Part


class Stage(StrEnum):
    """How far one problem got: surfaced, developed (an implication), or closed (a need)."""

    PROBLEM = "problem"
    IMPLICATION = "implication"
    NEED = "need"


@dataclass(frozen=True, slots=True)
class ProblemPath:
    """One problem's path. `problem_id` is None for a path read from labels alone (a real
    call); `problem_seq` is None for a problem a drill handed to the trainee."""

    problem_id: str | None
    title: str
    stage: Stage
    problem_seq: int | None
    implication_seqs: tuple[int, ...]
    need_seqs: tuple[int, ...]

    @property
    def seqs(self) -> tuple[int, ...]:
        head = () if self.problem_seq is None else (self.problem_seq,)
        return head + self.implication_seqs + self.need_seqs


def problem_paths(
    scenario: Scenario, state: DiscoveryState, *, language: Language
) -> list[ProblemPath]:
    """The path of every problem the buyer admitted, in the order they surfaced."""
    paths: list[ProblemPath] = []
    for problem in scenario.problems:
        if problem.id not in state.problems:
            continue
        surfaced = state.problems[problem.id]
        implication_seqs = sorted(
            state.implications[i.id] for i in problem.implications if i.id in state.implications
        )
        need_seqs = sorted(
            state.needs[n.id] for i in problem.implications for n in i.needs if n.id in state.needs
        )
        stage = (
            Stage.NEED if need_seqs else Stage.IMPLICATION if implication_seqs else Stage.PROBLEM
        )
        paths.append(
            ProblemPath(
                problem_id=problem.id,
                title=problem.title(language),
                stage=stage,
                problem_seq=surfaced if surfaced >= 0 else None,
                implication_seqs=tuple(implication_seqs),
                need_seqs=tuple(need_seqs),
            )
        )
    return sorted(paths, key=lambda p: -1 if p.problem_seq is None else p.problem_seq)


def label_path(moves: Sequence[LabelledMove]) -> ProblemPath | None:
    """Without a scenario: the furthest P → I → N the labels show, in call order."""
    first_problem = next((m.seq for m in moves if m.label.label is SpinLabel.PROBLEM), None)
    if first_problem is None:
        return None
    implications = [
        m.seq for m in moves if m.label.label is SpinLabel.IMPLICATION and m.seq > first_problem
    ]
    needs = [
        m.seq
        for m in moves
        if implications and m.label.label is SpinLabel.NEED_PAYOFF and m.seq > implications[0]
    ]
    stage = Stage.NEED if needs else Stage.IMPLICATION if implications else Stage.PROBLEM
    return ProblemPath(None, "", stage, first_problem, tuple(implications), tuple(needs))


@dataclass(frozen=True, slots=True)
class Chain:
    """Implication questions with no situation, problem or need-payoff question between them;
    `closed_by` is the need-payoff question that followed, if any (SPIN.md §3.5)."""

    seqs: tuple[int, ...]
    closed_by: int | None


def implication_chains(moves: Sequence[LabelledMove]) -> list[Chain]:
    chains: list[Chain] = []
    current: list[int] = []
    for move in moves:
        label = move.label.label
        if label is SpinLabel.IMPLICATION:
            current.append(move.seq)
        elif label is not SpinLabel.OTHER and current:
            closed = move.seq if label is SpinLabel.NEED_PAYOFF else None
            chains.append(Chain(tuple(current), closed))
            current = []
    if current:
        chains.append(Chain(tuple(current), None))
    return chains


def premature_need_payoffs(moves: Sequence[LabelledMove]) -> list[int]:
    """Need-payoff questions asked before any implication question (SPIN.md §2: the rubric
    penalises the timing of a premature need-payoff, not its label)."""
    premature: list[int] = []
    for move in moves:
        if move.label.label is SpinLabel.IMPLICATION:
            break
        if move.label.label is SpinLabel.NEED_PAYOFF:
            premature.append(move.seq)
    return premature


@dataclass(frozen=True, slots=True)
class SequenceReport:
    """`paths` has one entry per problem the buyer admitted; for a real call (`from_labels`)
    at most one, read from the labels alone."""

    paths: tuple[ProblemPath, ...]
    from_labels: bool
    premature_need_payoff_seqs: tuple[int, ...]
    chains: tuple[Chain, ...]


_STAGE_LABEL = {
    Stage.PROBLEM: SpinLabel.PROBLEM,
    Stage.IMPLICATION: SpinLabel.IMPLICATION,
    Stage.NEED: SpinLabel.NEED_PAYOFF,
}
_STAGE_CODE = {
    Stage.PROBLEM: FindingCode.SEQUENCE_PROBLEM_NO_IMPLICATION,
    Stage.IMPLICATION: FindingCode.SEQUENCE_PROBLEM_NO_NEED,
    Stage.NEED: FindingCode.SEQUENCE_PROBLEM_COMPLETE,
}


def assess_sequence(facts: CallFacts) -> Assessed[SequenceReport]:
    """SPIN.md §2 (P → I → N per problem) and §3.5 (close implication chains)."""
    paths = _paths(facts)
    path_part, path_findings = _path_points(paths, facts)
    chains = implication_chains(facts.moves)
    premature = premature_need_payoffs(facts.moves)
    order_part, order_findings = _order_points(facts, chains, premature)
    report = SequenceReport(tuple(paths), facts.scenario is None, tuple(premature), tuple(chains))
    maximum = facts.rubric.component_max[Component.SEQUENCE]
    score = component(Component.SEQUENCE, maximum, [path_part, order_part])
    return Assessed(report, score, (*path_findings, *order_findings))


def _paths(facts: CallFacts) -> list[ProblemPath]:
    if facts.scenario is not None:
        return problem_paths(facts.scenario, facts.state, language=facts.language)
    from_labels = label_path(facts.moves)
    return [from_labels] if from_labels is not None else []


def _path_points(paths: list[ProblemPath], facts: CallFacts) -> tuple[ScorePart, list[Finding]]:
    rubric = facts.rubric
    credit = {Stage.PROBLEM: 0.0, Stage.IMPLICATION: rubric.path_partial_credit, Stage.NEED: 1.0}
    findings: list[Finding] = []
    for path in paths:
        if facts.scenario is None:
            stage = term(_STAGE_LABEL[path.stage])
            code = FindingCode.SEQUENCE_PATH_FROM_LABELS
            findings.append(Finding(code, path.seqs, {"stage": stage}))
        else:
            findings.append(Finding(_STAGE_CODE[path.stage], path.seqs, {"problem": path.title}))
    if not paths:
        findings.append(Finding(FindingCode.SEQUENCE_NO_PATH))
    best = max(paths, key=lambda p: credit[p.stage], default=None)
    points = rubric.path_points * (credit[best.stage] if best is not None else 0.0)
    part = ScorePart(Part.SEQUENCE_PATH, points, rubric.path_points, best.seqs if best else ())
    return part, findings


def _order_points(
    facts: CallFacts, chains: Sequence[Chain], premature: Sequence[int]
) -> tuple[ScorePart, list[Finding]]:
    """Only a call with implication questions has an order to grade."""
    rubric = facts.rubric
    ordered = any(m.label.label is SpinLabel.IMPLICATION for m in facts.moves)
    premature_cost = -rubric.premature_need_payoff_penalty if ordered else 0.0
    chain_cost = -rubric.unclosed_chain_penalty if ordered else 0.0
    findings = [
        Finding(FindingCode.SEQUENCE_NEED_PAYOFF_PREMATURE, (seq,), {}, premature_cost)
        for seq in premature
    ]
    unclosed = [c for c in chains if c.closed_by is None]
    findings += [
        Finding(FindingCode.SEQUENCE_CHAIN_UNCLOSED, c.seqs, {"count": len(c.seqs)}, chain_cost)
        for c in unclosed
    ]
    points = 0.0
    if ordered:
        points = max(
            rubric.order_points
            - rubric.premature_need_payoff_penalty * len(premature)
            - rubric.unclosed_chain_penalty * len(unclosed),
            0.0,
        )
    seqs = tuple(sorted({*premature, *(s for c in chains for s in c.seqs)}))
    return ScorePart(Part.SEQUENCE_ORDER, points, rubric.order_points, seqs), findings
