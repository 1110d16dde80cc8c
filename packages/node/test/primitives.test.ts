import { createClient } from "redis";
import { afterAll, beforeAll } from "vitest";
import { RedisAccumulator, RedisSortedSet } from "../src/primitives.js";
import { describePrimitives } from "./support/primitives-suite.js";
import { acquireRedis, type TestRedis } from "./support/redis.js";

let redis: TestRedis;
let second: ReturnType<typeof createClient>;
beforeAll(async () => {
  redis = await acquireRedis();
  second = createClient({ url: redis.url }); // RESP3, on its own connection
  second.on("error", () => {});
  await second.connect();
});
afterAll(async () => {
  await second.close();
  await redis.cleanup();
});

describePrimitives("node-redis", () => {
  const prefix = redis.prefix();
  let n = 0;
  const clients = () => [redis.client, second] as const;
  return {
    key: () => `${prefix}${++n}`,
    accumulator: (key, c) => new RedisAccumulator(clients()[c], key),
    sortedSet: (key, c) => new RedisSortedSet(clients()[c], key),
  };
});
