"""Connexion security handlers bound to this app's services (no global state).

Connexion calls security functions on the event loop; verification touches the database
and Redis, so it runs in a worker thread. The handlers are built per app in create_app()
and passed as Connexion's `security_map`, so the spec needs no `x-bearerInfoFunc`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread
from connexion.security import NO_VALUE, ApiKeySecurityHandler, BearerSecurityHandler

from app.core.db import Database
from app.core.security.errors import AuthError
from app.services.api_keys import authenticate_api_key
from app.services.auth import AuthKit, authenticate_bearer

TokenInfo = dict[str, Any]
MAX_TOKEN_LENGTH = 8192


class Authenticator:
    """Turns a credential into Connexion's token_info, or raises AuthError."""

    def __init__(self, db: Database, kit: AuthKit) -> None:
        self._db = db
        self._kit = kit

    def bearer_sync(self, token: str) -> TokenInfo:
        with self._db.session() as session:
            return authenticate_bearer(session, self._kit, token).to_token_info()

    def api_key_sync(self, key: str) -> TokenInfo:
        with self._db.session() as session:
            return authenticate_api_key(session, key).to_token_info()

    async def bearer(self, token: str) -> TokenInfo:
        return await anyio.to_thread.run_sync(self.bearer_sync, token)

    async def api_key(self, key: str) -> TokenInfo:
        return await anyio.to_thread.run_sync(self.api_key_sync, key)


def security_map(authenticator: Authenticator) -> dict[str, type]:
    """Connexion `security_map` whose handlers call `authenticator`."""

    class Bearer(BearerSecurityHandler):  # type: ignore[misc]
        def _resolve_func(self, _scheme: dict[str, Any]) -> Callable[[str], Awaitable[TokenInfo]]:
            return authenticator.bearer

        def _get_verify_func(self, token_info_func: Any) -> Any:
            check = self.check_bearer_token(token_info_func)

            def wrapper(request: Any) -> Any:
                header = request.headers.get("Authorization")
                if header is None:
                    return NO_VALUE
                scheme, _, token = header.strip().partition(" ")
                if scheme.lower() != "bearer":
                    return NO_VALUE  # another scheme: not ours to judge
                token = token.strip()
                if not token or " " in token or len(token) > MAX_TOKEN_LENGTH:
                    raise AuthError("token_malformed", "Expected 'Authorization: Bearer <token>'.")
                return check(request, token)

            return wrapper

    class ApiKey(ApiKeySecurityHandler):  # type: ignore[misc]
        def _resolve_func(self, _scheme: dict[str, Any]) -> Callable[[str], Awaitable[TokenInfo]]:
            return authenticator.api_key

    return {"bearer": Bearer, "apiKey": ApiKey}
