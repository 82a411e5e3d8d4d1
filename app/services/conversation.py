"""One call, move by move: store → label → direct → store state → stream reply → store reply
(DESIGN.md §2). Each step commits before the next; no transaction is open while the buyer's
reply streams, and a cut reply is regenerated on resume."""

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from app.domain.accounts.access import Actor, Owner, may_practise_in, may_view_session
from app.domain.call.replay import (
    Cast,
    Replayed,
    director_for,
    fresh_state,
    move_context,
    move_seed,
    reaction_key,
    replay,
)
from app.domain.call.session import (
    SCRIPTED,
    Mode,
    PlannedQuestion,
    PracticeSession,
    SessionKind,
    SessionOptions,
    Status,
    StoredTurn,
    reply_pending,
)
from app.domain.director import Direction
from app.domain.director.state import DiscoveryState
from app.domain.errors import (
    EmptyTextError,
    InvalidTextError,
    LlmUnavailableError,
    NotFoundError,
    ReplyPendingError,
    SessionEndedError,
    TextTooLongError,
    TooFastError,
    ValidationFailedError,
)
from app.domain.labels import NO_CONTEXT
from app.domain.language import Language
from app.domain.reading.reading import relabel
from app.domain.scenario import Scenario
from app.domain.scorecard.card import Scorecard
from app.domain.style import BuyerStyle, StyleName
from app.domain.text import is_blank, unstorable_char
from app.domain.transcript import Role, Turn
from app.domain.voice.faithfulness import locked_texts
from app.services.call_events import (
    CallEnded,
    Event,
    MoveStored,
    ReplyDelta,
    ReplyDone,
    SessionView,
)
from app.services.call_writer import RESUME_WAIT_S, CallWriter
from app.services.ports import (
    ChatModelUnavailableError,
    DuplicateError,
    Judge,
    Reader,
    ScenarioCatalog,
    SessionStore,
    Spoken,
    Voice,
)
from app.services.scoring import Scoring
from app.services.voice.speech import say

logger = logging.getLogger(__name__)

RATE_WINDOW = timedelta(seconds=10)


