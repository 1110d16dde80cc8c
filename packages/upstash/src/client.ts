import { ConfigError, type RedisScriptClient } from "@dtw/core";
import { channelFor, type UpstashRedis } from "./channel.js";

/** Options of {@link upstashClient}. */
export interface UpstashClientOptions {
  /**
   * Longest wait for a reply; then the call rejects with an `UpstashTimeoutError` (the command
   * may still run: outcome unknown). Keep it above the client's retry schedule.
   * @default 10000
   * @example upstashClient(redis, { commandTimeoutMs: 3000 })
   */
  commandTimeoutMs?: number;
}

/**
 * Adapts an `@upstash/redis` client to the {@link RedisScriptClient} a `RedisStore` runs on.
 *
 * Replies come back byte-exact whatever the client's settings (`automaticDeserialization`,
 * `responseEncoding`, auto-pipelining): the adapter sends `EVALSHA`/`EVAL` through the client's
 * HTTP layer (its `Requester`), which does not parse replies: the client's own commands would
 * turn an element `"42"` into `42` and `"\"x\""` into `"x"`. Calls issued in the same tick share
 * one `/pipeline` request unless the client has `enableAutoPipelining: false`.
 * @throws {ConfigError} `redis` is not an `@upstash/redis` instance, or a bad `commandTimeoutMs`
 *
 * @example
 * const client = upstashClient(new Redis({ url, token }));
 * const store = new RedisStore(client, { prefix: "app:" });
 */
export function upstashClient(
  redis: UpstashRedis,
  options: UpstashClientOptions = {},
): RedisScriptClient {
  const { commandTimeoutMs } = options;
  if (
    commandTimeoutMs !== undefined &&
    !(typeof commandTimeoutMs === "number" && commandTimeoutMs > 0 && commandTimeoutMs < 2 ** 31)
  ) {
    throw new ConfigError("commandTimeoutMs", commandTimeoutMs, "a number of milliseconds > 0");
  }
  const channel = channelFor(redis);
  return {
    evalsha: (sha, keys, args) =>
      channel.send(["EVALSHA", sha, String(keys.length), ...keys, ...args], commandTimeoutMs),
    eval: (script, keys, args) =>
      channel.send(["EVAL", script, String(keys.length), ...keys, ...args], commandTimeoutMs),
  };
}
