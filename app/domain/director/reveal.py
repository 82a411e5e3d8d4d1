"""The reveal rules (SPIN.md §2): what a move is taken to be about, given what is on the
table, and so what the buyer may unlock. A buyer answers what was meant, not a label: a
question about the effects of a problem not yet admitted is read as a question about that
problem; a problem question about the consequences of an admitted one develops it; facts go
to situation questions, needs to need-payoff questions after their implication."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.director.state import DiscoveryState
from app.domain.labels import SpinLabel
from app.domain.language import Language
from app.domain.reading.index import ItemKind, ScenarioIndex
from app.domain.reading.reading import FACT_THRESHOLD, MATCH_THRESHOLD, Reading
from app.domain.scenario import Fact, Problem, Scenario
from app.domain.style import MoveType

# A problem question whose best topic is a consequence of an admitted problem develops it,
# unless a hidden problem matches about as well (then surfacing wins: SPIN.md §2, P before I).
DEVELOP_OVER_SURFACE = 1.15
# Evidence from relatives counts towards an item: a problem's implications point at it a
# little (CHILD_WEIGHT); an implication's problem, a need's implication more (PARENT_WEIGHT),
# since a follow-up names the parent it develops.
CHILD_WEIGHT = 0.3
PARENT_WEIGHT = 0.5
# A question about a hidden problem's consequences is about the problem (issue 11): its best
# implication's score stands in for the problem's at this share.
CHILD_STANDS_IN = 0.8
# A move whose words point at an item of another kind much more than at any item its act
# fits is taken as the question it half is (classifiers blur S/P and P/N on real wording):
# when the label gives that act at least SHARE_FOR_OTHER_ACT and the other item scores
# OTHER_ACT_MARGIN times better, or whatever the label says when it scores DOMINANT times
# better. Facts never take a move away from a problem: a buyer answers the difficulty.
SHARE_FOR_OTHER_ACT = 0.2
OTHER_ACT_MARGIN = 1.3
DOMINANT = 1.7
# A situation question whose words reach no fact's FACT_THRESHOLD (a long, chatty question
# dilutes one clear cue: "could you tell me how the selection process is set up on your
# side?") is still answered by the one fact it points at, when that fact scores at least
# FACT_FLOOR and FACT_LEAD times the next fact: a buyer answers background it plainly has
# (SPIN.md §1, Situation) rather than saying it would have to check.
FACT_FLOOR = 0.8
FACT_LEAD = 2.5


_PROBES = (
    (MoveType.PROBLEM, SpinLabel.PROBLEM),
    (MoveType.IMPLICATION, SpinLabel.IMPLICATION),
    (MoveType.NEED_PAYOFF, SpinLabel.NEED_PAYOFF),
)


class AimKind(StrEnum):
    FACT = "fact"  # answer with a fact
    SURFACE = "surface"  # a hidden problem the move is about
    DEVELOP = "develop"  # an implication of a problem on the table
    EXPLICIT = "explicit"  # a need whose implication was developed
    EARLY_NEED = "early_need"  # a need-payoff before its implication (SPIN.md §2: lukewarm)
    COVERED = "covered"  # asked again about something the buyer already said
    BROAD = "broad"  # a broad invitation to name a difficulty, with no topic of its own
    NONE = "none"  # about nothing in the scenario


@dataclass(frozen=True, slots=True)
class Aim:
    kind: AimKind
    item_id: str | None = None


@dataclass(frozen=True, slots=True)
class _Ranked:
    item_id: str
    score: float
    order: int


def _best(candidates: Iterable[_Ranked], threshold: float = MATCH_THRESHOLD) -> _Ranked | None:
    found = [c for c in candidates if c.score >= threshold]
    return min(found, key=lambda c: (-c.score, c.order)) if found else None


def _clear_lead(candidates: Iterable[_Ranked]) -> _Ranked | None:
    ordered = sorted(candidates, key=lambda c: (-c.score, c.order))
    if not ordered or ordered[0].score < FACT_FLOOR:
        return None
    runner_up = ordered[1].score if len(ordered) > 1 else 0.0
    return ordered[0] if ordered[0].score >= FACT_LEAD * runner_up else None


def _children(index: ScenarioIndex, item_id: str) -> list[str]:
    return [i.id for i in index.items.values() if i.parent == item_id]


def _with_children(index: ScenarioIndex, reading: Reading, item_id: str) -> float:
    best_kid = max((reading.score(c) for c in _children(index, item_id)), default=0.0)
    own = reading.score(item_id)
    return max(own + CHILD_WEIGHT * best_kid, CHILD_STANDS_IN * best_kid)


def _with_parent(index: ScenarioIndex, reading: Reading, item_id: str) -> float:
    parent = index.items[item_id].parent
    return reading.score(item_id) + (PARENT_WEIGHT * reading.score(parent) if parent else 0.0)


_GIVES = frozenset({AimKind.SURFACE, AimKind.DEVELOP, AimKind.EXPLICIT})


class Aims:
    """The reveal rules over one scenario's index; `aim` is what the director acts on."""

    __slots__ = ("index", "scenario")

    def __init__(self, scenario: Scenario, index: ScenarioIndex) -> None:
        self.scenario = scenario
        self.index = index

    def _of(self, kind: ItemKind) -> list[str]:
        return [i.id for i in self.index.items.values() if i.kind is kind]

    def _ranked(self, ids: Iterable[str], score: dict[str, float]) -> list[_Ranked]:
        return [_Ranked(i, score[i], self.index.items[i].order) for i in ids]

    def aim(
        self,
        kind: MoveType,
        reading: Reading,
        state: DiscoveryState,
        label_scores: Mapping[SpinLabel, float],
    ) -> Aim:
        if kind is MoveType.SITUATION:
            return self._situation(reading, state, label_scores)
        own = self._by_act(kind, reading, state)
        if reading.focus is not None:
            return own  # a follow-up attached by "that": no words of its own to argue an act
        gives = own.kind in _GIVES
        # A repeat of what was said takes another act only on the label's word for it.
        covered = own.kind is AimKind.COVERED
        # What the act's own aim rests on: all its evidence when it gives something; only its
        # item's own words when it gives nothing (a lukewarm need whose words are really
        # about its undeveloped implication, a repeat).
        fitting = self._aim_score(own, reading) if gives else own_words(reading, own)
        # A probe whose words point at another stage of the same topic much more than at
        # anything its act fits is the question it half is (SHARE_FOR_OTHER_ACT, DOMINANT).
        for other_kind, label in _PROBES:
            if other_kind is kind:
                continue
            other = self._by_act(other_kind, reading, state)
            share = label_scores.get(label, 0.0) if gives or covered else SHARE_FOR_OTHER_ACT
            if other.kind in _GIVES and _outweighs(self._aim_score(other, reading), fitting, share):
                return other
        return own

    def _by_act(self, kind: MoveType, reading: Reading, state: DiscoveryState) -> Aim:
        if kind is MoveType.PROBLEM:
            return self._problem(reading, state)
        if kind is MoveType.IMPLICATION:
            return self._implication(reading, state)
        return self._need_aim(reading, state)

    # -- by act ---------------------------------------------------------------------------

    def _situation(
        self, reading: Reading, state: DiscoveryState, label_scores: Mapping[SpinLabel, float]
    ) -> Aim:
        fact = self.fact(reading)
        fact_score = reading.score(fact.item_id) if fact.item_id else 0.0
        probe = _share(label_scores, SpinLabel.PROBLEM, SpinLabel.IMPLICATION)
        aimed = self._problem(reading, state)
        if aimed.kind in (AimKind.SURFACE, AimKind.DEVELOP) and _outweighs(
            self._aim_score(aimed, reading), fact_score, probe
        ):
            return aimed
        need = self._need_aim(reading, state)
        if need.kind is AimKind.EXPLICIT and _outweighs(
            self._aim_score(need, reading), fact_score, label_scores.get(SpinLabel.NEED_PAYOFF, 0.0)
        ):
            return need
        return fact

    def fact(self, reading: Reading) -> Aim:
        """The fact a situation question asks for, if its words point at one."""
        ids = self._of(ItemKind.FACT)
        ranked = self._ranked(ids, _zeros(ids) | reading.scores)
        fact = _best(ranked, FACT_THRESHOLD) or _clear_lead(ranked)
        return Aim(AimKind.FACT, fact.item_id) if fact is not None else Aim(AimKind.NONE)

    def _aim_score(self, aim: Aim, reading: Reading) -> float:
        """The evidence behind an aim, on one scale for all of them."""
        if aim.item_id is None:
            return 0.0
        if aim.kind is AimKind.SURFACE:
            return _with_children(self.index, reading, aim.item_id)
        if aim.kind in (AimKind.EXPLICIT, AimKind.EARLY_NEED):
            return self._need_score(reading, aim.item_id)
        if aim.kind is AimKind.DEVELOP:
            return _with_parent(self.index, reading, aim.item_id)
        return reading.score(aim.item_id)

    def _problem(self, reading: Reading, state: DiscoveryState) -> Aim:
        hidden = self._hidden_problem(reading, state)
        develop = self._open_implication(reading, state)
        if develop is not None and (
            hidden is None or develop.score >= DEVELOP_OVER_SURFACE * hidden.score
        ):
            return Aim(AimKind.DEVELOP, develop.item_id)
        if hidden is not None:
            return Aim(AimKind.SURFACE, hidden.item_id)
        said = self._said(reading, state)
        if said is not None:
            return Aim(AimKind.COVERED, said)
        return Aim(AimKind.BROAD) if reading.broad else Aim(AimKind.NONE)

    def _implication(self, reading: Reading, state: DiscoveryState) -> Aim:
        develop = self._open_implication(reading, state)
        hidden = self._hidden_problem(reading, state)
        if develop is not None and (hidden is None or develop.score >= hidden.score):
            return Aim(AimKind.DEVELOP, develop.item_id)
        if hidden is not None:  # effects of a problem not admitted: answer the problem
            return Aim(AimKind.SURFACE, hidden.item_id)
        said = self._said(reading, state)
        if said is not None:
            return Aim(AimKind.COVERED, said)
        vague = self._only_open_implication(state, hinted=reading.refers_back)
        if vague is not None and self._vague(reading, state):
            return Aim(AimKind.DEVELOP, vague)
        return Aim(AimKind.NONE)

    def _need_aim(self, reading: Reading, state: DiscoveryState) -> Aim:
        needs = self._of(ItemKind.NEED)
        score = {n: self._need_score(reading, n) for n in needs}
        ready = [n for n in needs if self._parent(n) in state.implications and n not in state.needs]
        explicit = _best(self._ranked(ready, score))
        early = _best(
            self._ranked([n for n in needs if self._parent(n) not in state.implications], score)
        )
        if explicit is not None and (early is None or explicit.score >= early.score):
            return Aim(AimKind.EXPLICIT, explicit.item_id)
        if early is not None:
            return Aim(AimKind.EARLY_NEED, early.item_id)
        said = _best(self._ranked([n for n in needs if n in state.needs], score))
        if said is not None:
            return Aim(AimKind.COVERED, said.item_id)
        developed = {self._parent(n) for n in ready}
        if len(developed) == 1 and self._vague(reading, state):
            return Aim(AimKind.EXPLICIT, next(n for n in ready))
        return Aim(AimKind.NONE)

    # -- candidates -----------------------------------------------------------------------

    def _parent(self, item_id: str) -> str:
        return self.index.items[item_id].parent or ""

    def _need_score(self, reading: Reading, need_id: str) -> float:
        implication = self._parent(need_id)
        problem = self._parent(implication)
        return (
            reading.score(need_id)
            + PARENT_WEIGHT * reading.score(implication)
            + PARENT_WEIGHT / 2 * reading.score(problem)
        )

    def _hidden_problem(self, reading: Reading, state: DiscoveryState) -> _Ranked | None:
        """The best problem not yet admitted (a hinted one still counts: its details are
        locked), its implications' words pointing at it too."""
        ids = [p for p in self._of(ItemKind.PROBLEM) if p not in state.problems]
        return _best(
            _Ranked(p, _with_children(self.index, reading, p), self.index.items[p].order)
            for p in ids
            if self._clear(reading, p, _children(self.index, p))
        )

    def _open_implication(self, reading: Reading, state: DiscoveryState) -> _Ranked | None:
        """The best implication to develop: of an admitted problem, or of one only hinted at
        when the move follows the hint up (it refers back, or attaches to the focus). A
        hint let slip earlier is not developed by a question about something else."""
        follows_up = reading.refers_back or reading.focus is not None
        ids = [
            i
            for i in self._of(ItemKind.IMPLICATION)
            if i not in state.implications
            and (
                self._parent(i) in state.problems
                or (follows_up and state.on_table(self._parent(i)))
            )
        ]
        return _best(
            _Ranked(i, _with_parent(self.index, reading, i), self.index.items[i].order)
            for i in ids
            if self._clear(reading, i, [self._parent(i)])
        )

    @staticmethod
    def _clear(reading: Reading, item_id: str, relatives: Iterable[str]) -> bool:
        """An item ranked with its relatives' evidence must still clear the threshold on its
        own words or one relative's: two half-matches do not make one match."""
        return max([reading.score(item_id), *map(reading.score, relatives)]) >= MATCH_THRESHOLD

    def _said(self, reading: Reading, state: DiscoveryState) -> str | None:
        """The best-matching item the buyer already said (problems, implications)."""
        said = [s for s in (*state.problems, *state.implications) if s in self.index.items]
        best = _best(self._ranked(said, _zeros(said) | reading.scores))
        return best.item_id if best else None

    def _only_open_implication(self, state: DiscoveryState, *, hinted: bool) -> str | None:
        """With one problem on the table and nothing specific asked, its next implication.
        A problem only hinted at counts when the move refers back to what was said: a hint
        an amiable buyer let slip while being thanked is not what a later question about
        something else ("is the warehouse full?") develops (SPIN.md §1: an implication
        develops a problem the buyer has stated)."""
        table = [
            p
            for p in self._of(ItemKind.PROBLEM)
            if p in state.problems or (hinted and state.on_table(p))
        ]
        if len(table) != 1:
            return None
        return next(
            (i for i in _children(self.index, table[0]) if i not in state.implications),
            None,
        )

    def _vague(self, reading: Reading, state: DiscoveryState) -> bool:
        """A follow-up with no topic of its own ("what does that lead to?"): it refers back,
        or names nothing at all; one whose words are about a fact or something the scenario
        never mentions is not one ("how old are the machines?")."""
        if reading.names_something_else or self._touches_locked(reading, state):
            return False
        facts = {i.id for i in self.index.items.values() if i.kind is ItemKind.FACT}
        names_a_fact = any(reading.score(f) >= FACT_THRESHOLD for f in facts)
        return reading.refers_back or not (reading.topics() or names_a_fact)

    def _touches_locked(self, reading: Reading, state: DiscoveryState) -> bool:
        """The move names something still locked: falling back to the one item on the
        table would answer a question not asked."""
        unlocked = set(state.problems) | set(state.implications) | set(state.needs)
        for item_id in reading.topics():
            item = self.index.items.get(item_id)
            if item and item.kind is not ItemKind.FACT and item_id not in unlocked:
                if item.kind is ItemKind.PROBLEM and state.on_table(item_id):
                    continue
                return True
        return False

    def salient_problem(self, reading: Reading, state: DiscoveryState) -> Problem | None:
        """For a broad question ("what keeps you up at night?"): the hidden problem nearest
        the conversation's focus, else the one the words lean to, else the first."""
        hidden = [p for p in self.scenario.problems if p.id not in state.problems]
        if not hidden:
            return None
        if state.focus in self.index.items:
            family = self.index.family(state.focus or "")
            near = [p for p in hidden if p.id in family]
            if near:
                return near[0]
        return min(hidden, key=lambda p: (-_with_children(self.index, reading, p.id), 0))


