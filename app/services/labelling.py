"""Bulk labelling (`POST /api/classify`): many moves at once with the configured judge, in the
worker processes for the offline one, within a per-user rate limit (issue 14)."""

from collections.abc import Callable, Sequence
from datetime import datetime

from app.domain.accounts.access import Actor
from app.domain.errors import EmptyTextError
from app.domain.labels import NO_CONTEXT, Label
from app.domain.language import Language
from app.domain.text import is_blank
from app.services.ports import Judge, RateLimiter
from app.services.rate_limits import RateRule


class Labelling:
    def __init__(
        self,
        *,
        judge: Judge,
        limiter: RateLimiter,
        rule: RateRule,
        clock: Callable[[], datetime],
    ) -> None:
        self._judge = judge
        self._limiter = limiter
        self._rule = rule
        self._clock = clock

    async def label_texts(
        self, actor: Actor, texts: Sequence[str], *, language: Language | None
    ) -> list[Label]:
        """One label per text, in order; EmptyTextError when one has nothing to label."""
        if any(is_blank(text) for text in texts):
            raise EmptyTextError("an empty move cannot be labelled")
        await self._rule.claim(self._limiter, actor, self._clock())
        return await self._judge.label_many(
            [(text, NO_CONTEXT) for text in texts], language=language
        )
