import { seededRandom } from "./rng.js";
import type { NotificationPayload, OrderPayload, StreamName } from "./streams.js";

/** One push a node will make, `offsetMs` after the start. */
export interface ScheduledPush {
  readonly offsetMs: number;
  readonly stream: StreamName;
  /** `""` for orders (one window family); a user id for notifications. */
  readonly key: string;
  readonly payload: OrderPayload | NotificationPayload;
}

export interface TrafficOptions {
  readonly seed: number;
  readonly nodes: number;
  /** Average total events per second over all nodes. */
  readonly rate: number;
  readonly durationS: number;
}

/** A stretch of time during which a node pushes at `multiplier` times its base rate. */
interface Phase {
  readonly start: number;
  readonly end: number;
  readonly multiplier: number;
}

const ORDER_SHARE = 0.7;
const USERS = 40;
const KINDS: NotificationPayload["kind"][] = ["like", "comment", "follow", "mention"];

/**
 * Each node's share of the total rate: nodes differ (like servers behind an uneven balancer).
 * Same seed and node count, same shares.
 */
export function nodeShares(seed: number, nodes: number): number[] {
  const random = seededRandom(seed);
  const weights = Array.from({ length: nodes }, () => 0.4 + random() * 1.6);
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/**
 * The pushes of one node, in time order: a Poisson process whose rate changes from phase to
 * phase (bursts at 3-5x, quiet spells at 0.05-0.2x, normal stretches around 1x), scaled so the
 * node sends its share of `rate * durationS` events on average. Deterministic in (seed, node).
 */
export function nodeSchedule(options: TrafficOptions, node: number): ScheduledPush[] {
  const share = nodeShares(options.seed, options.nodes)[node] ?? 0;
  const random = seededRandom(options.seed * 7919 + node * 104_729 + 1);
  const durationMs = options.durationS * 1000;
  const phases = makePhases(random, durationMs);
  const area = phases.reduce((sum, p) => sum + (p.end - p.start) * p.multiplier, 0);
  const eventsPerMs = (options.rate * share * durationMs) / 1000 / area;
  const pushes: ScheduledPush[] = [];
  for (const phase of phases) {
    const lambda = eventsPerMs * phase.multiplier;
    // Exponential gaps; memoryless, so restarting at each phase boundary is exact.
    let t = phase.start - Math.log(1 - random()) / lambda;
    while (t < phase.end) {
      pushes.push(makePush(random, t));
      t -= Math.log(1 - random()) / lambda;
    }
  }
  return pushes;
}

function makePhases(random: () => number, durationMs: number): Phase[] {
  const phases: Phase[] = [];
  let start = 0;
  while (start < durationMs) {
    const end = Math.min(durationMs, start + 300 + random() * 1200);
    const roll = random();
    const multiplier =
      roll < 0.25 ? 3 + random() * 2 : roll < 0.5 ? 0.05 + random() * 0.15 : 0.7 + random() * 0.6;
    phases.push({ start, end, multiplier });
    start = end;
  }
  return phases;
}

function makePush(random: () => number, offsetMs: number): ScheduledPush {
  if (random() < ORDER_SHARE) {
    return {
      offsetMs,
      stream: "orders",
      key: "",
      payload: {
        sku: `SKU-${1 + Math.floor(random() * 40)}`,
        qty: 1 + Math.floor(random() * 4),
        cents: 199 + Math.floor(random() * 19_800),
      },
    };
  }
  // Squaring skews towards low ids: a few chatty users (their digests hit maxWait or maxCount),
  // many quiet ones (their digests close on the debounce timeout).
  const user = Math.floor(random() ** 2 * USERS);
  return {
    offsetMs,
    stream: "notifications",
    key: `u${String(user).padStart(2, "0")}`,
    payload: { kind: KINDS[Math.floor(random() * KINDS.length)] as NotificationPayload["kind"] },
  };
}
