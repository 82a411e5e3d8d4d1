"""View models for the pages: plain dicts and dataclasses the templates read, built
defensively from the scorecard's JSON (app/domain/scorecard/card.py `to_dict`), so a missing or
renamed key shows less, never an error page. Chart geometry is in app/routes/pages/charts.py."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from app.domain.accounts.access import Actor
from app.domain.call.session import PracticeSession
from app.domain.language import Language
from app.domain.scenario import Bilingual
from app.domain.scorecard.feedback import render
from app.routes.pages.charts import SPIN_LABELS, BarChart, bar_chart
from app.routes.wire import shown_style

MOVES = ("pitch", "rapport", "summary", "commitment", "other")
STYLES = ("analytical", "driver", "amiable", "expressive")


def as_list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def as_dict(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return round(value)
    return None


def as_float(value: object, default: float = 0.0) -> float:
    if isinstance(value, bool):
        return default
    return float(value) if isinstance(value, int | float) else default


def turn_numbers(seqs: object) -> str:
    """Turn numbers shown to people are seq + 1 (as in the feedback catalogue)."""
    return ", ".join(str(s + 1) for s in as_list(seqs) if isinstance(s, int))


@dataclass(slots=True)
class DiscoveryNode:
    id: str
    title: str
    turn: int | None
    children: list["DiscoveryNode"] = field(default_factory=list)


@dataclass(slots=True)
class ScorecardView:
    """What the scorecard and the review pages show; every field has a harmless default."""

    overall: int | None = None
    components: list[dict[str, Any]] = field(default_factory=list)
    mix: BarChart | None = None
    open_count: int = 0
    closed_count: int = 0
    discovery: list[DiscoveryNode] = field(default_factory=list)
    discovery_counts: list[tuple[str, int, int]] = field(default_factory=list)
    discovery_applicable: bool = True
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    outcome: str | None = None
    outcome_reason: str | None = None
    coaching: list[dict[str, Any]] = field(default_factory=list)


def _nodes(discovery: Mapping[str, Any], kind: str) -> list[tuple[DiscoveryNode, str | None]]:
    """Found items (with the turn that unlocked them), then missed ones, with their parent."""
    tally = as_dict(discovery.get(kind))
    out: list[tuple[DiscoveryNode, str | None]] = []
    for entry in as_list(tally.get("found")) + as_list(tally.get("missed")):
        e = as_dict(entry)
        seq = e.get("seq")
        turn = seq + 1 if isinstance(seq, int) and not isinstance(seq, bool) else None
        node = DiscoveryNode(str(e.get("id", "")), str(e.get("title") or e.get("id", "")), turn)
        parent = e.get("parent_id")
        out.append((node, parent if isinstance(parent, str) else None))
    return out


def _tree(discovery: Mapping[str, Any]) -> list[DiscoveryNode]:
    """Problems → implications → needs. Items whose parent is not listed (a problem a drill
    handed over) are kept at the top level rather than dropped."""
    problems = [node for node, _ in _nodes(discovery, "problems")]
    by_id = {p.id: p for p in problems}
    implications: dict[str, DiscoveryNode] = {}
    orphans: list[DiscoveryNode] = []
    for node, parent in _nodes(discovery, "implications"):
        implications[node.id] = node
        (by_id[parent].children if parent in by_id else orphans).append(node)
    for node, parent in _nodes(discovery, "needs"):
        (implications[parent].children if parent in implications else orphans).append(node)
    return problems + orphans


def scorecard_view(
    card: Mapping[str, Any] | None,
    messages: Mapping[str, Bilingual],
    language: Language,
    label_names: Mapping[str, str],
) -> ScorecardView:
    """`label_names` are the page's words for the five SPIN labels."""
    view = ScorecardView()
    if not card:
        return view

    def say(code: str, params: Mapping[str, Any] | None = None, seqs: object = ()) -> str:
        values = {"turns": turn_numbers(seqs), **as_dict(params)}
        return render(code, values, messages, language)

    view.overall = as_int(card.get("overall"))
    for comp in as_list(card.get("components")):
        c = as_dict(comp)
        name = str(c.get("component", ""))
        if not name:
            continue
        view.components.append(
            {
                "key": name,
                "name": say(f"component.{name}"),
                "points": as_float(c.get("points")),
                "max": as_float(c.get("max_points")),
                "applicable": c.get("applicable", True) is not False,
                "parts": [
                    {
                        "name": say(f"part.{p.get('part', '')}"),
                        "points": as_float(p.get("points")),
                        "max": as_float(p.get("max_points")),
                        "turns": turn_numbers(p.get("seqs")),
                    }
                    for p in map(as_dict, as_list(c.get("parts")))
                ],
            }
        )
    mix = as_dict(card.get("mix"))
    counts = {
        str(as_dict(c).get("label")): as_int(as_dict(c).get("count")) or 0
        for c in as_list(mix.get("counts"))
    }
    bars = [(key, label_names.get(key, key), counts.get(key, 0)) for key in SPIN_LABELS]
    summary = ", ".join(f"{label}: {value}" for _, label, value in bars)
    view.mix = bar_chart(bars, description=summary)
    view.open_count = len(as_list(mix.get("open_seqs")))
    view.closed_count = len(as_list(mix.get("closed_seqs")))

    discovery = as_dict(card.get("discovery"))
    view.discovery_applicable = discovery.get("applicable", True) is not False
    view.discovery = _tree(discovery)
    for kind in ("problems", "implications", "needs"):
        tally = as_dict(discovery.get(kind))
        view.discovery_counts.append(
            (kind, len(as_list(tally.get("found"))), as_int(tally.get("total")) or 0)
        )

    for finding in map(as_dict, as_list(card.get("findings"))):
        code = str(finding.get("code", ""))
        if not code:
            continue
        section = str(finding.get("section") or code.split(".", 1)[0])
        view.sections.setdefault(section, []).append(
            {
                "code": code,
                "text": say(code, finding.get("params"), finding.get("seqs")),
                "turns": turn_numbers(finding.get("seqs")),
                "points": as_float(finding.get("points")),
            }
        )
    outcome = as_dict(card.get("outcome"))
    if outcome.get("applicable", True) is not False and outcome.get("outcome"):
        view.outcome = say(f"term.{outcome['outcome']}")
        reason = str(outcome.get("reason") or "")
        matching = [f for f in view.sections.get("outcome", []) if f["code"] == reason]
        view.outcome_reason = matching[0]["text"] if matching else (say(reason) if reason else None)
    for tip in map(as_dict, as_list(card.get("coaching"))):
        seq = tip.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            continue
        better = as_dict(tip.get("better"))
        view.coaching.append(
            {
                "seq": seq,
                "turn": seq + 1,
                "why": say(str(tip.get("code", "")), tip.get("params"), [seq]),
                "better": str(better["text"]) if better.get("text") else None,
                "better_label": str(better.get("label") or ""),
            }
        )
    return view


