"""Trainer work on finished calls: listing what one may see, label overrides with audit and a
recomputed scorecard, and comments on turns."""

from dataclasses import replace
from uuid import UUID

from app.domain.accounts.access import Actor, UserRole, may_review, may_view_session
from app.domain.call.replay import Cast, director_for, replay
from app.domain.call.session import PracticeSession, StoredTurn
from app.domain.call.visibility import HIDDEN_STYLE, shown_style
from app.domain.errors import ForbiddenError, NotFoundError, ValidationFailedError
from app.domain.labels import Label, Move, MoveKind, SpinLabel
from app.domain.scorecard.card import Scorecard
from app.services.ports import (
    LabelOverride,
    ScenarioCatalog,
    SessionFilter,
    SessionStore,
    TurnComment,
)
from app.services.scoring import Scoring

MAX_COMMENT_CHARS = 2000


class Review:
    def __init__(
        self,
        *,
        sessions: SessionStore,
        catalog: ScenarioCatalog,
        cast: Cast,
        scoring: Scoring,
    ) -> None:
        self._scoring = scoring
        self._sessions = sessions
        self._catalog = catalog
        self._cast = cast

    async def sessions(self, actor: Actor, query: SessionFilter) -> list[PracticeSession]:
        """Trainees see their own calls; trainers their cohorts'; admins all. A style filter
        matches the style as the viewer may see it (visibility.py): filtering by the real
        style must not reveal a hidden one before the call ends (issue 14)."""
        found = await self._search(actor, query)
        if query.style is None:
            return found
        return [s for s in found if shown_style(actor, s) == query.style]

    async def _search(self, actor: Actor, query: SessionFilter) -> list[PracticeSession]:
        if query.style == HIDDEN_STYLE:  # "hidden" is no stored style: match on the flag
            query = replace(query, style=None)
        if actor.role is UserRole.TRAINEE:
            query = replace(query, user_ids=frozenset({actor.id}), cohort_ids=None)
        elif actor.role is UserRole.TRAINER:
            if query.user_ids is not None:  # one trainee: filter, then keep what I may see
                found = await self._sessions.search(replace(query, cohort_ids=None))
                return [s for s in found if may_view_session(actor, s.owner)]
            if query.cohort_ids is None:  # my cohorts' sessions and my own practice
                query = replace(query, user_ids=frozenset({actor.id}), cohort_ids=actor.cohorts)
            else:
                query = replace(query, cohort_ids=query.cohort_ids & actor.cohorts)
        return await self._sessions.search(query)

    async def override_label(
        self, actor: Actor, turn_id: UUID, *, label: SpinLabel, move: Move | None
    ) -> tuple[StoredTurn, Scorecard | None]:
        """A trainer corrects a label; the change is audited and the scorecard recomputed."""
        turn = await self._sessions.turn(turn_id)
        if turn is None or turn.turn.label is None:
            raise NotFoundError("turn")
        session = await self._sessions.get(turn.session_id)
        if session is None or not may_view_session(actor, session.owner):
            raise NotFoundError("turn")
        if not may_review(actor, session.owner):
            raise ForbiddenError("only the cohort's trainer may change labels")
        if label is SpinLabel.OTHER and move is None:
            raise ValidationFailedError("a move labelled other needs a finer move")
        old = turn.turn.label
        new = Label(
            kind=old.kind if label is SpinLabel.OTHER else MoveKind.QUESTION,
            label=label,
            move=move if label is SpinLabel.OTHER else None,
            open=old.open if label is SpinLabel.OTHER or old.open is not None else True,
            confidence=1.0,
            topics=old.topics,
            source="trainer",
        )
        updated = await self._sessions.override_label(turn_id, trainer_id=actor.id, new_label=new)
        card = await self.rescore(session) if session.is_ended else None
        # the trainee reads "the score changed 72 → 76" (issue 15 item 4)
        await self._sessions.record_override_scores(
            turn_id, before=session.overall, after=card.overall if card else None
        )
        return updated, card

    async def rescore(self, session: PracticeSession) -> Scorecard:
        turns = await self._sessions.turns(session.id)
        scenario = await self._catalog.scenario(session.scenario_id, session.scenario_version)
        if scenario is None:
            raise NotFoundError("scenario")
        state = replay(director_for(session, scenario, self._cast), session, turns).state
        card = self._scoring.session_card(
            session=session, turns=turns, scenario=scenario, state=state
        )
        await self._sessions.save_state(session.id, state)
        await self._sessions.save_scorecard(session.id, scorecard=card)
        return card

    async def comment(self, actor: Actor, turn_id: UUID, text: str) -> TurnComment:
        cleaned = text.strip()
        if not 1 <= len(cleaned) <= MAX_COMMENT_CHARS:
            raise ValidationFailedError(f"a comment has 1-{MAX_COMMENT_CHARS} characters")
        turn = await self._sessions.turn(turn_id)
        if turn is None:
            raise NotFoundError("turn")
        session = await self._sessions.get(turn.session_id)
        if session is None or not may_view_session(actor, session.owner):
            raise NotFoundError("turn")
        if not may_review(actor, session.owner):
            raise ForbiddenError("only the cohort's trainer may comment")
        return await self._sessions.add_comment(turn_id, author_id=actor.id, text=cleaned)

    async def audit(
        self, actor: Actor, session_id: UUID
    ) -> tuple[list[LabelOverride], list[TurnComment]]:
        session = await self._sessions.get(session_id)
        if session is None or not may_view_session(actor, session.owner):
            raise NotFoundError("session")
        return await self._sessions.overrides(session_id), await self._sessions.comments(session_id)
