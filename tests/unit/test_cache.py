"""The in-process cache: read-through, None never stored, glob invalidation, no sharing."""

from __future__ import annotations

from app.infra.cache import MemoryCache


def test_read_through_and_invalidation() -> None:
    cache = MemoryCache(ttl_seconds=60)
    calls: list[str] = []

    def produce(value: object) -> object:
        calls.append("x")
        return value

    assert cache.get_or_set("items:item:1", lambda: produce({"a": 1})) == {"a": 1}
    assert cache.get_or_set("items:item:1", lambda: produce({"a": 2})) == {"a": 1}
    assert calls == ["x"]
    cache.get_or_set("items:list:owner:7:abc", lambda: produce([1]))
    cache.get_or_set("items:list:owner:70:abc", lambda: produce([2]))
    cache.invalidate("items:item:1", "items:list:owner:7:*")
    assert cache.get_or_set("items:item:1", lambda: produce({"a": 3})) == {"a": 3}
    assert cache.get_or_set("items:list:owner:7:abc", lambda: produce([3])) == [3]
    assert cache.get_or_set("items:list:owner:70:abc", lambda: produce([4])) == [2]  # kept


def test_none_is_not_stored_and_values_are_copies() -> None:
    cache = MemoryCache(ttl_seconds=60)
    assert cache.get_or_set("k", lambda: None) is None
    assert cache.get_or_set("k", lambda: {"v": [1]}) == {"v": [1]}
    got = cache.get_or_set("k", lambda: None)
    got["v"].append(2)  # a caller mutating its copy
    assert cache.get_or_set("k", lambda: None) == {"v": [1]}
