import { APPROACH_LABEL, type Approach, type Target } from "./cases.js";
import { percentile } from "./measure.js";
import type { Slice } from "./slice.js";

export interface CaseResult {
  readonly target: Target;
  readonly approach: Approach;
  readonly inFlight: number;
  /** Pushes completed in the timed part. */
  readonly pushes: number;
  readonly seconds: number;
  /** Median over the rounds. */
  readonly pushesPerSecond: number;
  /** Each round's pushes/s, in order. */
  readonly roundsPerSecond: number[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * Commands the client sent to Redis per push (round trips when not pipelined): script calls
   * for the SDK's stores, every command for the script-free baselines.
   */
  readonly commandsPerPush: number;
  /**
   * SDK cases: store `append` calls per push, i.e. the round trips a push waits for (the rest of
   * `commandsPerPush` is delivery: claim/ack/ticks, off the push path).
   */
  readonly appendsPerPush: number | undefined;
  /** Commands Redis executed per push, counting those run inside scripts. */
  readonly executedPerPush: number;
  /** Upstash only: HTTP requests per push that reached the gateway. */
  readonly httpRequestsPerPush: number | undefined;
  readonly byCommand: Record<string, number>;
  readonly problem: string | undefined;
}

/** One case's rounds summed up: counts added, latencies pooled, throughput = median round. */
export function aggregate(
  target: Target,
  approach: Approach,
  inFlight: number,
  slices: readonly Slice[],
): CaseResult {
  const sum = (f: (s: Slice) => number) => slices.reduce((n, s) => n + f(s), 0);
  const pushes = sum((s) => s.operations);
  const rates = slices.map((s) => s.operations / s.seconds);
  const latencies = new Float64Array(pushes);
  let at = 0;
  for (const s of slices) {
    latencies.set(s.latenciesMs, at);
    at += s.latenciesMs.length;
  }
  latencies.sort();
  const byCommand: Record<string, number> = {};
  for (const s of slices)
    for (const [name, calls] of Object.entries(s.commands.byCommand))
      byCommand[name] = (byCommand[name] ?? 0) + calls;
  const appends = slices.every((s) => s.appends !== undefined) ? sum((s) => s.appends ?? 0) : NaN;
  const http = slices.every((s) => s.httpRequests !== undefined)
    ? sum((s) => s.httpRequests ?? 0)
    : NaN;
  const problems = slices.flatMap((s) => (s.problem ? [s.problem] : []));
  return {
    target,
    approach,
    inFlight,
    pushes,
    seconds: sum((s) => s.seconds),
    pushesPerSecond: median(rates),
    roundsPerSecond: rates.map(Math.round),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    commandsPerPush: sum((s) => s.sent) / pushes,
    executedPerPush: sum((s) => s.commands.executed) / pushes,
    appendsPerPush: Number.isNaN(appends) ? undefined : appends / pushes,
    httpRequestsPerPush: Number.isNaN(http) ? undefined : http / pushes,
    byCommand,
    problem: problems.length > 0 ? problems.join("; ") : undefined,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Throughput of `r` over raw RPUSH with the same store and pushes in flight. */
export function ratioToRaw(results: readonly CaseResult[], r: CaseResult): number | undefined {
  const raw = results.find(
    (o) => o.target === r.target && o.inFlight === r.inFlight && o.approach === "raw",
  );
  return raw ? r.pushesPerSecond / raw.pushesPerSecond : undefined;
}

const COLUMNS = [
  "store",
  "approach",
  "in flight",
  "pushes/s",
  "rounds min-max",
  "vs raw",
  "cmds/push",
  "on push path",
  "executed/push",
  "http/push",
  "p50 ms",
  "p99 ms",
];

export const LEGEND = `cmds/push: commands the client sent per push, from INFO commandstats deltas (the
  SDK's stores send only EVALSHA/EVAL, so their script calls; baselines: every command); for the
  SDK it includes delivery (claim, ack, timer ticks). on push path: the SDK's store.append calls
  per push, the round trips a push waits for. executed/push: every command Redis ran per push,
  including those inside scripts. http/push: requests reaching the gateway per push.
  pushes/s: median of the rounds (interleaved with the other approaches). vs raw: that over
  raw RPUSH's median with the same store and pushes in flight.`;

export function table(results: readonly CaseResult[]): string {
  const rows = results.map((r) => [
    r.target === "tcp" ? "redis (tcp)" : "upstash (gateway)",
    APPROACH_LABEL[r.approach],
    String(r.inFlight),
    Math.round(r.pushesPerSecond).toLocaleString("en-US"),
    `${thousands(Math.min(...r.roundsPerSecond))}-${thousands(Math.max(...r.roundsPerSecond))}`,
    r.approach === "raw" ? "1" : (ratioToRaw(results, r)?.toFixed(2) ?? "-"),
    r.commandsPerPush.toFixed(3),
    (r.appendsPerPush ?? r.commandsPerPush).toFixed(3),
    r.executedPerPush.toFixed(2),
    r.httpRequestsPerPush === undefined ? "-" : r.httpRequestsPerPush.toFixed(3),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
  ]);
  const widths = COLUMNS.map((c, i) =>
    Math.max(c.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ");
  return [line(COLUMNS), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** 12345 -> "12.3k" */
function thousands(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

export interface Verdicts {
  readonly lines: string[];
  readonly targets: Record<string, { value: number; target: string; met: boolean }>;
}

/** Checks the targets: ratio ≥ 0.5 at the highest in-flight level, ≤ 1 command per push. */
export function judge(results: readonly CaseResult[]): Verdicts {
  const lines: string[] = [];
  const targets: Verdicts["targets"] = {};
  const top = Math.max(...results.map((r) => r.inFlight));
  for (const r of results.filter((x) => x.approach === "dtw")) {
    const name = `${r.target} x${r.inFlight}`;
    const onPath = r.appendsPerPush ?? r.commandsPerPush;
    targets[`${name} commands/push on the push path`] = {
      value: onPath,
      target: "<= 1",
      met: onPath <= 1,
    };
    const ratio = ratioToRaw(results, r);
    if (r.inFlight === top && ratio !== undefined) {
      targets[`${name} ratio to raw RPUSH`] = { value: ratio, target: ">= 0.5", met: ratio >= 0.5 };
    }
  }
  for (const [name, t] of Object.entries(targets)) {
    lines.push(`${t.met ? "ok  " : "MISS"} ${name}: ${t.value.toFixed(3)} (target ${t.target})`);
  }
  const dtw = results.find((r) => r.target === "tcp" && r.approach === "dtw" && r.inFlight === top);
  const seed = results.find(
    (r) => r.target === "tcp" && r.approach === "seed" && r.inFlight === top,
  );
  if (dtw && seed) {
    lines.push(
      `seed approach (RPUSH + ZADD per push) at ${top} in flight: ` +
        `${Math.round(seed.pushesPerSecond).toLocaleString("en-US")} pushes/s; ` +
        `DistributedTimeWindow: ${Math.round(dtw.pushesPerSecond).toLocaleString("en-US")} ` +
        `(${(dtw.pushesPerSecond / seed.pushesPerSecond).toFixed(1)}x)`,
    );
  }
  return { lines, targets };
}
