// Create items, page through them, update one only if it is unchanged (If-Match), delete
// (the generated TypeScript SDK).
import { createItem, deleteItem, getItem, listItems, updateItem } from "../../../generated/clients/typescript";
import { createClient, createConfig } from "../../../generated/clients/typescript/client";

const baseUrl = process.env.API_URL ?? "http://127.0.0.1:8000/api/v1";
const token = process.env.API_TOKEN;
const api = createClient(createConfig({ baseUrl, auth: (scheme) => (scheme.type === "http" ? token : undefined) }));

async function main(): Promise<void> {
  let itemId = 0;
  for (const n of [1, 2, 3]) {
    const made = await createItem({ client: api, body: { name: `Mug ${n}`, price: `1${n}.50` }, throwOnError: true });
    itemId = made.data.data.id;
  }

  // Pages: `page` (1-based) and `size`; `data.total` and `data.pages` say how many there are.
  const page = await listItems({
    client: api,
    query: { page: 1, size: 2, sort: "name", order: "asc" },
    throwOnError: true,
  });
  const names = page.data.data.items.map((item) => item.name).join(", ");
  console.log(`page ${page.data.data.page} of ${page.data.data.pages}: ${names}`);

  // The ETag of the version read; If-Match makes the update apply only to that version.
  const read = await getItem({ client: api, path: { item_id: itemId }, throwOnError: true });
  const etag = read.response.headers.get("ETag") ?? "";
  const changed = await updateItem({
    client: api,
    path: { item_id: itemId },
    headers: { "If-Match": etag },
    body: { price: "9.99" },
    throwOnError: true,
  });
  console.log("price now", changed.data.data.price);

  // The same ETag again is stale: `error` is the typed problem, 412 precondition_failed.
  const stale = await updateItem({
    client: api,
    path: { item_id: itemId },
    headers: { "If-Match": etag },
    body: { price: "1.00" },
  });
  console.log(stale.response.status, stale.error?.code);

  const deleted = await deleteItem({ client: api, path: { item_id: itemId } });
  console.log("deleted:", deleted.response.status);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
