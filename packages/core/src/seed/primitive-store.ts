import { ConfigError } from "../errors.js";
import { DeliveryQueue } from "../memory/delivery-queue.js";
import type {
  AppendGroup,
  AppendResult,
  CloseReason,
  FailOutcome,
  Lease,
  StoredWindow,
  StoreStats,
  StreamSpec,
  Wakeup,
  WindowStore,
} from "../store.js";
import type { IAccumulator, IDistributedSortedSet } from "./primitives.js";

/** Options of {@link PrimitiveStore}. */
export interface PrimitiveStoreOptions {
  /** @default Date.now */
  clock?: () => number;
}

/**
 * Runs the engine on the seed's two primitives: one accumulator per bucket (identity
 * `"<periodStart>:<key>"`) and a sorted set of buckets by deadline. `tumbling` only.
 *
 * Weaker than a real {@link WindowStore}, because two primitives cannot change atomically
 * together:
 * - a push is two calls (accumulator, then sorted set); a crash between them leaves elements
 *   that are delivered only by a later `flush()`;
 * - boundaries come from each node's clock, not the store's;
 * - closed windows wait for delivery in this process: a crash after a drain loses them
 *   (retries and dead letters work within the process).
 * Elements are never duplicated: each drain hands an element to one caller only.
 */
export class PrimitiveStore implements WindowStore {
  readonly kind = "primitives";
  readonly #sortedSet: IDistributedSortedSet<string>;
  readonly #accumulator: (identity: string) => IAccumulator<string>;
  readonly #clock: () => number;
  readonly #delivery = new DeliveryQueue();
  /** Deadlines of buckets this process wrote to, for timers (the primitives cannot peek). */
  readonly #deadlines = new Map<string, number>();
  /** Window ids must not collide with other processes' windows. */
  readonly #idPrefix = Math.random().toString(36).slice(2, 10);
  #seq = 0;
  #stream: string | undefined;

  constructor(
    sortedSet: IDistributedSortedSet<string>,
    accumulatorResolver: (identity: string) => IAccumulator<string>,
    options: PrimitiveStoreOptions = {},
  ) {
    this.#sortedSet = sortedSet;
    this.#accumulator = accumulatorResolver;
    this.#clock = options.clock ?? Date.now;
  }

  async append(
    spec: StreamSpec,
    groups: readonly AppendGroup[],
    leaseMs: number,
  ): Promise<AppendResult> {
    this.#check(spec);
    const now = this.#clock();
    const periodStart = Math.floor(now / spec.timeoutMs) * spec.timeoutMs;
    const deadline = periodStart + spec.timeoutMs;
    const closed: StoredWindow[] = [];
    for (const { key, items } of groups) {
      const identity = `${periodStart}:${key}`;
      const accumulator = this.#accumulator(identity);
      let length = await accumulator.add([...items]);
      await this.#sortedSet.add(identity, deadline);
      this.#deadlines.set(identity, deadline);
      while (length >= spec.maxCount) {
        const drained = await accumulator.drain(spec.maxCount);
        if (drained.length === 0) break;
        closed.push(
          this.#close(key, periodStart, drained, "count", now, now + leaseMs, leaseMs > 0),
        );
        length -= spec.maxCount;
      }
    }
    return { closed, now, deadline };
  }

  async closeDue(spec: StreamSpec, limit: number, all = false): Promise<number> {
    this.#check(spec);
    const now = this.#clock();
    const due = all ? await this.#sortedSet.flush() : await this.#sortedSet.drain(now + 1, "lt");
    // The primitive cannot drain only `limit` members: put the rest back, as they were.
    for (const identity of due.slice(limit)) {
      await this.#sortedSet.add(identity, parseIdentity(identity).periodStart + spec.timeoutMs);
    }
    let closed = 0;
    for (const identity of due.slice(0, limit)) {
      this.#deadlines.delete(identity);
      const items = await this.#accumulator(identity).flush();
      if (items.length === 0) continue;
      const { periodStart, key } = parseIdentity(identity);
      this.#close(key, periodStart, items, all ? "flush" : "time", now, now, false);
      closed++;
    }
    return closed;
  }

