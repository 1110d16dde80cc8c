import fc from "fast-check";
import { expect, it } from "vitest";
import { DistributedTimeWindow } from "../src/engine.js";
import { MemoryStore } from "../src/memory/memory-store.js";
import { type Strategy, type StreamSpec, windowDeadline } from "../src/store.js";
import { FakeClock } from "./conformance/fake-clock.js";

type Op =
  | { type: "push"; key: string; count: number }
  | { type: "advance"; ms: number }
  | { type: "tick" }
  | { type: "flush" }
  | { type: "failNext"; count: number };

/** Round values shared by timeouts and clock steps, so that deadlines are hit exactly, not just passed. */
const ROUND = fc.constantFrom(50, 100, 250, 500, 1000);

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant("push" as const),
      key: fc.constantFrom("a", "b", "c"),
      count: fc.integer({ min: 1, max: 5 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("advance" as const),
      ms: fc.oneof(ROUND, fc.integer({ min: 0, max: 700 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("tick" as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("flush" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("failNext" as const),
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
);

const config = fc.record({
  strategy: fc.constantFrom<Strategy>("tumbling", "first", "last"),
  maxCount: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(Number.POSITIVE_INFINITY)),
  timeoutMs: fc.oneof(ROUND, fc.integer({ min: 50, max: 1000 })),
  maxWaitMs: fc.oneof(
    ROUND,
    fc.integer({ min: 50, max: 2000 }),
    fc.constant(Number.POSITIVE_INFINITY),
  ),
});

interface ModelWindow {
  key: string;
  items: number[];
  openedAt: number;
  lastAt: number;
}

/** The reference: what windows the contract says must come out, computed the simplest way. */
class Model {
  readonly open = new Map<string, ModelWindow>();
  readonly closed: Array<{ key: string; items: number[]; reason: string }> = [];
  constructor(readonly spec: StreamSpec) {}
  deadline(w: ModelWindow) {
    const openedAt =
      this.spec.strategy === "tumbling"
        ? Math.floor(w.openedAt / this.spec.timeoutMs) * this.spec.timeoutMs
        : w.openedAt;
    return windowDeadline(this.spec, openedAt, w.lastAt);
  }
  push(key: string, items: number[], now: number) {
    let w = this.open.get(key);
    if (w && this.deadline(w) <= now) this.close(w, "time");
    for (const item of items) {
      w = this.open.get(key);
      if (!w) {
        w = { key, items: [], openedAt: now, lastAt: now };
        this.open.set(key, w);
      }
      w.items.push(item);
      w.lastAt = now;
      if (w.items.length >= this.spec.maxCount) this.close(w, "count");
    }
  }
  tick(now: number) {
    for (const w of [...this.open.values()]) if (this.deadline(w) <= now) this.close(w, "time");
  }
  flush() {
    for (const w of [...this.open.values()]) this.close(w, "flush");
  }
  close(w: ModelWindow, reason: string) {
    this.open.delete(w.key);
    this.closed.push({ key: w.key, items: w.items, reason });
  }
}

it("matches the reference model under random push/tick/clock/flush/failure sequences", async () => {
  await fc.assert(
    fc.asyncProperty(config, fc.array(op, { maxLength: 40 }), async (cfg, ops) => {
      const spec: StreamSpec = {
        name: "model",
        ...cfg,
        maxWaitMs: cfg.strategy === "last" ? cfg.maxWaitMs : Number.POSITIVE_INFINITY,
      };
      const clock = new FakeClock();
      const model = new Model(spec);
      let failures = 0;
      const delivered = new Map<
        string,
        { key: string; items: number[]; reason: string; maxSize: number }
      >();
      const tw = new DistributedTimeWindow<number>({
        name: spec.name,
        store: new MemoryStore({ clock: clock.now }),
        strategy: spec.strategy,
        maxCount: spec.maxCount,
        timeoutMs: spec.timeoutMs,
        ...(spec.strategy === "last" && Number.isFinite(spec.maxWaitMs)
          ? { maxWaitMs: spec.maxWaitMs }
          : {}),
        autoTick: false,
        maxAttempts: 3,
        retryDelayMs: 10,
        onWindow: (w) => {
          const previous = delivered.get(w.id);
          // A redelivery carries the same elements; a success is recorded once.
          if (previous) expect(w.elements).toEqual(previous.items);
          if (failures > 0) {
            failures--;
            throw new Error("injected");
          }
          expect(previous).toBeUndefined();
          delivered.set(w.id, {
            key: w.key,
            items: w.elements,
            reason: w.reason,
            maxSize: w.elements.length,
          });
        },
        onError: (e) => {
          throw e;
        },
      });
      const flushed: Array<{ key: string; items: number[]; reason: string }> = [];
      let next = 0;
      for (const o of ops) {
        if (o.type === "push") {
          const items = Array.from({ length: o.count }, () => next++);
          model.push(o.key, items, clock.ms);
          await tw.pushMany(items, { key: o.key });
          await tw.idle();
        } else if (o.type === "advance") clock.advance(o.ms);
        else if (o.type === "tick") {
          model.tick(clock.ms);
          await tw.tick();
        } else if (o.type === "flush") {
          const before = model.closed.length;
          model.flush();
          const got = await tw.flush();
          const expected = model.closed.splice(before).map((w) => w.items);
          expect(got.sort(byFirst)).toEqual(expected.sort(byFirst));
          flushed.push(...expected.map((items) => ({ key: "", items, reason: "flush" })));
        } else failures = o.count;
        const stats = await tw.stats();
        expect(stats.open).toBe(model.open.size);
        expect(stats.pendingElements).toBe(
          [...model.open.values()].reduce((n, w) => n + w.items.length, 0),
        );
      }
      // Drain: no more failures, everything closes, dead letters replayed.
      failures = 0;
      clock.advance(10 * (spec.timeoutMs + 1000));
      model.tick(clock.ms);
      await tw.tick();
      await tw.replayDeadLetters();
      clock.advance(60_000);
      await tw.tick();
      expect(await tw.stats()).toMatchObject({ open: 0, ready: 0, inFlight: 0, dead: 0 });

      const got = [...delivered.values()]
        .map((w) => `${w.key}|${w.reason}|${w.items.join(",")}`)
        .sort();
      const want = model.closed.map((w) => `${w.key}|${w.reason}|${w.items.join(",")}`).sort();
      expect(got).toEqual(want);
      const all = [
        ...[...delivered.values()].flatMap((w) => w.items),
        ...flushed.flatMap((w) => w.items),
      ];
      expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: next }, (_, i) => i));
      for (const w of delivered.values()) expect(w.maxSize).toBeLessThanOrEqual(spec.maxCount);
      await tw.close();
    }),
    { numRuns: 2000 },
  );
}, 120_000);

function byFirst(a: number[], b: number[]) {
  return (a[0] ?? 0) - (b[0] ?? 0);
}
