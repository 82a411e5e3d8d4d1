"""The trainee's pages: the call (/practice/{id}), its scorecard (/sessions/{id}/scorecard)
and progress over time (/progress). The call itself runs over the websocket
(web/static/js/practice.js); these routes only render."""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.domain.accounts.access import Actor, may_practise_in
from app.domain.accounts.users import SignedIn
from app.domain.call.visibility import reveals_live, shown_style
from app.domain.errors import NotFoundError
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.progress import Progress
from app.domain.transcript import MoveNumbers
from app.routes.deps import (
    AnalyticsDep,
    ConversationDep,
    CurrentUser,
    FeedbackDep,
    ReviewDep,
    ScenariosDep,
    SettingsDep,
    state,
)
from app.routes.i18n import page_language
from app.routes.pages.account import render
from app.routes.pages.charts import (
    SPIN_LABELS,
    LineChart,
    StackedChart,
    line_chart,
    stacked_chart,
)
from app.routes.pages.models import (
    MOVES,
    ScenarioWords,
    scorecard_view,
    session_rows,
    when,
)
from app.routes.pages.programme_models import feedback_views
from app.services.call_events import SessionView
from app.services.conversation import Conversation
from app.services.ports import ScenarioCatalog, SessionFilter

router = APIRouter(include_in_schema=False)

# Websocket error codes the chat page explains in the reader's language (DESIGN.md §6).
WS_ERRORS = (
    "bad_json",
    "binary_frame",
    "unknown_type",
    "invalid_message",
    "empty_text",
    "text_too_long",
    "frame_too_large",
    "too_fast",
    "session_ended",
    "reply_pending",
    "llm_unavailable",
    "not_found",
    "invalid_text",
    "too_many_sockets",
)
CHAT_STRINGS = (
    "connecting",
    "connected",
    "reconnecting",
    "offline",
    "offline_browser",
    "queued",
    "sending",
    "status_ended",
    "signed_out",
    "typing",
    "you",
    "buyer",
    "patience",
    "trust",
    "ended",
    "scorecard_ready",
    "open_scorecard",
    "retry",
    "ending",
    "error_generic",
    "buyer_ended",
)


Translate = Callable[..., str]


@dataclass(frozen=True, slots=True)
class CallHeader:
    """Scenario, account and call settings, as every page about one call shows them; `style`
    as the viewer may see it."""

    id: str
    scenario_id: str
    title: str
    brief: str
    company: str
    buyer_role: str
    style: str
    style_name: str
    restart_style: str
    language: str
    mode: str
    ended: bool
    created: str
    ended_at: str
    owner_id: str


async def session_header(
    view: SessionView, actor: Actor, catalog: ScenarioCatalog, language: Language, t: Translate
) -> CallHeader:
    session = view.session
    scenario = await catalog.scenario(session.scenario_id, session.scenario_version)
    style = shown_style(actor, session)
    return CallHeader(
        id=str(session.id),
        scenario_id=session.scenario_id,
        title=scenario.title(language) if scenario else session.scenario_id,
        brief=scenario.brief(language) if scenario else "",
        company=scenario.account.company(language) if scenario else "",
        buyer_role=scenario.account.buyer_role(language) if scenario else "",
        style=style,
        style_name=t(f"style.{style}"),
        restart_style="hidden" if session.style_hidden else session.style.value,
        language=session.language.value,
        mode=session.mode.value,
        ended=session.is_ended,
        created=when(session.created_at),
        ended_at=when(session.ended_at),
        owner_id=str(session.owner.user_id),
    )


@dataclass(frozen=True, slots=True)
class CallGoal:
    """What a drill or a retry is for, said at the top of the chat: `kind` ("Drill:"), the
    task in the page's language, and a question to try, quoted in the call's language."""

    kind: str
    text: str
    quote: str = ""


async def call_goal(
    view: SessionView,
    actor: Actor,
    *,
    scenario: Scenario | None,
    conversation: Conversation,
    language: Language,
    t: Translate,
) -> CallGoal | None:
    options = view.session.options
    if options.drill is not None:
        problems = {p.id: p.title(language) for p in scenario.problems} if scenario else {}
        problem = problems.get(options.drill_problem or "", "")
        return CallGoal(
            t("drill.goal_kind"), t(f"drill.goal_{options.drill.value}", problem=problem)
        )
    if options.retry_of is None or options.retry_from is None:
        return None
    try:
        earlier = await conversation.view(actor, options.retry_of)
    except NotFoundError:
        # without the earlier call its moves cannot be counted; the live calls alternate
        return CallGoal(
            t("retry.goal_kind", turn=MoveNumbers().of(options.retry_from)), t("retry.goal_other")
        )
    numbers = MoveNumbers.of_transcript(st.turn for st in earlier.turns)
    kind = t("retry.goal_kind", turn=numbers.of(options.retry_from))
    tips = earlier.scorecard.coaching if earlier.scorecard else ()
    better = next((tip.better for tip in tips if tip.seq == options.retry_from), None)
    if better is not None:
        return CallGoal(kind, t("retry.goal_try"), better.text)
    said = next((st.turn.text for st in earlier.turns if st.turn.seq == options.retry_from), "")
    return CallGoal(kind, t("retry.goal_other"), said)


