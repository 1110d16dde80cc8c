import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
// The gateway is an app, not a package: e2e tests start it from its sources.
import { startGateway } from "../apps/gateway/src/index.js";
import { EXACTLY_ONCE, e2eFile, expectNone } from "./support/e2e.js";
import { analyze } from "./support/ledger.js";
import type { StreamConfig } from "./support/protocol.js";

const ELEMENTS = 5_000;
const STREAM: StreamConfig = {
  name: "mixed",
  strategy: "first",
  timeoutMs: 500,
  maxCount: 100,
  keys: 3,
};

const e2e = e2eFile();

describe("processes on TCP and on Upstash REST (through the gateway) sharing one stream", () => {
  it("deliver every element exactly once: both transports run the same scripts", async () => {
    const token = randomBytes(24).toString("hex");
    const gateway = await startGateway({ port: 0, token, redisUrl: e2e.redis.url });
    e2e.redis.onCleanup(() => gateway.close());
    const upstash = { url: gateway.url, token };
    const nodes = ["tcp-0", "tcp-1", { node: "rest-0", upstash }, { node: "rest-1", upstash }];
    const run = await e2e.start(nodes, {
      streams: [STREAM],
      elements: ELEMENTS,
      inFlight: 32,
      leaseMs: 10_000,
      pollIntervalMs: 100,
    });
    const started = run.cluster;
    const total = run.expected.length;
    started.go();
    await started.waitFor(run.allDelivered(STREAM), 30_000, "every element to be delivered");
    await started.close();

    const report = analyze(started.delivered, STREAM.name, {
      maxCount: STREAM.maxCount,
      expected: run.expected,
    });
    expectNone(report, EXACTLY_ONCE);
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
