/**
 * The Worker entry point (wrangler `main`): the HTTP API and the cron trigger. Only the default
 * export lives here; the library surface (`verifySignature`, `createApp`) is in `index.ts`.
 */
import { createApp } from "./app.js";
import type { Env } from "./env.js";
import { runScheduled } from "./scheduled.js";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env) {
    // Awaited rather than waitUntil'd: the run's outcome then reflects the work, and
    // runScheduled never rejects.
    await runScheduled(env);
  },
} satisfies ExportedHandler<Env>;
