// A small DistributedTimeWindow run on MemoryStore that uses only what every runtime has, so the
// browser test and the Miniflare worker run the very same code and compare the same result.
import { DistributedTimeWindow, MemoryStore } from "../../src/index.js";
import type { ScenarioResult } from "./expected.js";

export { EXPECTED, type ScenarioResult } from "./expected.js";

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
