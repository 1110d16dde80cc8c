import { describe, expect, it } from "vitest";
import { e2eFile, expectNone } from "./support/e2e.js";
import { analyze } from "./support/ledger.js";
import type { DeliveredWindow, StreamConfig } from "./support/protocol.js";

const PERIOD_MS = 1_000;
const SKEW_MS = 3_000;
const ELEMENTS = 400;
/** Unbounded count: every window is exactly one period of one key. */
const STREAM: StreamConfig = { name: "skew", strategy: "tumbling", timeoutMs: PERIOD_MS, keys: 2 };

const e2e = e2eFile();

describe("nodes whose clocks are 3 s ahead and 3 s behind", () => {
  it("splits or moves no window: boundaries follow Redis time on every node", async () => {
    const nodes = [
      { node: "on-time-a", clockSkewMs: 0 },
      { node: "on-time-b", clockSkewMs: 0 },
      { node: "skewed", clockSkewMs: SKEW_MS },
      { node: "behind", clockSkewMs: -SKEW_MS },
    ];
    const run = await e2e.start(nodes, {
      streams: [STREAM],
      elements: ELEMENTS,
      inFlight: 1,
      leaseMs: 5_000,
      pollIntervalMs: 100,
      bracketTime: true,
      pushIntervalMs: 5,
    });
    const { cluster: started, configs } = run;
    // The skew really is in effect in that node (IPC latency aside).
    expect(Math.abs((started.clockOffset("skewed") ?? 0) - SKEW_MS)).toBeLessThan(1_000);
    expect(Math.abs((started.clockOffset("behind") ?? 0) + SKEW_MS)).toBeLessThan(1_000);
    expect(Math.abs(started.clockOffset("on-time-a") ?? SKEW_MS)).toBeLessThan(1_000);

    const total = run.expected.length;
    started.go();
    await started.waitFor(
      () => run.allDelivered(STREAM)() && started.brackets.size === configs.length,
      30_000,
      "every element to be delivered",
    );
    await started.close();

    const report = analyze(started.delivered, STREAM.name, { expected: run.expected });
    expectNone(report, ["lost", "duplicated", "outOfOrder"]);

    // Windows are whole, aligned periods: one per key per period, never closed early.
    const windows = started.delivered;
    for (const w of windows) {
      expect(w.openedAt % PERIOD_MS, `window ${w.id} aligned`).toBe(0);
      expect(w.reason).toBe("time");
      expect(w.closedAt).toBeGreaterThanOrEqual(w.openedAt + PERIOD_MS);
    }
    const periods = windows.map((w) => `${w.key}@${w.openedAt}`);
    expect(new Set(periods).size).toBe(periods.length);

    // Each element lies in the period of the Redis time around its push, whatever the pusher's clock.
    const windowOf = new Map<string, DeliveredWindow>();
    for (const w of windows) for (const e of w.elements) windowOf.set(e, w);
    for (const { node } of configs) {
      const brackets = started.brackets.get(node) ?? [];
      let checked = 0;
      for (const [index, before, after] of brackets) {
        const period = Math.floor(before / PERIOD_MS) * PERIOD_MS;
        if (Math.floor(after / PERIOD_MS) * PERIOD_MS !== period) continue; // straddles a boundary
        checked++;
        expect(windowOf.get(`${node}:${index}`)?.openedAt, `${node}:${index}`).toBe(period);
      }
      expect(checked).toBeGreaterThan(ELEMENTS * 0.9);
    }
    // And the skewed nodes' elements share windows with the others'.
    const mixed = windows.filter(
      (w) => new Set(w.elements.map((e) => e.split(":")[0])).size === configs.length,
    );
    expect(mixed.length).toBeGreaterThan(0);
    console.log(
      `[e2e] clock skew: ${total} elements from 4 nodes (one +${SKEW_MS} ms, one -${SKEW_MS} ms) in ${windows.length} ` +
        `aligned windows over ${new Set(windows.map((w) => w.openedAt)).size} periods; ` +
        `${mixed.length} windows hold elements of all 4`,
    );
  });
});
