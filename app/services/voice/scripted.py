"""The scripted voice (DESIGN.md §2), the embedded default: no network, deterministic given
the Direction's seed. The words come from app/domain/voice/compose.py; this streams them."""

from collections.abc import AsyncIterator, Mapping, Sequence

from app.domain.call.session import SCRIPTED, ReplyMeta
from app.domain.director import Direction
from app.domain.style import BuyerStyle, StyleName
from app.domain.transcript import Turn
from app.domain.voice.compose import Scripter, chunk_text
from app.services.ports import Spoken


class ScriptedVoice:
    """Pass every turn of the call in `recent`: the no-repeat rule can only avoid sentences
    it is shown."""

    provenance: ReplyMeta = SCRIPTED

    def __init__(self, styles: Mapping[StyleName, BuyerStyle]) -> None:
        self._scripter = Scripter(styles)

    async def speak(
        self, direction: Direction, recent: Sequence[Turn], *, locked: Sequence[str] = ()
    ) -> AsyncIterator[str | Spoken]:
        """Streams the reply in small chunks (a few words, or a few Chinese characters).
        `locked` is unused: composed from the Direction alone, the words cannot hold it."""
        del locked
        for chunk in chunk_text(self.compose(direction, recent), direction.language):
            yield chunk

    def compose(self, direction: Direction, recent: Sequence[Turn]) -> str:
        return self._scripter.compose(direction, recent)
