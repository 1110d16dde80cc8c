import type { RedisStore } from "@dtw/core";
import { Redis } from "@upstash/redis";
import { credentials, processEnv, type UpstashEnv } from "./env.js";
import { type UpstashStoreOptions, upstashStore } from "./store.js";

/**
 * {@link upstashStore} on `UPSTASH_REDIS_REST_URL` / `UPSTASH_REDIS_REST_TOKEN`, read from `env`
 * (a Worker's `env`, or any object) or else from `process.env` where the runtime has one.
 * In a Cloudflare Worker prefer `@dtw/upstash/cloudflare`, whose client suits workerd.
 *
 * @throws {ConfigError} naming the variable that is missing or malformed (never its value)
 * @example
 * const store = upstashStoreFromEnv(); // Node: process.env
 */
export function upstashStoreFromEnv(env?: UpstashEnv, options?: UpstashStoreOptions): RedisStore {
  return upstashStore(new Redis(credentials(env ?? processEnv())), options);
}
