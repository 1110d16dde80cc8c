import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The gateway is an app, not a package: e2e tests start it from its sources.
import { type Gateway, startGateway } from "../apps/gateway/src/index.js";
import { Cluster } from "./support/cluster.js";
import { analyze, elementsOf } from "./support/ledger.js";
import type { NodeConfig, StreamConfig } from "./support/protocol.js";
import { acquireRedis, type TestRedis } from "./support/redis-server.js";

const ELEMENTS = 5_000;
const STREAM: StreamConfig = {
  name: "mixed",
  strategy: "first",
  timeoutMs: 500,
  maxCount: 100,
  keys: 3,
};

let redis: TestRedis;
let gateway: Gateway | undefined;
let cluster: Cluster | undefined;
beforeAll(async () => {
  redis = await acquireRedis({ label: "e2e" });
});
afterAll(async () => {
  await cluster?.destroy();
  await gateway?.close();
  await redis?.cleanup();
});

describe("processes on TCP and on Upstash REST (through the gateway) sharing one stream", () => {
  it("deliver every element exactly once: both transports run the same scripts", async () => {
    const token = randomBytes(24).toString("hex");
    gateway = await startGateway({ port: 0, token, redisUrl: redis.url });
    const prefix = redis.prefix();
    const configs: NodeConfig[] = [
      { node: "tcp-0" },
      { node: "tcp-1" },
      { node: "rest-0", upstash: { url: gateway.url, token } },
      { node: "rest-1", upstash: { url: gateway.url, token } },
    ].map((n) => ({
      ...n,
      redisUrl: redis.url,
      prefix,
      streams: [STREAM],
      elements: ELEMENTS,
      inFlight: 32,
      leaseMs: 10_000,
      pollIntervalMs: 100,
    }));
    const started = await Cluster.start(configs);
    cluster = started;
    const total = configs.length * ELEMENTS;
    started.go();
    await started.waitFor(
      () => started.deliveredElements.get(STREAM.name) === total,
      30_000,
      "every element to be delivered",
    );
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
    // Windows really are shared across transports, not split per client kind.
    const mixed = started.delivered.filter((w) => {
      const kinds = new Set(w.elements.map((e) => e.split("-")[0]));
      return kinds.size === 2;
    });
    expect(mixed.length).toBeGreaterThan(0);
    const deliverers = new Set(started.delivered.map((w) => w.node.split("-")[0]));
    expect(deliverers).toEqual(new Set(["tcp", "rest"]));
    console.log(
      `[e2e] mixed transports: ${total} elements from 2 TCP + 2 REST processes in ` +
        `${report.windows} windows (${mixed.length} mixing both), 0 lost, 0 duplicated`,
    );
  });
});
