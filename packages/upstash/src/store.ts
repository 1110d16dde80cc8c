import { ConfigError, RedisStore, type RedisStoreOptions } from "@dtw/core";
import type { UpstashRedis } from "./channel.js";
import { upstashClient } from "./client.js";

/** Options of {@link upstashStore}: those of `RedisStore`. */
export type UpstashStoreOptions = RedisStoreOptions;

/**
 * A `RedisStore` on Upstash Redis over REST: one HTTP request per store call (calls issued in the
 * same tick share one `/pipeline` request), elements byte-exact whatever the client's settings.
 * Runs wherever `fetch` does: Workers, browsers, Deno, Bun, Node.
 *
 * @example
 * import { Redis } from "@upstash/redis";
 * const store = upstashStore(Redis.fromEnv(), { prefix: "app:" });
 * const tw = new DistributedTimeWindow({ name: "orders", store, maxCount: 100, timeoutMs: "5 s",
 *   onWindow: (w) => sink(w.elements) });
 */
export function upstashStore(redis: UpstashRedis, options: UpstashStoreOptions = {}): RedisStore {
  for (const option of Object.keys(options)) {
    if (option !== "prefix" && option !== "clock") {
      throw new ConfigError(option, (options as Record<string, unknown>)[option], "no such option");
    }
  }
  return new RedisStore(upstashClient(redis), options);
}
