"""Who owns an API key, for rate limiting before the request reaches Flask.

API-key callers share their owner's budget (`user:<id>`, the owner's role tier): minting
more keys does not multiply a limit. The owner is read from the database once (in a
thread, off the event loop) and remembered for a minute; a key that does not resolve is
not remembered, and its caller is limited by client address until authentication
refuses it.
"""

from __future__ import annotations

import hashlib
import time

import anyio.to_thread

from app.auth import api_keys
from app.infra.db import Database

Owner = tuple[int, str]  # (user id, role)


class ApiKeyOwners:
    def __init__(
        self, db: Database, *, ttl_seconds: float = 60.0, max_entries: int = 10_000
    ) -> None:
        self._db = db
        self._ttl = ttl_seconds
        self._max = max_entries
        # sha256 of the secret -> (monotonic expiry, owner); never the secret itself
        self._known: dict[bytes, tuple[float, Owner]] = {}

    async def owner(self, secret: str, *, fresh: bool = False) -> Owner | None:
        """The key's owner; `fresh` reads it again instead of trusting the remembered one."""
        digest = hashlib.sha256(secret.encode()).digest()
        now = time.monotonic()
        known = None if fresh else self._known.get(digest)
        if known is not None and known[0] > now:
            return known[1]
        owner = await anyio.to_thread.run_sync(self._lookup, secret)
        if owner is not None:
            if len(self._known) >= self._max:
                self._known.clear()
            self._known[digest] = (now + self._ttl, owner)
        return owner

    def _lookup(self, secret: str) -> Owner | None:
        with self._db.unit_of_work() as uow:
            return api_keys.key_owner(uow.session, secret)
