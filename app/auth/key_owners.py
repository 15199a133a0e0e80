"""Who owns an API key, for rate limiting before the request reaches Flask.

API-key callers share their owner's budget (`user:<id>`, the owner's role tier): minting
more keys does not multiply a limit. The owner is read from the database once (in a
thread, off the event loop) and remembered for at most `OWNER_CACHE_SECONDS` (never past
the key's expiry); a revoked key is noted in the revocation store for that long, which is
checked on every request, so a key revoked in any process stops counting as its owner at
once. A key that does not resolve is not remembered, and its caller is limited by client
address until authentication refuses it.
"""

from __future__ import annotations

import hashlib
import time

import anyio.to_thread

from app.auth import api_keys
from app.auth.api_keys import OWNER_CACHE_SECONDS, KeyOwner
from app.auth.revocation import RevocationStore
from app.infra.column_types import utcnow
from app.infra.db import Database


class ApiKeyOwners:
    def __init__(
        self,
        db: Database,
        revocations: RevocationStore,
        *,
        ttl_seconds: float = OWNER_CACHE_SECONDS,
        max_entries: int = 10_000,
    ) -> None:
        assert ttl_seconds <= OWNER_CACHE_SECONDS  # revocation notices must outlive entries
        self._db = db
        self._revocations = revocations
        self._ttl = ttl_seconds
        self._max = max_entries
        # sha256 of the secret -> (monotonic expiry, owner); never the secret itself
        self._known: dict[bytes, tuple[float, KeyOwner]] = {}

    async def owner(self, secret: str, *, fresh: bool = False) -> KeyOwner | None:
        """The key's owner, or None for a key that is unknown, expired or revoked; `fresh`
        reads it again instead of trusting the remembered one. Raises what the revocation
        store raises when it is unreachable."""
        digest = hashlib.sha256(secret.encode()).digest()
        now = time.monotonic()
        known = None if fresh else self._known.get(digest)
        if known is not None and known[0] > now:
            owner = known[1]
        else:
            found = await anyio.to_thread.run_sync(self._lookup, secret)
            if found is None:
                return None
            owner = found
            self._remember(digest, owner, now)
        if await self._revocations.any_revoked_async(api_keys.revocation_key(owner.prefix)):
            self._known.pop(digest, None)
            return None
        return owner

    def _remember(self, digest: bytes, owner: KeyOwner, now: float) -> None:
        until = now + self._ttl
        if owner.expires_at is not None:
            until = min(until, now + (owner.expires_at - utcnow()).total_seconds())
        if len(self._known) >= self._max:
            self._known.clear()
        self._known[digest] = (until, owner)

    def _lookup(self, secret: str) -> KeyOwner | None:
        with self._db.unit_of_work() as uow:
            return api_keys.key_owner(uow.session, secret)
