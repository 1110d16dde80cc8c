import { ConfigError, describe } from "../errors.js";
import type { IAccumulator, IDistributedSortedSet } from "../seed/primitives.js";
import type { RedisScriptClient } from "./client.js";
import { int, list, text } from "./reply.js";
import { checkScriptClient, runScript } from "./run-script.js";
import type { RedisScript } from "./scripts/prelude.js";
import { PRIMITIVE_SCRIPTS as S } from "./scripts/primitives.js";

/**
 * The seed's {@link IAccumulator} on a Redis list (key = `identity`), over any
 * {@link RedisScriptClient}: every operation is ONE script call, atomic in Redis (`add` an
 * `RPUSH`, `drain` an `LPOP key count`, `flush` a read and delete together). Elements come back
 * byte-exact. A Redis or client failure rejects with a `StoreError` (original error as `cause`);
 * a bad argument with a `ConfigError` naming it.
 *
 * `@dtw/node` (`RedisAccumulator`) and `@dtw/upstash` (`UpstashAccumulator`) wrap it for their
 * clients.
 *
 * @example
 * const resolver = (bucket: string) => new ScriptAccumulator(client, `app:acc:${bucket}`);
 */
export class ScriptAccumulator implements IAccumulator<string> {
  readonly #run: Runner;

  constructor(client: RedisScriptClient, identity: string) {
    this.#run = runnerOn(client, identity, "accumulator");
  }

  /** Appends in order; resolves with the list's length after the append. */
  async add(value: string | string[]): Promise<number> {
    const values = (Array.isArray(value) ? value : [value]).map(checkItem);
    return this.#run(S.listPush, values, int);
  }

  /** Removes and returns up to `count` elements from the head. */
  async drain(count: number): Promise<string[]> {
    if (!Number.isInteger(count) || count < 0) {
      throw new ConfigError("count", count, "an integer >= 0");
    }
    return count === 0 ? [] : this.#run(S.listPop, [String(count)], strings);
  }

  /** Removes and returns every element, oldest first. */
  async flush(): Promise<string[]> {
    return this.#run(S.listFlush, [], strings);
  }
}

/**
 * The seed's {@link IDistributedSortedSet} on a Redis sorted set (key = `identity`), over any
 * {@link RedisScriptClient}: every operation is ONE script call. `drain` reads and removes
 * together, so concurrent drains never hand a member to two callers. Failures as in
 * {@link ScriptAccumulator}.
 *
 * `@dtw/node` (`RedisSortedSet`) and `@dtw/upstash` (`UpstashSortedSet`) wrap it for their
 * clients.
 *
 * @example
 * const buckets = new ScriptSortedSet(client, "app:buckets");
 */
export class ScriptSortedSet implements IDistributedSortedSet<string> {
  readonly #run: Runner;

  constructor(client: RedisScriptClient, identity: string) {
    this.#run = runnerOn(client, identity, "sorted set");
  }

  /** `ZADD`: resolves `true` if `key` was not there (an existing member gets the new score). */
  async add(key: string, sortId: number): Promise<boolean> {
    return this.#run(S.zsetAdd, [score(sortId), checkItem(key)], (r) => int(r) === 1);
  }

  /** Removes and returns the members scored below `sortId`, lowest first. */
  async drain(sortId: number, operator: "lt"): Promise<string[]> {
    if (operator !== "lt") throw new ConfigError("operator", operator, '"lt"');
    return this.#run(S.zsetDrainBelow, [score(sortId)], strings);
  }

  /** Removes and returns every member, lowest score first. */
  async flush(): Promise<string[]> {
    return this.#run(S.zsetFlush, [], strings);
  }
}

type Runner = <R>(script: RedisScript, args: string[], decode: (reply: unknown) => R) => Promise<R>;

/** Runs scripts on the one key `identity`; failures name the primitive, key and operation. */
function runnerOn(client: RedisScriptClient, identity: string, kind: string): Runner {
  if (typeof identity !== "string" || identity.length === 0) {
    throw new ConfigError("identity", identity, "a non-empty string (the Redis key)");
  }
  checkScriptClient(client);
  const keys = [identity];
  return (script, args, decode) =>
    runScript(
      client,
      script,
      keys,
      args,
      decode,
      `${kind} ${script.name} on ${describe(identity)}`,
    );
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
  return reply === null ? [] : list(reply).map((item) => text(item, "element"));
}
