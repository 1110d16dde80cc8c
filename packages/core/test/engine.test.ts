import { describe, expect, it, vi } from "vitest";
import { DistributedTimeWindow } from "../src/engine.js";
import { ClosedError, ConfigError, SerializationError, StoreError } from "../src/errors.js";
import { MemoryStore } from "../src/memory/memory-store.js";
import type { Timers } from "../src/timer.js";
import type { Window } from "../src/window.js";
import { FakeClock } from "./conformance/fake-clock.js";
import { countingStore, testNode } from "./helpers.js";

describe("push and delivery", () => {
  it("delivers a count-closed window to onWindow with its fields", async () => {
    const { tw, clock, received } = testNode<number>({ maxCount: 3 });
    await tw.pushMany([1, 2, 3, 4]);
    await tw.idle();
    expect(received).toEqual([
      {
        id: expect.any(String),
        stream: "test",
        key: "",
        elements: [1, 2, 3],
        openedAt: Math.floor(clock.ms / 1000) * 1000,
        closedAt: clock.ms,
        reason: "count",
        attempt: 1,
      },
    ]);
    expect(await tw.stats()).toMatchObject({ open: 1, pendingElements: 1, inFlight: 0, ready: 0 });
  });

  it("delivers a time-closed window on tick, not before its deadline", async () => {
    const { tw, clock, received } = testNode<string>({ timeoutMs: "1 s" });
    clock.alignTo(1000, 0);
    await tw.push("a", { key: "u1" });
    clock.advance(999);
    expect(await tw.tick()).toEqual({ closed: 0, delivered: 0, failed: 0 });
    clock.advance(1);
    expect(await tw.tick()).toEqual({ closed: 1, delivered: 1, failed: 0 });
    expect(received.map((w) => [w.key, w.elements, w.reason])).toEqual([["u1", ["a"], "time"]]);
  });

  it("retries a failing handler with backoff and the same id and elements", async () => {
    let fail = 2;
    const seen: Window<string>[] = [];
    const { tw, clock } = testNode<string>({
      maxCount: 2,
      retryDelayMs: 100,
      onWindow: (w) => {
        seen.push(w);
        if (fail-- > 0) throw new Error("downstream unavailable");
      },
    });
    await tw.pushMany(["a", "b"]);
    await tw.idle();
    clock.advance(99);
    await tw.tick();
    expect(seen).toHaveLength(1);
    clock.advance(1);
    expect(await tw.tick()).toMatchObject({ delivered: 0, failed: 1 });
    clock.advance(199);
    expect(await tw.tick()).toMatchObject({ delivered: 0, failed: 0 });
    clock.advance(1);
    expect(await tw.tick()).toMatchObject({ delivered: 1, failed: 0 });
    expect(seen.map((w) => [w.attempt, w.elements])).toEqual([
      [1, ["a", "b"]],
      [2, ["a", "b"]],
      [3, ["a", "b"]],
    ]);
    expect(new Set(seen.map((w) => w.id)).size).toBe(1);
    expect((await tw.stats()).node).toMatchObject({ windowsDelivered: 1, failures: 2 });
  });

  it("dead-letters after maxAttempts, calls onDeadLetter, lists and replays", async () => {
    const dead: Array<[Window<string>, unknown]> = [];
    let broken = true;
    const delivered: Window<string>[] = [];
    const { tw, clock } = testNode<string>({
      maxCount: 1,
      maxAttempts: 2,
      retryDelayMs: 0,
      onWindow: (w) => {
        if (broken) throw new Error(`boom ${w.attempt}`);
        delivered.push(w);
      },
      onDeadLetter: (w, error) => {
        dead.push([w, error]);
      },
    });
    await tw.push("x");
    await tw.idle();
    await tw.tick();
    expect(dead.map(([w, e]) => [w.elements, w.attempt, (e as Error).message])).toEqual([
      [["x"], 2, "boom 2"],
    ]);
    expect(await tw.stats()).toMatchObject({ dead: 1, ready: 0 });
    const letters = await tw.deadLetters();
    expect(letters.map((w) => w.elements)).toEqual([["x"]]);
    broken = false;
    expect(await tw.replayDeadLetters()).toBe(1);
    clock.advance(1);
    await tw.tick();
    expect(delivered.map((w) => [w.id, w.attempt])).toEqual([[letters[0]?.id, 1]]);
    expect(await tw.stats()).toMatchObject({ dead: 0, ready: 0, inFlight: 0 });
  });

  it("a node without onWindow leaves closed windows to nodes with one", async () => {
    const shared = { clock: new FakeClock(), store: new MemoryStore() };
    shared.store = new MemoryStore({ clock: shared.clock.now });
    const producer = testNode<number>({ maxCount: 2, onWindow: undefined }, shared);
    const consumer = testNode<number>({ maxCount: 2 }, shared);
    await producer.tw.pushMany([1, 2, 3]);
    await producer.tw.idle();
    expect(await consumer.tw.tick()).toMatchObject({ delivered: 1 });
    expect(consumer.received.map((w) => w.elements)).toEqual([[1, 2]]);
  });

  it("a window whose node died before acking is redelivered by another node after the lease", async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock: clock.now });
    const shared = { clock, store };
    const dying = testNode<number>(
      { maxCount: 2, leaseMs: 5000, onWindow: () => new Promise<void>(() => {}) },
      shared,
    );
    const survivor = testNode<number>({ maxCount: 2, leaseMs: 5000 }, shared);
    await dying.tw.pushMany([1, 2]);
    clock.advance(4999);
    expect(await survivor.tw.tick()).toMatchObject({ delivered: 0 });
    clock.advance(1);
    expect(await survivor.tw.tick()).toMatchObject({ delivered: 1 });
    expect(survivor.received.map((w) => [w.elements, w.attempt])).toEqual([[[1, 2], 2]]);
  });
});

