// Stream a completion (server-sent events) with fetch and eventsource-parser (pinned in
// package.json). Events: `delta` (the next piece of text), `object` (with response_schema:
// the whole answer at once), `done` (usage and cost; the last event) and `error` (a
// problem; the stream ends without `done`). Heartbeat comments never reach onEvent.
import { createParser, type EventSourceMessage } from "eventsource-parser";

import type { Problem, StreamDelta, StreamDone } from "../../../generated/clients/typescript";

const baseUrl = process.env.API_URL ?? "http://127.0.0.1:8000/api/v1";

async function main(): Promise<void> {
  const response = await fetch(`${baseUrl}/ai/completions/stream`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${process.env.API_TOKEN}`,
      "Content-Type": "application/json",
      Accept: "text/event-stream",
    },
    body: JSON.stringify({ prompt: "Summarise the water cycle." }),
  });
  if (!response.ok || !response.body) {
    // Errors before the stream starts are ordinary problem+json responses.
    const problem = (await response.json()) as Problem;
    throw new Error(`${response.status} ${problem.code}`);
  }

  let failed: Problem | undefined;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      if (message.event === "delta") {
        process.stdout.write((JSON.parse(message.data) as StreamDelta).text);
      } else if (message.event === "done") {
        const done = JSON.parse(message.data) as StreamDone;
        console.log(`\ndone: ${done.finish_reason}, ${done.usage.total_tokens} tokens`);
      } else if (message.event === "error") {
        failed = JSON.parse(message.data) as Problem;
      }
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
  }
  if (failed) {
    throw new Error(`stream failed: ${failed.code}: ${failed.detail ?? ""}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
