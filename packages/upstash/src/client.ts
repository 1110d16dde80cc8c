import type { RedisScriptClient } from "@dtw/core";
import { channelFor, type UpstashChannel, type UpstashRedis } from "./channel.js";

/**
 * Adapts an `@upstash/redis` client to the {@link RedisScriptClient} a `RedisStore` runs on.
 *
 * Replies come back byte-exact whatever the client's settings (`automaticDeserialization`,
 * `responseEncoding`, auto-pipelining): the adapter sends `EVALSHA`/`EVAL` through the client's
 * HTTP layer, which does not parse replies (see {@link UpstashChannel}). Calls issued in the same
 * tick share one `/pipeline` request unless the client has `enableAutoPipelining: false`.
 *
 * @example
 * const client = upstashClient(new Redis({ url, token }));
 * const store = new RedisStore(client, { prefix: "app:" });
 */
export function upstashClient(redis: UpstashRedis): RedisScriptClient {
  return scriptClient(channelFor(redis));
}

/** @internal shared with the seed primitives, which use the same channel. */
export function scriptClient(channel: UpstashChannel): RedisScriptClient {
  return {
    evalsha: (sha, keys, args) =>
      channel.send(["EVALSHA", sha, String(keys.length), ...keys, ...args]),
    eval: (script, keys, args) =>
      channel.send(["EVAL", script, String(keys.length), ...keys, ...args]),
  };
}