describe("flush, shutdown, close", () => {
  it("flush returns every open window's elements, all keys, without calling onWindow", async () => {
    const { tw, received } = testNode<number>({ maxCount: 10 });
    await tw.pushMany([1, 2], { key: "a" });
    await tw.push(3, { key: "b" });
    const flushed = await tw.flush();
    expect(flushed.sort()).toEqual([[1, 2], [3]]);
    expect(received).toEqual([]);
    expect(await tw.stats()).toMatchObject({ open: 0, pendingElements: 0 });
  });

  it("flush includes pushes issued just before it", async () => {
    const { tw } = testNode<number>();
    const pushes = [tw.push(1), tw.push(2)];
    const flushed = await tw.flush();
    await Promise.all(pushes);
    expect(flushed).toEqual([[1, 2]]);
  });

  it("shutdown closes open windows and delivers them through onWindow, then refuses pushes", async () => {
    const { tw, received } = testNode<number>({ timeoutMs: "1 h" });
    await tw.pushMany([1, 2], { key: "a" });
    await tw.shutdown();
    expect(received.map((w) => [w.elements, w.reason])).toEqual([[[1, 2], "flush"]]);
    await expect(tw.push(3)).rejects.toThrow(ClosedError);
  });

  it("close stops the timer, waits for running handlers and leaves open windows in the store", async () => {
    const timers = fakeTimers();
    let release!: () => void;
    const handlerDone = vi.fn();
    const store = new MemoryStore();
    const tw = new DistributedTimeWindow<number>({
      name: "closing",
      store,
      timeoutMs: "1 m",
      maxCount: 2,
      timers,
      onWindow: async () => {
        await new Promise<void>((r) => {
          release = r;
        });
        handlerDone();
      },
    });
    await tw.pushMany([1, 2, 3]);
    const closing = tw.close();
    expect(handlerDone).not.toHaveBeenCalled();
    release();
    await closing;
    expect(handlerDone).toHaveBeenCalledOnce();
    expect(timers.pending()).toBe(0);
    const other = testNode<number>({ name: "closing" }, { store, clock: new FakeClock() });
    expect(await other.tw.flush()).toEqual([[3]]);
  });

  it("supports await using", async () => {
    const timers = fakeTimers();
    {
      await using tw = new DistributedTimeWindow<number>({
        name: "disposable",
        timeoutMs: 100,
        timers,
      });
      await tw.push(1);
      expect(timers.pending()).toBe(1);
    }
    expect(timers.pending()).toBe(0);
  });
});

