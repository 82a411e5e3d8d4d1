"""Practice loops (SPIN.md §3.10: practise where it is safe, one behaviour at a time, at
least three tries): practise again, a targeted retry from a chosen turn, and drills."""

from dataclasses import replace
from uuid import UUID, uuid4

from app.domain.accounts.access import Actor, may_practise_in
from app.domain.call.session import (
    DrillKind,
    Mode,
    PracticeSession,
    SessionKind,
    SessionOptions,
    Status,
)
from app.domain.errors import NotFoundError, SessionEndedError, ValidationFailedError
from app.domain.language import Language
from app.domain.transcript import Role
from app.services.conversation import Conversation
from app.services.ports import ScenarioCatalog, SessionStore


class PracticeLoops:
    def __init__(
        self, *, conversation: Conversation, sessions: SessionStore, catalog: ScenarioCatalog
    ) -> None:
        self._conversation = conversation
        self._sessions = sessions
        self._catalog = catalog

    async def _own(self, actor: Actor, session_id: UUID) -> PracticeSession:
        session = await self._sessions.get(session_id)
        if session is None or not may_practise_in(actor, session.owner):
            raise NotFoundError("session")
        return session

    async def discard(self, actor: Actor, session_id: UUID) -> None:
        """Deletes the trainee's own unfinished call, for good; an ended call stays (it is
        scored, and the trainer may be reviewing it)."""
        session = await self._own(actor, session_id)
        if session.is_ended or not await self._sessions.discard(session_id):
            raise SessionEndedError("an ended call cannot be discarded")

    async def again(self, actor: Actor, session_id: UUID) -> PracticeSession:
        """Same scenario, style, language and mode; a fresh seed, so new wording."""
        old = await self._own(actor, session_id)
        return await self._conversation.start(
            actor,
            scenario_id=old.scenario_id,
            style="hidden" if old.style_hidden else old.style.value,
            language=old.language,
            mode=old.mode,
        )

    async def retry_from(self, actor: Actor, session_id: UUID, *, seq: int) -> PracticeSession:
        """A new call that replays the old one up to (not including) the trainee move `seq`,
        with the same seed, so the buyer is exactly where it was; the trainee tries again."""
        old = await self._own(actor, session_id)
        turns = await self._sessions.turns(session_id)
        chosen = next((t for t in turns if t.turn.seq == seq), None)
        if chosen is None or chosen.turn.role is not Role.TRAINEE:
            raise ValidationFailedError("choose one of your own moves to retry from")
        session = PracticeSession(
            id=uuid4(),
            owner=old.owner,
            scenario_id=old.scenario_id,
            style=old.style,
            style_hidden=old.style_hidden,
            language=old.language,
            mode=old.mode,
            kind=SessionKind.RETRY,
            seed=old.seed,
            status=Status.ACTIVE,
            state=old.state,
            created_at=old.created_at,
            # a retry is practice, not another attempt at the assignment the call answered
            options=replace(
                old.options, style_guess=None, retry_of=old.id, retry_from=seq, assignment_id=None
            ),
            scenario_version=old.scenario_version,  # the buyer is exactly where it was
        )
        session.created_at = self._conversation.now()
        await self._conversation.admit(session)
        for stored in turns:
            turn = stored.turn
            if turn.seq >= seq:
                break
            if turn.role is Role.TRAINEE:
                copy, _ = await self._sessions.add_trainee_turn(
                    session.id, text=turn.text, client_id=None
                )
                if turn.label is not None:
                    await self._sessions.set_label(copy.id, turn.label)
            else:
                await self._sessions.add_buyer_turn(
                    session.id,
                    turn_id=uuid4(),
                    seq=turn.seq,
                    text=turn.text,
                    reaction=turn.reaction,
                    meta=stored.meta,
                )
        await self._conversation.rebuild_state(session.id)
        return session

    async def drill(
        self,
        actor: Actor,
        *,
        scenario_id: str,
        kind: DrillKind,
        style: str,
        language: Language,
        problem_id: str | None = None,
        assignment_id: UUID | None = None,
    ) -> PracticeSession:
        """The buyer opens by handing over a problem; only the drilled behaviour counts."""
        record = await self._catalog.record(scenario_id)
        if record is None or not record.enabled:
            raise NotFoundError(f"unknown scenario {scenario_id!r}")
        scenario = record.scenario
        problem = problem_id or scenario.problems[0].id
        if problem not in {p.id for p in scenario.problems}:
            raise ValidationFailedError(f"unknown problem {problem!r}")
        return await self._conversation.start(
            actor,
            scenario_id=scenario_id,
            style=style,
            language=language,
            mode=Mode.COACH,
            kind=SessionKind.DRILL,
            options=SessionOptions(drill=kind, drill_problem=problem, assignment_id=assignment_id),
        )
