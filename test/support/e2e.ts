// The set-up every e2e file shares: the file's Redis, nodes started with common settings under a
// fresh key prefix, teardown in the right order, and the ledger checks most runs make.
import { DistributedTimeWindow, redisStore, type Window } from "@dtw/node";
import { afterAll, beforeAll, expect } from "vitest";
import { Cluster, type SpawnOptions } from "./cluster.js";
import { elementsOf, type LedgerEntry, type LedgerReport } from "./ledger.js";
import type { NodeConfig, StreamConfig } from "./protocol.js";
import { acquireRedis, type TestRedis } from "./redis-server.js";

/** Settings every node of a run shares; the run adds the Redis URL and the key prefix. */
export type SharedConfig = Omit<NodeConfig, "node" | "redisUrl" | "prefix">;

/** One node: its name, plus whatever it does differently from the shared settings. */
export type NodeSpec = { readonly node: string } & Partial<SharedConfig>;

/** Nodes started by {@link E2eFile.start}. */
export interface Run {
  readonly cluster: Cluster;
  readonly configs: readonly NodeConfig[];
  readonly prefix: string;
  /** Every element the nodes were configured to push, `"<node>:<i>"`. */
  readonly expected: string[];
  /** True once each of `streams` has had every expected element delivered. */
  allDelivered(...streams: StreamConfig[]): () => boolean;
  /**
   * A window in this process on `stream` under the run's prefix (the nodes' settings, autoTick
   * off), to inspect or replay what the nodes left; `close` closes it and its store.
   */
  observe(stream: StreamConfig, onWindow?: (window: Window<string>) => void): Observer;
}

export interface Observer {
  readonly window: DistributedTimeWindow<string>;
  close(): Promise<void>;
}

export interface E2eFile {
  /** The file's Redis (acquired in `beforeAll`). */
  readonly redis: TestRedis;
  /** Starts `nodes` (names or specs) with `shared` settings under a fresh key prefix. */
  start(
    nodes: ReadonlyArray<string | NodeSpec>,
    shared: SharedConfig,
    options?: SpawnOptions,
  ): Promise<Run>;
}

/**
 * Registers the hooks of one e2e test file: Redis before all tests; after them, every node
 * still running is killed, then `redis.onCleanup` teardowns run and the file's keys go.
 */
export function e2eFile(): E2eFile {
  let redis: TestRedis | undefined;
  const clusters: Cluster[] = [];
  beforeAll(async () => {
    redis = await acquireRedis({ label: "e2e" });
  });
  afterAll(async () => {
    for (const cluster of clusters.splice(0)) await cluster.destroy();
    await redis?.cleanup();
  });
  const file: E2eFile = {
    get redis() {
      if (!redis) throw new Error("e2eFile().redis is only there once beforeAll has run");
      return redis;
    },
    async start(nodes, shared, options) {
      const prefix = file.redis.prefix();
      const configs = nodes.map(
        (n): NodeConfig => ({
          ...shared,
          redisUrl: file.redis.url,
          prefix,
          ...(typeof n === "string" ? { node: n } : n),
        }),
      );
      const cluster = await Cluster.start(configs, options);
      clusters.push(cluster);
      // Listed on first use only: a node meant to be killed may be configured with millions.
      let expected: string[] | undefined;
      return {
        cluster,
        configs,
        prefix,
        get expected() {
          expected ??= configs.flatMap((c) => elementsOf(c.node, c.elements));
          return expected;
        },
        allDelivered(...streams) {
          const total = configs.reduce((n, c) => n + c.elements, 0);
          return () => streams.every((s) => cluster.deliveredElements.get(s.name) === total);
        },
        observe(stream, onWindow) {
          const store = redisStore(file.redis.url, { prefix });
          const window = new DistributedTimeWindow<string>({
            name: stream.name,
            strategy: stream.strategy,
            timeoutMs: stream.timeoutMs,
            maxCount: stream.maxCount,
            maxWaitMs: stream.maxWaitMs,
            store,
            autoTick: false,
            onWindow,
          });
          return {
            window,
            async close() {
              await window.close();
              await store.close?.();
            },
          };
        },
      };
    },
  };
  return file;
}

/** `<prefix>0` … `<prefix><count - 1>`: node names. */
export function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

/** The ledger lists that {@link expectNone} can check. */
export type Violation = keyof {
  [K in keyof LedgerReport as LedgerReport[K] extends readonly unknown[] ? K : never]: true;
};

/** What "exactly once" means for a run without crashes: no list of the ledger has an entry. */
export const EXACTLY_ONCE: readonly Violation[] = [
  "lost",
  "duplicated",
  "redeliveries",
  "overfull",
  "outOfOrder",
];

/** Expects each of `violations` in `report` to be empty; a failure names `label` and the list. */
export function expectNone<W extends LedgerEntry>(
  report: LedgerReport<W>,
  violations: readonly Violation[],
  label = "ledger",
): void {
  for (const v of violations) expect(report[v], `${label}: ${v}`).toEqual([]);
}