describe("autoTick", () => {
  it("arms one timer for the next deadline, by the store's clock", async () => {
    const timers = fakeTimers();
    const clock = new FakeClock();
    clock.alignTo(10_000, 2_500);
    const { tw, received } = testNode<number>(
      { autoTick: true, timers, timeoutMs: "10 s", pollIntervalMs: "1 m" },
      {
        clock,
        store: new MemoryStore({ clock: clock.now }),
      },
    );
    await timers.fire(); // the start-up tick
    await tw.push(1);
    expect(timers.delays()).toEqual([7_501]);
    clock.advance(7_501);
    await timers.fire();
    expect(received.map((w) => w.elements)).toEqual([[1]]);
    expect(timers.delays()).toEqual([60_000]);
    await tw.close();
    expect(timers.pending()).toBe(0);
  });

  it("never arms a timer when autoTick is off", async () => {
    const timers = fakeTimers();
    const { tw } = testNode<number>({ autoTick: false, timers });
    await tw.push(1);
    expect(timers.pending()).toBe(0);
  });
});

describe("coalescing", () => {
  it("sends pushes issued in the same tick as one store call, each push still all-or-nothing", async () => {
    const clock = new FakeClock();
    const { store, calls } = countingStore(new MemoryStore({ clock: clock.now }));
    const { tw, received } = testNode<number>({ maxCount: 10 }, { store, clock });
    await Promise.all(Array.from({ length: 64 }, (_, i) => tw.push(i)));
    expect(calls.append).toBe(1);
    await tw.idle();
    expect(received.flatMap((w) => w.elements)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    for (let i = 0; i < 5; i++) await tw.push(100 + i);
    expect(calls.append).toBe(6);
  });
});

describe("errors", () => {
  const base = { name: "s", timeoutMs: 1000, autoTick: false };
  it.each([
    [{ ...base, name: "bad name!" }, "name", '"bad name!"'],
    [{ ...base, name: "" }, "name", '""'],
    [{ ...base, maxCount: 0 }, "maxCount", "0"],
    [{ ...base, maxCount: 1.5 }, "maxCount", "1.5"],
    [{ ...base, timeoutMs: -5 }, "timeoutMs", "-5"],
    [{ ...base, timeoutMs: Number.NaN }, "timeoutMs", "NaN"],
    [{ ...base, timeoutMs: "soon" }, "timeoutMs", '"soon"'],
    [{ ...base, strategy: "sliding" }, "strategy", '"sliding"'],
    [{ ...base, maxWaitMs: 100 }, "maxWaitMs", "100"],
    [{ ...base, maxAttempts: 0 }, "maxAttempts", "0"],
    [{ ...base, onWindow: "nope" }, "onWindow", '"nope"'],
    [{ ...base, store: {} }, "store", "object"],
    [{ ...base, maxcount: 5 }, "maxcount", "5"],
  ])("ConfigError for %j names %s and its value", (options, option, shown) => {
    const attempt = () => new DistributedTimeWindow(options as never);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`Invalid ${option}: ${shown}`);
  });

  it("parses human durations", () => {
    for (const timeoutMs of ["250ms", "10 s", "1.5 m", "2 h", 500]) {
      expect(
        () => new DistributedTimeWindow({ ...base, timeoutMs: timeoutMs as never }),
      ).not.toThrow();
    }
  });

  it.each([
    [
      "a cycle",
      () => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      },
    ],
    ["a BigInt", () => ({ n: 10n })],
    ["a function", () => () => 1],
    ["a nested function", () => ({ f: () => 1 })],
    ["NaN", () => ({ n: Number.NaN })],
    ["undefined", () => undefined],
  ])("rejects %s with a SerializationError and accepts nothing of the call", async (_, make) => {
    const { tw } = testNode<unknown>();
    const error = await tw.pushMany([1, make(), 3]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerializationError);
    expect((error as SerializationError).index).toBe(1);
    expect((error as Error).message).toMatch(/^elements\[1\]: /);
    expect(await tw.stats()).toMatchObject({ pendingElements: 0, open: 0 });
  });

  it("rejects a bad key with a ConfigError", async () => {
    const { tw } = testNode();
    await expect(tw.push(1, { key: 5 as never })).rejects.toThrow("Invalid key: 5");
  });

  it("wraps a store failure in a StoreError that keeps the cause, and accepts nothing", async () => {
    const clock = new FakeClock();
    const memory = new MemoryStore({ clock: clock.now });
    const cause = new Error("ECONNREFUSED");
    const failing = Object.assign(Object.create(memory), {
      kind: "flaky",
      append: () => Promise.reject(cause),
    });
    const { tw } = testNode<number>({}, { store: failing, clock });
    const error = await tw.push(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBe(cause);
    expect((error as Error).message).toContain('flaky store failed to append on stream "test"');
    expect(await memory.stats({ name: "test" } as never)).toMatchObject({ pendingElements: 0 });
  });
});

