"""Review and progress over HTTP: practice loops, the audit of a session, progress charts,
cohort analytics, scenario authoring and real-call analysis."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from app.domain.call.session import DrillKind
from app.domain.language import Language
from app.routes.deps import (
    AnalysisDep,
    AnalyticsDep,
    AuthoringDep,
    ConversationDep,
    CurrentUser,
    LoopsDep,
    ReviewDep,
    TrainerUser,
)
from app.routes.messages import (
    AnalysisIn,
    AnalysisOut,
    AnalysisSummaryOut,
    AuditOut,
    DrillIn,
    OverrideAuditOut,
    ProgressOut,
    RecognitionWarningOut,
    RetryFromIn,
    ScenarioEnabledIn,
    ScenarioSavedOut,
    ScenarioSourceOut,
    ScenarioYamlIn,
    SessionOut,
)
from app.routes.wire import (
    analysis_out,
    comment_out,
    label_model,
    scenario_summary,
    session_out,
    summary_out,
)
from app.services.analytics import CohortReport

router = APIRouter(prefix="/api", tags=["review"])


@router.post("/sessions/{session_id}/again", status_code=201)
async def practise_again(
    session_id: UUID, user: CurrentUser, loops: LoopsDep, conversation: ConversationDep
) -> SessionOut:
    """A new call with the same scenario, style, language and mode."""
    session = await loops.again(user.actor, session_id)
    return session_out(await conversation.view(user.actor, session.id), user.actor)


@router.post("/sessions/{session_id}/retry", status_code=201)
async def retry_from_turn(
    session_id: UUID,
    body: RetryFromIn,
    user: CurrentUser,
    loops: LoopsDep,
    conversation: ConversationDep,
) -> SessionOut:
    """A new call that replays this one up to the chosen move, to try it differently."""
    session = await loops.retry_from(user.actor, session_id, seq=body.seq)
    return session_out(await conversation.view(user.actor, session.id), user.actor)


@router.post("/drills", status_code=201)
async def start_drill(
    body: DrillIn, user: CurrentUser, loops: LoopsDep, conversation: ConversationDep
) -> SessionOut:
    """An implication or need-payoff drill: the buyer hands over a problem."""
    session = await loops.drill(
        user.actor,
        scenario_id=body.scenario_id,
        kind=DrillKind(body.kind),
        style=body.style,
        language=Language(body.language),
        problem_id=body.problem_id,
    )
    return session_out(await conversation.view(user.actor, session.id), user.actor)


@router.get("/sessions/{session_id}/audit")
async def audit(session_id: UUID, user: CurrentUser, review: ReviewDep) -> AuditOut:
    """Label overrides (who, when, from what to what) and comments on a session."""
    overrides, comments = await review.audit(user.actor, session_id)
    return AuditOut(
        overrides=[
            OverrideAuditOut(
                turn_id=o.turn_id,
                trainer_name=o.trainer_name,
                old_label=label_model(o.old_label),
                new_label=label_model(o.new_label),
                created_at=o.created_at,
            )
            for o in overrides
        ],
        comments=[comment_out(c) for c in comments],
    )


@router.get("/progress")
async def progress(
    user: CurrentUser, analytics: AnalyticsDep, trainee: UUID | None = None
) -> ProgressOut:
    """A trainee's finished sessions over time (trainers may pass `trainee`)."""
    report = await analytics.progress(user.actor, trainee)
    return ProgressOut(
        progress=report.progress, sessions=[summary_out(s, user.actor) for s in report.sessions]
    )


@router.get("/analytics")
async def cohort_analytics(
    user: TrainerUser, analytics: AnalyticsDep, cohort: UUID | None = None
) -> CohortReport:
    """Per trainee and cohort: scores, mix, discovery, missed problems, classifier agreement."""
    return await analytics.cohort(user.actor, cohort)


@router.get("/scenarios/{scenario_id}/source")
async def scenario_source(
    scenario_id: str, user: TrainerUser, authoring: AuthoringDep
) -> ScenarioSourceOut:
    return ScenarioSourceOut(id=scenario_id, yaml=await authoring.source(user.actor, scenario_id))


@router.post("/scenarios", status_code=201)
async def save_scenario(
    body: ScenarioYamlIn, user: TrainerUser, authoring: AuthoringDep
) -> ScenarioSavedOut:
    """Creates an authored scenario, or stores the next version of one the trainer wrote
    (admins: any); errors name each invalid field, warnings the items the buyer would find
    hard to recognise. Calls keep the version they started on."""
    saved = await authoring.save(user.actor, body.yaml)
    summary = scenario_summary(saved.scenario)
    warnings = [
        RecognitionWarningOut(item_id=w.item_id, language=w.language, code=w.code, words=w.words)
        for w in saved.warnings
    ]
    return ScenarioSavedOut(**summary.model_dump(), warnings=warnings)


@router.delete("/sessions/{session_id}", status_code=204)
async def discard_session(session_id: UUID, user: CurrentUser, loops: LoopsDep) -> None:
    """The trainee's own unfinished call, deleted with its turns; an ended call is kept
    (409 `session_ended`)."""
    await loops.discard(user.actor, session_id)


@router.patch("/scenarios/{scenario_id}", status_code=204)
async def set_scenario_enabled(
    scenario_id: Annotated[str, Path(max_length=64)],
    body: ScenarioEnabledIn,
    user: TrainerUser,
    authoring: AuthoringDep,
) -> None:
    """Its author or an admin: a disabled scenario is offered for no new call."""
    await authoring.set_enabled(user.actor, scenario_id, enabled=body.enabled)


@router.delete("/scenarios/{scenario_id}", status_code=204)
async def delete_scenario(
    scenario_id: Annotated[str, Path(max_length=64)], user: TrainerUser, authoring: AuthoringDep
) -> None:
    """Its author or an admin, and only if no call was played on it (409: disable it)."""
    await authoring.delete(user.actor, scenario_id)


@router.post("/analyses")
async def analyse_call(body: AnalysisIn, user: TrainerUser, analysis: AnalysisDep) -> AnalysisOut:
    """Labels and scores a transcript of a real call with the same rubric, and keeps it in
    the trainer's list of analyses; rate-limited."""
    saved = await analysis.analyse_and_save(
        user.actor,
        text=body.text,
        form=body.format,
        language=Language(body.language) if body.language else None,
        seller=body.seller,
        name=body.name,
    )
    return analysis_out(saved)


@router.get("/analyses")
async def list_analyses(user: TrainerUser, analysis: AnalysisDep) -> list[AnalysisSummaryOut]:
    """The trainer's saved analyses, newest first (an admin's: everyone's)."""
    return [
        AnalysisSummaryOut(
            id=a.id,
            name=a.name,
            language=a.language.value,
            overall=a.overall,
            turns=a.turns,
            created_at=a.created_at,
        )
        for a in await analysis.saved(user.actor)
    ]


@router.get("/analyses/{analysis_id}")
async def get_analysis(analysis_id: UUID, user: TrainerUser, analysis: AnalysisDep) -> AnalysisOut:
    return analysis_out(await analysis.get(user.actor, analysis_id))
