"""Domain objects to wire models, with what a viewer may see: in exam mode a trainee sees no
labels or mood until the call ends; a hidden style stays hidden until then."""

from app.domain.accounts.access import Actor, UserRole
from app.domain.call.session import Mode, PracticeSession, StoredTurn
from app.domain.labels import Label, label_to_dict
from app.domain.scenario import Bilingual, Scenario
from app.domain.style import BuyerStyle
from app.routes.messages import (
    LabelOut,
    ScenarioSummaryOut,
    SessionOut,
    SessionSummaryOut,
    StyleOut,
    TurnOut,
)
from app.services.call_events import SessionView


def reveals_live(actor: Actor, session: PracticeSession) -> bool:
    """Labels and the buyer's mood: shown live in coach mode, to reviewers, and after the end."""
    return (
        session.mode is Mode.COACH
        or session.is_ended
        or (actor.role is not UserRole.TRAINEE and actor.id != session.owner.user_id)
    )


def shown_style(actor: Actor, session: PracticeSession) -> str:
    if session.style_hidden and not session.is_ended and actor.id == session.owner.user_id:
        return "hidden"
    return session.style.value


def label_model(label: Label) -> LabelOut:
    return LabelOut.model_validate(label_to_dict(label))


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
        state=session.state.to_dict() if live else None,
        scorecard=view.scorecard,
        options=session.options,
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
