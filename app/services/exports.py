"""Exports for trainers and learning record stores: CSV and JSON for one session or a
filtered list, and xAPI statements (one per finished session) with transcript and scores.
Every representation shows what the viewer may see (app/domain/call/visibility.py): a
trainee's active exam call carries no labels or mood, a hidden style stays hidden."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain.accounts.access import Actor, may_view_session
from app.domain.call.session import Mode, PracticeSession, SessionKind, Status
from app.domain.call.visibility import reveals_live, shown_style
from app.domain.codec import to_plain
from app.domain.director.state import DiscoveryState
from app.domain.errors import NotFoundError
from app.domain.labels import Label
from app.domain.language import Language
from app.domain.scorecard.card import Scorecard
from app.domain.transcript import Role
from app.services.ports import ScenarioCatalog, SessionFilter, SessionStore, UserStore
from app.services.review import Review

CSV_COLUMNS = [
    "session_id",
    "trainee",
    "scenario",
    "style",
    "language",
    "mode",
    "kind",
    "status",
    "overall",
    "started_at",
    "ended_at",
    "seq",
    "role",
    "text",
    "label",
    "move",
    "open",
    "confidence",
    "source",
]
XAPI_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
XAPI_EXTENSION = "https://spin-practice.org/xapi/extensions"


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A session as an export lists it; `style` is as the viewer may see it."""

    id: UUID
    trainee: str
    scenario: str
    style: str
    language: Language
    mode: Mode
    kind: SessionKind
    status: Status
    overall: int | None
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class TurnRecord:
    seq: int
    role: Role
    text: str
    label: Label | None  # None for buyer turns, and while the viewer may not see labels


@dataclass(frozen=True, slots=True)
class SessionDocument:
    session: SessionRecord
    turns: tuple[TurnRecord, ...]
    state: DiscoveryState | None  # None while the viewer may not see the buyer's mood
    scorecard: Scorecard | None  # once ended


class Exports:
    def __init__(
        self,
        *,
        sessions: SessionStore,
        users: UserStore,
        catalog: ScenarioCatalog,
        review: Review,
        home_page: str,
    ) -> None:
        self._sessions = sessions
        self._users = users
        self._catalog = catalog
        self._review = review
        self._home_page = home_page.rstrip("/")

    async def _one(self, actor: Actor, session_id: UUID) -> PracticeSession:
        session = await self._sessions.get(session_id)
        if session is None or not may_view_session(actor, session.owner):
            raise NotFoundError("session")
        return session

    async def _many(self, actor: Actor, query: SessionFilter) -> list[PracticeSession]:
        return await self._review.sessions(actor, query)

    async def _username(self, user_id: UUID, cache: dict[UUID, str]) -> str:
        if user_id not in cache:
            user = await self._users.get(user_id)
            cache[user_id] = user.username if user else str(user_id)
        return cache[user_id]

    async def _record(
        self, actor: Actor, session: PracticeSession, names: dict[UUID, str]
    ) -> SessionRecord:
        return SessionRecord(
            id=session.id,
            trainee=await self._username(session.owner.user_id, names),
            scenario=session.scenario_id,
            style=shown_style(actor, session),
            language=session.language,
            mode=session.mode,
            kind=session.kind,
            status=session.status,
            overall=session.overall,
            started_at=session.created_at,
            ended_at=session.ended_at,
        )

    async def _turns(self, actor: Actor, session: PracticeSession) -> tuple[TurnRecord, ...]:
        live = reveals_live(actor, session)
        return tuple(
            TurnRecord(t.turn.seq, t.turn.role, t.turn.text, t.turn.label if live else None)
            for t in await self._sessions.turns(session.id)
        )

    async def _document(
        self, actor: Actor, session: PracticeSession, names: dict[UUID, str]
    ) -> SessionDocument:
        return SessionDocument(
            session=await self._record(actor, session, names),
            turns=await self._turns(actor, session),
            state=session.state if reveals_live(actor, session) else None,
            scorecard=await self._sessions.scorecard(session.id) if session.is_ended else None,
        )

    async def session_json(self, actor: Actor, session_id: UUID) -> SessionDocument:
        return await self._document(actor, await self._one(actor, session_id), {})

    async def list_json(self, actor: Actor, query: SessionFilter) -> list[SessionDocument]:
        names: dict[UUID, str] = {}
        return [await self._document(actor, s, names) for s in await self._many(actor, query)]

    async def session_csv(self, actor: Actor, session_id: UUID) -> str:
        return await self._csv(actor, [await self._one(actor, session_id)])

    async def list_csv(self, actor: Actor, query: SessionFilter) -> str:
        return await self._csv(actor, await self._many(actor, query))

    async def _csv(self, actor: Actor, sessions: Sequence[PracticeSession]) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        names: dict[UUID, str] = {}
        for session in sessions:
            record = await self._record(actor, session, names)
            for turn in await self._turns(actor, session):
                writer.writerow([_cell(v) for v in _csv_row(record, turn)])
        return out.getvalue()

    async def xapi(self, actor: Actor, query: SessionFilter) -> list[dict[str, Any]]:
        """xAPI 1.0.3 statements, one per finished session, for import into an LRS."""
        names: dict[UUID, str] = {}
        statements = []
        for session in await self._many(actor, query):
            if not session.is_ended:
                continue
            document = await self._document(actor, session, names)
            scenario = await self._catalog.scenario(session.scenario_id, session.scenario_version)
            title = {"en-US": scenario.title.en, "zh-CN": scenario.title.zh} if scenario else {}
            overall = session.overall or 0
            statements.append(
                {
                    "id": str(session.id),
                    "actor": {
                        "objectType": "Agent",
                        "account": {
                            "homePage": self._home_page,
                            "name": document.session.trainee,
                        },
                    },
                    "verb": {"id": XAPI_COMPLETED, "display": {"en-US": "completed"}},
                    "object": {
                        "objectType": "Activity",
                        "id": f"{self._home_page}/scenarios/{session.scenario_id}",
                        "definition": {
                            "name": title,
                            "type": "http://adlnet.gov/expapi/activities/simulation",
                        },
                    },
                    "result": {
                        "score": {
                            "scaled": round(overall / 100, 2),
                            "raw": overall,
                            "min": 0,
                            "max": 100,
                        },
                        "completion": True,
                        "extensions": {
                            f"{XAPI_EXTENSION}/scorecard": to_plain(document.scorecard),
                            f"{XAPI_EXTENSION}/transcript": to_plain(document.turns),
                        },
                    },
                    "context": {
                        "language": "zh-CN" if session.language.value == "zh" else "en-US",
                        "extensions": {
                            f"{XAPI_EXTENSION}/style": document.session.style,
                            f"{XAPI_EXTENSION}/mode": session.mode.value,
                        },
                    },
                    "timestamp": (session.ended_at or session.created_at).isoformat(),
                }
            )
        return statements


def _csv_row(record: SessionRecord, turn: TurnRecord) -> list[object]:
    label = turn.label
    return [
        record.id,
        record.trainee,
        record.scenario,
        record.style,
        record.language.value,
        record.mode.value,
        record.kind.value,
        record.status.value,
        record.overall,
        record.started_at.isoformat(),
        record.ended_at.isoformat() if record.ended_at else None,
        turn.seq,
        turn.role.value,
        turn.text,
        label.label.value if label else None,
        label.move.value if label and label.move else None,
        label.open if label else None,
        round(label.confidence, 4) if label else None,
        label.source if label else None,
    ]


def _cell(value: object) -> str:
    """Spreadsheet-safe text: a leading = + - @ would run as a formula in Excel."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
