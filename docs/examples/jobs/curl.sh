#!/usr/bin/env bash
# Start an async job (202 + Location), poll it until it finishes, read its result.
set -euo pipefail
API_URL=${API_URL:-http://127.0.0.1:8000/api/v1}
auth=(-H "Authorization: Bearer $API_TOKEN")

job=$(curl -sS --fail-with-body "${auth[@]}" -H 'Content-Type: application/json' \
  -X POST "$API_URL/ai/jobs" \
  -d '{"kind": "recipe", "recipe": {"ingredients": ["tomatoes", "onion", "garlic"]}}')
id=$(jq -r .data.id <<<"$job")
status=$(jq -r .data.status <<<"$job")

# queued -> running -> succeeded | failed | cancelled
for _ in $(seq 150); do
  [[ $status == queued || $status == running ]] || break
  sleep 0.2
  job=$(curl -sS --fail-with-body "${auth[@]}" "$API_URL/ai/jobs/$id")
  status=$(jq -r .data.status <<<"$job")
done
echo "job $id $status"
# `result` is what POST /recipes/generate answers as `data`; `problem` says why one failed.
jq -r '"recipe: \(.data.result.recipe.title)"' <<<"$job"
