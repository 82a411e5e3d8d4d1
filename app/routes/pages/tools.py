"""The trainer's tools: cohort analytics (/analytics), scenario authoring (/scenarios, the YAML
editor at /scenarios/new and /scenarios/{id}/edit) and real-call analysis (/analyses/new).
Saving a scenario and analysing a call go through the JSON API from
web/static/js/scenario_editor.js and analysis.js; these routes only render."""

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.domain.accounts.access import may_change_scenario
from app.domain.classifier.agreement import Agreement
from app.domain.labels import SpinLabel
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.cohort import MissedProblem, TraineeSummary
from app.routes.deps import (
    AnalysisDep,
    AnalyticsDep,
    AuthoringDep,
    CohortsDep,
    ScenariosDep,
    TrainerUser,
    state,
)
from app.routes.pages.account import render
from app.routes.pages.charts import SPIN_LABELS, Sparkline, sparkline
from app.routes.pages.models import when
from app.routes.pages.practice import Translate, translator
from app.routes.wire import analysis_out

router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Query(max_length=64)]
_ID_LINE = re.compile(r"^id:.*$", re.MULTILINE)


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def _percent(value: float | None) -> int | None:
    return round(value * 100) if value is not None else None


@dataclass(frozen=True, slots=True)
class TraineeRow:
    user_id: str
    username: str
    sessions: int
    mean: float | None
    latest: int | None
    mix: dict[str, int | None]  # label → percent
    discovery: int | None
    spark: Sparkline


@dataclass(frozen=True, slots=True)
class MissedRow:
    problem: str
    times: int


@dataclass(frozen=True, slots=True)
class AgreementView:
    pairs: int
    observed: int | None
    kappa: float | None
    matrix: list[tuple[str, list[int]]]  # classifier label → counts per trainer label


def _trainee_row(row: TraineeSummary, spark_desc: str) -> TraineeRow:
    scores = [s.overall for s in row.scores]
    return TraineeRow(
        user_id=str(row.user_id),
        username=row.username,
        sessions=row.sessions,
        mean=row.mean_overall,
        latest=row.latest_overall,
        mix={key: _percent(row.mix.get(SpinLabel(key))) for key in SPIN_LABELS},
        discovery=_percent(row.discovery_rate),
        spark=sparkline(scores, description=spark_desc.format(scores=", ".join(map(str, scores)))),
    )


def _missed_rows(
    missed: Sequence[MissedProblem],
    scenarios: Mapping[str, Scenario],
    language: Language,
    t: Translate,
) -> list[MissedRow]:
    """Most missed problems in the page's language: a problem missed in English calls and
    in Chinese ones is one problem, counted once, named in the reader's words."""
    counts: Counter[str] = Counter()
    for item in missed:
        scenario = scenarios.get(item.scenario_id)
        if scenario is None:
            counts[f"{t('analytics.removed_scenario')} · {item.problem}"] += item.times
            continue
        names = {p.title(lang): p.title(language) for p in scenario.problems for lang in Language}
        counts[f"{scenario.title(language)} · {names.get(item.problem, item.problem)}"] += (
            item.times
        )
    return [MissedRow(name, times) for name, times in counts.most_common()]


def _agreement(found: Agreement) -> AgreementView:
    return AgreementView(
        pairs=found.pairs,
        observed=_percent(found.observed),
        kappa=found.kappa,
        matrix=[
            (machine, [found.confusion.get(machine, {}).get(t, 0) for t in SPIN_LABELS])
            for machine in SPIN_LABELS
        ],
    )


@router.get("/analytics")
async def analytics_page(
    request: Request,
    user: TrainerUser,
    analytics: AnalyticsDep,
    cohorts: CohortsDep,
    catalog: ScenariosDep,
    cohort: Text = None,
) -> Response:
    """Trainers and admins: per trainee and per cohort, and the classifier's agreement with
    trainers' corrections. Without `cohort`, all the trainer's cohorts."""
    language, t = translator(request, user)
    chosen = _uuid(cohort)
    found = await analytics.cohort(user.actor, chosen)
    # disabled scenarios too: their calls keep their titles
    scenarios = {r.scenario.id: r.scenario for r in await catalog.records()}
    context = {
        "cohorts": [(str(c.id), c.name) for c in await cohorts.visible(user.actor)],
        "chosen": str(chosen) if chosen else "",
        "trainees": [_trainee_row(r, t("analytics.spark_desc")) for r in found.trainees],
        "sessions": found.sessions,
        "mean": found.mean_overall,
        "missed": _missed_rows(found.most_missed_problems, scenarios, language, t),
        "agreement": _agreement(found.agreement),
        "guard": found.guard,
    }
    return render(request, "analytics.html", user, context)


