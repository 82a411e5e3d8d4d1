"""The scorecard: a pure function of the labelled transcript and the discovery state, so a
trainer's label override recomputes it (DESIGN.md §5). Weights live in `rubric`; every figure
carries the seqs of the turns that justify it."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.domain.call.session import NO_OPTIONS, SessionOptions
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.adaptation import assess_style
from app.domain.scorecard.coaching import CoachingTip, coach
from app.domain.scorecard.discovery import DiscoveryReport, assess_discovery
from app.domain.scorecard.extras import SessionExtras, session_extras
from app.domain.scorecard.facts import Scored, call_facts
from app.domain.scorecard.finding import Finding
from app.domain.scorecard.listening import ListeningReport, assess_listening
from app.domain.scorecard.outcome import OutcomeReport, assess_outcome
from app.domain.scorecard.pitching import PitchingReport, assess_pitching
from app.domain.scorecard.points import ComponentScore, overall
from app.domain.scorecard.question_mix import QuestionMix, assess_mix
from app.domain.scorecard.rubric import RUBRIC, Component, Rubric
from app.domain.scorecard.sequence import SequenceReport, assess_sequence
from app.domain.style import StyleName
from app.domain.transcript import MoveNumbers, Turn


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
    numbers: MoveNumbers = field(default_factory=MoveNumbers)  # how turns are shown

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
    facts = call_facts(
        transcript=transcript,
        state=state,
        scenario=scenario,
        style=style,
        language=language,
        rubric=rubric,
    )
    mix = assess_mix(facts)
    sequence = assess_sequence(facts)
    discovery = assess_discovery(facts)
    pitch = assess_pitching(facts)
    adaptation = assess_style(facts, pitch.report.before_need_seqs)
    listen = assess_listening(facts)
    outcome = assess_outcome(facts)
    # The order of the parts is the scorecard's reading order.
    parts: tuple[Scored, ...] = (mix, sequence, discovery, pitch, adaptation, listen, outcome)
    components = tuple(p.score for p in parts)
    return Scorecard(
        scenario_id=scenario.id if scenario is not None else None,
        style=style,
        language=language,
        overall=overall(components),
        components=components,
        mix=mix.report,
        sequence=sequence.report,
        discovery=discovery.report,
        pitching=pitch.report,
        listening=listen.report,
        outcome=outcome.report,
        findings=tuple(f for p in parts for f in p.findings),
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
        numbers=MoveNumbers.of_transcript(transcript),
    )
