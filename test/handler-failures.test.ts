import type { Window } from "@dtw/node";
import { describe, expect, it } from "vitest";
import { e2eFile, expectNone } from "./support/e2e.js";
import { analyze } from "./support/ledger.js";
import { type DeliveredWindow, parseElement, type StreamConfig } from "./support/protocol.js";

const STREAM: StreamConfig = {
  name: "flaky",
  strategy: "tumbling",
  timeoutMs: 1_000,
  maxCount: 10,
};
const ELEMENTS = 2_000;
const MAX_ATTEMPTS = 3;
/** Windows holding p0:0, p0:500, ... fail every attempt: a known, non-empty set of dead letters. */
const POISON_EVERY = 500;

const e2e = e2eFile();

describe("a handler failing 10% of the time", () => {
  it("is retried, dead-letters after maxAttempts, loses nothing; dead letters replay", async () => {
    const run = await e2e.start(["p0", "p1"], {
      streams: [STREAM],
      elements: ELEMENTS,
      inFlight: 16,
      leaseMs: 5_000,
      pollIntervalMs: 50,
      retryDelayMs: 20,
      maxAttempts: MAX_ATTEMPTS,
      failRate: 0.1,
      seed: 42,
      poisonEvery: POISON_EVERY,
    });
    const { cluster: started, expected: all } = run;
    const isDead = (w: DeliveredWindow) => w.attempt >= MAX_ATTEMPTS;
    const accounted = () => {
      const ok = started.delivered.reduce((n, w) => n + w.elements.length, 0);
      const dead = started.failed.filter(isDead).reduce((n, w) => n + w.elements.length, 0);
      return ok + dead;
    };
    started.go();
    await started.waitFor(
      () => accounted() === all.length,
      30_000,
      "every element delivered or dead",
    );
    await started.close();

    // Nothing lost: delivered ∪ dead-lettered = all, and no element in both.
    const deadFailures = started.failed.filter(isDead);
    const replayed: Window<string>[] = [];
    const observer = run.observe(STREAM, (w) => {
      replayed.push(w);
    });
    const tw = observer.window;
    try {
      const dead = await tw.deadLetters(1_000);
      expect(dead.map((w) => w.id).sort()).toEqual(deadFailures.map((w) => w.id).sort());
      const poisoned = all.filter((e) => parseElement(e).index % POISON_EVERY === 0);
      expect(dead.flatMap((w) => w.elements)).toEqual(expect.arrayContaining(poisoned));
      const before = analyze(
        [
          ...started.delivered,
          ...dead.map((w) => ({ ...w, node: "dead-letters", attempt: MAX_ATTEMPTS })),
        ],
        STREAM.name,
        { maxCount: STREAM.maxCount, expected: all },
      );
      expectNone(before, ["lost", "duplicated", "redeliveries", "outOfOrder"], "before replay");

      // Retries happened, and each retry of a window carried the same elements.
      const retried = started.delivered.filter((w) => w.attempt > 1);
      expect(retried.length).toBeGreaterThan(0);
      const failureRate =
        started.failed.length / (started.failed.length + started.delivered.length);
      expect(failureRate).toBeGreaterThan(0.05);
      expect(failureRate).toBeLessThan(0.2);
      const triedWith = new Map(started.failed.map((w) => [w.id, w.elements.join()]));
      for (const w of retried) expect(w.elements.join()).toBe(triedWith.get(w.id));

      // Replay: the same windows (ids, elements) come back with attempt reset, then none is dead.
      expect(await tw.replayDeadLetters()).toBe(dead.length);
      await tw.tick();
      expect(replayed.map((w) => [w.id, w.elements, w.attempt])).toEqual(
        dead.map((w) => [w.id, w.elements, 1]),
      );
      expect(await tw.deadLetters()).toEqual([]);
      const after = analyze(
        [...started.delivered, ...replayed.map((w) => ({ ...w, node: "replay" }))],
        STREAM.name,
        { expected: all },
      );
      expectNone(after, ["lost", "duplicated"], "after replay");
      expect(after.elements).toBe(all.length);
      console.log(
        `[e2e] failures: ${after.windows} windows, ${started.failed.length} failed attempts ` +
          `(${(failureRate * 100).toFixed(1)}%), ${retried.length} delivered on a retry, ` +
          `${dead.length} dead-lettered then replayed; ${after.elements} elements, 0 lost`,
      );
    } finally {
      await observer.close();
    }
  });
});
