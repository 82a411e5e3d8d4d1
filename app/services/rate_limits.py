"""Per-user limits on the expensive requests (bulk classify, call analysis, scenario saves),
counted in the database so they hold across processes (issue 14)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.accounts.access import Actor
from app.domain.errors import RateLimitedError
from app.services.ports import RateLimiter

MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class RateRule:
    """At most `limit` uses of `action` per user within `window`."""

    action: str
    limit: int
    window: timedelta = MINUTE

    async def claim(self, limiter: RateLimiter, actor: Actor, now: datetime) -> None:
        """Counts one use; RateLimitedError (nothing counted) when over the limit."""
        allowed = await limiter.claim(
            user_id=actor.id, action=self.action, limit=self.limit, window=self.window, now=now
        )
        if not allowed:
            seconds = int(self.window.total_seconds())
            raise RateLimitedError(
                f"at most {self.limit} of these requests in {seconds} seconds; wait a moment"
            )
