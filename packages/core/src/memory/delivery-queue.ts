import type { FailOutcome, Lease, StoredWindow } from "../store.js";

interface Entry {
  window: StoredWindow;
  /** When it can be claimed: closedAt, a retry time, or the expiry of its current lease. */
  availableAt: number;
  leased: boolean;
  readonly order: number;
}

/**
 * Closed windows of one stream held in this process: claim with a lease, ack, retry with
 * backoff, dead letters and replay. Every method is synchronous, hence atomic in JS.
 */
export class DeliveryQueue {
  readonly #closed = new Map<string, Entry>();
  readonly #dead = new Map<string, StoredWindow>();
  #order = 0;

  /** Adds a closed window: ready at `availableAt`, or leased until then. */
  add(window: StoredWindow, availableAt: number, leased: boolean): void {
    this.#closed.set(window.id, { window, availableAt, leased, order: ++this.#order });
  }

  claim(now: number, max: number, leaseMs: number): StoredWindow[] {
    const claimable = [...this.#closed.values()]
      .filter((e) => e.availableAt <= now)
      .sort((a, b) => a.availableAt - b.availableAt || a.order - b.order)
      .slice(0, max);
    return claimable.map((e) => {
      e.window = { ...e.window, attempt: e.window.attempt + 1 };
      e.availableAt = now + leaseMs;
      e.leased = true;
      return e.window;
    });
  }

  extend(now: number, leases: readonly Lease[], leaseMs: number): number {
    let extended = 0;
    for (const { id, attempt } of leases) {
      const entry = this.#held(id, attempt);
      if (!entry) continue;
      entry.availableAt = now + leaseMs;
      extended++;
    }
    return extended;
  }

  ack(ids: readonly string[]): number {
    let deleted = 0;
    for (const id of ids) if (this.#closed.delete(id)) deleted++;
    return deleted;
  }

  fail(
    now: number,
    id: string,
    attempt: number,
    backoffMs: number,
    maxAttempts: number,
  ): FailOutcome {
    // Only the holder of the current attempt may fail it, and only once.
    const entry = this.#held(id, attempt);
    if (!entry) return "stale";
    if (attempt >= maxAttempts) {
      this.#closed.delete(id);
      this.#dead.set(id, entry.window);
      return "dead";
    }
    entry.availableAt = now + backoffMs;
    entry.leased = false;
    return "retry";
  }

  /** The entry if it is leased at exactly `attempt` (its current holder's claim). */
  #held(id: string, attempt: number): Entry | undefined {
    const entry = this.#closed.get(id);
    return entry?.leased && entry.window.attempt === attempt ? entry : undefined;
  }

  counts(now: number): { ready: number; inFlight: number; dead: number } {
    let inFlight = 0;
    for (const e of this.#closed.values()) if (e.leased && e.availableAt > now) inFlight++;
    return { ready: this.#closed.size - inFlight, inFlight, dead: this.#dead.size };
  }

  /** The soonest time a window becomes claimable, or `null`. */
  nextAvailable(): number | null {
    let at: number | null = null;
    for (const e of this.#closed.values())
      if (at === null || e.availableAt < at) at = e.availableAt;
    return at;
  }

  deadLetters(limit: number): StoredWindow[] {
    return [...this.#dead.values()].slice(0, limit);
  }

  replay(now: number, ids?: readonly string[]): number {
    let replayed = 0;
    for (const id of ids ?? [...this.#dead.keys()]) {
      const window = this.#dead.get(id);
      if (!window) continue;
      this.#dead.delete(id);
      this.add({ ...window, attempt: 0 }, now, false);
      replayed++;
    }
    return replayed;
  }
}
