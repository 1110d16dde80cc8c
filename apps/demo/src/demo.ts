import { MemoryStore, type StoreStats } from "@dtw/core";
import type { DemoOptions } from "./args.js";
import { type DemoOutput, LiveView, REDRAW_MS, SAMPLING } from "./live.js";
import { DemoNode, type NodeReport } from "./node.js";
import { header, type Progress, summaryText } from "./render.js";
import { STREAMS, type StreamName } from "./streams.js";
import { Collector, type Summary } from "./summary.js";
import { nodeSchedule, nodeShares } from "./traffic.js";

export type { DemoOutput } from "./live.js";

export interface DemoResult {
  readonly ok: boolean;
  readonly summary: Summary;
}

/**
 * Runs the whole demo in this process: `options.nodes` nodes share one MemoryStore, replay their
 * traffic, shut down (everything still open is delivered), and the summary checks exactly-once.
 */
export async function runDemo(options: DemoOptions, output: DemoOutput): Promise<DemoResult> {
  const clock = Date.now;
  const store = new MemoryStore({ clock });
  const collector = new Collector(STREAMS);
  // Every node replays its schedule relative to this instant; the first window opens after it.
  const startAt = clock();
  const live = new LiveView(output, options.quiet, startAt);
  const report: NodeReport = {
    accepted: (stream, events) => collector.accepted(stream, events),
    rejected: (_stream, events) => collector.rejected(events),
    delivered: (window, node, at) => live.window(collector.delivered(window, node, at)),
    error: (node, error) => {
      collector.error();
      output.write(`\nnode ${node}: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  };
  const nodes = Array.from(
    { length: options.nodes },
    (_, node) =>
      new DemoNode({ node, store, clock, report, schedule: nodeSchedule(options, node) }),
  );
  const observer = nodes[0] as DemoNode;
  output.write(header(options, nodeShares(options.seed, options.nodes), SAMPLING));

  const progress = new ProgressSampler(startAt, clock, collector, async () => {
    const stats = await Promise.all(Object.values(observer.windows).map((tw) => tw.stats()));
    return stats.reduce((n, s) => n + s.open, 0);
  });
  const redraw = setInterval(
    () => void progress.sample().then((p) => p && live.progress(p)),
    output.isTTY ? REDRAW_MS.tty : REDRAW_MS.plain,
  );
  try {
    await Promise.all(nodes.map((n) => n.run(startAt, startAt + options.durationS * 1000)));
    // Graceful end: the other nodes stop (their own deliveries finish), then one node closes
    // every window still open and delivers everything through onWindow.
    await Promise.all(nodes.filter((n) => n !== observer).map((n) => n.close()));
    await observer.shutdown();
  } finally {
    clearInterval(redraw);
  }
  const last = await progress.sample(true);
  if (last) live.progress(last);
  live.end();

  const leftover = new Map<StreamName, StoreStats>();
  for (const [name, tw] of Object.entries(observer.windows)) {
    leftover.set(name as StreamName, await tw.stats());
  }
  const summary = collector.finish(leftover);
  output.write(`\n${summaryText(summary)}`);
  return { ok: summary.ok, summary };
}

/** Figures for the progress line; windows/s over the last second or so. */
class ProgressSampler {
  readonly #history: Array<{ at: number; windows: number }>;
  #busy = false;

  constructor(
    readonly startAt: number,
    readonly clock: () => number,
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
      const now = this.clock();
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
