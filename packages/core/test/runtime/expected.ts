// The result every runtime must produce for runEngineScenario(). Kept free of imports from src
// so that Node-typed test code (the Miniflare test) can use it without compiling core with
// Node's globals.

/** What the scenario observed. */
export interface ScenarioResult {
  /** Windows handed to `onWindow`, ordered by their first element. */
  delivered: Array<{ elements: number[]; reason: string; attempt: number }>;
  /** What `flush()` returned. */
  flushed: number[][];
  /** What the `tick()` after the first period reported. */
  tick: { closed: number; delivered: number; failed: number };
}

/** Seven pushes, maxCount 3: two count windows, one time window, and a flush of [8, 9]. */
export const EXPECTED: ScenarioResult = {
  delivered: [
    { elements: [1, 2, 3], reason: "count", attempt: 1 },
    { elements: [4, 5, 6], reason: "count", attempt: 1 },
    { elements: [7], reason: "time", attempt: 1 },
  ],
  flushed: [[8, 9]],
  tick: { closed: 1, delivered: 1, failed: 0 },
};
