import { ScriptAccumulator, ScriptSortedSet } from "@dtw/core";
import { type NodeRedisClient, type NodeRedisCluster, nodeRedisClient } from "./client.js";

/**
 * The seed's `IAccumulator` on a Redis list (key = `identity`): core's `ScriptAccumulator`
 * on a node-redis client or cluster (the key picks the node). Every call is one script call,
 * atomic in Redis: `add` an `RPUSH`, `drain` an `LPOP key count`, `flush` a read and delete
 * together.
 *
 * @example
 * const resolver = (bucket: string) => new RedisAccumulator(client, `app:acc:${bucket}`);
 */
export class RedisAccumulator extends ScriptAccumulator {
  constructor(client: NodeRedisClient | NodeRedisCluster, identity: string) {
    super(nodeRedisClient(client), identity);
  }
}

/**
 * The seed's `IDistributedSortedSet` on a Redis sorted set (key = `identity`): core's
 * `ScriptSortedSet` on a node-redis client or cluster. `drain` reads and removes in one
 * script, so concurrent drains never hand a member to two callers.
 *
 * @example
 * const buckets = new RedisSortedSet(client, "app:buckets");
 */
export class RedisSortedSet extends ScriptSortedSet {
  constructor(client: NodeRedisClient | NodeRedisCluster, identity: string) {
    super(nodeRedisClient(client), identity);
  }
}
