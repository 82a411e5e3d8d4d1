"""Domain objects to wire models, showing only what the viewer may see
(app/domain/call/visibility.py)."""

from app.domain.accounts.access import Actor
from app.domain.call.session import PracticeSession, StoredTurn
from app.domain.call.visibility import reveals_live, shown_style
from app.domain.codec import to_plain
from app.domain.labels import Label
from app.domain.scenario import Bilingual, Scenario
from app.domain.scorecard.analysis import SavedAnalysis
from app.domain.style import BuyerStyle
from app.routes.messages import (
    AnalysedTurnOut,
    AnalysisOut,
    CommentOut,
    LabelOut,
    ScenarioSummaryOut,
    SessionOut,
    SessionSummaryOut,
    StyleOut,
    TurnOut,
)
from app.services.call_events import SessionView
from app.services.ports import TurnComment
from app.services.real_calls import AnalysedCall


def comment_out(comment: TurnComment) -> CommentOut:
    return CommentOut(
        id=comment.id,
        turn_id=comment.turn_id,
        author_name=comment.author_name,
        text=comment.text,
        created_at=comment.created_at,
    )


def label_model(label: Label) -> LabelOut:
    return LabelOut.model_validate(to_plain(label))


def label_out(label: Label | None) -> LabelOut | None:
    return label_model(label) if label else None


def turn_out(stored: StoredTurn, *, with_label: bool) -> TurnOut:
    turn = stored.turn
    return TurnOut(
        id=stored.id,
        seq=turn.seq,
        role=turn.role.value,
        text=turn.text,
        label=label_out(turn.label) if with_label else None,
        reaction=turn.reaction if with_label else None,
        created_at=stored.created_at,
    )


def summary_out(session: PracticeSession, actor: Actor) -> SessionSummaryOut:
    return SessionSummaryOut(
        id=session.id,
        user_id=session.owner.user_id,
        scenario_id=session.scenario_id,
        style=shown_style(actor, session),
        language=session.language.value,
        mode=session.mode.value,
        kind=session.kind.value,
        status=session.status.value,
        overall=session.overall,
        created_at=session.created_at,
        ended_at=session.ended_at,
    )


def session_out(view: SessionView, actor: Actor) -> SessionOut:
    session = view.session
    live = reveals_live(actor, session)
    return SessionOut(
        **summary_out(session, actor).model_dump(),
        style_hidden=session.style_hidden,
        pending=view.pending,
        turns=[turn_out(t, with_label=live) for t in view.turns],
        state=session.state if live else None,
        scorecard=view.scorecard,
        feedback=list(view.feedback),
        options=session.options,
    )


def analysis_out(found: AnalysedCall | SavedAnalysis) -> AnalysisOut:
    saved = found if isinstance(found, SavedAnalysis) else None
    return AnalysisOut(
        id=saved.id if saved else None,
        name=saved.name if saved else "",
        created_at=saved.created_at if saved else None,
        language=found.language.value,
        overall=found.scorecard.overall,
        turns=[
            AnalysedTurnOut(
                seq=t.seq,
                role=t.role.value,
                speaker=speaker,
                text=t.text,
                label=label_out(t.label),
            )
            for t, speaker in zip(found.turns, found.speakers, strict=True)
        ],
        scorecard=found.scorecard,
    )


def scenario_summary(scenario: Scenario) -> ScenarioSummaryOut:
    def both(text: Bilingual) -> dict[str, str]:
        return {"en": text.en, "zh": text.zh}

    return ScenarioSummaryOut(
        id=scenario.id,
        title=both(scenario.title),
        brief=both(scenario.brief),
        company=both(scenario.account.company),
        buyer_role=both(scenario.account.buyer_role),
        product=both(scenario.account.product),
        problems=len(scenario.problems),
        source=scenario.source,
    )


def style_out(style: BuyerStyle) -> StyleOut:
    return StyleOut(
        id=style.name.value,
        label={"en": style.label.en, "zh": style.label.zh},
        description={"en": style.description.en, "zh": style.description.zh},
        assertiveness=style.assertiveness.value,
        responsiveness=style.responsiveness.value,
        pace=style.pace.value,
    )