def when(moment: datetime | None) -> str:
    """Dates on pages: UTC, minutes, the same in both languages."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else ""


def pick(text: Mapping[str, str] | Bilingual, language: Language) -> str:
    if isinstance(text, Bilingual):
        return text(language)
    return text.get(language.value) or text.get("en") or ""


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    user_id: str
    trainee: str
    scenario_id: str
    scenario: str
    style: str
    language: str
    mode: str
    ended: bool
    overall: int | None
    created: str
    created_at: datetime


def session_rows(
    sessions: Sequence[PracticeSession],
    *,
    actor: Actor,
    scenario_titles: Mapping[str, str],
    style_names: Mapping[str, str],
    user_names: Mapping[UUID, str] | None = None,
) -> list[SessionRow]:
    rows = []
    for s in sessions:
        style = shown_style(actor, s)
        rows.append(
            SessionRow(
                id=str(s.id),
                user_id=str(s.owner.user_id),
                trainee=(user_names or {}).get(s.owner.user_id, ""),
                scenario_id=s.scenario_id,
                scenario=scenario_titles.get(s.scenario_id, s.scenario_id),
                style=style_names.get(style, style),
                language=s.language.value,
                mode=s.mode.value,
                ended=s.is_ended,
                overall=s.overall,
                created=when(s.created_at),
                created_at=s.created_at,
            )
        )
    return rows
