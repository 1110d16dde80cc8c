/**
 * The narrow client a {@link RedisStore} needs: run a script by SHA, run it by source, and load
 * it. Adapt any Redis client in a few lines (node-redis and @upstash/redis adapters ship in
 * `@dtw/node` and `@dtw/upstash`).
 *
 * Replies must be RESP2-shaped: integers as numbers, bulk strings as strings, nil as `null`,
 * arrays as (nested) arrays.
 *
 * @example
 * // ioredis
 * const client: RedisScriptClient = {
 *   evalsha: (sha, keys, args) => ioredis.evalsha(sha, keys.length, ...keys, ...args),
 *   eval: (script, keys, args) => ioredis.eval(script, keys.length, ...keys, ...args),
 * };
 */
export interface RedisScriptClient {
  /** `EVALSHA sha numkeys ...keys ...args`. Must reject with an error whose message contains `NOSCRIPT` when the script is not cached. */
  evalsha(sha: string, keys: string[], args: string[]): Promise<unknown>;
  /** `EVAL script numkeys ...keys ...args` (fallback after NOSCRIPT). */
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}
