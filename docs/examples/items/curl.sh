#!/usr/bin/env bash
# Create items, page through them, update one only if it is unchanged (If-Match), delete.
set -euo pipefail
API_URL=${API_URL:-http://127.0.0.1:8000/api/v1}
auth=(-H "Authorization: Bearer $API_TOKEN")
json=(-H 'Content-Type: application/json')

for n in 1 2 3; do
  id=$(curl -sS --fail-with-body "${auth[@]}" "${json[@]}" -X POST "$API_URL/items" \
    -d "{\"name\": \"Mug $n\", \"price\": \"1$n.50\", \"tags\": [\"kitchen\"]}" | jq -r .data.id)
done

# Pages: `page` (1-based) and `size`; `data.total` and `data.pages` say how many there are.
curl -sS --fail-with-body "${auth[@]}" "$API_URL/items?page=1&size=2&sort=name&order=asc" \
  | jq -r '"page \(.data.page) of \(.data.pages): \([.data.items[].name] | join(", "))"'

# The ETag of the version read; If-Match makes the update apply only to that version.
etag=$(curl -sS --fail-with-body -o /dev/null -D - "${auth[@]}" "$API_URL/items/$id" \
  | tr -d '\r' | sed -n 's/^etag: //Ip')
curl -sS --fail-with-body "${auth[@]}" "${json[@]}" -H "If-Match: $etag" \
  -X PATCH "$API_URL/items/$id" -d '{"price": "9.99"}' | jq -r '"price now \(.data.price)"'

# The same ETag again is stale: 412 precondition_failed, nothing changed.
# (-w appends the status on a line of its own after the problem+json body.)
answer=$(curl -sS -w '\n%{http_code}' "${auth[@]}" "${json[@]}" -H "If-Match: $etag" \
  -X PATCH "$API_URL/items/$id" -d '{"price": "1.00"}')
echo "${answer##*$'\n'} $(jq -r .code <<<"${answer%$'\n'*}")"

curl -sS --fail-with-body "${auth[@]}" -X DELETE "$API_URL/items/$id" -o /dev/null -w 'deleted: %{http_code}\n'
