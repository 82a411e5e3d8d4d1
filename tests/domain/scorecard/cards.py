"""Scoring a built call against the scoring scenario, and finding what the scorecard said."""

from app.domain.director.state import DiscoveryState
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.scorecard.card import Scorecard, score
from app.domain.scorecard.finding import Finding, FindingCode
from app.domain.style import StyleName
from app.domain.transcript import Turn
from tests.domain.scorecard.scoring_fixtures import (
    CallBuilder,
    commitment_question,
    make_scoring_scenario,
    question,
    statement,
)

SCENARIO = make_scoring_scenario()


def score_call(
    transcript: list[Turn],
    state: DiscoveryState,
    *,
    style: StyleName | None = StyleName.DRIVER,
    language: Language = Language.EN,
    real_call: bool = False,
) -> Scorecard:
    return score(
        transcript=transcript,
        state=state,
        scenario=None if real_call else SCENARIO,
        style=style,
        language=language,
    )


def codes(card: Scorecard) -> list[FindingCode]:
    return [f.code for f in card.findings]


def finding(card: Scorecard, code: FindingCode) -> Finding:
    return next(f for f in card.findings if f.code is code)


def styled_call() -> list[Turn]:
    c = CallBuilder()
    c.say("How many plants?", question(SpinLabel.SITUATION))
    c.hear("Three.", "acknowledge")
    c.say("And shifts?", question(SpinLabel.SITUATION))
    c.hear("Can we get to the point?", "impatient")
    c.say("Our panel is great.", statement(Move.PITCH))
    c.hear("Show me the data.", "evidence_request")
    c.say("Shall we sign?", commitment_question())
    c.hear("Busy. Next.", "brush_off")
    return c.turns
