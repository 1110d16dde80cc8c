// A client that retries a call whose reply was lost (the Upstash client does, on network errors)
// must not apply it twice: each append and flush carries a request id the scripts remember.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RedisScriptClient } from "../../src/redis/client.js";
import { RedisStore } from "../../src/redis/redis-store.js";
import type { StreamSpec } from "../../src/store.js";
import { FakeClock } from "../conformance/fake-clock.js";
import { acquireRedis, scriptClient, type TestRedis } from "./redis-client.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await acquireRedis();
});
afterAll(() => redis.cleanup());

/** Sends every call twice, as a retry after a lost reply would, and answers with the second reply. */
function retryingClient(inner: RedisScriptClient): RedisScriptClient {
  return {
    async evalsha(sha, keys, args) {
      await inner.evalsha(sha, keys, args);
      return inner.evalsha(sha, keys, args);
    },
    async eval(script, keys, args) {
      await inner.eval(script, keys, args);
      return inner.eval(script, keys, args);
    },
  };
}

const spec = (name: string): StreamSpec => ({
  name,
  strategy: "tumbling",
  maxCount: 3,
  timeoutMs: 60_000,
  maxWaitMs: Number.POSITIVE_INFINITY,
});

it("a retried append is applied once; the windows it closed are delivered after their lease", async () => {
  const prefix = redis.prefix();
  const clock = new FakeClock();
  const plain = new RedisStore(scriptClient(redis.connection), { prefix, clock: clock.now });
  const retrying = new RedisStore(retryingClient(scriptClient(redis.connection)), {
    prefix,
    clock: clock.now,
  });
  const s = spec("retried-append");
  const result = await retrying.append(s, [{ key: "", items: ["a", "b", "c", "d"] }], 5000);
  // The retry's reply: nothing closed by *it*, and the elements were not appended again.
  expect(result.closed).toEqual([]);
  expect(await plain.stats(s)).toMatchObject({ open: 1, pendingElements: 1, dead: 0 });
  // The first call's count-closed window is leased to a caller that never saw it: redelivered.
  expect(await plain.claim(s, 10, 1000)).toEqual([]);
  clock.advance(5000);
  const claimed = await plain.claim(s, 10, 1000);
  expect(claimed.map((w) => [w.items, w.attempt])).toEqual([[["a", "b", "c"], 2]]);
  expect((await plain.flush(s)).map((w) => w.items)).toEqual([["d"]]);
  await plain.drop(s);
});

it("a retried flush returns the same windows instead of an empty reply", async () => {
  const prefix = redis.prefix();
  const plain = new RedisStore(scriptClient(redis.connection), { prefix });
  const retrying = new RedisStore(retryingClient(scriptClient(redis.connection)), { prefix });
  const s = spec("retried-flush");
  await plain.append(
    s,
    [
      { key: "k1", items: ["x", "y"] },
      { key: "k2", items: ["z"] },
    ],
    1000,
  );
  const flushed = await retrying.flush(s);
  expect(flushed.map((w) => [w.key, w.items, w.reason])).toEqual([
    ["k1", ["x", "y"], "flush"],
    ["k2", ["z"], "flush"],
  ]);
  expect(await plain.flush(s)).toEqual([]);
  await plain.drop(s);
  expect(await redis.keys(prefix)).toEqual([]);
});
