#!/usr/bin/env bash
# Register, log in, rotate the refresh token, mint an API key and call the API with it.
set -euo pipefail
API_URL=${API_URL:-http://127.0.0.1:8000/api/v1}
EMAIL=${EMAIL:-curl-$RANDOM$RANDOM@example.com}
PASSWORD=${PASSWORD:-correct-horse-battery-9}
json=(-H 'Content-Type: application/json')

curl -sS --fail-with-body "${json[@]}" -X POST "$API_URL/auth/register" \
  -d "{\"email\": \"$EMAIL\", \"password\": \"$PASSWORD\", \"full_name\": \"Ada\"}" >/dev/null

tokens=$(curl -sS --fail-with-body "${json[@]}" -X POST "$API_URL/auth/login" \
  -d "{\"email\": \"$EMAIL\", \"password\": \"$PASSWORD\"}")
refresh_token=$(jq -r .data.refresh_token <<<"$tokens")

# Refresh tokens are single-use: keep the new pair, forget the old one.
tokens=$(curl -sS --fail-with-body "${json[@]}" -X POST "$API_URL/auth/refresh" \
  -d "{\"refresh_token\": \"$refresh_token\"}")
access_token=$(jq -r .data.access_token <<<"$tokens")

key=$(curl -sS --fail-with-body "${json[@]}" -H "Authorization: Bearer $access_token" \
  -X POST "$API_URL/auth/api-keys" -d '{"name": "nightly-import"}' | jq -r .data.key)

# A machine client sends the key alone.
me=$(curl -sS --fail-with-body -H "X-API-Key: $key" "$API_URL/users/me" | jq -r .data.email)
echo "logged in as $me"
