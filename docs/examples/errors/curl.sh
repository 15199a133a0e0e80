#!/usr/bin/env bash
# Every error is RFC 9457 problem+json with a stable `code` to branch on (never the title),
# field-level `errors` where relevant and the `request_id` (also the X-Request-ID header).
set -euo pipefail
API_URL=${API_URL:-http://127.0.0.1:8000/api/v1}

# Print "<status> <code> [<first field>]"; -w appends the status on its own line.
show() {
  local answer
  answer=$(curl -sS -w '\n%{http_code}' "$@")
  echo "${answer##*$'\n'} $(jq -r '[.code, (.errors // [])[0].field // empty] | join(" ")' <<<"${answer%$'\n'*}")"
}

show "$API_URL/users/me"                                                   # no credentials
show -H "Authorization: Bearer $API_TOKEN" -H 'Content-Type: application/json' \
  -X POST "$API_URL/items" -d '{"name": "Mug", "price": "12.345"}'          # a bad field
show -H "Authorization: Bearer $API_TOKEN" "$API_URL/items/999999999"      # not yours, or none
