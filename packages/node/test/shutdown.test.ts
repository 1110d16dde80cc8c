// gracefulShutdown in a real child process, signalled like an orchestrator would.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DistributedTimeWindow } from "@dtw/core";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gracefulShutdown } from "../src/shutdown.js";
import { redisStore } from "../src/store.js";
import { acquireRedis, type TestRedis } from "./support/redis.js";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// Inside the package so that the bundle's `import "redis"` resolves to its node_modules.
const cacheDir = here("../node_modules/.cache/dtw-test");
const childFile = `${cacheDir}/shutdown-child-${process.pid}.mjs`;

let redis: TestRedis;
beforeAll(async () => {
  redis = await acquireRedis();
  mkdirSync(cacheDir, { recursive: true });
  await build({
    entryPoints: [here("./fixtures/shutdown-child.ts")],
    outfile: childFile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["redis"],
    alias: { "@dtw/core": here("../../core/src/index.ts") },
    logLevel: "silent",
  });
});
afterAll(async () => {
  await redis.cleanup();
});

interface Child {
  process: ChildProcess;
  events: Array<Record<string, unknown>>;
  /** Resolves when a line matching `predicate` arrives. */
  waitFor(predicate: (event: Record<string, unknown>) => boolean): Promise<void>;
  exit: Promise<[number | null, NodeJS.Signals | null]>;
}

function startChild(mode: string, prefix: string): Child {
  const child = spawn(process.execPath, [childFile, redis.url, prefix, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const events: Array<Record<string, unknown>> = [];
  const waiters: Array<{ predicate: (e: Record<string, unknown>) => boolean; resolve(): void }> =
    [];
  let buffer = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
      const event = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
      buffer = buffer.slice(nl + 1);
      events.push(event);
      for (const w of waiters) if (w.predicate(event)) w.resolve();
    }
  });
  return {
    process: child,
    events,
    waitFor: (predicate) =>
      new Promise((resolve) => {
        if (events.some(predicate)) resolve();
        else waiters.push({ predicate, resolve });
      }),
    exit: once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>,
  };
}

it("on SIGTERM delivers every open window through onWindow, then exits 0", async () => {
  const prefix = redis.prefix();
  const child = startChild("exit", prefix);
  await child.waitFor((e) => e.ready === true);
  child.process.kill("SIGTERM");
  expect(await child.exit).toEqual([0, null]);
  const windows = child.events.filter((e) => "window" in e);
  expect(windows.sort((a, b) => String(a.key).localeCompare(String(b.key)))).toEqual([
    { window: [1, 2, 3], key: "", reason: "flush" },
    { window: [4], key: "k", reason: "flush" },
  ]);
  expect(child.events.at(-1)).toEqual({ done: { ok: true, timedOut: false, signal: "SIGTERM" } });
  // Nothing left open or awaiting delivery in Redis.
  const after = new DistributedTimeWindow<number>({
    name: "shutdown",
    store: redisStore(redis.client, { prefix }),
    timeoutMs: "1 h",
    autoTick: false,
  });
  expect(await after.stats()).toMatchObject({ open: 0, pendingElements: 0, ready: 0, inFlight: 0 });
});

it("with exit: false the process ends by itself: the store's client and timers hold nothing", async () => {
  const child = startChild("no-exit", redis.prefix());
  await child.waitFor((e) => e.ready === true);
  child.process.kill("SIGINT");
  expect(await child.exit).toEqual([0, null]);
  expect(child.events.filter((e) => "window" in e)).toHaveLength(2);
});

it("exits 1 when delivery outlasts timeoutMs", async () => {
  const child = startChild("hang", redis.prefix());
  await child.waitFor((e) => e.ready === true);
  child.process.kill("SIGTERM");
  expect(await child.exit).toEqual([1, null]);
  expect(child.events.at(-1)).toEqual({ done: { ok: false, timedOut: true, signal: "SIGTERM" } });
});

it("the returned function removes exactly the listeners it added", () => {
  const tw = new DistributedTimeWindow<number>({
    name: "listeners",
    timeoutMs: 1000,
    autoTick: false,
  });
  const before = [process.listenerCount("SIGTERM"), process.listenerCount("SIGHUP")];
  const remove = gracefulShutdown([tw], { signals: ["SIGTERM", "SIGHUP"] });
  expect([process.listenerCount("SIGTERM"), process.listenerCount("SIGHUP")]).toEqual(
    before.map((n) => n + 1),
  );
  remove();
  expect([process.listenerCount("SIGTERM"), process.listenerCount("SIGHUP")]).toEqual(before);
});
