import { DistributedTimeWindow, type Window, type WindowStore } from "@dtw/core";
import {
  type DemoEvent,
  type DemoStream,
  NOTIFICATIONS,
  ORDERS,
  type StreamName,
} from "./streams.js";
import type { ScheduledPush } from "./traffic.js";

/** What a node tells the run about; in-process it feeds the summary directly. */
export interface NodeReport {
  /** The store accepted these events (their push resolved). */
  accepted(stream: StreamName, events: readonly DemoEvent[]): void;
  /** A push rejected: nothing of it was accepted. */
  rejected(stream: StreamName, events: readonly DemoEvent[], error: unknown): void;
  /** This node's `onWindow` received a window, at `deliveredAt` by the store's clock. */
  delivered(window: Window<DemoEvent>, node: number, deliveredAt: number): void;
  /** Background errors of the engine (autoTick, deliveries) that no caller could catch. */
  error(node: number, error: unknown): void;
}

export interface NodeOptions {
  readonly node: number;
  readonly store: WindowStore;
  /** This node's pushes, in time order. */
  readonly schedule: readonly ScheduledPush[];
  /** The store's clock (Date.now for a MemoryStore built without one). */
  readonly clock: () => number;
  readonly report: NodeReport;
}

/** How often a node wakes up to push what is due: coarse enough to batch, fine enough for lag. */
const LOOP_MS = 4;

/**
 * One simulated node: its own `DistributedTimeWindow` per stream (and its own `onWindow`) on the
 * shared store, replaying its schedule in real time.
 */
export class DemoNode {
  readonly windows: Record<StreamName, DistributedTimeWindow<DemoEvent>>;
  readonly #options: NodeOptions;
  #seq = 0;

  constructor(options: NodeOptions) {
    this.#options = options;
    const { node, store, clock, report } = options;
    const make = (stream: DemoStream) =>
      new DistributedTimeWindow<DemoEvent>({
        name: stream.name,
        store,
        strategy: stream.strategy,
        maxCount: stream.maxCount,
        timeoutMs: stream.timeoutMs,
        maxWaitMs: stream.maxWaitMs,
        onWindow: (w) => report.delivered(w, node, clock()),
        onError: (error) => report.error(node, error),
      });
    this.windows = { orders: make(ORDERS), notifications: make(NOTIFICATIONS) };
  }

  /**
   * Pushes the schedule from `startAt` on, until `endAt` (a quiet node stays up to the end, like
   * a server) or until `signal` aborts; resolves once every push has been answered.
   */
  async run(startAt: number, endAt: number, signal?: AbortSignal): Promise<void> {
    const { schedule, clock } = this.#options;
    const pending: Promise<void>[] = [];
    let next = 0;
    while (!signal?.aborted && (next < schedule.length || clock() < endAt)) {
      const elapsed = clock() - startAt;
      while (next < schedule.length && (schedule[next] as ScheduledPush).offsetMs <= elapsed) {
        pending.push(this.#push(schedule[next] as ScheduledPush));
        next++;
      }
      if (next < schedule.length || clock() < endAt) await sleep(LOOP_MS);
    }
    await Promise.all(pending);
  }

  /** Stops this node's timers; open windows stay in the store for the other nodes. */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.windows).map((tw) => tw.close()));
  }

  /** Closes every open window of both streams and delivers them through `onWindow`. */
  async shutdown(): Promise<void> {
    await Promise.all(Object.values(this.windows).map((tw) => tw.shutdown()));
  }

  #push(push: ScheduledPush): Promise<void> {
    const { node, clock, report } = this.#options;
    const seq = ++this.#seq;
    const event: DemoEvent = {
      id: `n${node}-${seq}`,
      node,
      seq,
      at: clock(),
      payload: push.payload,
    };
    return this.windows[push.stream].push(event, { key: push.key }).then(
      () => report.accepted(push.stream, [event]),
      (error: unknown) => report.rejected(push.stream, [event], error),
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
