import { describe, expect, it } from "vitest";
import { EXACTLY_ONCE, e2eFile, expectNone, numbered } from "./support/e2e.js";
import { analyze } from "./support/ledger.js";
import type { StreamConfig } from "./support/protocol.js";

const NODES = 4;
const ELEMENTS = 20_000;
const IN_FLIGHT = 64;
const BATCHES: StreamConfig = {
  name: "batches",
  strategy: "tumbling",
  timeoutMs: 2_000,
  maxCount: 100,
};
const SESSIONS: StreamConfig = {
  name: "sessions",
  strategy: "last",
  timeoutMs: 300,
  maxWaitMs: 1_000,
  // 5,000 elements per key is no multiple of 64: each key's last window closes by time.
  maxCount: 64,
  keys: 16,
};

const e2e = e2eFile();

describe("4 processes sharing two streams through Redis", () => {
  it("deliver every element exactly once, no window over maxCount, push order kept", async () => {
    const run = await e2e.start(numbered("p", NODES), {
      streams: [BATCHES, SESSIONS],
      elements: ELEMENTS,
      inFlight: IN_FLIGHT,
      leaseMs: 10_000,
      pollIntervalMs: 100,
    });
    const started = run.cluster;
    const total = run.expected.length;

    const t0 = performance.now();
    started.go();
    await started.waitFor(() => started.pushed.size === NODES, 45_000, "every push to resolve");
    const pushSeconds = (performance.now() - t0) / 1000;
    await started.waitFor(
      run.allDelivered(BATCHES, SESSIONS),
      15_000,
      "every element to be delivered",
    );
    const deliverSeconds = (performance.now() - t0) / 1000;
    await started.close();

    for (const stream of [BATCHES, SESSIONS]) {
      const report = analyze(started.delivered, stream.name, {
        maxCount: stream.maxCount,
        expected: run.expected,
      });
      expectNone(report, EXACTLY_ONCE, stream.name);
      expect(report.elements).toBe(total);
      const countClosed = started.delivered.filter(
        (w) => w.stream === stream.name && w.reason === "count",
      );
      expect(countClosed.every((w) => w.elements.length === stream.maxCount)).toBe(true);
      console.log(
        `[e2e] ${stream.name}: ${report.elements} elements in ${report.windows} windows ` +
          `(${countClosed.length} closed by count), 0 lost, 0 duplicated`,
      );
    }
    const pushes = total * 2;
    const latencies = [...started.pushed.values()];
    console.log(
      `[e2e] ${NODES} processes x ${ELEMENTS} elements x 2 streams, ${IN_FLIGHT} in flight each: ` +
        `${pushes} pushes in ${pushSeconds.toFixed(2)} s = ${Math.round(pushes / pushSeconds)} pushes/s; ` +
        `all delivered after ${deliverSeconds.toFixed(2)} s; push latency p50 ` +
        `${Math.max(...latencies.map((l) => l.p50Ms)).toFixed(1)} ms, p99 ` +
        `${Math.max(...latencies.map((l) => l.p99Ms)).toFixed(1)} ms (worst node)`,
    );
  });
});
