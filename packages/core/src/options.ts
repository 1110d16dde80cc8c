import { type Duration, toMs } from "./duration.js";
import { ConfigError } from "./errors.js";
import type { Serializer } from "./serializer.js";
import type { Strategy, StreamSpec, WindowStore } from "./store.js";
import type { Timers } from "./timer.js";
import type { Window } from "./window.js";

/** Options of `new DistributedTimeWindow<T>(options)`. */
export interface DistributedTimeWindowOptions<T> {
  /**
   * The stream: every node using the same name (and store) shares its windows.
   * Matches `^[A-Za-z0-9._:-]{1,128}$`.
   * @example "orders"
   */
  name: string;
  /**
   * Where windows live. Share a Redis store between processes for a distributed stream.
   * @default a new MemoryStore (this process only)
   */
  store?: WindowStore;
  /**
   * Close a window when it holds this many elements.
   * @default Infinity (time only)
   */
  maxCount?: number;
  /**
   * The time part of the window, in ms or as a string (`"10 s"`, `"250ms"`, `"1 m"`). Its meaning
   * depends on `strategy`.
   * @example "5 s"
   */
  timeoutMs: Duration;
  /**
   * `tumbling`: epoch-aligned periods of `timeoutMs`. `first`: closes `timeoutMs` after its first
   * element. `last`: closes `timeoutMs` after its last element (debounce), or `maxWaitMs` after
   * its first.
   * @default "tumbling"
   */
  strategy?: Strategy;
  /**
   * `last` only: upper bound on a window's life, so a steady trickle cannot keep it open forever.
   * @default unbounded
   */
  maxWaitMs?: Duration;
  /**
   * Receives each closed window exactly once across all nodes (again only after a failure).
   * Throw or reject to have it retried. Without it, this node only pushes and closes windows;
   * nodes with a handler deliver them.
   */
  onWindow?: (window: Window<T>) => void | Promise<void>;
  /**
   * Run `tick()` by itself, on a timer set to the next deadline (unref'd: it never keeps a
   * process alive). Turn off where something else calls `tick()` (e.g. a cron trigger).
   * @default true
   */
  autoTick?: boolean;
  /**
   * How often an idle node looks for windows that other nodes opened.
   * @default "1 s"
   */
  pollIntervalMs?: Duration;
  /**
   * Deliveries of one window before it is dead-lettered.
   * @default 5
   */
  maxAttempts?: number;
  /**
   * First retry delay; doubled on every further attempt up to `maxRetryDelayMs`.
   * @default "1 s"
   */
  retryDelayMs?: Duration;
  /** @default "60 s" */
  maxRetryDelayMs?: Duration;
  /**
   * How long a node may hold a claimed window before another node may deliver it again.
   * A live node renews it every third of this while its handler runs, so it is also how long a
   * crashed node's windows wait before another node delivers them.
   * @default "30 s"
   */
  leaseMs?: Duration;
  /** Called once when a window is dead-lettered, with the last error. */
  onDeadLetter?: (window: Window<T>, error: unknown) => void | Promise<void>;
  /**
   * Called with errors of background work (autoTick, deliveries after a push) that no caller
   * could catch.
   * @default console.error
   */
  onError?: (error: unknown) => void;
  /**
   * Element encoding.
   * @default strict JSON
   */
  serializer?: Serializer<T>;
  /**
   * Clock of the MemoryStore created when `store` is omitted (tests).
   * @default Date.now
   */
  clock?: () => number;
  /** Timer functions (tests, exotic runtimes). @default setTimeout/clearTimeout, unref'd */
  timers?: Timers;
}

const NAME = /^[A-Za-z0-9._:-]{1,128}$/;
const STRATEGIES: readonly Strategy[] = ["tumbling", "first", "last"];
const KNOWN = new Set([
  "name",
  "store",
  "maxCount",
  "timeoutMs",
  "strategy",
  "maxWaitMs",
  "onWindow",
  "autoTick",
  "pollIntervalMs",
  "maxAttempts",
  "retryDelayMs",
  "maxRetryDelayMs",
  "leaseMs",
  "onDeadLetter",
  "onError",
  "serializer",
  "clock",
  "timers",
]);

