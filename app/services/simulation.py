"""Plays a scripted trainee conversation offline (no database, no network): the same
classifier, director, scripted voice and scorecard as a live call. For demos, docs and
regression tests (`spin-practice simulate`)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import uuid4

from app.domain.accounts.access import Owner
from app.domain.call.replay import (
    director_for,
    fresh_state,
    move_context,
    move_seed,
    reaction_key,
)
from app.domain.call.session import Mode, PracticeSession, SessionKind, Status, StoredTurn
from app.domain.director import Direction
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.card import Scorecard
from app.domain.style import BuyerStyle, StyleName
from app.domain.transcript import Role, Turn
from app.services.judge import Classifier, classify
from app.services.ports import Voice
from app.services.scoring import Scoring
from app.services.voice.speech import say

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Simulated:
    turns: list[Turn]
    state: DiscoveryState
    scorecard: Scorecard
    ended_by_buyer: bool


async def simulate(
    moves: Sequence[str],
    *,
    scenario: Scenario,
    style: StyleName,
    language: Language,
    styles: Mapping[StyleName, BuyerStyle],
    classifier: Classifier,
    voice: Voice,
    scoring: Scoring,
    seed: int = 1,
) -> Simulated:
    session = _session(scenario, style, language, seed)
    director = director_for(session, scenario, styles)
    state, opening = fresh_state(director, session)
    turns = [
        Turn(
            seq=0,
            role=Role.BUYER,
            text=await _say(voice, opening, []),
            reaction=reaction_key(opening),
        )
    ]
    for text in moves:
        if state.ended_by_buyer:
            break
        seq = len(turns)
        context = move_context(turns, state)
        label = classify(classifier, text, context=context, language=language)
        direction = director.direct(
            state, seq=seq, text=text, label=label, seed=move_seed(session, seq)
        )
        labelled = replace(label, topics=direction.topics)
        turns.append(Turn(seq=seq, role=Role.TRAINEE, text=text, label=labelled))
        reply = await _say(voice, direction, turns)
        turns.append(
            Turn(seq=seq + 1, role=Role.BUYER, text=reply, reaction=reaction_key(direction))
        )
    stored = [
        StoredTurn(id=uuid4(), session_id=session.id, turn=t, client_id=None, created_at=EPOCH)
        for t in turns
    ]
    card = scoring.session_card(session=session, turns=stored, scenario=scenario, state=state)
    return Simulated(
        turns=turns,
        state=state,
        scorecard=card,
        ended_by_buyer=state.ended_by_buyer,
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


async def _say(voice: Voice, direction: Direction, recent: Sequence[Turn]) -> str:
    return (await say(voice, direction, recent)).text
