// A completion whose answer is validated against a schema of the spec (`response_schema`),
// with the generated TypeScript SDK.
import { createCompletion, type TextSummary } from "../../../generated/clients/typescript";
import { createClient, createConfig } from "../../../generated/clients/typescript/client";

const baseUrl = process.env.API_URL ?? "http://127.0.0.1:8000/api/v1";
const token = process.env.API_TOKEN;
const api = createClient(createConfig({ baseUrl, auth: (scheme) => (scheme.type === "http" ? token : undefined) }));

async function main(): Promise<void> {
  const answer = await createCompletion({
    client: api,
    body: { prompt: "Summarise the water cycle.", response_schema: "TextSummary" },
    throwOnError: true,
  });
  const completion = answer.data.data;
  // `object` is the answer, valid against the TextSummary schema.
  const summary = completion.object as unknown as TextSummary;
  console.log("model:", completion.model);
  console.log("summary:", summary.summary);
  console.log("key points:", summary.key_points.length);
  console.log("tokens:", completion.usage.total_tokens);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
