"""The trainer's review desk (/review: their cohorts' calls, filtered and sorted) and the
transcript review (/review/{id}: every turn with its label, overrides with their audit,
comments, and the scorecard beside). Changes go through the JSON API from review.js."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.domain.accounts.access import Actor, may_review
from app.domain.transcript import MoveNumbers
from app.routes.deps import (
    AccountsDep,
    AssignmentsDep,
    ConversationDep,
    ReviewDep,
    ScenariosDep,
    TrainerUser,
    state,
)
from app.routes.pages.account import render
from app.routes.pages.charts import SPIN_LABELS
from app.routes.pages.models import (
    MOVES,
    STYLES,
    ScenarioWords,
    SessionRow,
    scorecard_view,
    session_rows,
    when,
)
from app.routes.pages.practice import Translate, session_exports, session_header, translator
from app.routes.pages.programme_models import describe
from app.services.assignments import Assignments
from app.services.call_events import SessionView
from app.services.ports import LabelOverride, SessionFilter, TurnComment

router = APIRouter(include_in_schema=False)

SORT_KEYS = ("created", "trainee", "scenario", "style", "language", "score")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def _sorted(rows: list[SessionRow], key: str, descending: bool) -> list[SessionRow]:
    def value(row: SessionRow) -> tuple[int, str | int | datetime]:
        if key == "score":
            return (0, row.overall) if row.overall is not None else (1, -1)
        if key == "created":
            return (0, row.created_at)
        return (0, str(getattr(row, key, "")).lower())

    ranked = sorted(rows, key=value, reverse=descending)
    if key == "score":  # unscored calls last whichever way the scores go
        ranked = [r for r in ranked if r.overall is not None] + [
            r for r in ranked if r.overall is None
        ]
    return ranked


Text = Annotated[str | None, Query(max_length=64)]


@dataclass(frozen=True, slots=True)
class DeskFilters:
    """The review desk's GET form, read leniently: a value that does not parse is ignored
    (and shown empty), never an error page."""

    trainee: UUID | None
    scenario: str | None
    style: str | None
    language: str | None
    since: date | None
    until: date | None
    min_score: int | None
    assignment: UUID | None = None

    @classmethod
    def parse(cls, *raw: str | None, assignment: str | None = None) -> "DeskFilters":
        trainee, scenario, style, language, since, until, min_score = raw
        return cls(
            assignment=_uuid(assignment),
            trainee=_uuid(trainee),
            scenario=scenario or None,
            style=style if style in STYLES else None,
            language=language if language in ("en", "zh") else None,
            since=_day(since),
            until=_day(until),
            min_score=min(int(min_score), 100) if min_score and min_score.isdigit() else None,
        )

    def query(self) -> SessionFilter:
        """Dates are whole UTC days; `until` includes its day."""
        return SessionFilter(
            user_ids=frozenset({self.trainee}) if self.trainee else None,
            scenario_id=self.scenario,
            style=self.style,
            language=self.language,
            since=datetime.combine(self.since, time(), UTC) if self.since else None,
            until=(
                datetime.combine(self.until + timedelta(days=1), time(), UTC)
                if self.until
                else None
            ),
            min_score=self.min_score,
            assignment_id=self.assignment,
            limit=500,
        )

    def export_query(self, *, xapi: bool = False) -> str:
        """The same filters for /api/exports (datetimes; xAPI has no style or language).
        The export API has no score filter, so `min_score` is not carried."""
        since, until = self.query().since, self.query().until
        values = {
            "trainee": self.trainee,
            "scenario": self.scenario,
            "style": None if xapi else self.style,
            "language": None if xapi else self.language,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "assignment": self.assignment,
        }
        return urlencode({k: str(v) for k, v in values.items() if v is not None})

    def echo(self) -> dict[str, str]:
        """The form's values as the page shows them (and sort links carry them)."""
        values = {
            "trainee": self.trainee,
            "scenario": self.scenario,
            "style": self.style,
            "language": self.language,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "min_score": self.min_score,
            "assignment": self.assignment,
        }
        return {k: "" if v is None else str(v) for k, v in values.items()}


