"""/api/personas, /api/scenarios, /api/sessions, /api/turns and /api/classify."""

from uuid import UUID

from fastapi import APIRouter

from app.domain.call.session import Mode
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.routes.api.filters import SessionQuery
from app.routes.deps import (
    ConversationDep,
    CurrentUser,
    FeedbackDep,
    LabellingDep,
    ReviewDep,
    ScenariosDep,
)
from app.routes.messages import (
    ClassifyIn,
    CommentIn,
    CommentOut,
    EndSessionIn,
    LabelOut,
    LabelOverrideIn,
    OverrideOut,
    ReplyIn,
    ScenarioSummaryOut,
    SessionCreateIn,
    SessionOut,
    SessionSummaryOut,
    StyleOut,
    UnreadOut,
)
from app.routes.wire import (
    comment_out,
    label_out,
    scenario_summary,
    session_out,
    style_out,
    summary_out,
    turn_out,
)

router = APIRouter(prefix="/api", tags=["practice"])


@router.get("/personas")
async def personas(_user: CurrentUser, conversation: ConversationDep) -> list[StyleOut]:
    """The four buyer styles."""
    return [style_out(s) for s in conversation.styles()]


@router.get("/scenarios")
async def scenarios(_user: CurrentUser, catalog: ScenariosDep) -> list[ScenarioSummaryOut]:
    return [scenario_summary(s) for s in await catalog.scenarios()]


@router.post("/sessions", status_code=201)
async def create_session(
    body: SessionCreateIn, user: CurrentUser, conversation: ConversationDep
) -> SessionOut:
    session = await conversation.start(
        user.actor,
        scenario_id=body.scenario_id,
        style=body.style,
        language=Language(body.language),
        mode=Mode(body.mode),
        plan=body.plan,
    )
    return session_out(await conversation.view(user.actor, session.id), user.actor)


@router.get("/sessions")
async def list_sessions(
    user: CurrentUser, review: ReviewDep, query: SessionQuery
) -> list[SessionSummaryOut]:
    """Trainers: their cohorts' sessions (filterable); trainees: their own."""
    return [summary_out(s, user.actor) for s in await review.sessions(user.actor, query)]


@router.get("/sessions/{session_id}")
async def get_session(
    session_id: UUID, user: CurrentUser, conversation: ConversationDep
) -> SessionOut:
    return session_out(await conversation.view(user.actor, session_id), user.actor)


@router.post("/sessions/{session_id}/end")
async def end_session(
    session_id: UUID,
    user: CurrentUser,
    conversation: ConversationDep,
    body: EndSessionIn | None = None,
) -> SessionOut:
    """Ends the call; in hidden-style mode `style_guess` is judged on the scorecard."""
    guess = body.style_guess if body else None
    await conversation.end_call(user.actor, session_id, style_guess=guess)
    return session_out(await conversation.view(user.actor, session_id), user.actor)


@router.patch("/turns/{turn_id}")
async def override_label(
    turn_id: UUID, body: LabelOverrideIn, user: CurrentUser, review: ReviewDep
) -> OverrideOut:
    """Trainers only: correct a label; audited; the scorecard is recomputed."""
    turn, card = await review.override_label(
        user.actor,
        turn_id,
        label=SpinLabel(body.label),
        move=Move(body.move) if body.move else None,
    )
    return OverrideOut(turn=turn_out(turn, with_label=True), scorecard=card)


@router.post("/turns/{turn_id}/comments", status_code=201)
async def comment(
    turn_id: UUID, body: CommentIn, user: CurrentUser, review: ReviewDep
) -> CommentOut:
    return comment_out(await review.comment(user.actor, turn_id, body.text))


@router.post("/turns/{turn_id}/replies", status_code=201)
async def reply(
    turn_id: UUID, body: ReplyIn, user: CurrentUser, feedback: FeedbackDep
) -> CommentOut:
    """The trainee whose call it is answers a coach's comment on that turn."""
    return comment_out(await feedback.reply(user.actor, turn_id, body.text))


@router.get("/me/feedback")
async def unread_feedback(user: CurrentUser, feedback: FeedbackDep) -> UnreadOut:
    """My calls with comments or label corrections I have not read on the scorecard yet."""
    unread = await feedback.unread(user.actor)
    return UnreadOut(total=sum(unread.values()), sessions=unread)


@router.post("/classify")
async def classify(body: ClassifyIn, user: CurrentUser, labelling: LabellingDep) -> list[LabelOut]:
    """Labels moves with the configured judge (offline by default); rate-limited per user."""
    language = None if body.lang == "auto" else Language(body.lang)
    labels = await labelling.label_texts(user.actor, body.texts, language=language)
    return [out for label in labels if (out := label_out(label)) is not None]
