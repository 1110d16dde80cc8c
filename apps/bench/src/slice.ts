import type { Admin } from "./admin.js";
import { type Approach, type CaseContext, prepare, type Target } from "./cases.js";
import { type CommandDelta, delta, parseCommandStats } from "./commandstats.js";
import type { GatewayHandle } from "./gateway.js";
import { runLanes, type Sample } from "./measure.js";

/** One timed slice of a case: a fresh client/stream, a warm-up, then the measured part. */
export interface Slice extends Sample {
  readonly commands: CommandDelta;
  /** Commands the client sent (script calls for the SDK, every command for the baselines). */
  readonly sent: number;
  /** SDK cases: store `append` calls. */
  readonly appends: number | undefined;
  /** Upstash: HTTP requests that reached the gateway. */
  readonly httpRequests: number | undefined;
  readonly problem: string | undefined;
}

export interface SliceSetup {
  readonly target: Target;
  readonly approach: Approach;
  readonly inFlight: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly ctx: CaseContext;
  readonly admin: Admin;
  readonly gateway: GatewayHandle | undefined;
}

export async function runSlice(s: SliceSetup): Promise<Slice> {
  const prepared = await prepare(s.target, s.approach, s.ctx);
  const warmup = await runLanes(s.inFlight, s.warmupMs, prepared.push);
  const http = s.target === "upstash" ? s.gateway : undefined;
  const statsBefore = parseCommandStats(await s.admin.info("commandstats"));
  const httpBefore = await http?.stats();
  const callsBefore = prepared.storeCalls?.();
  const sample = await runLanes(s.inFlight, s.durationMs, prepared.push, warmup.operations);
  const statsAfter = parseCommandStats(await s.admin.info("commandstats"));
  const httpAfter = await http?.stats();
  const callsAfter = prepared.storeCalls?.();
  const problem = await prepared.finish(warmup.operations + sample.operations);
  const commands = delta(statsBefore, statsAfter);
  return {
    ...sample,
    commands,
    sent: prepared.scriptsOnly ? commands.scripts : commands.executed,
    appends:
      callsBefore && callsAfter ? (callsAfter.append ?? 0) - (callsBefore.append ?? 0) : undefined,
    httpRequests: httpBefore && httpAfter ? httpAfter.requests - httpBefore.requests : undefined,
    problem,
  };
}
