import { APPROACH_LABEL, type Approach, type Target } from "./cases.js";

export interface CaseResult {
  readonly target: Target;
  readonly approach: Approach;
  readonly inFlight: number;
  /** Pushes completed in the timed part. */
  readonly pushes: number;
  readonly seconds: number;
  readonly pushesPerSecond: number;
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
  vs raw: pushes/s over raw RPUSH with the same store and pushes in flight.`;

export function table(results: readonly CaseResult[]): string {
  const rows = results.map((r) => [
    r.target === "tcp" ? "redis (tcp)" : "upstash (gateway)",
    APPROACH_LABEL[r.approach],
    String(r.inFlight),
    Math.round(r.pushesPerSecond).toLocaleString("en-US"),
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
