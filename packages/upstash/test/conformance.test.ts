// The shared WindowStore conformance suite over Upstash REST: the real @upstash/redis client
// (defaults: auto-pipelining, base64 replies) against the local gateway in front of redis-server.
import { PrimitiveStore } from "@dtw/core";
import { afterAll, beforeAll } from "vitest";
import { describeStoreConformance } from "../../core/test/conformance/store-suite.js";
import { UpstashAccumulator, UpstashSortedSet } from "../src/primitives.js";
import { upstashStore } from "../src/store.js";
import { startUpstash, type TestUpstash } from "./support/gateway.js";

let up: TestUpstash;
beforeAll(async () => {
  up = await startUpstash();
});
afterAll(async () => {
  await up.cleanup();
});

describeStoreConformance("RedisStore on Upstash (client defaults)", async (clock) => ({
  store: upstashStore(up.client(), { prefix: up.redis.prefix(), clock }),
}));

describeStoreConformance(
  "RedisStore on Upstash (automaticDeserialization off, no base64)",
  async (clock) => ({
    store: upstashStore(up.client({ automaticDeserialization: false, responseEncoding: false }), {
      prefix: up.redis.prefix(),
      clock,
    }),
  }),
);

describeStoreConformance(
  "PrimitiveStore on UpstashAccumulator + UpstashSortedSet",
  async (clock) => {
    const redis = up.client();
    const prefix = up.redis.prefix();
    return {
      store: new PrimitiveStore(
        new UpstashSortedSet(redis, `${prefix}buckets`),
        (identity) => new UpstashAccumulator(redis, `${prefix}acc:${identity}`),
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
