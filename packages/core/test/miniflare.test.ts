// Proves core is runtime-neutral: bundled for the neutral platform (no Node built-ins resolve)
// and run in workerd through Miniflare WITHOUT the nodejs_compat flag.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, it } from "vitest";
import { EXPECTED } from "./runtime/expected.js";

const WORKER_ENTRY = `
import { runEngineScenario } from "./runtime/engine-scenario.ts";
export default {
  async fetch() {
    return Response.json(await runEngineScenario());
  },
};
`;

let mf: Miniflare | undefined;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: WORKER_ENTRY,
      resolveDir: fileURLToPath(new URL(".", import.meta.url)),
      sourcefile: "worker.ts",
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "neutral",
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
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
});

it("runs DistributedTimeWindow on MemoryStore in workerd without nodejs_compat", async () => {
  if (!mf) throw new Error("Miniflare did not start");
  const response = await mf.dispatchFetch("http://localhost/");
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual(EXPECTED);
}, 30_000);
