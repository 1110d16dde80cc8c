// The shared WindowStore conformance suite, against RedisStore on a real Redis.
import { afterAll, beforeAll } from "vitest";
import { RedisStore } from "../../src/redis/redis-store.js";
import { describeStoreConformance } from "../conformance/store-suite.js";
import { acquireRedis, scriptClient, type TestRedis } from "./redis-client.js";

let redis: TestRedis;

beforeAll(async () => {
  redis = await acquireRedis();
});

afterAll(async () => {
  await redis?.cleanup();
});

describeStoreConformance("RedisStore", async (clock) => ({
  store: new RedisStore(scriptClient(redis.connection), { prefix: redis.prefix(), clock }),
}));
