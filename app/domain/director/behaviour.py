"""Style behaviours layered on the reveal rules (SPIN.md §4): letting a problem slip as a
hint, drifting into a vision, withdrawing under pressure; and the working reply they edit."""

import random
from dataclasses import dataclass, field

from app.domain.director.direction import Reveal, RevealKind
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.reading.reading import Reading
from app.domain.scenario import Scenario
from app.domain.style import Reaction, StyleTuning

# Reactions after which an expressive buyer may drift into its vision (not while annoyed).
_DRIFT_AFTER = frozenset(
    {Reaction.ACKNOWLEDGE, Reaction.CONNECTOR, Reaction.WARM, Reaction.SUMMARY, Reaction.DEFLECT}
)
# Reactions after which a buyer with enough rapport and trust may let a problem slip.
_HINT_AFTER = frozenset(
    {
        Reaction.ACKNOWLEDGE,
        Reaction.WARM,
        Reaction.SUMMARY,
        Reaction.DEFLECT,
        Reaction.HOLD_BACK,
        Reaction.BRUSH_OFF,
    }
)
_HINT_GAP_MOVES = 3  # trainee moves between two hints, so that hints stay occasional


@dataclass(slots=True)
class Reply:
    """The director's working notes for one buyer turn."""

    reaction: Reaction
    reveals: list[Reveal] = field(default_factory=list)
    ends_call: bool = False
    withdrew: bool = False
    aside: Reaction | None = None
    extra_sentences: int = 0


def maybe_hint(
    scenario: Scenario,
    tuning: StyleTuning,
    state: DiscoveryState,
    reply: Reply,
    *,
    seq: int,
    reading: Reading,
    language: Language,
) -> None:
    """A buyer with enough rapport and trust lets a hidden problem slip, without details
    (the problem stays locked until a problem question touches it)."""
    if reply.ends_call or reply.withdrew or reply.reaction not in _HINT_AFTER:
        return
    if state.rapport_credit < tuning.hint_rapport or state.trust < tuning.hint_trust:
        return
    # Seqs count both roles, so a trainee move is two seqs apart from the next.
    if state.hints and max(state.hints.values()) > seq - 2 * _HINT_GAP_MOVES:
        return
    hidden = [
        p for p in scenario.problems if p.id not in state.problems and p.id not in state.hints
    ]
    if not hidden:
        return
    hidden.sort(key=lambda p: -reading.score(p.id))  # stable: scenario order on ties
    problem = hidden[0]
    state.hints[problem.id] = seq
    reply.reveals.append(Reveal(RevealKind.HINT, problem.id, problem.hint(language)))


def maybe_drift(tuning: StyleTuning, reply: Reply, rng: random.Random) -> None:
    """An expressive buyer drifts into its vision now and then (seeded)."""
    chance = tuning.vision_percent
    if reply.aside is None and reply.reaction in _DRIFT_AFTER and rng.randrange(100) < chance:
        reply.aside = Reaction.VISION


def withdraw(state: DiscoveryState, reply: Reply) -> None:
    """Under pressure an amiable buyer goes quiet; it takes rapport again to open up."""
    reply.reaction = Reaction.WITHDRAW
    reply.withdrew = True
    state.rapport_credit = 0
