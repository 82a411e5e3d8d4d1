"""Feedback that reaches the trainee: their coach's comments at the turns they were made on,
each label correction with the score before and after it, the trainee's replies, and what
they have not read yet. A trainee sees this only for their own calls."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from app.domain.accounts.access import Actor, may_reply, may_view_session
from app.domain.errors import ForbiddenError, NotFoundError, ValidationFailedError
from app.services.ports import FeedbackStore, LabelOverride, SessionStore, TurnComment
from app.services.review import MAX_COMMENT_CHARS


@dataclass(frozen=True, slots=True)
class Relabel:
    """The latest correction of one turn: the classifier's label (`original`), the coach's,
    and the call's overall before and after it (None when the call had not ended)."""

    turn_id: UUID
    seq: int
    original: LabelOverride
    latest: LabelOverride

    @property
    def score_before(self) -> int | None:
        return self.original.score_before

    @property
    def score_after(self) -> int | None:
        return self.latest.score_after


@dataclass(slots=True)
class TurnFeedback:
    turn_id: UUID
    seq: int
    comments: list[TurnComment] = field(default_factory=list)
    relabel: Relabel | None = None

    @property
    def has_coach_comment(self) -> bool:
        return bool(self.comments)


@dataclass(frozen=True, slots=True)
class CallFeedback:
    """Per turn that has any, in turn order; `unread` counts items since the last read."""

    turns: list[TurnFeedback]
    unread: int = 0


class Feedback:
    def __init__(
        self, *, sessions: SessionStore, reads: FeedbackStore, clock: Callable[[], datetime]
    ) -> None:
        self._sessions = sessions
        self._reads = reads
        self._clock = clock

    async def for_call(self, actor: Actor, session_id: UUID) -> CallFeedback:
        """Whoever may see the call: comments and corrections, turn by turn."""
        session = await self._sessions.get(session_id)
        if session is None or not may_view_session(actor, session.owner):
            raise NotFoundError("session")
        seqs = {t.id: t.turn.seq for t in await self._sessions.turns(session_id)}
        by_turn: dict[UUID, TurnFeedback] = {}

        def entry(turn_id: UUID) -> TurnFeedback:
            return by_turn.setdefault(turn_id, TurnFeedback(turn_id, seqs.get(turn_id, 0)))

        for comment in await self._sessions.comments(session_id):
            entry(comment.turn_id).comments.append(comment)
        firsts: dict[UUID, LabelOverride] = {}
        for override in await self._sessions.overrides(session_id):  # oldest first
            first = firsts.setdefault(override.turn_id, override)
            item = entry(override.turn_id)
            item.relabel = Relabel(override.turn_id, item.seq, original=first, latest=override)
        unread = 0
        if actor.id == session.owner.user_id:
            unread = (await self._reads.unread(actor.id)).get(session_id, 0)
        return CallFeedback(sorted(by_turn.values(), key=lambda f: f.seq), unread=unread)

    async def unread(self, actor: Actor) -> dict[UUID, int]:
        """The actor's own calls with feedback they have not read, and how many items."""
        return await self._reads.unread(actor.id)

    async def mark_read(self, actor: Actor, session_id: UUID) -> None:
        """The owner opened the call's scorecard; others reading it change nothing."""
        session = await self._sessions.get(session_id)
        if session is not None and session.owner.user_id == actor.id:
            await self._reads.mark_seen(user_id=actor.id, session_id=session_id, at=self._clock())

    async def reply(self, actor: Actor, turn_id: UUID, text: str) -> TurnComment:
        """The trainee answers their coach on a turn that has a coach's comment."""
        cleaned = text.strip()
        if not 1 <= len(cleaned) <= MAX_COMMENT_CHARS or "\x00" in cleaned:
            raise ValidationFailedError(f"a reply has 1-{MAX_COMMENT_CHARS} characters")
        turn = await self._sessions.turn(turn_id)
        session = await self._sessions.get(turn.session_id) if turn else None
        if turn is None or session is None or not may_view_session(actor, session.owner):
            raise NotFoundError("turn")
        if not may_reply(actor, session.owner):
            raise ForbiddenError("only the trainee replies here; trainers comment on the desk")
        comments = await self._sessions.comments(session.id)
        if not any(c.turn_id == turn_id and c.author_id != actor.id for c in comments):
            raise ValidationFailedError("there is no comment on this turn to reply to")
        made = await self._sessions.add_comment(turn_id, author_id=actor.id, text=cleaned)
        await self._reads.mark_seen(user_id=actor.id, session_id=session.id, at=self._clock())
        return made
