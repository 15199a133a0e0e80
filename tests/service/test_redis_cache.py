"""RedisCache against the real Redis: the same behaviour as the in-process cache, and
invalidation by prefix touches only what it names, without scanning the keyspace."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from app.infra.cache import MemoryCache, RedisCache


@pytest.fixture
def client(redis_url: str | None) -> Iterator[redis.Redis]:
    if redis_url is None:
        pytest.skip("REDIS_URL not set (CI always sets it)")
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def prefix(client: redis.Redis) -> Iterator[str]:
    prefix = f"test-cache-{time.time_ns()}"
    yield prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.unlink(key)


@pytest.fixture(params=["redis", "memory"])
def cache(request: pytest.FixtureRequest, client: redis.Redis, prefix: str) -> Any:
    return RedisCache(client, prefix, 60) if request.param == "redis" else MemoryCache(60)


def fill(cache: Any, keys: list[str]) -> None:
    for key in keys:
        cache.get_or_set(key, lambda k=key: {"k": k})


def cached(cache: Any, key: str) -> bool:
    return cache.get_or_set(key, lambda: None) is not None


KEYS = [
    "items:item:1",
    "items:item:12",
    "items:list:all:abc",
    "items:list:owner:7:abc",
    "items:list:owner:7:def",
    "items:list:owner:70:abc",
    "documents:doc:1",
]


@pytest.mark.parametrize(
    ("patterns", "dropped"),
    [
        (["items:item:1"], {"items:item:1"}),  # exact: not items:item:12
        (["items:list:owner:7:*"], {"items:list:owner:7:abc", "items:list:owner:7:def"}),
        (["items:list:all:*", "documents:doc:1"], {"items:list:all:abc", "documents:doc:1"}),
        (["items:*"], {k for k in KEYS if k.startswith("items:")}),
        (["*"], set(KEYS)),
        (["items:list:owner:7*"], {k for k in KEYS if k.startswith("items:list:owner:7")}),
        (["items:item:?"], {"items:item:1"}),
        (["nothing:*", "nothing"], set()),
    ],
)
def test_invalidation_drops_exactly_what_the_patterns_match(
    cache: Any, patterns: list[str], dropped: set[str]
) -> None:
    fill(cache, KEYS)
    cache.invalidate(*patterns)
    assert {k for k in KEYS if not cached(cache, k)} == dropped


def test_values_expire_and_the_index_stays_bounded(client: redis.Redis, prefix: str) -> None:
    cache = RedisCache(client, prefix, ttl_seconds=1)
    fill(cache, ["items:list:owner:7:a", "items:list:owner:7:b"])
    assert 0 < client.ttl(f"{prefix}:cache:items:list:owner:7:a") <= 1
    time.sleep(2.1)
    assert not cached(cache, "items:list:owner:7:a")
    fill(cache, ["items:list:owner:7:c"])
    # Expired members are trimmed when the next key is recorded under the same prefix.
    members = client.zrange(f"{prefix}:cache-index:items:list:owner:7:", 0, -1)
    assert members == [b"items:list:owner:7:c"]


def test_prefix_invalidation_does_not_scan(
    client: redis.Redis, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = RedisCache(client, prefix, 60)
    fill(cache, KEYS)

    def no_scan(*_: Any, **__: Any) -> Any:
        raise AssertionError("SCAN used for a prefix pattern")

    monkeypatch.setattr(client, "scan_iter", no_scan)
    cache.invalidate("items:item:1", "items:list:owner:7:*", "*")
    assert not any(cached(cache, k) for k in KEYS)
