"""PasswordHasher with argon2 (pwdlib's recommended parameters)."""

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError


class Argon2PasswordHasher:
    def __init__(self) -> None:
        self._hash = PasswordHash.recommended()

    def hash(self, password: str) -> str:
        return self._hash.hash(password)

    def verify(self, password: str, password_hash: str) -> bool:
        try:
            return self._hash.verify(password, password_hash)
        except UnknownHashError:
            return False
