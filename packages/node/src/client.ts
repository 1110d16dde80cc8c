import { ConfigError, type RedisScriptClient } from "@dtw/core";
import { toResp2 } from "./resp.js";
import { DEFAULT_COMMAND_TIMEOUT_MS, withReplyTimeout } from "./timeout.js";

/**
 * The part of a node-redis (`redis` package) client this package uses. Any RESP version and
 * type mapping fits (replies are normalised), so `createClient({ RESP: 3 })` works.
 */
export interface NodeRedisClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** The part of a node-redis cluster (`createCluster`) this package uses. */
export interface NodeRedisCluster {
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
  ): Promise<unknown>;
  /** Present on clusters only; tells them apart from clients. */
  readonly masters: readonly unknown[];
}

/** Sends one command whose first key is `firstKey`; replies in RESP2 shape. */
export type CommandSender = (firstKey: string | undefined, args: string[]) => Promise<unknown>;

/** Options of {@link nodeRedisClient}. */
export interface NodeRedisClientOptions {
  /**
   * Longest wait for a reply. On expiry the call rejects with a `RedisReplyTimeoutError`; the
   * command may still run in Redis (outcome unknown).
   * @default 5000
   * @example nodeRedisClient(client, { commandTimeoutMs: 2000 })
   */
  commandTimeoutMs?: number;
}

/** @internal */
export function senderFor(
  client: NodeRedisClient | NodeRedisCluster,
  commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
): CommandSender {
  if (typeof (client as { sendCommand?: unknown } | null)?.sendCommand !== "function") {
    throw new ConfigError("client", client, "a node-redis client or cluster (createClient())");
  }
  if (isCluster(client)) {
    // Routed by the first key: every key of a stream shares one hash tag, so one slot.
    return async (firstKey, args) =>
      toResp2(await withReplyTimeout(client.sendCommand(firstKey, false, args), commandTimeoutMs));
  }
  return async (_firstKey, args) =>
    toResp2(await withReplyTimeout(client.sendCommand(args), commandTimeoutMs));
}

/** @internal */
export function scriptClientOn(send: CommandSender): RedisScriptClient {
  return {
    evalsha: (sha, keys, args) =>
      send(keys[0], ["EVALSHA", sha, String(keys.length), ...keys, ...args]),
    eval: (script, keys, args) =>
      send(keys[0], ["EVAL", script, String(keys.length), ...keys, ...args]),
  };
}

/**
 * Adapts a connected node-redis client or cluster to the {@link RedisScriptClient} that
 * `RedisStore` runs on. The client stays yours: connect it before use and close it yourself.
 *
 * @example
 * const client = await createClient({ url }).connect();
 * const store = new RedisStore(nodeRedisClient(client), { prefix: "app:" });
 */
export function nodeRedisClient(
  client: NodeRedisClient | NodeRedisCluster,
  options: NodeRedisClientOptions = {},
): RedisScriptClient {
  return scriptClientOn(senderFor(client, options.commandTimeoutMs));
}

function isCluster(client: NodeRedisClient | NodeRedisCluster): client is NodeRedisCluster {
  return "masters" in client;
}
