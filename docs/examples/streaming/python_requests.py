"""Stream a completion (server-sent events) with requests: read the body line by line.

An event is `event:` and `data:` lines ended by a blank line; `:` lines are heartbeats.
`delta` events carry the next piece of text, `done` ends a stream that succeeded and
`error` (a problem) one that failed. httpx-sse (python_sdk.py) does this parsing for you.
"""

import json
import os

import requests

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")

with requests.post(
    f"{API_URL}/ai/completions/stream",
    json={"prompt": "Summarise the water cycle."},
    headers={"Authorization": f"Bearer {os.environ['API_TOKEN']}"},
    stream=True,
    timeout=60,
) as response:
    response.raise_for_status()  # errors before the stream starts are problem+json
    event, data = "message", []
    for line in response.iter_lines(decode_unicode=True):
        if line.startswith("event:"):
            event = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            data.append(line.removeprefix("data:").removeprefix(" "))
        elif line == "" and data:
            payload = json.loads("\n".join(data))
            if event == "delta":
                print(payload["text"], end="", flush=True)
            elif event == "done":
                print(
                    f"\ndone: {payload['finish_reason']}, {payload['usage']['total_tokens']} tokens"
                )
            elif event == "error":
                raise SystemExit(f"\nstream failed: {payload['code']}: {payload.get('detail')}")
            event, data = "message", []
