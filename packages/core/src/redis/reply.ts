import type { CloseReason, StoredWindow } from "../store.js";

/**
 * Decoding of script replies. Clients differ (integers as numbers or as numeric strings), so
 * numbers are coerced; ids, keys and items must be strings, returned untouched (byte-exact). A
 * reply of the wrong shape throws a `TypeError` naming what was wrong; the store wraps it.
 */

export function list(reply: unknown): unknown[] {
  if (!Array.isArray(reply)) throw new TypeError(`expected an array reply, got ${typeof reply}`);
  return reply;
}

export function int(value: unknown): number {
  const n = typeof value === "string" && value !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) {
    throw new TypeError(`expected an integer reply, got ${typeof value} ${String(value)}`);
  }
  return n;
}

export function text(value: unknown, what: string): string {
  if (typeof value !== "string") {
    // e.g. a REST client that JSON-parses replies turns the item "42" into the number 42.
    throw new TypeError(
      `expected ${what} as a string, got ${typeof value} (turn off reply deserialization in the client)`,
    );
  }
  return value;
}

const REASONS: readonly string[] = ["count", "time", "flush"] satisfies CloseReason[];

/** Windows encoded as `id, key, openedAt, closedAt, reason, attempt, n, item1..itemN`, from `from` on. */
export function windows(reply: unknown[], from = 0): StoredWindow[] {
  const out: StoredWindow[] = [];
  let i = from;
  while (i < reply.length) {
    const n = int(reply[i + 6]);
    const reason = text(reply[i + 4], "reason");
    if (!REASONS.includes(reason)) throw new TypeError(`unknown close reason ${reason}`);
    if (i + 7 + n > reply.length) throw new TypeError("truncated window in reply");
    out.push({
      id: text(reply[i], "window id"),
      key: text(reply[i + 1], "key"),
      openedAt: int(reply[i + 2]),
      closedAt: int(reply[i + 3]),
      reason: reason as CloseReason,
      attempt: int(reply[i + 5]),
      items: reply.slice(i + 7, i + 7 + n).map((item) => text(item, "item")),
    });
    i += 7 + n;
  }
  return out;
}
