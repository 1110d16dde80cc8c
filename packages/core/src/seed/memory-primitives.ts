import type { IAccumulator, IDistributedSortedSet } from "./primitives.js";

/** In-process {@link IAccumulator}: a plain array. */
export class MemoryAccumulator<T> implements IAccumulator<T> {
  #items: T[] = [];

  async add(value: T | T[]): Promise<number> {
    if (Array.isArray(value)) this.#items.push(...value);
    else this.#items.push(value);
    return this.#items.length;
  }

  async drain(count: number): Promise<T[]> {
    return this.#items.splice(0, count);
  }

  async flush(): Promise<T[]> {
    return this.#items.splice(0);
  }
}

/** In-process {@link IDistributedSortedSet}. */
export class MemorySortedSet<T> implements IDistributedSortedSet<T> {
  readonly #scores = new Map<T, number>();

  async add(key: T, sortId: number): Promise<boolean> {
    const inserted = !this.#scores.has(key);
    this.#scores.set(key, sortId);
    return inserted;
  }

  async drain(sortId: number, operator: "lt"): Promise<T[]> {
    if (operator !== "lt")
      throw new RangeError(`Unsupported operator ${String(operator)}: only "lt"`);
    const due = [...this.#scores].filter(([, score]) => score < sortId).sort((a, b) => a[1] - b[1]);
    for (const [key] of due) this.#scores.delete(key);
    return due.map(([key]) => key);
  }

  async flush(): Promise<T[]> {
    const all = [...this.#scores].sort((a, b) => a[1] - b[1]).map(([key]) => key);
    this.#scores.clear();
    return all;
  }
}

/**
 * A resolver for the seed's constructor that keeps one {@link MemoryAccumulator} per bucket
 * identity and forgets it once flushed.
 */
export function memoryAccumulatorResolver<T>(): (identity: string) => IAccumulator<T> {
  const accumulators = new Map<string, MemoryAccumulator<T>>();
  return (identity) => {
    let accumulator = accumulators.get(identity);
    if (!accumulator) {
      accumulator = new MemoryAccumulator<T>();
      accumulators.set(identity, accumulator);
    }
    return accumulator;
  };
}
