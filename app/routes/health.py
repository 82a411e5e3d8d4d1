"""Liveness and readiness probes. Public on purpose: load balancers call them unauthenticated."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.routes.deps import state

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up (public)."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Database unreachable"}})
async def readyz(request: Request) -> JSONResponse:
    """The database answers (public)."""
    if await state(request)["readiness"]():
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "unavailable", "code": "database_unavailable"}, status_code=503)
