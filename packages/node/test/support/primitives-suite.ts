import { ConfigError, type IAccumulator, type IDistributedSortedSet } from "@dtw/core";
import { describe, expect, it } from "vitest";
import { TRICKY_ITEMS } from "./tricky.js";

export interface PrimitivesFactory {
  /** A fresh key for one test (deleted by the caller's cleanup). */
  key(): string;
  /** Primitives on `key`, through connection `connection` (two independent connections). */
  accumulator(key: string, connection: 0 | 1): IAccumulator<string>;
  sortedSet(key: string, connection: 0 | 1): IDistributedSortedSet<string>;
}

/** Semantics of the seed primitives on a real Redis, shared by the TCP and REST versions. */
export function describePrimitives(label: string, factory: () => PrimitivesFactory): void {
  describe(`${label}: accumulator`, () => {
    it("appends in order, reports the length, drains from the head, flushes the rest", async () => {
      const f = factory();
      const acc = f.accumulator(f.key(), 0);
      expect(await acc.add("a")).toBe(1);
      expect(await acc.add(["b", "c", "d"])).toBe(4);
      expect(await acc.add([])).toBe(4);
      expect(await acc.drain(2)).toEqual(["a", "b"]);
      expect(await acc.drain(0)).toEqual([]);
      expect(await acc.flush()).toEqual(["c", "d"]);
      expect(await acc.flush()).toEqual([]);
      expect(await acc.drain(5)).toEqual([]);
    });

    it("keeps every item byte-exact", async () => {
      const f = factory();
      const acc = f.accumulator(f.key(), 0);
      await acc.add([...TRICKY_ITEMS]);
      expect(await acc.drain(3)).toEqual(TRICKY_ITEMS.slice(0, 3));
      expect(await acc.flush()).toEqual(TRICKY_ITEMS.slice(3));
    });

    it("refuses a bad count or item with a ConfigError naming it", async () => {
      const f = factory();
      const acc = f.accumulator(f.key(), 0);
      await expect(acc.drain(-1)).rejects.toThrow("Invalid count: -1");
      await expect(acc.drain(1.5)).rejects.toThrow(ConfigError);
      await expect(acc.add(42 as never)).rejects.toThrow("Invalid value: 42");
      expect(() => f.accumulator("", 0)).toThrow('Invalid identity: ""');
    });

    it("concurrent drains and a flush from two connections hand each item to one caller, in order", async () => {
      const f = factory();
      const key = f.key();
      const items = Array.from({ length: 300 }, (_, i) => `item-${i}`);
      await f.accumulator(key, 0).add(items);
      const takers = [f.accumulator(key, 0), f.accumulator(key, 1)];
      const chunks = await Promise.all([
        ...Array.from({ length: 60 }, (_, i) => (takers[i % 2] as IAccumulator<string>).drain(4)),
        takers[1]?.flush() as Promise<string[]>,
      ]);
      const all = chunks.flat();
      expect(all.sort()).toEqual([...items].sort());
      for (const chunk of chunks) {
        // Each call got a contiguous run of the list, oldest first.
        const indexes = chunk.map((item) => Number(item.slice(5)));
        expect(indexes).toEqual(indexes.map((_, i) => (indexes[0] as number) + i));
      }
    });
  });

  describe(`${label}: sorted set`, () => {
    it("add reports insertion; drain returns members scored below the bound, lowest first", async () => {
      const f = factory();
      const set = f.sortedSet(f.key(), 0);
      expect(await set.add("c", 30)).toBe(true);
      expect(await set.add("a", 10)).toBe(true);
      expect(await set.add("b", 20)).toBe(true);
      expect(await set.add("b", 20)).toBe(false);
      expect(await set.drain(20, "lt")).toEqual(["a"]);
      expect(await set.drain(20, "lt")).toEqual([]);
      expect(await set.drain(31, "lt")).toEqual(["b", "c"]);
      expect(await set.flush()).toEqual([]);
    });

    it("handles epoch-ms scores, infinities and tricky members", async () => {
      const f = factory();
      const set = f.sortedSet(f.key(), 0);
      const base = 1_764_364_800_000;
      for (const [i, member] of TRICKY_ITEMS.entries()) await set.add(member, base + i);
      expect(await set.drain(base + 2, "lt")).toEqual(TRICKY_ITEMS.slice(0, 2));
      expect(await set.drain(Number.NEGATIVE_INFINITY, "lt")).toEqual([]);
      expect(await set.drain(Number.POSITIVE_INFINITY, "lt")).toEqual(TRICKY_ITEMS.slice(2));
    });

    it("flush returns every member lowest first and empties the set", async () => {
      const f = factory();
      const set = f.sortedSet(f.key(), 0);
      await set.add("late", 2);
      await set.add("early", 1);
      expect(await set.flush()).toEqual(["early", "late"]);
      expect(await set.flush()).toEqual([]);
    });

    it("refuses a bad operator or sort id with a ConfigError naming it", async () => {
      const f = factory();
      const set = f.sortedSet(f.key(), 0);
      await expect(set.drain(1, "gt" as never)).rejects.toThrow('Invalid operator: "gt"');
      await expect(set.drain(Number.NaN, "lt")).rejects.toThrow("Invalid sortId: NaN");
      await expect(set.add("m", "1" as never)).rejects.toThrow('Invalid sortId: "1"');
    });

    it("concurrent drains from two connections never hand one member to two callers", async () => {
      const f = factory();
      const key = f.key();
      const members = Array.from({ length: 400 }, (_, i) => `bucket-${i}`);
      const writer = f.sortedSet(key, 0);
      await Promise.all(members.map((m, i) => writer.add(m, i)));
      const drainers = [f.sortedSet(key, 0), f.sortedSet(key, 1)];
      const results = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          (drainers[i % 2] as IDistributedSortedSet<string>).drain(i * 5 + 5, "lt"),
        ),
      );
      const all = results.flat();
      expect(all).toHaveLength(members.length);
      expect(new Set(all).size).toBe(members.length);
    });
  });
}
