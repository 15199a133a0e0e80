// Start an async job (202 + Location), poll it until it finishes, read its result
// (the generated TypeScript SDK).
import { createJob, getJob, type RecipeGeneration } from "../../../generated/clients/typescript";
import { createClient, createConfig } from "../../../generated/clients/typescript/client";

const baseUrl = process.env.API_URL ?? "http://127.0.0.1:8000/api/v1";
const token = process.env.API_TOKEN;
const api = createClient(createConfig({ baseUrl, auth: (scheme) => (scheme.type === "http" ? token : undefined) }));

async function main(): Promise<void> {
  const started = await createJob({
    client: api,
    body: { kind: "recipe", recipe: { ingredients: ["tomatoes", "onion", "garlic"] } },
    throwOnError: true,
  });
  let job = started.data.data;

  // queued -> running -> succeeded | failed | cancelled
  const deadline = Date.now() + 30_000;
  while ((job.status === "queued" || job.status === "running") && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    job = (await getJob({ client: api, path: { job_id: job.id }, throwOnError: true })).data.data;
  }
  console.log("job", job.id, job.status);
  // `result` is what POST /recipes/generate answers as `data`; `problem` says why one failed.
  const result = job.result as unknown as RecipeGeneration;
  console.log("recipe:", result.recipe.title);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
