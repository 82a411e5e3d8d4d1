"""The reveal rules (SPIN.md §2): which scenario item, if any, a move unlocks. Facts go to
situation questions, problems to problem questions, implications to implication questions
about a surfaced problem, needs to need-payoff questions about a developed implication."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.reading.topics import TopicIndex, analyse
from app.domain.scenario import Fact, Implication, NeedPayoff, Problem, Scenario


@dataclass(frozen=True, slots=True)
class Scores:
    """A move's topic scores per kind of scenario item (item id → score)."""

    facts: dict[str, float]
    problems: dict[str, float]
    implications: dict[str, float]
    needs: dict[str, float]
    advance: float

    def topics(self) -> tuple[str, ...]:
        """Every touched id, best first (for `Label.topics`)."""
        merged: dict[str, float] = {}
        for group in (self.facts, self.problems, self.implications, self.needs):
            merged.update(group)
        return tuple(sorted(merged, key=lambda k: -merged[k]))


class Matcher:
    """Topic indexes over one scenario, built once per call."""

    __slots__ = ("_advance", "_facts", "_implications", "_needs", "_problems", "scenario")

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._facts = TopicIndex((f.id, f.cues) for f in scenario.facts)
        self._problems = TopicIndex((p.id, p.cues) for p in scenario.problems)
        self._implications = TopicIndex((i.id, i.cues) for _, i in scenario.implications())
        self._needs = TopicIndex((n.id, n.cues) for _, _, n in scenario.needs())
        self._advance = TopicIndex([("advance", scenario.advance.cues)])

    def score(self, text: str) -> Scores:
        analysed = analyse(text)

        def as_dict(index: TopicIndex) -> dict[str, float]:
            return {m.id: m.score for m in index.match_analysed(analysed)}

        advance = self._advance.match_analysed(analysed)
        return Scores(
            facts=as_dict(self._facts),
            problems=as_dict(self._problems),
            implications=as_dict(self._implications),
            needs=as_dict(self._needs),
            advance=advance[0].score if advance else 0.0,
        )


@lru_cache(maxsize=64)
def matcher_for(scenario: Scenario) -> Matcher:
    """The scenario's compiled topic indexes, memoised: compiling takes milliseconds, and the
    conversation service builds a Director for every move. Pure (scenarios are immutable)."""
    return Matcher(scenario)


def best(candidates: Iterable[tuple[float, int, str]]) -> str | None:
    """The id with the highest score (ties go to the earlier item in the scenario)."""
    ranked = sorted((c for c in candidates if c[0] > 0), key=lambda c: (-c[0], c[1]))
    return ranked[0][2] if ranked else None


def pick_facts(
    scenario: Scenario, scores: Scores, state: DiscoveryState, *, extra: int
) -> tuple[list[Fact], bool]:
    """The facts a situation question earns: the best-matching one, plus up to `extra`
    related facts not yet given (further matches first, then the next facts in the
    scenario's order). The flag says whether the best match was already given."""
    order = {f.id: n for n, f in enumerate(scenario.facts)}
    by_id = {f.id: f for f in scenario.facts}
    top = best((score, order[fid], fid) for fid, score in scores.facts.items())
    if top is None:
        return [], False
    if top in state.facts:
        fresh = [fid for fid in scores.facts if fid not in state.facts]
        top_fresh = best((scores.facts[fid], order[fid], fid) for fid in fresh)
        if top_fresh is None:
            return [by_id[top]], True
        top = top_fresh
    chosen = [top]
    matched = sorted(
        (fid for fid in scores.facts if fid != top and fid not in state.facts),
        key=lambda fid: (-scores.facts[fid], order[fid]),
    )
    following = [f.id for f in scenario.facts[order[top] + 1 :] if f.id not in state.facts]
    following += [f.id for f in scenario.facts[: order[top]] if f.id not in state.facts]
    for fid in [*matched, *following]:
        if len(chosen) > extra:
            break
        if fid not in chosen:
            chosen.append(fid)
    return [by_id[fid] for fid in chosen], False


