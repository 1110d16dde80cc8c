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
import { windowDeadline } from "../store.js";
import { DeliveryQueue } from "./delivery-queue.js";

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The store's clock, epoch milliseconds. Inject a fake clock in tests.
   * @default Date.now
   * @example new MemoryStore({ clock: () => fakeNow })
   */
  clock?: () => number;
}

interface OpenWindow {
  readonly id: string;
  readonly key: string;
  readonly items: string[];
  readonly openedAt: number;
  lastAt: number;
  deadline: number;
}

interface StreamState {
  readonly open: Map<string, OpenWindow>;
  readonly delivery: DeliveryQueue;
  seq: number;
}

/**
 * An in-process {@link WindowStore}. Share one instance between many `DistributedTimeWindow`
 * instances to simulate many nodes in one process (each call is atomic: it never awaits
 * mid-way). State outlives the instances that use it. Not shared across processes.
 */
export class MemoryStore implements WindowStore {
  readonly kind = "memory";
  readonly #clock: () => number;
  readonly #streams = new Map<string, StreamState>();

  constructor(options: MemoryStoreOptions = {}) {
    this.#clock = options.clock ?? Date.now;
  }

  async append(
    spec: StreamSpec,
    groups: readonly AppendGroup[],
    leaseMs: number,
  ): Promise<AppendResult> {
    const state = this.#state(spec);
    const now = this.#clock();
    const closed: StoredWindow[] = [];
    // leaseMs 0: the caller will not deliver (no handler), so the window is left ready.
    const claim = (w: OpenWindow, reason: CloseReason) => {
      closed.push(this.#close(state, w, reason, now, now + leaseMs, leaseMs > 0));
    };
    for (const { key, items } of groups) {
      let current = state.open.get(key);
      if (current && current.deadline <= now) {
        claim(current, "time");
        current = undefined;
      }
      for (const item of items) {
        if (!current) current = this.#openWindow(spec, state, key, now);
        current.items.push(item);
        current.lastAt = now;
        if (current.items.length >= spec.maxCount) {
          claim(current, "count");
          current = undefined;
        }
      }
      if (current) current.deadline = windowDeadline(spec, current.openedAt, current.lastAt);
    }
    let deadline: number | null = null;
    for (const { key } of groups) {
      const w = state.open.get(key);
      if (w && (deadline === null || w.deadline < deadline)) deadline = w.deadline;
    }
    return { closed, now, deadline };
  }

  async closeDue(spec: StreamSpec, limit: number, all = false): Promise<number> {
    const state = this.#state(spec);
    const now = this.#clock();
    const due = [...state.open.values()]
      .filter((w) => all || w.deadline <= now)
      .sort((a, b) => a.deadline - b.deadline)
      .slice(0, limit);
    for (const w of due) this.#close(state, w, all ? "flush" : "time", now, now, false);
    return due.length;
  }

  async claim(spec: StreamSpec, max: number, leaseMs: number): Promise<StoredWindow[]> {
    return this.#state(spec).delivery.claim(this.#clock(), max, leaseMs);
  }

  async extend(spec: StreamSpec, leases: readonly Lease[], leaseMs: number): Promise<number> {
    return this.#state(spec).delivery.extend(this.#clock(), leases, leaseMs);
  }

  async ack(spec: StreamSpec, ids: readonly string[]): Promise<number> {
    return this.#state(spec).delivery.ack(ids);
  }

  async fail(
    spec: StreamSpec,
    id: string,
    attempt: number,
    backoffMs: number,
    maxAttempts: number,
  ): Promise<FailOutcome> {
    return this.#state(spec).delivery.fail(this.#clock(), id, attempt, backoffMs, maxAttempts);
  }

  async flush(spec: StreamSpec): Promise<StoredWindow[]> {
    const state = this.#state(spec);
    const now = this.#clock();
    const flushed = [...state.open.values()].map((w) => toStored(w, "flush", now, 0));
    state.open.clear();
    return flushed;
  }

  async stats(spec: StreamSpec): Promise<StoreStats> {
    const state = this.#state(spec);
    let pendingElements = 0;
    for (const w of state.open.values()) pendingElements += w.items.length;
    return { open: state.open.size, pendingElements, ...state.delivery.counts(this.#clock()) };
  }

  async nextWakeup(spec: StreamSpec): Promise<Wakeup> {
    const state = this.#state(spec);
    let at = state.delivery.nextAvailable();
    for (const w of state.open.values()) if (at === null || w.deadline < at) at = w.deadline;
    return { now: this.#clock(), at };
  }

  async deadLetters(spec: StreamSpec, limit: number): Promise<StoredWindow[]> {
    return this.#state(spec).delivery.deadLetters(limit);
  }

  async replay(spec: StreamSpec, ids?: readonly string[]): Promise<number> {
    return this.#state(spec).delivery.replay(this.#clock(), ids);
  }

  async drop(spec: StreamSpec): Promise<void> {
    this.#streams.delete(spec.name);
  }

  #state(spec: StreamSpec): StreamState {
    let state = this.#streams.get(spec.name);
    if (!state) {
      state = { open: new Map(), delivery: new DeliveryQueue(), seq: 0 };
      this.#streams.set(spec.name, state);
    }
    return state;
  }

  #openWindow(spec: StreamSpec, state: StreamState, key: string, now: number): OpenWindow {
    const seq = ++state.seq;
    const openedAt =
      spec.strategy === "tumbling" ? Math.floor(now / spec.timeoutMs) * spec.timeoutMs : now;
    const w: OpenWindow = {
      id: `${now}-${seq}`,
      key,
      items: [],
      openedAt,
      lastAt: now,
      deadline: 0,
    };
    state.open.set(key, w);
    return w;
  }

  /** Moves an open window to the closed set: leased to the caller (attempt 1) or ready. */
  #close(
    state: StreamState,
    w: OpenWindow,
    reason: CloseReason,
    now: number,
    availableAt: number,
    leased: boolean,
  ): StoredWindow {
    state.open.delete(w.key);
    const window = toStored(w, reason, now, leased ? 1 : 0);
    state.delivery.add(window, availableAt, leased);
    return window;
  }
}

function toStored(
  w: OpenWindow,
  reason: CloseReason,
  closedAt: number,
  attempt: number,
): StoredWindow {
  return { id: w.id, key: w.key, items: w.items, openedAt: w.openedAt, closedAt, reason, attempt };
}
