"""The order of the trainee's moves: each problem's path (P → I → N), implication chains and
need-payoff questions asked before any implication (SPIN.md §2, §3.5)."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.director.state import DiscoveryState
from app.domain.labels import Label, SpinLabel
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.transcript import Role, Turn


@dataclass(frozen=True, slots=True)
class LabelledMove:
    seq: int
    text: str
    label: Label


def labelled_moves(transcript: Sequence[Turn]) -> list[LabelledMove]:
    """The trainee's labelled turns in call order; an unlabelled trainee turn is skipped."""
    moves = [
        LabelledMove(t.seq, t.text, t.label)
        for t in transcript
        if t.role is Role.TRAINEE and t.label is not None
    ]
    return sorted(moves, key=lambda m: m.seq)


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


def first_explicit_need(
    state: DiscoveryState, moves: Sequence[LabelledMove], *, scenario: Scenario | None
) -> int | None:
    """The seq of the move after which a need was first explicit (SPIN.md §2), or None.

    With a scenario (or any need in the state) the director's record decides. A real call
    has none: the first need-payoff question stands in for it, since that is the question
    that makes the buyer state a need."""
    unlocked = [seq for seq in state.needs.values() if seq >= 0]
    if unlocked:
        return min(unlocked)
    if scenario is not None:
        return None
    return next((m.seq for m in moves if m.label.label is SpinLabel.NEED_PAYOFF), None)


def buyer_reply(transcript: Sequence[Turn], seq: int) -> Turn | None:
    """The buyer turn answering the trainee move at `seq`: the first buyer turn after it,
    provided no other trainee move came between."""
    for turn in sorted(transcript, key=lambda t: t.seq):
        if turn.seq <= seq:
            continue
        return turn if turn.role is Role.BUYER else None
    return None
