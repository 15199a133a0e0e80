"""Where the daily budget counters live: Redis when configured (one Lua script checks every
limit and then adds to every counter, atomically), else the database (conditional UPDATEs
in one transaction: PostgreSQL re-checks the condition on the locked row, SQLite serialises
writers). A counter holds what a scope was charged on one UTC day: the settled usage plus
the worst case of every call still in flight (or that never settled: a killed worker).

A counter missing on a day that already has usage (Redis flushed, budgets switched on at
noon) starts from that day's usage rows, so turning budgets on mid-day does not hand out a
fresh allowance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol

import redis
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.ai.budget_table import AIBudgetCounter
from app.infra.db import Database

MICROS = Decimal(1_000_000)
# Counters outlive their day by this much, so a call settling just after midnight still
# finds its day's counter.
KEEP_AFTER_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Line:
    """An amount to add to one scope's counter, and that scope's limits (0 = none)."""

    scope: str  # "user:<id>" or "key:<id>"
    tokens: int
    micros: int
    token_limit: int = 0
    micro_limit: int = 0


class CounterStore(Protocol):
    def try_add(self, day: date, lines: Sequence[Line]) -> Line | None:
        """Add every line if each fits its limits, else nothing: the first that does not."""
        ...

    def add(self, day: date, lines: Sequence[Line]) -> None:
        """Add unconditionally (a settlement's difference, usually negative)."""
        ...

    def read(self, day: date, scope: str) -> tuple[int, int]:
        """(tokens, micro-dollars) charged to the scope that day."""
        ...


Seed = Callable[[str, date], tuple[int, int]]

# KEYS: one hash per line. ARGV[1]: expiry (unix seconds); then six per line: tokens,
# micros, token limit, micro limit, seed tokens, seed micros ("" = not computed yet).
# Returns 0 (added), i (line i does not fit) or -i (line i's counter needs its seed).
_RESERVE = """
local n = #KEYS
for i = 1, n do
  local b = 1 + (i - 1) * 6
  if redis.call('EXISTS', KEYS[i]) == 0 then
    if ARGV[b + 5] == '' then return -i end
    redis.call('HSET', KEYS[i], 't', ARGV[b + 5], 'm', ARGV[b + 6])
    redis.call('EXPIREAT', KEYS[i], ARGV[1])
  end
end
for i = 1, n do
  local b = 1 + (i - 1) * 6
  local t = tonumber(redis.call('HGET', KEYS[i], 't') or '0')
  local m = tonumber(redis.call('HGET', KEYS[i], 'm') or '0')
  local tl, ml = tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
  if (tl > 0 and t + tonumber(ARGV[b + 1]) > tl) or (ml > 0 and m + tonumber(ARGV[b + 2]) > ml) then
    return i
  end
end
for i = 1, n do
  local b = 1 + (i - 1) * 6
  redis.call('HINCRBY', KEYS[i], 't', ARGV[b + 1])
  redis.call('HINCRBY', KEYS[i], 'm', ARGV[b + 2])
end
return 0
"""
# A settlement: only counters that still exist (a vanished one restarts from the rows).
_ADD = """
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('HINCRBY', KEYS[i], 't', ARGV[2 * i - 1])
    redis.call('HINCRBY', KEYS[i], 'm', ARGV[2 * i])
  end
end
return 0
"""


class RedisCounters:
    def __init__(self, client: redis.Redis, prefix: str, seed: Seed) -> None:
        self._client = client
        self._prefix = prefix
        self._seed = seed
        self._reserve = client.register_script(_RESERVE)
        self._add = client.register_script(_ADD)

    def _key(self, day: date, scope: str) -> str:
        return f"{self._prefix}:ai:budget:{day.isoformat()}:{scope}"

    def try_add(self, day: date, lines: Sequence[Line]) -> Line | None:
        keys = [self._key(day, line.scope) for line in lines]
        expires = datetime.combine(day, time(), tzinfo=UTC) + timedelta(days=1) + KEEP_AFTER_DAY
        seeds: dict[int, tuple[int, int]] = {}
        while True:
            args: list[str | int] = [int(expires.timestamp())]
            for i, line in enumerate(lines):
                seed = seeds.get(i)
                args += [line.tokens, line.micros, line.token_limit, line.micro_limit]
                args += [seed[0], seed[1]] if seed else ["", ""]
            answer = int(self._reserve(keys=keys, args=args))
            if answer >= 0:
                return None if answer == 0 else lines[answer - 1]
            missing = -answer - 1
            seeds[missing] = self._seed(lines[missing].scope, day)

    def add(self, day: date, lines: Sequence[Line]) -> None:
        args: list[int] = []
        for line in lines:
            args += [line.tokens, line.micros]
        self._add(keys=[self._key(day, line.scope) for line in lines], args=args)

    def read(self, day: date, scope: str) -> tuple[int, int]:
        raw = self._client.hmget(self._key(day, scope), ["t", "m"])
        tokens, micros = raw  # type: ignore[misc]
        if tokens is None:
            return self._seed(scope, day)
        return int(tokens), int(micros or 0)


class _RefusedError(Exception):
    def __init__(self, line: Line) -> None:
        self.line = line


class DatabaseCounters:
    def __init__(self, db: Database, seed: Seed) -> None:
        self._db = db
        self._seed = seed
        dialect = db.engine.dialect.name
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    def _ensure(self, day: date, scope: str) -> None:
        """The day's row exists (created from the day's usage rows when missing)."""
        with self._db.unit_of_work() as uow:
            if uow.session.get(AIBudgetCounter, (scope, day)) is not None:
                return
        tokens, micros = self._seed(scope, day)  # one connection at a time per thread
        with self._db.unit_of_work() as uow, uow.transaction() as session:
            session.execute(
                self._insert(AIBudgetCounter)
                .values(scope=scope, day=day, tokens=tokens, usd_micros=micros)
                .on_conflict_do_nothing()
            )

    def try_add(self, day: date, lines: Sequence[Line]) -> Line | None:
        for line in lines:
            self._ensure(day, line.scope)
        counter = AIBudgetCounter.__table__.c  # type: ignore[attr-defined]
        try:
            with self._db.unit_of_work() as uow, uow.transaction() as session:
                for line in lines:  # always user before key: one lock order, no deadlock
                    fits = [counter.scope == line.scope, counter.day == day]
                    if line.token_limit:
                        fits.append(counter.tokens + line.tokens <= line.token_limit)
                    if line.micro_limit:
                        fits.append(counter.usd_micros + line.micros <= line.micro_limit)
                    done = session.execute(
                        update(AIBudgetCounter)
                        .where(*fits)
                        .values(
                            tokens=counter.tokens + line.tokens,
                            usd_micros=counter.usd_micros + line.micros,
                        )
                    )
                    if done.rowcount != 1:  # type: ignore[attr-defined]
                        raise _RefusedError(line)  # rolls back the lines already added
        except _RefusedError as refused:
            return refused.line
        return None

    def add(self, day: date, lines: Sequence[Line]) -> None:
        counter = AIBudgetCounter.__table__.c  # type: ignore[attr-defined]
        with self._db.unit_of_work() as uow, uow.transaction() as session:
            for line in lines:
                session.execute(
                    update(AIBudgetCounter)
                    .where(counter.scope == line.scope, counter.day == day)
                    .values(
                        tokens=counter.tokens + line.tokens,
                        usd_micros=counter.usd_micros + line.micros,
                    )
                )

    def read(self, day: date, scope: str) -> tuple[int, int]:
        with self._db.unit_of_work() as uow:
            row = uow.session.get(AIBudgetCounter, (scope, day))
            found = None if row is None else (row.tokens, row.usd_micros)
        return found if found is not None else self._seed(scope, day)
