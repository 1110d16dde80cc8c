// Proves the Worker story end to end: @dtw/upstash/cloudflare bundled for the neutral platform
// (no Node built-ins can resolve) runs in workerd WITHOUT nodejs_compat, reads its credentials
// from the Worker env, and round-trips tricky elements through the gateway and a real Redis.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TRICKY_ITEMS } from "../../node/test/support/tricky.js";
import { startUpstash, type TestUpstash } from "./support/gateway.js";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const WORKER = `
import { DistributedTimeWindow } from "@dtw/core";
import { upstashStoreFromEnv } from "@dtw/upstash/cloudflare";
export default {
  async fetch(request, env) {
    const elements = await request.json();
    const tw = new DistributedTimeWindow({
      name: "worker",
      store: upstashStoreFromEnv(env, { prefix: env.PREFIX }),
      timeoutMs: 3_600_000,
      autoTick: false,
    });
    await tw.pushMany(elements);
    return Response.json(await tw.flush());
  },
};
`;

let up: TestUpstash;
let mf: Miniflare | undefined;

beforeAll(async () => {
  up = await startUpstash();
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: here("."), sourcefile: "worker.js", loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    alias: {
      "@dtw/core": here("../../core/src/index.ts"),
      "@dtw/upstash/cloudflare": here("../src/cloudflare.ts"),
    },
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]?.text;
  if (!script) throw new Error("esbuild produced no worker script");
  mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2026-04-01",
    compatibilityFlags: [],
    bindings: {
      UPSTASH_REDIS_REST_URL: up.gateway.url,
      UPSTASH_REDIS_REST_TOKEN: up.token,
      PREFIX: up.redis.prefix(),
    },
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await up.cleanup();
});

it("pushes and flushes tricky elements byte-exact from a Worker", async () => {
  if (!mf) throw new Error("Miniflare did not start");
  const elements = [...TRICKY_ITEMS, 42, true, null, { a: "1" }];
  const response = await mf.dispatchFetch("http://localhost/", {
    method: "POST",
    body: JSON.stringify(elements),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual([elements]);
}, 30_000);
