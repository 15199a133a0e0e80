"""Clients created once per process at startup and shared by every request."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from flask import current_app, g
from sqlmodel import Session

from app.core.db import Database, make_engine
from app.core.redis_client import make_redis
from app.settings import Settings

EXTENSION_KEY = "app_resources"


@dataclass(frozen=True)
class Resources:
    settings: Settings
    db: Database
    redis: redis.Redis | None
    api_version: str

    @classmethod
    def create(cls, settings: Settings, api_version: str) -> Resources:
        return cls(
            settings=settings,
            db=Database(make_engine(settings)),
            redis=make_redis(settings),
            api_version=api_version,
        )

    def close(self) -> None:
        self.db.dispose()
        if self.redis is not None:
            self.redis.close()


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
