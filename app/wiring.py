"""Composition root, part one: build every process-wide client and service from settings.

`app.main.create_app` (part two) adds the HTTP side. Nothing else constructs clients; the
CLI and tasks get the same `Services` through the Flask app. This module may import
anything; nothing imports it except `app.main`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import redis

from app.ai.factory import build_gateway
from app.auth.passwords import Passwords
from app.auth.revocation import MemoryRevocations, RedisRevocations, RevocationStore
from app.auth.service import AuthService
from app.auth.throttle import LoginThrottle
from app.auth.tokens import TokenCodec
from app.infra.cache import make_cache
from app.infra.db import Database, make_engine
from app.infra.redis import make_redis
from app.services.container import Services
from app.services.streaming import StreamSlots
from app.settings import Settings
from generated import models as generated_models


def build_services(settings: Settings, spec: Mapping[str, Any]) -> Services:
    client = make_redis(settings)
    return Services(
        settings=settings,
        db=Database(make_engine(settings)),
        redis=client,
        auth=_auth_service(settings, client),
        cache=make_cache(client, settings.redis_key_prefix, settings.cache_ttl_seconds),
        ai=build_gateway(
            settings,
            spec,
            generated_models,
            # Answers can be large: the in-process fallback keeps fewer of them.
            make_cache(
                client, settings.redis_key_prefix, settings.ai_cache_ttl_seconds, max_entries=1000
            ),
        ),
        api_version=str(spec["info"]["version"]),
        streams=StreamSlots(settings.ai_stream_max_open),
    )


def _auth_service(settings: Settings, client: redis.Redis | None) -> AuthService:
    revocations: RevocationStore = (
        RedisRevocations(client, settings.redis_key_prefix) if client else MemoryRevocations()
    )
    return AuthService(
        passwords=Passwords(
            time_cost=settings.password_hash_time_cost,
            memory_kib=settings.password_hash_memory_kib,
            parallelism=settings.password_hash_parallelism,
            concurrency=settings.hash_concurrency,
            wait_seconds=settings.password_hash_wait_seconds,
        ),
        tokens=TokenCodec(settings),
        revocations=revocations,
        throttle=LoginThrottle.create(
            redis=client,
            key_prefix=settings.redis_key_prefix,
            per_email=settings.login_rate_limit_per_email,
            per_client=settings.login_rate_limit_per_client,
            register_per_client=settings.register_rate_limit_per_client,
        ),
        refresh_ttl_seconds=settings.refresh_token_ttl_seconds,
    )
