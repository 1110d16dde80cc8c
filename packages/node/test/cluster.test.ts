// RedisStore and the seed primitives on a real 3-master Redis Cluster (private, started here).
import { PrimitiveStore } from "@dtw/core";
import { createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canStartRedisServer,
  type PrivateCluster,
  startCluster,
} from "../../../test/support/redis-server.js";
import { describeStoreConformance } from "../../core/test/conformance/store-suite.js";
import { RedisAccumulator, RedisSortedSet } from "../src/primitives.js";
import { redisStore } from "../src/store.js";

describe.runIf(canStartRedisServer())("on a private Redis Cluster", () => {
  let cluster: PrivateCluster;
  let client: ReturnType<typeof createCluster>;
  let n = 0;
  const prefix = () => `dtw-cluster-test:${++n}:`;

  beforeAll(async () => {
    cluster = await startCluster();
    client = createCluster({ rootNodes: [{ url: cluster.rootUrl }] });
    client.on("error", () => {});
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
  });

  describeStoreConformance("RedisStore on a node-redis cluster", async (clock) => ({
    store: redisStore(client, { prefix: prefix(), clock }),
  }));

  describeStoreConformance(
    "PrimitiveStore on RedisAccumulator + RedisSortedSet on a cluster",
    async (clock) => {
      const p = prefix();
      return {
        store: new PrimitiveStore(
          new RedisSortedSet(client, `${p}buckets`),
          (identity) => new RedisAccumulator(client, `${p}acc:${identity}`),
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

  it("spreads streams over the masters (one slot per stream)", async () => {
    const store = redisStore(client, { prefix: "spread:" });
    const specs = Array.from({ length: 12 }, (_, i) => ({
      name: `stream-${i}`,
      strategy: "tumbling" as const,
      maxCount: Number.POSITIVE_INFINITY,
      timeoutMs: 60_000,
      maxWaitMs: Number.POSITIVE_INFINITY,
    }));
    for (const spec of specs) await store.append(spec, [{ key: "", items: ['"x"'] }], 0);
    const perMaster = await Promise.all(
      client.masters.map(async (master) => {
        const node = await client.nodeClient(master);
        return (await node.keys("spread:*")).length;
      }),
    );
    expect(perMaster.filter((count) => count > 0).length).toBeGreaterThan(1);
    for (const spec of specs) await store.drop?.(spec);
  });
});
