/**
 * The seed's storage primitives. Implement them on any storage (the SDK ships memory, Redis
 * and Upstash versions) and run the engine on them with the seed's constructor or
 * {@link PrimitiveStore}.
 */

/** An append-only list of one bucket's elements. */
export interface IAccumulator<T> {
  /** Appends, in order; resolves with the length after the append. */
  add(value: T | T[]): Promise<number>;
  /** Removes and returns up to `count` elements from the head (oldest first). */
  drain(count: number): Promise<T[]>;
  /** Removes and returns every element, oldest first. */
  flush(): Promise<T[]>;
}

/** A set of bucket identities ordered by a numeric sort id (their deadline). */
export interface IDistributedSortedSet<T> {
  /** Adds `key` with `sortId`; resolves `true` if it was not there. */
  add(key: T, sortId: number): Promise<boolean>;
  /**
   * Removes and returns the members whose sort id is lower than `sortId`. Each member must be
   * returned to one caller only, even when several call at once.
   */
  drain(sortId: number, operator: "lt"): Promise<T[]>;
  /** Removes and returns every member. */
  flush(): Promise<T[]>;
}
