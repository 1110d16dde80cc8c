import { ConfigError, RedisStore, type RedisStoreOptions } from "@dtw/core";
import {
  type NodeRedisClient,
  type NodeRedisCluster,
  scriptClientOn,
  senderFor,
} from "./client.js";
import { type ConnectionOptions, OwnedConnection } from "./connection.js";

/** Options of {@link redisStore}: the store's, plus how a client created from a URL behaves. */
export interface RedisStoreNodeOptions extends RedisStoreOptions, ConnectionOptions {}

/**
 * A `RedisStore` on node-redis. `close()` quits the client only if this store created it.
 */
export class NodeRedisStore extends RedisStore {
  readonly #owned: OwnedConnection | undefined;

  /** @internal use {@link redisStore} */
  constructor(
    client: ConstructorParameters<typeof RedisStore>[0],
    options: RedisStoreOptions,
    owned?: OwnedConnection,
  ) {
    super(client, options);
    this.#owned = owned;
  }

  /** Quits the client this store created from a URL; a client you passed in stays open. */
  async close(): Promise<void> {
    await this.#owned?.close();
  }
}

/**
 * A `RedisStore` over TCP, on a `redis://` / `rediss://` URL or on your node-redis client or
 * cluster.
 *
 * - URL: the store creates and owns a client, connects on first use, and quits it on
 *   `store.close()`. While Redis is unreachable, calls fail at once with a `StoreError` (the
 *   command was not sent, so nothing was written) instead of queueing until Redis returns;
 *   the client reconnects in the background. See {@link ConnectionOptions}.
 * - Client or cluster: used as is (connect it first; its offline-queue and timeout settings
 *   apply); `store.close()` leaves it open.
 *
 * @example
 * const store = redisStore(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
 * const tw = new DistributedTimeWindow({ name: "orders", store, maxCount: 100, timeoutMs: "5 s",
 *   onWindow: (w) => db.insertMany(w.elements) });
 * // ... on shutdown: await tw.shutdown(); await store.close();
 */
export function redisStore(
  urlOrClient: string | NodeRedisClient | NodeRedisCluster,
  options: RedisStoreNodeOptions = {},
): NodeRedisStore {
  for (const option of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(option)) {
      throw new ConfigError(option, (options as Record<string, unknown>)[option], "no such option");
    }
  }
  const { connectTimeoutMs, commandTimeoutMs, ...storeOptions } = options;
  checkTimeout("connectTimeoutMs", connectTimeoutMs);
  checkTimeout("commandTimeoutMs", commandTimeoutMs);
  if (typeof urlOrClient === "string") {
    if (!/^rediss?:\/\//.test(urlOrClient)) {
      // The URL may hold a password: name the problem, not the value.
      throw new ConfigError("url", "(hidden)", "a redis:// or rediss:// URL");
    }
    const owned = new OwnedConnection(urlOrClient, { connectTimeoutMs, commandTimeoutMs });
    return new NodeRedisStore(scriptClientOn(owned.send), storeOptions, owned);
  }
  if (connectTimeoutMs !== undefined) {
    throw new ConfigError(
      "connectTimeoutMs",
      connectTimeoutMs,
      "nothing when you pass your own client (configure its socket instead)",
    );
  }
  if (typeof (urlOrClient as { sendCommand?: unknown } | null)?.sendCommand !== "function") {
    throw new ConfigError("urlOrClient", urlOrClient, "a redis:// URL or a node-redis client");
  }
  return new NodeRedisStore(scriptClientOn(senderFor(urlOrClient, commandTimeoutMs)), storeOptions);
}

const KNOWN_OPTIONS = new Set(["prefix", "clock", "connectTimeoutMs", "commandTimeoutMs"]);

function checkTimeout(option: string, value: unknown): void {
  if (value !== undefined && !(typeof value === "number" && value > 0 && Number.isFinite(value))) {
    throw new ConfigError(option, value, "a number of milliseconds > 0");
  }
}
