import type { DemoOptions } from "./args.js";
import type { Cluster } from "./cluster.js";
import { type DemoOutput, LiveView, REDRAW_MS, SAMPLING } from "./live.js";
import { MemoryCluster } from "./memory-cluster.js";
import type { NodeReport } from "./node.js";
import { ProcessCluster, type ProcessClusterOptions } from "./process-cluster.js";
import { header, type Progress, summaryText } from "./render.js";
import { STREAMS } from "./streams.js";
import { Collector, type Summary } from "./summary.js";
import { nodeShares } from "./traffic.js";

export type { DemoOutput } from "./live.js";

export interface DemoResult {
  readonly ok: boolean;
  readonly summary: Summary;
}

/** Where the nodes run: in this process on a MemoryStore (default), or as processes on Redis. */
export type DemoMode =
  | { readonly kind: "memory" }
  | ({ readonly kind: "redis" } & ProcessClusterOptions);

/**
 * Runs the whole demo: the nodes replay their traffic, drain (everything still open is
 * delivered), and the summary checks that every element was delivered exactly once.
 */
export async function runDemo(
  options: DemoOptions,
  output: DemoOutput,
  mode: DemoMode = { kind: "memory" },
  signal?: AbortSignal,
): Promise<DemoResult> {
  const collector = new Collector(STREAMS);
  let live: LiveView | undefined;
  const report: NodeReport = {
    accepted: (stream, events) => collector.accepted(stream, events),
    rejected: (_stream, events) => collector.rejected(events),
    delivered: (window, node, at) => {
      const record = collector.delivered(window, node, at);
      live?.window(record);
    },
    error: (node, error) => {
      collector.error();
      output.write(`\nnode ${node}: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  };
  const cluster: Cluster =
    mode.kind === "memory"
      ? new MemoryCluster(options, report)
      : new ProcessCluster(options, report, mode);
  try {
    output.write(
      header(options, cluster.description, nodeShares(options.seed, options.nodes), SAMPLING),
    );
    await cluster.ready();
    // Every node replays its schedule relative to this instant.
    const startAt = Date.now();
    live = new LiveView(output, options.quiet, startAt);
    const endAt = startAt + options.durationS * 1000;
    await traffic(cluster, live, collector, { startAt, endAt, signal }, output);
    const summary = collector.finish(await cluster.stats());
    output.write(`\n${summaryText(summary)}`);
    return { ok: summary.ok, summary };
  } finally {
    await cluster.dispose();
  }
}

/** The run itself, with the progress line redrawn meanwhile. */
async function traffic(
  cluster: Cluster,
  live: LiveView,
  collector: Collector,
  { startAt, endAt, signal }: { startAt: number; endAt: number; signal?: AbortSignal },
  output: DemoOutput,
): Promise<void> {
  const progress = new ProgressSampler(startAt, collector, async () => {
    const stats = await cluster.stats();
    return [...stats.values()].reduce((n, s) => n + s.open, 0);
  });
  const redraw = setInterval(
    () => void progress.sample().then((p) => p && live.progress(p)),
    output.isTTY ? REDRAW_MS.tty : REDRAW_MS.plain,
  );
  try {
    await cluster.run(startAt, endAt, signal);
    if (signal?.aborted) {
      const at = ((Date.now() - startAt) / 1000).toFixed(1);
      output.write(`\ninterrupted: traffic stopped at ${at} s; draining (Ctrl-C again to quit)\n`);
    }
    await cluster.drain();
  } finally {
    clearInterval(redraw);
  }
  const last = await progress.sample(true);
  if (last) live.progress(last);
  live.end();
}

/** Figures for the progress line; windows/s over the last second or so. */
class ProgressSampler {
  readonly #history: Array<{ at: number; windows: number }>;
  #busy = false;

  constructor(
    readonly startAt: number,
    readonly collector: Collector,
    readonly openWindows: () => Promise<number>,
  ) {
    this.#history = [{ at: startAt, windows: 0 }];
  }

  /** `undefined` when a sample is still being taken (store stats are async). */
  async sample(force = false): Promise<Progress | undefined> {
    if (this.#busy && !force) return undefined;
    this.#busy = true;
    try {
      const open = await this.openWindows();
      const now = Date.now();
      const windows = this.collector.deliveredWindows;
      this.#history.push({ at: now, windows });
      // Keep the newest sample at least 1 s old as the base (plain output samples every 2 s).
      while ((this.#history[1]?.at ?? now) <= now - 1000) this.#history.shift();
      const oldest = this.#history[0] ?? { at: now, windows };
      const span = Math.max(now - oldest.at, 1);
      return {
        elapsedMs: now - this.startAt,
        pushed: this.collector.pushed,
        delivered: this.collector.deliveredElements,
        open,
        windowsPerS: span < 200 ? 0 : ((windows - oldest.windows) * 1000) / span,
      };
    } finally {
      this.#busy = false;
    }
  }
}
