"""A typed registry of the process-wide objects, filled once by the composition root.

The HTTP plumbing hands it to every request (`app.http.handler_context.get`) and stream call
without knowing what is in it: handlers ask for what they need by type
(`get(AIGateway)`), so nothing below the composition root imports the container.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar, cast

T = TypeVar("T")


class Registry:
    """Objects by type: `get(Cache)` answers the one registered as a `Cache`."""

    def __init__(self, entries: Iterable[tuple[type[Any], object]] = ()) -> None:
        self._by_type: dict[type[Any], object] = {}
        for kind, value in entries:
            self.add(kind, value)

    def add(self, kind: type[T], value: T) -> None:
        if kind in self._by_type:
            raise ValueError(f"{kind.__qualname__} is registered twice")
        self._by_type[kind] = value

    def get(self, kind: type[T]) -> T:
        try:
            return cast(T, self._by_type[kind])
        except KeyError:
            raise LookupError(f"nothing registered as {kind.__qualname__}") from None
