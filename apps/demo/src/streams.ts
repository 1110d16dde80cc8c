import type { Strategy } from "@dtw/core";

/** Every element the demo pushes carries where it came from, so the summary can check order. */
export interface DemoEvent {
  /** Unique over the whole run: `n<node>-<seq>`. */
  readonly id: string;
  readonly node: number;
  /** Per node, increasing in push order (over both streams). */
  readonly seq: number;
  /** Clock reading just before the push (the MemoryStore's clock). */
  readonly at: number;
  readonly payload: OrderPayload | NotificationPayload;
}

export interface OrderPayload {
  readonly sku: string;
  readonly qty: number;
  readonly cents: number;
}

export interface NotificationPayload {
  readonly kind: "like" | "comment" | "follow" | "mention";
}

export type StreamName = "orders" | "notifications";

/** The settings each node gives its two DistributedTimeWindow instances. */
export interface DemoStream {
  readonly name: StreamName;
  readonly strategy: Strategy;
  readonly maxCount: number;
  readonly timeoutMs: number;
  readonly maxWaitMs?: number;
}

export const ORDERS: DemoStream = {
  name: "orders",
  strategy: "tumbling",
  maxCount: 50,
  timeoutMs: 1000,
};

/** A digest per user: sent 400 ms after their last notification, at most 2 s after the first. */
export const NOTIFICATIONS: DemoStream = {
  name: "notifications",
  strategy: "last",
  maxCount: 25,
  timeoutMs: 400,
  maxWaitMs: 2000,
};

export const STREAMS: readonly DemoStream[] = [ORDERS, NOTIFICATIONS];

/**
 * When a time close was due, by the demo's clock (the store's): tumbling windows end with their
 * period; a debounced window `timeoutMs` after its last element or `maxWaitMs` after it opened.
 * The last element's `at` is read just before its push, so this is at most the append latency
 * early: the lag computed from it is an upper bound.
 */
export function timeDeadline(stream: DemoStream, openedAt: number, lastAt: number): number {
  if (stream.strategy !== "last") return openedAt + stream.timeoutMs;
  return Math.min(lastAt + stream.timeoutMs, openedAt + (stream.maxWaitMs ?? Infinity));
}
