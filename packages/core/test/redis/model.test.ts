// RedisStore against the reference, step by step: random sequences of every WindowStore call
// run on a MemoryStore and a RedisStore sharing one fake clock must give identical results
// (ids, items, times, reasons, attempts, counts, outcomes).
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { MemoryStore } from "../../src/memory/memory-store.js";
import { RedisStore } from "../../src/redis/redis-store.js";
import type { StoredWindow, Strategy, StreamSpec, WindowStore } from "../../src/store.js";
import { FakeClock } from "../conformance/fake-clock.js";
import { acquireRedis, scriptClient, type TestRedis } from "./redis-client.js";

let redis: TestRedis;

beforeAll(async () => {
  redis = await acquireRedis();
});

afterAll(async () => {
  await redis?.cleanup();
});

type Op =
  | { t: "append"; groups: Array<{ key: string; n: number }>; lease: number }
  | { t: "advance"; ms: number }
  | { t: "closeDue"; limit: number; all: boolean }
  | { t: "claim"; max: number; lease: number }
  | { t: "ack"; picks: number[] }
  | { t: "fail"; pick: number; delta: number; backoff: number; maxAttempts: number }
  | { t: "flush" }
  | { t: "stats" }
  | { t: "nextWakeup" }
  | { t: "deadLetters"; limit: number }
  | { t: "replay"; picks: number[] | null };

/** Round values shared by timeouts, leases and steps, so that boundaries are hit exactly. */
const ROUND = fc.constantFrom(0, 100, 250, 500, 1000);
const key = fc.constantFrom("a", "b", "c");
const pick = fc.nat(20);

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant("append" as const),
      groups: fc.array(fc.record({ key, n: fc.integer({ min: 0, max: 5 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      lease: ROUND,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("advance" as const),
      ms: fc.oneof(ROUND, fc.integer({ min: 1, max: 700 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("closeDue" as const),
      limit: fc.integer({ min: 0, max: 3 }),
      all: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("claim" as const),
      max: fc.integer({ min: 0, max: 3 }),
      lease: ROUND,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("ack" as const),
      picks: fc.array(pick, { maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("fail" as const),
      pick,
      delta: fc.constantFrom(0, 0, 0, -1, 1),
      backoff: ROUND,
      maxAttempts: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("flush" as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("stats" as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("nextWakeup" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("deadLetters" as const),
      limit: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("replay" as const),
      picks: fc.option(fc.array(pick, { maxLength: 2 }), { nil: null }),
    }),
  },
);

const specArb = fc.record({
  strategy: fc.constantFrom<Strategy>("tumbling", "first", "last"),
  maxCount: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(Number.POSITIVE_INFINITY)),
  timeoutMs: fc.constantFrom(100, 250, 500, 1000),
  maxWaitMs: fc.oneof(fc.constantFrom(300, 1000), fc.constant(Number.POSITIVE_INFINITY)),
});

let runs = 0;

it("gives the same result as MemoryStore for every call of random call sequences", async () => {
  await fc.assert(
    fc.asyncProperty(specArb, fc.array(op, { minLength: 1, maxLength: 40 }), async (shape, ops) => {
      const clock = new FakeClock();
      clock.alignTo(1000, 100);
      const spec: StreamSpec = { name: `model${++runs}`, ...shape };
      const memory = new MemoryStore({ clock: clock.now });
      const prefix = redis.prefix();
      const store = new RedisStore(scriptClient(redis.connection), { prefix, clock: clock.now });
      const ids: string[] = [];
      const attempts = new Map<string, number>();
      let element = 0;
      const seen = (windows: StoredWindow[]) => {
        for (const w of windows) {
          if (!ids.includes(w.id)) ids.push(w.id);
          attempts.set(w.id, w.attempt);
        }
      };
      const idAt = (i: number) => (ids.length === 0 ? "missing" : (ids[i % ids.length] as string));
      try {
        for (const [step, o] of ops.entries()) {
          if (o.t === "advance") {
            clock.advance(o.ms);
            continue;
          }
          const call = (s: WindowStore): Promise<unknown> => {
            switch (o.t) {
              case "append":
                return s.append(spec, groups, o.lease);
              case "closeDue":
                return s.closeDue(spec, o.limit, o.all);
              case "claim":
                return s.claim(spec, o.max, o.lease);
              case "ack":
                return s.ack(spec, o.picks.map(idAt));
              case "fail": {
                const id = idAt(o.pick);
                const attempt = (attempts.get(id) ?? 1) + o.delta;
                return s.fail(spec, id, attempt, o.backoff, o.maxAttempts);
              }
              case "flush":
                return s.flush(spec);
              case "stats":
                return s.stats(spec);
              case "nextWakeup":
                return s.nextWakeup(spec);
              case "deadLetters":
                return s.deadLetters(spec, o.limit);
              case "replay":
                return s.replay(spec, o.picks?.map(idAt));
            }
          };
          const groups =
            o.t === "append"
              ? o.groups.map((g) => ({
                  key: g.key,
                  items: Array.from({ length: g.n }, () => `e${element++}`),
                }))
              : [];
          // Snapshot: MemoryStore hands out its live objects.
          const expected = structuredClone(await call(memory));
          const actual = await call(store);
          expect({ step, op: o, result: actual }).toEqual({ step, op: o, result: expected });
          if (Array.isArray(expected)) seen(expected as StoredWindow[]);
          if (o.t === "append") seen((expected as { closed: StoredWindow[] }).closed);
        }
      } finally {
        await store.drop(spec);
      }
    }),
    { numRuns: 300 },
  );
}, 60_000);
