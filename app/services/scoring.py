"""Scoring a call for people: the domain scorecard with what the session adds (pre-call plan,
drill, hidden-style guess), and its findings rendered as sentences. A pure function of the
stored transcript and options, so it is recomputed after a trainer's override."""

from collections.abc import Mapping, Sequence

from app.domain.call.session import NO_OPTIONS, PracticeSession, SessionOptions, StoredTurn
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Bilingual, Scenario
from app.domain.scorecard.card import Scorecard, score
from app.domain.scorecard.feedback import FeedbackLine, explain
from app.domain.style import StyleName
from app.domain.transcript import Turn


class Scoring:
    def __init__(self, *, messages: Mapping[str, Bilingual]) -> None:
        self._messages = messages

    def session_card(
        self,
        *,
        session: PracticeSession,
        turns: Sequence[StoredTurn],
        scenario: Scenario | None,
        state: DiscoveryState,
    ) -> Scorecard:
        return self.card(
            transcript=[t.turn for t in turns],
            state=state,
            scenario=scenario,
            style=session.style,
            language=session.language,
            options=session.options,
        )

    def card(
        self,
        *,
        transcript: Sequence[Turn],
        state: DiscoveryState,
        scenario: Scenario | None,
        style: StyleName | None,
        language: Language,
        options: SessionOptions = NO_OPTIONS,
    ) -> Scorecard:
        """`scenario=None` and `style=None` score a real call: those parts do not apply."""
        return score(
            transcript=transcript,
            state=state,
            scenario=scenario,
            style=style,
            language=language,
            options=options,
        )

    def explain(self, card: Scorecard, language: Language | None = None) -> list[FeedbackLine]:
        """Every finding (the session's extras included) and coaching tip as a sentence, in
        `language` or else the call's own."""
        return explain(card, self._messages, language or card.language)
