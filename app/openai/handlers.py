"""Handlers for the `openai` tag: OpenAI's chat completions and model list.

`create_chat_completion` is a coroutine, so it is served on the event loop
(`app.http.event_streams`) like the answer stream: `stream: true` needs it, and a plain
answer then runs its blocking service call in a thread.
"""

from __future__ import annotations

from typing import Any

from app.completions import service as completions
from app.completions import streaming
from app.http.envelope import JSON_HEADERS
from app.http.event_streams import FramedStream, Framing, JsonAnswer, StreamCall
from app.http.handler_context import services
from app.openai import chat


async def create_chat_completion(call: StreamCall) -> JsonAnswer | FramedStream:
    svc = call.services
    request = chat.parse(call.body, svc.ai.allowed_models)
    options = {
        "default_max_tokens": svc.settings.ai.max_output_tokens,
        "request_id": call.request_id,
    }
    if not request.stream:
        result = await call.in_unit_of_work(
            completions.complete, call.principal, svc.ai, request.completion, **options
        )
        return JsonAnswer(chat.completion_object(result, request.model_id, call.request_id))
    plan = await call.in_unit_of_work(
        streaming.plan, call.principal, svc.ai, request.completion, **options
    )
    frames = chat.ChunkFrames(
        request.model_id, call.request_id, include_usage=request.include_usage
    )
    framing = Framing(event=frames.event, error=frames.error, end=chat.END)
    return FramedStream(streaming.run(plan, svc.ai, svc.db), framing)


def list_models() -> tuple[dict[str, Any], int, dict[str, str]]:
    ids = chat.model_ids(services().ai.allowed_models)
    data = [
        {"id": model_id, "object": "model", "created": 0, "owned_by": provider}
        for model_id, (provider, _) in ids.items()
    ]
    return {"object": "list", "data": data}, 200, dict(JSON_HEADERS)
