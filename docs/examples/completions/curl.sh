#!/usr/bin/env bash
# A completion whose answer is validated against a schema of the spec (`response_schema`).
set -euo pipefail
API_URL=${API_URL:-http://127.0.0.1:8000/api/v1}

curl -sS --fail-with-body -X POST "$API_URL/ai/completions" \
  -H "Authorization: Bearer $API_TOKEN" -H 'Content-Type: application/json' \
  -d '{"prompt": "Summarise the water cycle.", "response_schema": "TextSummary"}' \
  | jq -r '"model: \(.data.model)", "summary: \(.data.object.summary)",
           "key points: \(.data.object.key_points | length)", "tokens: \(.data.usage.total_tokens)"'
