import { ConfigError, RedisStore, type RedisStoreOptions } from "@dtw/core";
import type { UpstashRedis } from "./channel.js";
import { type UpstashClientOptions, upstashClient } from "./client.js";

/** Options of {@link upstashStore}: those of `RedisStore`, plus `commandTimeoutMs`. */
export interface UpstashStoreOptions extends RedisStoreOptions, UpstashClientOptions {}

const KNOWN_OPTIONS = new Set(["prefix", "clock", "commandTimeoutMs"]);

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
    if (!KNOWN_OPTIONS.has(option)) {
      throw new ConfigError(option, (options as Record<string, unknown>)[option], "no such option");
    }
  }
  const { commandTimeoutMs, ...storeOptions } = options;
  return new RedisStore(upstashClient(redis, { commandTimeoutMs }), storeOptions);
}
