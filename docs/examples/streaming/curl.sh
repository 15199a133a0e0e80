#!/usr/bin/env bash
# Stream a completion as server-sent events (-N: print each event as it arrives).
# Events: `delta` (the next piece of text), `object` (with response_schema: the whole
# answer), `done` (usage, cost; the last event) or `error` (a problem; the stream ends).
set -euo pipefail
API_URL=${API_URL:-http://127.0.0.1:8000/api/v1}

curl -sS -N --fail-with-body -X POST "$API_URL/ai/completions/stream" \
  -H "Authorization: Bearer $API_TOKEN" -H 'Content-Type: application/json' \
  -H 'Accept: text/event-stream' \
  -d '{"prompt": "Summarise the water cycle."}'
