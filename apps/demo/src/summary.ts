import type { CloseReason, StoreStats, Window } from "@dtw/core";
import { type DemoEvent, type DemoStream, type StreamName, timeDeadline } from "./streams.js";

/** One delivered window as the summary keeps it (elements reduced to what the checks need). */
export interface DeliveredWindow {
  readonly stream: StreamName;
  readonly key: string;
  readonly size: number;
  readonly reason: CloseReason;
  /** Delivery time minus the moment the window was due to close, store clock, ms. */
  readonly lagMs: number;
  readonly node: number;
  /** Store clock when `onWindow` received it. */
  readonly deliveredAt: number;
}

export interface StreamSummary {
  readonly stream: StreamName;
  readonly in: number;
  readonly out: number;
  readonly windows: number;
  readonly byReason: Record<CloseReason, number>;
  readonly lagP50: number;
  readonly lagP99: number;
  readonly lagMax: number;
  /** Element deliveries beyond the first (an element in two windows, or a window twice). */
  readonly duplicates: number;
  /** Accepted but never delivered. */
  readonly missing: number;
  /** Delivered but never accepted (a push that rejected yet landed). */
  readonly unexpected: number;
  readonly maxSize: number;
  readonly maxCount: number;
  /** Places where a node's elements of one key came out of push order. */
  readonly orderViolations: number;
  /** Time closes delivered with `closedAt` before their deadline. */
  readonly earlyCloses: number;
  readonly leftover: StoreStats;
}

export interface Check {
  readonly ok: boolean;
  readonly text: string;
}

export interface Summary {
  readonly streams: readonly StreamSummary[];
  readonly checks: readonly Check[];
  readonly ok: boolean;
  readonly pushErrors: number;
  readonly engineErrors: number;
}

interface StreamState {
  readonly spec: DemoStream;
  readonly accepted: Set<string>;
  readonly delivered: Set<string>;
  readonly windows: DeliveredWindow[];
  /** Per `key`+node: the [first, last] seq of that node's elements in each window. */
  readonly ranges: Map<string, Array<[number, number]>>;
  duplicates: number;
  orderViolations: number;
  earlyCloses: number;
}

/**
 * Collects what nodes report (accepted pushes, delivered windows) and checks exactly-once delivery.
 * It only sees reports, never the store, so it works the same for nodes in other processes.
 */
export class Collector {
  readonly #streams = new Map<StreamName, StreamState>();
  pushed = 0;
  pushErrors = 0;
  engineErrors = 0;
  deliveredElements = 0;
  deliveredWindows = 0;

  constructor(streams: readonly DemoStream[]) {
    for (const spec of streams) {
      this.#streams.set(spec.name, {
        spec,
        accepted: new Set(),
        delivered: new Set(),
        windows: [],
        ranges: new Map(),
        duplicates: 0,
        orderViolations: 0,
        earlyCloses: 0,
      });
    }
  }

  accepted(stream: StreamName, events: readonly DemoEvent[]): void {
    const state = this.#state(stream);
    for (const e of events) state.accepted.add(e.id);
    this.pushed += events.length;
  }

  rejected(events: readonly DemoEvent[]): void {
    this.pushErrors += events.length;
  }

  error(): void {
    this.engineErrors++;
  }

  /** Records a window handed to `onWindow`; returns what the live view prints. */
  delivered(window: Window<DemoEvent>, node: number, deliveredAt: number): DeliveredWindow {
    const state = this.#state(window.stream as StreamName);
    const lastAt = Math.max(...window.elements.map((e) => e.at));
    let dueAt = window.closedAt;
    if (window.reason === "time") {
      dueAt = timeDeadline(state.spec, window.openedAt, lastAt);
      if (window.closedAt < dueAt) state.earlyCloses++;
    }
    const byNode = new Map<number, number[]>();
    for (const e of window.elements) {
      if (state.delivered.has(e.id)) state.duplicates++;
      else state.delivered.add(e.id);
      const seqs = byNode.get(e.node) ?? [];
      seqs.push(e.seq);
      byNode.set(e.node, seqs);
    }
    for (const [origin, seqs] of byNode) {
      for (let i = 1; i < seqs.length; i++) {
        if ((seqs[i] as number) <= (seqs[i - 1] as number)) state.orderViolations++;
      }
      const rangeKey = `${window.key}\u0000${origin}`;
      const ranges = state.ranges.get(rangeKey) ?? [];
      ranges.push([Math.min(...seqs), Math.max(...seqs)]);
      state.ranges.set(rangeKey, ranges);
    }
    const record: DeliveredWindow = {
      stream: window.stream as StreamName,
      key: window.key,
      size: window.elements.length,
      reason: window.reason,
      lagMs: deliveredAt - dueAt,
      node,
      deliveredAt,
    };
    state.windows.push(record);
    this.deliveredElements += window.elements.length;
    this.deliveredWindows++;
    return record;
  }

  /** Final figures and checks; `leftover` is each stream's store state after the shutdown. */
  finish(leftover: ReadonlyMap<StreamName, StoreStats>): Summary {
    const streams = [...this.#streams.values()].map((state) =>
      summarize(state, leftover.get(state.spec.name)),
    );
    const checks = makeChecks(streams, this.pushErrors, this.engineErrors);
    return {
      streams,
      checks,
      ok: checks.every((c) => c.ok),
      pushErrors: this.pushErrors,
      engineErrors: this.engineErrors,
    };
  }

  #state(stream: StreamName): StreamState {
    const state = this.#streams.get(stream);
    if (!state) throw new Error(`unknown stream "${stream}"`);
    return state;
  }
}

