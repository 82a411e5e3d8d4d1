"""Composition root: builds the parts from Settings. `create_app(settings)` returns the ASGI
app; its lifespan migrates the database, wires adapters to ports and closes them on exit."""

import asyncio
import functools
import json
import logging
import secrets
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.templating import Jinja2Templates
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters import migrate
from app.adapters.db import create_engine, session_factory
from app.adapters.openai_chat import OpenAIChatModel
from app.adapters.passwords import Argon2PasswordHasher
from app.adapters.persona_files.catalog import Catalog, load_catalog
from app.adapters.persona_files.feedback import load_feedback
from app.adapters.persona_files.scenarios import parse_scenario_job
from app.adapters.prompt_files import FilePromptLibrary
from app.adapters.simulation_scripts import ScriptSpec, read_script
from app.adapters.sql_analyses import SqlAnalysisStore
from app.adapters.sql_assignments import SqlAssignmentStore
from app.adapters.sql_call_leases import SqlCallLeases
from app.adapters.sql_cohorts import SqlCohortStore
from app.adapters.sql_feedback import SqlFeedbackStore
from app.adapters.sql_rate_limits import SqlRateLimiter
from app.adapters.sql_scenarios import SqlScenarioCatalog
from app.adapters.sql_sessions import SqlSessionStore
from app.adapters.sql_users import SqlUserStore
from app.adapters.worker_pool import ProcessWorkers
from app.domain.accounts.passwords import PasswordPolicy, load_common_passwords
from app.domain.call.rehearsal import Rehearsal
from app.domain.classifier.model import OfflineClassifier, load_bundled_classifier
from app.domain.director import Director
from app.domain.labels import Label, MoveContext
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.style import StyleName
from app.domain.voice.compose import Scripter
from app.routes import api_docs, health, practice_ws
from app.routes import errors as error_handlers
from app.routes.api import assignments as api_assignments
from app.routes.api import auth as api_auth
from app.routes.api import exports as api_exports
from app.routes.api import review as api_review
from app.routes.api import sessions as api_sessions
from app.routes.api import users as api_users
from app.routes.assets import FingerprintedStatic, install_url_for
from app.routes.deps import AppState
from app.routes.i18n import Locales
from app.routes.pages import account as pages
from app.routes.pages import practice as pages_practice
from app.routes.pages import programme as pages_programme
from app.routes.pages import review as pages_review
from app.routes.pages import tools as pages_tools
from app.routes.pages.models import number
from app.routes.security import EdgeMiddleware
from app.routes.socket_quota import SocketQuota
from app.services.accounts import Accounts
from app.services.analytics import Analytics
from app.services.assignments import Assignments
from app.services.authoring import Authoring
from app.services.call_writer import CallWriter
from app.services.cohorts import Cohorts
from app.services.conversation import Conversation
from app.services.exports import Exports
from app.services.feedback import Feedback
from app.services.judge import LlmJudge, OfflineJudge
from app.services.labelling import Labelling
from app.services.ports import Judge, Reader, Voice
from app.services.practice_loops import PracticeLoops
from app.services.rate_limits import RateRule
from app.services.reader import LlmReader, OfflineReader
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
        setup_url = getattr(record, "setup_url", None)
        if isinstance(setup_url, str):
            entry["setup_url"] = setup_url
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def log_as_json(settings: Settings) -> bool:
    """JSON lines when asked, or when stderr is not a terminal (a service manager, a
    container, a pipe); plain lines for a person at a terminal."""
    if settings.log_format != "auto":
        return settings.log_format == "json"
    return not sys.stderr.isatty()


def configure_logging(level: str, *, as_json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if as_json:
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_LOG_FORMAT, datefmt="%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def now() -> datetime:
    return datetime.now(UTC)


def new_seed() -> int:
    return secrets.randbelow(2**31)


def build_templates(settings: Settings, static_names: Mapping[str, str]) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(settings.web_dir / "templates"))
    install_url_for(templates.env, static_names)
    templates.env.filters["num"] = number
    return templates


