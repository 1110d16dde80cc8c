import { describe, expect, it } from "vitest";
import { e2eFile, expectNone } from "./support/e2e.js";
import { analyze } from "./support/ledger.js";
import type { StreamConfig } from "./support/protocol.js";

const ELEMENTS = 500;
const TUMBLING: StreamConfig = { name: "tumbling", strategy: "tumbling", timeoutMs: 250, keys: 4 };
const FIRST: StreamConfig = { name: "first", strategy: "first", timeoutMs: 300, keys: 4 };

const e2e = e2eFile();

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

describe("time-closed windows across 3 processes", () => {
  it("never close before their deadline and reach a handler soon after it", async () => {
    const run = await e2e.start(["a", "b", "c"], {
      streams: [TUMBLING, FIRST],
      elements: ELEMENTS,
      inFlight: 1,
      leaseMs: 10_000,
      // Idle polling is slow on purpose: delivery must come from timers set to the deadline.
      pollIntervalMs: 1_000,
      pushIntervalMs: 5,
    });
    const started = run.cluster;
    started.go();
    await started.waitFor(
      run.allDelivered(TUMBLING, FIRST),
      30_000,
      "every element to be delivered",
    );
    await started.close();

    const lateness: number[] = [];
    for (const stream of [TUMBLING, FIRST]) {
      const report = analyze(started.delivered, stream.name, { expected: run.expected });
      expectNone(report, ["lost", "duplicated"], stream.name);
      for (const w of started.delivered.filter((d) => d.stream === stream.name)) {
        expect(w.reason).toBe("time");
        const deadline = w.openedAt + stream.timeoutMs;
        expect(w.closedAt, `${w.id} closed before its deadline`).toBeGreaterThanOrEqual(deadline);
        // Same host: Redis TIME and the nodes' Date.now read the same clock.
        lateness.push(w.deliveredAt - deadline);
      }
    }
    lateness.sort((x, y) => x - y);
    const p50 = quantile(lateness, 0.5);
    const p99 = quantile(lateness, 0.99);
    console.log(
      `[e2e] promptness: ${lateness.length} time-closed windows delivered ${p50} ms (p50), ` +
        `${p99} ms (p99), ${lateness.at(-1)} ms (max) after their deadline`,
    );
    expect(lateness[0]).toBeGreaterThanOrEqual(0);
    expect(p99).toBeLessThanOrEqual(100);
  });
});
