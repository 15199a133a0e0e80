"""Create items, page through them, update one only if it is unchanged (If-Match), delete
(the generated Python SDK)."""

import os

from spec_first_api_client import AuthenticatedClient
from spec_first_api_client.api.items import (
    create_item,
    delete_item,
    get_item,
    list_items,
    update_item,
)
from spec_first_api_client.models import ItemCreateRequest, ItemUpdateRequest, Problem
from spec_first_api_client.models.list_items_order import ListItemsOrder
from spec_first_api_client.models.list_items_sort import ListItemsSort

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
api = AuthenticatedClient(base_url=API_URL, token=os.environ["API_TOKEN"])

for n in (1, 2, 3):
    made = create_item.sync(client=api, body=ItemCreateRequest(name=f"Mug {n}", price=f"1{n}.50"))
item_id = made.data.id

# Pages: `page` (1-based) and `size`; `data.total` and `data.pages` say how many there are.
page = list_items.sync(
    client=api, page=1, size=2, sort=ListItemsSort.NAME, order=ListItemsOrder.ASC
).data
print(f"page {page.page} of {page.pages}:", ", ".join(item.name for item in page.items))

# sync_detailed gives the headers too: the ETag of the version read. If-Match makes the
# update apply only to that version.
etag = get_item.sync_detailed(item_id, client=api).headers["ETag"]
changed = update_item.sync(item_id, client=api, body=ItemUpdateRequest(price="9.99"), if_match=etag)
print("price now", changed.data.price)

# The same ETag again is stale: the answer is a typed Problem, 412 precondition_failed.
stale = update_item.sync(item_id, client=api, body=ItemUpdateRequest(price="1.00"), if_match=etag)
assert isinstance(stale, Problem)
print(stale.status, stale.code)

print("deleted:", delete_item.sync_detailed(item_id, client=api).status_code)
