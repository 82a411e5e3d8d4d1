"""Composition root: builds the parts from Settings. `create_app(settings)` returns the ASGI
app; its lifespan migrates the database, wires adapters to ports and closes them on exit."""

import asyncio
import functools
import json
import logging
import secrets
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters import migrate
from app.adapters.db import create_engine, session_factory
from app.adapters.openai_chat import OpenAIChatModel
from app.adapters.passwords import Argon2PasswordHasher
from app.adapters.persona_files.feedback import load_feedback
from app.adapters.persona_files.scenarios import Catalog, load_catalog, parse_scenario_job
from app.adapters.prompt_files import FilePromptLibrary
from app.adapters.simulation_scripts import ScriptSpec, read_script
from app.adapters.sql_call_leases import SqlCallLeases
from app.adapters.sql_rate_limits import SqlRateLimiter
from app.adapters.sql_scenarios import SqlScenarioCatalog
from app.adapters.sql_sessions import SqlSessionStore
from app.adapters.sql_users import SqlUserStore
from app.adapters.worker_pool import ProcessWorkers
from app.domain.classifier.model import OfflineClassifier, load_bundled_classifier
from app.domain.scenario import Scenario
from app.domain.style import StyleName
from app.routes import errors as error_handlers
from app.routes import health, practice_ws
from app.routes.api import auth as api_auth
from app.routes.api import exports as api_exports
from app.routes.api import review as api_review
from app.routes.api import sessions as api_sessions
from app.routes.api import users as api_users
from app.routes.deps import AppState
from app.routes.i18n import Locales
from app.routes.pages import account as pages
from app.routes.pages import practice as pages_practice
from app.routes.pages import review as pages_review
from app.routes.pages import tools as pages_tools
from app.routes.security import EdgeMiddleware
from app.routes.socket_quota import SocketQuota
from app.services.accounts import Accounts
from app.services.analytics import Analytics
from app.services.authoring import Authoring
from app.services.call_writer import CallWriter
from app.services.conversation import Conversation
from app.services.exports import Exports
from app.services.judge import LlmJudge, OfflineJudge
from app.services.labelling import Labelling
from app.services.ports import Judge, Voice
from app.services.practice_loops import PracticeLoops
from app.services.rate_limits import RateRule
from app.services.real_calls import CallAnalysis
from app.services.review import Review
from app.services.scoring import Scoring
from app.services.voice.llm import LlmVoice
from app.services.voice.scripted import ScriptedVoice
from app.settings import Settings

logger = logging.getLogger("app")


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line on stderr: easy to ship to any log store."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def now() -> datetime:
    return datetime.now(UTC)


def new_seed() -> int:
    return secrets.randbelow(2**31)


def build_templates(settings: Settings) -> Jinja2Templates:
    return Jinja2Templates(directory=str(settings.web_dir / "templates"))


