"""The password rule (NIST SP 800-63B §3.1.1.2): long enough, not too long to hash, not on a
list of common passwords, not the username or the product's name, not one repeated or
sequential character run. No composition rules: they make passwords worse, not stronger."""

import importlib.resources
import itertools
import unicodedata
from collections.abc import Iterable

from app.domain.errors import (
    CommonPasswordError,
    PasswordLikeUsernameError,
    WeakPasswordError,
)

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 256
COMMON_PASSWORDS_RESOURCE = "common_passwords.txt"
# Words anyone guessing a password for this installation would try first (§3.1.1.2: "context-
# specific words, such as the name of the service").
CONTEXT_WORDS = ("spinpractice", "spin-practice", "spin practice", "spinselling")


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _is_run(text: str) -> bool:
    """One character repeated, or an ascending/descending sequence ("aaaaaaaaaa",
    "1234567890", "zyxwvutsrq")."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


class PasswordPolicy:
    """Checks a new password. `common` are lower-cased entries of a common-password list."""

    def __init__(self, common: Iterable[str]) -> None:
        self._common = frozenset(_folded(p) for p in common)

    def check(self, password: str, *, username: str | None = None) -> str:
        """Returns the password; raises WeakPasswordError (or a subclass naming why)."""
        if len(password) < MIN_PASSWORD_CHARS:
            raise WeakPasswordError(f"passwords need at least {MIN_PASSWORD_CHARS} characters")
        if len(password) > MAX_PASSWORD_CHARS:
            raise WeakPasswordError(f"passwords have at most {MAX_PASSWORD_CHARS} characters")
        folded = _folded(password)
        if folded in self._common or _is_run(folded):
            raise CommonPasswordError("this password is on a list of common passwords")
        name = _folded(username or "").strip()
        # two Latin letters ("li") are in too many good passwords; two Han characters are a name
        shortest = 3 if name.isascii() else 2
        if (len(name) >= shortest and name in folded) or any(w in folded for w in CONTEXT_WORDS):
            raise PasswordLikeUsernameError("a password may not contain the username")
        return password


def load_common_passwords() -> list[str]:
    """The shipped list (see the header of common_passwords.txt for its source and licence)."""
    resource = importlib.resources.files("app.domain.accounts").joinpath(COMMON_PASSWORDS_RESOURCE)
    lines = resource.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]
