import type { StoreStats, StreamSpec } from "@dtw/core";
import type { DemoStream, StreamName } from "./streams.js";

/**
 * The nodes of one run, wherever they live (in this process on a MemoryStore, or in child
 * processes on Redis). They report through the `NodeReport` given at construction.
 */
export interface Cluster {
  /** For the header, e.g. "4 nodes sharing one MemoryStore". */
  readonly description: string;
  /** Resolves once every node is up (processes forked, store connected). */
  ready(): Promise<void>;
  /**
   * Pushes every node's traffic between `startAt` and `endAt` (or until `signal` aborts);
   * resolves once all pushes were answered.
   */
  run(startAt: number, endAt: number, signal?: AbortSignal): Promise<void>;
  /** Ends the run: all nodes but one `close()`, then that one `shutdown()`s (delivers the rest). */
  drain(): Promise<void>;
  /** The store's state per stream. */
  stats(): Promise<Map<StreamName, StoreStats>>;
  /** Releases processes, connections and the run's keys. Safe to call after a failure. */
  dispose(): Promise<void>;
}

/** The `StreamSpec` a store method takes, as the engine would resolve the stream's options. */
export function specOf(stream: DemoStream): StreamSpec {
  return {
    name: stream.name,
    strategy: stream.strategy,
    maxCount: stream.maxCount,
    timeoutMs: stream.timeoutMs,
    maxWaitMs: stream.maxWaitMs ?? Number.POSITIVE_INFINITY,
  };
}
