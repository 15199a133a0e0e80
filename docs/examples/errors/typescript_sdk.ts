// Every error is RFC 9457 problem+json with a stable `code` to branch on (never the title).
// Without throwOnError the generated TypeScript SDK answers `{ data, error, response }`,
// `error` typed as the problem the spec declares for that operation.
import { createItem, getItem, getMe, type Problem } from "../../../generated/clients/typescript";
import { createClient, createConfig } from "../../../generated/clients/typescript/client";

const baseUrl = process.env.API_URL ?? "http://127.0.0.1:8000/api/v1";
const token = process.env.API_TOKEN;
const anonymous = createClient(createConfig({ baseUrl }));
const api = createClient(createConfig({ baseUrl, auth: (scheme) => (scheme.type === "http" ? token : undefined) }));

function show(answer: { error?: Problem; response: Response }): void {
  if (!answer.error) {
    throw new Error(`expected a problem, got ${answer.response.status}`);
  }
  const fields = (answer.error.errors ?? []).map((error) => error.field);
  console.log([answer.response.status, answer.error.code, ...fields.slice(0, 1)].join(" "));
}

async function main(): Promise<void> {
  show(await getMe({ client: anonymous })); // no credentials
  show(await createItem({ client: api, body: { name: "Mug", price: "12.345" } })); // a bad field
  show(await getItem({ client: api, path: { item_id: 999999999 } })); // not yours, or none
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