@router.get("/review")
async def review_desk(
    request: Request,
    user: TrainerUser,
    review: ReviewDep,
    accounts: AccountsDep,
    catalog: ScenariosDep,
    conversation: ConversationDep,
    assignments: AssignmentsDep,
    trainee: Text = None,
    scenario: Text = None,
    style: Text = None,
    language: Text = None,
    since: Text = None,
    until: Text = None,
    min_score: Text = None,
    assignment: Text = None,
    sort: Text = "created",
    dir: Text = "desc",
) -> Response:
    """Trainers and admins: their cohorts' calls. Filters are a plain GET form; columns sort
    on the server, so the URL can be bookmarked and shared."""
    lang, _t = translator(request, user)
    wanted = DeskFilters.parse(
        trainee, scenario, style, language, since, until, min_score, assignment=assignment
    )
    users = await accounts.users(user.actor)
    names = {u.id: u.username for u in users}
    scenarios = [r.scenario for r in await catalog.records()]  # disabled ones have calls too
    titles = {s.id: s.title(lang) for s in scenarios}
    style_names = {s.name.value: s.label(lang) for s in conversation.styles()}
    rows = session_rows(
        await review.sessions(user.actor, wanted.query()),
        actor=user.actor,
        scenario_titles=titles,
        style_names=style_names,
        user_names=names,
    )
    key = sort if sort in SORT_KEYS else "created"
    descending = dir != "asc"
    context = {
        "rows": _sorted(rows, key, descending),
        "filters": wanted.echo(),
        "sort": key,
        "descending": descending,
        "sort_keys": SORT_KEYS,
        "trainees": sorted(
            ((str(u.id), u.username) for u in users if u.role.value == "trainee"),
            key=lambda pair: pair[1],
        ),
        "scenario_options": sorted(titles.items(), key=lambda pair: pair[1]),
        "style_options": list(style_names.items()),
        "assignment_options": await _assignment_options(assignments, user.actor, titles, _t),
        "exports": [
            ("CSV", f"/api/exports/sessions.csv?{wanted.export_query()}", "sessions.csv"),
            ("JSON", f"/api/exports/sessions.json?{wanted.export_query()}", "sessions.json"),
            ("xAPI", f"/api/exports/xapi.json?{wanted.export_query(xapi=True)}", "xapi.json"),
        ],
    }
    return render(request, "review.html", user, context)


async def _assignment_options(
    assignments: Assignments, actor: Actor, titles: Mapping[str, str], t: Translate
) -> list[tuple[str, str]]:
    """The desk's assignment filter: "Die-casting plant · Driver · English · Coach · due …"."""
    options = []
    for a in await assignments.managed(actor):
        due = f" · {t('assign.due', date=a.due_on.isoformat())}" if a.due_on else ""
        label = f"{titles.get(a.scenario_id, a.scenario_id)} · {describe(a, t)}{due}"
        options.append((str(a.id), label))
    return options


def _review_turns(
    view: SessionView, overrides: Sequence[LabelOverride], comments: Sequence[TurnComment]
) -> list[dict[str, object]]:
    """Every turn with its label, the audit of its overrides and its comments."""
    audit: dict[UUID, dict[str, str]] = {}
    for o in overrides:  # oldest first: the first override holds the classifier's label
        entry = audit.setdefault(o.turn_id, {"original": o.old_label.label.value})
        entry |= {"by": o.trainer_name, "at": when(o.created_at)}
    notes: dict[UUID, list[dict[str, str]]] = {}
    for c in comments:
        notes.setdefault(c.turn_id, []).append(
            {"author": c.author_name, "text": c.text, "at": when(c.created_at)}
        )
    turns: list[dict[str, object]] = []
    numbers = MoveNumbers.of_transcript(st.turn for st in view.turns)
    for st in view.turns:
        label = st.turn.label
        turns.append(
            {
                "id": str(st.id),
                "number": numbers.of(st.turn.seq),
                "role": st.turn.role.value,
                "text": st.turn.text,
                "label": label.label.value if label else None,
                "move": label.move.value if label and label.move else "",
                "open": label.open if label else None,
                "confidence": round(label.confidence * 100) if label else None,
                "source": label.source if label else "",
                "audit": audit.get(st.id),
                "comments": notes.get(st.id, []),
            }
        )
    return turns


@router.get("/review/{session_id}")
async def transcript_review(
    request: Request,
    session_id: UUID,
    user: TrainerUser,
    conversation: ConversationDep,
    review: ReviewDep,
    accounts: AccountsDep,
    catalog: ScenariosDep,
) -> Response:
    """Trainers and admins who may see the call. Label changes and comments only for those
    who may review it (the cohort's trainer, admins)."""
    lang, t = translator(request, user)
    view = await conversation.view(user.actor, session_id)
    overrides, comments = await review.audit(user.actor, session_id)
    owner = {u.id: u.username for u in await accounts.users(user.actor)}.get(
        view.session.owner.user_id, ""
    )
    turns = _review_turns(view, overrides, comments)
    messages = state(request)["scorecard_words"]
    scenario = await catalog.scenario(view.session.scenario_id)
    words = ScenarioWords.of(scenario, call=view.session.language, page=lang)
    labels = {key: t(f"label.{key}") for key in SPIN_LABELS}
    config = {
        "labels": labels,
        "moves": {key: t(f"move.{key}") for key in MOVES},
        "me": user.user.username,
        "text": {
            key: t(f"review.{key}")
            for key in ("corrected", "saved", "score_now", "comment_saved", "failed", "saving")
        },
    }
    context = {
        "call": await session_header(view, user.actor, catalog, lang, t),
        "trainee": owner,
        "turns": turns,
        "card": scorecard_view(view.scorecard, messages, lang, labels, words),
        "editable": may_review(user.actor, view.session.owner),
        "config": config,
        "exports": session_exports(session_id),
    }
    return render(request, "review_transcript.html", user, context)
