"""/ws/sessions/{id}: decode a client message, call the conversation service, send events
(DESIGN.md §6). The database is the source of truth: no connection registry, so a client
that reconnects to any process gets the session frame and resumes."""

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any, assert_never
from uuid import UUID

from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.domain.accounts.access import may_practise_in
from app.domain.accounts.users import SignedIn
from app.domain.call.visibility import reveals_live
from app.domain.errors import NotFoundError, PracticeError, ReplyPendingError
from app.routes.coalesce import coalesced
from app.routes.deps import maybe_user, state
from app.routes.messages import (
    BuyerDeltaOut,
    BuyerDoneOut,
    ClientMessage,
    EndIn,
    ErrorOut,
    MessageIn,
    PingIn,
    PongOut,
    RetryIn,
    ScorecardOut,
    SessionFrameOut,
    TurnFrameOut,
    error_code,
)
from app.routes.socket_quota import TooManySocketsError
from app.routes.wire import label_out, session_out
from app.services.call_events import (
    CallEnded,
    Event,
    MoveStored,
    ReplyDelta,
    ReplyDone,
    SessionView,
)
from app.services.conversation import Conversation

logger = logging.getLogger(__name__)
router = APIRouter()
# Close code for a user over the per-process socket cap: an application code (4000-4999), so
# the page tells the user to close another tab instead of "signed out".
TOO_MANY_SOCKETS = 4008
client_message: TypeAdapter[MessageIn | EndIn | PingIn | RetryIn] = TypeAdapter(ClientMessage)


