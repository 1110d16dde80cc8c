import { ScriptAccumulator, ScriptSortedSet } from "@dtw/core";
import type { UpstashRedis } from "./channel.js";
import { upstashClient } from "./client.js";

/**
 * The seed's `IAccumulator` on an Upstash list (key = `identity`): core's `ScriptAccumulator`
 * on an `@upstash/redis` client. Every call is one request, atomic in Redis (`add` an `RPUSH`,
 * `drain` an `LPOP key count`, `flush` a read and delete together); elements come back
 * byte-exact.
 *
 * @example
 * const resolver = (bucket: string) => new UpstashAccumulator(redis, `app:acc:${bucket}`);
 */
export class UpstashAccumulator extends ScriptAccumulator {
  constructor(redis: UpstashRedis, identity: string) {
    super(upstashClient(redis), identity);
  }
}

/**
 * The seed's `IDistributedSortedSet` on an Upstash sorted set (key = `identity`): core's
 * `ScriptSortedSet` on an `@upstash/redis` client. `drain` reads and removes in one script,
 * so concurrent drains never hand a member to two callers.
 *
 * @example
 * const buckets = new UpstashSortedSet(redis, "app:buckets");
 */
export class UpstashSortedSet extends ScriptSortedSet {
  constructor(redis: UpstashRedis, identity: string) {
    super(upstashClient(redis), identity);
  }
}
