"""Shared steps of a call that several use cases need: the director for a session, the state
before the first move, and rebuilding the discovery state from a transcript."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.call.session import PracticeSession, StoredTurn
from app.domain.director import Direction, Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import MoveContext
from app.domain.reading.lexicon import Lexicon
from app.domain.scenario import Scenario
from app.domain.style import BuyerStyle, StyleName
from app.domain.transcript import Role, Turn


@dataclass(frozen=True, slots=True)
class Replayed:
    state: DiscoveryState
    last: Direction | None  # the direction for the last trainee move, if any


def seeded(seed: int, seq: int) -> int:
    """Every move's randomness derives from the call's seed and the move's position, so a
    replay (after a crash, on another process) makes the same choices."""
    return (seed * 1_000_003 + seq) % (2**31)


def move_seed(session: PracticeSession, seq: int) -> int:
    return seeded(session.seed, seq)


@dataclass(frozen=True, slots=True)
class Cast:
    """What every call's buyer is made of besides its scenario: the four styles, and the
    lexicon its reading uses."""

    styles: Mapping[StyleName, BuyerStyle]
    lexicon: Lexicon


def director_for(session: PracticeSession, scenario: Scenario, cast: Cast) -> Director:
    return Director(scenario, cast.styles[session.style], session.language, cast.lexicon)


def fresh_state(director: Director, session: PracticeSession) -> tuple[DiscoveryState, Direction]:
    """The state before the first move, and the buyer's opening: its greeting, or in a
    drill the problem it hands the trainee."""
    state = DiscoveryState()
    opening = director.open(state, seed=move_seed(session, 0))
    if session.options.drill_problem is not None:
        opening = director.prepare_drill(state, session.options.drill_problem)
    return state, opening


def replay(director: Director, session: PracticeSession, turns: Sequence[StoredTurn]) -> Replayed:
    """Rebuilds the discovery state from the labelled transcript. The director is
    deterministic, so the stored state is a cache of this, never the only copy."""
    state, _ = fresh_state(director, session)
    last: Direction | None = None
    for stored in turns:
        turn = stored.turn
        if turn.role is Role.TRAINEE and turn.label is not None:
            last = director.direct(
                state,
                seq=turn.seq,
                text=turn.text,
                label=turn.label,
                seed=move_seed(session, turn.seq),
                reading=stored.reading,  # None for moves stored before readings were
            )
    return Replayed(state=state, last=last)


# A difficulty counts as on the table for the label while it is this recent: admitted or
# hinted in the buyer's last two turns (the classifier was trained so; a whole-call flag
# made it read later problem questions on new topics as implications).
RECENT_BUYER_TURNS = 2


def move_context(turns: Sequence[Turn], state: DiscoveryState) -> MoveContext:
    """What the label of the next move may use: the call so far, the buyer's last turn, and
    whether it admitted or hinted a difficulty lately (state before the move)."""
    buyer = [t for t in turns if t.role is Role.BUYER]
    recent = [t.seq for t in buyer[-RECENT_BUYER_TURNS:]]
    since = min(recent) - 1 if recent else 0  # the move each recent buyer turn answered
    unlocked = (*state.problems.values(), *state.hints.values())
    just_said = buyer[-1] if buyer and turns[-1].role is Role.BUYER else None
    # What the buyer's last turn gave, from the state (a deflection's "不相关" admits nothing).
    answered = just_said.seq - 1 if just_said is not None else None
    gave = (*unlocked, *state.implications.values())
    return MoveContext(
        previous=tuple(t.text for t in turns),
        buyer_said=just_said.text if just_said is not None else "",
        problem_on_table=any(seq >= since for seq in unlocked) or bool(state.handed_problems),
        buyer_admitted=answered is not None and answered in gave,
    )


def reaction_key(direction: Direction) -> str:
    """The buyer turn's reaction key; a second behaviour (an expressive buyer drifting into
    its vision) is kept as `reaction+aside`, so hidden-style mode can point at that line."""
    key = direction.reaction.value
    return f"{key}+{direction.aside.value}" if direction.aside else key