def build_chat(settings: Settings) -> OpenAIChatModel | None:
    """The one SDK client, when the voice or the judge uses a model."""
    if settings.voice != "llm" and settings.judge != "llm":
        return None
    return OpenAIChatModel(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key.get_secret_value(),
        model=settings.llm_model,
        timeout_s=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


def build_judge(
    settings: Settings,
    chat: OpenAIChatModel | None,
    prompts: FilePromptLibrary,
    workers: ProcessWorkers,
) -> Judge:
    if settings.judge == "llm" and chat is not None:
        return LlmJudge(chat=chat, prompts=prompts, fallback=load_bundled_classifier())
    return OfflineJudge(load_bundled_classifier, workers=workers)


# Where the worker jobs live: scenario validation, bulk labelling, call analysis.
WORKER_MODULES = (
    "app.adapters.persona_files.scenarios",
    "app.services.judge",
    "app.services.real_calls",
)


def build_workers(settings: Settings) -> ProcessWorkers:
    return ProcessWorkers(
        processes=settings.worker_processes,
        timeout_s=settings.worker_timeout_s,
        max_waiting=settings.worker_queue,
        memory_mb=settings.worker_memory_mb,
        preload=WORKER_MODULES,
    )


def build_voice(
    settings: Settings, chat: OpenAIChatModel | None, prompts: FilePromptLibrary, scripted: Voice
) -> Voice:
    if settings.voice == "llm" and chat is not None:
        return LlmVoice(chat=chat, prompts=prompts)
    return scripted


def readiness_probe(engine: AsyncEngine) -> Callable[[], Awaitable[bool]]:
    async def readiness() -> bool:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            return True
        except Exception:  # any driver failure means "not ready"
            logger.warning("readiness check failed", exc_info=True)
            return False

    return readiness


def announce_first_run(settings: Settings, token: str | None) -> None:
    """The console is the one place the first admin can learn the setup link from."""
    if token:
        sys.stderr.write(
            "\n  First run: create the admin account at\n"
            f"    {public_origin(settings)}/setup?token={token}\n\n"
        )


def public_origin(settings: Settings) -> str:
    return settings.public_origin or f"http://{settings.host}:{settings.port}"


@dataclass(frozen=True, slots=True)
class Stores:
    engine: AsyncEngine
    users: SqlUserStore
    sessions: SqlSessionStore
    scenarios: SqlScenarioCatalog
    leases: SqlCallLeases
    limiter: SqlRateLimiter
    workers: ProcessWorkers


async def open_stores(settings: Settings, files: Catalog) -> Stores:
    """Migrates the database to head, then opens the stores on it."""
    url = settings.resolved_database_url()
    await asyncio.to_thread(migrate.upgrade, url)
    engine = create_engine(url)
    factory = session_factory(engine)
    workers = build_workers(settings)

    async def parse(text_: str, source: str) -> Scenario:  # in a worker process
        return await workers.run(functools.partial(parse_scenario_job, text_, source))

    scenarios = SqlScenarioCatalog(shipped=files.scenarios, sessions=factory, parse=parse)
    return Stores(
        engine,
        SqlUserStore(factory),
        SqlSessionStore(factory),
        scenarios,
        SqlCallLeases(factory),
        SqlRateLimiter(factory),
        workers,
    )


def build_state(
    settings: Settings, stores: Stores, files: Catalog, chat: OpenAIChatModel | None
) -> AppState:
    """Every service, wired to its ports."""
    prompts = FilePromptLibrary(settings.prompts_dir)
    judge = build_judge(settings, chat, prompts, stores.workers)
    scripted = ScriptedVoice(files.styles)
    feedback = load_feedback(settings.personas_dir / "feedback.yaml")
    scoring = Scoring(messages=feedback)
    store, catalog = stores.sessions, stores.scenarios
    conversation = Conversation(
        sessions=store,
        catalog=catalog,
        styles=files.styles,
        judge=judge,
        scoring=scoring,
        voice=build_voice(settings, chat, prompts, scripted),
        opening_voice=scripted,
        clock=now,
        new_seed=new_seed,
        max_text_chars=settings.max_text_chars,
        messages_per_window=settings.messages_per_10s,
        writer=CallWriter(leases=stores.leases, clock=now),
        max_active_calls=settings.max_active_calls,
    )
    review = Review(sessions=store, catalog=catalog, styles=files.styles, scoring=scoring)
    return AppState(
        settings=settings,
        accounts=Accounts(
            users=stores.users,
            hasher=Argon2PasswordHasher(),
            secret_key=settings.resolved_secret_key(),
            clock=now,
            session_days=settings.session_days,
            max_failed_logins=settings.login_attempts_per_15min,
        ),
        conversation=conversation,
        review=review,
        loops=PracticeLoops(conversation=conversation, sessions=store, catalog=catalog),
        exports=Exports(
            sessions=store,
            users=stores.users,
            catalog=catalog,
            review=review,
            home_page=public_origin(settings),
        ),
        analytics=Analytics(sessions=store, users=stores.users, review=review),
        authoring=Authoring(
            catalog=catalog,
            limiter=stores.limiter,
            clock=now,
            saves=RateRule("scenario_save", settings.scenario_saves_per_minute),
        ),
        analysis=CallAnalysis(
            judge=judge,
            scoring=scoring,
            workers=stores.workers,
            limiter=stores.limiter,
            rule=RateRule("analysis", settings.analyses_per_minute),
            clock=now,
        ),
        labelling=Labelling(
            judge=judge,
            limiter=stores.limiter,
            rule=RateRule("classify", settings.classify_per_minute),
            clock=now,
        ),
        sockets=SocketQuota(settings.max_sockets_per_user),
        scenarios=catalog,
        judge=judge,
        templates=build_templates(settings),
        locales=Locales(settings.web_dir / "locales"),
        scorecard_words=feedback,
        readiness=readiness_probe(stores.engine),
    )


@asynccontextmanager
async def lifespan_for(settings: Settings) -> AsyncIterator[AppState]:
    files = load_catalog(settings.personas_dir)
    stores = await open_stores(settings, files)
    chat = build_chat(settings)
    try:
        state = build_state(settings, stores, files, chat)
        announce_first_run(settings, await state["accounts"].prepare_first_run())
        yield state
    finally:
        if chat is not None:
            await chat.close()
        await stores.workers.close()
        await stores.engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        async with lifespan_for(settings) as state:
            yield dict(state)

    app = FastAPI(
        title="SPIN Practice",
        version="0.1.0",
        lifespan=lifespan,
        responses=error_handlers.ERROR_RESPONSES,
    )
    origins = [settings.public_origin] if settings.public_origin else []
    app.add_middleware(
        EdgeMiddleware, max_body_bytes=settings.max_body_bytes, public_origins=origins
    )
    error_handlers.install(app, render_error=pages.render_error)
    app.mount("/static", StaticFiles(directory=str(settings.web_dir / "static")), name="static")
    for router in (
        health.router,
        api_auth.router,
        api_users.router,
        api_sessions.router,
        api_review.router,
        api_exports.router,
        practice_ws.router,
        pages.router,
        pages_practice.router,
        pages_review.router,
        pages_tools.router,
    ):
        app.include_router(router)
    return app


@dataclass(frozen=True, slots=True)
class OfflineParts:
    """What the offline commands (simulate) need: no database, no network."""

    catalog: Catalog
    classifier: OfflineClassifier
    scoring: Scoring

    @staticmethod
    def read_script(path: Path) -> ScriptSpec:
        return read_script(path)

    @staticmethod
    def style(name: str) -> StyleName:
        try:
            return StyleName(name)
        except ValueError as exc:
            raise ValueError(f"unknown style {name!r}") from exc


def load_offline_parts(settings: Settings) -> OfflineParts:
    return OfflineParts(
        catalog=load_catalog(settings.personas_dir),
        classifier=load_bundled_classifier(),
        scoring=Scoring(messages=load_feedback(settings.personas_dir / "feedback.yaml")),
    )


@asynccontextmanager
async def build_accounts_for_cli(settings: Settings) -> AsyncIterator[Accounts]:
    url = settings.resolved_database_url()
    await asyncio.to_thread(migrate.upgrade, url)
    engine = create_engine(url)
    try:
        yield Accounts(
            users=SqlUserStore(session_factory(engine)),
            hasher=Argon2PasswordHasher(),
            secret_key=settings.resolved_secret_key(),
            clock=now,
        )
    finally:
        await engine.dispose()
