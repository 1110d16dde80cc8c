import { expect } from "vitest";
import type { DemoOptions } from "../src/args.js";
import { type DemoMode, type DemoResult, runDemo } from "../src/demo.js";

/** Runs the demo to the end, keeping what it writes (as to a pipe, not a TTY). */
export async function runCaptured(
  options: DemoOptions,
  mode?: DemoMode,
): Promise<{ result: DemoResult; text: string }> {
  const chunks: string[] = [];
  const output = { write: (s: string) => void chunks.push(s), isTTY: false };
  const result = await runDemo(options, output, mode);
  return { result, text: chunks.join("") };
}

/**
 * Every stream delivered everything it took in exactly once, in push order, within maxCount,
 * checked field by field so that a failure names what broke; and the demo's own verdict agrees.
 */
export function expectExactlyOnce(result: DemoResult): void {
  for (const s of result.summary.streams) {
    expect(s.in).toBeGreaterThan(0);
    expect(s.out).toBe(s.in);
    expect(s.missing).toBe(0);
    expect(s.duplicates).toBe(0);
    expect(s.maxSize).toBeLessThanOrEqual(s.maxCount);
    expect(s.orderViolations).toBe(0);
  }
  expect(result.summary.checks.filter((c) => !c.ok)).toEqual([]);
  expect(result.ok).toBe(true);
}
