import { ConfigError, type IAccumulator, type IDistributedSortedSet } from "@dtw/core";
import {
  type CommandSender,
  type NodeRedisClient,
  type NodeRedisCluster,
  senderFor,
} from "./client.js";
import { DRAIN_ZSET_BELOW, FLUSH_LIST, FLUSH_ZSET } from "./seed-scripts.js";

/**
 * The seed's {@link IAccumulator} on a Redis list (key = `identity`): `add` is one `RPUSH`,
 * `drain` one `LPOP key count`, `flush` one script (read and delete together). Every call is a
 * single command, atomic in Redis. Works on a client or a cluster (the key picks the node).
 *
 * @example
 * const resolver = (bucket: string) => new RedisAccumulator(client, `app:acc:${bucket}`);
 */
export class RedisAccumulator implements IAccumulator<string> {
  readonly #send: CommandSender;
  readonly #key: string;

  constructor(client: NodeRedisClient | NodeRedisCluster, identity: string) {
    this.#key = checkIdentity(identity);
    this.#send = senderFor(client);
  }

  /** Appends in order; resolves with the list's length after the append. */
  async add(value: string | string[]): Promise<number> {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) return Number(await this.#send(this.#key, ["LLEN", this.#key]));
    return Number(await this.#send(this.#key, ["RPUSH", this.#key, ...values.map(checkItem)]));
  }

  /** Removes and returns up to `count` elements from the head. */
  async drain(count: number): Promise<string[]> {
    if (!Number.isInteger(count) || count < 0) {
      throw new ConfigError("count", count, "an integer >= 0");
    }
    if (count === 0) return [];
    return strings(await this.#send(this.#key, ["LPOP", this.#key, String(count)]));
  }

  /** Removes and returns every element, oldest first. */
  async flush(): Promise<string[]> {
    return strings(await this.#send(this.#key, ["EVAL", FLUSH_LIST, "1", this.#key]));
  }
}

/**
 * The seed's {@link IDistributedSortedSet} on a Redis sorted set (key = `identity`). `drain`
 * reads and removes in one script, so concurrent drains never hand a member to two callers.
 *
 * @example
 * const buckets = new RedisSortedSet(client, "app:buckets");
 */
export class RedisSortedSet implements IDistributedSortedSet<string> {
  readonly #send: CommandSender;
  readonly #key: string;

  constructor(client: NodeRedisClient | NodeRedisCluster, identity: string) {
    this.#key = checkIdentity(identity);
    this.#send = senderFor(client);
  }

  /** `ZADD`: resolves `true` if `key` was not there (an existing member gets the new score). */
  async add(key: string, sortId: number): Promise<boolean> {
    const added = await this.#send(this.#key, ["ZADD", this.#key, score(sortId), checkItem(key)]);
    return Number(added) === 1;
  }

  /** Removes and returns the members scored below `sortId`, lowest first. */
  async drain(sortId: number, operator: "lt"): Promise<string[]> {
    if (operator !== "lt") throw new ConfigError("operator", operator, '"lt"');
    const args = ["EVAL", DRAIN_ZSET_BELOW, "1", this.#key, score(sortId)];
    return strings(await this.#send(this.#key, args));
  }

  /** Removes and returns every member, lowest score first. */
  async flush(): Promise<string[]> {
    return strings(await this.#send(this.#key, ["EVAL", FLUSH_ZSET, "1", this.#key]));
  }
}

function checkIdentity(identity: unknown): string {
  if (typeof identity !== "string" || identity.length === 0) {
    throw new ConfigError("identity", identity, "a non-empty string (the Redis key)");
  }
  return identity;
}

function checkItem(item: unknown): string {
  if (typeof item !== "string") throw new ConfigError("value", item, "a string");
  return item;
}

/** Redis's spelling of a score; infinities as `+inf`/`-inf`. */
function score(sortId: number): string {
  if (typeof sortId !== "number" || Number.isNaN(sortId)) {
    throw new ConfigError("sortId", sortId, "a number");
  }
  if (sortId === Number.POSITIVE_INFINITY) return "+inf";
  if (sortId === Number.NEGATIVE_INFINITY) return "-inf";
  return String(sortId);
}

/** `LPOP` answers nil for a missing list; everything else is an array of strings. */
function strings(reply: unknown): string[] {
  return reply === null ? [] : (reply as string[]);
}
