"""`AI_STREAM_MAX_OPEN_PER_USER`: one user's open streams are bounded (429 too_many_streams
with Retry-After) while other users stream on, and a slot comes back however a stream ends
(done, an error event, a refusal before the stream, the client leaving).

Streams are held open for real: the app is driven as an ASGI callable on one event loop
(the test client would read each response to its end first), with the real OpenAI SDK
against the local fake LLM server, which holds every answer after its first piece until
the test releases it. The cross-process count and its TTL safety net are tested on
`UserStreamSlots` with two instances (two processes) sharing the real Redis.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import anyio
import connexion
import pytest
import redis
from starlette.testclient import TestClient

from app.completions.stream_slots import TooManyStreamsError, UserStreamSlots
from app.main import create_app
from tests.auth_helpers import account, resources
from tests.fakes.llm_server import LLMServer, Reply

URL = "/api/v1/ai/completions/stream"


@dataclass
class Stream:
    """One request in flight: what the app sent so far, and a way to leave."""

    task: asyncio.Task[None]
    sent: list[dict[str, Any]] = field(default_factory=list)
    leave: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def status(self) -> int | None:
        return self.sent[0]["status"] if self.sent else None

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.sent[0]["headers"])

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent[1:])


def start(app: connexion.FlaskApp, token: str, prompt: str = "count") -> Stream:
    body = json.dumps({"prompt": prompt}).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"authorization", f"Bearer {token}".encode()),
        ],
    }
    stream = Stream(task=None)  # type: ignore[arg-type]
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await stream.leave.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        stream.sent.append(message)

    stream.task = asyncio.create_task(app(scope, receive, send))
    return stream


async def until(check: Callable[[], bool], seconds: float = 20.0) -> None:
    with anyio.fail_after(seconds):
        while not check():
            await asyncio.sleep(0.01)


def first_event_arrived(stream: Stream) -> bool:
    return b"event: delta" in stream.body or stream.task.done()


def test_one_user_is_capped_and_every_ending_frees_a_slot(
    make_settings: Any, llm: LLMServer
) -> None:
    app = create_app(
        make_settings(
            ai_provider="openai",
            openai_api_key="sk-caps",
            ai_base_url=llm.openai_base_url,
            ai_max_retries=0,
            ai_stream_max_open_per_user=2,
        )
    )
    client = TestClient(app)
    alice = account(app, client, "alice-streams@example.com", "user")
    bob = account(app, client, "bob-streams@example.com", "user")
    slots = resources(app).user_streams
    release = threading.Event()
    llm.default = Reply(text="one two three", hold=release)

    async def scenario() -> dict[str, Any]:
        first, second = start(app, alice.access), start(app, alice.access)
        await until(lambda: first_event_arrived(first) and first_event_arrived(second))
        assert (first.status, second.status) == (200, 200)
        # A third stream of the same user is refused at once; another user is not.
        third = start(app, alice.access)
        await until(lambda: first_event_arrived(third))
        other = start(app, bob.access)
        await until(lambda: first_event_arrived(other))
        # The first client leaves: its slot comes back, and a new stream is admitted.
        first.leave.set()
        await until(first.task.done)
        await until(lambda: slots.held(alice.user.id or 0) == 1)
        again = start(app, alice.access)
        await until(lambda: first_event_arrived(again))
        release.set()  # every held answer completes
        await asyncio.wait_for(asyncio.gather(second.task, other.task, again.task), 30)
        return {"third": third, "others": [second, other, again]}

    try:
        seen = asyncio.run(scenario())
    finally:
        release.set()
    third = seen["third"]
    assert third.status == 429
    problem = json.loads(third.body)
    assert (problem["code"], problem["status"]) == ("too_many_streams", 429)
    assert third.headers[b"retry-after"] == b"1"
    for stream in seen["others"]:
        assert stream.status == 200 and b"event: done" in stream.body
    assert slots.held(alice.user.id or 0) == slots.held(bob.user.id or 0) == 0

    # An error event mid-stream, and a refusal before the stream, free the slot too.
    llm.script(Reply(text="one two three", fail_after=1), Reply(status=401))
    headers = {"Authorization": f"Bearer {alice.access}"}
    failed = client.post(URL, json={"prompt": "x"}, headers=headers)
    assert failed.status_code == 200 and "event: error" in failed.text
    refused = client.post(URL, json={"prompt": "x"}, headers=headers)
    assert refused.status_code == 502
    assert slots.held(alice.user.id or 0) == 0


def test_the_default_cap_is_five(client: TestClient, app: connexion.FlaskApp) -> None:
    assert resources(app).user_streams.limit == 5


def test_readme_names_the_per_user_cap_in_the_settings_table(root_dir: Any) -> None:
    readme = (root_dir / "README.md").read_text()
    assert "| `AI_STREAM_MAX_OPEN_PER_USER` | `5` |" in readme


# --- the shared count (Redis) --------------------------------------------------------
@pytest.fixture
def shared(redis_url: str | None) -> Iterator[tuple[redis.Redis, str]]:
    if redis_url is None:
        pytest.skip("REDIS_URL not set (CI always sets it)")
    client = redis.Redis.from_url(redis_url)
    prefix = f"test-streams-{time.time_ns()}"
    yield client, prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.unlink(key)
    client.close()


def test_processes_share_the_count_and_a_killed_one_frees_its_slots_after_the_lease(
    shared: tuple[redis.Redis, str],
) -> None:
    client, prefix = shared
    dying = UserStreamSlots(2, client, prefix, lease_seconds=0.6)
    other = UserStreamSlots(2, client, prefix, lease_seconds=0.6)

    async def scenario() -> tuple[bool, float, int]:
        async with AsyncExitStack() as held:
            for _ in range(2):  # the dying process holds both of user 7's slots ...
                await held.enter_async_context(dying.hold(7))
            await anyio.sleep(1.0)  # ... past its first lease: renewals keep them
            with pytest.raises(TooManyStreamsError):  # counted across processes
                async with other.hold(7):
                    pass
            dying.close()  # killed: no more renewals, and no release
            refused_since = time.monotonic()
            admitted = False
            while time.monotonic() - refused_since < 5 and not admitted:
                try:
                    async with other.hold(7):
                        admitted = True
                except TooManyStreamsError:
                    await anyio.sleep(0.05)
            waited = time.monotonic() - refused_since
            held.pop_all()  # the dead process never releases
            return admitted, waited, other.held(7)

    admitted, waited, after = anyio.run(scenario)
    assert admitted and waited < 2.0
    assert after == 0  # the lapsed leases were dropped, ours was given back


def test_without_redis_the_count_is_per_process() -> None:
    slots = UserStreamSlots(1, None, "unused")

    async def scenario() -> None:
        async with slots.hold(3):
            assert slots.held(3) == 1
            with pytest.raises(TooManyStreamsError):
                async with slots.hold(3):
                    pass
            async with slots.hold(4):  # another user
                pass
        assert slots.held(3) == 0

    anyio.run(scenario)
