"""What is measured. Add a scenario by appending to SCENARIOS.

A scenario is one request repeated by wrk. `auth` names a seeded account whose bearer
token is sent; `probe` scenarios are served (for the service) by bench/probe_app.py;
`server_env` adds settings to the servers that run it (the harness starts one server per
distinct set); `baselines=False` skips the plain-Flask/FastAPI apps, `baseline_kinds`
names the ones that implement the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# user: owns ITEMS_SEEDED items; writer: the account POST /items scenarios create with.
Account = Literal["user", "admin", "writer"]
ITEMS_SEEDED = 10_000


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    method: str
    path: str
    expect_status: int = 200
    auth: Account | None = None
    body: dict[str, Any] | None = None
    headers: tuple[tuple[str, str], ...] = ()  # sent besides auth and content type
    connections: int | None = None  # None: the run's --connections
    timeout_s: float = 2.0  # wrk's per-request timeout
    duration_factor: float = 1.0  # times the run's --duration
    probe: bool = False
    server_env: tuple[tuple[str, str], ...] = ()
    baselines: bool = True
    baseline_kinds: tuple[str, ...] = ("flask", "fastapi")
    warmup: bool = True
    # Issue 9 item 5: minimum req/s ratio against plain Flask (2 workers), and whether
    # the p99 <= 3x plain Flask target applies.
    target_ratio: float | None = None
    p99_target: bool = True
    # For slow-handler probes: seconds the handler sleeps (req/s is then compared with
    # concurrency / slow_seconds).
    slow_seconds: float | None = None
    # Server-sent event streams held open (bench/streams.py) while this scenario runs.
    held_streams: int = 0
    notes: str = field(default="", compare=False)

    @property
    def server_key(self) -> tuple[bool, tuple[tuple[str, str], ...]]:
        """Scenarios with the same key share one server start."""
        return (self.probe, self.server_env)


SLOW_CONNECTIONS = 160
# In a scenario's server_env: this run's OTLP sink (bench/otlp_sink.py, started by the
# harness when a server needs it). TRACED turns tracing on as production does: the OTLP/HTTP
# exporter behind the batch span processor, every span sampled.
OTLP_SINK = "bench:otlp-sink"
TRACED = (("OTEL_EXPORTER_OTLP_ENDPOINT", OTLP_SINK),)
HELD_STREAMS = 500  # issue 12: at least 200 open streams per process
AI_CONNECTIONS = 256  # issue 11: completions with 256 connections, one process

SCENARIOS: list[Scenario] = [
    Scenario(
        name="health_live",
        title="GET /health/live",
        method="GET",
        path="/api/v1/health/live",
        target_ratio=0.5,
    ),
    Scenario(
        name="users_me",
        title="GET /users/me (bearer)",
        method="GET",
        path="/api/v1/users/me",
        auth="user",
        target_ratio=0.6,
    ),
    Scenario(
        name="users_me_traced",
        title="GET /users/me (bearer), traced",
        method="GET",
        path="/api/v1/users/me",
        auth="user",
        server_env=TRACED,
        baselines=False,
        p99_target=False,
        notes="users_me with tracing on (server, SQL and Redis spans exported over OTLP/HTTP "
        "to a local discarding sink): the cost of tracing; compare the two",
    ),
    Scenario(
        name="users_list",
        title="GET /users?page=1&size=20 (admin)",
        method="GET",
        path="/api/v1/users?page=1&size=20",
        auth="admin",
        target_ratio=0.6,
    ),
    Scenario(
        name="refresh_unknown",
        title="POST /auth/refresh, unknown token (401)",
        method="POST",
        path="/api/v1/auth/refresh",
        body={"refresh_token": "bench-unknown-refresh-token-" + "x" * 36},
        expect_status=401,
    ),
    Scenario(
        name="items_list",
        title=f"GET /items?page=1&size=20 (user owning {ITEMS_SEEDED:,} items)",
        method="GET",
        path="/api/v1/items?page=1&size=20",
        auth="user",
        baseline_kinds=("flask",),
        p99_target=False,  # issue 9's targets cover its own scenarios; none set for items
        notes="the service's list cache on (its default); plain Flask queries every time",
    ),
    Scenario(
        name="items_list_uncached",
        title=f"GET /items?page=1&size=20 (user owning {ITEMS_SEEDED:,} items), no cache",
        method="GET",
        path="/api/v1/items?page=1&size=20",
        auth="user",
        server_env=(("CACHE_TTL_SECONDS", "0"),),
        baseline_kinds=("flask",),
        p99_target=False,
        notes="CACHE_TTL_SECONDS=0: count, page and tags queries on every request, as plain Flask",
    ),
    Scenario(
        name="items_create",
        title="POST /items",
        method="POST",
        path="/api/v1/items",
        auth="writer",
        body={
            "name": "Bench mug",
            "price": "12.50",
            "tags": ["bench", "kitchen"],
            "attributes": {"color": "blue", "capacity_ml": 350},
        },
        expect_status=201,
        baseline_kinds=("flask",),
        p99_target=False,
        notes="validated body, one transaction (item + tags); the service also invalidates "
        "the owner's cached pages",
    ),
    Scenario(
        name="completion_fake",
        title="POST /ai/completions (fake provider, no cache)",
        method="POST",
        path="/api/v1/ai/completions",
        auth="user",
        body={"prompt": "Summarise the water cycle.", "cache": False},
        connections=AI_CONNECTIONS,
        timeout_s=10.0,
        baselines=False,
        p99_target=False,
        notes="validation, quota check, provider call, usage row; no baseline does this",
    ),
    Scenario(
        name="completion_fake_traced",
        title="POST /ai/completions (fake provider, no cache), traced",
        method="POST",
        path="/api/v1/ai/completions",
        auth="user",
        body={"prompt": "Summarise the water cycle.", "cache": False},
        connections=AI_CONNECTIONS,
        timeout_s=10.0,
        server_env=TRACED,
        baselines=False,
        p99_target=False,
        notes="completion_fake with tracing on (server, SQL, Redis and GenAI spans exported "
        "over OTLP/HTTP to a local discarding sink): the cost of tracing; compare the two",
    ),
    Scenario(
        name="completion_fake_500ms",
        # Served with the probe app (the real factory plus /_bench) so the run reads the
        # process's concurrency from /_bench/info and reports the share of the limit.
        probe=True,
        title="POST /ai/completions (fake provider answering in 500 ms, no cache)",
        method="POST",
        path="/api/v1/ai/completions",
        auth="user",
        body={"prompt": "Summarise the water cycle.", "cache": False},
        connections=AI_CONNECTIONS,
        timeout_s=10.0,
        duration_factor=2.0,
        warmup=False,
        server_env=(("AI_FAKE_LATENCY_MS", "500"),),
        baselines=False,
        p99_target=False,
        slow_seconds=0.5,
        notes="a slow provider: completed req/s vs concurrency per process / 0.5 s",
    ),
    Scenario(
        name="completion_fake_500ms_budget",
        # Served with the probe app (the real factory plus /_bench) so the run reads the
        # process's concurrency from /_bench/info and reports the share of the limit.
        probe=True,
        title="POST /ai/completions (fake provider answering in 500 ms, no cache), budgets on",
        method="POST",
        path="/api/v1/ai/completions",
        auth="user",
        body={"prompt": "Summarise the water cycle.", "cache": False},
        connections=AI_CONNECTIONS,
        timeout_s=10.0,
        duration_factor=2.0,
        warmup=False,
        server_env=(
            ("AI_FAKE_LATENCY_MS", "500"),
            # Limits no run reaches, so every call reserves (Redis) and settles.
            ("AI_DAILY_TOKENS_USER", "1000000000000"),
            ("AI_DAILY_USD_USER", "1000000"),
        ),
        baselines=False,
        p99_target=False,
        slow_seconds=0.5,
        notes="completion_fake_500ms with the daily budgets on: each call reserves its worst "
        "case in Redis (one Lua script) before the provider call and settles after (issue 19)",
    ),
    Scenario(
        name="completion_cache_hit",
        title="POST /ai/completions, answered from the cache",
        method="POST",
        path="/api/v1/ai/completions",
        auth="user",
        body={
            "prompt": "Summarise the water cycle.",
            "response_schema": "TextSummary",
            "temperature": 0,
        },
        connections=AI_CONNECTIONS,
        timeout_s=10.0,
        baselines=False,
        p99_target=False,
        notes="identical requests: one provider call, then cache hits (a usage row each)",
    ),
    Scenario(
        name="openai_completion_fake",
        title="POST /openai/chat/completions (fake provider, OpenAI-compatible)",
        method="POST",
        path="/api/v1/openai/chat/completions",
        auth="user",
        body={
            "model": "fake-1",
            "messages": [{"role": "user", "content": "Summarise the water cycle."}],
        },
        connections=AI_CONNECTIONS,
        timeout_s=10.0,
        baselines=False,
        p99_target=False,
        notes="the OpenAI-compatible endpoint over the same service as completion_fake "
        "(not cached: no temperature 0), served on the event loop; compare the two (issue 23)",
    ),
    Scenario(
        name="mcp_items_list",
        title=f"POST /mcp tools/call listItems (user owning {ITEMS_SEEDED:,} items)",
        method="POST",
        path="/mcp",
        auth="user",
        body={
            "jsonrpc": "2.0",
            "id": 1,
            "method": "tools/call",
            "params": {"name": "listItems", "arguments": {"page": 1, "size": 20}},
        },
        headers=(
            ("Accept", "application/json, text/event-stream"),
            ("MCP-Protocol-Version", "2025-06-18"),
        ),
        baselines=False,
        p99_target=False,
        notes="the MCP tool for GET /items?page=1&size=20 (stateless, JSON): the caller check "
        "(GET /users/me) and the REST request, both in process; compare with items_list (issue 23)",
    ),
    Scenario(
        name="users_me_streams",
        title=f"GET /users/me while {HELD_STREAMS} SSE streams are held open",
        method="GET",
        path="/api/v1/users/me",
        auth="user",
        # One bench user holds every stream: lift the per-user cap (default 5).
        server_env=(("AI_FAKE_STREAM_PAUSE_MS", "3000"), ("AI_STREAM_MAX_OPEN_PER_USER", "0")),
        held_streams=HELD_STREAMS,
        baselines=False,
        p99_target=False,
        notes=f"{HELD_STREAMS} POST /ai/completions/stream held open (fake provider, one "
        "word per 3 s) on the same process; compare with GET /users/me alone",
    ),
    Scenario(
        name="slow_500ms",
        title="GET slow handler (sleeps 500 ms)",
        method="GET",
        path="/_bench/slow",
        probe=True,
        connections=SLOW_CONNECTIONS,
        timeout_s=10.0,
        # Nothing completes in the first 0.5 s: a longer run keeps that ramp under ~3%.
        duration_factor=2.0,
        warmup=False,
        p99_target=False,
        slow_seconds=0.5,
        notes="completed req/s vs concurrency per process / 0.5 s",
    ),
]


def by_name(names: list[str] | None) -> list[Scenario]:
    if not names:
        return list(SCENARIOS)
    known = {s.name: s for s in SCENARIOS}
    unknown = [n for n in names if n not in known]
    if unknown:
        msg = f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(known)}"
        raise SystemExit(msg)
    return [known[n] for n in names]
