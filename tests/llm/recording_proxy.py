"""A loopback proxy between the app and the local model that keeps every request body, so a
test can assert what the model was sent (no locked item in any prompt). Streams pass through
chunk by chunk. Served by uvicorn in a thread, like the fake LLM."""

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse

from tests.fake_llm.server import free_port


class RecordingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.requests: list[dict[str, Any]] = []
        self.url = ""
        self.app = self._build()

    def prompts(self) -> list[str]:
        """Every message content the model received, in order."""
        return [
            str(m.get("content", "")) for body in self.requests for m in body.get("messages", [])
        ]

    def _build(self) -> FastAPI:
        app = FastAPI()
        client = httpx.AsyncClient(timeout=httpx.Timeout(600.0))

        @app.api_route("/v1/{path:path}", methods=["GET", "POST"])
        async def forward(path: str, request: Request) -> Response:
            body = await request.body()
            if body:
                self.requests.append(json.loads(body))
            upstream = client.build_request(
                request.method,
                f"{self.upstream}/{path}",
                content=body,
                headers={"content-type": request.headers.get("content-type", "application/json")},
            )
            response = await client.send(upstream, stream=True)

            async def relay() -> AsyncIterator[bytes]:
                try:
                    async for chunk in response.aiter_raw():
                        yield chunk
                finally:
                    await response.aclose()

            media = response.headers.get("content-type", "application/json")
            return StreamingResponse(relay(), status_code=response.status_code, media_type=media)

        return app


@contextmanager
def serve_proxy(upstream: str) -> Iterator[RecordingProxy]:
    proxy = RecordingProxy(upstream)
    port = free_port()
    config = uvicorn.Config(proxy.app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the recording proxy did not start")
        time.sleep(0.01)  # waiting for uvicorn's started flag, with a deadline
    proxy.url = f"http://127.0.0.1:{port}/v1"
    try:
        yield proxy
    finally:
        server.should_exit = True
        thread.join(timeout=10)
