"""What a call produces as it goes (the websocket relays these), and a session as viewed."""

from dataclasses import dataclass
from uuid import UUID

from app.domain.call.session import PracticeSession, StoredTurn, reply_pending
from app.domain.director.state import DiscoveryState
from app.domain.scorecard.card import Scorecard
from app.domain.scorecard.feedback import FeedbackLine


@dataclass(frozen=True, slots=True)
class MoveStored:
    turn: StoredTurn
    duplicate: bool


@dataclass(frozen=True, slots=True)
class ReplyDelta:
    turn_id: UUID
    delta: str


@dataclass(frozen=True, slots=True)
class ReplyDone:
    turn: StoredTurn
    state: DiscoveryState
    ends_call: bool = False  # the buyer ended the call with this turn; CallEnded follows


@dataclass(frozen=True, slots=True)
class CallEnded:
    scorecard: Scorecard


Event = MoveStored | ReplyDelta | ReplyDone | CallEnded


@dataclass(frozen=True, slots=True)
class SessionView:
    session: PracticeSession
    turns: list[StoredTurn]
    scorecard: Scorecard | None
    feedback: tuple[FeedbackLine, ...] = ()  # the scorecard in the call's language

    @property
    def pending(self) -> bool:
        return not self.session.is_ended and reply_pending(self.turns)
