"""Create items, page through them, update one only if it is unchanged (If-Match), delete
(requests)."""

import os

import requests

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
http = requests.Session()
http.headers["Authorization"] = f"Bearer {os.environ['API_TOKEN']}"

for n in (1, 2, 3):
    made = http.post(f"{API_URL}/items", json={"name": f"Mug {n}", "price": f"1{n}.50"})
    made.raise_for_status()
item_id = made.json()["data"]["id"]

# Pages: `page` (1-based) and `size`; `data.total` and `data.pages` say how many there are.
page = http.get(f"{API_URL}/items", params={"page": 1, "size": 2, "sort": "name", "order": "asc"})
page.raise_for_status()
data = page.json()["data"]
print(f"page {data['page']} of {data['pages']}:", ", ".join(i["name"] for i in data["items"]))

# The ETag of the version read; If-Match makes the update apply only to that version.
etag = http.get(f"{API_URL}/items/{item_id}").headers["ETag"]
changed = http.patch(
    f"{API_URL}/items/{item_id}", json={"price": "9.99"}, headers={"If-Match": etag}
)
changed.raise_for_status()
print("price now", changed.json()["data"]["price"])

# The same ETag again is stale: 412 precondition_failed, nothing changed.
stale = http.patch(f"{API_URL}/items/{item_id}", json={"price": "1.00"}, headers={"If-Match": etag})
print(stale.status_code, stale.json()["code"])

deleted = http.delete(f"{API_URL}/items/{item_id}")
print("deleted:", deleted.status_code)
