"""Clients created once per process at startup and shared by every request."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from flask import current_app, g
from sqlmodel import Session

from app.core.db import Database, make_engine
from app.core.redis_client import make_redis
from app.core.security.login_throttle import LoginThrottle
from app.core.security.passwords import Passwords
from app.core.security.revocation import MemoryRevocations, RedisRevocations, RevocationStore
from app.core.security.tokens import TokenCodec
from app.services.auth import AuthKit
from app.settings import Settings

EXTENSION_KEY = "app_resources"


@dataclass(frozen=True)
class Resources:
    settings: Settings
    db: Database
    redis: redis.Redis | None
    auth: AuthKit
    api_version: str

    @classmethod
    def create(cls, settings: Settings, api_version: str) -> Resources:
        client = make_redis(settings)
        return cls(
            settings=settings,
            db=Database(make_engine(settings)),
            redis=client,
            auth=_auth_kit(settings, client),
            api_version=api_version,
        )

    def close(self) -> None:
        self.db.dispose()
        if self.redis is not None:
            self.redis.close()


def _auth_kit(settings: Settings, client: redis.Redis | None) -> AuthKit:
    revocations: RevocationStore = (
        RedisRevocations(client, settings.redis_key_prefix) if client else MemoryRevocations()
    )
    return AuthKit(
        passwords=Passwords(
            time_cost=settings.password_hash_time_cost,
            memory_kib=settings.password_hash_memory_kib,
            parallelism=settings.password_hash_parallelism,
        ),
        tokens=TokenCodec(settings),
        revocations=revocations,
        throttle=LoginThrottle.create(
            redis=client,
            key_prefix=settings.redis_key_prefix,
            per_email=settings.login_rate_limit_per_email,
            per_client=settings.login_rate_limit_per_client,
        ),
        refresh_ttl_seconds=settings.refresh_token_ttl_seconds,
    )


def current_resources() -> Resources:
    """The Resources of the app serving this request."""
    resources: Resources = current_app.extensions[EXTENSION_KEY]
    return resources


def request_session() -> Session:
    """The request's session, opened lazily and closed when the request ends."""
    if "db_session" not in g:
        g.db_session = current_resources().db.session()
    session: Session = g.db_session
    return session


def close_request_session(_exc: BaseException | None = None) -> None:
    """Teardown hook: roll back anything uncommitted and return the connection."""
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
