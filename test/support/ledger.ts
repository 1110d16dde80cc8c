import { type DeliveredWindow, parseElement } from "./protocol.js";

/** The parts of a delivery the ledger looks at. */
export type LedgerEntry = Pick<
  DeliveredWindow,
  "node" | "stream" | "id" | "key" | "elements" | "attempt"
>;

/** What the deliveries of one stream add up to. Lists are capped so failures stay readable. */
export interface LedgerReport<W extends LedgerEntry = DeliveredWindow> {
  /** Distinct window ids delivered. */
  readonly windows: number;
  /** Distinct elements delivered. */
  readonly elements: number;
  /** Deliveries of a window id after its first one (redeliveries). */
  readonly redeliveries: W[];
  /** Window ids delivered twice with different contents. */
  readonly changedOnRedelivery: string[];
  /** Elements found in two different windows. */
  readonly duplicated: string[];
  /** Windows holding more than `maxCount` elements. */
  readonly overfull: string[];
  /** Windows where one producer's elements are not in push order. */
  readonly outOfOrder: string[];
  /** Expected elements never delivered (`lostCount` of them; `lost` lists the first ones). */
  readonly lost: string[];
  readonly lostCount: number;
  /** Delivered elements nobody pushed. */
  readonly unexpected: string[];
}

const CAP = 20;

/**
 * Checks the invariants over every delivery of `stream`: each element in exactly one window
 * id, a redelivered id carries the same elements, no window over `maxCount`, each producer's
 * elements in push (index) order inside a window, and — with `expected` — nothing lost.
 */
export function analyze<W extends LedgerEntry>(
  deliveries: readonly W[],
  stream: string,
  options: {
    maxCount?: number;
    expected?: Iterable<string>;
    /** Could this element have been pushed at all? (Catches elements nobody pushed.) */
    pushed?: (element: string) => boolean;
  } = {},
): LedgerReport<W> {
  const byId = new Map<string, W>();
  const redeliveries: W[] = [];
  const changed: string[] = [];
  for (const d of deliveries) {
    if (d.stream !== stream) continue;
    const first = byId.get(d.id);
    if (!first) byId.set(d.id, d);
    else {
      redeliveries.push(d);
      if (first.key !== d.key || first.elements.join("\n") !== d.elements.join("\n"))
        changed.push(d.id);
    }
  }
  const windowOf = new Map<string, string>();
  const duplicated: string[] = [];
  const overfull: string[] = [];
  const outOfOrder: string[] = [];
  for (const w of byId.values()) {
    if (options.maxCount !== undefined && w.elements.length > options.maxCount)
      overfull.push(`${w.id} (${w.elements.length})`);
    const lastIndex = new Map<string, number>();
    let ordered = true;
    for (const element of w.elements) {
      const seen = windowOf.get(element);
      if (seen !== undefined) duplicated.push(`${element} in ${seen} and ${w.id}`);
      else windowOf.set(element, w.id);
      const { node, index } = parseElement(element);
      if ((lastIndex.get(node) ?? -1) >= index) ordered = false;
      lastIndex.set(node, index);
    }
    if (!ordered) outOfOrder.push(w.id);
  }
  const lost: string[] = [];
  for (const element of options.expected ?? []) if (!windowOf.has(element)) lost.push(element);
  const unexpected: string[] = [];
  if (options.pushed) {
    for (const element of windowOf.keys()) if (!options.pushed(element)) unexpected.push(element);
  }
  return {
    windows: byId.size,
    elements: windowOf.size,
    redeliveries,
    changedOnRedelivery: changed.slice(0, CAP),
    duplicated: duplicated.slice(0, CAP),
    overfull: overfull.slice(0, CAP),
    outOfOrder: outOfOrder.slice(0, CAP),
    lost: lost.slice(0, CAP),
    lostCount: lost.length,
    unexpected: unexpected.slice(0, CAP),
  };
}

/** `"<node>:<i>"` for i in [0, count). */
export function elementsOf(node: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${node}:${i}`);
}
