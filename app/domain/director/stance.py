"""How the buyer feels: patience and trust bounds, the stance they imply, and the call's
likely outcome (SPIN.md §3.7)."""

from app.domain.director.state import DiscoveryState, Outcome, Stance
from app.domain.style import StyleTuning


def adjust(state: DiscoveryState, *, patience: int = 0, trust: int = 0) -> None:
    """Moves patience and trust, kept within 0-100."""
    state.patience = max(0, min(100, state.patience + patience))
    state.trust = max(0, min(100, state.trust + trust))


def stance_for(
    state: DiscoveryState, tuning: StyleTuning, *, impatient: bool, withdrew: bool
) -> Stance:
    if withdrew:
        return Stance.GUARDED
    if impatient or state.ended_by_buyer or state.patience <= tuning.impatient_below:
        return Stance.IMPATIENT
    if state.trust >= tuning.warm_from:
        return Stance.WARMING
    if state.trust >= tuning.open_from:
        return Stance.OPEN
    return Stance.GUARDED


def likely_outcome(state: DiscoveryState) -> Outcome:
    """Order only after an accepted advance and an accepted request for the order; an
    advance when the buyer agreed to the scenario's concrete next step; a continuation when
    the advance was deferred or problems were developed (implications or explicit needs)
    without one; otherwise, or when the buyer hung up with nothing agreed, no sale."""
    if state.order_accepted:
        return Outcome.ORDER
    if state.advance_accepted:
        return Outcome.ADVANCE
    if state.ended_by_buyer:
        return Outcome.NO_SALE
    if state.advance_proposed_at is not None or state.implications or state.needs:
        return Outcome.CONTINUATION
    return Outcome.NO_SALE
