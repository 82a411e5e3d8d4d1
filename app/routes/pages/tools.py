"""The trainer's tools: cohort analytics (/analytics), scenario authoring (/scenarios, the YAML
editor at /scenarios/new and /scenarios/{id}/edit) and real-call analysis (/analyses/new).
Saving a scenario and analysing a call go through the JSON API from
web/static/js/scenario_editor.js and analysis.js; these routes only render."""

import re
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.domain.language import Language
from app.routes.deps import AccountsDep, AnalyticsDep, AuthoringDep, CatalogDep, TrainerUser, state
from app.routes.pages.account import render
from app.routes.pages.charts import SPIN_LABELS, sparkline
from app.routes.pages.models import as_dict, as_list
from app.routes.pages.practice import translator

router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Query(max_length=64)]
_ID_LINE = re.compile(r"^id:.*$", re.MULTILINE)


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def _percent(value: object) -> int | None:
    return round(value * 100) if isinstance(value, int | float) else None


def _trainee_rows(found: dict[str, Any], spark_desc: str) -> list[dict[str, Any]]:
    rows = []
    for row in map(as_dict, as_list(found.get("trainees"))):
        scores = [
            s["overall"]
            for s in map(as_dict, as_list(row.get("scores")))
            if isinstance(s.get("overall"), int)
        ]
        mix = as_dict(row.get("mix"))
        rows.append(
            {
                "user_id": str(row.get("user_id", "")),
                "username": str(row.get("username", "")),
                "sessions": row.get("sessions", 0),
                "mean": row.get("mean_overall"),
                "latest": row.get("latest_overall"),
                "mix": {key: _percent(mix.get(key)) for key in SPIN_LABELS},
                "discovery": _percent(row.get("discovery_rate")),
                "spark": sparkline(
                    scores, description=spark_desc.format(scores=", ".join(map(str, scores)))
                ),
            }
        )
    return rows


def _agreement(found: dict[str, Any]) -> dict[str, Any]:
    raw = as_dict(found.get("agreement"))
    confusion = as_dict(raw.get("confusion"))
    return {
        "pairs": raw.get("pairs") or 0,
        "observed": _percent(raw.get("observed")),
        "kappa": raw.get("kappa"),
        "matrix": [
            (machine, [as_dict(confusion.get(machine)).get(t, 0) for t in SPIN_LABELS])
            for machine in SPIN_LABELS
        ],
    }


@router.get("/analytics")
async def analytics_page(
    request: Request,
    user: TrainerUser,
    analytics: AnalyticsDep,
    accounts: AccountsDep,
    cohort: Text = None,
) -> Response:
    """Trainers and admins: per trainee and per cohort, and the classifier's agreement with
    trainers' corrections. Without `cohort`, all the trainer's cohorts."""
    _lang, t = translator(request, user)
    chosen = _uuid(cohort)
    found = await analytics.cohort(user.actor, chosen)
    context = {
        "cohorts": [(str(c.id), c.name) for c in await accounts.cohorts(user.actor)],
        "chosen": str(chosen) if chosen else "",
        "trainees": _trainee_rows(found, t("analytics.spark_desc")),
        "sessions": found.get("sessions", 0),
        "mean": found.get("mean_overall"),
        "missed": [as_dict(m) for m in as_list(found.get("most_missed_problems"))],
        "agreement": _agreement(found),
    }
    return render(request, "analytics.html", user, context)


@router.get("/scenarios")
async def scenarios_page(request: Request, user: TrainerUser, catalog: CatalogDep) -> Response:
    """Trainers and admins: shipped scenarios (read-only, copy as new) and authored ones."""
    language, _t = translator(request, user)
    rows = [
        {
            "id": s.id,
            "title": s.title(language),
            "company": s.account.company(language),
            "problems": len(s.problems),
            "shipped": s.source != "authored",
        }
        for s in await catalog.scenarios()
    ]
    return render(request, "scenarios.html", user, {"scenarios": rows})


def _editor(request: Request, user: TrainerUser, yaml_text: str, editing: str | None) -> Response:
    language, t = translator(request, user)
    config = {
        "language": language.value,
        "text": {
            key: t(f"author.{key}")
            for key in ("saving", "saved", "invalid", "failed", "read_failed", "starting")
        },
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
    catalog: CatalogDep,
) -> Response:
    """An authored scenario's YAML as saved; a shipped one is read-only, so it is copied."""
    scenario = await catalog.scenario(scenario_id)
    if scenario is not None and scenario.source != "authored":
        return RedirectResponse(f"/scenarios/new?copy={scenario_id}", status_code=303)
    source = await authoring.source(user.actor, scenario_id)
    return _editor(request, user, source, scenario_id)


@router.get("/analyses/new")
async def new_analysis(request: Request, user: TrainerUser) -> Response:
    """Trainers and admins: paste or upload a real call's transcript; analysis.js posts it to
    /api/analyses and draws the labels and the scorecard with the feedback catalogue's words."""
    language, t = translator(request, user)
    feedback = state(request)["feedback"]
    config = {
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
    return render(request, "analysis.html", user, {"config": config})
