"""A voice's stream drained to the reply it stands for: the `Spoken` it ended with, or its
chunks joined (for the opening line, simulations and anything that needs no streaming)."""

from collections.abc import AsyncIterator, Sequence

from app.domain.director import Direction
from app.domain.transcript import Turn
from app.services.ports import Spoken, Voice


async def settle(stream: AsyncIterator[str | Spoken], voice: Voice) -> Spoken:
    """The reply a stream stands for; chunks without a closing `Spoken` are the voice's
    words as streamed."""
    parts: list[str] = []
    last: Spoken | None = None
    async for piece in stream:
        if isinstance(piece, Spoken):
            last = piece
        else:
            parts.append(piece)
    return last if last is not None else Spoken("".join(parts).strip(), voice.provenance)


async def say(
    voice: Voice, direction: Direction, recent: Sequence[Turn], *, locked: Sequence[str] = ()
) -> Spoken:
    return await settle(voice.speak(direction, recent, locked=locked), voice)
