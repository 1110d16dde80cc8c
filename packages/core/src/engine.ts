import { ClosedError, ConfigError, DtwError, describe, StoreError } from "./errors.js";
import { MemoryStore } from "./memory/memory-store.js";
import {
  type DistributedTimeWindowOptions,
  type ResolvedOptions,
  resolveOptions,
} from "./options.js";
import { PrimitiveStore } from "./seed/primitive-store.js";
import type { IAccumulator, IDistributedSortedSet } from "./seed/primitives.js";
import { jsonSerializer, type Serializer } from "./serializer.js";
import type { AppendGroup, StoredWindow, StoreStats, StreamSpec, WindowStore } from "./store.js";
import { defaultTimers, type Timers } from "./timer.js";
import type { Window } from "./window.js";

/** Options of `push` / `pushMany`. */
export interface PushOptions {
  /**
   * Windows are cut per key (e.g. a user id, for per-user debouncing).
   * @default ""
   */
  key?: string;
}

/** What one `tick()` did on this node. */
export interface TickResult {
  /** Windows this tick closed by time. */
  readonly closed: number;
  /** Windows handed to the handler and acknowledged. */
  readonly delivered: number;
  /** Deliveries that failed (retried later or dead-lettered). */
  readonly failed: number;
}

/** `stats()`: the stream's state in the store plus this node's counters. */
export interface StreamStats extends StoreStats {
  readonly stream: string;
  readonly store: string;
  readonly node: NodeCounters;
}

export interface NodeCounters {
  pushed: number;
  windowsDelivered: number;
  elementsDelivered: number;
  failures: number;
  deadLettered: number;
}

interface QueuedAppend {
  readonly group: AppendGroup;
  /** Resolved with the delivery of the windows the batch closed (shared by the batch's pushes). */
  readonly resolve: (accepted: { delivery: Promise<unknown> }) => void;
  readonly reject: (error: unknown) => void;
}

/** At most this many append calls per node at once; pushes issued meanwhile share the next one. */
const CONCURRENT_APPENDS = 2;
const GROUPS_PER_APPEND = 512;
const CLAIM_BATCH = 64;
const CLOSE_BATCH = 1000;
const MAX_KEY_LENGTH = 1024;

/** Options the seed's constructor takes as an optional sixth argument. */
export type SeedExtraOptions<T> = Omit<
  Partial<DistributedTimeWindowOptions<T>>,
  "store" | "maxCount" | "timeoutMs" | "strategy" | "maxWaitMs" | "onWindow"
>;

type Handler<T> = (windows: Window<T>[]) => Promise<Outcome[]>;
type Outcome = { ok: true } | { ok: false; error: unknown };

/**
 * Groups elements pushed from many nodes into windows closed by time or by count, and hands each
 * closed window to `onWindow` exactly once across all nodes sharing the store.
 *
 * @example
 * const tw = new DistributedTimeWindow<Order>({
 *   name: "orders", maxCount: 100, timeoutMs: "5 s",
 *   onWindow: async (w) => db.insertMany(w.elements),
 * });
 * await tw.push(order);
 */