const EMPTY: StoreStats = { open: 0, pendingElements: 0, ready: 0, inFlight: 0, dead: 0 };

function summarize(state: StreamState, leftover: StoreStats = EMPTY): StreamSummary {
  let missing = 0;
  for (const id of state.accepted) if (!state.delivered.has(id)) missing++;
  let unexpected = 0;
  for (const id of state.delivered) if (!state.accepted.has(id)) unexpected++;
  // One open window per key at a time: a node's elements must not interleave across windows.
  let orderViolations = state.orderViolations;
  for (const ranges of state.ranges.values()) {
    ranges.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++) {
      if ((ranges[i] as [number, number])[0] <= (ranges[i - 1] as [number, number])[1]) {
        orderViolations++;
      }
    }
  }
  const lags = state.windows.map((w) => w.lagMs).sort((a, b) => a - b);
  const byReason: Record<CloseReason, number> = { count: 0, time: 0, flush: 0 };
  for (const w of state.windows) byReason[w.reason]++;
  return {
    stream: state.spec.name,
    in: state.accepted.size,
    out: state.delivered.size + state.duplicates,
    windows: state.windows.length,
    byReason,
    lagP50: percentile(lags, 0.5),
    lagP99: percentile(lags, 0.99),
    lagMax: lags.at(-1) ?? 0,
    duplicates: state.duplicates,
    missing,
    unexpected,
    maxSize: state.windows.reduce((max, w) => Math.max(max, w.size), 0),
    maxCount: state.spec.maxCount,
    orderViolations,
    earlyCloses: state.earlyCloses,
    leftover,
  };
}

/** Nearest-rank percentile of sorted values (0 when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}

function makeChecks(streams: readonly StreamSummary[], pushErrors: number, engineErrors: number) {
  const all = (f: (s: StreamSummary) => boolean) => streams.every(f);
  const each = (f: (s: StreamSummary) => string) => streams.map(f).join(", ");
  const left = streams.reduce(
    (sum, s) => ({
      open: sum.open + s.leftover.open,
      ready: sum.ready + s.leftover.ready,
      inFlight: sum.inFlight + s.leftover.inFlight,
      dead: sum.dead + s.leftover.dead,
    }),
    { open: 0, ready: 0, inFlight: 0, dead: 0 },
  );
  const checks: Check[] = [
    {
      ok: all((s) => s.in === s.out && s.missing === 0 && s.unexpected === 0),
      text: `elements in = elements out (${each((s) => `${s.stream} ${s.in} = ${s.out}${s.missing ? `, ${s.missing} missing` : ""}${s.unexpected ? `, ${s.unexpected} never accepted` : ""}`)})`,
    },
    {
      ok: all((s) => s.duplicates === 0),
      text: `duplicates: ${each((s) => `${s.stream} ${s.duplicates}`)}`,
    },
    {
      ok: all((s) => s.maxSize <= s.maxCount),
      text: `max window size <= maxCount (${each((s) => `${s.stream} ${s.maxSize}/${s.maxCount}`)})`,
    },
    {
      ok: all((s) => s.orderViolations === 0),
      text: `order kept per key and node (${each((s) => `${s.stream} ${s.orderViolations} out of order`)})`,
    },
    {
      ok: all((s) => s.earlyCloses === 0),
      text: `no time close before its deadline (${each((s) => `${s.stream} ${s.earlyCloses} early`)})`,
    },
    {
      ok: pushErrors === 0 && engineErrors === 0,
      text: `no errors (${pushErrors} push errors, ${engineErrors} engine errors)`,
    },
    {
      ok: left.open + left.ready + left.inFlight + left.dead === 0,
      text: `store drained (${left.open} open, ${left.ready} ready, ${left.inFlight} in flight, ${left.dead} dead)`,
    },
  ];
  return checks;
}