def own_words(reading: Reading, aim: Aim) -> float:
    return reading.score(aim.item_id) if aim.item_id is not None else 0.0


def _share(scores: Mapping[SpinLabel, float], *labels: SpinLabel) -> float:
    return sum(scores.get(label, 0.0) for label in labels)


def _outweighs(other: float, fitting: float, share: float) -> bool:
    """Whether an item of another act's kind should take the move (see DOMINANT)."""
    if other < MATCH_THRESHOLD:
        return False
    if share >= SHARE_FOR_OTHER_ACT and other >= OTHER_ACT_MARGIN * fitting:
        return True
    return other >= DOMINANT * fitting


def _zeros(ids: Iterable[str]) -> dict[str, float]:
    return dict.fromkeys(ids, 0.0)


def facts_for(
    scenario: Scenario, reading: Reading, state: DiscoveryState, top: str, *, extra: int
) -> tuple[list[Fact], bool]:
    """The fact asked for, plus up to `extra` other facts the move also touched (an
    analytical buyer's fuller answer), never facts nobody asked about. The flag says whether
    the asked fact was already given."""
    by_id = {f.id: f for f in scenario.facts}
    repeated = top in state.facts
    chosen = [by_id[top]]
    related = sorted(
        (f for f in scenario.facts if f.id != top and f.id not in state.facts),
        key=lambda f: -reading.score(f.id),
    )
    chosen += [f for f in related if reading.score(f.id) >= MATCH_THRESHOLD / 2][:extra]
    return chosen, repeated


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
