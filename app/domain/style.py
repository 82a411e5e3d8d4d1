"""Buyer social styles (Merrill and Reid, SPIN.md §4): the style value object, the numbers the
director's rules use for it, and the reaction keys its scripted phrasing is organised by."""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum

from app.domain.scenario import Bilingual, Variants


class StyleName(StrEnum):
    ANALYTICAL = "analytical"
    DRIVER = "driver"
    AMIABLE = "amiable"
    EXPRESSIVE = "expressive"


class Level(StrEnum):
    """A position on one of the two style axes (assertiveness, responsiveness)."""

    HIGH = "high"
    LOW = "low"


class Pace(StrEnum):
    FAST = "fast"
    SLOW = "slow"


class MoveType(StrEnum):
    """What the trainee did, as the director reacts to it: the four SPIN questions and the
    finer non-SPIN moves, with `commitment` split into `advance` (proposing the scenario's
    advance) and `close` (pressure, asking for the order)."""

    SITUATION = "situation"
    PROBLEM = "problem"
    IMPLICATION = "implication"
    NEED_PAYOFF = "need_payoff"
    PITCH = "pitch"
    RAPPORT = "rapport"
    SUMMARY = "summary"
    ADVANCE = "advance"
    CLOSE = "close"
    OTHER = "other"


class Reaction(StrEnum):
    """Which style behaviour a buyer turn shows; each is a phrasing key in the style's YAML.

    Lead-ins (said before content the director unlocked): `greeting`, `acknowledge`,
    `connector`, `hint`, `advance_accept`, `advance_defer`, `already_covered`, `receptive`,
    `order_accept`. The others are whole replies (possibly followed by an objection)."""

    GREETING = "greeting"
    ACKNOWLEDGE = "acknowledge"  # answering a situation question
    CONNECTOR = "connector"  # wraps an unlocked problem, implication or need
    DEFLECT = "deflect"  # nothing matched: a plausible non-answer
    UNCLEAR = "unclear"  # "not sure what you mean"
    IMPATIENT = "impatient"  # warning: too many situation questions
    END_CALL = "end_call"  # the buyer ends the call early
    SCEPTICAL = "sceptical"  # after a premature pitch
    EVIDENCE_REQUEST = "evidence_request"  # "show me the data" after a pitch
    WITHDRAW = "withdraw"  # goes quiet under pressure
    WARM = "warm"  # warming to rapport or recognition
    BRUSH_OFF = "brush_off"  # small talk unwelcome
    HOLD_BACK = "hold_back"  # not ready to admit a problem yet
    HINT = "hint"  # lets a difficulty slip without details
    LUKEWARM = "lukewarm"  # a need-payoff question before the problem was developed
    PUSH_BACK = "push_back"  # resists a close
    ADVANCE_ACCEPT = "advance_accept"
    ADVANCE_DEFER = "advance_defer"
    SUMMARY = "summary"  # reacts to the trainee's summary
    VISION = "vision"  # talks about what it values and where it wants to go
    RECEPTIVE = "receptive"  # a benefit offered after an explicit need
    ORDER_ACCEPT = "order_accept"
    ALREADY_COVERED = "already_covered"  # asked again about something already told
    NOT_AN_ISSUE = "not_an_issue"  # asked about the effects of a problem never admitted


# Moves whose default reaction a style declares; an `advance` is always answered by the
# accept/defer rule (SPIN.md §3.7).
REACTING_MOVES = tuple(m for m in MoveType if m is not MoveType.ADVANCE)


