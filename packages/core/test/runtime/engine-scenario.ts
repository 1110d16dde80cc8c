// A small DistributedTimeWindow run on MemoryStore that uses only what every runtime has, so the
// browser test and the Miniflare worker run the very same code and compare the same result.
import { DistributedTimeWindow, MemoryStore, type Window } from "../../src/index.js";

export interface ScenarioResult {
  /** Windows handed to `onWindow`, ordered by their first element. */
  delivered: Array<Pick<Window<number>, "elements" | "reason" | "attempt">>;
  /** What `flush()` returned. */
  flushed: number[][];
  /** What the final `tick()` reported. */
  tick: { closed: number; delivered: number; failed: number };
}

/** The result every runtime must produce. */
export const EXPECTED: ScenarioResult = {
  delivered: [
    { elements: [1, 2, 3], reason: "count", attempt: 1 },
    { elements: [4, 5, 6], reason: "count", attempt: 1 },
    { elements: [7], reason: "time", attempt: 1 },
  ],
  flushed: [[8, 9]],
  tick: { closed: 1, delivered: 1, failed: 0 },
};

/**
 * Tumbling windows of 1 s closed early at 3 elements, on a hand-moved clock: seven pushes close
 * two windows by count, a tick after the period closes the rest by time, and flush returns the
 * elements pushed in the next period.
 */
export async function runEngineScenario(): Promise<ScenarioResult> {
  let now = 1_700_000_000_000; // a period start: the first window spans [now, now + 1000)
  const delivered: ScenarioResult["delivered"] = [];
  const tw = new DistributedTimeWindow<number>({
    name: "runtime-scenario",
    store: new MemoryStore({ clock: () => now }),
    maxCount: 3,
    timeoutMs: 1000,
    autoTick: false,
    onWindow: (w) => {
      delivered.push({ elements: w.elements, reason: w.reason, attempt: w.attempt });
    },
  });
  try {
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => tw.push(n)));
    now += 1000;
    const tick = await tw.tick();
    await tw.pushMany([8, 9]);
    const flushed = await tw.flush();
    await tw.close(); // waits for the count-closed deliveries started by the pushes
    delivered.sort((a, b) => (a.elements[0] ?? 0) - (b.elements[0] ?? 0));
    return { delivered, flushed, tick: { ...tick } };
  } finally {
    await tw.close();
  }
}
