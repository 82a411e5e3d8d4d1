"""A cap on one user's open practice sockets in this process (issue 14). Each socket holds
buffers and a task; the cap bounds what one account can make this process hold, as the frame
size limit does per frame, so it is counted where the memory is: per process."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID


class TooManySocketsError(Exception):
    pass


class SocketQuota:
    def __init__(self, max_per_user: int) -> None:
        self._max = max_per_user
        self._open: Counter[UUID] = Counter()

    @contextmanager
    def hold(self, user_id: UUID) -> Iterator[None]:
        """One open socket for the user while the block runs; TooManySocketsError when the
        user already has the maximum open here."""
        if self._open[user_id] >= self._max:
            raise TooManySocketsError
        self._open[user_id] += 1
        try:
            yield
        finally:
            self._open[user_id] -= 1
            if self._open[user_id] <= 0:
                del self._open[user_id]
