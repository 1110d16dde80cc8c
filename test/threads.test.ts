import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster } from "./support/cluster.js";
import { analyze, elementsOf } from "./support/ledger.js";
import type { NodeConfig, StreamConfig } from "./support/protocol.js";
import { acquireRedis, type TestRedis } from "./support/redis-server.js";

const THREADS = 4;
const ELEMENTS = 5_000;
const STREAM: StreamConfig = {
  name: "threads",
  strategy: "tumbling",
  timeoutMs: 1_000,
  maxCount: 100,
  keys: 4,
};

let redis: TestRedis;
let cluster: Cluster | undefined;
beforeAll(async () => {
  redis = await acquireRedis({ label: "e2e" });
});
afterAll(async () => {
  await cluster?.destroy();
  await redis?.cleanup();
});

describe("4 worker_threads sharing one stream through Redis", () => {
  it("deliver every element exactly once, like processes", async () => {
    const prefix = redis.prefix();
    const configs: NodeConfig[] = Array.from({ length: THREADS }, (_, i) => ({
      node: `t${i}`,
      redisUrl: redis.url,
      prefix,
      streams: [STREAM],
      elements: ELEMENTS,
      inFlight: 64,
      leaseMs: 10_000,
      pollIntervalMs: 100,
    }));
    const started = await Cluster.start(configs, { threads: true });
    cluster = started;
    const total = THREADS * ELEMENTS;
    const t0 = performance.now();
    started.go();
    await started.waitFor(
      () => started.deliveredElements.get(STREAM.name) === total,
      30_000,
      "every element to be delivered",
    );
    const seconds = (performance.now() - t0) / 1000;
    await started.close();

    const report = analyze(started.delivered, STREAM.name, {
      maxCount: STREAM.maxCount,
      expected: configs.flatMap((c) => elementsOf(c.node, ELEMENTS)),
    });
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.redeliveries).toEqual([]);
    expect(report.overfull).toEqual([]);
    expect(report.outOfOrder).toEqual([]);
    expect(report.elements).toBe(total);
    // Every thread took part in delivering, not just in pushing.
    expect(new Set(started.delivered.map((w) => w.node)).size).toBe(THREADS);
    console.log(
      `[e2e] threads: ${THREADS} x ${ELEMENTS} elements pushed and delivered in ` +
        `${seconds.toFixed(2)} s (${report.windows} windows), 0 lost, 0 duplicated`,
    );
  });
});
