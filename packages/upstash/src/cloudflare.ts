/**
 * `@dtw/upstash/cloudflare`: the same API, with the Upstash client built for Cloudflare Workers
 * (`@upstash/redis/cloudflare`, which leaves out fetch options workerd rejects).
 */
import type { RedisStore } from "@dtw/core";
import { Redis } from "@upstash/redis/cloudflare";
import { credentials, type UpstashEnv } from "./env.js";
import { type UpstashStoreOptions, upstashStore } from "./store.js";

export type { UpstashRedis } from "./channel.js";
export { UpstashCommandError, UpstashTimeoutError } from "./channel.js";
export type { UpstashClientOptions } from "./client.js";
export { upstashClient } from "./client.js";
export type { UpstashEnv } from "./env.js";
export { UpstashAccumulator, UpstashSortedSet } from "./primitives.js";
export type { UpstashStoreOptions } from "./store.js";
export { upstashStore } from "./store.js";

/**
 * {@link upstashStore} on the Worker's `env` (`UPSTASH_REDIS_REST_URL`, `UPSTASH_REDIS_REST_TOKEN`,
 * the token as a secret).
 *
 * @throws {ConfigError} naming the variable that is missing or malformed (never its value)
 * @example
 * export default {
 *   async fetch(request, env) {
 *     const store = upstashStoreFromEnv(env);
 *     ...
 *   },
 * };
 */
export function upstashStoreFromEnv(env: UpstashEnv, options?: UpstashStoreOptions): RedisStore {
  return upstashStore(new Redis(credentials(env ?? {})), options);
}