def session_exports(session_id: UUID) -> list[tuple[str, str, str]]:
    """(name, link, file name) of one call's exports (app/routes/api/exports.py)."""
    base = f"/api/exports/sessions/{session_id}"
    return [
        ("JSON", f"{base}.json", f"session-{session_id}.json"),
        ("CSV", f"{base}.csv", f"session-{session_id}.csv"),
    ]


def translator(request: Request, user: SignedIn) -> tuple[Language, Translate]:
    """The page language and `t(key, **params)` in it, as the templates have them."""
    language = page_language(request, user)
    catalogue = state(request)["locales"]

    def t(key: str, **params: object) -> str:
        return str(catalogue.translate(language, key, **params))

    return language, t


@router.get("/practice/{session_id}")
async def practice_page(
    request: Request,
    session_id: UUID,
    user: CurrentUser,
    conversation: ConversationDep,
    catalog: ScenariosDep,
    settings: SettingsDep,
) -> Response:
    """The trainee who owns the call; anyone else who may see it goes to the review page."""
    view = await conversation.view(user.actor, session_id)
    if not may_practise_in(user.actor, view.session.owner):
        return RedirectResponse(f"/review/{session_id}", status_code=303)
    if view.session.is_ended:
        return RedirectResponse(f"/sessions/{session_id}/scorecard", status_code=303)
    language, t = translator(request, user)
    header = await session_header(view, user.actor, catalog, language, t)
    scenario = await catalog.scenario(view.session.scenario_id)
    goal = await call_goal(
        view, user.actor, scenario=scenario, conversation=conversation, language=language, t=t
    )
    config = {
        "session_id": str(session_id),
        "call_lang": view.session.language.value,
        "ws_path": f"/ws/sessions/{session_id}",
        "scorecard_url": f"/sessions/{session_id}/scorecard",
        "end_url": f"/api/sessions/{session_id}/end",
        "coach": reveals_live(user.actor, view.session),
        "labels": {key: t(f"label.{key}") for key in SPIN_LABELS},
        "moves": {key: t(f"move.{key}") for key in MOVES},
        "stances": {k: t(f"stance.{k}") for k in ("open", "guarded", "impatient", "warming")},
        "errors": {code: t(f"ws_error.{code}") for code in WS_ERRORS},
        "text": {key: t(f"chat.{key}") for key in CHAT_STRINGS},
        "ping_every_ms": round(settings.chat_ping_s * 1000),
        "pong_within_ms": round(settings.chat_pong_timeout_s * 1000),
    }
    context = {"call": header, "config": config, "goal": goal}
    return render(request, "practice.html", user, context)


async def _ended_view(
    conversation: Conversation, user: CurrentUser, session_id: UUID
) -> SessionView | None:
    view = await conversation.view(user.actor, session_id)
    return view if view.session.is_ended else None


