// The seed README's example, unchanged in shape, on RedisSortedSet + RedisAccumulator.
import { DistributedTimeWindow, type IAccumulator } from "@dtw/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RedisAccumulator, RedisSortedSet } from "../src/primitives.js";
import { acquireRedis, type TestRedis } from "./support/redis.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await acquireRedis();
});
afterAll(async () => {
  await redis.cleanup();
});

/** The README's wiring: one sorted set, one accumulator per bucket identity, cached. */
function seedWiring(myIdentity: string) {
  const dSortedSet = new RedisSortedSet(redis.client, `${myIdentity}-sorted-set`);
  const accumulatorList = new Map<string, RedisAccumulator>();
  const accumulatorResolver = (identity: string): IAccumulator<string> => {
    let existingAcc = accumulatorList.get(identity);
    if (existingAcc === undefined) {
      existingAcc = new RedisAccumulator(redis.client, `${myIdentity}-accumulator${identity}`);
      accumulatorList.set(identity, existingAcc);
    }
    return existingAcc;
  };
  return { dSortedSet, accumulatorResolver };
}

it("time windows: the callback receives the accumulated payloads after the timeout", async () => {
  const { dSortedSet, accumulatorResolver } = seedWiring(redis.prefix());
  const countWindowSize = Number.MAX_SAFE_INTEGER; // no count-based tick
  const timeoutInSeconds = 0.2;
  // Tumbling periods follow the wall clock: the two pushes may land in one period or straddle
  // a boundary, so wait until both elements came back, however many callbacks that took.
  const received: string[] = [];
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const debouncer = new DistributedTimeWindow<string>(
    countWindowSize,
    timeoutInSeconds,
    dSortedSet,
    accumulatorResolver,
    (payloads: string[][]) => {
      received.push(...payloads.flat());
      if (received.length >= 2) resolveAll();
    },
  );
  await debouncer.push("Trigger Me");
  await debouncer.push("Trigger Me too");
  await all; // the timer fires after each bucket's deadline
  expect(received).toEqual(["Trigger Me", "Trigger Me too"]);
  await debouncer.close();
});

it("count windows: the callback runs during the push that fills a window", async () => {
  const { dSortedSet, accumulatorResolver } = seedWiring(redis.prefix());
  const calls: string[][][] = [];
  const debouncer = new DistributedTimeWindow<string>(
    3,
    3600, // an hour: the pushes below cannot straddle a period boundary in practice
    dSortedSet,
    accumulatorResolver,
    (p) => {
      calls.push(p);
    },
  );
  await debouncer.pushMany(["a", "b"]);
  expect(calls).toEqual([]);
  await debouncer.push("c");
  expect(calls).toEqual([[["a", "b", "c"]]]);
  await debouncer.push("d");
  expect(await debouncer.flush()).toEqual([["d"]]);
  await debouncer.close();
});
