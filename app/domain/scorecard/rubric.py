"""The scorecard's one table of weights and thresholds, each with its evidence (SPIN.md §3).

Rackham gives relative comparisons, not quotas (SPIN.md §3, last paragraph): every threshold
below that is a number of our own says so, and is to be recalibrated on the product's data.
Points are per component; the maxima sum to 100. A component that does not apply (no
scenario for a real call, no known style) is left out and the overall is rescaled.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.director.state import Outcome


class Component(StrEnum):
    MIX = "mix"
    SEQUENCE = "sequence"
    DISCOVERY = "discovery"
    PITCHING = "pitching"
    STYLE = "style"
    LISTENING = "listening"
    OUTCOME = "outcome"


class Part(StrEnum):
    """The earned parts of each component, shown in the breakdown. Components scored by
    penalties (pitching, style) have one starting part; their findings carry the penalties."""

    MIX_SITUATION = "mix.situation"
    MIX_PROBLEM_RATIO = "mix.problem_ratio"
    MIX_IMPLICATION = "mix.implication"
    MIX_NEED_PAYOFF = "mix.need_payoff"
    SEQUENCE_PATH = "sequence.path"
    SEQUENCE_ORDER = "sequence.order"
    DISCOVERY_PROBLEMS = "discovery.problems"
    DISCOVERY_IMPLICATIONS = "discovery.implications"
    DISCOVERY_NEEDS = "discovery.needs"
    PITCHING = "pitching.restraint"
    STYLE = "style.adaptation"
    LISTENING_TALK = "listening.talk"
    OUTCOME = "outcome.result"


def _outcome_points() -> dict[Outcome, float]:
    return {
        Outcome.ORDER: 15.0,  # SPIN.md §3.7: an order is success
        Outcome.ADVANCE: 15.0,  # SPIN.md §3.7: a specific advance is success in a large sale
        Outcome.CONTINUATION: 5.0,  # SPIN.md §3.7: "keep in touch" is not success; some credit
        # for a call that kept the door open is our choice
        Outcome.NO_SALE: 0.0,
    }


@dataclass(frozen=True, slots=True)
class Rubric:
    # ---- question mix: 20 points ------------------------------------------------------------
    # SPIN.md §3.1: successful calls contain fewer situation questions. Full points while
    # situation questions are at most 40% of the SPIN questions, none from 80%, linear between.
    # Both numbers are our choice (the book compares, it sets no quota).
    situation_points: float = 5.0
    situation_share_full: float = 0.40
    situation_share_zero: float = 0.80
    # SPIN.md §3.2: the problem:situation ratio indicates experience, but problem questions do
    # not differentiate large sales, hence the small weight. Full at 1:1 (our choice).
    problem_ratio_points: float = 3.0
    problem_ratio_full: float = 1.0
    # SPIN.md §3.3: implication questions contribute strongly to success in large sales; an
    # average call has about 1 in 20. Full from 1 in 5 of the SPIN questions (four times the
    # average: our choice), proportional below.
    implication_points: float = 6.0
    implication_share_full: float = 0.20
    # SPIN.md §3.4: need-payoff questions contribute strongly; top performers ask about ten
    # times more than average ones. Full from 15% of the SPIN questions (our choice).
    need_payoff_points: float = 6.0
    need_payoff_share_full: float = 0.15

    # ---- sequence: 15 points ----------------------------------------------------------------
    # SPIN.md §2: the flow per problem is P → I → N. The best-developed problem earns the part:
    # P → I → N full, P → I half (our choice), a problem left alone nothing. Breadth is the
    # discovery component's business.
    path_points: float = 10.0
    path_partial_credit: float = 0.5
    # SPIN.md §2 and §3.5: need-payoff questions before any implication question, and implication
    # chains no need-payoff question closes, each cost this much of the order part. The order
    # part is earned only once an implication question was asked (nothing to order otherwise).
    order_points: float = 5.0
    premature_need_payoff_penalty: float = 2.5
    unclosed_chain_penalty: float = 2.5

    # ---- discovery: 20 points, each part times its rate over the scenario's total ----------
    # SPIN.md §2: in large sales only explicit needs predict success; the number of problems
    # uncovered does not. Implications are what make a problem worth its price (SPIN.md §2, §3.3).
    problems_points: float = 4.0
    implications_points: float = 6.0
    needs_points: float = 10.0

    # ---- pitching and closing: 15 points, penalties from the maximum, floor 0 --------------
    # SPIN.md §2: do not pitch before the need is explicit (features early are neutral to
    # negative in large sales, advantages draw objections).
    pitching_max: float = 15.0
    pitch_before_need_penalty: float = 5.0
    # SPIN.md §3.9: objections mostly come from the seller's own premature solutions.
    objection_after_pitch_penalty: float = 2.0
    # SPIN.md §3.7: closing techniques are not linked to commitment in large sales and can
    # lower it.
    closing_penalty: float = 3.0

    # ---- style adaptation: 10 points, penalties from the maximum, floor 0 ------------------
    # SPIN.md §4: adapting to the buyer's style (versatility). Each kind of miss (not each turn)
    # costs this much; two misses lose the component.
    style_max: float = 10.0
    style_miss_penalty: float = 5.0
    # SPIN.md §4, driver: "few situation questions". Flagged above a third of the SPIN
    # questions (our choice, stricter than the mix's 40%).
    driver_situation_share_max: float = 1 / 3
    # SPIN.md §4, driver: brief and businesslike. A trainee turn longer than this is a speech
    # (our choice; Chinese is counted in characters, about two per English word).
    long_turn_words: int = 40
    long_turn_chars: int = 80
    # SPIN.md §4, analytical: precise, quantified questions. Flagged when more than half of the
    # problem, implication and need-payoff questions carry no quantity (our choice).
    analytical_unquantified_share_max: float = 0.5

    # ---- listening: 5 points ------------------------------------------------------------------
    # SPIN.md §3.11 (call-analysis vendors, context rather than a Rackham finding): won deals
    # near 43% seller talk, win rates falling above 65%. Full at or below 43%, none from 65%.
    listening_points: float = 5.0
    talk_share_full: float = 0.43
    talk_share_zero: float = 0.65
    # SPIN.md §3.11: 11 to 14 questions per call is the productive band. Reported, not graded.
    questions_band: tuple[int, int] = (11, 14)

    # ---- outcome: 15 points ---------------------------------------------------------------
    outcome_points: dict[Outcome, float] = field(default_factory=_outcome_points)

    # ---- coaching: how weak a turn is, to pick the three weakest ----------------------------
    # The same evidence as the penalties above, on one scale; ties go to the earlier turn.
    weakness_pitch_before_need: float = 5.0  # SPIN.md §2, §3.9
    weakness_closing: float = 3.0  # SPIN.md §3.7
    weakness_problem_while_waiting: float = 3.0  # SPIN.md §2: the surfaced problem needed its I
    weakness_unclosed_chain: float = 2.5  # SPIN.md §3.5
    weakness_premature_need_payoff: float = 2.5  # SPIN.md §2
    # SPIN.md §1: an implication question takes a problem the buyer has acknowledged.
    weakness_implication_unadmitted: float = 2.5
    # SPIN.md §3.7: an advance proposed before any need is explicit is usually deferred.
    weakness_early_commitment: float = 2.0
    weakness_situation_resented: float = 2.0  # SPIN.md §3.1, §4 (a driver's impatience)
    weakness_situation_answered: float = 2.0  # SPIN.md §3.1: it could have been prepared

    # ---- pre-call plan -----------------------------------------------------------------------
    # SPIN.md §3.3: implication questions must be planned; SPIN.md §3.4 for need-payoff ones.
    # Two of each (our choice: enough for one problem's chain and its close, plus a spare).
    plan_min_implication: int = 2
    plan_min_need_payoff: int = 2

    # ---- drills --------------------------------------------------------------------------------
    # SPIN.md §3.10: one behaviour at a time, try it at least three times.
    drill_min_tries: int = 3

    @property
    def component_max(self) -> dict[Component, float]:
        return {
            Component.MIX: self.situation_points
            + self.problem_ratio_points
            + self.implication_points
            + self.need_payoff_points,
            Component.SEQUENCE: self.path_points + self.order_points,
            Component.DISCOVERY: self.problems_points
            + self.implications_points
            + self.needs_points,
            Component.PITCHING: self.pitching_max,
            Component.STYLE: self.style_max,
            Component.LISTENING: self.listening_points,
            Component.OUTCOME: max(self.outcome_points.values()),
        }


RUBRIC = Rubric()