@router.get("/sessions/{session_id}/scorecard")
async def scorecard_page(
    request: Request,
    session_id: UUID,
    user: CurrentUser,
    conversation: ConversationDep,
    catalog: ScenariosDep,
    feedback: FeedbackDep,
) -> Response:
    """Whoever may see the call; an unfinished call has no scorecard yet. The coach's
    comments and corrections show at their turns; the trainee opening it has read them."""
    view = await _ended_view(conversation, user, session_id)
    if view is None:
        return RedirectResponse(f"/practice/{session_id}", status_code=303)
    language, t = translator(request, user)
    messages = state(request)["scorecard_words"]
    labels = {key: t(f"label.{key}") for key in SPIN_LABELS}
    scenario = await catalog.scenario(view.session.scenario_id)
    words = ScenarioWords.of(scenario, call=view.session.language, page=language)
    card = scorecard_view(view.scorecard, messages, language, labels, words)
    numbers = MoveNumbers.of_transcript(st.turn for st in view.turns)
    turns = [
        {
            "seq": st.turn.seq,
            "number": numbers.of(st.turn.seq),
            "role": st.turn.role.value,
            "text": st.turn.text,
            "label": st.turn.label.label.value if st.turn.label else None,
            "move": st.turn.label.move.value if st.turn.label and st.turn.label.move else None,
        }
        for st in view.turns
    ]
    texts = {st.turn.seq: st.turn.text for st in view.turns}
    for tip in card.coaching:
        tip.said = texts.get(tip.seq, "")
    found = await feedback.for_call(user.actor, session_id)
    coach = feedback_views(found, viewer=user.user.id, owner=view.session.owner.user_id, t=t)
    await feedback.mark_read(user.actor, session_id)
    context = {
        "call": await session_header(view, user.actor, catalog, language, t),
        "card": card,
        "turns": turns,
        "mine": may_practise_in(user.actor, view.session.owner),
        "exports": session_exports(session_id),
        "coach": coach,
        "coach_new": found.unread,
    }
    return render(request, "scorecard.html", user, context)


@dataclass(frozen=True, slots=True)
class Milestone:
    name: str
    overall: int
    discovery: int | None  # percent
    href: str
    when: str


@dataclass(frozen=True, slots=True)
class Milestones:
    points: tuple[Milestone, ...]
    lift: int | None
    best_lift: int | None
    discovery_lift: int | None  # percentage points


def _percent(rate: float | None) -> int | None:
    return round(rate * 100) if rate is not None else None


def _milestones(found: Progress, t: Translate) -> Milestones:
    """First, best and latest overall (and discovery rate), and the lifts."""
    named = (("first", found.first), ("best", found.best), ("latest", found.latest))
    return Milestones(
        points=tuple(
            Milestone(
                name=t(f"progress.{key}"),
                overall=p.overall,
                discovery=_percent(p.discovery_rate),
                href=f"/sessions/{p.session_id}/scorecard",
                when=p.ended_at[:10],
            )
            for key, p in named
            if p is not None
        ),
        lift=found.lift,
        best_lift=found.best_lift,
        discovery_lift=_percent(found.discovery_lift),
    )


def _progress_charts(found: Progress, t: Translate) -> dict[str, StackedChart | LineChart | None]:
    points = found.points
    mix = stacked_chart(
        [(p.ended_at[:10], dict(p.mix), f"/sessions/{p.session_id}/scorecard") for p in points],
        description=t("progress.mix_desc", count=len(points)),
    )
    rated = [(p, p.discovery_rate) for p in points if p.discovery_rate is not None]
    discovery = line_chart(
        [
            (p.ended_at[:10], round(rate * 100), f"/sessions/{p.session_id}/scorecard")
            for p, rate in rated
        ],
        description=t("progress.discovery_desc", count=len(rated)),
    )
    return {"mix_chart": mix if points else None, "discovery_chart": discovery if rated else None}


@router.get("/progress")
async def progress_page(
    request: Request,
    user: CurrentUser,
    review: ReviewDep,
    catalog: ScenariosDep,
    conversation: ConversationDep,
    analytics: AnalyticsDep,
    feedback: FeedbackDep,
) -> Response:
    """My finished calls over time: the overall score, the question mix and the discovery
    rate as charts, first/best/latest with the lift, and a table."""
    language, t = translator(request, user)
    query = SessionFilter(user_ids=frozenset({user.user.id}), status="ended", limit=500)
    found = [s for s in await review.sessions(user.actor, query) if s.overall is not None]
    rows = session_rows(
        sorted(found, key=lambda s: s.created_at),
        actor=user.actor,
        scenario_titles={
            r.scenario.id: r.scenario.title(language) for r in await catalog.records()
        },
        style_names={s.name.value: s.label(language) for s in conversation.styles()}
        | {"hidden": t("style.hidden")},
    )
    chart = line_chart(
        [
            (f"{r.created} · {r.scenario}", r.overall or 0, f"/sessions/{r.id}/scorecard")
            for r in rows
        ],
        description=t("progress.chart_desc", count=len(rows)),
    )
    average = round(sum(r.overall or 0 for r in rows) / len(rows)) if rows else None
    over_time = await analytics.progress(user.actor)
    context = {
        "rows": list(reversed(rows)),
        "chart": chart,
        "average": average,
        "milestones": _milestones(over_time.progress, t),
        "unread": {str(k): v for k, v in (await feedback.unread(user.actor)).items()},
        **_progress_charts(over_time.progress, t),
    }
    return render(request, "progress.html", user, context)