/** Timers the test fires by hand. */
function fakeTimers() {
  const scheduled = new Map<number, { callback: () => void; delay: number }>();
  let next = 0;
  const timers: Timers & {
    pending(): number;
    delays(): number[];
    fire(): Promise<void>;
    clearAll(): void;
  } = {
    set(callback, delay) {
      scheduled.set(++next, { callback, delay });
      return next;
    },
    clear(handle) {
      scheduled.delete(handle as number);
    },
    pending: () => scheduled.size,
    clearAll: () => scheduled.clear(),
    delays: () => [...scheduled.values()].map((t) => t.delay),
    async fire() {
      const due = [...scheduled.entries()];
      scheduled.clear();
      for (const [, t] of due) t.callback();
      // Let the tick started by the timer run to completion.
      for (let i = 0; i < 50; i++) await Promise.resolve();
    },
  };
  return timers;
}

describe("lease renewal", () => {
  it("keeps a slow handler's window from being redelivered elsewhere", async () => {
    const timers = fakeTimers();
    const clock = new FakeClock();
    const store = new MemoryStore({ clock: clock.now });
    let release!: () => void;
    const slow = testNode<number>(
      {
        maxCount: 1,
        leaseMs: 3000,
        timers,
        onWindow: () =>
          new Promise<void>((resolve) => {
            release = resolve;
          }),
      },
      { store, clock },
    );
    const other = testNode<number>({ maxCount: 1, leaseMs: 3000 }, { store, clock });
    await slow.tw.push(1);
    expect(timers.delays()).toEqual([1000]);
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      await timers.fire();
      expect(await other.tw.tick()).toMatchObject({ delivered: 0 });
    }
    expect(await store.stats(specOf("test"))).toMatchObject({ inFlight: 1 });
    release();
    await slow.tw.idle();
    expect(timers.pending()).toBe(0);
    expect(await store.stats(specOf("test"))).toMatchObject({ inFlight: 0, ready: 0 });
    expect(other.received).toEqual([]);
  });

  it("stops renewing when the node dies, so another node delivers after the lease", async () => {
    const timers = fakeTimers();
    const clock = new FakeClock();
    const store = new MemoryStore({ clock: clock.now });
    const dying = testNode<number>(
      { maxCount: 1, leaseMs: 3000, timers, onWindow: () => new Promise<void>(() => {}) },
      { store, clock },
    );
    const other = testNode<number>({ maxCount: 1, leaseMs: 3000 }, { store, clock });
    await dying.tw.push(1);
    timers.clearAll(); // the process is gone: its timers never fire again
    clock.advance(3000);
    expect(await other.tw.tick()).toMatchObject({ delivered: 1 });
    expect(other.received.map((w) => w.attempt)).toEqual([2]);
  });
});

function specOf(name: string) {
  return {
    name,
    strategy: "tumbling" as const,
    maxCount: 1,
    timeoutMs: 1000,
    maxWaitMs: Number.POSITIVE_INFINITY,
  };
}
