import { describe, expect, it } from "vitest";
import { EXACTLY_ONCE, e2eFile, expectNone, numbered } from "./support/e2e.js";
import { analyze } from "./support/ledger.js";
import type { StreamConfig } from "./support/protocol.js";

const THREADS = 4;
const ELEMENTS = 5_000;
const STREAM: StreamConfig = {
  name: "threads",
  strategy: "tumbling",
  timeoutMs: 1_000,
  maxCount: 100,
  keys: 4,
};

const e2e = e2eFile();

describe("4 worker_threads sharing one stream through Redis", () => {
  it("deliver every element exactly once, like processes", async () => {
    const shared = {
      streams: [STREAM],
      elements: ELEMENTS,
      inFlight: 64,
      leaseMs: 10_000,
      pollIntervalMs: 100,
    };
    const run = await e2e.start(numbered("t", THREADS), shared, { threads: true });
    const started = run.cluster;
    const total = run.expected.length;
    const t0 = performance.now();
    started.go();
    await started.waitFor(run.allDelivered(STREAM), 30_000, "every element to be delivered");
    const seconds = (performance.now() - t0) / 1000;
    await started.close();

    const report = analyze(started.delivered, STREAM.name, {
      maxCount: STREAM.maxCount,
      expected: run.expected,
    });
    expectNone(report, EXACTLY_ONCE);
    expect(report.elements).toBe(total);
    // Every thread took part in delivering, not just in pushing.
    expect(new Set(started.delivered.map((w) => w.node)).size).toBe(THREADS);
    console.log(
      `[e2e] threads: ${THREADS} x ${ELEMENTS} elements pushed and delivered in ` +
        `${seconds.toFixed(2)} s (${report.windows} windows), 0 lost, 0 duplicated`,
    );
  });
});
