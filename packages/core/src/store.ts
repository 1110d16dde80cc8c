/**
 * The storage contract. The engine ({@link DistributedTimeWindow}) is stateless between calls:
 * every fact about windows lives in a `WindowStore`, and every method below is ONE atomic step,
 * designed so that a Redis implementation runs it as ONE script call (one round trip).
 *
 * Elements reach the store already serialized (strings); the store never looks inside them.
 * All times are epoch milliseconds **by the store's clock** (Redis `TIME`, or MemoryStore's
 * injected clock), so nodes with skewed clocks agree on every boundary.
 *
 * Lifecycle of a window:
 * `open` (accepting elements) → `closed` (by count, time or flush) → `ready` (claimable) →
 * `in flight` (claimed, with a lease) → acked (deleted) | retried (ready again after a backoff)
 * | `dead` (after `maxAttempts`, kept until replayed).
 */
export interface WindowStore {
  /**
   * Appends `groups` (in order; each group's items in order) atomically: either all items of
   * all groups are accepted, or the call rejects and nothing was written.
   *
   * Before appending to a key, a window of that key whose deadline has passed is closed
   * (`reason: "time"`). A window that reaches `spec.maxCount` is closed (`reason: "count"`) and
   * the rest of the items go to a new window (for `tumbling`, in the same period).
   *
   * Every window this call closes is returned **already claimed** by the caller (attempt 1,
   * lease `leaseMs`), with its elements, so the caller can deliver it without another round
   * trip. If the caller dies, the lease expires and another node delivers it. With `leaseMs`
   * 0 (a node that does not deliver) they are returned unclaimed (attempt 0) and are ready.
   */
  append(spec: StreamSpec, groups: readonly AppendGroup[], leaseMs: number): Promise<AppendResult>;

  /**
   * Closes (`reason: "time"`) up to `limit` open windows whose deadline is `<= now`; they become
   * ready. With `all`, closes every open window regardless of its deadline (`reason: "flush"`),
   * so that they are delivered through the normal path (graceful shutdown).
   */
  closeDue(spec: StreamSpec, limit: number, all?: boolean): Promise<number>;

  /**
   * Claims up to `max` ready windows (ready = closed and not leased, a retry whose backoff has
   * elapsed, or an in-flight window whose lease expired), oldest first. Each claim increments
   * `attempt` and leases the window for `leaseMs`.
   */
  claim(spec: StreamSpec, max: number, leaseMs: number): Promise<StoredWindow[]>;

  /**
   * Extends the leases of windows this caller still holds (claimed at exactly `attempt`, not
   * acked, failed or re-claimed since) to `now + leaseMs`, so that a slow handler keeps its
   * window. Returns how many were extended. Optional: without it, a handler slower than the
   * lease sees its window delivered again elsewhere.
   */
  extend?(spec: StreamSpec, leases: readonly Lease[], leaseMs: number): Promise<number>;

  /** Acknowledges delivered windows: deletes them. Unknown ids are ignored. Returns how many were deleted. */
  ack(spec: StreamSpec, ids: readonly string[]): Promise<number>;

  /**
   * Reports a failed delivery of attempt `attempt`. If `attempt >= maxAttempts` the window moves
   * to the dead letters (`"dead"`); otherwise it becomes claimable again after `backoffMs`
   * (`"retry"`). If the window is gone or was re-claimed since (a newer attempt), nothing
   * changes (`"stale"`).
   */
  fail(
    spec: StreamSpec,
    id: string,
    attempt: number,
    backoffMs: number,
    maxAttempts: number,
  ): Promise<FailOutcome>;

  /**
   * Closes every open window of the stream (all keys) now, deletes them and returns them
   * (`reason: "flush"`): the caller owns their elements. Closed windows awaiting delivery are
   * not touched.
   */
  flush(spec: StreamSpec): Promise<StoredWindow[]>;

  /** Counts, by the store's state now. */
  stats(spec: StreamSpec): Promise<StoreStats>;

  /**
   * The store's clock now and the earliest time something will need a tick: the soonest
   * open-window deadline or the soonest claimable time of a closed window (`null`: nothing).
   */
  nextWakeup(spec: StreamSpec): Promise<Wakeup>;

  /** Dead-lettered windows, oldest first, at most `limit`. */
  deadLetters(spec: StreamSpec, limit: number): Promise<StoredWindow[]>;

  /** Moves dead letters (all, or those with `ids`) back to ready with `attempt` reset. Returns how many. */
  replay(spec: StreamSpec, ids?: readonly string[]): Promise<number>;

  /** Deletes every trace of the stream (tests, decommissioning). Optional. */
  drop?(spec: StreamSpec): Promise<void>;

  /** Releases resources the store owns (connections it created). Optional. */
  close?(): Promise<void>;

  /** Human-readable store kind for logs and stats, e.g. `"memory"`, `"redis"`. */
  readonly kind: string;
}

/** How a stream cuts windows. See DESIGN.md "Semantics". */
export type Strategy = "tumbling" | "first" | "last";

/** The stream configuration a store needs; passed on every call so stores stay config-free. */
export interface StreamSpec {
  readonly name: string;
  readonly strategy: Strategy;
  /** Close a window when it holds this many elements. `Infinity` for no count limit. */
  readonly maxCount: number;
  readonly timeoutMs: number;
  /** `last` only: close at `openedAt + maxWaitMs` at the latest. `Infinity` when unset. */
  readonly maxWaitMs: number;
}

/** A claim a node holds: the window and the attempt it claimed. */
export interface Lease {
  readonly id: string;
  readonly attempt: number;
}

export interface AppendGroup {
  readonly key: string;
  readonly items: readonly string[];
}

export interface AppendResult {
  /** Windows closed by this append, claimed by the caller (attempt 1). */
  readonly closed: StoredWindow[];
  /** Store clock at the append. */
  readonly now: number;
  /** The soonest deadline among windows this append left open (`null` if none). */
  readonly deadline: number | null;
}

export type CloseReason = "count" | "time" | "flush";
export type FailOutcome = "retry" | "dead" | "stale";

/** A closed window as the store keeps it: elements still serialized. */
export interface StoredWindow {
  readonly id: string;
  readonly key: string;
  readonly items: string[];
  readonly openedAt: number;
  readonly closedAt: number;
  readonly reason: CloseReason;
  readonly attempt: number;
}

export interface StoreStats {
  /** Windows accepting elements. */
  readonly open: number;
  /** Elements in open windows. */
  readonly pendingElements: number;
  /** Closed windows waiting to be claimed (including retries waiting out their backoff). */
  readonly ready: number;
  /** Claimed windows whose lease has not expired. */
  readonly inFlight: number;
  /** Dead-lettered windows. */
  readonly dead: number;
}

export interface Wakeup {
  readonly now: number;
  readonly at: number | null;
}

/**
 * The deadline of an open window under `spec`, given when it opened and when it last grew.
 * (`tumbling` windows open at their period start, so `openedAt + timeoutMs` is the period end.)
 */
export function windowDeadline(spec: StreamSpec, openedAt: number, lastAt: number): number {
  switch (spec.strategy) {
    case "tumbling":
    case "first":
      return openedAt + spec.timeoutMs;
    case "last":
      return Math.min(lastAt + spec.timeoutMs, openedAt + spec.maxWaitMs);
  }
}
