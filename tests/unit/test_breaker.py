"""The circuit breaker (app/ai/breaker.py) on a clock the test moves: closed -> open after
N consecutive retryable failures, skipped while open, ONE half-open probe while concurrent
callers keep skipping, the probe's verdict, and threads sharing one breaker. Also the
fallback settings checked at startup."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pydantic import ValidationError

from app.ai.breaker import Breaker, State
from app.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: Clock, changes: list[State] | None = None, failures: int = 3) -> Breaker:
    def record(_provider: str, state: State) -> None:
        if changes is not None:
            changes.append(state)

    return Breaker("openai", failures=failures, open_s=30, on_change=record, clock=clock)


def fail(b: Breaker, times: int) -> None:
    for _ in range(times):
        admission = b.admit()
        assert admission is not None
        b.settle(admission, ok=False)


def test_opens_after_consecutive_failures_and_skips_while_open() -> None:
    clock, changes = Clock(), []
    b = breaker(clock, changes)
    fail(b, 2)
    assert b.view().state == "closed" and b.view().failures == 2
    ok = b.admit()
    assert ok is not None
    b.settle(ok, ok=True)  # a success resets the count: failures must be consecutive
    fail(b, 2)
    assert b.view().state == "closed"
    fail(b, 1)
    assert b.view().state == "open" and changes == ["open"]
    assert b.admit() is None  # skipped at once
    clock.now += 29.2
    assert b.admit() is None
    assert b.retry_after() == 1 and b.view().retry_after_s == 1


def test_one_half_open_probe_closes_on_success() -> None:
    clock, changes = Clock(), []
    b = breaker(clock, changes)
    fail(b, 3)
    clock.now += 30
    probe = b.admit()
    assert probe is not None and probe.probe
    assert b.view().state == "half_open"
    assert b.admit() is None and b.admit() is None  # concurrent callers skip the probe
    b.settle(probe, ok=True)
    assert b.view().state == "closed" and changes == ["open", "half_open", "closed"]
    again = b.admit()
    assert again is not None and not again.probe


def test_failed_probe_opens_again_for_a_full_period() -> None:
    clock, changes = Clock(), []
    b = breaker(clock, changes)
    fail(b, 3)
    clock.now += 31
    probe = b.admit()
    assert probe is not None
    b.settle(probe, ok=False)
    assert b.view().state == "open" and b.view().retry_after_s == 30
    assert b.admit() is None
    assert changes == ["open", "half_open", "open"]


def test_a_probe_without_verdict_frees_the_slot_and_stragglers_change_nothing() -> None:
    clock = Clock()
    b = breaker(clock)
    straggler = b.admit()  # admitted while closed, still running when the breaker opens
    assert straggler is not None
    fail(b, 3)
    b.settle(straggler, ok=True)  # only the probe decides
    assert b.view().state == "open"
    clock.now += 30
    probe = b.admit()
    assert probe is not None
    b.settle(probe, ok=None)  # cancelled: no verdict
    assert b.view().state == "half_open"
    second = b.admit()  # the next caller probes
    assert second is not None and second.probe
    b.settle(second, ok=True)
    assert b.view().state == "closed"


def test_threads_share_one_breaker_and_exactly_one_probes() -> None:
    clock = Clock()
    b = breaker(clock, failures=50)
    barrier = threading.Barrier(50)

    def worker() -> None:
        barrier.wait()
        admission = b.admit()
        assert admission is not None
        b.settle(admission, ok=False)

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert b.view().state == "open"  # exactly the 50th failure opened it
    clock.now += 30
    admitted: list[Any] = []
    gate = threading.Barrier(20)

    def prober() -> None:
        gate.wait()
        admitted.append(b.admit())

    probers = [threading.Thread(target=prober) for _ in range(20)]
    for t in probers:
        t.start()
    for t in probers:
        t.join()
    assert sum(a is not None for a in admitted) == 1


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, env="test", **values)  # type: ignore[call-arg]


def test_fallbacks_are_parsed_in_order() -> None:
    s = settings(
        openai_api_key="sk-x",
        anthropic_api_key="sk-y",
        ai_fallbacks=" anthropic:claude-haiku-4-5, openai:gpt-4o ,anthropic:claude-haiku-4-5",
    )
    assert s.ai.fallback_pairs == [("anthropic", "claude-haiku-4-5"), ("openai", "gpt-4o")]
    assert (s.ai.breaker_failures, s.ai.breaker_open_s) == (5, 30.0)


@pytest.mark.parametrize(
    ("fallbacks", "message"),
    [
        (
            "anthropic:claude-haiku-4-5",
            "provider anthropic is not configured: it needs ANTHROPIC_API_KEY",
        ),
        ("azure:gpt-4o", "AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT"),
        ("claude-haiku-4-5", "AI_FALLBACKS: expected provider:model"),
        ("mistral:large", "AI_FALLBACKS: expected provider:model"),
        ("openai:", "AI_FALLBACKS: expected provider:model"),
    ],
)
def test_a_fallback_that_is_not_configured_stops_startup(fallbacks: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(ai_fallbacks=fallbacks)


@pytest.mark.parametrize(
    "values", [{"ai_breaker_failures": 0}, {"ai_breaker_open_s": 0}, {"ai_breaker_open_s": -1}]
)
def test_breaker_settings_are_bounded(values: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        settings(**values)