def build_chat(settings: Settings) -> OpenAIChatModel | None:
    """The one SDK client, when the voice or the judge uses a model."""
    if "llm" not in (settings.voice, settings.judge, settings.reader):
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


def build_reader(
    settings: Settings, chat: OpenAIChatModel | None, prompts: FilePromptLibrary
) -> Reader:
    if settings.reader == "llm" and chat is not None:
        return LlmReader(chat=chat, prompts=prompts)
    return OfflineReader()


def build_voice(
    settings: Settings,
    chat: OpenAIChatModel | None,
    prompts: FilePromptLibrary,
    scripted: ScriptedVoice,
) -> Voice:
    if settings.voice == "llm" and chat is not None:
        # The scripted voice stands in for a reply the faithfulness guard refuses twice.
        return LlmVoice(chat=chat, prompts=prompts, fallback=scripted)
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
    """The console is the one place the first admin can learn the setup link from: a banner
    for a person at a terminal, a log line (with a `setup_url` field) in JSON logs. Its logger
    has its own level, so no SPIN_LOG_LEVEL hides the one way in."""
    if not token:
        return
    url = f"{public_origin(settings)}/setup?token={token}"
    if log_as_json(settings):
        announce = logging.getLogger("app.first_run")
        announce.setLevel(logging.INFO)
        announce.info("first run: create the admin account at %s", url, extra={"setup_url": url})
        return
    sys.stderr.write(f"\n  First run: create the admin account at\n    {url}\n\n")
    sys.stderr.flush()


WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::", "[::]"})


def public_origin(settings: Settings) -> str:
    """The address people open: the configured public origin, else the host and port that
    `serve` listens on (all interfaces are reached locally at 127.0.0.1)."""
    if settings.public_origin:
        return settings.public_origin.rstrip("/")
    host = "127.0.0.1" if settings.host in WILDCARD_HOSTS else settings.host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    return f"http://{host}:{settings.port}"


@dataclass(frozen=True, slots=True)
class Stores:
    engine: AsyncEngine
    users: SqlUserStore
    cohorts: SqlCohortStore
    sessions: SqlSessionStore
    scenarios: SqlScenarioCatalog
    analyses: SqlAnalysisStore
    assignments: SqlAssignmentStore
    feedback: SqlFeedbackStore
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
        SqlCohortStore(factory),
        SqlSessionStore(factory),
        scenarios,
        SqlAnalysisStore(factory),
        SqlAssignmentStore(factory),
        SqlFeedbackStore(factory),
        SqlCallLeases(factory),
        SqlRateLimiter(factory),
        workers,
    )


def build_accounts(settings: Settings, users: SqlUserStore, cohorts: SqlCohortStore) -> Accounts:
    return Accounts(
        users=users,
        cohorts=cohorts,
        hasher=Argon2PasswordHasher(),
        secret_key=settings.resolved_secret_key(),
        clock=now,
        passwords=PasswordPolicy(load_common_passwords()),
        session_days=settings.session_days,
        max_failed_logins=settings.login_attempts_per_15min,
        max_registrations=settings.registrations_per_15min,
    )


