"""Handlers for the `openai` tag: OpenAI's chat completions and model list.

`create_chat_completion` is a coroutine, so it is served on the event loop
(`app.http.event_streams`) like the answer stream: `stream: true` needs it, and a plain
answer then runs its blocking service call in a thread, in a unit of work of its own.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread

from app.ai.gateway import AIGateway
from app.completions import service as completions
from app.completions import streaming
from app.http.envelope import JSON_HEADERS
from app.http.handler_context import get
from app.http.stream_answers import FramedStream, Framing, JsonAnswer, StreamCall
from app.infra.db import Database
from app.openai import chat
from app.settings import Settings


async def create_chat_completion(call: StreamCall) -> JsonAnswer | FramedStream:
    gateway, db = call.get(AIGateway), call.get(Database)
    request = chat.parse(call.body, gateway.allowed_models)
    default_max_tokens = call.get(Settings).ai.max_output_tokens
    if not request.stream:

        def work() -> completions.CompletionResult:
            with db.unit_of_work() as uow:
                return completions.complete(
                    uow,
                    call.principal,
                    gateway,
                    request.completion,
                    default_max_tokens=default_max_tokens,
                    request_id=call.request_id,
                )

        result = await anyio.to_thread.run_sync(work)
        return JsonAnswer(chat.completion_object(result, request.model_id, call.request_id))
    plan = await streaming.start(
        db,
        call.principal,
        gateway,
        request.completion,
        default_max_tokens=default_max_tokens,
        request_id=call.request_id,
    )
    frames = chat.ChunkFrames(
        request.model_id, call.request_id, include_usage=request.include_usage
    )
    framing = Framing(event=frames.event, error=frames.error, end=chat.END)
    return FramedStream(streaming.run(plan, gateway, db), framing)


# Only `stream: true` holds a stream slot (AI_STREAM_MAX_OPEN[_PER_USER]); a plain answer
# is an ordinary request, however many a client sends at once.
create_chat_completion.answers_with_a_stream = lambda body: bool(body.get("stream"))  # type: ignore[attr-defined]


def list_models() -> tuple[dict[str, Any], int, dict[str, str]]:
    ids = chat.model_ids(get(AIGateway).allowed_models)
    data = [
        {"id": model_id, "object": "model", "created": 0, "owned_by": provider}
        for model_id, (provider, _) in ids.items()
    ]
    return {"object": "list", "data": data}, 200, dict(JSON_HEADERS)