@router.get("/scenarios")
async def scenarios_page(request: Request, user: TrainerUser, authoring: AuthoringDep) -> Response:
    """Trainers and admins: shipped scenarios (read-only, copy as new) and authored ones;
    their author (or an admin) edits, disables or deletes them (scenarios.js)."""
    language, t = translator(request, user)
    rows = [
        {
            "id": r.scenario.id,
            "title": r.scenario.title(language),
            "company": r.scenario.account.company(language),
            "problems": len(r.scenario.problems),
            "shipped": r.shipped,
            "enabled": r.enabled,
            "mine": r.author_id is not None and may_change_scenario(user.actor, r.author_id),
        }
        for r in await authoring.records(user.actor)
    ]
    keys = ("disable", "enable", "delete", "confirm_delete", "in_use", "failed", "working")
    config = {"text": {key: t(f"author.{key}") for key in keys}}
    return render(request, "scenarios.html", user, {"scenarios": rows, "config": config})


def _editor(request: Request, user: TrainerUser, yaml_text: str, editing: str | None) -> Response:
    """The form and YAML editor; its script gets every `author.*` string of the page."""
    language, _t = translator(request, user)
    words = state(request)["locales"].messages(language)
    config = {
        "language": language.value,
        "text": {k.removeprefix("author."): v for k, v in words.items() if k.startswith("author.")},
    }
    context = {"yaml": yaml_text, "editing": editing, "config": config}
    return render(request, "scenario_edit.html", user, context)


@router.get("/scenarios/new")
async def new_scenario(
    request: Request, user: TrainerUser, authoring: AuthoringDep, copy: Text = None
) -> Response:
    """An empty editor, or (`copy`) a scenario's YAML with its id changed, to save as new."""
    text = ""
    if copy:
        source = await authoring.source(user.actor, copy)
        text = _ID_LINE.sub(f"id: {copy}-copy", source, count=1)
    return _editor(request, user, text, None)


@router.get("/scenarios/{scenario_id}/edit")
async def edit_scenario(
    request: Request,
    scenario_id: str,
    user: TrainerUser,
    authoring: AuthoringDep,
    catalog: ScenariosDep,
) -> Response:
    """An authored scenario's YAML as saved, for its author or an admin; anyone else (and a
    shipped scenario, read-only) gets a copy to save as new."""
    record = await catalog.record(scenario_id)
    if record is not None and (
        record.author_id is None or not may_change_scenario(user.actor, record.author_id)
    ):
        return RedirectResponse(f"/scenarios/new?copy={quote(scenario_id)}", status_code=303)
    source = await authoring.source(user.actor, scenario_id)
    return _editor(request, user, source, scenario_id)


@router.get("/analyses")
async def analyses_page(request: Request, user: TrainerUser, analysis: AnalysisDep) -> Response:
    """Trainers and admins: the real calls they analysed, newest first."""
    rows = [
        {
            "id": str(a.id),
            "name": a.name,
            "language": a.language.value,
            "turns": a.turns,
            "overall": a.overall,
            "created": when(a.created_at),
        }
        for a in await analysis.saved(user.actor)
    ]
    return render(request, "analyses.html", user, {"rows": rows})


@router.get("/analyses/new")
async def new_analysis(request: Request, user: TrainerUser) -> Response:
    """Trainers and admins: paste or upload a real call's transcript; analysis.js posts it to
    /api/analyses (which keeps it) and draws the labels and the scorecard."""
    return render(request, "analysis.html", user, {"config": _analysis_config(request, user)})


@router.get("/analyses/{analysis_id}")
async def saved_analysis(
    request: Request, analysis_id: UUID, user: TrainerUser, analysis: AnalysisDep
) -> Response:
    """A saved analysis, drawn by analysis.js from the same JSON the API returns."""
    found = await analysis.get(user.actor, analysis_id)
    saved = analysis_out(found).model_dump(mode="json")
    config = _analysis_config(request, user) | {"saved": saved}
    context = {"config": config, "saved": found, "saved_when": when(found.created_at)}
    return render(request, "analysis.html", user, context)


def _analysis_config(request: Request, user: TrainerUser) -> dict[str, object]:
    language, t = translator(request, user)
    feedback = state(request)["scorecard_words"]
    config: dict[str, object] = {
        "labels": {key: t(f"label.{key}") for key in SPIN_LABELS},
        "messages": {code: text(language) for code, text in feedback.items()},
        "turn_separator": "、" if language is Language.ZH else ", ",
        "text": {
            key: t(f"analysis.{key}")
            for key in (
                "working",
                "done",
                "failed",
                "read_failed",
                "seller",
                "buyer",
                "not_applicable",
                "empty",
                "language_en",
                "language_zh",
            )
        },
    }
    return config
