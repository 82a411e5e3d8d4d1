"""View models for the pages: typed dataclasses the templates read, built from the domain's
Scorecard and sessions in the page's language. Chart geometry is in `charts`."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from app.domain.accounts.access import Actor
from app.domain.call.session import PracticeSession
from app.domain.call.visibility import shown_style
from app.domain.language import Language
from app.domain.scenario import Bilingual, Scenario
from app.domain.scorecard.card import Scorecard
from app.domain.scorecard.discovery import DiscoveryItem, DiscoveryReport
from app.domain.scorecard.feedback import ALTERNATING, render, turn_list
from app.domain.scorecard.finding import ParamValue
from app.domain.transcript import MoveNumbers
from app.routes.pages.charts import SPIN_LABELS, BarChart, bar_chart

MOVES = ("pitch", "rapport", "summary", "commitment", "other")
STYLES = ("analytical", "driver", "amiable", "expressive")


def number(value: float | None) -> str:
    """Scores and points on pages: at most one decimal, no trailing zero, the same digits in
    both languages (and as analysis.js writes them)."""
    if value is None:
        return "–"
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


@dataclass(slots=True)
class DiscoveryNode:
    id: str
    title: str
    turn: int | None
    children: list["DiscoveryNode"] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PartView:
    name: str
    points: float
    max: float
    turns: str


@dataclass(frozen=True, slots=True)
class ComponentView:
    key: str
    name: str
    points: float
    max: float
    applicable: bool
    parts: tuple[PartView, ...]


@dataclass(frozen=True, slots=True)
class FindingView:
    code: str
    text: str
    turns: str
    points: float


@dataclass(slots=True)
class TipView:
    seq: int
    turn: int
    why: str
    better: str | None
    better_label: str
    said: str = ""


@dataclass(slots=True)
class ScorecardView:
    """What the scorecard and the review pages show, in the page's language."""

    overall: int | None = None
    components: list[ComponentView] = field(default_factory=list)
    mix: BarChart | None = None
    open_count: int = 0
    closed_count: int = 0
    discovery: list[DiscoveryNode] = field(default_factory=list)
    discovery_counts: list[tuple[str, int, int]] = field(default_factory=list)
    discovery_applicable: bool = True
    sections: dict[str, list[FindingView]] = field(default_factory=dict)
    outcome: str | None = None
    outcome_reason: str | None = None
    coaching: list[TipView] = field(default_factory=list)


def _node(item: DiscoveryItem, words: "ScenarioWords", numbers: MoveNumbers) -> DiscoveryNode:
    title = words.titles.get(item.id) or item.title or item.id
    turn = numbers.of(item.seq) if item.seq is not None else None
    return DiscoveryNode(item.id, title, turn)


def _tree(
    discovery: DiscoveryReport, words: "ScenarioWords", numbers: MoveNumbers
) -> list[DiscoveryNode]:
    """Problems → implications → needs, found ones first. Items whose parent is not listed
    (a problem a drill handed over) are kept at the top level rather than dropped."""
    found = (*discovery.problems.found, *discovery.problems.missed)
    problems = [_node(i, words, numbers) for i in found]
    by_id = {p.id: p for p in problems}
    implications: dict[str, DiscoveryNode] = {}
    orphans: list[DiscoveryNode] = []
    for item in (*discovery.implications.found, *discovery.implications.missed):
        node = implications[item.id] = _node(item, words, numbers)
        parent = by_id.get(item.parent_id or "")
        (parent.children if parent else orphans).append(node)
    for item in (*discovery.needs.found, *discovery.needs.missed):
        parent = implications.get(item.parent_id or "")
        (parent.children if parent else orphans).append(_node(item, words, numbers))
    return problems + orphans


@dataclass(frozen=True, slots=True)
class ScenarioWords:
    """The scenario's titles in the page's language. A scorecard names problems, needs and
    the advance in the language of the call; a page in the other language shows them in its
    own, so no sentence mixes the two ("客户承认了“Operator turnover”" is never shown)."""

    titles: Mapping[str, str]  # item id → title in the page's language
    texts: Mapping[str, str]  # the same text in the call's language → in the page's

    @classmethod
    def of(cls, scenario: Scenario | None, *, call: Language, page: Language) -> "ScenarioWords":
        if scenario is None:
            return cls({}, {})
        named: list[tuple[str, Bilingual]] = [(p.id, p.title) for p in scenario.problems]
        named += [(i.id, i.title) for _, i in scenario.implications()]
        named += [(n.id, n.title) for _, _, n in scenario.needs()]
        texts = {b(call): b(page) for _, b in named}
        texts[scenario.advance.description(call)] = scenario.advance.description(page)
        return cls({item_id: b(page) for item_id, b in named}, texts)

    def param(self, value: ParamValue) -> ParamValue:
        return self.texts.get(value, value) if isinstance(value, str) else value


