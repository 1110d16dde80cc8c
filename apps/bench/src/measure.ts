/** What one timed run of a case produced. */
export interface Sample {
  readonly operations: number;
  readonly seconds: number;
  /** Per operation, ms, sorted ascending. */
  readonly latenciesMs: Float64Array;
}

/**
 * Closed loop: `inFlight` lanes each issue `operation(i)` and issue the next one as soon as it
 * resolves, until `durationMs` is over. Every operation started is awaited and counted.
 */
export async function runLanes(
  inFlight: number,
  durationMs: number,
  operation: (index: number) => Promise<unknown>,
  firstIndex = 0,
): Promise<Sample> {
  const latencies: number[] = [];
  let next = firstIndex;
  const started = performance.now();
  const deadline = started + durationMs;
  const lane = async () => {
    while (performance.now() < deadline) {
      const index = next++;
      const t0 = performance.now();
      await operation(index);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return { operations: latencies.length, seconds, latenciesMs: sorted };
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}
