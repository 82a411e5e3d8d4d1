"""The faithfulness guard's hold-back (issue 13): a model's stream is released to the trainee
one checked sentence at a time, so an invented figure is never shown; the first sentence that
fails stops the stream. Why sentence by sentence rather than stream-then-correct: a trainee
who reads "10 operators" and then sees it turn into "38" has learnt the wrong number, and a
sentence is the smallest unit a figure or a name can be judged in."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.domain.language import Language
from app.domain.voice.verdict import Violation

# A sentence ends at its mark and any closing quote; English needs the space after it too, so
# "1.2 million" and "e.g." do not end one mid-number.
_EN_END = re.compile(r"[.!?…]+[\"'”’)]*\s+")
_ZH_END = re.compile(r"[。！？!?…]+[”’）)]*")


@dataclass(slots=True)
class HoldBack:
    """Collects a stream's deltas; `feed` returns the sentences now complete and checked.
    After a violation it releases nothing more and `violation` says why."""

    check: Callable[[str], Violation | None]
    language: Language
    text: str = ""  # everything received
    released: int = 0  # characters of `text` released
    violation: Violation | None = None
    shown: list[str] = field(default_factory=list)

    def feed(self, delta: str) -> list[str]:
        if self.violation is not None:
            return []
        self.text += delta
        out: list[str] = []
        pattern = _ZH_END if self.language is Language.ZH else _EN_END
        while self.violation is None:
            match = pattern.search(self.text, self.released)
            if match is None:
                break
            out += self._release(match.end())
        return out

    def finish(self) -> list[str]:
        """The last sentence, which needs no mark (a reply may end without one)."""
        if self.violation is not None or not self.text[self.released :].strip():
            return []
        return self._release(len(self.text))

    def _release(self, end: int) -> list[str]:
        chunk = self.text[self.released : end]
        found = self.check(chunk.strip()) if chunk.strip() else None
        if found is not None:
            self.violation = found
            return []
        self.released = end
        self.shown.append(chunk)
        return [chunk]
