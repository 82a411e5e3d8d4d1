"""A test client for a live server: HTTP through httpx, the practice socket through the
`websockets` client, with the session cookie and a same-origin Origin header."""

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.support.accounts import PASSWORD

RECV_TIMEOUT_S = 20.0


class Api:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=30.0)
        self.csrf = ""

    def login(self, username: str, password: str = PASSWORD) -> "Api":
        response = self.http.post(
            "/api/auth/login", json={"username": username, "password": password}
        )
        response.raise_for_status()
        self.csrf = response.json()["csrf_token"]
        return self

    @property
    def cookie(self) -> str:
        return f"spin_session={self.http.cookies.get('spin_session', '')}"

    def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return self.http.post(path, json=body or {}, headers={"X-CSRF-Token": self.csrf})

    def patch(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.patch(path, json=body, headers={"X-CSRF-Token": self.csrf})

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)

    def start_session(
        self,
        scenario_id: str = "plant-operators",
        *,
        style: str = "analytical",
        language: str = "en",
        mode: str = "coach",
    ) -> dict[str, Any]:
        body = {"scenario_id": scenario_id, "style": style, "language": language, "mode": mode}
        response = self.post("/api/sessions", body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def socket(
        self, session_id: str, *, cookie: str | None = None, timeout_s: float = RECV_TIMEOUT_S
    ) -> "Socket":
        url = self.base_url.replace("http://", "ws://") + f"/ws/sessions/{session_id}"
        connection = await connect(
            url,
            additional_headers={"Cookie": cookie or self.cookie, "Origin": self.base_url},
            open_timeout=10,
        )
        return Socket(connection, timeout_s=timeout_s)

    def close(self) -> None:
        self.http.close()


@dataclass
class Reply:
    deltas: list[str] = field(default_factory=list)
    done: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    scorecard: dict[str, Any] | None = None


class Socket:
    def __init__(self, connection: ClientConnection, *, timeout_s: float = RECV_TIMEOUT_S) -> None:
        self.connection = connection
        self.timeout_s = timeout_s  # per frame; a real local model needs more than the fake

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def send_raw(self, data: str | bytes) -> None:
        await self.connection.send(data)

    async def recv(self) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.connection.recv(), self.timeout_s)
        data: dict[str, Any] = json.loads(raw)
        return data

    async def until(self, *types: str) -> dict[str, Any]:
        while True:
            frame = await self.recv()
            if frame["type"] in types:
                return frame

    async def reply(self) -> Reply:
        """Reads buyer deltas until the reply is done (or an error, or the scorecard)."""
        reply = Reply()
        while True:
            frame = await self.recv()
            if frame["type"] == "buyer_delta":
                reply.deltas.append(frame["delta"])
            elif frame["type"] == "buyer_done":
                reply.done = frame
                return reply
            elif frame["type"] == "error":
                reply.error = frame
                return reply
            elif frame["type"] == "scorecard":
                reply.scorecard = frame
                return reply

    async def say(self, text: str, client_id: str | None = None) -> tuple[dict[str, Any], Reply]:
        message: dict[str, Any] = {"type": "message", "text": text}
        if client_id:
            message["client_id"] = client_id
        await self.send(message)
        turn = await self.until("turn", "error")
        if turn["type"] == "error":
            return turn, Reply(error=turn)
        return turn, await self.reply()

    async def close(self) -> None:
        await self.connection.close()


def join_new_cohort(
    trainer: Api, *, cohort_name: str, username_prefix: str
) -> tuple[Api, str, str]:
    """The trainer creates a cohort and an invite; a new trainee registers with it.
    Returns the signed-in trainee, their username and the cohort id."""
    cohort = trainer.post("/api/cohorts", {"name": cohort_name}).json()
    invite = trainer.post(f"/api/cohorts/{cohort['id']}/invites", {"max_uses": 5}).json()
    trainee = Api(trainer.base_url)
    username = f"{username_prefix}{uuid.uuid4().hex[:6]}"
    joined = trainee.http.post(
        "/api/auth/register",
        json={"code": invite["code"], "username": username, "password": PASSWORD},
    )
    assert joined.status_code == 200, joined.text
    trainee.csrf = joined.json()["csrf_token"]
    return trainee, username, str(cohort["id"])


async def play_and_end(api: Api, session_id: str, moves: list[str]) -> None:
    """Says each move over the websocket, waiting for every reply, then ends the call."""
    socket = await api.socket(session_id)
    await socket.recv()
    for move in moves:
        await socket.say(move)
    await socket.send({"type": "end"})
    await socket.until("scorecard")
    await socket.close()
