import type { CloseReason } from "./store.js";

/** A closed window, as handed to `onWindow`. */
export interface Window<T> {
  /** Stable id: the same on every redelivery, so downstream consumers can deduplicate. */
  readonly id: string;
  readonly stream: string;
  /** The push `key` this window belongs to (`""` when pushes gave none). */
  readonly key: string;
  /** In acceptance order. */
  readonly elements: T[];
  /** Epoch ms by the store's clock (`tumbling`: the period start). */
  readonly openedAt: number;
  /** Epoch ms by the store's clock. */
  readonly closedAt: number;
  readonly reason: CloseReason;
  /** 1 on the first delivery, +1 on each redelivery. */
  readonly attempt: number;
}
