"""Stream a completion (server-sent events) with httpx + httpx-sse, over the generated
SDK's own httpx client (so its base URL, token and timeouts apply).

SDK generators do not turn `text/event-stream` into typed events, so the SDK's
`create_completion_stream` is not used here. Events: `delta` (the next piece of text),
`object` (with `response_schema`: the whole answer at once), `done` (usage and cost; the
last event) and `error` (a problem; the stream ends without `done`).
"""

import json
import os

from httpx_sse import connect_sse
from spec_first_api_client import AuthenticatedClient

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
api = AuthenticatedClient(base_url=API_URL, token=os.environ["API_TOKEN"], timeout=60)

http = api.get_httpx_client()
body = {"prompt": "Summarise the water cycle."}
with connect_sse(http, "POST", "/ai/completions/stream", json=body) as source:
    source.response.raise_for_status()  # errors before the stream starts are problem+json
    for sse in source.iter_sse():  # heartbeat comments are skipped
        payload = json.loads(sse.data)
        if sse.event == "delta":
            print(payload["text"], end="", flush=True)
        elif sse.event == "done":
            print(f"\ndone: {payload['finish_reason']}, {payload['usage']['total_tokens']} tokens")
        elif sse.event == "error":
            raise SystemExit(f"\nstream failed: {payload['code']}: {payload.get('detail')}")
