"""The director (DESIGN.md §2): the discovery rules and the buyer's stance, split by concept:
`state` (the discovery state of one call), `reveal` (what a move unlocks), `stance`
(patience, trust, outcome), `behaviour` (hints, drift, withdrawal), `direction` (what a voice
receives) and `director` (the rules in order)."""

from app.domain.director.direction import Direction, Persona, Reveal, RevealKind
from app.domain.director.director import Director, move_type

__all__ = ["Direction", "Director", "Persona", "Reveal", "RevealKind", "move_type"]