@dataclass(frozen=True, slots=True)
class StyleTuning:
    """The numbers behind a style's behaviour (0-100 scales for patience and trust).

    Costs are subtracted, gains added; a `*_patience` gain may be negative (a driver loses
    patience over small talk). Streak limits count situation questions in a row."""

    start_patience: int
    start_trust: int
    patience_floor: int  # the buyer ends the call when patience falls to this or below
    impatient_below: int  # stance is impatient at or below this patience
    open_from: int  # stance is open from this trust on
    warm_from: int  # stance is warming from this trust on
    situation_free: int  # situation questions in a row that cost no patience
    situation_cost: int  # patience per situation question beyond the free ones
    situation_streak_limit: int  # from this streak on, the buyer shows impatience
    situation_streak_end: int  # at this streak the buyer ends the call (0: never)
    spin_patience: int  # patience regained by a problem, implication or need-payoff question
    problem_trust: int
    implication_trust: int
    need_trust: int
    rapport_trust: int
    rapport_patience: int
    recognition_trust: int  # extra trust when the move recognises or praises the buyer
    summary_trust: int
    precise_trust: int  # extra trust for a precise, quantified question
    precise_extra_facts: int  # extra related facts given to a precise situation question
    precise_extra_sentences: int  # longer replies to precise questions
    pitch_trust_cost: int
    pitch_patience_cost: int
    close_trust_cost: int
    close_patience_cost: int
    other_patience_cost: int
    rapport_before_problems: int  # rapport credit needed before problems are admitted
    gentle_questions_build_rapport: bool  # open SPIN questions count as rapport
    withdraws_under_pressure: bool  # a hard close or repeated pitching makes it withdraw
    hint_rapport: int  # rapport credit needed before the buyer lets a problem slip
    hint_trust: int  # trust needed before the buyer lets a problem slip
    vision_percent: int  # chance (seeded) of drifting into its vision on an ordinary turn
    advance_needs: int  # explicit needs required to accept the advance
    advance_trust: int  # trust required to accept the advance
    benefit_trust: int  # trust gained by a benefit offered after an explicit need

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, bool):
                continue
            low = 0 if spec.name in _NON_NEGATIVE else -100
            if not low <= value <= 100:
                raise ValueError(f"{spec.name}={value} is outside [{low}, 100]")


_NON_NEGATIVE = frozenset(
    {
        "start_patience",
        "start_trust",
        "patience_floor",
        "impatient_below",
        "open_from",
        "warm_from",
        "situation_free",
        "situation_streak_limit",
        "situation_streak_end",
        "precise_extra_facts",
        "precise_extra_sentences",
        "rapport_before_problems",
        "hint_rapport",
        "hint_trust",
        "vision_percent",
        "advance_needs",
        "advance_trust",
    }
)


@dataclass(frozen=True, slots=True)
class VoiceBanks:
    """The scripted voice's words that no director reaction keys (issue 13): `recall` are
    whole sentences referring back to something already said without restating it,
    `upbeat` lead-ins before good news (a need, an accepted advance: a lead-in that sighs
    would contradict it), `farewell` answers the trainee's goodbye."""

    recall: Variants
    upbeat: Variants
    farewell: Variants


@dataclass(frozen=True, slots=True)
class BuyerStyle:
    """A buyer social style. `reactions` says which behaviour each kind of move draws by
    default (the director's state rules may override it); `phrasing` holds the scripted
    voice's lines for every `Reaction`; `adaptation` is the advice the scorecard gives."""

    name: StyleName
    label: Bilingual  # e.g. Driver / 推动型
    description: Bilingual  # how it behaves as a buyer, one sentence
    assertiveness: Level
    responsiveness: Level
    pace: Pace
    reply_sentences: int  # most sentences in one scripted reply
    values: Variants
    irritants: Variants
    under_stress: Bilingual
    adaptation: Variants
    reactions: Mapping[MoveType, Reaction]
    tuning: StyleTuning
    phrasing: Mapping[Reaction, Variants]
    voice: VoiceBanks | None = None  # None: the voice repeats nothing rather than recall

    def __post_init__(self) -> None:
        if self.reply_sentences < 1:
            raise ValueError("reply_sentences must be at least 1")
        missing = [r.value for r in Reaction if r not in self.phrasing]
        if missing:
            raise ValueError(f"style {self.name}: no phrasing for {missing}")
        unmapped = [m.value for m in REACTING_MOVES if m not in self.reactions]
        if unmapped:
            raise ValueError(f"style {self.name}: no reaction for {unmapped}")

    def phrases(self, reaction: Reaction) -> Variants:
        return self.phrasing[reaction]
