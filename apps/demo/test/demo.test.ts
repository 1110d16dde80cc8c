import { describe, expect, test } from "vitest";
import { ArgsError, DEFAULTS, parseArgs } from "../src/args.js";
import { runDemo } from "../src/demo.js";
import { nodeSchedule } from "../src/traffic.js";
import { expectExactlyOnce, runCaptured } from "./run-demo.js";

describe("runDemo", () => {
  test("delivers every pushed element exactly once, in order, within maxCount", async () => {
    const { result, text } = await runCaptured({
      durationS: 1.5,
      rate: 600,
      nodes: 3,
      seed: 7,
      quiet: true,
    });

    expect(result.summary.streams.map((s) => s.stream)).toEqual(["orders", "notifications"]);
    expectExactlyOnce(result);
    expect(text).toContain("PASS:");
    // --quiet: progress and summary only, no per-window lines.
    expect(text).not.toMatch(/^orders +key=/m);
  }, 10_000);

  test("an abort stops the traffic early and still delivers everything pushed", async () => {
    const options = { durationS: 30, rate: 600, nodes: 2, seed: 3, quiet: true };
    const scheduled = [0, 1].reduce((n, node) => n + nodeSchedule(options, node).length, 0);
    const interrupt = new AbortController();
    const chunks: string[] = [];
    const output = {
      write: (s: string) => {
        chunks.push(s);
        // Abort on the first progress line (every 100 ms on a TTY): the traffic is running.
        if (s.includes(" pushed ")) interrupt.abort();
      },
      isTTY: true,
    };

    const result = await runDemo(options, output, { kind: "memory" }, interrupt.signal);

    const pushed = result.summary.streams.reduce((n, s) => n + s.in, 0);
    expect(pushed).toBeGreaterThan(0);
    expect(pushed).toBeLessThan(scheduled);
    expect(chunks.join("")).toContain("interrupted: traffic stopped at");
    expect(result.ok).toBe(true);
  }, 10_000);
});

describe("parseArgs", () => {
  test("reads every flag, in both --flag value and --flag=value forms", () => {
    expect(
      parseArgs(["--duration", "2.5", "--rate=900", "--nodes", "6", "--seed", "3", "--quiet"]),
    ).toEqual({ durationS: 2.5, rate: 900, nodes: 6, seed: 3, quiet: true });
    expect(parseArgs([])).toEqual(DEFAULTS);
    expect(parseArgs(["--rate", "10", "--help"])).toEqual({ help: true });
  });

  test.each([
    [["--bogus"], 'unknown flag "--bogus"'],
    [["--rate"], "--rate needs a value"],
    [["--rate", "fast"], '--rate must be a number, got "fast"'],
    [["--nodes", "2.5"], '--nodes must be an integer, got "2.5"'],
    [["--duration", "0"], "--duration must be between 0.5 and 60, got 0"],
  ])("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new ArgsError(message));
  });
});