export class DistributedTimeWindow<T> implements AsyncDisposable {
  /** The stream name. */
  readonly name: string;
  readonly store: WindowStore;
  readonly #spec: StreamSpec;
  readonly #options: ResolvedOptions;
  readonly #serializer: Serializer<T>;
  readonly #handler: Handler<T> | undefined;
  readonly #onDeadLetter: DistributedTimeWindowOptions<T>["onDeadLetter"];
  readonly #onError: (error: unknown) => void;
  readonly #timers: Timers;
  readonly #counters: NodeCounters = {
    pushed: 0,
    windowsDelivered: 0,
    elementsDelivered: 0,
    failures: 0,
    deadLettered: 0,
  };
  /** Seed form: the pushing call waits for the callback of the windows it closed. */
  readonly #pushAwaitsDelivery: boolean;
  readonly #background = new Set<Promise<unknown>>();
  #queue: QueuedAppend[] = [];
  #dispatchScheduled = false;
  #appendsInFlight = 0;
  #tickRunning: Promise<TickResult> | undefined;
  #timer: unknown;
  #timerFiresAt = Number.POSITIVE_INFINITY;
  #closed: Promise<void> | undefined;

  /** Options form: see {@link DistributedTimeWindowOptions}. */
  constructor(options: DistributedTimeWindowOptions<T>);
  /**
   * The seed's form: tumbling windows of `timeoutInSeconds`, closed early at `countWindowSize`
   * elements, kept in your `sortedSet` and accumulators; `callback` receives closed windows.
   * Weaker guarantees than a `WindowStore`: see `PrimitiveStore`. `options` (not in the seed)
   * takes the other options, e.g. `{ name, clock, autoTick }`.
   *
   * Elements reach the accumulators serialized (JSON strings by default, or your `serializer`'s
   * output), so `accumulatorResolver` returns an `IAccumulator<string>` whatever `T` is.
   */
  constructor(
    countWindowSize: number,
    timeoutInSeconds: number,
    sortedSet: IDistributedSortedSet<string>,
    accumulatorResolver: (identity: string) => IAccumulator<string>,
    callback: (windows: T[][]) => void | Promise<void>,
    options?: SeedExtraOptions<T>,
  );
  constructor(
    first: DistributedTimeWindowOptions<T> | number,
    timeoutInSeconds?: number,
    sortedSet?: IDistributedSortedSet<string>,
    accumulatorResolver?: (identity: string) => IAccumulator<string>,
    callback?: (windows: T[][]) => void | Promise<void>,
    extra?: SeedExtraOptions<T>,
  ) {
    const options: DistributedTimeWindowOptions<T> =
      typeof first === "number"
        ? seedOptions(first, timeoutInSeconds, sortedSet, accumulatorResolver, extra)
        : first;
    this.#options = resolveOptions(options);
    this.#spec = this.#options.spec;
    this.name = this.#spec.name;
    this.store = options.store ?? new MemoryStore({ clock: options.clock ?? Date.now });
    this.#serializer = options.serializer ?? (jsonSerializer as Serializer<T>);
    this.#onDeadLetter = options.onDeadLetter;
    this.#onError =
      options.onError ?? ((error) => console.error("[distributed-time-window]", error));
    this.#timers = options.timers ?? defaultTimers;
    this.#pushAwaitsDelivery = typeof first === "number";
    if (typeof first === "number") {
      if (typeof callback !== "function") throw new ConfigError("callback", callback, "a function");
      this.#handler = batchHandler(callback);
    } else if (options.onWindow) {
      this.#handler = perWindowHandler(options.onWindow);
    }
    if (this.#options.autoTick) this.#arm(0);
  }

  /**
   * Adds one element. Resolves once the store accepted it. Rejects with nothing accepted, except
   * a `StoreError` for a reply lost in transit, after which it may have been accepted (whole).
   */
  push(element: T, options?: PushOptions): Promise<void> {
    return this.pushMany([element], options);
  }

  /**
   * Adds elements, in order, all or nothing. Pushes issued in the same tick share one store call.
   * @throws {SerializationError} an element cannot be serialized (nothing accepted)
   */
  async pushMany(elements: readonly T[], options: PushOptions = {}): Promise<void> {
    if (this.#closed) throw new ClosedError(this.name);
    if (!Array.isArray(elements)) throw new ConfigError("elements", elements, "an array");
    const key = options.key ?? "";
    if (typeof key !== "string" || key.length > MAX_KEY_LENGTH) {
      throw new ConfigError("key", key, `a string of at most ${MAX_KEY_LENGTH} characters`);
    }
    if (elements.length === 0) return;
    const items = elements.map((element, index) => this.#serialize(element, index));
    const { delivery } = await this.#enqueue({ key, items });
    this.#counters.pushed += items.length;
    if (this.#pushAwaitsDelivery) await delivery;
  }

  /**
   * Closes every due window and delivers what is ready (including windows whose lease expired
   * on a dead node). `autoTick` calls it on time; call it yourself from a cron otherwise.
   */
  async tick(): Promise<TickResult> {
    this.#tickRunning ??= this.#tickOnce().finally(() => {
      this.#tickRunning = undefined;
    });
    return this.#tickRunning;
  }

  /**
   * Closes every open window of the stream (all keys, all nodes) now and returns their elements:
   * the caller owns them; they are not handed to `onWindow`. Waits for pushes already issued.
   */
  async flush(): Promise<T[][]> {
    await this.#settleAppends();
    const windows = await this.#call("flush", () => this.store.flush(this.#spec));
    return windows.map((w) => this.#elements(w));
  }

  /**
   * Graceful shutdown of this node: stops accepting pushes, closes every open window of the
   * stream and delivers all ready windows through `onWindow`, then `close()`s.
   */
  async shutdown(): Promise<void> {
    if (this.#closed) return this.#closed;
    this.#stopTimer();
    const accepting = this.#settleAppends();
    this.#closed = (async () => {
      await accepting;
      await this.#call("closeDue", () =>
        this.store.closeDue(this.#spec, Number.MAX_SAFE_INTEGER, true),
      );
      if (this.#handler) await this.#tickOnce();
      await this.#settleBackground();
    })();
    return this.#closed;
  }

  /** Store counts plus this node's counters. */
  async stats(): Promise<StreamStats> {
    const stats = await this.#call("stats", () => this.store.stats(this.#spec));
    return { ...stats, stream: this.name, store: this.store.kind, node: { ...this.#counters } };
  }

  /** Dead-lettered windows of the stream, oldest first. */
  async deadLetters(limit = 100): Promise<Window<T>[]> {
    const windows = await this.#call("deadLetters", () =>
      this.store.deadLetters(this.#spec, limit),
    );
    return windows.map((w) => this.#window(w));
  }

  /** Puts dead letters (all, or those `ids`) back on the delivery path with `attempt` reset. */
  async replayDeadLetters(ids?: readonly string[]): Promise<number> {
    const replayed = await this.#call("replay", () => this.store.replay(this.#spec, ids));
    if (replayed > 0) this.#arm(0);
    return replayed;
  }

  /**
   * Resolves once the work this node started in the background (deliveries of windows a push
   * closed, timer ticks) has finished. Handy in tests and before reading `stats()`.
   */
  async idle(): Promise<void> {
    await this.#settleAppends();
    await this.#settleBackground();
  }

  /**
   * Stops timers and waits for running deliveries. Does not flush: open windows stay in the
   * store for the other nodes (or the next start).
   */
  close(): Promise<void> {
    if (this.#closed) return this.#closed;
    this.#stopTimer();
    this.#closed = this.#settleAppends().then(() => this.#settleBackground());
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #serialize(element: T, index: number): string {
    try {
      return this.#serializer.serialize(element);
    } catch (error) {
      if (error instanceof DtwError && "index" in error) {
        (error as { index: number }).index = index;
        error.message = `elements[${index}]: ${error.message}`;
        throw error;
      }
      throw new ConfigError(
        `elements[${index}]`,
        element,
        `a value the serializer accepts (${error})`,
      );
    }
  }

  #enqueue(group: AppendGroup): Promise<{ delivery: Promise<unknown> }> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ group, resolve, reject });
      if (!this.#dispatchScheduled) {
        this.#dispatchScheduled = true;
        queueMicrotask(() => this.#dispatch());
      }
    });
  }

  /** Sends queued pushes as few store calls as possible (one per batch, atomic per batch). */
  #dispatch(): void {
    this.#dispatchScheduled = false;
    while (this.#appendsInFlight < CONCURRENT_APPENDS && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, GROUPS_PER_APPEND);
      this.#appendsInFlight++;
      const leaseMs = this.#handler ? this.#options.leaseMs : 0;
      const call = this.#call("append", () =>
        this.store.append(this.#spec, mergeByKey(batch), leaseMs),
      ).then(
        (result) => {
          this.#arm(result.deadline === null ? null : result.deadline - result.now);
          let delivery: Promise<unknown> = Promise.resolve();
          if (result.closed.length > 0 && this.#handler) {
            delivery = this.#deliver(result.closed);
            this.#track(delivery);
          }
          for (const b of batch) b.resolve({ delivery });
        },
        (error) => {
          for (const b of batch) b.reject(error);
        },
      );
      this.#track(
        call.finally(() => {
          this.#appendsInFlight--;
          this.#dispatch();
        }),
      );
    }
  }

  async #tickOnce(): Promise<TickResult> {
    let closed = 0;
    for (;;) {
      const n = await this.#call("closeDue", () => this.store.closeDue(this.#spec, CLOSE_BATCH));
      closed += n;
      if (n < CLOSE_BATCH) break;
    }
    let delivered = 0;
    let failed = 0;
    if (this.#handler) {
      for (;;) {
        const windows = await this.#call("claim", () =>
          this.store.claim(this.#spec, CLAIM_BATCH, this.#options.leaseMs),
        );
        if (windows.length === 0) break;
        const result = await this.#deliver(windows);
        delivered += result.delivered;
        failed += result.failed;
        if (windows.length < CLAIM_BATCH) break;
      }
    }
    return { closed, delivered, failed };
  }

  /** Runs the handler on claimed windows, then acks or fails each. Never rejects. */
  async #deliver(stored: StoredWindow[]): Promise<{ delivered: number; failed: number }> {
    const handler = this.#handler as Handler<T>;
    const windows: Window<T>[] = [];
    const outcomes: Outcome[] = [];
    const failures: Array<{ stored: StoredWindow; error: unknown }> = [];
    for (const w of stored) {
      try {
        windows.push(this.#window(w));
      } catch (error) {
        failures.push({ stored: w, error });
      }
    }
    if (windows.length > 0) {
      const stopRenewing = this.#renewLeases(stored);
      try {
        outcomes.push(...(await handler(windows)));
      } finally {
        stopRenewing();
      }
    }
    const acked: string[] = [];
    windows.forEach((w, i) => {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) acked.push(w.id);
      else
        failures.push({
          stored: stored.find((s) => s.id === w.id) as StoredWindow,
          error: outcome.error,
        });
    });
    if (acked.length > 0) {
      try {
        await this.#call("ack", () => this.store.ack(this.#spec, acked));
        this.#counters.windowsDelivered += acked.length;
        for (const w of windows)
          if (acked.includes(w.id)) this.#counters.elementsDelivered += w.elements.length;
      } catch (error) {
        // Not lost: the lease expires and the window is delivered again, with the same id.
        this.#onError(error);
      }
    }
    for (const { stored: w, error } of failures) await this.#fail(w, error);
    return { delivered: acked.length, failed: failures.length };
  }

  /**
   * Keeps the leases of windows being handled alive (every third of `leaseMs`) until the returned
   * function is called, so a slow handler, or a long batch handled window by window, is not
   * redelivered elsewhere meanwhile. A node that dies stops renewing: its leases then expire.
   */
  #renewLeases(stored: readonly StoredWindow[]): () => void {
    const extend = this.store.extend?.bind(this.store);
    if (!extend) return () => {};
    const leases = stored.map(({ id, attempt }) => ({ id, attempt }));
    const { leaseMs } = this.#options;
    let stopped = false;
    let handle: unknown;
    const schedule = () => {
      handle = this.#timers.set(
        () => {
          const renewal = this.#call("extend", () => extend(this.#spec, leases, leaseMs));
          this.#track(renewal.finally(() => !stopped && schedule()));
        },
        Math.max(1, Math.floor(leaseMs / 3)),
      );
    };
    schedule();
    return () => {
      stopped = true;
      this.#timers.clear(handle);
    };
  }

  async #fail(w: StoredWindow, error: unknown): Promise<void> {
    this.#counters.failures++;
    const { retryDelayMs, maxRetryDelayMs, maxAttempts } = this.#options;
    const backoff = Math.min(retryDelayMs * 2 ** (w.attempt - 1), maxRetryDelayMs);
    try {
      const outcome = await this.#call("fail", () =>
        this.store.fail(this.#spec, w.id, w.attempt, backoff, maxAttempts),
      );
      if (outcome === "retry") this.#arm(backoff);
      if (outcome === "dead") {
        this.#counters.deadLettered++;
        await this.#onDeadLetter?.(this.#safeWindow(w), error);
      }
    } catch (failError) {
      this.#onError(failError);
    }
  }

  #window(w: StoredWindow): Window<T> {
    return {
      id: w.id,
      stream: this.name,
      key: w.key,
      elements: this.#elements(w),
      openedAt: w.openedAt,
      closedAt: w.closedAt,
      reason: w.reason,
      attempt: w.attempt,
    };
  }

  /** A dead letter that cannot even be decoded is still reported, with its raw items. */
  #safeWindow(w: StoredWindow): Window<T> {
    try {
      return this.#window(w);
    } catch {
      return { ...this.#window({ ...w, items: [] }), elements: w.items as unknown as T[] };
    }
  }

  #elements(w: StoredWindow): T[] {
    return w.items.map((item) => this.#serializer.deserialize(item));
  }

  /** Runs a store call, wrapping foreign errors in a StoreError that keeps the cause. */
  async #call<R>(operation: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DtwError) throw error;
      const message = error instanceof Error ? error.message : describe(error);
      throw new StoreError(
        `${this.store.kind} store failed to ${operation} on stream "${this.name}": ${message}`,
        { cause: error },
      );
    }
  }

  /** (Re)arms the autoTick timer to fire in `delayMs` unless it already fires sooner. */
  #arm(delayMs: number | null): void {
    if (!this.#options.autoTick || this.#closed) return;
    const delay = Math.min(
      delayMs === null ? this.#options.pollIntervalMs : Math.max(0, delayMs + 1),
      this.#options.pollIntervalMs,
    );
    const firesAt = Date.now() + delay;
    if (this.#timer !== undefined && this.#timerFiresAt <= firesAt) return;
    this.#stopTimer();
    this.#timerFiresAt = firesAt;
    this.#timer = this.#timers.set(() => this.#onTimer(), delay);
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#timerFiresAt = Number.POSITIVE_INFINITY;
    const run = this.tick()
      .then(() => this.#call("nextWakeup", () => this.store.nextWakeup(this.#spec)))
      .then(
        (next) => this.#arm(next.at === null ? null : next.at - next.now),
        (error) => {
          this.#onError(error);
          this.#arm(null);
        },
      );
    this.#track(run);
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    this.#timerFiresAt = Number.POSITIVE_INFINITY;
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error) => this.#onError(error));
    this.#background.add(tracked);
    tracked.finally(() => this.#background.delete(tracked));
  }

  /** Waits until every push issued so far has been answered by the store. */
  async #settleAppends(): Promise<void> {
    while (this.#queue.length > 0 || this.#appendsInFlight > 0 || this.#dispatchScheduled) {
      await Promise.allSettled([...this.#background]);
    }
  }

  async #settleBackground(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }
}

/**
 * One group per key, items in push order. Windows are cut per key, so this is the same append
 * as the pushes one by one, with far less work in the store (one list push per key).
 */
function mergeByKey(batch: readonly QueuedAppend[]): AppendGroup[] {
  const byKey = new Map<string, string[]>();
  for (const { group } of batch) {
    const items = byKey.get(group.key);
    if (items) items.push(...group.items);
    else byKey.set(group.key, [...group.items]);
  }
  return [...byKey].map(([key, items]) => ({ key, items }));
}

function perWindowHandler<T>(onWindow: (w: Window<T>) => void | Promise<void>): Handler<T> {
  return async (windows) => {
    const outcomes: Outcome[] = [];
    for (const w of windows) {
      try {
        await onWindow(w);
        outcomes.push({ ok: true });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  };
}

/** The seed's callback takes every window closed together in one call; it succeeds or fails as one. */
function batchHandler<T>(callback: (windows: T[][]) => void | Promise<void>): Handler<T> {
  return async (windows) => {
    try {
      await callback(windows.map((w) => w.elements));
      return windows.map(() => ({ ok: true }));
    } catch (error) {
      return windows.map(() => ({ ok: false, error }));
    }
  };
}

function seedOptions<T>(
  countWindowSize: number,
  timeoutInSeconds: unknown,
  sortedSet: unknown,
  accumulatorResolver: unknown,
  extra: SeedExtraOptions<T> = {},
): DistributedTimeWindowOptions<T> {
  if (!(Number.isSafeInteger(countWindowSize) && countWindowSize >= 1)) {
    throw new ConfigError("countWindowSize", countWindowSize, "an integer >= 1");
  }
  if (
    typeof timeoutInSeconds !== "number" ||
    !(timeoutInSeconds > 0) ||
    !Number.isFinite(timeoutInSeconds)
  ) {
    throw new ConfigError("timeoutInSeconds", timeoutInSeconds, "a number of seconds > 0");
  }
  const set = sortedSet as IDistributedSortedSet<string> | undefined;
  if (!set || typeof set.add !== "function" || typeof set.drain !== "function") {
    throw new ConfigError("sortedSet", sortedSet, "an IDistributedSortedSet (add, drain, flush)");
  }
  if (typeof accumulatorResolver !== "function") {
    throw new ConfigError(
      "accumulatorResolver",
      accumulatorResolver,
      "a function (identity) => IAccumulator",
    );
  }
  return {
    name: "seed",
    ...extra,
    maxCount:
      countWindowSize >= Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : countWindowSize,
    timeoutMs: timeoutInSeconds * 1000,
    store: new PrimitiveStore(
      set,
      accumulatorResolver as (identity: string) => IAccumulator<string>,
      { clock: extra.clock ?? Date.now },
    ),
  };
}
