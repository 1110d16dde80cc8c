import { ConfigError } from "../errors.js";
import type {
  AppendGroup,
  AppendResult,
  FailOutcome,
  Lease,
  StoredWindow,
  StoreStats,
  StreamSpec,
  Wakeup,
  WindowStore,
} from "../store.js";
import type { RedisScriptClient } from "./client.js";
import { int, list, text, windows } from "./reply.js";
import { checkScriptClient, runScript } from "./run-script.js";
import { type RedisScript, SCRIPTS } from "./scripts/index.js";

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * Prepended to every key, to keep tenants, environments or test runs apart on one Redis.
   * Must not contain `{` or `}`: the stream name inside braces is each key's Cluster hash tag.
   * @default "dtw:"
   * @example new RedisStore(client, { prefix: "staging:dtw:" })
   */
  prefix?: string;
  /**
   * **Tests only.** Epoch ms passed to every script instead of Redis `TIME`, for deterministic
   * tests. Leave it unset in production: Redis `TIME` is the one clock all nodes agree on, while
   * node clocks drift apart.
   * @default undefined (Redis `TIME`)
   * @example new RedisStore(client, { clock: () => fakeNow })
   */
  clock?: () => number;
}

/**
 * A {@link WindowStore} on Redis (standalone, Cluster, or Upstash over REST): every method is
 * ONE Lua script call (`EVALSHA`, `EVAL` after `NOSCRIPT`), atomic, timed by Redis `TIME`.
 *
 * Keys of a stream all start with `<prefix>{<name>}`, so one stream lives in one Cluster slot
 * and different streams spread over the cluster.
 *
 * @example
 * const store = new RedisStore({
 *   evalsha: (sha, keys, args) => ioredis.evalsha(sha, keys.length, ...keys, ...args),
 *   eval: (script, keys, args) => ioredis.eval(script, keys.length, ...keys, ...args),
 * });
 */
export class RedisStore implements WindowStore {
  readonly kind = "redis";
  readonly #client: RedisScriptClient;
  readonly #prefix: string;
  readonly #clock: (() => number) | undefined;

  constructor(client: RedisScriptClient, options: RedisStoreOptions = {}) {
    this.#client = checkScriptClient(client);
    const { prefix = "dtw:", clock } = options;
    if (typeof prefix !== "string" || /[{}]/.test(prefix)) {
      throw new ConfigError("prefix", prefix, "a string without { or }");
    }
    if (clock !== undefined && typeof clock !== "function") {
      throw new ConfigError("clock", clock, "a function returning epoch ms");
    }
    this.#prefix = prefix;
    this.#clock = clock;
  }

  append(spec: StreamSpec, groups: readonly AppendGroup[], leaseMs: number): Promise<AppendResult> {
    const args = [
      String(leaseMs),
      spec.strategy,
      unbounded(spec.maxCount),
      String(spec.timeoutMs),
      unbounded(spec.maxWaitMs),
      String(groups.length),
      requestId(),
    ];
    for (const { key, items } of groups) {
      args.push(key, String(items.length));
      for (const item of items) args.push(item);
    }
    return this.#run(SCRIPTS.append, spec, args, (reply) => {
      const r = list(reply);
      return { now: int(r[0]), deadline: r[1] == null ? null : int(r[1]), closed: windows(r, 2) };
    });
  }

  closeDue(spec: StreamSpec, limit: number, all = false): Promise<number> {
    return this.#run(SCRIPTS.closeDue, spec, [count(limit), all ? "1" : "0"], int);
  }

  claim(spec: StreamSpec, max: number, leaseMs: number): Promise<StoredWindow[]> {
    return this.#run(SCRIPTS.claim, spec, [count(max), String(leaseMs)], (r) => windows(list(r)));
  }

  async extend(spec: StreamSpec, leases: readonly Lease[], leaseMs: number): Promise<number> {
    if (leases.length === 0) return 0;
    const args = [String(leaseMs)];
    for (const { id, attempt } of leases) args.push(id, String(attempt));
    return this.#run(SCRIPTS.extend, spec, args, int);
  }

  async ack(spec: StreamSpec, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.#run(SCRIPTS.ack, spec, [...ids], int);
  }

  fail(
    spec: StreamSpec,
    id: string,
    attempt: number,
    backoffMs: number,
    maxAttempts: number,
  ): Promise<FailOutcome> {
    const args = [id, String(attempt), String(backoffMs), String(maxAttempts)];
    return this.#run(SCRIPTS.fail, spec, args, (reply) => {
      const outcome = text(reply, "fail outcome");
      if (outcome !== "retry" && outcome !== "dead" && outcome !== "stale") {
        throw new TypeError(`unknown fail outcome ${outcome}`);
      }
      return outcome;
    });
  }

  flush(spec: StreamSpec): Promise<StoredWindow[]> {
    return this.#run(SCRIPTS.flush, spec, [requestId()], (r) => windows(list(r)));
  }

  stats(spec: StreamSpec): Promise<StoreStats> {
    return this.#run(SCRIPTS.stats, spec, [], (reply) => {
      const r = list(reply);
      const [open, pendingElements, ready, inFlight, dead] = [0, 1, 2, 3, 4].map((i) => int(r[i]));
      return { open, pendingElements, ready, inFlight, dead } as StoreStats;
    });
  }

  nextWakeup(spec: StreamSpec): Promise<Wakeup> {
    return this.#run(SCRIPTS.nextWakeup, spec, [], (reply) => {
      const r = list(reply);
      return { now: int(r[0]), at: r[1] == null ? null : int(r[1]) };
    });
  }

  deadLetters(spec: StreamSpec, limit: number): Promise<StoredWindow[]> {
    return this.#run(SCRIPTS.deadLetters, spec, [count(limit)], (r) => windows(list(r)));
  }

  async replay(spec: StreamSpec, ids?: readonly string[]): Promise<number> {
    if (ids?.length === 0) return 0;
    return this.#run(SCRIPTS.replay, spec, ids ? ["0", ...ids] : ["1"], int);
  }

  async drop(spec: StreamSpec): Promise<void> {
    await this.#run(SCRIPTS.drop, spec, [], int);
  }

  /** Runs `script` on the stream's keys; any failure becomes a `StoreError` naming the call. */
  async #run<R>(
    script: RedisScript,
    spec: StreamSpec,
    args: string[],
    decode: (reply: unknown) => R,
  ): Promise<R> {
    const keys = [`${this.#prefix}{${spec.name}}`];
    const argv = [this.#clock ? String(this.#clock()) : ""].concat(args);
    const what = `RedisStore ${script.name} on stream "${spec.name}"`;
    return runScript(this.#client, script, keys, argv, decode, what);
  }
}

/** Unique per call, so that a client's retry of the same call is recognised (see `remember`). */
function requestId(): string {
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

/** `Infinity` (no bound) travels as "0". */
function unbounded(n: number): string {
  return Number.isFinite(n) ? String(n) : "0";
}

/** A count for `LIMIT`/`ZRANGE`: whole, and small enough to print as an integer in Lua. */
function count(n: number): string {
  return String(Math.max(0, Math.min(Math.floor(n), 1e9)));
}