class Conversation:
    def __init__(
        self,
        *,
        sessions: SessionStore,
        catalog: ScenarioCatalog,
        cast: Cast,
        judge: Judge,
        reader: Reader,
        scoring: Scoring,
        voice: Voice,
        opening_voice: Voice,
        clock: Callable[[], datetime],
        new_seed: Callable[[], int],
        max_text_chars: int,
        messages_per_window: int,
        writer: CallWriter,
        max_active_calls: int | None = None,
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._cast = cast
        self._judge = judge
        self._reader = reader
        self._scoring = scoring
        self._voice = voice
        self._opening_voice = opening_voice
        self._clock = clock
        self._new_seed = new_seed
        self._max_text_chars = max_text_chars
        self._messages_per_window = messages_per_window
        self._writer = writer  # one writer per call (issue 14)
        self._max_active_calls = max_active_calls

    async def start(
        self,
        actor: Actor,
        *,
        scenario_id: str,
        style: str,
        language: Language,
        mode: Mode,
        kind: SessionKind = SessionKind.PRACTICE,
        plan: Sequence[str] = (),
        options: SessionOptions | None = None,
    ) -> PracticeSession:
        """Creates a call and stores the buyer's opening line. `style` "hidden" picks one of
        the four at random and keeps it from the trainee until the scorecard."""
        record = await self._catalog.record(scenario_id)
        if record is None or not record.enabled:
            raise NotFoundError(f"unknown scenario {scenario_id!r}")
        scenario = record.scenario
        extra = options or SessionOptions()
        planned = [line.strip() for line in plan if line.strip()]
        if planned:  # the pre-call plan is labelled now and scored with the call
            questions = [
                PlannedQuestion(
                    line, await self._judge.label(line, context=NO_CONTEXT, language=language)
                )
                for line in planned
            ]
            extra = replace(extra, plan=tuple(questions))
        seed = self._new_seed()
        hidden = style == "hidden"
        chosen = _chosen_style(style, seed)
        session = PracticeSession(
            id=uuid4(),
            owner=_owner(actor),
            scenario_id=scenario.id,
            style=chosen,
            style_hidden=hidden,
            language=language,
            mode=mode,
            kind=kind,
            seed=seed,
            status=Status.ACTIVE,
            state=DiscoveryState(),
            created_at=self._clock(),
            options=extra,
            scenario_version=record.version,
        )
        director = director_for(session, scenario, self._cast)
        session.state, opening = fresh_state(director, session)
        await self.admit(session)
        # The opening is authored text: never worth an LLM round trip, or its failure.
        text = (await say(self._opening_voice, opening, [])).text
        await self._sessions.add_buyer_turn(
            session.id,
            turn_id=uuid4(),
            seq=0,
            text=text,
            reaction=reaction_key(opening),
            meta=SCRIPTED,
        )
        await self._sessions.save_state(session.id, session.state)
        return session

    def now(self) -> datetime:
        return self._clock()

    async def admit(self, session: PracticeSession) -> None:
        """Stores a new call, within the per-user cap on active calls (issue 14)."""
        await self._sessions.create(session, max_active=self._max_active_calls)

    async def rebuild_state(self, session_id: UUID) -> DiscoveryState:
        """Recomputes and stores the discovery state from the transcript."""
        session = await self._sessions.get(session_id)
        if session is None:
            raise NotFoundError("session")
        scenario = await self._scenario_of(session)
        turns = await self._sessions.turns(session_id)
        state = replay(director_for(session, scenario, self._cast), session, turns).state
        await self._sessions.save_state(session_id, state)
        return state

    def styles(self) -> list[BuyerStyle]:
        return [self._cast.styles[name] for name in StyleName]

    async def view(self, actor: Actor, session_id: UUID) -> SessionView:
        session = await self._visible(actor, session_id)
        turns = await self._sessions.turns(session_id)
        if not session.is_ended:
            return SessionView(session=session, turns=turns, scorecard=None)
        card = await self._ended_card(session, turns)
        feedback = tuple(self._scoring.explain(card))
        return SessionView(session=session, turns=turns, scorecard=card, feedback=feedback)

    async def _ended_card(self, session: PracticeSession, turns: list[StoredTurn]) -> Scorecard:
        """The stored scorecard, or (none stored, or an older shape) one recomputed and
        stored: the scorecard is a cache of the transcript, like the discovery state."""
        card = await self._sessions.scorecard(session.id)
        return card if card is not None else await self._finish(session, turns)

    async def take_move(
        self, actor: Actor, session_id: UUID, *, text: str, client_id: str | None
    ) -> AsyncIterator[Event]:
        """Stores the trainee's move (idempotent on client_id), labels it, lets the director
        decide, and streams the buyer's reply. Raises PracticeErrors for refused moves; an
        LLM failure leaves the move stored and the reply pending (see `resume`)."""
        cleaned = self._validate_text(text)
        await self._own_active(actor, session_id)
        async for event in self._writer.run(
            session_id, self._move(actor, session_id, cleaned, client_id)
        ):
            yield event

    async def _move(
        self, actor: Actor, session_id: UUID, cleaned: str, client_id: str | None
    ) -> AsyncIterator[Event]:
        """take_move once the lease is held: everything is read again, since another
        writer may have just finished (or ended the call)."""
        session = await self._own_active(actor, session_id)
        turns = await self._sessions.turns(session_id)
        if client_id is not None:
            for stored in turns:
                if stored.client_id == client_id:
                    async for event in self._resend(session, turns, stored):
                        yield event
                    return
        if reply_pending(turns):
            raise ReplyPendingError("wait for the buyer's reply before your next move")
        self._check_rate(turns)
        next_seq = turns[-1].turn.seq + 1 if turns else 0
        stored, created = await self._sessions.add_trainee_turn(
            session_id, text=cleaned, client_id=client_id, seq=next_seq
        )
        if not created:  # a concurrent resend won the race
            turns = await self._sessions.turns(session_id)
            async for event in self._resend(session, turns, stored):
                yield event
            return
        turns = [*turns, stored]
        labelled, decided = await self._label(session, turns, stored)
        yield MoveStored(turn=labelled, duplicate=False)
        async for event in self._reply(session, [*turns[:-1], labelled], decided):
            yield event

    async def _resend(
        self, session: PracticeSession, turns: list[StoredTurn], stored: StoredTurn
    ) -> AsyncIterator[Event]:
        """A resend (the client never saw our answer): acknowledge the stored move, then
        either the reply already stored for it or, if it is still pending, generate it."""
        yield MoveStored(turn=stored, duplicate=True)
        if turns and turns[-1].id == stored.id:
            async for event in self._reply(session, turns):
                yield event
            return
        reply = next((t for t in turns if t.turn.seq == stored.turn.seq + 1), None)
        if reply is not None:
            yield ReplyDone(turn=reply, state=session.state)

    async def resume(self, actor: Actor, session_id: UUID) -> AsyncIterator[Event]:
        """Regenerates a reply that was cut off (a crash, a dropped LLM stream)."""
        await self._own_active(actor, session_id)
        resumed = self._resumed(actor, session_id)
        async for event in self._writer.run(session_id, resumed, wait_s=RESUME_WAIT_S):
            yield event

    async def _resumed(self, actor: Actor, session_id: UUID) -> AsyncIterator[Event]:
        session = await self._own_active(actor, session_id)
        turns = await self._sessions.turns(session_id)
        if reply_pending(turns):
            async for event in self._reply(session, turns):
                yield event

    async def end_call(
        self, actor: Actor, session_id: UUID, *, style_guess: str | None = None
    ) -> Scorecard:
        """Ends the call (idempotent) and returns the scorecard. In hidden-style mode the
        trainee's guess of the buyer's style is kept and judged on the scorecard."""
        session = await self._visible(actor, session_id)
        if not may_practise_in(actor, session.owner):
            raise NotFoundError("session")
        if session.is_ended:
            return await self._ended_card(session, await self._sessions.turns(session_id))
        async with self._writer.hold(session_id):
            return await self._end(session_id, style_guess)

    async def _end(self, session_id: UUID, style_guess: str | None) -> Scorecard:
        session = await self._sessions.get(session_id)
        if session is None:
            raise NotFoundError("session")
        if session.is_ended:  # the buyer ended it while we waited for the lease
            return await self._ended_card(session, await self._sessions.turns(session_id))
        if style_guess is not None:
            if style_guess not in {s.value for s in StyleName}:
                raise ValidationFailedError(f"unknown style {style_guess!r}")
            session.options = replace(session.options, style_guess=StyleName(style_guess))
            await self._sessions.save_options(session.id, session.options)
        return await self._finish(session, await self._sessions.turns(session_id))

    async def _finish(self, session: PracticeSession, turns: list[StoredTurn]) -> Scorecard:
        card, state = await self._final_card(session, turns)
        await self._sessions.end(session.id, scorecard=card, state=state)
        return card

    async def _final_card(
        self, session: PracticeSession, turns: list[StoredTurn]
    ) -> tuple[Scorecard, DiscoveryState]:
        scenario = await self._scenario_of(session)
        director = director_for(session, scenario, self._cast)
        state = replay(director, session, turns).state
        card = self._scoring.session_card(
            session=session, turns=turns, scenario=scenario, state=state
        )
        return card, state

    async def _label(
        self, session: PracticeSession, turns: list[StoredTurn], stored: StoredTurn
    ) -> tuple[StoredTurn, Replayed]:
        """Labels the move, lets the director decide, and commits label and state together."""
        scenario = await self._scenario_of(session)
        director = director_for(session, scenario, self._cast)
        state = replay(director, session, turns[:-1]).state
        text = stored.turn.text
        context = move_context([t.turn for t in turns[:-1]], state)
        label = await self._judge.label(text, context=context, language=session.language)
        reading = await self._reader.read(text, director=director, state=state, context=context)
        label = relabel(label, reading)
        direction = director.direct(
            state,
            seq=stored.turn.seq,
            text=text,
            label=label,
            seed=move_seed(session, stored.turn.seq),
            reading=reading,
        )
        label = replace(label, topics=direction.topics)
        await self._sessions.record_move(
            stored.id, label, reading, session_id=session.id, state=state
        )
        labelled = replace(stored, turn=replace(stored.turn, label=label), reading=reading)
        return labelled, Replayed(state=state, last=direction)

    async def _reply(
        self,
        session: PracticeSession,
        turns: list[StoredTurn],
        decided: Replayed | None = None,
    ) -> AsyncIterator[Event]:
        """Streams and stores the reply to the last move; `decided` is the director's
        decision when the caller just made it, else it is rebuilt from the transcript."""
        move = turns[-1]
        if move.turn.label is None:  # stored, then a crash before labelling
            move, decided = await self._label(session, turns, move)
            turns = [*turns[:-1], move]
        if decided is None:
            scenario = await self._scenario_of(session)
            decided = replay(director_for(session, scenario, self._cast), session, turns)
        replayed = decided
        direction = replayed.last
        if direction is None:
            return
        turn_id = uuid4()
        parts: list[str] = []
        spoken: Spoken | None = None
        # What is still locked, for the faithfulness guard to check against (issue 13).
        scenario = await self._scenario_of(session)
        locked = locked_texts(scenario, replayed.state, session.language)
        try:
            stream = self._voice.speak(direction, [t.turn for t in turns], locked=locked)
            async for piece in stream:
                if isinstance(piece, Spoken):
                    spoken = piece  # the guard's final word: it replaces the deltas
                    continue
                parts.append(piece)
                yield ReplyDelta(turn_id=turn_id, delta=piece)
        except ChatModelUnavailableError as exc:
            logger.warning("buyer reply failed in session %s: %s", session.id, exc)
            raise LlmUnavailableError(
                "the buyer's voice (LLM) is unavailable; your move is saved, retry the reply"
            ) from exc
        if spoken is None:
            spoken = Spoken("".join(parts).strip(), self._voice.provenance)
        reply = StoredTurn(
            id=turn_id,
            session_id=session.id,
            turn=Turn(
                seq=move.turn.seq + 1,
                role=Role.BUYER,
                text=spoken.text,
                reaction=reaction_key(direction),
            ),
            client_id=None,
            created_at=self._clock(),
            meta=spoken.meta,
        )
        async for event in self._store_reply(session, turns, reply, replayed.state, direction):
            yield event

    async def _store_reply(
        self,
        session: PracticeSession,
        turns: list[StoredTurn],
        reply: StoredTurn,
        state: DiscoveryState,
        direction: Direction,
    ) -> AsyncIterator[Event]:
        """Stores the reply; a reply that ends the call is stored with the end, the state
        and the scorecard in one transaction, so a call the buyer ended is ended (issue 14)."""
        if not direction.ends_call:
            try:
                stored = await self._sessions.add_buyer_turn(
                    session.id,
                    turn_id=reply.id,
                    seq=reply.turn.seq,
                    text=reply.turn.text,
                    reaction=reply.turn.reaction,
                    meta=reply.meta,
                )
            except DuplicateError:  # stored before this writer's lease (a resend race)
                stored = await self._stored_reply(session.id, reply.turn.seq)
            yield ReplyDone(turn=stored, state=state)
            return
        card, final = await self._final_card(session, [*turns, reply])
        try:
            await self._sessions.finish_with_reply(reply, state=final, scorecard=card)
        except DuplicateError:
            reply = await self._stored_reply(session.id, reply.turn.seq)
            card = await self._ended_card(session, await self._sessions.turns(session.id))
        yield ReplyDone(turn=reply, state=state, ends_call=True)
        yield CallEnded(scorecard=card)

    async def _stored_reply(self, session_id: UUID, seq: int) -> StoredTurn:
        """The buyer turn stored at `seq`: never a trainee's move in its place."""
        for stored in await self._sessions.turns(session_id):
            if stored.turn.seq == seq and stored.turn.role is Role.BUYER:
                return stored
        raise ReplyPendingError("the buyer's reply is not stored yet; retry")

    def _validate_text(self, text: str) -> str:
        cleaned = text.strip()
        if is_blank(cleaned):  # zero-width characters alone are no move (issue 14)
            raise EmptyTextError("write something before sending")
        if unstorable_char(cleaned) is not None:
            raise InvalidTextError("the move holds a NUL byte or a broken character")
        if len(cleaned) > self._max_text_chars:
            raise TextTooLongError(f"a move has at most {self._max_text_chars} characters")
        return cleaned

    def _check_rate(self, turns: Sequence[StoredTurn]) -> None:
        since = self._clock() - RATE_WINDOW
        recent = sum(1 for t in turns if t.is_trainee and t.created_at >= since)
        if recent >= self._messages_per_window:
            raise TooFastError("slow down: too many moves in a few seconds")

    async def _scenario_of(self, session: PracticeSession) -> Scenario:
        """The scenario as the call started on it: a later edit never changes an old call."""
        scenario = await self._catalog.scenario(session.scenario_id, session.scenario_version)
        if scenario is None:
            raise NotFoundError(f"unknown scenario {session.scenario_id!r}")
        return scenario

    async def _visible(self, actor: Actor, session_id: UUID) -> PracticeSession:
        session = await self._sessions.get(session_id)
        if session is None or not may_view_session(actor, session.owner):
            raise NotFoundError("session")
        return session

    async def _own_active(self, actor: Actor, session_id: UUID) -> PracticeSession:
        session = await self._visible(actor, session_id)
        if not may_practise_in(actor, session.owner):
            raise NotFoundError("session")
        if session.is_ended:
            raise SessionEndedError("this call has ended")
        return session


def _chosen_style(style: str, seed: int) -> StyleName:
    """`hidden` picks one of the four from the seed, so a replay picks the same."""
    if style == "hidden":
        return sorted(StyleName)[seed % len(StyleName)]
    try:
        return StyleName(style)
    except ValueError as exc:
        raise ValidationFailedError(f"unknown style {style!r}") from exc


def _owner(actor: Actor) -> Owner:
    return Owner(user_id=actor.id, cohort_id=actor.cohort_id)