NO_WORDS = ScenarioWords({}, {})


class _Say:
    """Codes to sentences in the page's language, `{turns}` filled with turn numbers."""

    def __init__(
        self,
        messages: Mapping[str, Bilingual],
        language: Language,
        words: ScenarioWords = NO_WORDS,
        numbers: MoveNumbers = ALTERNATING,
    ) -> None:
        self._messages = messages
        self._language = language
        self._words = words
        self.numbers = numbers

    @property
    def language(self) -> Language:
        return self._language

    def __call__(
        self, code: str, params: Mapping[str, ParamValue] | None = None, seqs: Iterable[int] = ()
    ) -> str:
        values: dict[str, ParamValue] = {"turns": turn_list(seqs, self._language, self.numbers)}
        values |= {key: self._words.param(value) for key, value in (params or {}).items()}
        return render(code, values, self._messages, self._language)


def _components(card: Scorecard, say: _Say) -> list[ComponentView]:
    return [
        ComponentView(
            key=c.component.value,
            name=say(f"component.{c.component.value}"),
            points=c.points,
            max=c.max_points,
            applicable=c.applicable,
            parts=tuple(
                PartView(
                    say(f"part.{p.part.value}"),
                    p.points,
                    p.max_points,
                    turn_list(p.seqs, say.language, say.numbers),
                )
                for p in c.parts
            ),
        )
        for c in card.components
    ]


def _sections(card: Scorecard, say: _Say) -> dict[str, list[FindingView]]:
    sections: dict[str, list[FindingView]] = {}
    for finding in (*card.findings, *card.extras.findings):
        code = finding.code.value
        sections.setdefault(finding.section.value, []).append(
            FindingView(
                code,
                say(code, finding.params, finding.seqs),
                turn_list(finding.seqs, say.language, say.numbers),
                finding.points,
            )
        )
    return sections


def scorecard_view(
    card: Scorecard | None,
    messages: Mapping[str, Bilingual],
    language: Language,
    label_names: Mapping[str, str],
    words: ScenarioWords = NO_WORDS,
) -> ScorecardView:
    """`label_names` are the page's words for the five SPIN labels; `words` the scenario's
    titles in the page's language."""
    view = ScorecardView()
    if card is None:
        return view
    say = _Say(messages, language, words, card.numbers)
    view.overall = card.overall
    view.components = _components(card, say)
    counts = {c.label.value: c.count for c in card.mix.counts}
    bars = [(key, label_names.get(key, key), counts.get(key, 0)) for key in SPIN_LABELS]
    summary = ", ".join(f"{label}: {value}" for _, label, value in bars)
    view.mix = bar_chart(bars, description=summary)
    view.open_count = len(card.mix.open_seqs)
    view.closed_count = len(card.mix.closed_seqs)
    discovery = card.discovery
    view.discovery_applicable = discovery.applicable
    view.discovery = _tree(discovery, words, card.numbers)
    view.discovery_counts = [
        (kind, len(tally.found), tally.total)
        for kind, tally in (
            ("problems", discovery.problems),
            ("implications", discovery.implications),
            ("needs", discovery.needs),
        )
    ]
    view.sections = _sections(card, say)
    outcome = card.outcome
    if outcome.applicable and outcome.outcome is not None:
        view.outcome = say(f"term.{outcome.outcome.value}")
        reason = outcome.reason.value
        matching = [f for f in view.sections.get("outcome", []) if f.code == reason]
        view.outcome_reason = matching[0].text if matching else say(reason)
    view.coaching = [
        TipView(
            seq=tip.seq,
            turn=card.numbers.of(tip.seq),
            why=say(tip.code.value, tip.params, [tip.seq]),
            better=tip.better.text if tip.better else None,
            better_label=tip.better.label.value if tip.better else "",
        )
        for tip in card.coaching
    ]
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
