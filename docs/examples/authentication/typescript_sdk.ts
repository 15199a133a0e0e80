// Register, log in, rotate the refresh token, mint an API key and call the API with it
// (the generated TypeScript SDK, generated/clients/typescript).
import { randomUUID } from "node:crypto";

import { createApiKey, getMe, login, refresh, register } from "../../../generated/clients/typescript";
import { createClient, createConfig } from "../../../generated/clients/typescript/client";

const baseUrl = process.env.API_URL ?? "http://127.0.0.1:8000/api/v1";
const email = process.env.EMAIL ?? `ts-${randomUUID().slice(0, 10)}@example.com`;
const password = process.env.PASSWORD ?? "correct-horse-battery-9";

async function main(): Promise<void> {
  const anonymous = createClient(createConfig({ baseUrl }));
  await register({ client: anonymous, body: { email, password, full_name: "Ada" }, throwOnError: true });
  const tokens = await login({ client: anonymous, body: { email, password }, throwOnError: true });

  // Refresh tokens are single-use: keep the new pair, forget the old one.
  const rotated = await refresh({
    client: anonymous,
    body: { refresh_token: tokens.data.data.refresh_token },
    throwOnError: true,
  });
  const accessToken = rotated.data.data.access_token;
  // `auth` is asked once per security scheme of an operation: answer the bearer one.
  const api = createClient(
    createConfig({ baseUrl, auth: (scheme) => (scheme.type === "http" ? accessToken : undefined) }),
  );

  const key = await createApiKey({ client: api, body: { name: "nightly-import" }, throwOnError: true });

  // A machine client sends the key alone, in its own header.
  const machine = createClient(
    createConfig({ baseUrl, auth: (scheme) => (scheme.type === "apiKey" ? key.data.data.key : undefined) }),
  );
  const me = await getMe({ client: machine, throwOnError: true });
  console.log("logged in as", me.data.data.email);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