def build_state(
    settings: Settings,
    stores: Stores,
    files: Catalog,
    chat: OpenAIChatModel | None,
    static_names: Mapping[str, str],
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
        cast=files.cast,
        judge=judge,
        reader=build_reader(settings, chat, prompts),
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
    review = Review(sessions=store, catalog=catalog, cast=files.cast, scoring=scoring)
    loops = PracticeLoops(conversation=conversation, sessions=store, catalog=catalog)
    return AppState(
        settings=settings,
        accounts=build_accounts(settings, stores.users, stores.cohorts),
        cohorts=Cohorts(cohorts=stores.cohorts, clock=now),
        assignments=Assignments(
            assignments=stores.assignments,
            users=stores.users,
            cohorts=stores.cohorts,
            sessions=store,
            catalog=catalog,
            conversation=conversation,
            loops=loops,
            clock=now,
        ),
        feedback=Feedback(sessions=store, reads=stores.feedback, clock=now),
        conversation=conversation,
        review=review,
        loops=loops,
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
            lexicon=files.lexicon,
            workers=stores.workers,
        ),
        analysis=CallAnalysis(
            judge=judge,
            scoring=scoring,
            store=stores.analyses,
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
        templates=build_templates(settings, static_names),
        locales=Locales(settings.web_dir / "locales"),
        scorecard_words=feedback,
        readiness=readiness_probe(stores.engine),
    )


@asynccontextmanager
async def lifespan_for(
    settings: Settings, static_names: Mapping[str, str]
) -> AsyncIterator[AppState]:
    files = load_catalog(settings.personas_dir)
    stores = await open_stores(settings, files)
    chat = build_chat(settings)
    try:
        state = build_state(settings, stores, files, chat, static_names)
        announce_first_run(settings, await state["accounts"].prepare_first_run())
        yield state
    finally:
        if chat is not None:
            await chat.close()
        await stores.workers.close()
        await stores.engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, as_json=log_as_json(settings))
    static = FingerprintedStatic(directory=settings.web_dir / "static")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        async with lifespan_for(settings, static.names) as state:
            yield dict(state)

    app = FastAPI(
        title="SPIN Practice",
        version="0.1.0",
        lifespan=lifespan,
        responses=error_handlers.ERROR_RESPONSES,
        docs_url=None,  # app/routes/api_docs.py serves /docs from vendored files
        redoc_url=None,
    )
    origins = [settings.public_origin] if settings.public_origin else []
    # Compression inside the edge: Starlette's GZip leaves websockets and event streams alone.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(
        EdgeMiddleware, max_body_bytes=settings.max_body_bytes, public_origins=origins
    )
    error_handlers.install(app, render_error=pages.render_error)
    app.mount("/static", static, name="static")
    for router in (
        health.router,
        api_docs.router,
        api_auth.router,
        api_users.router,
        api_assignments.router,
        api_sessions.router,
        api_review.router,
        api_exports.router,
        practice_ws.router,
        pages.router,
        pages_practice.router,
        pages_programme.router,
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

    def rehearsal(self, scenario: Scenario, style: StyleName, language: Language) -> Rehearsal:
        """A call in memory through the live pipeline's steps (evaluate-understanding)."""
        styles = self.catalog.styles
        director = Director(scenario, styles[style], language, self.catalog.lexicon)

        def label(text: str, context: MoveContext, language: Language) -> Label:
            return self.classifier.classify(text, context=context, language=language)

        return Rehearsal(director, label, Scripter(styles))


def load_offline_parts(settings: Settings) -> OfflineParts:
    return OfflineParts(
        catalog=load_catalog(settings.personas_dir),
        classifier=load_bundled_classifier(),
        scoring=Scoring(messages=load_feedback(settings.personas_dir / "feedback.yaml")),
    )


@asynccontextmanager
async def build_accounts_for_cli(settings: Settings) -> AsyncIterator[Accounts]:
    async with build_console_parts(settings) as parts:
        yield parts.accounts


@dataclass(frozen=True, slots=True)
class ConsoleParts:
    """What the account commands (users, cohorts, invites, demo) need."""

    accounts: Accounts
    cohorts: Cohorts
    origin: str  # where printed links point


@asynccontextmanager
async def build_console_parts(settings: Settings) -> AsyncIterator[ConsoleParts]:
    url = settings.resolved_database_url()
    await asyncio.to_thread(migrate.upgrade, url)
    engine = create_engine(url)
    factory = session_factory(engine)
    users, cohorts = SqlUserStore(factory), SqlCohortStore(factory)
    try:
        yield ConsoleParts(
            accounts=build_accounts(settings, users, cohorts),
            cohorts=Cohorts(cohorts=cohorts, clock=now),
            origin=public_origin(settings),
        )
    finally:
        await engine.dispose()
