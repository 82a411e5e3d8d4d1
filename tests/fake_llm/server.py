"""The fake OpenAI-compatible server: `/v1/models` and `/v1/chat/completions`, plain JSON or
SSE streaming chunk by chunk like the real API. Each test scripts what the next requests get
(a reply, a delay, a 429, a 500, a timeout, a stream cut mid-way, malformed chunks) and reads
back the requests it received. Served by a real uvicorn on loopback, in a thread."""

import asyncio
import json
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

Failure = Literal["none", "429", "500", "timeout", "cut", "malformed", "bad_json"]


@dataclass
class Script:
    """What one request gets. `tokens` are streamed one chunk each, `delay_s` before each."""

    tokens: list[str] = field(default_factory=lambda: ["Fine", ",", " go", " on", "."])
    delay_s: float = 0.0
    first_delay_s: float = 0.0
    failure: Failure = "none"
    cut_after: int = 2
    retry_after_s: int = 0


class StreamCutError(Exception):
    """Raised inside the response body: uvicorn drops the connection mid-stream."""


class FakeLlm:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._queue: deque[Script] = deque()
        self.default = Script()
        self.url = ""
        # Structured-output forms this server takes; the others get 422 the way llama.cpp's
        # server refuses `json_schema` ("Input should be 'text' or 'json_object'").
        self.accepted_forms = {"json_schema", "json_object+schema", "json_object"}
        self.refusal_status = 422  # how a refused form is answered
        self.app = self._build()

    # --- scripting -----------------------------------------------------------------------

    def reply(self, text: str, *, delay_s: float = 0.0, first_delay_s: float = 0.0) -> None:
        """The next request gets `text`, streamed word by word."""
        words = text.split(" ")
        tokens = [w if i == 0 else " " + w for i, w in enumerate(words)]
        self._queue.append(Script(tokens=tokens, delay_s=delay_s, first_delay_s=first_delay_s))

    def fail(self, failure: Failure, *, times: int = 1, **options: Any) -> None:
        for _ in range(times):
            self._queue.append(Script(failure=failure, **options))

    def reset(self) -> None:
        self.requests.clear()
        self._queue.clear()
        self.default = Script()
        self.accepted_forms = {"json_schema", "json_object+schema", "json_object"}
        self.refusal_status = 422

    def _next(self) -> Script:
        return self._queue.popleft() if self._queue else self.default

    # --- the app -------------------------------------------------------------------------

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        async def models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": "fake-model", "object": "model"}]}

        @app.post("/v1/chat/completions", response_model=None)
        async def chat(request: Request) -> Response:
            body = await request.json()
            self.requests.append(body)
            form = structured_form(body.get("response_format"))
            if form is not None and form not in self.accepted_forms:
                detail = [
                    {
                        "loc": ["body", "response_format", "type"],
                        "msg": "Input should be 'text' or 'json_object'",
                    }
                ]
                if self.refusal_status == 500:  # llama-cpp-python 0.3.36 wraps it in a 500
                    wrapped = {"message": f"1 validation error: {detail}", "type": "server_error"}
                    return JSONResponse({"error": wrapped}, status_code=500)
                return JSONResponse({"detail": detail}, status_code=422)
            script = self._next()
            if script.failure == "429":
                headers = {"retry-after": str(script.retry_after_s)}
                error = {"error": {"message": "rate limited", "type": "rate_limit_exceeded"}}
                return JSONResponse(error, status_code=429, headers=headers)
            if script.failure == "500":
                error = {"error": {"message": "boom", "type": "server_error"}}
                return JSONResponse(error, status_code=500)
            if script.failure == "timeout":
                await asyncio.sleep(30)
            return self._respond(body, script)

        return app

    def _respond(self, body: dict[str, Any], script: Script) -> Response:
        base = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
        }
        text = "".join(script.tokens)
        if not body.get("stream"):
            content = "{not json" if script.failure == "bad_json" else text
            message = {"role": "assistant", "content": content}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
            usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
            return JSONResponse(
                {**base, "object": "chat.completion", "choices": [choice], "usage": usage}
            )

        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            payload = {**base, "object": "chat.completion.chunk", "choices": [choice]}
            return "data: " + json.dumps(payload) + "\n\n"

        async def events() -> AsyncIterator[str]:
            if script.first_delay_s:
                await asyncio.sleep(script.first_delay_s)
            yield chunk({"role": "assistant", "content": ""})
            for index, token in enumerate(script.tokens):
                if script.failure == "cut" and index == script.cut_after:
                    raise StreamCutError("cut")
                if script.failure == "malformed" and index == script.cut_after:
                    yield "data: {this is not json\n\n"
                    continue
                if script.delay_s:
                    await asyncio.sleep(script.delay_s)
                yield chunk({"content": token})
            yield chunk({}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")


def structured_form(response_format: object) -> str | None:
    """Which structured-output form a request asked for (`app.adapters.openai_chat`)."""
    if not isinstance(response_format, dict):
        return None
    kind = response_format.get("type")
    if kind == "json_object" and "schema" in response_format:
        return "json_object+schema"
    return str(kind) if kind in ("json_schema", "json_object") else None


def nodelay_listener() -> socket.socket:
    """A loopback listening socket with TCP_NODELAY, which Linux passes on to every accepted
    connection: no Nagle wait on the fake's small SSE writes, so no delayed-ACK stall (40 ms)
    in the figures of the benches."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_fake_llm() -> Iterator[FakeLlm]:
    fake = FakeLlm()
    listener = nodelay_listener()
    port = int(listener.getsockname()[1])
    config = uvicorn.Config(fake.app, lifespan="off", log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake LLM server did not start")
        time.sleep(0.01)  # polling a readiness flag with a deadline, not a fixed sleep
    fake.url = f"http://127.0.0.1:{port}/v1"
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=5)
