// Invariant 8: one round trip (one EVALSHA) per push in steady state, and the EVAL fallback
// when the server does not have a script cached.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DistributedTimeWindow } from "../../src/engine.js";
import type { RedisScriptClient } from "../../src/redis/client.js";
import { RedisStore } from "../../src/redis/redis-store.js";
import { SCRIPTS } from "../../src/redis/scripts/index.js";
import type { Window } from "../../src/window.js";
import { acquireRedis, scriptClient, type TestRedis } from "./redis-client.js";

let redis: TestRedis;

beforeAll(async () => {
  redis = await acquireRedis();
  // Steady state: the scripts are cached on the server (as after any first call).
  for (const script of Object.values(SCRIPTS)) {
    await redis.connection.sendCommand(["SCRIPT", "LOAD", script.source]);
  }
});

afterAll(async () => {
  await redis?.cleanup();
});

let streams = 0;
function node(client: RedisScriptClient) {
  return new DistributedTimeWindow<number>({
    name: `rt${++streams}`,
    store: new RedisStore(client, { prefix: redis.prefix() }),
    timeoutMs: "1 m",
    autoTick: false,
  });
}

describe("round trips per push", () => {
  it("N sequential pushes send exactly N EVALSHA and no EVAL", async () => {
    const client = scriptClient(redis.connection);
    const tw = node(client);
    for (let i = 0; i < 100; i++) await tw.push(i, { key: `k${i % 5}` });
    expect(client.sent).toEqual({ evalsha: 100, eval: 0 });
    const flushed = await tw.flush();
    expect(flushed.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await tw.close();
  });

  it("64 concurrent pushes issued in one tick share ONE EVALSHA", async () => {
    const client = scriptClient(redis.connection);
    const tw = node(client);
    await Promise.all(Array.from({ length: 64 }, (_, i) => tw.push(i, { key: `k${i % 4}` })));
    expect(client.sent).toEqual({ evalsha: 1, eval: 0 });
    const flushed = await tw.flush();
    expect(flushed.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    await tw.close();
  });
});

describe("NOSCRIPT fallback", () => {
  it("node-redis reports an uncached script with NOSCRIPT in the message", async () => {
    const unknownSha = "0".repeat(40);
    await expect(redis.connection.sendCommand(["EVALSHA", unknownSha, "1", "k"])).rejects.toThrow(
      /NOSCRIPT/,
    );
  });

  it("falls back to EVAL once, returns the right result, then uses EVALSHA again", async () => {
    // The server really answers NOSCRIPT: the first EVALSHA asks for a SHA it never cached.
    // (SCRIPT FLUSH would do it too, but is not allowed on a shared server.)
    const inner = scriptClient(redis.connection);
    let first = true;
    const client: RedisScriptClient = {
      evalsha(sha, keys, args) {
        const asked = first ? "0".repeat(40) : sha;
        first = false;
        return inner.evalsha(asked, keys, args);
      },
      eval: (source, keys, args) => inner.eval(source, keys, args),
    };
    const store = new RedisStore(client, { prefix: redis.prefix() });
    const s = { name: "noscript", strategy: "tumbling", maxCount: 2, timeoutMs: 60_000 } as const;
    const spec = { ...s, maxWaitMs: Number.POSITIVE_INFINITY };
    const r = await store.append(spec, [{ key: "k", items: ["1", "2", "3"] }], 1000);
    expect(inner.sent).toEqual({ evalsha: 1, eval: 1 });
    expect(r.closed.map((w) => [w.key, w.items, w.reason, w.attempt])).toEqual([
      ["k", ["1", "2"], "count", 1],
    ]);
    expect(await store.stats(spec)).toMatchObject({ open: 1, pendingElements: 1, inFlight: 1 });
    expect(inner.sent).toEqual({ evalsha: 2, eval: 1 });
    expect((await store.flush(spec)).map((w) => w.items)).toEqual([["3"]]);
    expect(inner.sent).toEqual({ evalsha: 3, eval: 1 });
    await store.drop(spec);
  });
});

describe("DistributedTimeWindow on RedisStore with Redis TIME and real timers", () => {
  it("delivers count and time windows exactly once", async () => {
    const received: Window<number>[] = [];
    let done: () => void = () => {};
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    const tw = new DistributedTimeWindow<number>({
      name: "timed",
      store: new RedisStore(scriptClient(redis.connection), { prefix: redis.prefix() }),
      maxCount: 4,
      timeoutMs: "200 ms",
      strategy: "first",
      onWindow: (w) => {
        received.push(w);
        if (received.flatMap((r) => r.elements).length === 10) done();
      },
    });
    await tw.pushMany([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await all; // the last window (8, 9) closes by time, on the node's own timer
    expect(received.map((w) => [w.elements, w.reason])).toEqual([
      [[0, 1, 2, 3], "count"],
      [[4, 5, 6, 7], "count"],
      [[8, 9], "time"],
    ]);
    const last = received[2] as Window<number>;
    expect(last.closedAt - last.openedAt).toBeGreaterThanOrEqual(200);
    await tw.idle();
    expect(await tw.stats()).toMatchObject({ open: 0, ready: 0, inFlight: 0, dead: 0 });
    await tw.close();
  });
});
