// The shared WindowStore conformance suite on real Redis, over node-redis.
import { PrimitiveStore } from "@dtw/core";
import { createClient } from "redis";
import { afterAll, beforeAll } from "vitest";
import { describeStoreConformance } from "../../core/test/conformance/store-suite.js";
import { RedisAccumulator, RedisSortedSet } from "../src/primitives.js";
import { redisStore } from "../src/store.js";
import { acquireRedis, type TestRedis } from "./support/redis.js";

let redis: TestRedis;
let resp3: ReturnType<typeof createClient>;
beforeAll(async () => {
  redis = await acquireRedis();
  resp3 = createClient({ url: redis.url });
  resp3.on("error", () => {});
  await resp3.connect();
});
afterAll(async () => {
  await resp3.close();
  await redis.cleanup();
});

describeStoreConformance("RedisStore on a node-redis client (RESP2)", async (clock) => ({
  store: redisStore(redis.client, { prefix: redis.prefix(), clock }),
}));

describeStoreConformance("RedisStore on a node-redis client (RESP3)", async (clock) => ({
  store: redisStore(resp3, { prefix: redis.prefix(), clock }),
}));

describeStoreConformance("RedisStore on a URL (client owned by the store)", async (clock) => {
  const store = redisStore(redis.url, { prefix: redis.prefix(), clock });
  return { store, cleanup: () => store.close() };
});

describeStoreConformance(
  "PrimitiveStore on RedisAccumulator + RedisSortedSet",
  async (clock) => {
    const prefix = redis.prefix();
    return {
      store: new PrimitiveStore(
        new RedisSortedSet(redis.client, `${prefix}buckets`),
        (identity) => new RedisAccumulator(redis.client, `${prefix}acc:${identity}`),
        { clock },
      ),
    };
  },
  {
    strategies: ["tumbling"],
    closesStaleOnAppend: false,
    exactOpenStats: false,
    singleStream: true,
  },
);
