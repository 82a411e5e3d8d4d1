"""The pre-call plan: the SPIN questions a trainee means to ask, scored before the call and
compared with what was asked (issue 5, part 5; SPIN.md §3.1, §3.3, §3.4)."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.labels import Label, SpinLabel
from app.domain.reading.topics import contains_cue
from app.domain.scenario import Scenario, Variants
from app.domain.scorecard.finding import Finding, FindingCode, ParamValue, term
from app.domain.scorecard.moves import LabelledMove, labelled_moves
from app.domain.scorecard.rubric import RUBRIC, Rubric
from app.domain.transcript import Turn


@dataclass(frozen=True, slots=True)
class PlanMixRow:
    label: SpinLabel
    planned: int
    planned_share: float
    asked: int
    asked_share: float
    asked_seqs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PlanReport:
    """`preparable` holds the indexes (0-based) of planned situation questions whose answer
    the trainee's brief already gives (SPIN.md §3.1: ask only what you could not prepare)."""

    mix: tuple[PlanMixRow, ...]  # situation, problem, implication, need_payoff, other
    enough_implication: bool
    enough_need_payoff: bool
    preparable: tuple[int, ...]
    findings: tuple[Finding, ...]


def _known_before_call(scenario: Scenario) -> str:
    """Everything the trainee reads before the call, in both languages."""
    account = scenario.account
    texts = [scenario.brief, account.company, account.industry, account.buyer_role, account.product]
    return " ".join(t.en + " " + t.zh for t in texts)


def _preparable(text: str, label: Label, scenario: Scenario) -> bool:
    known = _known_before_call(scenario)
    for fact in scenario.facts:
        touched = fact.id in label.topics or contains_cue(text, fact.cues)
        if touched and contains_cue(known, fact.cues):
            return True
    # Questions about what the account page states outright (industry, role, product).
    account_cues = Variants(
        en=("industry", "what do you sell", "your role", "your title"),
        zh=("行业", "您的职位", "贵公司是做什么"),
    )
    return contains_cue(text, account_cues)


def score_plan(
    planned: Sequence[Label],
    asked: Sequence[Turn],
    *,
    texts: Sequence[str] = (),
    scenario: Scenario | None = None,
    rubric: Rubric = RUBRIC,
) -> PlanReport:
    """`planned` are the labels of the planned questions, `texts` their words in the same
    order (needed, with the scenario, to spot situation questions the brief answers);
    `asked` is the call's transcript (empty before the call)."""
    moves = labelled_moves(asked)
    rows = _mix_rows(planned, moves)
    row = {r.label: r for r in rows}
    implications = row[SpinLabel.IMPLICATION].planned
    needs = row[SpinLabel.NEED_PAYOFF].planned
    findings = _too_few(implications, needs, rubric)
    preparable: list[int] = []
    if scenario is not None:
        for index, (plan_label, text) in enumerate(zip(planned, texts, strict=False)):
            if plan_label.label is SpinLabel.SITUATION and _preparable(text, plan_label, scenario):
                preparable.append(index)
                params: dict[str, ParamValue] = {"number": index + 1, "question": text}
                findings.append(Finding(FindingCode.PLAN_SITUATION_PREPARABLE, (), params))
    if moves:
        findings += _plan_against_call(rows)
    return PlanReport(
        mix=tuple(rows),
        enough_implication=implications >= rubric.plan_min_implication,
        enough_need_payoff=needs >= rubric.plan_min_need_payoff,
        preparable=tuple(preparable),
        findings=tuple(findings),
    )


def _mix_rows(planned: Sequence[Label], moves: Sequence[LabelledMove]) -> list[PlanMixRow]:
    rows = []
    for label in SpinLabel:
        planned_count = sum(1 for p in planned if p.label is label)
        asked_seqs = tuple(m.seq for m in moves if m.label.label is label)
        rows.append(
            PlanMixRow(
                label,
                planned_count,
                round(planned_count / len(planned), 4) if planned else 0.0,
                len(asked_seqs),
                round(len(asked_seqs) / len(moves), 4) if moves else 0.0,
                asked_seqs,
            )
        )
    return rows


def _too_few(implications: int, needs: int, rubric: Rubric) -> list[Finding]:
    """SPIN.md §3.3-3.4: implication and need-payoff questions must be planned."""
    findings = []
    if implications < rubric.plan_min_implication:
        params = {"count": implications, "minimum": rubric.plan_min_implication}
        findings.append(Finding(FindingCode.PLAN_TOO_FEW_IMPLICATION, (), dict(params)))
    if needs < rubric.plan_min_need_payoff:
        params = {"count": needs, "minimum": rubric.plan_min_need_payoff}
        findings.append(Finding(FindingCode.PLAN_TOO_FEW_NEED_PAYOFF, (), dict(params)))
    return findings


def _plan_against_call(rows: Sequence[PlanMixRow]) -> list[Finding]:
    findings = []
    for r in rows:
        if r.label is SpinLabel.OTHER:
            continue
        if r.planned and not r.asked:
            params: dict[str, ParamValue] = {"label": term(r.label), "planned": r.planned}
            findings.append(Finding(FindingCode.PLAN_LABEL_NOT_ASKED, (), params))
        elif r.asked > r.planned:
            params = {"label": term(r.label), "planned": r.planned, "asked": r.asked}
            findings.append(Finding(FindingCode.PLAN_LABEL_UNPLANNED, r.asked_seqs, params))
    return findings
