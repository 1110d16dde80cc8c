import type { DemoOptions } from "./args.js";
import type { DeliveredWindow, Summary } from "./summary.js";

const STREAM_WIDTH = 13;

/** e.g. `  2.41s  orders        key=-        50 count  lag    1ms  node 2` */
export function windowLine(w: DeliveredWindow, startAt: number): string {
  const key = `key=${w.key === "" ? "-" : w.key}`;
  const elapsed = `${((w.deliveredAt - startAt) / 1000).toFixed(2)}s`.padStart(7);
  return `${elapsed}  ${w.stream.padEnd(STREAM_WIDTH)} ${key.padEnd(8)} ${String(w.size).padStart(4)} ${w.reason.padEnd(5)}  lag ${`${w.lagMs}ms`.padStart(6)}  node ${w.node}`;
}

export interface Progress {
  readonly elapsedMs: number;
  readonly pushed: number;
  readonly delivered: number;
  readonly open: number;
  readonly windowsPerS: number;
}

export function progressLine(p: Progress): string {
  return `${(p.elapsedMs / 1000).toFixed(1).padStart(5)}s  pushed ${p.pushed}  delivered ${p.delivered}  open windows ${p.open}  windows/s ${p.windowsPerS.toFixed(0)}`;
}

export function header(
  options: DemoOptions,
  where: string,
  shares: readonly number[],
  sampling: string,
): string {
  const rates = shares.map((s, i) => `n${i} ${Math.round(s * options.rate)}/s`).join(", ");
  return [
    `distributed-time-window demo: ${where}, ${options.durationS} s of bursty traffic at ~${options.rate} events/s (seed ${options.seed})`,
    "  orders         tumbling, maxCount 50, timeout 1 s, one key",
    "  notifications  debounce per user (last), timeout 400 ms, maxWait 2 s, maxCount 25",
    `  average node rates: ${rates}`,
    options.quiet ? "  --quiet: no per-window lines" : `  windows: ${sampling}`,
    "",
  ].join("\n");
}

/** The closing table and the ✔/✘ checks. */
export function summaryText(summary: Summary): string {
  const cols = [
    ["stream", STREAM_WIDTH],
    ["in", 7],
    ["out", 7],
    ["windows", 8],
    ["count", 6],
    ["time", 6],
    ["flush", 6],
    ["max size", 9],
    ["lag p50", 8],
    ["lag p99", 8],
    ["lag max", 8],
    ["dup", 4],
  ] as const;
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(cols[0][1]) : c.padStart(cols[i]?.[1] ?? 0))).join(" ");
  const lines = [row(cols.map(([name]) => name))];
  for (const s of summary.streams) {
    lines.push(
      row([
        s.stream,
        String(s.in),
        String(s.out),
        String(s.windows),
        String(s.byReason.count),
        String(s.byReason.time),
        String(s.byReason.flush),
        `${s.maxSize}/${s.maxCount}`,
        `${s.lagP50}ms`,
        `${s.lagP99}ms`,
        `${s.lagMax}ms`,
        String(s.duplicates),
      ]),
    );
  }
  lines.push(
    "lag = delivery time - due time (time closes: period end or debounce deadline;",
    "      count and flush closes: closedAt)",
    "",
  );
  for (const c of summary.checks) lines.push(`${c.ok ? "✔" : "✘"} ${c.text}`);
  const pushed = summary.streams.reduce((n, s) => n + s.in, 0);
  const windows = summary.streams.reduce((n, s) => n + s.windows, 0);
  const failed = summary.checks.filter((c) => !c.ok).length;
  lines.push(
    summary.ok
      ? `PASS: ${pushed} elements in, ${pushed} out, exactly once, in ${windows} windows; ${summary.checks.length}/${summary.checks.length} checks hold`
      : `FAIL: ${failed} of ${summary.checks.length} checks failed`,
  );
  return `${lines.join("\n")}\n`;
}
