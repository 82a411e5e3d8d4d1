"""Plays a scripted trainee conversation offline (no database, no network): the same
classifier, reading, director, scripted voice and scorecard as a live call. For demos, docs
and regression tests (`spin-practice simulate`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from app.domain.accounts.access import Owner
from app.domain.call.rehearsal import Rehearsal
from app.domain.call.replay import Cast, director_for
from app.domain.call.session import Mode, PracticeSession, SessionKind, Status, StoredTurn
from app.domain.director.state import DiscoveryState
from app.domain.labels import Label, MoveContext
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.card import Scorecard
from app.domain.style import StyleName
from app.domain.transcript import Turn
from app.domain.voice.compose import Scripter
from app.services.judge import Classifier, classify
from app.services.scoring import Scoring

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Simulated:
    turns: list[Turn]
    state: DiscoveryState
    scorecard: Scorecard
    ended_by_buyer: bool


def simulate(
    moves: Sequence[str],
    *,
    scenario: Scenario,
    style: StyleName,
    language: Language,
    cast: Cast,
    classifier: Classifier,
    scoring: Scoring,
    seed: int = 1,
) -> Simulated:
    session = _session(scenario, style, language, seed)

    def label(text: str, context: MoveContext, language: Language) -> Label:
        return classify(classifier, text, context=context, language=language)

    call = Rehearsal(director_for(session, scenario, cast), label, Scripter(cast.styles), seed=seed)
    for text in moves:
        if call.state.ended_by_buyer:
            break
        call.say(text)
    stored = [
        StoredTurn(
            id=uuid4(),
            session_id=session.id,
            turn=t,
            client_id=None,
            created_at=EPOCH,
            reading=call.readings.get(t.seq),
        )
        for t in call.turns
    ]
    card = scoring.session_card(session=session, turns=stored, scenario=scenario, state=call.state)
    return Simulated(
        turns=call.turns,
        state=call.state,
        scorecard=card,
        ended_by_buyer=call.state.ended_by_buyer,
    )


def _session(
    scenario: Scenario, style: StyleName, language: Language, seed: int
) -> PracticeSession:
    return PracticeSession(
        id=uuid4(),
        owner=Owner(user_id=uuid4(), cohort_id=None),
        scenario_id=scenario.id,
        style=style,
        style_hidden=False,
        language=language,
        mode=Mode.COACH,
        kind=SessionKind.PRACTICE,
        seed=seed,
        status=Status.ACTIVE,
        state=DiscoveryState(),
        created_at=EPOCH,
    )
