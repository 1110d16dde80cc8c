import { describe, expect, it } from "vitest";
import { DistributedTimeWindow } from "../src/engine.js";
import { ConfigError } from "../src/errors.js";
import {
  MemoryAccumulator,
  MemorySortedSet,
  memoryAccumulatorResolver,
} from "../src/seed/memory-primitives.js";
import { FakeClock } from "./conformance/fake-clock.js";

/** The seed's constructor on the ready-made memory primitives, driven by a fake clock. */
function seedExample(countWindowSize: number, timeoutInSeconds: number, clock = new FakeClock()) {
  const batches: string[][][] = [];
  const debouncer = new DistributedTimeWindow<string>(
    countWindowSize,
    timeoutInSeconds,
    new MemorySortedSet<string>(),
    memoryAccumulatorResolver<string>(),
    (payloads: string[][]) => {
      batches.push(payloads);
    },
    { clock: clock.now, autoTick: false },
  );
  return { debouncer, batches };
}

describe("the seed's positional API", () => {
  it("calls back during push when a window fills up", async () => {
    const { debouncer, batches } = seedExample(2, 10);
    await debouncer.push("a");
    expect(batches).toEqual([]);
    await debouncer.push("b");
    expect(batches).toEqual([[["a", "b"]]]);
    await debouncer.close();
  });

  it("calls back with every time-closed window of a tick at once", async () => {
    const clock = new FakeClock();
    clock.alignTo(10_000, 100);
    const { debouncer, batches } = seedExample(Number.MAX_SAFE_INTEGER, 10, clock);
    await debouncer.push("Trigger Me");
    await debouncer.push("again", { key: "other" });
    clock.advance(9_899);
    await debouncer.tick();
    expect(batches).toEqual([]);
    clock.advance(1);
    await debouncer.tick();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.sort()).toEqual([["Trigger Me"], ["again"]]);
    await debouncer.close();
  });

  it("runs the seed README example unchanged: a timer closes the window", async () => {
    const payloads: string[][][] = [];
    const accumulatorList = new Map<string, MemoryAccumulator<string>>();
    const accumulatorResolver = (identity: string) => {
      let existingAcc = accumulatorList.get(identity);
      if (existingAcc === undefined) {
        existingAcc = new MemoryAccumulator<string>();
        accumulatorList.set(identity, existingAcc);
      }
      return existingAcc;
    };
    let delivered!: () => void;
    const done = new Promise<void>((resolve) => {
      delivered = resolve;
    });
    const debouncer = new DistributedTimeWindow<string>(
      Number.MAX_SAFE_INTEGER,
      0.05,
      new MemorySortedSet<string>(),
      accumulatorResolver,
      (windows: string[][]) => {
        payloads.push(windows);
        delivered();
      },
    );
    await debouncer.push("Trigger Me");
    await done;
    expect(payloads).toEqual([[["Trigger Me"]]]);
    await debouncer.close();
  });

  it("flush returns the open windows as T[][]", async () => {
    const { debouncer, batches } = seedExample(100, 10);
    await debouncer.push("x");
    await debouncer.push("y");
    expect(await debouncer.flush()).toEqual([["x", "y"]]);
    expect(batches).toEqual([]);
    await debouncer.close();
  });

  it("accepts timeouts under 6 s (the seed refused them)", () => {
    expect(() => seedExample(10, 0.5).debouncer.close()).not.toThrow();
  });

  it("names the bad positional argument", () => {
    const set = new MemorySortedSet<string>();
    const resolver = () => new MemoryAccumulator<string>();
    expect(() => new DistributedTimeWindow<string>(0, 1, set, resolver, () => {})).toThrow(
      "Invalid countWindowSize: 0",
    );
    expect(() => new DistributedTimeWindow<string>(10, -1, set, resolver, () => {})).toThrow(
      "Invalid timeoutInSeconds: -1",
    );
    expect(() => new DistributedTimeWindow<string>(10, 1, {} as never, resolver, () => {})).toThrow(
      ConfigError,
    );
    expect(
      () => new DistributedTimeWindow<string>(10, 1, set, resolver, undefined as never),
    ).toThrow("Invalid callback: undefined");
  });
});
