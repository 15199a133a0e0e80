// The full client flow through the generated TypeScript SDK (fetch client), compiled by the
// pinned tsc and run with node by tests/e2e/test_sdk_typescript.py:
//
//     node sdk_flow.js http://127.0.0.1:8000/api/v1
//
// What a client team would write: each step checks its answer and prints one line; any
// failure exits non-zero.
import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";

import {
  createApiKey,
  createCompletion,
  createDocument,
  createItem,
  createJob,
  deleteItem,
  generateRecipe,
  getItem,
  getJob,
  getMe,
  listItems,
  login,
  publishDocument,
  refresh,
  register,
  updateItem,
} from "../../generated/clients/typescript";
import { createClient, createConfig } from "../../generated/clients/typescript/client";

function step(name: string, detail: unknown = ""): void {
  console.log(`ok ${name} ${detail}`.trimEnd());
}

async function main(baseUrl: string): Promise<void> {
  const email = `ts-${randomUUID().slice(0, 10)}@example.com`;
  const password = "correct-horse-battery-9";
  const anonymous = createClient(createConfig({ baseUrl }));

  // Register, login, refresh.
  const created = await register({
    client: anonymous,
    body: { email, password, full_name: "TS Flow" },
    throwOnError: true,
  });
  step("register", created.data.data.id);
  const pair = await login({ client: anonymous, body: { email, password }, throwOnError: true });
  const rotated = await refresh({
    client: anonymous,
    body: { refresh_token: pair.data.data.refresh_token },
    throwOnError: true,
  });
  assert.notEqual(rotated.data.data.refresh_token, pair.data.data.refresh_token);
  step("login+refresh");
  const token = rotated.data.data.access_token;
  // `auth` answers for the bearer scheme only, so the key header is never sent.
  const api = createClient(
    createConfig({ baseUrl, auth: (scheme) => (scheme.type === "http" ? token : undefined) }),
  );

  // Items: create three, page through them, update with If-Match, delete.
  const ids: number[] = [];
  for (const n of [0, 1, 2]) {
    const made = await createItem({
      client: api,
      body: { name: `Mug ${n}`, price: `${10 + n}.50` },
      throwOnError: true,
    });
    ids.push(made.data.data.id);
  }
  const first = await listItems({ client: api, query: { page: 1, size: 2 }, throwOnError: true });
  const second = await listItems({ client: api, query: { page: 2, size: 2 }, throwOnError: true });
  assert.deepEqual(
    [first.data.data.total, first.data.data.pages, first.data.data.items.length],
    [3, 2, 2],
  );
  assert.equal(second.data.data.items.length, 1);
  step("items paged", `${first.data.data.total},${first.data.data.pages}`);
  const fetched = await getItem({ client: api, path: { item_id: ids[0] }, throwOnError: true });
  const etag = fetched.response.headers.get("ETag") ?? "";
  const changed = await updateItem({
    client: api,
    path: { item_id: ids[0] },
    headers: { "If-Match": etag },
    body: { price: "9.99" },
    throwOnError: true,
  });
  assert.equal(changed.data.data.price, "9.99");
  // The old ETag is stale now: the error is the typed problem, read by its code.
  const stale = await updateItem({
    client: api,
    path: { item_id: ids[0] },
    headers: { "If-Match": etag },
    body: { price: "1.00" },
  });
  assert.equal(stale.response.status, 412);
  assert.equal(stale.error?.code, "precondition_failed");
  step("item If-Match", stale.error.code);
  const gone = await deleteItem({ client: api, path: { item_id: ids[2] } });
  assert.equal(gone.response.status, 204);
  const missing = await getItem({ client: api, path: { item_id: ids[2] } });
  assert.equal(missing.error?.code, "not_found");
  step("item deleted", missing.error.code);

  // A document, published.
  const doc = await createDocument({
    client: api,
    body: { title: "Release notes", content: "# Notes" },
    throwOnError: true,
  });
  const published = await publishDocument({
    client: api,
    path: { document_id: doc.data.data.id },
    throwOnError: true,
  });
  assert.equal(published.data.data.status, "published");
  step("document published", published.data.data.id);

  // A completion validated against a response schema.
  const answer = await createCompletion({
    client: api,
    body: { prompt: "Summarise the water cycle.", response_schema: "TextSummary" },
    throwOnError: true,
  });
  assert.ok(answer.data.data.object && "summary" in answer.data.data.object);
  step("completion", answer.data.data.response_schema);

  // A recipe (the structured-output example).
  const recipe = await generateRecipe({
    client: api,
    body: { ingredients: ["tomatoes", "onion", "garlic"] },
    throwOnError: true,
  });
  assert.ok(recipe.data.data.recipe.title);
  step("recipe", recipe.data.data.recipe.title);

  // An async job, polled until it finishes.
  const job = await createJob({
    client: api,
    body: { kind: "completion", completion: { prompt: "Say hello." } },
    throwOnError: true,
  });
  const deadline = Date.now() + 30_000;
  let status = job.data.data.status;
  while (status === "queued" || status === "running") {
    assert.ok(Date.now() < deadline, "job still unfinished after 30 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const polled = await getJob({ client: api, path: { job_id: job.data.data.id }, throwOnError: true });
    status = polled.data.data.status;
  }
  assert.equal(status, "succeeded");
  step("job", status);

  // An API key, then a call authenticated by it alone.
  const key = await createApiKey({ client: api, body: { name: "ts-flow" }, throwOnError: true });
  const machine = createClient(
    createConfig({
      baseUrl,
      auth: (scheme) => (scheme.type === "apiKey" ? key.data.data.key : undefined),
    }),
  );
  const me = await getMe({ client: machine, throwOnError: true });
  assert.equal(me.data.data.email, email);
  step("api key", key.data.data.prefix);
}

main(process.argv[2]).then(
  () => console.log("flow complete"),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
