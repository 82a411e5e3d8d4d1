"""The scorecard: a pure function of the labelled transcript and the discovery state, so a
trainer's label override recomputes it (DESIGN.md §5). Weights live in `rubric`; every figure
carries the seqs of the turns that justify it."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.domain.call.session import NO_OPTIONS, SessionOptions
from app.domain.director.state import DiscoveryState
from app.domain.labels import SpinLabel
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.adaptation import adaptation_findings
from app.domain.scorecard.coaching import CoachingTip, coach
from app.domain.scorecard.discovery import DiscoveryReport, discovery_report
from app.domain.scorecard.extras import SessionExtras, session_extras
from app.domain.scorecard.finding import Finding, FindingCode, term
from app.domain.scorecard.listening import ListeningReport, listening, score_listening
from app.domain.scorecard.outcome import OutcomeReport, outcome_report
from app.domain.scorecard.pitching import PitchingReport, pitching, score_pitching
from app.domain.scorecard.points import ComponentScore, ScorePart, component, overall
from app.domain.scorecard.question_mix import QuestionMix, question_mix, score_mix
from app.domain.scorecard.rubric import RUBRIC, Component, Part, Rubric
from app.domain.scorecard.sequence import (
    Chain,
    LabelledMove,
    ProblemPath,
    Stage,
    first_explicit_need,
    implication_chains,
    label_path,
    labelled_moves,
    premature_need_payoffs,
    problem_paths,
)
from app.domain.style import StyleName
from app.domain.transcript import Turn


@dataclass(frozen=True, slots=True)
class SequenceReport:
    """`paths` has one entry per problem the buyer admitted; for a real call (`from_labels`)
    at most one, read from the labels alone."""

    paths: tuple[ProblemPath, ...]
    from_labels: bool
    premature_need_payoff_seqs: tuple[int, ...]
    chains: tuple[Chain, ...]


@dataclass(frozen=True, slots=True)
class Scorecard:
    scenario_id: str | None
    style: StyleName | None
    language: Language
    overall: int
    components: tuple[ComponentScore, ...]
    mix: QuestionMix
    sequence: SequenceReport
    discovery: DiscoveryReport
    pitching: PitchingReport
    listening: ListeningReport
    outcome: OutcomeReport
    findings: tuple[Finding, ...]
    coaching: tuple[CoachingTip, ...]
    extras: SessionExtras = field(default_factory=SessionExtras)

    def component(self, name: Component) -> ComponentScore:
        return next(c for c in self.components if c.component is name)


def score(
    *,
    transcript: Sequence[Turn],
    state: DiscoveryState,
    scenario: Scenario | None,
    style: StyleName | None,
    language: Language,
    options: SessionOptions = NO_OPTIONS,
    rubric: Rubric = RUBRIC,
) -> Scorecard:
    """Score one call. `scenario=None` is a real-call analysis: discovery and outcome do not
    apply; `style=None` (unknown) leaves style adaptation out. Neither counts in the overall.
    `options` add the session's plan, drill and style guess (judged against `style`)."""
    moves = labelled_moves(transcript)
    first_need = first_explicit_need(state, moves, scenario=scenario)
    mix = question_mix(moves)
    mix_score, mix_findings = score_mix(mix, rubric)
    sequence, sequence_score, sequence_findings = _sequence(
        moves, state, scenario, language, rubric
    )
    discovery, discovery_score, discovery_findings = discovery_report(
        state, scenario=scenario, language=language, rubric=rubric
    )
    pitch = pitching(
        moves=moves, transcript=transcript, state=state, scenario=scenario, first_need=first_need
    )
    pitch_score, pitch_findings = score_pitching(
        pitch, rubric=rubric, language=language, scenario=scenario
    )
    if style is None:
        style_findings = [Finding(FindingCode.STYLE_NOT_APPLICABLE)]
        style_score = component(Component.STYLE, rubric.style_max, [], applicable=False)
    else:
        style_findings = adaptation_findings(
            style,
            moves=moves,
            transcript=transcript,
            pitches_before_need=pitch.before_need_seqs,
            language=language,
            rubric=rubric,
        )
        earned = max(rubric.style_max + sum(f.points for f in style_findings), 0.0)
        style_score = component(
            Component.STYLE, rubric.style_max, [ScorePart(Part.STYLE, earned, rubric.style_max)]
        )
    listen = listening(transcript, language)
    listen_score, listen_findings = score_listening(listen, transcript=transcript, rubric=rubric)
    outcome, outcome_score, outcome_findings = outcome_report(
        state,
        scenario=scenario,
        moves=moves,
        transcript=transcript,
        language=language,
        rubric=rubric,
    )
    components = (
        mix_score,
        sequence_score,
        discovery_score,
        pitch_score,
        style_score,
        listen_score,
        outcome_score,
    )
    return Scorecard(
        scenario_id=scenario.id if scenario is not None else None,
        style=style,
        language=language,
        overall=overall(components),
        components=components,
        mix=mix,
        sequence=sequence,
        discovery=discovery,
        pitching=pitch,
        listening=listen,
        outcome=outcome,
        findings=tuple(
            mix_findings
            + sequence_findings
            + discovery_findings
            + pitch_findings
            + style_findings
            + listen_findings
            + outcome_findings
        ),
        coaching=tuple(
            coach(
                transcript=transcript,
                state=state,
                scenario=scenario,
                language=language,
                rubric=rubric,
            )
        ),
        extras=session_extras(options, transcript, scenario=scenario, style=style),
    )


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


