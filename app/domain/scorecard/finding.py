"""Findings: what the scorecard says, as stable codes with parameters and the turns behind them.

The words are data (personas/feedback.yaml, code → {en, zh}); `explain` in `feedback` renders
them. A parameter whose value starts with `term.` names another catalogue entry (a label, a
style, an outcome) and is rendered in the reader's language.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.director.state import HoldReason, Outcome
from app.domain.labels import SpinLabel
from app.domain.style import StyleName

ParamValue = str | int | float


class Section(StrEnum):
    MIX = "mix"
    SEQUENCE = "sequence"
    DISCOVERY = "discovery"
    PITCHING = "pitching"
    STYLE = "style"
    LISTENING = "listening"
    OUTCOME = "outcome"
    COACHING = "coaching"
    STYLE_GUESS = "style_guess"
    PLAN = "plan"
    DRILL = "drill"


class FindingCode(StrEnum):
    """Every code the domain emits; each has an entry in personas/feedback.yaml."""

    MIX_COUNTS = "mix.counts"
    MIX_OPEN_CLOSED = "mix.open_closed"
    MIX_PROBLEM_RATIO = "mix.problem_ratio"
    MIX_SITUATION_HEAVY = "mix.situation_heavy"
    MIX_NO_IMPLICATION = "mix.no_implication"
    MIX_NO_NEED_PAYOFF = "mix.no_need_payoff"
    MIX_NO_QUESTIONS = "mix.no_questions"

    SEQUENCE_PROBLEM_COMPLETE = "sequence.problem_complete"
    SEQUENCE_PROBLEM_NO_IMPLICATION = "sequence.problem_no_implication"
    SEQUENCE_PROBLEM_NO_NEED = "sequence.problem_no_need"
    SEQUENCE_PATH_FROM_LABELS = "sequence.path_from_labels"
    SEQUENCE_NO_PATH = "sequence.no_path"
    SEQUENCE_NEED_PAYOFF_PREMATURE = "sequence.need_payoff_premature"
    SEQUENCE_CHAIN_UNCLOSED = "sequence.chain_unclosed"

    DISCOVERY_TALLY = "discovery.tally"
    DISCOVERY_PROBLEM_MISSED = "discovery.problem_missed"
    DISCOVERY_IMPLICATION_MISSED = "discovery.implication_missed"
    DISCOVERY_NEED_MISSED = "discovery.need_missed"
    DISCOVERY_HELD_BACK = "discovery.held_back"  # asked, but the buyer held back (issue 11)
    DISCOVERY_HINTED = "discovery.hinted"  # the buyer let it slip; never followed up
    DISCOVERY_ASKED = "discovery.asked"  # asked about, not taken up
    DISCOVERY_NOT_APPLICABLE = "discovery.not_applicable"

    PITCHING_BEFORE_NEED = "pitching.before_need"
    PITCHING_BENEFIT = "pitching.benefit"
    PITCHING_BENEFIT_UNNAMED = "pitching.benefit_unnamed"
    PITCHING_OBJECTION_AFTER_PITCH = "pitching.objection_after_pitch"
    PITCHING_CLOSING = "pitching.closing"

    STYLE_DRIVER_SITUATION_HEAVY = "style.driver_situation_heavy"
    STYLE_DRIVER_LONG_TURNS = "style.driver_long_turns"
    STYLE_ANALYTICAL_UNQUANTIFIED = "style.analytical_unquantified"
    STYLE_ANALYTICAL_PITCH_BEFORE_NEED = "style.analytical_pitch_before_need"
    STYLE_AMIABLE_PRESSURE = "style.amiable_pressure"
    STYLE_AMIABLE_NO_RAPPORT_FIRST = "style.amiable_no_rapport_first"
    STYLE_EXPRESSIVE_NO_VISION = "style.expressive_no_vision"
    STYLE_EXPRESSIVE_NO_RECOGNITION = "style.expressive_no_recognition"
    STYLE_NOT_APPLICABLE = "style.not_applicable"

    LISTENING_TALK_WORDS = "listening.talk_words"
    LISTENING_TALK_CHARACTERS = "listening.talk_characters"
    LISTENING_QUESTIONS = "listening.questions"
    LISTENING_MONOLOGUE_WORDS = "listening.monologue_words"
    LISTENING_MONOLOGUE_CHARACTERS = "listening.monologue_characters"

    OUTCOME_ORDER = "outcome.order"
    OUTCOME_ADVANCE = "outcome.advance"
    OUTCOME_CONTINUATION_DEFERRED = "outcome.continuation_deferred"
    OUTCOME_CONTINUATION_NO_ADVANCE = "outcome.continuation_no_advance"
    OUTCOME_NO_SALE_BUYER_ENDED = "outcome.no_sale_buyer_ended"
    OUTCOME_NO_SALE_REFUSED = "outcome.no_sale_refused"
    OUTCOME_NO_SALE_NO_ADVANCE = "outcome.no_sale_no_advance"
    OUTCOME_NOT_APPLICABLE = "outcome.not_applicable"

    COACHING_PITCH_BEFORE_NEED = "coaching.pitch_before_need"
    COACHING_CLOSING = "coaching.closing"
    COACHING_PROBLEM_WHILE_WAITING = "coaching.problem_while_waiting"
    COACHING_UNCLOSED_CHAIN = "coaching.unclosed_chain"
    COACHING_PREMATURE_NEED_PAYOFF = "coaching.premature_need_payoff"
    COACHING_IMPLICATION_UNADMITTED = "coaching.implication_unadmitted"
    COACHING_EARLY_COMMITMENT = "coaching.early_commitment"
    COACHING_SITUATION_RESENTED = "coaching.situation_resented"
    COACHING_SITUATION_ANSWERED = "coaching.situation_answered"
    COACHING_TRY_INSTEAD = "coaching.try_instead"

    STYLE_GUESS_RIGHT = "style_guess.right"
    STYLE_GUESS_WRONG = "style_guess.wrong"
    STYLE_GUESS_TELL = "style_guess.tell"
    STYLE_GUESS_NO_TELLS = "style_guess.no_tells"

    PLAN_TOO_FEW_IMPLICATION = "plan.too_few_implication"
    PLAN_TOO_FEW_NEED_PAYOFF = "plan.too_few_need_payoff"
    PLAN_SITUATION_PREPARABLE = "plan.situation_preparable"
    PLAN_LABEL_NOT_ASKED = "plan.label_not_asked"
    PLAN_LABEL_UNPLANNED = "plan.label_unplanned"

    DRILL_RESULT = "drill.result"
    DRILL_TOO_FEW = "drill.too_few"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the scorecard says. `seqs` are the turns it points at (empty only when it
    says a behaviour was missing); `points` is what it cost (negative) or 0 when it only
    reports."""

    code: FindingCode
    seqs: tuple[int, ...] = ()
    params: dict[str, ParamValue] = field(default_factory=dict)
    points: float = 0.0

    @property
    def section(self) -> Section:
        return Section(self.code.value.split(".", 1)[0])


def term(value: SpinLabel | StyleName | Outcome | str) -> str:
    """The catalogue key of a vocabulary word, rendered by `explain` in the reader's language."""
    return f"term.{value}"


TERMS: tuple[str, ...] = (
    *(term(label) for label in SpinLabel),
    *(term(style) for style in StyleName),
    *(term(outcome) for outcome in Outcome),
    *(term(f"hold_{reason}") for reason in HoldReason),
    term("feature"),
    term("advantage"),
    term("benefit"),
    # the reactions `DEFAULT_TELLS` in app/domain/scorecard/style_guess.py knows
    *(
        term(f"reaction.{key}")
        for key in ("impatient", "brush_off", "evidence_request", "vision", "warm", "withdraw")
    ),
)