  async claim(_spec: StreamSpec, max: number, leaseMs: number): Promise<StoredWindow[]> {
    return this.#delivery.claim(this.#clock(), max, leaseMs);
  }

  async extend(_spec: StreamSpec, leases: readonly Lease[], leaseMs: number): Promise<number> {
    return this.#delivery.extend(this.#clock(), leases, leaseMs);
  }

  async ack(_spec: StreamSpec, ids: readonly string[]): Promise<number> {
    return this.#delivery.ack(ids);
  }

  async fail(
    _spec: StreamSpec,
    id: string,
    attempt: number,
    backoffMs: number,
    maxAttempts: number,
  ): Promise<FailOutcome> {
    return this.#delivery.fail(this.#clock(), id, attempt, backoffMs, maxAttempts);
  }

  async flush(spec: StreamSpec): Promise<StoredWindow[]> {
    this.#check(spec);
    const now = this.#clock();
    const windows: StoredWindow[] = [];
    for (const identity of await this.#sortedSet.flush()) {
      this.#deadlines.delete(identity);
      const items = await this.#accumulator(identity).flush();
      if (items.length === 0) continue;
      const { periodStart, key } = parseIdentity(identity);
      windows.push(stored(this.#nextId(now), key, periodStart, items, "flush", now, 0));
    }
    return windows;
  }

  /** `open` and `pendingElements` count only buckets this process wrote to (the primitives cannot count). */
  async stats(_spec: StreamSpec): Promise<StoreStats> {
    return {
      open: this.#deadlines.size,
      pendingElements: 0,
      ...this.#delivery.counts(this.#clock()),
    };
  }

  async nextWakeup(_spec: StreamSpec): Promise<Wakeup> {
    let at = this.#delivery.nextAvailable();
    for (const deadline of this.#deadlines.values())
      if (at === null || deadline < at) at = deadline;
    return { now: this.#clock(), at };
  }

  async deadLetters(_spec: StreamSpec, limit: number): Promise<StoredWindow[]> {
    return this.#delivery.deadLetters(limit);
  }

  async replay(_spec: StreamSpec, ids?: readonly string[]): Promise<number> {
    return this.#delivery.replay(this.#clock(), ids);
  }

  /** Tumbling only, and one stream per store: the sorted set holds the buckets of one stream. */
  #check(spec: StreamSpec): void {
    if (spec.strategy !== "tumbling") {
      throw new ConfigError(
        "strategy",
        spec.strategy,
        `"tumbling" (the only strategy the seed primitives support)`,
      );
    }
    this.#stream ??= spec.name;
    if (spec.name !== this.#stream) {
      throw new ConfigError(
        "name",
        spec.name,
        `"${this.#stream}": a PrimitiveStore serves one stream (give each stream its own sorted set)`,
      );
    }
  }

  #nextId(now: number): string {
    return `${this.#idPrefix}-${now}-${++this.#seq}`;
  }

  #close(
    key: string,
    openedAt: number,
    items: string[],
    reason: CloseReason,
    now: number,
    availableAt: number,
    leased: boolean,
  ): StoredWindow {
    const window = stored(this.#nextId(now), key, openedAt, items, reason, now, leased ? 1 : 0);
    this.#delivery.add(window, availableAt, leased);
    return window;
  }
}

function stored(
  id: string,
  key: string,
  openedAt: number,
  items: string[],
  reason: CloseReason,
  closedAt: number,
  attempt: number,
): StoredWindow {
  return { id, key, items, openedAt, closedAt, reason, attempt };
}

function parseIdentity(identity: string): { periodStart: number; key: string } {
  const colon = identity.indexOf(":");
  return { periodStart: Number(identity.slice(0, colon)), key: identity.slice(colon + 1) };
}
