"""What a session adds to the scorecard: the pre-call plan scored and compared with what was
asked, the drill's score, and the verdict on a hidden-style guess (issue 5, parts 3-5)."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.call.session import SessionOptions
from app.domain.scenario import Scenario
from app.domain.scorecard.drill import DrillScore, score_drill
from app.domain.scorecard.finding import Finding
from app.domain.scorecard.plan import PlanReport, score_plan
from app.domain.scorecard.style_guess import StyleGuessResult, judge_style_guess
from app.domain.style import StyleName
from app.domain.transcript import Turn


@dataclass(frozen=True, slots=True)
class SessionExtras:
    """`plan_texts` are the planned questions' words, in the plan's order."""

    plan: PlanReport | None = None
    plan_texts: tuple[str, ...] = ()
    drill: DrillScore | None = None
    style_guess: StyleGuessResult | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        parts = (self.plan, self.drill, self.style_guess)
        return tuple(f for part in parts if part is not None for f in part.findings)


def session_extras(
    options: SessionOptions,
    transcript: Sequence[Turn],
    *,
    scenario: Scenario | None,
    style: StyleName | None,
) -> SessionExtras:
    plan = None
    if options.plan:
        plan = score_plan(
            [q.label for q in options.plan],
            transcript,
            texts=[q.text for q in options.plan],
            scenario=scenario,
        )
    drill = score_drill(options.drill, transcript) if options.drill is not None else None
    guess = None
    if options.style_guess is not None and style is not None:
        guess = judge_style_guess(options.style_guess, style, transcript)
    return SessionExtras(
        plan=plan,
        plan_texts=tuple(q.text for q in options.plan),
        drill=drill,
        style_guess=guess,
    )
