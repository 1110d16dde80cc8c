import { DistributedTimeWindow, redisStore, type Window } from "@dtw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster } from "./support/cluster.js";
import { analyze, elementsOf } from "./support/ledger.js";
import {
  type DeliveredWindow,
  type NodeConfig,
  parseElement,
  type StreamConfig,
} from "./support/protocol.js";
import { acquireRedis, type TestRedis } from "./support/redis-server.js";

const STREAM: StreamConfig = {
  name: "flaky",
  strategy: "tumbling",
  timeoutMs: 1_000,
  maxCount: 10,
};
const ELEMENTS = 2_000;
const MAX_ATTEMPTS = 3;
/** Windows holding p0:0, p0:500, ... fail every attempt: a known, non-empty set of dead letters. */
const POISON_EVERY = 500;

let redis: TestRedis;
let cluster: Cluster | undefined;
beforeAll(async () => {
  redis = await acquireRedis({ label: "e2e" });
});
afterAll(async () => {
  await cluster?.destroy();
  await redis?.cleanup();
});

describe("a handler failing 10% of the time", () => {
  it("is retried, dead-letters after maxAttempts, loses nothing; dead letters replay", async () => {
    const prefix = redis.prefix();
    const configs: NodeConfig[] = ["p0", "p1"].map((node) => ({
      node,
      redisUrl: redis.url,
      prefix,
      streams: [STREAM],
      elements: ELEMENTS,
      inFlight: 16,
      leaseMs: 5_000,
      pollIntervalMs: 50,
      retryDelayMs: 20,
      maxAttempts: MAX_ATTEMPTS,
      failRate: 0.1,
      seed: 42,
      poisonEvery: POISON_EVERY,
    }));
    const started = await Cluster.start(configs);
    cluster = started;
    const all = configs.flatMap((c) => elementsOf(c.node, ELEMENTS));
    const isDead = (w: DeliveredWindow) => w.attempt >= MAX_ATTEMPTS;
    const accounted = () => {
      const ok = started.delivered.reduce((n, w) => n + w.elements.length, 0);
      const dead = started.failed.filter(isDead).reduce((n, w) => n + w.elements.length, 0);
      return ok + dead;
    };
    started.go();
    await started.waitFor(
      () => accounted() === all.length,
      30_000,
      "every element delivered or dead",
    );
    await started.close();

    // Nothing lost: delivered ∪ dead-lettered = all, and no element in both.
    const deadFailures = started.failed.filter(isDead);
    const store = redisStore(redis.url, { prefix });
    const replayed: Window<string>[] = [];
    const tw = new DistributedTimeWindow<string>({
      name: STREAM.name,
      strategy: STREAM.strategy,
      timeoutMs: STREAM.timeoutMs,
      maxCount: STREAM.maxCount,
      store,
      autoTick: false,
      onWindow: (w) => {
        replayed.push(w);
      },
    });
    try {
      const dead = await tw.deadLetters(1_000);
      expect(dead.map((w) => w.id).sort()).toEqual(deadFailures.map((w) => w.id).sort());
      const poisoned = all.filter((e) => parseElement(e).index % POISON_EVERY === 0);
      expect(dead.flatMap((w) => w.elements)).toEqual(expect.arrayContaining(poisoned));
      const before = analyze(
        [
          ...started.delivered,
          ...dead.map((w) => ({ ...w, node: "dead-letters", attempt: MAX_ATTEMPTS })),
        ],
        STREAM.name,
        { maxCount: STREAM.maxCount, expected: all },
      );
      expect(before.lost).toEqual([]);
      expect(before.duplicated).toEqual([]);
      expect(before.redeliveries).toEqual([]);
      expect(before.outOfOrder).toEqual([]);

      // Retries happened, and each retry of a window carried the same elements.
      const retried = started.delivered.filter((w) => w.attempt > 1);
      expect(retried.length).toBeGreaterThan(0);
      const failureRate =
        started.failed.length / (started.failed.length + started.delivered.length);
      expect(failureRate).toBeGreaterThan(0.05);
      expect(failureRate).toBeLessThan(0.2);
      const triedWith = new Map(started.failed.map((w) => [w.id, w.elements.join()]));
      for (const w of retried) expect(w.elements.join()).toBe(triedWith.get(w.id));

      // Replay: the same windows (ids, elements) come back with attempt reset, then none is dead.
      expect(await tw.replayDeadLetters()).toBe(dead.length);
      await tw.tick();
      expect(replayed.map((w) => [w.id, w.elements, w.attempt])).toEqual(
        dead.map((w) => [w.id, w.elements, 1]),
      );
      expect(await tw.deadLetters()).toEqual([]);
      const after = analyze(
        [...started.delivered, ...replayed.map((w) => ({ ...w, node: "replay" }))],
        STREAM.name,
        { expected: all },
      );
      expect(after.lost).toEqual([]);
      expect(after.duplicated).toEqual([]);
      expect(after.elements).toBe(all.length);
      console.log(
        `[e2e] failures: ${after.windows} windows, ${started.failed.length} failed attempts ` +
          `(${(failureRate * 100).toFixed(1)}%), ${retried.length} delivered on a retry, ` +
          `${dead.length} dead-lettered then replayed; ${after.elements} elements, 0 lost`,
      );
    } finally {
      await tw.close();
      await store.close?.();
    }
  });
});
