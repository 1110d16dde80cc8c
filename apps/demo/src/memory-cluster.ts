import { MemoryStore, type StoreStats } from "@dtw/core";
import type { DemoOptions } from "./args.js";
import { type Cluster, specOf } from "./cluster.js";
import { DemoNode, type NodeReport } from "./node.js";
import { STREAMS, type StreamName } from "./streams.js";
import { nodeSchedule } from "./traffic.js";

/** Nodes as `DistributedTimeWindow` instances in this process, sharing ONE MemoryStore. */
export class MemoryCluster implements Cluster {
  readonly description: string;
  readonly #store = new MemoryStore({ clock: Date.now });
  readonly #nodes: DemoNode[];

  constructor(options: DemoOptions, report: NodeReport) {
    this.description = `${options.nodes} nodes sharing one MemoryStore`;
    this.#nodes = Array.from(
      { length: options.nodes },
      (_, node) =>
        new DemoNode({
          node,
          store: this.#store,
          clock: Date.now,
          report,
          schedule: nodeSchedule(options, node),
        }),
    );
  }

  async ready(): Promise<void> {}

  async run(startAt: number, endAt: number, signal?: AbortSignal): Promise<void> {
    await Promise.all(this.#nodes.map((n) => n.run(startAt, endAt, signal)));
  }

  async drain(): Promise<void> {
    const [first, ...others] = this.#nodes;
    // The others stop first (their own deliveries finish), so nothing pushes after the shutdown.
    await Promise.all(others.map((n) => n.close()));
    await first?.shutdown();
  }

  async stats(): Promise<Map<StreamName, StoreStats>> {
    const entries = await Promise.all(
      STREAMS.map(async (s) => [s.name, await this.#store.stats(specOf(s))] as const),
    );
    return new Map(entries);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#nodes.map((n) => n.close()));
  }
}