class RefusedError(Exception):
    """A client message refused before it reaches a service; the socket stays open."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@router.websocket("/ws/sessions/{session_id}")
async def practice(websocket: WebSocket, session_id: UUID) -> None:
    """The trainee who owns the session. Others are accepted and at once closed with 1008
    (policy violation): a refusal before accept would reach a browser only as 1006, and
    the page must know to ask the user to sign in again."""
    app_state = state(websocket)
    conversation = app_state["conversation"]
    user = await maybe_user(websocket)
    view = None
    if user is not None:
        try:
            view = await conversation.view(user.actor, session_id)
        except NotFoundError:
            view = None
    if user is None or view is None or not may_practise_in(user.actor, view.session.owner):
        await websocket.accept()
        reason = "sign in first" if user is None else "not your session"
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason=reason)
        return
    await websocket.accept()
    try:
        with app_state["sockets"].hold(user.user.id):
            await _serve(websocket, user, view, session_id)
    except TooManySocketsError:
        await websocket.close(code=TOO_MANY_SOCKETS, reason="too many open connections")


async def _serve(websocket: WebSocket, user: SignedIn, view: SessionView, session_id: UUID) -> None:
    app_state = state(websocket)
    conversation = app_state["conversation"]
    live = reveals_live(user.actor, view.session)  # the mode never changes during a call
    channel = Channel(websocket, conversation, user, session_id, live=live)
    try:
        await channel.send(
            SessionFrameOut(
                session=session_out(view, user.actor),
                pending=view.pending,
                advance_agreed=view.session.state.advance_accepted,
            )
        )
        if view.pending:  # a reply was cut off (a crash, a dropped stream): regenerate it
            channel.start(conversation.resume(user.actor, session_id))
        await channel.serve(max_frame_bytes=app_state["settings"].max_frame_bytes)
    except WebSocketDisconnect:
        return
    except Exception:
        logger.exception("websocket for session %s failed", session_id)
        await websocket.close(code=status.WS_1011_INTERNAL_ERROR)
    finally:
        await channel.stop()


class Channel:
    def __init__(
        self,
        websocket: WebSocket,
        conversation: Conversation,
        user: SignedIn,
        session_id: UUID,
        *,
        live: bool,
    ) -> None:
        self.live = live
        self.websocket = websocket
        self.work: asyncio.Task[None] | None = None  # the reply being streamed, if any
        self.sending = asyncio.Lock()
        self.conversation = conversation
        self.user = user
        self.session_id = session_id

    async def still_signed_in(self) -> bool:
        """The socket follows the account (issue 14): every frame re-reads the sign-in from
        the database, so a logout or a deactivation in any process closes it."""
        current = await maybe_user(self.websocket)
        return current is not None and current.user.id == self.user.user.id

    async def send(self, message: BaseModel) -> None:
        async with self.sending:  # the reply task and the read loop both send
            await self.websocket.send_text(message.model_dump_json())

    @property
    def busy(self) -> bool:
        return self.work is not None and not self.work.done()

    def start(self, events: AsyncIterator[Event]) -> None:
        """Streams a reply in the background, so the loop keeps reading: pings are answered
        and a move sent meanwhile is refused at once instead of queueing."""
        self.work = asyncio.create_task(self._relay_safely(events))

    async def stop(self) -> None:
        """A client that leaves mid-reply cuts the stream; the reply stays pending and is
        regenerated on the next connection."""
        if self.work is not None and not self.work.done():
            self.work.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.work

    async def _relay_safely(self, events: AsyncIterator[Event]) -> None:
        try:
            await self.relay(events)
        except PracticeError as error:
            await self.send(ErrorOut(code=error.code, message=error.message))
        except WebSocketDisconnect:
            return
        except Exception:
            logger.exception("reply in session %s failed", self.session_id)
            with contextlib.suppress(Exception):  # the client may already be gone
                await self.websocket.close(code=status.WS_1011_INTERNAL_ERROR)

    async def serve(self, *, max_frame_bytes: int) -> None:
        while True:
            frame = await self.websocket.receive()
            if frame["type"] == "websocket.disconnect":
                return
            if not await self.still_signed_in():
                await self.stop()
                await self.websocket.close(
                    code=status.WS_1008_POLICY_VIOLATION, reason="signed out"
                )
                return
            try:
                message = self.decode(frame, max_frame_bytes)
                await self.handle(message)
            except RefusedError as refusal:
                await self.send(ErrorOut(code=refusal.code, message=refusal.message))
            except PracticeError as error:
                await self.send(ErrorOut(code=error.code, message=error.message))

    @staticmethod
    def decode(
        frame: Mapping[str, Any], max_frame_bytes: int
    ) -> MessageIn | EndIn | PingIn | RetryIn:
        raw = frame.get("text")
        if not isinstance(raw, str):
            raise RefusedError("binary_frame", "send JSON text frames")
        if len(raw.encode()) > max_frame_bytes:
            raise RefusedError("frame_too_large", f"frames have at most {max_frame_bytes} bytes")
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:  # nested too deep is not JSON we read
            raise RefusedError("bad_json", "the frame is not valid JSON") from exc
        if not isinstance(data, dict) or "type" not in data:
            raise RefusedError("invalid_message", "a message is a JSON object with a type")
        if data["type"] not in ("message", "end", "ping", "retry"):
            raise RefusedError("unknown_type", f"unknown message type {str(data['type'])[:40]!r}")
        try:
            return client_message.validate_python(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"][1:]) or "message"
            code = error_code(first["type"], "invalid_message")
            raise RefusedError(code, f"{where}: {first['msg']}") from exc

    async def handle(self, message: MessageIn | EndIn | PingIn | RetryIn) -> None:
        actor = self.user.actor
        if isinstance(message, PingIn):
            await self.send(PongOut())
            return
        if self.busy:
            raise ReplyPendingError("wait for the buyer's reply before your next move")
        match message:
            case MessageIn(text=text, client_id=client_id):
                self.start(
                    self.conversation.take_move(
                        actor, self.session_id, text=text, client_id=client_id
                    )
                )
            case RetryIn():
                self.start(self.conversation.resume(actor, self.session_id))
            case EndIn(style_guess=guess):
                card = await self.conversation.end_call(actor, self.session_id, style_guess=guess)
                await self.send(ScorecardOut(session_id=self.session_id, scorecard=card))
            case _:
                assert_never(message)

    async def relay(self, events: AsyncIterator[Event]) -> None:
        async for event in coalesced(events):
            await self.send_event(event)

    async def send_event(self, event: Event) -> None:
        match event:
            case MoveStored(turn=stored, duplicate=duplicate):
                label = stored.turn.label if self.live else None
                await self.send(
                    TurnFrameOut(
                        turn_id=stored.id,
                        seq=stored.turn.seq,
                        text=stored.turn.text,
                        label=label_out(label),
                        duplicate=duplicate,
                    )
                )
            case ReplyDelta(turn_id=turn_id, delta=delta):
                await self.send(BuyerDeltaOut(turn_id=turn_id, delta=delta))
            case ReplyDone(turn=stored, state=call_state, ends_call=ends_call):
                await self.send(
                    BuyerDoneOut(
                        turn_id=stored.id,
                        seq=stored.turn.seq,
                        text=stored.turn.text,
                        state=call_state if self.live else None,
                        advance_agreed=call_state.advance_accepted,
                        ends_call=ends_call,
                    )
                )
            case CallEnded(scorecard=card):
                await self.send(ScorecardOut(session_id=self.session_id, scorecard=card))
            case _:
                assert_never(event)