/** Options after validation, in milliseconds. */
export interface ResolvedOptions {
  readonly spec: StreamSpec;
  readonly autoTick: boolean;
  readonly pollIntervalMs: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly leaseMs: number;
}

/** Validates options, throwing a {@link ConfigError} that names the first bad one. */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new ConfigError("options", options, "an object");
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key) && o[key] !== undefined) {
      throw new ConfigError(key, o[key], `a known option (${[...KNOWN].join(", ")})`);
    }
  }
  if (typeof o.name !== "string" || !NAME.test(o.name)) {
    throw new ConfigError("name", o.name, "a string matching ^[A-Za-z0-9._:-]{1,128}$");
  }
  const strategy = o.strategy ?? "tumbling";
  if (!STRATEGIES.includes(strategy as Strategy)) {
    throw new ConfigError("strategy", strategy, `one of ${STRATEGIES.join(", ")}`);
  }
  const maxCount = o.maxCount ?? Number.POSITIVE_INFINITY;
  if (
    !(
      maxCount === Number.POSITIVE_INFINITY ||
      (Number.isSafeInteger(maxCount) && (maxCount as number) >= 1)
    )
  ) {
    throw new ConfigError("maxCount", maxCount, "an integer >= 1");
  }
  if (o.maxWaitMs !== undefined && strategy !== "last") {
    throw new ConfigError("maxWaitMs", o.maxWaitMs, `no value: it applies to strategy "last" only`);
  }
  const spec: StreamSpec = {
    name: o.name,
    strategy: strategy as Strategy,
    maxCount: maxCount as number,
    timeoutMs: toMs(o.timeoutMs, "timeoutMs"),
    maxWaitMs:
      o.maxWaitMs === undefined ? Number.POSITIVE_INFINITY : toMs(o.maxWaitMs, "maxWaitMs"),
  };
  const maxAttempts = o.maxAttempts ?? 5;
  if (!Number.isSafeInteger(maxAttempts) || (maxAttempts as number) < 1) {
    throw new ConfigError("maxAttempts", maxAttempts, "an integer >= 1");
  }
  for (const fn of ["onWindow", "onDeadLetter", "onError", "clock"]) {
    if (o[fn] !== undefined && typeof o[fn] !== "function")
      throw new ConfigError(fn, o[fn], "a function");
  }
  if (o.autoTick !== undefined && typeof o.autoTick !== "boolean") {
    throw new ConfigError("autoTick", o.autoTick, "a boolean");
  }
  checkShape(o, "store", ["append", "closeDue", "claim", "ack", "fail", "flush"], "a WindowStore");
  checkShape(o, "serializer", ["serialize", "deserialize"], "a Serializer");
  checkShape(o, "timers", ["set", "clear"], "Timers ({ set, clear })");
  return {
    spec,
    autoTick: (o.autoTick as boolean | undefined) ?? true,
    pollIntervalMs: toMs(o.pollIntervalMs ?? 1000, "pollIntervalMs"),
    maxAttempts: maxAttempts as number,
    retryDelayMs: toMs(o.retryDelayMs ?? 1000, "retryDelayMs", { allowZero: true }),
    maxRetryDelayMs: toMs(o.maxRetryDelayMs ?? 60_000, "maxRetryDelayMs", { allowZero: true }),
    leaseMs: toMs(o.leaseMs ?? 30_000, "leaseMs"),
  };
}

function checkShape(
  o: Record<string, unknown>,
  option: string,
  methods: string[],
  expected: string,
) {
  const value = o[option];
  if (value === undefined) return;
  const ok =
    typeof value === "object" &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === "function");
  if (!ok) throw new ConfigError(option, value, `${expected} with methods ${methods.join(", ")}`);
}
