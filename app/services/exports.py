"""Exports for trainers and learning record stores: CSV and JSON for one session or a
filtered list, and xAPI statements (one per finished session) with transcript and scores."""

import csv
import io
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from app.domain.accounts.access import Actor, may_view_session
from app.domain.call.session import PracticeSession, StoredTurn
from app.domain.errors import NotFoundError
from app.domain.labels import label_to_dict
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

    async def _document(self, session: PracticeSession, names: dict[UUID, str]) -> dict[str, Any]:
        turns = await self._sessions.turns(session.id)
        return {
            "session": _summary(session, await self._username(session.owner.user_id, names)),
            "turns": [_turn(t) for t in turns],
            "state": session.state.to_dict(),
            "scorecard": await self._sessions.scorecard(session.id),
        }

    async def session_json(self, actor: Actor, session_id: UUID) -> dict[str, Any]:
        return await self._document(await self._one(actor, session_id), {})

    async def list_json(self, actor: Actor, query: SessionFilter) -> list[dict[str, Any]]:
        names: dict[UUID, str] = {}
        return [await self._document(s, names) for s in await self._many(actor, query)]

    async def session_csv(self, actor: Actor, session_id: UUID) -> str:
        return await self._csv([await self._one(actor, session_id)])

    async def list_csv(self, actor: Actor, query: SessionFilter) -> str:
        return await self._csv(await self._many(actor, query))

    async def _csv(self, sessions: Sequence[PracticeSession]) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        names: dict[UUID, str] = {}
        for session in sessions:
            summary = _summary(session, await self._username(session.owner.user_id, names))
            for stored in await self._sessions.turns(session.id):
                row = {k: v for k, v in summary.items() if k in CSV_COLUMNS}
                row["session_id"] = summary["id"]
                row.update(_turn(stored))
                label = row.pop("label") or {}
                row.update(
                    {k: label.get(k) for k in ("label", "move", "open", "confidence", "source")}
                )
                writer.writerow({k: _cell(row.get(k)) for k in CSV_COLUMNS})
        return out.getvalue()

    async def xapi(self, actor: Actor, query: SessionFilter) -> list[dict[str, Any]]:
        """xAPI 1.0.3 statements, one per finished session, for import into an LRS."""
        names: dict[UUID, str] = {}
        statements = []
        for session in await self._many(actor, query):
            if not session.is_ended:
                continue
            document = await self._document(session, names)
            scenario = await self._catalog.scenario(session.scenario_id)
            title = {"en-US": scenario.title.en, "zh-CN": scenario.title.zh} if scenario else {}
            overall = session.overall or 0
            statements.append(
                {
                    "id": str(session.id),
                    "actor": {
                        "objectType": "Agent",
                        "account": {
                            "homePage": self._home_page,
                            "name": document["session"]["trainee"],
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
                            f"{XAPI_EXTENSION}/scorecard": document["scorecard"],
                            f"{XAPI_EXTENSION}/transcript": document["turns"],
                        },
                    },
                    "context": {
                        "language": "zh-CN" if session.language.value == "zh" else "en-US",
                        "extensions": {
                            f"{XAPI_EXTENSION}/style": session.style.value,
                            f"{XAPI_EXTENSION}/mode": session.mode.value,
                        },
                    },
                    "timestamp": (session.ended_at or session.created_at).isoformat(),
                }
            )
        return statements


def _summary(session: PracticeSession, trainee: str) -> dict[str, Any]:
    return {
        "id": str(session.id),
        "trainee": trainee,
        "scenario": session.scenario_id,
        "style": session.style.value,
        "language": session.language.value,
        "mode": session.mode.value,
        "kind": session.kind.value,
        "status": session.status.value,
        "overall": session.overall,
        "started_at": session.created_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
    }


def _turn(stored: StoredTurn) -> dict[str, Any]:
    turn = stored.turn
    return {
        "seq": turn.seq,
        "role": turn.role.value,
        "text": turn.text,
        "label": label_to_dict(turn.label) if turn.label else None,
    }


def _cell(value: object) -> str:
    """Spreadsheet-safe text: a leading = + - @ would run as a formula in Excel."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