def _sequence(
    moves: Sequence[LabelledMove],
    state: DiscoveryState,
    scenario: Scenario | None,
    language: Language,
    rubric: Rubric,
) -> tuple[SequenceReport, ComponentScore, list[Finding]]:
    """SPIN.md §2 (P → I → N per problem) and §3.5 (close implication chains)."""
    if scenario is not None:
        paths = problem_paths(scenario, state, language=language)
    else:
        from_labels = label_path(moves)
        paths = [from_labels] if from_labels is not None else []
    credit = {Stage.PROBLEM: 0.0, Stage.IMPLICATION: rubric.path_partial_credit, Stage.NEED: 1.0}
    findings: list[Finding] = []
    for path in paths:
        if scenario is None:
            code, params = (
                FindingCode.SEQUENCE_PATH_FROM_LABELS,
                {"stage": term(_STAGE_LABEL[path.stage])},
            )
        else:
            code, params = _STAGE_CODE[path.stage], {"problem": path.title}
        findings.append(Finding(code, path.seqs, dict(params)))
    if not paths:
        findings.append(Finding(FindingCode.SEQUENCE_NO_PATH))
    best = max(paths, key=lambda p: credit[p.stage], default=None)
    path_pts = rubric.path_points * (credit[best.stage] if best is not None else 0.0)

    chains = implication_chains(moves)
    premature = premature_need_payoffs(moves)
    ordered = any(m.label.label is SpinLabel.IMPLICATION for m in moves)
    premature_cost = -rubric.premature_need_payoff_penalty if ordered else 0.0
    chain_cost = -rubric.unclosed_chain_penalty if ordered else 0.0
    for seq in premature:
        findings.append(
            Finding(FindingCode.SEQUENCE_NEED_PAYOFF_PREMATURE, (seq,), {}, premature_cost)
        )
    for chain in chains:
        if chain.closed_by is None:
            findings.append(
                Finding(
                    FindingCode.SEQUENCE_CHAIN_UNCLOSED,
                    chain.seqs,
                    {"count": len(chain.seqs)},
                    chain_cost,
                )
            )
    order_pts = 0.0
    if ordered:
        unclosed = sum(1 for c in chains if c.closed_by is None)
        order_pts = max(
            rubric.order_points
            - rubric.premature_need_payoff_penalty * len(premature)
            - rubric.unclosed_chain_penalty * unclosed,
            0.0,
        )
    order_seqs = tuple(sorted({*premature, *(s for c in chains for s in c.seqs)}))
    parts = [
        ScorePart(Part.SEQUENCE_PATH, path_pts, rubric.path_points, best.seqs if best else ()),
        ScorePart(Part.SEQUENCE_ORDER, order_pts, rubric.order_points, order_seqs),
    ]
    report = SequenceReport(tuple(paths), scenario is None, tuple(premature), tuple(chains))
    maximum = rubric.component_max[Component.SEQUENCE]
    return report, component(Component.SEQUENCE, maximum, parts), findings
