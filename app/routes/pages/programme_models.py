"""View models of the programme's pages: invites, assignments as lists show them, the
trainee's "Assigned to you" cards and the coach's feedback on a scorecard."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from app.domain.accounts.users import Invite
from app.domain.call.assignment import Assignment, AssignmentStatus, Completion
from app.domain.language import Language
from app.routes.pages.models import when
from app.services.feedback import CallFeedback
from app.services.ports import ScenarioCatalog

Translate = Callable[..., str]


@dataclass(frozen=True, slots=True)
class InviteRow:
    code: str
    link: str
    uses: int
    max_uses: int
    expires: str
    status: str


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """An assignment as a list shows it: what to practise, for whom, due when."""

    id: str
    title: str
    settings: str
    target: str
    due: str
    note: str


def invite_rows(invites: Sequence[Invite], *, now: datetime, origin: str) -> list[InviteRow]:
    return [
        InviteRow(
            code=i.code,
            link=f"{origin}/register?code={i.code}",
            uses=i.uses,
            max_uses=i.max_uses,
            expires=when(i.expires_at)[:10],
            status=i.status(now).value,
        )
        for i in invites
    ]


def describe(assignment: Assignment, t: Translate) -> str:
    """ "Driver · English · Coach", or "Implication drill · Chinese"."""
    language = t(f"language.{assignment.language.value}")
    if assignment.drill is not None:
        return f"{t(f'assign.drill_{assignment.drill.value}')} · {language}"
    style = t(f"style.{assignment.style}")
    return f"{style} · {language} · {t(f'mode.{assignment.mode.value}')}"


async def assignment_rows(
    found: Sequence[Assignment],
    *,
    catalog: ScenarioCatalog,
    language: Language,
    t: Translate,
    names: dict[UUID, str],
) -> list[AssignmentRow]:
    titles = {s.id: s.title(language) for s in await catalog.scenarios()}
    return [
        AssignmentRow(
            id=str(a.id),
            title=titles.get(a.scenario_id, a.scenario_id),
            settings=describe(a, t),
            target=names.get(a.cohort_id or a.user_id or a.id, ""),
            due=a.due_on.isoformat() if a.due_on else "",
            note=a.note,
        )
        for a in found
    ]


@dataclass(frozen=True, slots=True)
class AssignedCard:
    """One of the trainee's assignments on the home page."""

    id: str
    title: str
    settings: str
    due: str
    overdue: bool
    note: str
    status: str
    best: int | None
    resume_id: str


def assigned_cards(
    rows: Sequence[tuple[Assignment, Completion]],
    *,
    titles: Mapping[str, str],
    t: Translate,
    today: date,
) -> list[AssignedCard]:
    return [
        AssignedCard(
            id=str(a.id),
            title=titles.get(a.scenario_id, a.scenario_id),
            settings=describe(a, t),
            due=a.due_on.isoformat() if a.due_on else "",
            overdue=done.is_overdue(a.due_on, today),
            note=a.note,
            status=done.status.value,
            best=done.best,
            resume_id=str(done.active_session_id)
            if done.status is AssignmentStatus.IN_PROGRESS and done.active_session_id
            else "",
        )
        for a, done in rows
    ]


@dataclass(frozen=True, slots=True)
class CommentView:
    id: str
    author: str
    text: str
    at: str
    mine: bool


@dataclass(slots=True)
class TurnFeedbackView:
    """What the scorecard shows at one turn: the coach's correction as a sentence, and the
    comments with the trainee's replies."""

    turn_id: str
    number: int
    relabel: str = ""
    comments: list[CommentView] = field(default_factory=list)
    can_reply: bool = False


def _relabel_sentence(
    turn: int, label: str, move: str | None, before: int | None, after: int | None, t: Translate
) -> str:
    phrase = (
        t(f"feedback.as_move.{move}") if label == "other" and move else t(f"feedback.as.{label}")
    )
    if before is not None and after is not None:
        return t("feedback.relabel_score", turn=turn, label=phrase, before=before, after=after)
    return t("feedback.relabel", turn=turn, label=phrase)


def feedback_views(
    found: CallFeedback, *, viewer: UUID, owner: UUID, t: Translate
) -> dict[int, TurnFeedbackView]:
    """By turn seq. The owner may reply where someone else commented."""
    views: dict[int, TurnFeedbackView] = {}
    for item in found.turns:
        view = TurnFeedbackView(turn_id=str(item.turn_id), number=item.seq + 1)
        if item.relabel is not None:
            latest = item.relabel.latest.new_label
            view.relabel = _relabel_sentence(
                view.number,
                latest.label.value,
                latest.move.value if latest.move else None,
                item.relabel.score_before,
                item.relabel.score_after,
                t,
            )
        view.comments = [
            CommentView(str(c.id), c.author_name, c.text, when(c.created_at), c.author_id == viewer)
            for c in item.comments
        ]
        view.can_reply = viewer == owner and any(c.author_id != owner for c in item.comments)
        views[item.seq] = view
    return views
