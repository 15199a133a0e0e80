"""Password hashing with argon2id (argon2-cffi), bounded per process.

Each hash or verification allocates PASSWORD_HASH_MEMORY_KIB (64 MiB by default) and keeps
a core busy, so at most `concurrency` run at once; a caller waits up to `wait_seconds` for
a slot and then gets 503 `service_unavailable` with Retry-After instead of piling up.
"""

from __future__ import annotations

import base64
import os
import threading
from collections.abc import Callable
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.errors import UnavailableError

T = TypeVar("T")
RETRY_AFTER_SECONDS = 1


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _random_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    salt, digest = os.urandom(16), os.urandom(32)
    params = f"m={memory_kib},t={time_cost},p={parallelism}"
    return f"$argon2id$v=19${params}${_b64(salt)}${_b64(digest)}"


def _secret_bytes(password: str) -> bytes:
    """Any JSON string is a valid password, lone surrogates included (plain UTF-8 would
    refuse to encode them); valid text encodes exactly as UTF-8 would."""
    return password.encode("utf-8", "surrogatepass")


class Passwords:
    """Hash, verify and upgrade password hashes; parameters come from settings."""

    def __init__(
        self,
        *,
        time_cost: int,
        memory_kib: int,
        parallelism: int,
        concurrency: int = 1,
        wait_seconds: float = 2.0,
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )
        self._slots = threading.BoundedSemaphore(concurrency)
        self._wait = wait_seconds
        self.concurrency = concurrency
        # Verified against when the email is unknown, so both paths cost one argon2 run. Any
        # well-formed hash with the current parameters costs the same to check, so it is
        # assembled from random bytes instead of computed (no argon2 run at startup).
        self._dummy_hash = _random_hash(time_cost, memory_kib, parallelism)

    def _bounded(self, work: Callable[[], T]) -> T:
        if not self._slots.acquire(timeout=self._wait):
            raise UnavailableError(
                "The server is busy checking passwords; retry shortly.",
                retry_after=RETRY_AFTER_SECONDS,
            )
        try:
            return work()
        finally:
            self._slots.release()

    def hash(self, password: str) -> str:
        return self._bounded(lambda: self._hasher.hash(_secret_bytes(password)))

    def verify(self, password_hash: str, password: str) -> bool:
        return self._bounded(lambda: self._verify(password_hash, password))

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, _secret_bytes(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def verify_dummy(self, password: str) -> None:
        """Spend the same time as a real verification; the result is meaningless."""
        self.verify(self._dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters than the current ones."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
