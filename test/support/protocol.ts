/**
 * What the parent (a test) and its nodes (child processes or worker threads running
 * `fixtures/node.ts`) say to each other. Elements are strings `"<node>:<index>"` so that the
 * parent can tell who pushed what, and in which order.
 */

export interface StreamConfig {
  readonly name: string;
  readonly strategy: "tumbling" | "first" | "last";
  readonly timeoutMs: number;
  /** Omitted: unbounded. */
  readonly maxCount?: number;
  readonly maxWaitMs?: number;
  /** Elements go to key `k<index % keys>`; omitted: the default key "". */
  readonly keys?: number;
}

export interface NodeConfig {
  /** Node name; prefixes every element it pushes. */
  readonly node: string;
  readonly redisUrl: string;
  /** Use `upstashStore` over REST (the gateway at `url`) instead of `redisStore` over TCP. */
  readonly upstash?: { readonly url: string; readonly token: string };
  readonly prefix: string;
  readonly streams: readonly StreamConfig[];
  /** Elements to push (each to every stream). */
  readonly elements: number;
  /** Pushes awaiting the store at once. */
  readonly inFlight: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly retryDelayMs?: number;
  readonly maxAttempts?: number;
  /** Handler failure probability per delivery attempt (seeded, deterministic per window id+attempt). */
  readonly failRate?: number;
  readonly seed?: number;
  /** Windows holding an element whose index is a multiple of this always fail (forced dead letters). */
  readonly poisonEvery?: number;
  /** The first handler call reports `blocked` and never returns (the parent kills the node there). */
  readonly blockInHandler?: boolean;
  /** Report every resolved push (`acks`). */
  readonly reportAcks?: boolean;
  /** Read the store clock right before and after each push (`brackets`); forces 1 push in flight. */
  readonly bracketTime?: boolean;
  /** Shift this node's `Date.now` by this much before the SDK loads (clock-skew runs). */
  readonly clockSkewMs?: number;
  /** Pause between pushes, to spread pushes over time (bracketTime runs). */
  readonly pushIntervalMs?: number;
}

export interface DeliveredWindow {
  readonly node: string;
  readonly stream: string;
  readonly id: string;
  readonly key: string;
  readonly elements: string[];
  readonly attempt: number;
  readonly reason: "count" | "time" | "flush";
  readonly openedAt: number;
  readonly closedAt: number;
  /** The delivering node's `Date.now()` when its handler got the window. */
  readonly deliveredAt: number;
}

export type ToParent =
  /** `dateNow`: the node's `Date.now()` when it became ready (shows its clock skew). */
  | { t: "ready"; node: string; dateNow: number }
  /** `window`: handler ran and will return normally (ok) or throw (ok: false). */
  | { t: "window"; ok: boolean; window: DeliveredWindow }
  /** Handler entered and is now blocked forever. */
  | { t: "blocked"; window: DeliveredWindow }
  /** Element indexes whose push resolved (each to every stream). */
  | { t: "acks"; node: string; indexes: number[] }
  /** `[index, storeTimeBefore, storeTimeAfter]` per push. */
  | { t: "brackets"; node: string; brackets: Array<[number, number, number]> }
  | { t: "pushed"; node: string; pushes: number; elapsedMs: number; p50Ms: number; p99Ms: number }
  | { t: "error"; node: string; message: string };

export type ToNode = { t: "go" } | { t: "close" };

export function elementOf(node: string, index: number): string {
  return `${node}:${index}`;
}

export function parseElement(element: string): { node: string; index: number } {
  const at = element.lastIndexOf(":");
  return { node: element.slice(0, at), index: Number(element.slice(at + 1)) };
}
