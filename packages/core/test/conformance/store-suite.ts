import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import type { Strategy, StreamSpec, WindowStore } from "../../src/store.js";
import { FakeClock } from "./fake-clock.js";

/** What a store under test can do; the suite checks the rest is refused, not silently wrong. */
export interface StoreCapabilities {
  /** @default all three */
  strategies?: Strategy[];
  /** Append closes an open window whose deadline passed (real stores: yes; seed primitives: no). */
  closesStaleOnAppend?: boolean;
  /** stats() counts open windows and pending elements of all nodes. */
  exactOpenStats?: boolean;
  /** One store instance serves one stream only (seed primitives: one sorted set per stream). */
  singleStream?: boolean;
}

export type StoreFactory = (clock: () => number) => Promise<{
  store: WindowStore;
  cleanup?: () => Promise<void>;
}>;

let streamCounter = 0;

/**
 * The conformance suite every {@link WindowStore} runs (unstorage-style): each invariant of
 * DESIGN.md, driven by a fake clock the factory must wire into the store.
 */
export function describeStoreConformance(
  label: string,
  factory: StoreFactory,
  capabilities: StoreCapabilities = {},
): void {
  const strategies = capabilities.strategies ?? ["tumbling", "first", "last"];
  const staleOnAppend = capabilities.closesStaleOnAppend ?? true;
  const exactStats = capabilities.exactOpenStats ?? true;

  describe(`WindowStore conformance: ${label}`, () => {
    const clock = new FakeClock();
    let store: WindowStore;
    let cleanup: (() => Promise<void>) | undefined;
    const specs: StreamSpec[] = [];
    const spec = (overrides: Partial<StreamSpec> = {}): StreamSpec => {
      const s: StreamSpec = {
        name: `conf-${Date.now().toString(36)}-${++streamCounter}`,
        strategy: "tumbling",
        maxCount: Number.POSITIVE_INFINITY,
        timeoutMs: 1000,
        maxWaitMs: Number.POSITIVE_INFINITY,
        ...overrides,
      };
      specs.push(s);
      return s;
    };
    const items = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => JSON.stringify({ n: from + i }));

    beforeEach(async () => {
      clock.ms = 1_700_000_000_000;
      clock.alignTo(1000, 100);
      ({ store, cleanup } = await factory(clock.now));
    });
    afterEach(async () => {
      for (const s of specs.splice(0)) await store.drop?.(s);
      await cleanup?.();
    });

    it("closes a window at maxCount, returns it claimed (attempt 1) and keeps the rest open", async () => {
      const s = spec({ maxCount: 3 });
      const result = await store.append(s, [{ key: "", items: items(0, 7) }], 30_000);
      expect(result.closed.map((w) => w.items)).toEqual([items(0, 3), items(3, 6)]);
      for (const w of result.closed) {
        expect(w).toMatchObject({ key: "", reason: "count", attempt: 1, closedAt: clock.ms });
      }
      expect(new Set(result.closed.map((w) => w.id)).size).toBe(2);
      expect(result.now).toBe(clock.ms);
      const stats = await store.stats(s);
      expect(stats).toMatchObject({ inFlight: 2, ready: 0, dead: 0 });
      if (exactStats) expect(stats).toMatchObject({ open: 1, pendingElements: 1 });
      const flushed = await store.flush(s);
      expect(flushed.map((w) => w.items)).toEqual([items(6, 7)]);
    });

    it("never puts more than maxCount elements in a window, across many appends and groups", async () => {
      const s = spec({ maxCount: 4 });
      const seen: string[][] = [];
      for (let i = 0; i < 10; i++) {
        const r = await store.append(
          s,
          [
            { key: "a", items: items(i * 10, i * 10 + 3) },
            { key: "a", items: items(i * 10 + 3, i * 10 + 6) },
          ],
          30_000,
        );
        seen.push(...r.closed.map((w) => w.items));
      }
      seen.push(...(await store.flush(s)).map((w) => w.items));
      for (const w of seen) expect(w.length).toBeLessThanOrEqual(4);
      const expected = Array.from({ length: 10 }, (_, i) => items(i * 10, i * 10 + 6)).flat();
      expect(seen.flat()).toEqual(expected);
    });

    it("keeps acceptance order inside windows, including across groups of one call", async () => {
      const s = spec({ maxCount: 5 });
      const r = await store.append(
        s,
        [
          { key: "k", items: ["a", "b"] },
          { key: "other", items: ["x"] },
          { key: "k", items: ["c", "d", "e", "f"] },
        ],
        30_000,
      );
      expect(r.closed.map((w) => [w.key, w.items])).toEqual([["k", ["a", "b", "c", "d", "e"]]]);
      const rest = await store.flush(s);
      expect(rest.map((w) => [w.key, w.items]).sort()).toEqual([
        ["k", ["f"]],
        ["other", ["x"]],
      ]);
    });

    it("returns items byte-exact", async () => {
      const s = spec({ maxCount: 8 });
      const tricky = ["42", "007", '"quoted"', "true", "null", "🙂 ünïcödé", '{"a":[1,2]}', ""];
      const r = await store.append(s, [{ key: "k:é 1", items: tricky }], 30_000);
      expect(r.closed[0]?.items).toEqual(tricky);
      expect(r.closed[0]?.key).toBe("k:é 1");
    });

    it("tumbling: closes at the epoch-aligned period end, never before", async () => {
      const s = spec({ timeoutMs: 1000 });
      clock.alignTo(1000, 300);
      const periodStart = clock.ms - 300;
      const r = await store.append(s, [{ key: "", items: ["a"] }], 30_000);
      expect(r.deadline).toBe(periodStart + 1000);
      clock.advance(699);
      expect(await store.closeDue(s, 100)).toBe(0);
      expect(await store.claim(s, 10, 30_000)).toEqual([]);
      clock.advance(1);
      expect(await store.closeDue(s, 100)).toBe(1);
      const [w] = await store.claim(s, 10, 30_000);
      expect(w).toMatchObject({
        items: ["a"],
        reason: "time",
        attempt: 1,
        openedAt: periodStart,
        closedAt: periodStart + 1000,
      });
    });

    it("tumbling: a window closed by count opens a new one in the same period", async () => {
      const s = spec({ timeoutMs: 1000, maxCount: 2 });
      clock.alignTo(1000, 100);
      const periodEnd = clock.ms - 100 + 1000;
      const r = await store.append(s, [{ key: "", items: ["a", "b", "c"] }], 30_000);
      expect(r.closed).toHaveLength(1);
      expect(r.deadline).toBe(periodEnd);
      clock.ms = periodEnd;
      expect(await store.closeDue(s, 100)).toBe(1);
      const [w] = await store.claim(s, 10, 30_000);
      expect(w?.items).toEqual(["c"]);
    });

    it("keeps separate windows per key", async () => {
      const s = spec({ maxCount: 2 });
      const r = await store.append(
        s,
        [
          { key: "u1", items: ["a"] },
          { key: "u2", items: ["b"] },
          { key: "u1", items: ["c"] },
        ],
        30_000,
      );
      expect(r.closed.map((w) => [w.key, w.items])).toEqual([["u1", ["a", "c"]]]);
      expect((await store.flush(s)).map((w) => [w.key, w.items])).toEqual([["u2", ["b"]]]);
    });

    if (staleOnAppend) {
      it("append first closes a key's window whose deadline passed and hands it to the caller", async () => {
        const s = spec({ timeoutMs: 1000 });
        await store.append(s, [{ key: "", items: ["old"] }], 30_000);
        clock.advance(1000);
        const r = await store.append(s, [{ key: "", items: ["new"] }], 30_000);
        expect(r.closed.map((w) => [w.items, w.reason, w.attempt])).toEqual([[["old"], "time", 1]]);
        expect((await store.flush(s)).map((w) => w.items)).toEqual([["new"]]);
      });
    }

    if (strategies.includes("first")) {
      it("first: closes timeoutMs after the first element, whatever comes after", async () => {
        const s = spec({ strategy: "first", timeoutMs: 500 });
        const t0 = clock.ms;
        await store.append(s, [{ key: "", items: ["a"] }], 30_000);
        clock.advance(400);
        const r = await store.append(s, [{ key: "", items: ["b"] }], 30_000);
        expect(r.deadline).toBe(t0 + 500);
        clock.ms = t0 + 499;
        expect(await store.closeDue(s, 10)).toBe(0);
        clock.ms = t0 + 500;
        expect(await store.closeDue(s, 10)).toBe(1);
        const [w] = await store.claim(s, 10, 30_000);
        expect(w).toMatchObject({ items: ["a", "b"], openedAt: t0, closedAt: t0 + 500 });
      });
    } else {
      it("refuses strategy first with a ConfigError", async () => {
        await expect(
          store.append(spec({ strategy: "first" }), [{ key: "", items: ["a"] }], 0),
        ).rejects.toThrow(ConfigError);
      });
    }

    if (strategies.includes("last")) {
      it("last: each element pushes the deadline out; maxWaitMs caps it", async () => {
        const s = spec({ strategy: "last", timeoutMs: 300, maxWaitMs: 1000 });
        const t0 = clock.ms;
        for (let i = 0; i < 3; i++) {
          const r = await store.append(s, [{ key: "u", items: [`e${i}`] }], 30_000);
          expect(r.deadline).toBe(clock.ms + 300);
          clock.advance(250);
          expect(await store.closeDue(s, 10)).toBe(0);
        }
        const r = await store.append(s, [{ key: "u", items: ["e3"] }], 30_000);
        expect(r.closed).toEqual([]);
        expect(r.deadline).toBe(t0 + 1000);
        clock.ms = t0 + 999;
        expect(await store.closeDue(s, 10)).toBe(0);
        clock.ms = t0 + 1000;
        expect(await store.closeDue(s, 10)).toBe(1);
        const [w] = await store.claim(s, 10, 30_000);
        expect(w).toMatchObject({ items: ["e0", "e1", "e2", "e3"], reason: "time", openedAt: t0 });
      });

      it("last: closes timeoutMs after the last element when it goes quiet", async () => {
        const s = spec({ strategy: "last", timeoutMs: 300 });
        await store.append(s, [{ key: "u", items: ["a"] }], 30_000);
        clock.advance(200);
        await store.append(s, [{ key: "u", items: ["b"] }], 30_000);
        const last = clock.ms;
        clock.ms = last + 299;
        expect(await store.closeDue(s, 10)).toBe(0);
        clock.ms = last + 300;
        expect(await store.closeDue(s, 10)).toBe(1);
      });
    } else {
      it("refuses strategy last with a ConfigError", async () => {
        await expect(
          store.append(spec({ strategy: "last" }), [{ key: "", items: ["a"] }], 0),
        ).rejects.toThrow(ConfigError);
      });
    }

    it("closeDue respects its limit and closes the earliest deadlines first", async () => {
      const s = spec({
        strategy: strategies.includes("first") ? "first" : "tumbling",
        timeoutMs: 1000,
      });
      for (let i = 0; i < 5; i++) {
        await store.append(s, [{ key: `k${i}`, items: [`${i}`] }], 30_000);
        if (strategies.includes("first")) clock.advance(10);
      }
      clock.advance(2000);
      expect(await store.closeDue(s, 2)).toBe(2);
      expect(await store.closeDue(s, 100)).toBe(3);
      const claimed = await store.claim(s, 100, 30_000);
      expect(claimed.map((w) => w.items[0]).sort()).toEqual(["0", "1", "2", "3", "4"]);
    });

    it("a claimed window is leased: not claimable again until the lease expires, then attempt 2 with the same id and items", async () => {
      const s = spec({ maxCount: 2 });
      const [w] = (await store.append(s, [{ key: "", items: ["a", "b"] }], 5000)).closed;
      expect(await store.claim(s, 10, 5000)).toEqual([]);
      expect((await store.stats(s)).inFlight).toBe(1);
      clock.advance(4999);
      expect(await store.claim(s, 10, 5000)).toEqual([]);
      clock.advance(1);
      const again = await store.claim(s, 10, 5000);
      expect(again).toEqual([{ ...w, attempt: 2 }]);
    });

    it("extend keeps the current holder's lease alive, and only the current holder's", async () => {
      const s = spec({ maxCount: 1 });
      expect(store.extend).toBeTypeOf("function");
      const extend = store.extend?.bind(store) as NonNullable<WindowStore["extend"]>;
      const [w] = (await store.append(s, [{ key: "", items: ["a"] }], 1000)).closed;
      const lease = { id: w?.id as string, attempt: 1 };
      clock.advance(900);
      expect(await extend(s, [lease, { id: "missing", attempt: 1 }], 1000)).toBe(1);
      clock.advance(900);
      expect(await store.claim(s, 10, 1000)).toEqual([]);
      expect((await store.stats(s)).inFlight).toBe(1);
      clock.advance(100);
      const [again] = await store.claim(s, 10, 1000);
      expect(again).toMatchObject({ id: lease.id, attempt: 2 });
      // The first holder lost the window: its renewal no longer applies.
      expect(await extend(s, [lease], 60_000)).toBe(0);
      clock.advance(1000);
      expect((await store.claim(s, 10, 1000)).map((x) => x.attempt)).toEqual([3]);
      expect(await store.ack(s, [lease.id])).toBe(1);
      expect(await extend(s, [{ id: lease.id, attempt: 3 }], 1000)).toBe(0);
    });

    it("append with leaseMs 0 leaves closed windows unclaimed (attempt 0), claimable by any node", async () => {
      const s = spec({ maxCount: 1 });
      const r = await store.append(s, [{ key: "", items: ["a"] }], 0);
      expect(r.closed.map((w) => w.attempt)).toEqual([0]);
      expect(await store.stats(s)).toMatchObject({ ready: 1, inFlight: 0 });
      const claimed = await store.claim(s, 10, 1000);
      expect(claimed.map((w) => [w.id, w.attempt])).toEqual([[r.closed[0]?.id, 1]]);
    });

    it("claims oldest first, at most max", async () => {
      const s = spec({ maxCount: 1 });
      for (const x of ["a", "b", "c"]) {
        await store.append(s, [{ key: "", items: [x] }], 0);
        clock.advance(1);
      }
      expect((await store.claim(s, 2, 1000)).map((w) => w.items[0])).toEqual(["a", "b"]);
      expect((await store.claim(s, 2, 1000)).map((w) => w.items[0])).toEqual(["c"]);
    });

    it("ack deletes delivered windows; unknown ids are ignored", async () => {
      const s = spec({ maxCount: 1 });
      const r = await store.append(s, [{ key: "", items: ["a", "b"] }], 1000);
      expect(await store.ack(s, [r.closed[0]?.id as string, "nope"])).toBe(1);
      expect(await store.ack(s, [r.closed[0]?.id as string])).toBe(0);
      clock.advance(1000);
      expect((await store.claim(s, 10, 1000)).map((w) => w.items)).toEqual([["b"]]);
    });

    it("fail retries after the backoff, dead-letters at maxAttempts, and ignores stale attempts", async () => {
      const s = spec({ maxCount: 1 });
      const [w] = (await store.append(s, [{ key: "", items: ["a"] }], 1000)).closed;
      const id = w?.id as string;
      expect(await store.fail(s, id, 1, 200, 3)).toBe("retry");
      expect(await store.fail(s, id, 1, 200, 3)).toBe("stale");
      clock.advance(199);
      expect(await store.claim(s, 10, 1000)).toEqual([]);
      clock.advance(1);
      const [second] = await store.claim(s, 10, 1000);
      expect(second).toMatchObject({ id, attempt: 2, items: ["a"] });
      expect(await store.fail(s, id, 2, 0, 3)).toBe("retry");
      const [third] = await store.claim(s, 10, 1000);
      expect(third?.attempt).toBe(3);
      expect(await store.fail(s, id, 3, 0, 3)).toBe("dead");
      expect(await store.claim(s, 10, 1000)).toEqual([]);
      expect(await store.fail(s, "missing", 1, 0, 3)).toBe("stale");
      expect(await store.stats(s)).toMatchObject({ ready: 0, inFlight: 0, dead: 1 });
      const dead = await store.deadLetters(s, 10);
      expect(dead.map((d) => [d.id, d.items])).toEqual([[id, ["a"]]]);
    });

    it("replay puts dead letters back with attempt reset, keeping id and items", async () => {
      const s = spec({ maxCount: 1 });
      const closed = (await store.append(s, [{ key: "", items: ["a", "b"] }], 1000)).closed;
      for (const w of closed) expect(await store.fail(s, w.id, 1, 0, 1)).toBe("dead");
      expect(await store.replay(s, [closed[1]?.id as string, "unknown"])).toBe(1);
      expect((await store.deadLetters(s, 10)).map((w) => w.id)).toEqual([closed[0]?.id]);
      const [replayed] = await store.claim(s, 10, 1000);
      expect(replayed).toMatchObject({ id: closed[1]?.id, items: ["b"], attempt: 1 });
      expect(await store.replay(s)).toBe(1);
      expect((await store.claim(s, 10, 1000)).map((w) => w.id)).toEqual([closed[0]?.id]);
    });

    it("flush closes and returns every open window of every key, and leaves closed ones on the delivery path", async () => {
      const s = spec({ maxCount: 2 });
      const r = await store.append(
        s,
        [
          { key: "a", items: ["1", "2", "3"] },
          { key: "b", items: ["4"] },
        ],
        0,
      );
      const flushed = await store.flush(s);
      expect(flushed.map((w) => [w.key, w.items, w.reason]).sort()).toEqual([
        ["a", ["3"], "flush"],
        ["b", ["4"], "flush"],
      ]);
      expect(await store.flush(s)).toEqual([]);
      expect((await store.claim(s, 10, 1000)).map((w) => w.id)).toEqual([r.closed[0]?.id]);
      const stats = await store.stats(s);
      expect(stats).toMatchObject({ open: 0, pendingElements: 0 });
    });

    it("closeDue(all) closes every open window for delivery with reason flush", async () => {
      const s = spec({ timeoutMs: 60_000 });
      await store.append(
        s,
        [
          { key: "a", items: ["1"] },
          { key: "b", items: ["2"] },
        ],
        0,
      );
      expect(await store.closeDue(s, 100, true)).toBe(2);
      const claimed = await store.claim(s, 10, 1000);
      expect(claimed.map((w) => [w.key, w.reason]).sort()).toEqual([
        ["a", "flush"],
        ["b", "flush"],
      ]);
    });

    it("nextWakeup reports the store clock and the soonest deadline or availability", async () => {
      const s = spec({ timeoutMs: 1000, maxCount: 2 });
      expect(await store.nextWakeup(s)).toEqual({ now: clock.ms, at: null });
      const period = Math.floor(clock.ms / 1000) * 1000;
      await store.append(s, [{ key: "", items: ["a"] }], 400);
      expect(await store.nextWakeup(s)).toEqual({ now: clock.ms, at: period + 1000 });
      await store.append(s, [{ key: "", items: ["b", "c"] }], 400);
      expect(await store.nextWakeup(s)).toEqual({ now: clock.ms, at: clock.ms + 400 });
    });

    it("a large append (10,000 items, 500 groups) is accepted whole and in order", async () => {
      const s = spec({ maxCount: 1000 });
      const groups = Array.from({ length: 500 }, (_, g) => ({
        key: `k${g % 7}`,
        items: items(g * 20, g * 20 + 20),
      }));
      const r = await store.append(s, groups, 30_000);
      const all = [...r.closed, ...(await store.flush(s))];
      const total = all.reduce((n, w) => n + w.items.length, 0);
      expect(total).toBe(10_000);
      for (let k = 0; k < 7; k++) {
        const got = all.filter((w) => w.key === `k${k}`).flatMap((w) => w.items);
        const want = groups.filter((g) => g.key === `k${k}`).flatMap((g) => g.items);
        expect(got).toEqual(want);
      }
    });

    if (capabilities.singleStream) {
      it("refuses a second stream with a ConfigError", async () => {
        await store.append(spec(), [{ key: "", items: ["a"] }], 0);
        await expect(store.append(spec(), [{ key: "", items: ["b"] }], 0)).rejects.toThrow(
          ConfigError,
        );
      });
    } else {
      it("streams are isolated from each other", async () => {
        const a = spec({ maxCount: 2 });
        const b = spec({ maxCount: 2 });
        await store.append(a, [{ key: "", items: ["a1"] }], 0);
        const r = await store.append(b, [{ key: "", items: ["b1"] }], 0);
        expect(r.closed).toEqual([]);
        expect((await store.flush(a)).map((w) => w.items)).toEqual([["a1"]]);
        expect((await store.flush(b)).map((w) => w.items)).toEqual([["b1"]]);
      });
    }
  });
}
