"""One async SDK client per event loop.

An async SDK client pools its HTTP connections, and those belong to the event loop that
opened them. A server process has one loop, so this is one client per process; tests and
tools that start several loops get one each instead of a client bound to a closed loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class LoopLocal(Generic[T]):
    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._by_loop: dict[asyncio.AbstractEventLoop, T] = {}
        self._lock = threading.Lock()

    def get(self) -> T:
        """The running loop's client, made on first use (call from a coroutine)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            client = self._by_loop.get(loop)
            if client is None:
                # Forget loops that have ended (their clients' connections died with them).
                for old in [known for known in self._by_loop if known.is_closed()]:
                    del self._by_loop[old]
                client = self._by_loop[loop] = self._make()
            return client
