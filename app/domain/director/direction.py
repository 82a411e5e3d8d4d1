"""What the director hands to a voice for one buyer turn: a stance, what may be said now, and
a persona summary that holds no locked content (DESIGN.md §2)."""

from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.director.state import Outcome, Stance
from app.domain.language import Language
from app.domain.scenario import Gender, Scenario, Variants
from app.domain.style import BuyerStyle, Pace, Reaction, StyleName


class RevealKind(StrEnum):
    OPENING = "opening"  # the buyer's first line
    FACT = "fact"
    PROBLEM = "problem"
    HINT = "hint"  # a problem let slip without its details
    IMPLICATION = "implication"
    NEED = "need"
    OBJECTION = "objection"
    ADVANCE_ACCEPT = "advance_accept"
    ADVANCE_DEFER = "advance_defer"


@dataclass(frozen=True, slots=True)
class Reveal:
    """Content the buyer may say this turn: `lines` are interchangeable wordings, in the
    session's language, of one scenario item (`id`: fact, problem, implication, need,
    objection id, or `advance`)."""

    kind: RevealKind
    id: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Persona:
    """Who the buyer is, resolved to the session's language; nothing locked."""

    style: StyleName
    style_label: str
    style_description: str
    pace: Pace
    buyer_name: str
    role: str
    company: str
    industry: str
    product: str  # what the trainee sells
    values: tuple[str, ...]
    irritants: tuple[str, ...]
    under_stress: str
    gender: Gender = Gender.UNSPECIFIED
    address: str = ""  # how the seller addresses the buyer ("Ms Zhao", "赵总")


@dataclass(frozen=True, slots=True)
class Direction:
    """The director's decision for one buyer turn.

    `reaction` is the style behaviour to show (stored as the buyer turn's reaction key);
    `aside`, when set, is a second behaviour said after the content (an expressive buyer
    drifting into its vision). `known` holds short texts of everything unlocked so far,
    `reveals` what may be said this turn; a voice must say nothing beyond the two.
    `max_sentences` bounds the reply; `seed` makes a voice's choices reproducible.
    `topics` are the scenario ids the move touched (for `Label.topics`)."""

    language: Language
    stance: Stance
    patience: int
    trust: int
    reaction: Reaction
    reveals: tuple[Reveal, ...]
    known: tuple[str, ...]
    persona: Persona
    max_sentences: int
    seed: int
    ends_call: bool = False
    outcome: Outcome = Outcome.NO_SALE
    aside: Reaction | None = None
    topics: tuple[str, ...] = field(default=())


def persona_for(scenario: Scenario, style: BuyerStyle, language: Language) -> Persona:
    """The buyer as an LLM may be told about it: account and style only, no problem tree."""
    account = scenario.account

    def items(variants: Variants) -> tuple[str, ...]:
        return variants(language)

    return Persona(
        style=style.name,
        style_label=style.label(language),
        style_description=style.description(language),
        pace=style.pace,
        buyer_name=account.buyer_name(language),
        role=account.buyer_role(language),
        company=account.company(language),
        industry=account.industry(language),
        product=account.product(language),
        values=items(style.values),
        irritants=items(style.irritants),
        under_stress=style.under_stress(language),
        gender=account.gender,
        address=account.form_of_address(language),
    )