def pick_problem(scenario: Scenario, scores: Scores, state: DiscoveryState) -> Problem | None:
    """The best-matching problem not yet surfaced."""
    order = {p.id: n for n, p in enumerate(scenario.problems)}
    top = best(
        (score, order[pid], pid)
        for pid, score in scores.problems.items()
        if pid not in state.problems
    )
    return next((p for p in scenario.problems if p.id == top), None)


def pick_implication(
    scenario: Scenario, scores: Scores, state: DiscoveryState
) -> tuple[Problem, Implication] | None:
    """The best undeveloped implication of a surfaced problem, matched by its own cues or
    (at half weight) its problem's; with one problem surfaced and nothing specific matched,
    that problem's next implication."""
    open_items = [
        (p, i)
        for p, i in scenario.implications()
        if p.id in state.problems and i.id not in state.implications
    ]
    ranked = [
        (scores.implications.get(i.id, 0.0) + 0.5 * scores.problems.get(p.id, 0.0), n, i.id)
        for n, (p, i) in enumerate(open_items)
    ]
    top = best(ranked)
    vague = not scores.implications and not _touches_other_items(scores, state)
    if top is None and len(state.problems) == 1 and vague:
        top = open_items[0][1].id if open_items else None
    return next(((p, i) for p, i in open_items if i.id == top), None)


def pick_need(
    scenario: Scenario, scores: Scores, state: DiscoveryState
) -> tuple[Implication, NeedPayoff] | None:
    """The best need not yet explicit whose implication was developed; with one such
    implication and nothing specific matched, its first open need."""
    open_items = [
        (p, i, n)
        for p, i, n in scenario.needs()
        if i.id in state.implications and n.id not in state.needs
    ]
    ranked = [
        (
            scores.needs.get(n.id, 0.0)
            + 0.5 * scores.implications.get(i.id, 0.0)
            + 0.25 * scores.problems.get(p.id, 0.0),
            k,
            n.id,
        )
        for k, (p, i, n) in enumerate(open_items)
    ]
    top = best(ranked)
    developed = {i.id for _, i, _ in open_items}
    vague = not scores.needs and not _touches_other_items(scores, state)
    if top is None and len(developed) == 1 and vague:
        top = open_items[0][2].id
    return next(((i, n) for _, i, n in open_items if n.id == top), None)


def _touches_other_items(scores: Scores, state: DiscoveryState) -> bool:
    """Whether the move names a problem, implication or need that is still locked: then the
    fallback to "the one problem on the table" would answer a question not asked."""
    locked = [pid for pid in scores.problems if pid not in state.problems]
    locked += [iid for iid in scores.implications if iid not in state.implications]
    locked += [nid for nid in scores.needs if nid not in state.needs]
    return bool(locked)


def find_problem(scenario: Scenario, problem_id: str) -> Problem:
    for problem in scenario.problems:
        if problem.id == problem_id:
            return problem
    raise ValueError(f"scenario {scenario.id} has no problem {problem_id!r}")


def known_texts(scenario: Scenario, state: DiscoveryState, language: Language) -> tuple[str, ...]:
    """Short texts of everything unlocked so far, in the session's language."""
    lang = language
    texts = [f.answer(lang)[0] for f in scenario.facts if f.id in state.facts]
    for problem in scenario.problems:
        if problem.id in state.problems:
            texts.append(problem.answer(lang)[0])
        elif problem.id in state.hints:
            texts.append(problem.hint(lang)[0])
    texts += [i.answer(lang)[0] for _, i in scenario.implications() if i.id in state.implications]
    texts += [n.answer(lang)[0] for _, _, n in scenario.needs() if n.id in state.needs]
    if state.advance_accepted:
        texts.append(scenario.advance.description(lang))
    return tuple(texts)
