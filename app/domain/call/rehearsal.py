"""A call played in memory through the same steps as a live one (label in context, read,
direct, compose the scripted reply), for simulations and for evaluating understanding."""

from collections.abc import Callable
from dataclasses import replace

from app.domain.call.replay import move_context, reaction_key, seeded
from app.domain.director import Direction, Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import Label, MoveContext
from app.domain.language import Language
from app.domain.reading.reading import Reading, relabel
from app.domain.transcript import Role, Turn
from app.domain.voice.compose import Scripter

Labeller = Callable[[str, MoveContext, Language], Label]


class Rehearsal:
    """`seed` drives every random choice, as a session's seed does (call/replay.py)."""

    def __init__(
        self, director: Director, label: Labeller, scripter: Scripter, *, seed: int = 1
    ) -> None:
        self._director = director
        self._label = label
        self._scripter = scripter
        self._seed = seed
        self._state = DiscoveryState()
        self.readings: dict[int, Reading] = {}
        opening = director.open(self._state, seed=seeded(seed, 0))
        self.turns: list[Turn] = [self._buyer_turn(0, opening)]

    @property
    def state(self) -> DiscoveryState:
        return self._state

    def say(self, text: str) -> Direction:
        seq = len(self.turns)
        label = self._label(text, move_context(self.turns, self._state), self._director.language)
        reading = self._director.read(self._state, text)
        label = relabel(label, reading)
        direction = self._director.direct(
            self._state,
            seq=seq,
            text=text,
            label=label,
            seed=seeded(self._seed, seq),
            reading=reading,
        )
        self.readings[seq] = reading
        labelled = replace(label, topics=direction.topics)
        self.turns.append(Turn(seq=seq, role=Role.TRAINEE, text=text, label=labelled))
        self.turns.append(self._buyer_turn(seq + 1, direction))
        return direction

    def _buyer_turn(self, seq: int, direction: Direction) -> Turn:
        text = self._scripter.compose(direction, self.turns if seq else [])
        return Turn(seq=seq, role=Role.BUYER, text=text, reaction=reaction_key(direction))
