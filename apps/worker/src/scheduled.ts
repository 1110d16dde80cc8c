import type { WindowStore } from "@dtw/core";
import { type StreamConfig, streamsFor } from "./config.js";
import { deliverReady, sinkFor } from "./delivery.js";
import type { Env } from "./env.js";
import { log, messageOf } from "./log.js";
import { storeFor } from "./store.js";

/** Due windows closed per stream per run (one store call). */
const CLOSE_LIMIT = 1000;

/** What one cron run did for one stream. */
export interface StreamTick {
  readonly stream: string;
  readonly closed: number;
  readonly delivered: number;
  readonly retried: number;
  readonly dead: number;
  readonly error?: string;
}

/**
 * The cron trigger: for every configured stream, closes due windows and delivers ready ones
 * (retries and expired leases included), at most `maxWindowsPerRun` each. Never throws: a
 * misconfiguration or a store outage is logged and the next run tries again.
 */
export async function runScheduled(env: Env): Promise<StreamTick[]> {
  let streams: ReadonlyMap<string, StreamConfig>;
  let store: WindowStore;
  try {
    streams = streamsFor(env);
    store = storeFor(env);
  } catch (error) {
    log("error", "scheduled run skipped: configuration error", { error: messageOf(error) });
    return [];
  }
  const ticks = await Promise.all(
    [...streams.values()].map((stream) => tickStream(store, stream, env)),
  );
  for (const tick of ticks) logTick(tick, "cron");
  return ticks;
}

/** Logs a tick that did something or failed; idle ticks stay quiet. */
export function logTick(tick: StreamTick, trigger: "cron" | "push"): void {
  if (tick.closed + tick.delivered + tick.retried + tick.dead > 0 || tick.error) {
    log(tick.error ? "error" : "info", "tick", { trigger, ...tick });
  }
}

/**
 * One stream's share of a tick: close due windows, deliver ready ones (bounded). Never rejects:
 * a failure is reported in `error`.
 */
export async function tickStream(
  store: WindowStore,
  stream: StreamConfig,
  env: Env,
): Promise<StreamTick> {
  const name = stream.spec.name;
  let closed = 0;
  try {
    closed = await store.closeDue(stream.spec, CLOSE_LIMIT);
    const sink = sinkFor(stream, env);
    if (!sink) return { stream: name, closed, delivered: 0, retried: 0, dead: 0 };
    const report = await deliverReady(store, stream, sink, stream.maxWindowsPerRun);
    return { stream: name, closed, ...report };
  } catch (error) {
    return { stream: name, closed, delivered: 0, retried: 0, dead: 0, error: messageOf(error) };
  }
}
